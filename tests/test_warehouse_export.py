"""Ministry exports: read back as Excel reads a CSV, privacy, encodings, one manifest for
every format, formats that live together, one schema (types, units, legend) in CSV, Parquet
and the workbook, and a workbook that prints."""

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
from warehouse.export import CALC_CSV_FILTER, ExportEncodingError, export, neutralise

HOSTILE = [
    '①\t=HYPERLINK("http://example.com","x")\t5\t3年度当初予算\t2年度補正予算'
    "\t1,000,000\t1,000,000\t\t\t+1+cmd|calc",
    "②\t@SUM(A1:A2)\t1\t3年度当初予算\t2年度補正予算\t200,000\t100,000\t\t100,000\t-協賛",
]


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    text = report("山口県", 3, "𠮷野の女性支援", "相談", HOSTILE)
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    load_into(db, pipeline(tmp_path / "r.txt"))
    return db


@pytest.fixture
def two_prefectures(tmp_path: Path) -> Path:
    """山口県 (code 35) and 宮城県 (code 04: a leading zero to lose) for FY2021."""
    rows = ["①\t相談\t5\t3年度当初予算\t2年度補正予算\t1,000,000\t757,900\t\t242,100\t"]
    for name, prefecture in (("y.txt", "山口県"), ("m.txt", "宮城県")):
        text = report(prefecture, 3, f"{prefecture}の女性支援", "相談", rows)
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = tmp_path / "two.duckdb"
    load_into(db, pipeline(tmp_path / "y.txt"), pipeline(tmp_path / "m.txt"))
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
    for path in sorted((out / "csv").glob("*.csv")):
        for row in _read_like_excel(path)[1:]:
            for cell in row:
                cells += 1
                if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
                    float(cell)  # only a number may start so (a negative amount)
    assert cells > 100
    items = _read_like_excel(out / "csv" / "expense_items.csv")
    header, first, second = items[0], items[1], items[2]
    assert first[header.index("個別事業名")] == '\'=HYPERLINK("http://example.com","x")'
    assert first[header.index("備考")] == "'+1+cmd|calc"
    assert second[header.index("個別事業名")] == "'@SUM(A1:A2)"
    assert first[header.index("総事業費(A)（円）")] == "1000000"  # numbers stay numbers


def test_headers_are_japanese_in_a_fixed_order(warehouse: Path, tmp_path: Path) -> None:
    _export(warehouse, tmp_path / "out")
    header = _read_like_excel(tmp_path / "out" / "csv" / "reports.csv")[0]
    assert header[:6] == ["報告書ID", "都道府県コード", "都道府県", "地方", "年度", "事業名"]


def test_contacts_only_when_asked(warehouse: Path, tmp_path: Path) -> None:
    plain = _export(warehouse, tmp_path / "plain")
    assert "csv/contacts.csv" not in [f["name"] for f in plain["files"]]
    assert not (tmp_path / "plain" / "csv" / "contacts.csv").exists()
    everything = "".join(
        p.read_text(encoding="utf-8-sig") for p in (tmp_path / "plain").rglob("*.csv")
    )
    assert "見本 花子" not in everything
    with_contacts = _export(warehouse, tmp_path / "with", include_contacts=True)
    assert "csv/contacts.csv" in [f["name"] for f in with_contacts["files"]]
    contacts = tmp_path / "with" / "csv" / "contacts.csv"
    assert "見本 花子" in contacts.read_text(encoding="utf-8-sig")


def test_cp932_names_the_row_and_character_it_cannot_hold(warehouse: Path, tmp_path: Path) -> None:
    with pytest.raises(
        ExportEncodingError, match=r"reports.csv row 2, column 事業名: 「𠮷」 \(U\+20BB7\)"
    ):
        _export(warehouse, tmp_path / "sj", encoding="cp932")
    _export(warehouse, tmp_path / "sj", encoding="cp932", replace_unencodable=True)
    text = (tmp_path / "sj" / "csv" / "reports.csv").read_bytes().decode("cp932")
    assert "?野の女性支援" in text


def test_manifest_counts_and_digests(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    manifest = _export(warehouse, out)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == manifest
    for item in manifest["files"]:
        data = (out / item["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == item["sha256"]
        assert len(data) == item["bytes"]
        if item["rows"] is not None:
            assert len(_read_like_excel(out / item["name"])) - 1 == item["rows"]
    assert {f["name"] for f in manifest["files"]} == {
        "csv/README.txt",
        "csv/reports.csv",
        "csv/expense_items.csv",
        "csv/spending_by_prefecture_year.csv",
        "csv/coverage.csv",
        "csv/activities.csv",
        "csv/data_quality.csv",
        "csv/reconciliation.csv",
        "csv/reconciliation_by_year.csv",
        "csv/sources.csv",
    }


def test_parquet_holds_the_same_rows(warehouse: Path, tmp_path: Path) -> None:
    _export(warehouse, tmp_path / "pq", file_format="parquet")
    conn = duckdb.connect()
    path = tmp_path / "pq" / "parquet" / "expense_items.parquet"
    rows = conn.execute(f'select "個別事業名", "総事業費(A)（円）" from \'{path}\'').fetchall()
    assert rows == [('=HYPERLINK("http://example.com","x")', 1_000_000), ("@SUM(A1:A2)", 200_000)]


def test_neutralise() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\tx") == "'\tx"
    assert neutralise("普通の文") == "普通の文"
    assert neutralise(-5) == -5


def _folder_state(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


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
    assert (out / "csv" / "contacts.csv").exists()
    manifest = _export(warehouse, out)
    assert not (out / "csv" / "contacts.csv").exists()  # personal data goes with its export
    assert sorted(_folder_state(out)) == sorted(
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
    for path in sorted((tmp_path / "out" / "csv").glob("*.csv")):
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
    for path in sorted((tmp_path / "pq" / "parquet").glob("*.parquet")):
        schema = duckdb.connect().execute(f"describe select * from '{path}'").fetchall()
        wrong = [
            (name, kind)
            for name, kind, *_ in schema
            if (name.endswith("（円）") and kind != "BIGINT")
            or (MONEY.search(name) and not name.endswith(("（円）", "（円/人）")))
        ]
        assert wrong == [], path.name  # money is whole yen; per head is a rate, yen per person


def test_one_workbook_with_typed_cells(warehouse: Path, tmp_path: Path) -> None:
    """--format xlsx: one workbook the ministry opens directly, a sheet per export; ids and
    codes text, money whole numbers shown with thousands separators, dates dates, the header
    frozen, filters on, widths set; report text never becomes a formula."""
    import datetime as dt

    from openpyxl import load_workbook

    manifest = _export(warehouse, tmp_path / "x", file_format="xlsx")
    assert [f["name"] for f in manifest["files"]] == ["xlsx/jokatsu_exports.xlsx"]
    book = load_workbook(tmp_path / "x" / "xlsx" / "jokatsu_exports.xlsx")
    assert book.sheetnames[:3] == ["列の説明", "報告書", "経費の内訳"]
    assert "担当者" not in book.sheetnames
    sheets = manifest["formats"]["xlsx"]["sheets"]
    assert [s["rows"] for s in sheets] == [s.max_row - 1 for s in book.worksheets[1:]]
    reports = book["報告書"]
    header = [c.value for c in reports[1]]
    row = {h: c for h, c in zip(header, reports[2], strict=True)}
    assert row["報告書ID"].data_type == "s" and str(row["報告書ID"].value).startswith("R-")
    assert row["都道府県コード"].value == "35" and row["都道府県コード"].data_type == "s"
    assert isinstance(row["合計行の総事業費(A)（円）"].value, int)
    assert row["合計行の総事業費(A)（円）"].number_format == "#,##0"
    assert isinstance(row["実施期間開始"].value, dt.datetime) and row["年度"].value == 2021
    assert row["報告書の金額単位"].value == "円"
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
    entry = manifest["formats"]["csv"]
    for stamp in (manifest["updated_at"], entry["created_at"], entry["run"]["finished_at"]):
        assert dt.datetime.fromisoformat(stamp).tzinfo is not None, stamp


# LibreOffice's CSV import as README.txt and docs/warehouse.md tell a ministry user to open
# the files (separator, quote, character set, Japanese, quoted fields as text).
CALC_FILTERS = {e: CALC_CSV_FILTER[e] for e in ("utf-8-sig", "cp932")}


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
    prefectures = {"r0.txt": "山口県", "r1.txt": "宮城県"}
    db = tmp_path / "w.duckdb"
    for i, name in enumerate(ids):
        row = "①\t相談\t5\t3年度当初予算\t2年度補正予算\t1,000,000\t700,000\t\t300,000\t"
        text = report(prefectures[name], 3, f"見本の女性支援{i}", "相談", [row])
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
    for csv_file in sorted((out / "csv").glob("*.csv")):
        convert(csv_file, "xlsx", converted, tmp_path / "profile", CALC_FILTERS[encoding])
    sheet = load_workbook(converted / "reports.xlsx").active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:3] == ["報告書ID", "都道府県コード", "都道府県"]  # Japanese intact
    got = sorted(str(row[header.index("報告書ID")]) for row in rows[1:])
    assert got == sorted(f"R-{i}" for i in ids.values())  # ids identical, still text
    assert {row[header.index("都道府県")] for row in rows[1:]} == {"山口県", "宮城県"}
    codes = {row[header.index("都道府県コード")] for row in rows[1:]}
    assert codes == {"35", "04"}  # text, the leading zero kept
    money = header.index("合計行の総事業費(A)（円）")
    assert all(isinstance(row[money], int | float) for row in rows[1:])
    items = load_workbook(converted / "expense_items.xlsx").active
    assert items is not None
    item_rows = [[c.value for c in row] for row in items.iter_rows()]
    ids_there = {row[item_rows[0].index("報告書ID")] for row in item_rows[1:]}
    assert ids_there == {f"R-{i}" for i in ids.values()}
    assert {row[item_rows[0].index("総事業費(A)（円）")] for row in item_rows[1:]} == {1_000_000}


# -- formats that live together, one manifest -------------------------------------------------
def test_csv_after_xlsx_and_xlsx_after_csv_are_both_there(warehouse: Path, tmp_path: Path) -> None:
    """Exporting one format used to delete the other (the CSVs removed the workbook and the
    workbook the CSVs and their manifest)."""
    out = tmp_path / "exports"
    _export(warehouse, out, file_format="xlsx")
    _export(warehouse, out)  # CSV after xlsx
    assert (out / "xlsx" / "jokatsu_exports.xlsx").exists()
    assert (out / "csv" / "reports.csv").exists()
    _export(warehouse, out, file_format="xlsx")  # xlsx after CSV
    assert (out / "csv" / "reports.csv").exists()
    _export(warehouse, out, file_format="parquet")
    assert {p.name for p in out.iterdir()} == {"csv", "parquet", "xlsx", "manifest.json"}


def test_one_manifest_lists_every_file_of_every_format_with_its_checksum(
    warehouse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "exports"
    for file_format in ("csv", "xlsx", "parquet"):
        manifest = _export(warehouse, out, file_format=file_format)
    assert list(out.glob("**/manifest*.json")) == [out / "manifest.json"]  # one manifest
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == manifest
    assert list(manifest["formats"]) == ["csv", "parquet", "xlsx"]
    on_disk = {name for name in _folder_state(out) if name != "manifest.json"}
    assert {f["name"] for f in manifest["files"]} == on_disk  # every file, nothing else
    for item in manifest["files"]:
        assert item["name"].startswith(item["format"] + "/")
        assert hashlib.sha256((out / item["name"]).read_bytes()).hexdigest() == item["sha256"]
    assert manifest["formats"]["csv"]["encoding"] == "utf-8-sig"
    assert [s["name"] for s in manifest["formats"]["xlsx"]["sheets"]][:2] == [
        "報告書",
        "経費の内訳",
    ]


def test_re_exporting_one_format_leaves_the_others_byte_for_byte(
    warehouse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "exports"
    _export(warehouse, out, file_format="xlsx")
    _export(warehouse, out, file_format="parquet")
    before = {k: v for k, v in _folder_state(out).items() if not k.startswith("csv/")}
    before.pop("manifest.json")
    entries = json.loads((out / "manifest.json").read_text("utf-8"))["formats"]
    manifest = _export(warehouse, out, encoding="cp932", replace_unencodable=True)
    after = _folder_state(out)
    assert {k: after[k] for k in before} == before
    assert manifest["formats"]["xlsx"] == entries["xlsx"]
    assert manifest["formats"]["parquet"] == entries["parquet"]
    assert manifest["formats"]["csv"]["encoding"] == "cp932"


def test_an_export_of_the_flat_layout_is_kept_in_its_folder(
    warehouse: Path, tmp_path: Path
) -> None:
    """A folder exported before formats had folders (CSVs and a manifest side by side) is
    taken over: its files move into csv/ and stay listed when another format is written."""
    out = tmp_path / "exports"
    out.mkdir()
    (out / "reports.csv").write_bytes(b"\xef\xbb\xbfold")
    old = {
        "created_at": "2026-01-01T00:00:00+00:00",
        "format": "csv",
        "encoding": "utf-8-sig",
        "contacts_included": False,
        "run": None,
        "files": [{"name": "reports.csv", "rows": 0, "bytes": 6, "sha256": "x"}],
    }
    (out / "manifest.json").write_text(json.dumps(old), encoding="utf-8")
    manifest = _export(warehouse, out, file_format="xlsx")
    assert (out / "csv" / "reports.csv").read_bytes() == b"\xef\xbb\xbfold"
    assert not (out / "reports.csv").exists()
    assert [f["name"] for f in manifest["files"]] == [
        "csv/reports.csv",
        "xlsx/jokatsu_exports.xlsx",
    ]
    assert manifest["formats"]["csv"]["created_at"] == "2026-01-01T00:00:00+00:00"


# -- one schema in every format --------------------------------------------------------------
def test_codes_are_text_in_csv_parquet_and_xlsx(two_prefectures: Path, tmp_path: Path) -> None:
    """都道府県コード is 「04」 in every format (it was the number 4 in CSV and Parquet)."""
    from openpyxl import load_workbook

    out = tmp_path / "out"
    for file_format in ("csv", "parquet", "xlsx"):
        _export(two_prefectures, out, file_format=file_format)
    raw = (out / "csv" / "reports.csv").read_text(encoding="utf-8-sig")
    assert ',"04","宮城県",' in raw  # quoted: a spreadsheet told so keeps it text
    conn = duckdb.connect()
    path = out / "parquet" / "reports.parquet"
    assert conn.execute(f"select typeof(\"都道府県コード\") from '{path}' limit 1").fetchone() == (
        "VARCHAR",
    )
    codes = conn.execute(f"select \"都道府県コード\" from '{path}' order by 1").fetchall()
    assert codes == [("04",), ("35",)]
    book = load_workbook(out / "xlsx" / "jokatsu_exports.xlsx")
    seen = 0
    for sheet in book.worksheets[1:]:
        header = [c.value for c in sheet[1]]
        if "都道府県コード" not in header:
            continue
        column = header.index("都道府県コード") + 1
        cells = [sheet.cell(row, column) for row in range(2, sheet.max_row + 1)]
        assert all(c.data_type == "s" and len(str(c.value)) == 2 for c in cells), sheet.title
        seen += len(cells)
    assert seen > 50


def test_money_in_yen_shares_in_percent_the_same_in_every_format(
    two_prefectures: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "out"
    for file_format in ("csv", "parquet", "xlsx"):
        _export(two_prefectures, out, file_format=file_format)
    share = "交付金割合(B/A)（%）"
    rows = list(
        csv.DictReader(
            io.StringIO(
                (out / "csv" / "spending_by_prefecture_year.csv").read_text(encoding="utf-8-sig")
            )
        )
    )
    assert {r[share] for r in rows} == {"75.79"}
    assert {r["本交付金(B)（円）"] for r in rows} == {"757900"}
    path = out / "parquet" / "spending_by_prefecture_year.parquet"
    assert duckdb.connect().execute(f"select distinct \"{share}\" from '{path}'").fetchall() == [
        (75.79,)
    ]
    sheet = load_workbook(out / "xlsx" / "jokatsu_exports.xlsx")["都道府県別・年度別の事業費"]
    header = [str(c.value) for c in sheet[1]]
    cell = sheet.cell(2, header.index(share) + 1)
    assert cell.value == pytest.approx(0.7579) and cell.number_format == "0.00%"
    money = [h for h in header if h.endswith("（円）")]
    assert len(money) == 4
    for name in money:
        assert sheet.cell(2, header.index(name) + 1).number_format == "#,##0"
    for path in sorted((out / "csv").glob("*.csv")):
        header = _read_like_excel(path)[0]
        unnamed = [
            h for h in header if re.search("総事業費|本交付金|寄付金|自己資金|支払額|差額", h)
        ]
        assert [h for h in unnamed if not h.endswith(("（円）", "（円/人）"))] == [], path.name


def test_every_column_of_every_export_has_its_meaning_and_unit(
    warehouse: Path, tmp_path: Path
) -> None:
    """README.txt (CSV, Parquet) and the workbook's first sheet explain every column."""
    from openpyxl import load_workbook

    from warehouse.export import export_tables

    out = tmp_path / "out"
    for file_format in ("csv", "parquet", "xlsx"):
        _export(warehouse, out, include_contacts=True, file_format=file_format)
    readme = (out / "csv" / "README.txt").read_text(encoding="utf-8-sig")
    legend = load_workbook(out / "xlsx" / "jokatsu_exports.xlsx")["列の説明"]
    explained = {(r[0].value, r[1].value): r[3].value for r in legend.iter_rows(min_row=2)}
    for path in sorted((out / "csv").glob("*.csv")):
        assert f"[{path.name}]" in readme
        table = next(t for t in export_tables(True) if f"{t.name}.csv" == path.name)
        for header in _read_like_excel(path)[0]:
            assert f"  {header}: " in readme, (path.name, header)
            assert (table.title, header) in explained, (table.title, header)
            if header.endswith("（円）"):
                assert explained[(table.title, header)] == "円"
    assert "引用符で囲まれた項目を文字列として扱う" in readme  # how to open it in Calc
    assert "65001: Unicode (UTF-8)" in readme  # ... and in Excel
    assert "[reports.parquet]" in (out / "parquet" / "README.txt").read_text(encoding="utf-8-sig")


def test_headers_a_clerk_understands(warehouse: Path, tmp_path: Path) -> None:
    _export(warehouse, tmp_path / "out")
    headers = {h for p in (tmp_path / "out" / "csv").glob("*.csv") for h in _read_like_excel(p)[0]}
    assert not headers & {"該当語数", "ファイルSHA256", "記載単位", "対象"}
    assert {
        "報告書の金額単位",
        "取組を示す語の一致数",
        "元ファイル",
        "公募要領の取組例（番号）",
    } <= headers


def test_example_references_are_numbers(warehouse: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _export(warehouse, tmp_path / "out", file_format="xlsx")
    sheet = load_workbook(tmp_path / "out" / "xlsx" / "jokatsu_exports.xlsx")["経費の内訳"]
    header = [str(c.value) for c in sheet[1]]
    column = header.index("公募要領の取組例（番号）") + 1
    assert [sheet.cell(r, column).value for r in (2, 3)] == [5, 1]
    assert sheet.cell(2, column).data_type == "n"  # not a number stored as text


# -- a workbook that prints ------------------------------------------------------------------
def test_every_sheet_is_set_up_to_print(warehouse: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _export(warehouse, tmp_path / "out", file_format="xlsx")
    book = load_workbook(tmp_path / "out" / "xlsx" / "jokatsu_exports.xlsx")
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9, sheet.title  # A4
        fit = sheet.sheet_properties.pageSetUpPr
        assert fit is not None and fit.fitToPage, sheet.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.print_title_rows in ("1:1", "$1:$1"), sheet.title
        wrapped = [c for r in sheet.iter_rows(min_row=2) for c in r if c.data_type == "s"]
        assert all(c.alignment.wrap_text for c in wrapped), sheet.title


def _pages_by_sheet(pdf: Path) -> dict[str, list[str]]:
    """The text of each printed page, by the sheet name the page header prints."""
    import pdfplumber

    pages: dict[str, list[str]] = {}
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            text = page.extract_text() or ""
            assert (round(page.width), round(page.height)) == (842, 595)  # A4 landscape
            pages.setdefault(text.splitlines()[0], []).append(text)
    return pages


def test_the_workbook_printed_by_libreoffice(warehouse: Path, tmp_path: Path) -> None:
    """Printed through LibreOffice headless: A4 landscape pages, each sheet one page wide
    (every column on the first page), the header row on every page, no text cut at the
    page's edge (the longest message is printed whole, wrapped)."""
    from tests.corpus.print_office import LibreOfficeMissing, convert, soffice

    try:
        soffice()
    except LibreOfficeMissing:
        pytest.skip("LibreOffice (soffice) is not installed: make test installs it on Debian")
    import datetime as dt

    from extract import source_info
    from warehouse.publish import publishing_writer, write_lock

    long_reason = (
        "PDF が途中で切れているか壊れています。送り直してください。"
        "（これはデータ品質のシートで折り返して印刷されるべき、とても長い理由の文です。末尾）"
    )
    with write_lock(warehouse), publishing_writer(warehouse) as w:
        w.quarantine(source_info("bad.pdf", b"%PDF-"), long_reason, "test", dt.datetime(2026, 1, 1))
    out = tmp_path / "out"
    _export(warehouse, out, file_format="xlsx")
    pdf = convert(out / "xlsx" / "jokatsu_exports.xlsx", "pdf", tmp_path / "pdf", tmp_path / "p")
    pages = _pages_by_sheet(pdf)
    assert list(pages)[:3] == ["列の説明", "報告書", "経費の内訳"]
    # one page wide: the report's and its expense items' 17 and 20 columns on one page each
    # (without the print setup LibreOffice printed them three and four pages wide)
    assert (len(pages["報告書"]), len(pages["経費の内訳"])) == (1, 1)
    # the header row on every page of a sheet of several pages
    assert len(pages["支払額との照合"]) > 1
    for text in pages["支払額との照合"]:
        assert "照合結果" in text and "内閣府の支払額" in text  # header words, in no row
    # a long reason is printed whole, wrapped inside its column (it was cut at the page edge);
    # read from its column alone (the SHA-256 and corrections skeleton wrap beside it)
    quality = _column_text(pdf, "データ品質", "内容", "SHA-256").replace("\n", "").replace(" ", "")
    assert long_reason.replace(" ", "") in quality


def _column_text(pdf: Path, sheet: str, header: str, next_header: str) -> str:
    """The printed text of one column of a sheet: between its header's left edge and the
    next column header's."""
    import pdfplumber

    texts = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            if (page.extract_text() or "").splitlines()[:1] != [sheet]:
                continue
            words = page.extract_words()
            left = next(w["x0"] for w in words if w["text"] == header)
            right = next(w["x0"] for w in words if w["text"] == next_header)
            texts.append(page.crop((left - 2, 0, right - 2, page.height)).extract_text() or "")
    return "".join(texts)


def test_a_warehouse_with_views_of_another_version_is_refused_with_what_to_do(
    warehouse: Path, tmp_path: Path
) -> None:
    from warehouse.export import StaleViewsError
    from warehouse.report import build_report

    conn = duckdb.connect(str(warehouse))
    conn.execute("update warehouse_state set value = 'older' where key = 'definitions'")
    conn.close()
    with pytest.raises(StaleViewsError, match="run jokatsu ingest"):
        _export(warehouse, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    conn = duckdb.connect(str(warehouse), read_only=True)
    with pytest.raises(StaleViewsError):
        build_report(conn)
    conn.close()
