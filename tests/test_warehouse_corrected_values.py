"""Values a clerk corrected by hand are marked where people read them (issue 23, problem 6):
the reports and expense exports name the fields corrected (row by row for expense cells) in
CSV, Parquet and the workbook alike; the data_quality export gives every file's SHA-256 and a
corrections file ready to fill in; the HTML report lists the corrected values and offers the
skeleton for each file it could not read."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path

import duckdb
import pytest

from extract import read_document, source_info
from extract.model import Provenance, SourceInfo
from tests.support import load_into, pipeline_file
from tests.test_warehouse_views import report
from transform.corrections import Correction, Fix, corrections_skeleton, parse_correction
from transform.pipeline import transform_file
from warehouse.export import export
from warehouse.publish import publishing_writer, write_lock
from warehouse.report import build_report

ROWS = [
    "①\t相談\t5\t3年度当初予算\t2年度補正予算\t1,000,000\t700,000\t100,000\t200,000\t",
    # ② as sent: 総事業費 600,000 where B + C + D is 500,000 (amount_identity); the clerk
    # corrects it to 500,000
    "②\t居場所\t1\t2年度補正予算\t2年度補正予算\t600,000\t400,000\t\t100,000\t",
]
PERIOD = "令和3年4月1日 ~ 令和4年3月31日"
BROKEN = SourceInfo(path="/inbox/壊れた.pdf", sha256="ab" * 32, size_bytes=1, format="pdf")


def _correction(sha256: str, *fixes: Fix) -> Correction:
    return Correction(sha256, "見本 花子", "電話で確認した", fixes, "data/corrections/y.toml")


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    path = tmp_path / "y.txt"
    path.write_text(report("山口県", 3, "つながり事業", "相談", ROWS), encoding="utf-8")
    return path


@pytest.fixture
def warehouse(tmp_path: Path, report_file: Path) -> Path:
    """The report with ② 総事業費 and the period corrected by hand, beside an untouched
    report and a file that could not be read."""
    sha = source_info(report_file.name, report_file.read_bytes()).sha256
    fixes = (Fix("経費.2.総事業費", "500,000"), Fix("実施期間", PERIOD))
    corrected = pipeline_file(report_file, corrections=(_correction(sha, *fixes),)).reports[0]
    other = tmp_path / "m.txt"
    other.write_text(report("宮城県", 3, "宮城の事業", "相談", ROWS[:1]), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    load_into(db, corrected, pipeline_file(other).reports[0])
    with write_lock(db), publishing_writer(db) as store:
        store.quarantine(
            BROKEN, "壊れています。送り直してください。", "test", dt.datetime(2026, 1, 1)
        )
    return db


def test_a_fix_of_an_expense_cell_records_the_row_it_wrote_into(report_file: Path) -> None:
    sha = source_info(report_file.name, report_file.read_bytes()).sha256
    fixes = (Fix("経費.2.総事業費", "500,000"), Fix("合計.総事業費", "1,500,000"))
    (nr,) = pipeline_file(report_file, corrections=(_correction(sha, *fixes),)).reports
    assert [(c.field, c.expense_row_order) for c in nr.corrections] == [
        ("経費.2.総事業費", 2),
        ("合計.総事業費", None),  # the total row is no expense row: its report is marked
    ]
    assert nr.expense_items[1].total_cost == 500_000


def test_a_row_whose_place_is_not_known_is_not_marked_rather_than_guessed(
    report_file: Path,
) -> None:
    """Rows found by their place in the file: when no place was recorded (all rows alike),
    the fix still applies and marks its report, and no row is marked."""
    data = report_file.read_bytes()
    doc = read_document(data, source_info(report_file.name, data))
    (table,) = [t for t in doc.tables if t.section == 9]
    placeless = dataclasses.replace(
        table, rows=tuple(dataclasses.replace(r, provenance=Provenance()) for r in table.rows)
    )
    doc = dataclasses.replace(doc, tables=tuple(placeless if t is table else t for t in doc.tables))
    correction = _correction(doc.source.sha256, Fix("経費.2.総事業費", "500,000"))
    (nr,) = transform_file(doc, corrections=(correction,)).reports
    assert nr.expense_items[1].total_cost == 500_000
    assert [c.expense_row_order for c in nr.corrections] == [None]


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _export(db: Path, out: Path, file_format: str) -> None:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        export(conn, out, file_format=file_format)  # type: ignore[arg-type]
    finally:
        conn.close()


def test_the_exports_mark_corrected_values_in_every_format(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for file_format in ("csv", "parquet", "xlsx"):
        _export(warehouse, out, file_format)
    reports = {r["都道府県"]: r["手で訂正した項目"] for r in _csv(out / "csv" / "reports.csv")}
    assert reports == {"山口県": "実施期間、経費.2.総事業費", "宮城県": ""}  # blank: as sent
    items = [
        (r["都道府県"], r["事業番号"], r["総事業費(A)（円）"], r["手で訂正した項目"])
        for r in _csv(out / "csv" / "expense_items.csv")
    ]
    assert sorted(items) == [
        ("宮城県", "1", "1000000", ""),
        ("山口県", "1", "1000000", ""),
        ("山口県", "2", "500000", "経費.2.総事業費"),  # the corrected value, marked
    ]
    items_parquet = out / "parquet" / "expense_items.parquet"
    parquet = (
        duckdb.connect()
        .execute(f"select 都道府県, 事業番号, 手で訂正した項目 from '{items_parquet}' order by all")
        .fetchall()
    )
    assert ("山口県", 2, "経費.2.総事業費") in parquet and ("山口県", 1, None) in parquet
    from openpyxl import load_workbook

    book = load_workbook(out / "xlsx" / "jokatsu_exports.xlsx", read_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    reports_sheet = next(rows for rows in sheets.values() if rows and "事業名" in rows[0])
    column = reports_sheet[0].index("手で訂正した項目")
    assert "実施期間、経費.2.総事業費" in [row[column] for row in reports_sheet[1:]]
    legend = next(rows for title, rows in sheets.items() if title == "列の説明")
    assert any("手で訂正した項目" in str(row) and "訂正後" in str(row) for row in legend)


def test_data_quality_gives_each_file_its_sha256_and_a_corrections_file_to_fill_in(
    warehouse: Path, tmp_path: Path
) -> None:
    _export(warehouse, tmp_path / "out", "csv")
    rows = _csv(tmp_path / "out" / "csv" / "data_quality.csv")
    (broken,) = [r for r in rows if r["区分"] == "読込不可"]
    assert broken["SHA-256"] == BROKEN.sha256
    assert broken["訂正ファイルのひな形"] == corrections_skeleton(BROKEN.sha256)
    checks = [r for r in rows if r["区分"] == "チェック"]
    assert checks and all(len(r["SHA-256"]) == 64 for r in checks)
    assert all(f'sha256 = "{r["SHA-256"]}"' in r["訂正ファイルのひな形"] for r in checks)
    filled = broken["訂正ファイルのひな形"].replace('corrected_by = ""', 'corrected_by = "見本"')
    filled = filled.replace('reason = ""', 'reason = "電話"').replace('field = ""', 'field = "1"')
    assert parse_correction(filled.replace('value = ""', 'value = "x"')).sha256 == BROKEN.sha256


def test_the_skeleton_names_the_form_of_a_file_that_holds_several() -> None:
    text = corrections_skeleton("cd" * 32, 2)
    filled = text.replace('""', '"x"')
    assert "form = 2" in text and parse_correction(filled).form == 2
    assert "form" not in corrections_skeleton("cd" * 32).split("[[fix]]")[0]


def test_the_report_lists_corrected_values_and_offers_each_unreadable_file_a_skeleton(
    warehouse: Path,
) -> None:
    conn = duckdb.connect(str(warehouse), read_only=True)
    try:
        page = build_report(conn, today=dt.date(2026, 1, 2))
    finally:
        conn.close()
    assert "手で訂正した値" in page
    assert "経費.2.総事業費" in page and "500,000" in page and PERIOD in page
    assert f"sha256 = &#34;{BROKEN.sha256}&#34;" in page  # the skeleton (its quotes escaped)
    assert "見本 花子" not in page and "電話で確認した" not in page  # who and why: not here


def test_a_corrected_contact_is_never_shown() -> None:
    from warehouse.report import corrected_value

    assert corrected_value("10", "見本 花子 03-1234-5678") == "〔連絡先のため表示しません〕"
    assert corrected_value("担当者名及び連絡先", "見本") == "〔連絡先のため表示しません〕"
    assert "03-1234-5678" not in corrected_value("備考", "電話 03-1234-5678")
