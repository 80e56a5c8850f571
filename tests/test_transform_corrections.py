"""A clerk's corrections applied to a read document (transform/corrections.py)."""

from __future__ import annotations

import pytest

from extract import read_document, source_info
from extract.model import Document
from tests.hostile import form
from transform.corrections import CorrectionError, apply_correction, parse_correction
from transform.errors import NormalizationError
from transform.pipeline import transform_file

SHA = "ab" * 32


def _doc(text: str) -> Document:
    data = text.encode("utf-8")
    return read_document(data, source_info("r.txt", data))


def _correction(fixes: str, extra: str = "") -> str:
    return (
        f'sha256 = "{SHA}"\ncorrected_by = "見本 花子"\nreason = "電話で確認した"\n{extra}\n'
        + fixes
    )


def test_a_correction_file_is_read() -> None:
    text = _correction('[[fix]]\nfield = "実施期間"\nvalue = "令和3年4月1日 ~ 令和4年3月31日"\n')
    correction = parse_correction(text, "c.toml")
    assert (correction.sha256, correction.corrected_by, correction.form) == (SHA, "見本 花子", 1)
    assert correction.fixes[0].field == "実施期間"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sha256 = 'x'", "16進64桁"),
        (f'sha256 = "{SHA}"\n[[fix]]\nfield = "1"\nvalue = "x"', "訂正した人"),
        (_correction(""), "value のある \\[\\[fix\\]\\] がありません"),
        (_correction('[[fix]]\nfield = "1"\n'), "field と value が必要です"),
        ("not = toml = at all", "TOML として読めません"),
    ],
)
def test_a_broken_correction_file_says_what_to_change(text: str, message: str) -> None:
    with pytest.raises(CorrectionError, match=message):
        parse_correction(text, "c.toml")


def test_fields_are_written_into_the_document_as_if_the_file_held_them() -> None:
    broken = form(
        period="通年",
        prefecture="",
        rows=(
            "①\t相談事業\t5\t3年度当初予算\t2年度補正予算\t1,000,000\t700,000\t\t300,000\t",
            "②\t居場所づくり\t1\t3年度当初予算\t2年度補正予算\t五十万\t400,000\t\t100,000\t",
        ),
    )
    correction = parse_correction(
        _correction(
            '[[fix]]\nfield = "都道府県名"\nvalue = "山口県"\n'
            '[[fix]]\nfield = "2"\nvalue = "令和3年4月1日 ~ 令和4年3月31日"\n'
            '[[fix]]\nfield = "経費.2.総事業費"\nvalue = "500,000"\n'
            '[[fix]]\nfield = "合計.他の寄付金等"\nvalue = "0"\n'
        )
    )
    with pytest.raises(NormalizationError, match=r"都道府県名|実施期間|総事業費"):
        transform_file(_doc(broken))  # as sent: not readable
    fixed = transform_file(apply_correction(_doc(broken), correction)).reports[0]
    assert fixed.report.prefecture_code == 35
    assert fixed.report.period_start.isoformat() == "2021-04-01"
    assert [i.total_cost for i in fixed.expense_items] == [1_000_000, 500_000]
    assert not [i for i in fixed.issues if i.severity == "error"]


def test_the_form_a_correction_names() -> None:
    two = form() + "\n" + form(prefecture="広島県", title="二つ目", period="通年")
    correction = parse_correction(
        _correction(
            '[[fix]]\nfield = "実施期間"\nvalue = "令和4年4月1日 ~ 令和5年3月31日"\n', "form = 2"
        )
    )
    reports = transform_file(apply_correction(_doc(two), correction)).reports
    assert [r.report.fiscal_year for r in reports] == [2021, 2022]
    with pytest.raises(CorrectionError, match="form 3 の訂正ですが、ファイルの様式は 2 つです"):
        apply_correction(
            _doc(two),
            parse_correction(_correction('[[fix]]\nfield = "1"\nvalue = "x"\n', "form = 3")),
        )


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("経費.9.総事業費", "行は 1～"),
        ("経費.1.色", "列「色」がありません"),
        ("天気", "いずれでもありません"),
    ],
)
def test_a_field_that_names_nothing(field: str, message: str) -> None:
    correction = parse_correction(_correction(f'[[fix]]\nfield = "{field}"\nvalue = "1"\n'))
    with pytest.raises(CorrectionError, match=message):
        apply_correction(_doc(form()), correction)
