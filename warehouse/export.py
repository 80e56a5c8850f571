"""Ministry exports: one CSV (or Parquet file) per table, or one Excel workbook with a sheet
per table; Japanese headers, and a manifest.

CSVs are written through Python's csv module (DuckDB's COPY writes UTF-8 only): UTF-8 with a
BOM by default, so Excel opens them in Japanese, or CP932 for older systems. Text that would
start a formula in Excel (``= + - @``, tab, carriage return) is prefixed with ``'``; numbers
stay numbers. Report ids begin with a letter (「R-…」) so no spreadsheet reads one as a
number. The workbook (``--format xlsx``) has typed cells: ids and codes as text, money as
whole numbers shown with thousands separators, dates as dates; the header row frozen, filters
on, columns sized to their contents, text neutralised as in the CSVs. The contact table
(personal data) is written only when asked for.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import duckdb

from extract.text_utils import display_width
from jokatsu.errors import JokatsuError
from warehouse.db import sql_files

Encoding = Literal["utf-8-sig", "utf-8", "cp932"]
FileFormat = Literal["csv", "parquet", "xlsx"]
WORKBOOK = "jokatsu_exports.xlsx"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTACTS = "contacts"


class ExportEncodingError(JokatsuError):
    """A text cannot be written in the chosen encoding."""


@dataclass(frozen=True)
class ExportedFile:
    name: str
    rows: int
    bytes: int
    sha256: str


def neutralise(value: Any) -> Any:
    """Text Excel would run as a formula gets a leading ``'``; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return format(value, "f").rstrip("0").rstrip(".") if value % 1 else str(int(value))
    return str(neutralise(value))


def export_names(include_contacts: bool) -> list[tuple[str, str]]:
    """(export name, SQL) of every export, in order."""
    out = []
    for path in sql_files("exports"):
        name = path.name.removesuffix(".sql").split("_", 1)[1]
        if name == CONTACTS and not include_contacts:
            continue
        out.append((name, path.read_text(encoding="utf-8")))
    return out


def _check_encodable(text: str, encoding: Encoding, file: str, row: int, column: str) -> None:
    try:
        text.encode(encoding)
    except UnicodeEncodeError as exc:
        char = text[exc.start]
        raise ExportEncodingError(
            f"{file} row {row}, column {column}: 「{char}」 (U+{ord(char):04X}) cannot be written "
            f"in {encoding.upper()}; export with --encoding utf-8-sig, or add "
            "--replace-unencodable to write '?' in its place"
        ) from None


def _write_csv(
    path: Path,
    header: list[str],
    rows: list[tuple[Any, ...]],
    encoding: Encoding,
    replace: bool,
) -> None:
    errors = "replace" if replace else "strict"
    with open(path, "w", encoding=encoding, errors=errors, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        for number, row in enumerate(rows, start=2):
            cells = [_cell(v) for v in row]
            if not replace and encoding == "cp932":
                for column, text in zip(header, cells, strict=True):
                    _check_encodable(text, encoding, path.name, number, column)
            writer.writerow(cells)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export(
    conn: duckdb.DuckDBPyConnection,
    out: Path,
    *,
    encoding: Encoding = "utf-8-sig",
    replace_unencodable: bool = False,
    include_contacts: bool = False,
    file_format: FileFormat = "csv",
) -> dict[str, Any]:
    """Write every export into ``out`` and ``manifest.json``; returns the manifest.

    All or nothing: the files are written into a folder beside ``out`` first; only when
    every one is written are they moved in, the previous manifest taken away first and the
    new one written last (a folder without a manifest is an export being replaced). Files
    of the previous export that this one does not write (``contacts.csv`` of an earlier
    ``--include-contacts``) are removed. A failure leaves the previous export as it was.
    """
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        manifest = _write_all(
            conn, staging, encoding, replace_unencodable, include_contacts, file_format
        )
        _swap_in(staging, out, manifest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _write_all(
    conn: duckdb.DuckDBPyConnection,
    folder: Path,
    encoding: Encoding,
    replace_unencodable: bool,
    include_contacts: bool,
    file_format: FileFormat,
) -> dict[str, Any]:
    written: list[ExportedFile] = []
    sheets: list[tuple[str, int]] = []
    if file_format == "xlsx":
        path = folder / WORKBOOK
        sheets = write_workbook(conn, path, export_names(include_contacts))
        rows_in = sum(rows for _, rows in sheets)
        written.append(ExportedFile(path.name, rows_in, path.stat().st_size, _digest(path)))
    for name, sql in export_names(include_contacts) if file_format != "xlsx" else []:
        path = folder / f"{name}.{file_format}"
        if file_format == "parquet":
            conn.execute(f"copy ({sql}) to '{_quoted_path(path)}' (format parquet)")
            (rows,) = conn.execute(f"select count(*) from ({sql})").fetchone() or (0,)
        else:
            cursor = conn.execute(sql)
            header = [d[0] for d in cursor.description or []]
            data = cursor.fetchall()
            _write_csv(path, header, data, encoding, replace_unencodable)
            rows = len(data)
        written.append(ExportedFile(path.name, int(rows), path.stat().st_size, _digest(path)))
    run = conn.execute(
        "select run_id, finished_at, pipeline_version from runs order by finished_at desc limit 1"
    ).fetchone()
    return {
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **(
            {"sheets": [{"name": n, "rows": r} for n, r in sheets]} if file_format == "xlsx" else {}
        ),
        "format": file_format,
        "encoding": encoding if file_format == "csv" else None,
        "contacts_included": include_contacts,
        "run": {
            "run_id": run[0],
            # the warehouse keeps UTC without a zone; the manifest says which zone it is
            "finished_at": run[1].replace(tzinfo=dt.UTC).isoformat(timespec="seconds"),
            "pipeline_version": run[2],
        }
        if run
        else None,
        "files": [asdict(f) for f in written],
    }


def _quoted_path(path: Path) -> str:
    """A path inside a SQL string literal (a quote in a folder's name is doubled)."""
    return str(path).replace("'", "''")


def _swap_in(staging: Path, out: Path, manifest: dict[str, Any]) -> None:
    manifest_path = out / "manifest.json"
    previous: list[str] = []
    if manifest_path.exists():
        try:
            previous = [f["name"] for f in json.loads(manifest_path.read_text("utf-8"))["files"]]
        except (ValueError, KeyError, TypeError):
            previous = []
        manifest_path.unlink()
    names = [f["name"] for f in manifest["files"]]
    for name in names:
        os.replace(staging / name, out / name)
    for name in previous:
        if name not in names and "/" not in name and name != "manifest.json":
            (out / name).unlink(missing_ok=True)
    temporary = staging / "manifest.json"
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
    os.replace(temporary, manifest_path)


# -- the workbook ------------------------------------------------------------------------------
TEXT_COLUMNS = ("ID", "コード", "SHA256", "対象")  # identifiers and codes: text, as written
MONEY_COLUMNS = ("総事業費", "本交付金", "他の寄付金", "自己資金", "円")
MAX_WIDTH = 60


def sheet_title(sql: str, name: str) -> str:
    """A sheet's name: the export's Japanese title (the first words of its SQL comment)."""
    first = sql.lstrip().split("\n", 1)[0].removeprefix("--").strip()
    title = first.split(":", 1)[0].split("(", 1)[0].split(".", 1)[0].strip() or name
    for char in "[]:*?/\\":
        title = title.replace(char, "")
    return title[:31]


def _xlsx_value(value: Any, column: str) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return None
    if any(mark in column for mark in TEXT_COLUMNS):
        if isinstance(value, int) and "コード" in column:
            return f"{value:02d}"  # JIS codes are written with two digits: 「01」 北海道
        return ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", str(neutralise(value)))
    if isinstance(value, Decimal):
        return int(value) if value % 1 == 0 else float(value)
    return value


def write_workbook(
    conn: duckdb.DuckDBPyConnection, path: Path, exports: list[tuple[str, str]]
) -> list[tuple[str, int]]:
    """One sheet per export; the (sheet name, rows) written."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    written: list[tuple[str, int]] = []
    for name, sql in exports:
        sheet = book.create_sheet(sheet_title(sql, name))
        cursor = conn.execute(sql)
        header = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
        sheet.append(header)
        widths = [max(4, display_width(h)) for h in header]
        for row in rows:
            values = [_xlsx_value(v, c) for v, c in zip(row, header, strict=True)]
            sheet.append(values)
            for index, value in enumerate(values):
                if value is not None:
                    widths[index] = max(widths[index], display_width(str(value)))
        for index, column in enumerate(header, start=1):
            letter = get_column_letter(index)
            text = any(mark in column for mark in TEXT_COLUMNS)
            money = not text and any(mark in column for mark in MONEY_COLUMNS)
            for cell in sheet[letter][1:]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text is never a formula
                elif money and isinstance(cell.value, int):
                    cell.number_format = "#,##0"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
            sheet.column_dimensions[letter].width = min(MAX_WIDTH, widths[index - 1] + 2)
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        written.append((sheet.title, len(rows)))
    book.save(path)
    return written
