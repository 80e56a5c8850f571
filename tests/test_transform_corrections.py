"""A clerk's corrections applied to a read document (transform/corrections.py)."""

from __future__ import annotations

import json
import pickle

import pytest

from extract import read_document, source_info
from extract.model import Document
from tests.hostile import form
from transform.corrections import (
    Correction,
    CorrectionError,
    QuarantinedWithUnfitCorrections,
    apply_correction,
    parse_correction,
)
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
        ("経費." + "9" * 5000 + ".総事業費", "行は 1～"),  # was unexpected_error (int limit)
        ("1" * 5000, "いずれでもありません"),
    ],
    ids=["row_9", "column", "weather", "row_of_5000_digits", "section_of_5000_digits"],
)
def test_a_field_that_names_nothing(field: str, message: str) -> None:
    correction = parse_correction(_correction(f'[[fix]]\nfield = "{field}"\nvalue = "1"\n'))
    with pytest.raises(CorrectionError, match=message):
        apply_correction(_doc(form()), correction)


# Each kind of corrections file that does not fit its file: the field, and what the clerk
# reads about it (the corrections file is set aside; its file is read as without it).
UNFIT = [
    pytest.param(
        "実施期日", "令和3年4月1日 ~ 令和4年3月31日", "いずれでもありません", id="no-such-field"
    ),
    pytest.param("経費.9.総事業費", "1,000", "経費の表は 3 行です", id="no-such-row"),
    pytest.param("経費.1.色", "赤", "列「色」がありません", id="no-such-column"),
    pytest.param(
        "経費.1.総事業費", "百万円くらい", "値「百万円くらい」を読めません", id="bad-amount"
    ),
    pytest.param("合計.本交付金", "1,2,3,,", "値「1,2,3,,」を読めません", id="bad-total"),
    pytest.param("実施期間", "令和3年度中", "値「令和3年度中」を読めません", id="bad-period"),
    pytest.param("都道府県名", "火星", "47都道府県のいずれでもありません", id="bad-prefecture"),
    pytest.param("事業名", " ", "値が空です", id="empty-required-field"),
    pytest.param("経費.1.事業番号", "12345", "読めなくなります", id="makes-the-file-unreadable"),
]


def _fix_file(field: str, value: str, sha: str, extra: str = "") -> Correction:
    text = (
        f'sha256 = "{sha}"\ncorrected_by = "見本 花子"\nreason = "電話で確認した"\n{extra}\n'
        f"[[fix]]\nfield = {json.dumps(field, ensure_ascii=False)}\n"
        f"value = {json.dumps(value, ensure_ascii=False)}\n"
    )
    return parse_correction(text, "data/corrections/山口県.toml")


@pytest.mark.parametrize(("field", "value", "message"), UNFIT)
def test_a_correction_that_does_not_fit_a_loaded_file_changes_nothing(
    field: str, value: str, message: str
) -> None:
    """A loaded report stays as it was; the corrections file is set aside with its name,
    the field and what to change (never a quarantine of the report, never a failed run)."""
    doc = _doc(form())
    as_sent = transform_file(doc)
    result = transform_file(doc, corrections=(_fix_file(field, value, doc.source.sha256),))
    assert result.reports == as_sent.reports
    assert [(u.file, u.sha256) for u in result.unfit] == [
        ("data/corrections/山口県.toml", doc.source.sha256)
    ]
    (unfit,) = result.unfit
    assert unfit.field in (field, "")
    assert message in unfit.reason
    assert f"{unfit.field}" in unfit.describe("inbox/r.txt")
    assert "inbox/r.txt に合わないため使っていません" in unfit.describe("inbox/r.txt")


@pytest.mark.parametrize(("field", "value", "message"), UNFIT)
def test_a_correction_that_does_not_fit_a_quarantined_file_keeps_its_own_reason(
    field: str, value: str, message: str
) -> None:
    """A file that cannot be read as sent keeps its own reason and code; the corrections
    file that does not fit travels with it (also from a worker process) to be reported."""
    doc = _doc(form(period="通年"))
    with pytest.raises(NormalizationError) as as_sent:
        transform_file(doc)
    correction = _fix_file(field, value, doc.source.sha256)
    if field == "経費.1.事業番号":  # it fits field by field; the file reads neither way
        with pytest.raises(NormalizationError) as plain:
            transform_file(doc, corrections=(correction,))
        assert (str(plain.value), plain.value.code) == (str(as_sent.value), as_sent.value.code)
        return
    with pytest.raises(QuarantinedWithUnfitCorrections) as raised:
        transform_file(doc, corrections=(correction,))
    again = pickle.loads(pickle.dumps(raised.value))
    for exc in (raised.value, again):
        assert (str(exc), exc.code) == (str(as_sent.value), as_sent.value.code)
        assert [(u.file, u.field) for u in exc.unfit] == [("data/corrections/山口県.toml", field)]
        assert message in exc.unfit[0].reason


def test_a_corrections_file_is_used_whole_or_not_at_all() -> None:
    """One fix that does not fit sets its whole file aside; another corrections file for the
    same report that fits is still used."""
    doc = _doc(form(period="通年"))
    sha = doc.source.sha256
    half = parse_correction(
        f'sha256 = "{sha}"\ncorrected_by = "見本 花子"\nreason = "確認"\n'
        '[[fix]]\nfield = "実施期間"\nvalue = "令和3年4月1日 ~ 令和4年3月31日"\n'
        '[[fix]]\nfield = "実施期日"\nvalue = "x"\n',
        "half.toml",
    )
    fits = _fix_file("実施期間", "令和3年4月1日 ~ 令和4年3月31日", sha)
    with pytest.raises(QuarantinedWithUnfitCorrections):
        transform_file(doc, corrections=(half,))
    result = transform_file(doc, corrections=(half, fits))
    assert [u.file for u in result.unfit] == ["half.toml"]
    (report,) = result.reports
    assert report.report.period_start.isoformat() == "2021-04-01"
    assert {c.corrections_file for c in report.corrections} == {fits.file}


def test_a_form_the_file_does_not_hold_is_set_aside() -> None:
    doc = _doc(form())
    result = transform_file(doc, corrections=(_fix_file("1", "x", doc.source.sha256, "form = 2"),))
    assert result.reports == transform_file(doc).reports
    assert "form を 1～1 にしてください" in result.unfit[0].reason


def test_an_integer_of_5000_digits_in_the_toml_is_a_reason() -> None:
    with pytest.raises(CorrectionError, match="TOML として読めません"):
        parse_correction(_correction('[[fix]]\nfield = "1"\nvalue = "x"\n', "form = " + "7" * 5000))
