"""Ministry exports: read back as Excel reads a CSV, privacy, encodings, manifest, Parquet."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.support import load_into, pipeline
from tests.test_warehouse_views import report
from warehouse.export import ExportEncodingError, export, neutralise

HOSTILE = [
    '①\t=HYPERLINK("http://example.com","x")\t5\t3年度当初予算\t2年度補正予算'
    "\t1,000,000\t1,000,000\t\t\t+81 83 000 0000",
    "②\t@SUM(A1:A2)\t1\t3年度当初予算\t2年度補正予算\t200,000\t100,000\t\t100,000\t-協賛",
]


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    text = report("山口県", 3, "𠮷野の女性支援", "相談", HOSTILE)
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    load_into(db, pipeline(tmp_path / "r.txt"))
    return db


def _export(db: Path, out: Path, **options: Any) -> dict[str, Any]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return export(conn, out, **options)
    finally:
        conn.close()


def _read_like_excel(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8 as Japanese"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_no_exported_cell_starts_a_formula(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _export(warehouse, out)
    cells = 0
    for path in sorted(out.glob("*.csv")):
        for row in _read_like_excel(path)[1:]:
            for cell in row:
                cells += 1
                if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
                    float(cell)  # only a number may start so (a negative amount)
    assert cells > 100
    items = _read_like_excel(out / "expense_items.csv")
    header, first, second = items[0], items[1], items[2]
    assert first[header.index("個別事業名")] == '\'=HYPERLINK("http://example.com","x")'
    assert first[header.index("備考")] == "'+81 83 000 0000"
    assert second[header.index("個別事業名")] == "'@SUM(A1:A2)"
    assert first[header.index("総事業費(A)")] == "1000000"  # numbers stay numbers


def test_headers_are_japanese_in_a_fixed_order(warehouse: Path, tmp_path: Path) -> None:
    _export(warehouse, tmp_path / "out")
    header = _read_like_excel(tmp_path / "out" / "reports.csv")[0]
    assert header[:6] == ["報告書ID", "都道府県コード", "都道府県", "地方", "年度", "事業名"]


def test_contacts_only_when_asked(warehouse: Path, tmp_path: Path) -> None:
    plain = _export(warehouse, tmp_path / "plain")
    assert "contacts.csv" not in [f["name"] for f in plain["files"]]
    assert not (tmp_path / "plain" / "contacts.csv").exists()
    everything = "".join(
        p.read_text(encoding="utf-8-sig") for p in (tmp_path / "plain").glob("*.csv")
    )
    assert "見本 花子" not in everything
    with_contacts = _export(warehouse, tmp_path / "with", include_contacts=True)
    assert "contacts.csv" in [f["name"] for f in with_contacts["files"]]
    assert "見本 花子" in (tmp_path / "with" / "contacts.csv").read_text(encoding="utf-8-sig")


def test_cp932_names_the_row_and_character_it_cannot_hold(warehouse: Path, tmp_path: Path) -> None:
    with pytest.raises(
        ExportEncodingError, match=r"reports.csv row 2, column 事業名: 「𠮷」 \(U\+20BB7\)"
    ):
        _export(warehouse, tmp_path / "sj", encoding="cp932")
    _export(warehouse, tmp_path / "sj", encoding="cp932", replace_unencodable=True)
    text = (tmp_path / "sj" / "reports.csv").read_bytes().decode("cp932")
    assert "?野の女性支援" in text


def test_manifest_counts_and_digests(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    manifest = _export(warehouse, out)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == manifest
    for item in manifest["files"]:
        data = (out / item["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == item["sha256"]
        assert len(_read_like_excel(out / item["name"])) - 1 == item["rows"]
    assert {f["name"] for f in manifest["files"]} == {
        "reports.csv",
        "expense_items.csv",
        "spending_by_prefecture_year.csv",
        "coverage.csv",
        "activities.csv",
        "data_quality.csv",
        "reconciliation.csv",
    }


def test_parquet_holds_the_same_rows(warehouse: Path, tmp_path: Path) -> None:
    _export(warehouse, tmp_path / "pq", file_format="parquet")
    conn = duckdb.connect()
    rows = conn.execute(
        f'select "個別事業名", "総事業費(A)" from \'{tmp_path / "pq" / "expense_items.parquet"}\''
    ).fetchall()
    assert rows == [('=HYPERLINK("http://example.com","x")', 1_000_000), ("@SUM(A1:A2)", 200_000)]


def test_neutralise() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\tx") == "'\tx"
    assert neutralise("普通の文") == "普通の文"
    assert neutralise(-5) == -5


def _folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_failed_export_leaves_the_previous_one_untouched(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    _export(warehouse, out, encoding="cp932", replace_unencodable=True)
    before = _folder_state(out)
    with pytest.raises(ExportEncodingError):
        _export(warehouse, out, encoding="cp932")  # stops at 「𠮷」 half way through
    assert _folder_state(out) == before  # no new CSV beside the old manifest
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]  # nor a .tmp


def test_an_export_without_contacts_removes_an_earlier_contacts_file(
    warehouse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "exports"
    _export(warehouse, out, include_contacts=True)
    assert (out / "contacts.csv").exists()
    manifest = _export(warehouse, out)
    assert not (out / "contacts.csv").exists()  # personal data does not outlive its export
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f["name"] for f in manifest["files"]] + ["manifest.json"]
    )


def test_parquet_into_a_folder_with_a_quote_in_its_name(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "o'brien"
    manifest = _export(warehouse, out, file_format="parquet")
    assert all((out / f["name"]).exists() for f in manifest["files"])


def test_ids_stay_text_in_a_spreadsheet(warehouse: Path, tmp_path: Path) -> None:
    """Every report id starts with a letter, so no spreadsheet reads it as a number (a
    leading zero lost, 「12e45…」 in scientific notation) or a date."""
    import re

    _export(warehouse, tmp_path / "out", include_contacts=True)
    seen = 0
    for path in sorted((tmp_path / "out").glob("*.csv")):
        rows = _read_like_excel(path)
        if "報告書ID" not in rows[0]:
            continue
        column = rows[0].index("報告書ID")
        for row in rows[1:]:
            seen += 1
            assert re.fullmatch(r"R-[0-9a-f]{16}(-[0-9]+)?", row[column]), (path.name, row)
    assert seen >= 3


MONEY = re.compile(
    r"total_cost|grant_amount|other_funds|own_funds|declared_|総事業費|本交付金|他の寄付金|自己資金"
)


def test_money_is_bigint_in_every_view_and_export(warehouse: Path, tmp_path: Path) -> None:
    """Whole yen everywhere: no HUGEINT or floating point money in a view, a Parquet file or
    what pandas gets from a query (sums are cast to BIGINT)."""
    conn = duckdb.connect(str(warehouse), read_only=True)
    try:
        columns = conn.execute(
            "select table_name, column_name, data_type from information_schema.columns"
        ).fetchall()
        money = [(t, c, d) for t, c, d in columns if MONEY.search(c)]
        assert len(money) > 20
        assert [(t, c, d) for t, c, d in money if d != "BIGINT"] == []
        frame = conn.execute("select * from mart_spending_by_prefecture_year").df()
        assert str(frame["total_cost"].dtype) == "int64"
    finally:
        conn.close()
    _export(warehouse, tmp_path / "pq", file_format="parquet")
    for path in sorted((tmp_path / "pq").glob("*.parquet")):
        schema = duckdb.connect().execute(f"describe select * from '{path}'").fetchall()
        wrong = [
            (name, kind) for name, kind, *_ in schema if MONEY.search(name) and kind != "BIGINT"
        ]
        assert wrong == [], path.name


def test_one_workbook_with_typed_cells(warehouse: Path, tmp_path: Path) -> None:
    """--format xlsx: one workbook the ministry opens directly, a sheet per export; ids and
    codes text, money whole numbers shown with thousands separators, dates dates, the header
    frozen, filters on, widths set; report text never becomes a formula."""
    import datetime as dt

    from openpyxl import load_workbook

    manifest = _export(warehouse, tmp_path / "x", file_format="xlsx")
    assert [f["name"] for f in manifest["files"]] == ["jokatsu_exports.xlsx"]
    book = load_workbook(tmp_path / "x" / "jokatsu_exports.xlsx")
    assert book.sheetnames[:2] == ["報告書", "経費の内訳"] and "担当者" not in book.sheetnames
    assert [s["rows"] for s in manifest["sheets"]] == [s.max_row - 1 for s in book.worksheets]
    reports = book["報告書"]
    header = [c.value for c in reports[1]]
    row = {h: c for h, c in zip(header, reports[2], strict=True)}
    assert row["報告書ID"].data_type == "s" and str(row["報告書ID"].value).startswith("R-")
    assert row["都道府県コード"].value == "35" and row["都道府県コード"].data_type == "s"
    assert isinstance(row["総事業費(A)"].value, int)
    assert row["総事業費(A)"].number_format == "#,##0"
    assert isinstance(row["実施期間開始"].value, dt.datetime) and row["年度"].value == 2021
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.max_row == 1 or sheet.auto_filter.ref
        assert all(sheet.column_dimensions[c].width for c in "AB")
        formulas = [c.coordinate for r in sheet.iter_rows() for c in r if c.data_type == "f"]
        assert formulas == [], sheet.title
    items = book["経費の内訳"]
    names = [c.value for c in items["F"]]
    assert '\'=HYPERLINK("http://example.com","x")' in names and "'@SUM(A1:A2)" in names


def test_a_failed_export_leaves_no_temporary_file(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(ExportEncodingError):
        _export(warehouse, out, encoding="cp932")  # 𠮷 has no CP932 form
    left = {p.name for p in tmp_path.iterdir()} - {"w.duckdb", "w.duckdb.lock", "r.txt"}
    assert left == {"out"}  # no staging folder, no *.tmp beside it
    assert list(out.iterdir()) == []


def test_every_time_in_the_manifest_has_its_zone(warehouse: Path, tmp_path: Path) -> None:
    import datetime as dt

    conn = duckdb.connect(str(warehouse))
    conn.execute(
        "insert into runs values ('run-1', '2026-01-01 00:00', '2026-01-01 00:01', 'v', 1, 0, 0)"
    )
    conn.close()
    manifest = _export(warehouse, tmp_path / "out")
    for stamp in (manifest["created_at"], manifest["run"]["finished_at"]):
        assert dt.datetime.fromisoformat(stamp).tzinfo is not None, stamp


# LibreOffice's CSV import: separator «,», quote «"», character set (76 UTF-8, 64 Shift_JIS),
# from line 1 -- what a ministry user gets opening the file in Calc (Excel behaves alike).
CALC_FILTERS = {"utf-8-sig": "CSV:44,34,76,1", "cp932": "CSV:44,34,64,1"}


@pytest.mark.parametrize("encoding", sorted(CALC_FILTERS))
def test_csvs_opened_in_libreoffice_calc_keep_ids_money_and_japanese(
    tmp_path: Path, encoding: str
) -> None:
    """Each CSV converted by LibreOffice headless (as a spreadsheet opens it) and read back
    with openpyxl: every id identical, money numeric, Japanese intact."""
    from openpyxl import load_workbook

    from tests.corpus.print_office import LibreOfficeMissing, convert, soffice

    try:
        soffice()
    except LibreOfficeMissing:
        pytest.skip("LibreOffice (soffice) is not installed: make test installs it on Debian")
    # ids of the shapes that break in spreadsheets: digits only, and digits around an «e»
    ids = {"r0.txt": "0123456789012345", "r1.txt": "12e4567890123456"}
    db = tmp_path / "w.duckdb"
    for i, name in enumerate(ids):
        row = "①\t相談\t5\t3年度当初予算\t2年度補正予算\t1,000,000\t700,000\t\t300,000\t"
        text = report("山口県", 3, f"見本の女性支援{i}", "相談", [row])
        (tmp_path / name).write_text(text, encoding="utf-8")
    load_into(db, *(pipeline(tmp_path / name) for name in ids))
    conn = duckdb.connect(str(db))
    try:  # give the reports ids of those shapes (after 「R-」, as every id now has)
        for (sha,), digits in zip(
            conn.execute("select source_sha256 from reports order by project_title").fetchall(),
            ids.values(),
            strict=True,
        ):
            (old,) = conn.execute(
                "select report_id from reports where source_sha256 = ?", [sha]
            ).fetchone() or ("",)
            for table in ("reports", "report_sections", "expense_items", "contacts"):
                conn.execute(
                    f"update {table} set report_id = ? where report_id = ?", [f"R-{digits}", old]
                )
            conn.execute(
                "update validation_issues set report_id = ? where report_id = ?",
                [f"R-{digits}", old],
            )
    finally:
        conn.close()
    out = tmp_path / "csv"
    _export(db, out, encoding=encoding)
    converted = tmp_path / "calc"
    for csv_file in sorted(out.glob("*.csv")):
        convert(csv_file, "xlsx", converted, tmp_path / "profile", CALC_FILTERS[encoding])
    sheet = load_workbook(converted / "reports.xlsx").active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:3] == ["報告書ID", "都道府県コード", "都道府県"]  # Japanese intact
    got = sorted(str(row[header.index("報告書ID")]) for row in rows[1:])
    assert got == sorted(f"R-{i}" for i in ids.values())  # ids identical, still text
    assert {row[header.index("都道府県")] for row in rows[1:]} == {"山口県"}
    assert all(isinstance(row[header.index("総事業費(A)")], int | float) for row in rows[1:])
    items = load_workbook(converted / "expense_items.xlsx").active
    assert items is not None
    item_rows = [[c.value for c in row] for row in items.iter_rows()]
    ids_there = {row[item_rows[0].index("報告書ID")] for row in item_rows[1:]}
    assert ids_there == {f"R-{i}" for i in ids.values()}
    assert {row[item_rows[0].index("総事業費(A)")] for row in item_rows[1:]} == {1_000_000}
