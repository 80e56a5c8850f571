from __future__ import annotations

from datetime import date

import pytest

from extract import source_info
from extract.model import Document
from extract.text_reader import read_text
from tests.conftest import REAL_REPORT
from tests.test_extract_text_reader import MINIMAL
from transform.errors import NormalizationError
from transform.normalize import column_positions, normalize_document, report_id_for


def _doc(text: str) -> Document:
    data = text.encode("utf-8")
    return read_text(data, source_info("r.txt", data))


def test_real_report_header_fields() -> None:
    data = REAL_REPORT.read_bytes()
    nr = normalize_document(read_text(data, source_info("real.txt", data)))
    r = nr.report
    assert (r.prefecture_code, r.fiscal_year, r.project_title) == (35, 2021, "つながりサポート事業")
    assert (r.period_start, r.period_end) == (date(2021, 7, 12), date(2022, 3, 18))
    assert (r.declared_total_cost, r.declared_grant_amount) == (12_391_579, 9_293_000)
    assert (r.declared_other_funds, r.declared_own_funds) == (0, 3_098_579)
    assert r.report_id == report_id_for(nr.source.sha256) == "R-" + nr.source.sha256[:16]
    assert nr.sections[9].body is None  # section 10: the contact stays in contacts
    assert nr.contact is not None and nr.contact.email == "a12800@pref.yamaguchi.lg.jp"


def test_minimal_report_normalises() -> None:
    nr = normalize_document(_doc(MINIMAL))
    assert nr.report.prefecture_code == 35
    assert [i.total_cost for i in nr.expense_items] == [100]
    assert nr.expense_items[0].other_funds == 0  # a blank cell is 0


def test_thousand_yen_tables_scale() -> None:
    text = MINIMAL.replace("(単位:円)", "(単位:千円)")
    nr = normalize_document(_doc(text))
    assert nr.report.amount_unit == "千円"
    assert nr.expense_items[0].total_cost == 100_000
    assert nr.report.declared_total_cost == 100_000


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("都道府県名: 山口県", "都道府県名: 山口市", "都道府県名"),
        ("1. 事業名\t事業A", "1. 事業名\t", "事業名"),
        ("令和3年4月1日 ~ 令和4年3月31日", "通年", "実施期間"),
        ("\t100\t100\t\t\t\n", "\t1O0\t100\t\t\t\n", "総事業費"),
    ],
)
def test_missing_or_unreadable_required_fields_quarantine(old: str, new: str, message: str) -> None:
    text = MINIMAL.replace(old, new, 1)
    assert text != MINIMAL
    with pytest.raises(NormalizationError, match=message):
        normalize_document(_doc(text))


def test_a_report_without_expense_table_is_quarantined() -> None:
    text = MINIMAL.split("事業番号")[0] + "10. 担当者名及び連絡先\t見本\n"
    with pytest.raises(NormalizationError, match="経費の表がありません"):
        normalize_document(_doc(text))


def test_a_table_whose_amount_columns_are_not_there_is_quarantined() -> None:
    # The right of the table printed on another page: the header stops at 予算措置年度.
    cut = "\t".join(["事業番号", "個別事業名", "公募要領の取組例", "予算措置年度"])
    full = MINIMAL.split("\n")[5]
    assert full.startswith(cut)
    with pytest.raises(
        NormalizationError, match="総事業費\\(A\\)・本交付金\\(B\\)・自己資金\\(D\\)"
    ) as raised:
        normalize_document(_doc(MINIMAL.replace(full, cut)))
    assert raised.value.code == "expense_columns_missing"


def test_columns_found_by_the_words_offices_use() -> None:
    header = ["事業番号", "個別事業名", "事業費(A)", "交付金(B)", "寄附金等(C)", "自己負担額(D)"]
    positions = column_positions(header)
    assert [positions[f] for f in ("total_cost", "grant_amount", "other_funds", "own_funds")] == [
        2,
        3,
        4,
        5,
    ]
    assert positions["item_name"] == 1


def test_columns_found_by_header_text_in_any_order() -> None:
    header = ["備考", "事業番号", "個別事業名", "総事業費(A=B+C+D)", "本交付金(B)"]
    positions = column_positions(header)
    assert positions["remarks"] == 0
    assert positions["line_no"] == 1
    assert positions["total_cost"] == 3
    assert positions["grant_amount"] == 4


def test_unnumbered_rows_are_numbered_in_order() -> None:
    text = MINIMAL.replace("①\t事業A", "\t事業A")
    assert normalize_document(_doc(text)).expense_items[0].line_no == 1


ROWS = (
    "①\t事業A\t1\t3年度当初予算\t3年度当初予算\t100\t100\t－\t―\t協賛\n"
    "②\t〃\t同上\t〃\t同上\t50\t50\tー\t0円\t〃\n"
    "③\t\t\t\t\t\t\t\t\t\n"
    "④\t\t\t\t\t0\t－\t\t\t\n"
    "\t合　計\t\t\t\t150\t150\t0\t0\t\n"
)


def test_cell_conventions_of_the_form() -> None:
    text = MINIMAL.replace(
        "①\t事業A\t1\t3年度当初予算\t3年度当初予算\t100\t100\t\t\t\n"
        "\t合計\t\t\t\t100\t100\t0\t0\t\n",
        ROWS,
    )
    assert text != MINIMAL
    nr = normalize_document(_doc(text))
    first, second = nr.expense_items  # ③ and ④, numbered but never filled in, are no rows
    assert (first.other_funds, first.own_funds) == (0, 0)  # 「－」「―」 are zero
    assert (second.item_name, second.example_ref, second.remarks) == ("事業A", "1", "協賛")
    assert (second.budget_measure_raw, second.budget_measure_fiscal_year) == ("3年度当初予算", 2021)
    assert second.decision_budget_kind == "当初"
    assert nr.report.declared_total_cost == 150  # 「合　計」 is the total row


@pytest.mark.parametrize("label", ["合計", "合　計", "計", "総計", "合 計"])
def test_total_row_labels(label: str) -> None:
    text = MINIMAL.replace("\t合計\t", f"\t{label}\t")
    assert normalize_document(_doc(text)).report.declared_total_cost == 100


def test_a_prefecture_line_without_a_colon() -> None:
    text = MINIMAL.replace("都道府県名: 山口県", "都道府県名　大分県")
    assert normalize_document(_doc(text)).report.prefecture_code == 44
