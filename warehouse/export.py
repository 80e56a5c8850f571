"""Ministry exports: the same tables as CSV files, Parquet files or one Excel workbook, each
format in its own folder of one export folder, with one manifest for all of them.

Layout of ``data/exports`` (the ``--out`` folder)::

    manifest.json              every file of every format: rows, bytes, SHA-256; per format
                               when it was written, from which run, with which options
    csv/                       one CSV per table and README.txt (each column's meaning, unit)
    parquet/                   one Parquet file per table and README.txt
    xlsx/jokatsu_exports.xlsx  a sheet per table and a first sheet 「列の説明」

Exporting one format replaces that format's folder whole and leaves the others: the files
are written into a folder beside ``out`` first; only when every one is written is the format
taken out of the manifest, its folder swapped for the new one and the manifest written with
it again. A failure leaves the previous export as it was.

**One schema in every format**, from the export's SQL (``sql/exports/*.sql``): the query's
column types decide each cell (text, whole number, date, decimal), the header says the unit
(「（円）」 money in whole yen, 「（%）」 a percentage, 「（円/人）」 yen per person), and each
select line's comment (``-- meaning | unit``) is the legend the README and the workbook's
first sheet print. Codes are text everywhere (「04」 宮城県). CSVs are UTF-8 with a BOM by
default (Excel reads them as Japanese) or CP932; text is quoted, numbers and dates are not
(so a spreadsheet told to read quoted fields as text keeps 「04」); text that would start a
formula (``= + - @``, tab, carriage return) gets a leading ``'``. Report ids begin with a
letter (「R-…」) so no spreadsheet reads one as a number. The contact table (personal data)
is written only when asked for.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import duckdb

from extract.errors import JokatsuError
from extract.text import shown
from warehouse.db import sql_files

Encoding = Literal["utf-8-sig", "utf-8", "cp932"]
FileFormat = Literal["csv", "parquet", "xlsx"]
FORMATS: tuple[FileFormat, ...] = ("csv", "parquet", "xlsx")
Kind = Literal["text", "integer", "money", "percent", "decimal", "date", "timestamp", "boolean"]
WORKBOOK = "jokatsu_exports.xlsx"
README = "README.txt"
MANIFEST = "manifest.json"
MANIFEST_VERSION = 2
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTACTS = "contacts"
MONEY_MARK, PERCENT_MARK = "（円）", "（%）"
# LibreOffice Calc's CSV import for these files: separator «,», text delimiter «"», the
# character set (76 UTF-8, 64 Shift_JIS), from line 1, language Japanese, quoted fields as
# text (so 「04」 stays text). The same choices by hand are in README.txt and docs/warehouse.md.
CALC_CSV_FILTER = {
    "utf-8-sig": "CSV:44,34,76,1,,1041,true",
    "utf-8": "CSV:44,34,76,1,,1041,true",
    "cp932": "CSV:44,34,64,1,,1041,true",
}
INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT")
DECIMAL_TYPES = ("DOUBLE", "FLOAT", "DECIMAL", "REAL")


class ExportEncodingError(JokatsuError):
    """A text cannot be written in the chosen encoding."""


class ExportSchemaError(JokatsuError):
    """An export's SQL does not say what one of its columns means, or types it against its
    header (money that is not whole yen)."""


# -- the schema: what each export's SQL says ---------------------------------------------------
@dataclass(frozen=True)
class Legend:
    """One column's meaning and unit, as the select line's comment writes them."""

    meaning: str
    unit: str


@dataclass(frozen=True)
class ExportTable:
    """One export: its file name, its Japanese title and description, its query and the
    legend of its columns (by header)."""

    name: str
    title: str
    description: str
    sql: str
    legend: dict[str, Legend]


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind
    legend: Legend


LEGEND_LINE = re.compile(
    r'\bas\s+"(?P<header>[^"]+)"\s*,?\s*--\s*(?P<meaning>.+?)\s*\|\s*(?P<unit>.+?)\s*$'
)


def parse_export(name: str, sql: str) -> ExportTable:
    """An export's title (the first comment's words before «:»), description (the rest of
    the leading comment) and legend (``as "header", -- meaning | unit`` on a select line)."""
    leading = []
    for line in sql.lstrip().splitlines():
        if not line.startswith("--"):
            break
        leading.append(line.removeprefix("--").strip())
    head = " ".join(leading)
    title, _, description = head.partition(":")
    legend = {}
    for line in sql.splitlines():
        match = LEGEND_LINE.search(line)
        if match:
            legend[match["header"]] = Legend(match["meaning"], match["unit"])
    return ExportTable(name, sheet_safe(title.strip()) or name, description.strip(), sql, legend)


def sheet_safe(title: str) -> str:
    """A title Excel accepts as a sheet name (no []:*?/\\, at most 31 characters)."""
    for char in "[]:*?/\\":
        title = title.replace(char, "")
    return title[:31]


def export_tables(include_contacts: bool) -> list[ExportTable]:
    """Every export, in order (the contact table only when asked for)."""
    out = []
    for path in sql_files("exports"):
        name = path.name.removesuffix(".sql").split("_", 1)[1]
        if name == CONTACTS and not include_contacts:
            continue
        out.append(parse_export(name, path.read_text(encoding="utf-8")))
    return out


def export_names(include_contacts: bool) -> list[tuple[str, str]]:
    """(export name, SQL) of every export, in order."""
    return [(t.name, t.sql) for t in export_tables(include_contacts)]


def column_kind(header: str, duckdb_type: str) -> Kind:
    """What a column is, from its DuckDB type and the unit its header names."""
    base = duckdb_type.split("(", 1)[0].upper()
    if base in INTEGER_TYPES:
        return "money" if header.endswith(MONEY_MARK) else "integer"
    if header.endswith(MONEY_MARK):
        raise ExportSchemaError(f"「{header}」 is money but {duckdb_type}, not whole yen")
    if base in DECIMAL_TYPES:
        return "percent" if header.endswith(PERCENT_MARK) else "decimal"
    if base == "DATE":
        return "date"
    if base.startswith("TIMESTAMP"):
        return "timestamp"
    if base == "BOOLEAN":
        return "boolean"
    return "text"


def columns_of(table: ExportTable, cursor: duckdb.DuckDBPyConnection) -> list[Column]:
    """The columns a query returns, each with its kind and legend."""
    columns = []
    for description in cursor.description or []:
        header, kind = description[0], column_kind(description[0], str(description[1]))
        if header not in table.legend:
            raise ExportSchemaError(
                f"exports/{table.name}: column 「{header}」 has no '-- meaning | unit' comment"
            )
        columns.append(Column(header, kind, table.legend[header]))
    return columns


class StaleViewsError(JokatsuError):
    """The warehouse's views were made by another version of jokatsu."""


def require_current_definitions(conn: duckdb.DuckDBPyConnection) -> None:
    """Refuse a warehouse whose views and seeds are not this code's (a run refreshes them)."""
    from warehouse.migrations import definitions_stale

    if definitions_stale(conn):
        raise StaleViewsError(
            "the warehouse's views were made by another version of jokatsu: run jokatsu ingest "
            "(it refreshes them even when no file is new), then try again"
        )


def register_functions(conn: duckdb.DuckDBPyConnection) -> None:
    """The functions the exports' SQL calls beyond DuckDB's own, on this connection (a fresh
    cursor each export, so registered once on it):
    ``corrections_skeleton(sha256, form)``, the corrections file ready to fill in
    (:func:`transform.corrections.corrections_skeleton`, the one template the summary, the
    artifact and the report use too)."""
    from transform.corrections import corrections_skeleton

    conn.create_function(
        "corrections_skeleton",
        corrections_skeleton,
        ["VARCHAR", "INTEGER"],
        "VARCHAR",  # NULL in, NULL out (DuckDB's default for a function)
    )


# -- cells -------------------------------------------------------------------------------------
# Columns of file names (as they were given to ingest): shown with their control characters
# and line breaks escaped (extract.text.shown), as on the terminal and in the log.
NAME_HEADERS = frozenset({"元ファイル", "ファイル"})


def shown_names(columns: list[Column], row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row with its file names shown escaped; other values unchanged."""
    return tuple(
        shown(v) if isinstance(v, str) and c.header in NAME_HEADERS else v
        for v, c in zip(row, columns, strict=True)
    )


def neutralise(value: Any) -> Any:
    """Text Excel would run as a formula gets a leading ``'``; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _number(value: float | Decimal | int) -> str:
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(str(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def csv_cell(value: Any, kind: Kind) -> str:
    """One cell of a CSV line: text quoted (a spreadsheet can then keep it text), numbers and
    dates bare, NULL empty."""
    if value is None:
        return ""
    if kind == "boolean":
        return "TRUE" if value else "FALSE"
    if kind in ("date", "timestamp"):
        return str(value.isoformat())
    if kind in ("integer", "money"):
        return str(int(value))
    if kind in ("percent", "decimal"):
        return _number(value)
    text = str(neutralise(str(value)))
    return '"' + text.replace('"', '""') + '"'


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


def write_csv(
    path: Path,
    columns: list[Column],
    rows: list[tuple[Any, ...]],
    encoding: Encoding,
    replace: bool,
) -> None:
    errors = "replace" if replace else "strict"
    check = encoding == "cp932" and not replace
    with open(path, "w", encoding=encoding, errors=errors, newline="") as handle:
        handle.write(",".join(csv_cell(c.header, "text") for c in columns) + "\r\n")
        for number, row in enumerate(rows, start=2):
            shown_row = shown_names(columns, row)
            cells = [csv_cell(v, c.kind) for v, c in zip(shown_row, columns, strict=True)]
            if check:
                for column, text in zip(columns, cells, strict=True):
                    _check_encodable(text, encoding, path.name, number, column.header)
            handle.write(",".join(cells) + "\r\n")


# -- the legend, as text -----------------------------------------------------------------------
GENERAL_NOTES = (
    ("空欄", "公表されていない・報告書がない・記載がないこと。0（ゼロ）とは違います。", ""),
    (
        "金額",
        "見出しに「（円）」とある列は円単位の整数。千円で書かれた報告書も円に換算済みです。",
        "円",
    ),
    ("割合", "見出しに「（%）」とある列はパーセント（75.79 は 75.79%）。", "%"),
    ("都道府県コード", "01～47 の2桁の文字列（数値ではありません）。", "文字列"),
    ("年度", "西暦で、その年の4月から翌年3月まで（2021 は令和3年度）。", "年度（西暦）"),
)


def legend_rows(
    tables: list[ExportTable], files: dict[str, str]
) -> list[tuple[str, str, str, str]]:
    """(where, column, meaning, unit) for every column of every export, after the notes that
    hold for all; ``files`` names each export's file or sheet."""
    rows = [("すべて", *note) for note in GENERAL_NOTES]
    for table in tables:
        where = files[table.name]
        rows.append((where, "（この表）", f"{table.title}: {table.description}", ""))
        rows += [(where, header, lg.meaning, lg.unit) for header, lg in table.legend.items()]
    return rows


def readme_text(
    tables: list[ExportTable], file_format: FileFormat, encoding: Encoding | None, made: str
) -> str:
    """README.txt of a CSV or Parquet folder: what is there, how to open it, every column."""
    suffix = f".{file_format}"
    out = io.StringIO()
    out.write("地域女性活躍推進交付金 実績報告 集計データ\n")
    out.write(f"形式: {file_format.upper()}")
    if encoding:
        out.write(
            "（文字コード: " + ("CP932（Shift_JIS）" if encoding == "cp932" else "UTF-8") + "）"
        )
    out.write(f"　作成: {made}\n\n")
    out.write("■ このフォルダのファイル\n")
    for table in tables:
        out.write(f"  {table.name}{suffix}　{table.title}: {table.description}\n")
    out.write("\n■ 開き方\n")
    if file_format == "csv":
        charset = "日本語 (Shift-JIS)" if encoding == "cp932" else "Unicode (UTF-8)"
        origin = "932: 日本語 (シフト JIS)" if encoding == "cp932" else "65001: Unicode (UTF-8)"
        out.write(
            "  Excel: 「データ」→「テキストまたは CSV から」でファイルを選び、元のファイルを"
            f"「{origin}」、区切り記号を「コンマ」にして「データの変換」を押し、"
            "「都道府県コード」と「報告書ID」の列の型を「テキスト」にして読み込みます。"
            "（ダブルクリックで開くと、都道府県コードの 04 が 4 になります。"
            "xlsx フォルダのブックはそのまま開けます。）\n"
            "  LibreOffice Calc: 「ファイル」→「開く」でファイルを選び、「テキストのインポート」で"
            f"文字コードを「{charset}」、言語を「日本語」、区切りを「コンマ」、文字列の区切りを"
            '「"」にして、「引用符で囲まれた項目を文字列として扱う」に印を付けます。\n'
        )
    else:
        out.write(
            "  DuckDB: select * from 'reports.parquet'; pandas: pandas.read_parquet(...)。"
            "列名は下の見出しのとおり、文字列は VARCHAR、金額は BIGINT（円）です。\n"
        )
    out.write("\n■ 列の説明（内容｜単位）\n")
    files = {t.name: t.name + suffix for t in tables}
    current = None
    for where, column, meaning, unit in legend_rows(tables, files):
        if where != current:
            out.write(f"\n[{where}]\n")
            current = where
        out.write(f"  {column}: {meaning}" + (f"｜{unit}" if unit else "") + "\n")
    return out.getvalue()


# -- writing one format ------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportedFile:
    name: str  # path inside the export folder: csv/reports.csv
    format: FileFormat
    rows: int | None  # data rows (None for README.txt)
    bytes: int
    sha256: str


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file(folder: Path, name: str, file_format: FileFormat, rows: int | None) -> ExportedFile:
    path = folder / name
    return ExportedFile(
        f"{file_format}/{name}", file_format, rows, path.stat().st_size, _digest(path)
    )


def _quoted_path(path: Path) -> str:
    """A path inside a SQL string literal (a quote in a folder's name is doubled)."""
    return str(path).replace("'", "''")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _write_format(
    conn: duckdb.DuckDBPyConnection,
    folder: Path,
    file_format: FileFormat,
    encoding: Encoding,
    replace_unencodable: bool,
    include_contacts: bool,
    created_at: str,
) -> tuple[list[ExportedFile], dict[str, Any]]:
    """Every file of one format into ``folder``; the files and the format's manifest entry."""
    from warehouse.workbook import write_workbook

    tables = export_tables(include_contacts)
    written: list[ExportedFile] = []
    extra: dict[str, Any] = {}
    if file_format == "xlsx":
        sheets = write_workbook(conn, folder / WORKBOOK, tables)
        written.append(_file(folder, WORKBOOK, "xlsx", sum(rows for _, rows in sheets)))
        extra["sheets"] = [{"name": n, "rows": r} for n, r in sheets]
    else:
        for table in tables:
            name = f"{table.name}.{file_format}"
            if file_format == "parquet":
                # every column has its legend and a kind its header allows, in every format
                columns_of(table, conn.execute(f"select * from ({table.sql}\n) limit 0"))
                target = _quoted_path(folder / name)
                conn.execute(f"copy ({table.sql}\n) to '{target}' (format parquet)")
                (rows,) = conn.execute(f"select count(*) from ({table.sql}\n)").fetchone() or (0,)
            else:
                columns = columns_of(table, conn.execute(table.sql))
                data = conn.fetchall()
                write_csv(folder / name, columns, data, encoding, replace_unencodable)
                rows = len(data)
            written.append(_file(folder, name, file_format, int(rows)))
        readme = readme_text(
            tables, file_format, encoding if file_format == "csv" else None, created_at
        )
        (folder / README).write_text(readme, encoding="utf-8-sig", newline="\r\n")
        written.append(_file(folder, README, file_format, None))
    run = conn.execute(
        "select run_id, finished_at, pipeline_version from runs order by finished_at desc limit 1"
    ).fetchone()
    entry = {
        "folder": file_format,
        "created_at": created_at,
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
        **extra,
    }
    return written, entry


def export(
    conn: duckdb.DuckDBPyConnection,
    out: Path,
    *,
    encoding: Encoding = "utf-8-sig",
    replace_unencodable: bool = False,
    include_contacts: bool = False,
    file_format: FileFormat = "csv",
) -> dict[str, Any]:
    """Write one format's files into ``out/<format>/`` and list them in ``out/manifest.json``
    beside the other formats' files; returns the manifest.

    All or nothing, per format: the files are written into a folder beside ``out`` first;
    only when every one is written does the format leave the manifest, its folder get
    swapped for the new one and the manifest list it again (a format the manifest does not
    list is being replaced). Files of the previous export of this format that this one does
    not write (``contacts.csv`` of an earlier ``--include-contacts``) go with its folder.
    The other formats' folders and manifest entries are left as they are.
    """
    # A cursor of its own, closed when done: the caller's connection may hold a result not
    # yet fetched, and DuckDB registers no function on a connection with an open result.
    with conn.cursor() as own:
        register_functions(own)
        require_current_definitions(own)
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(
                prefix=f".{out.name}.{file_format}.", suffix=".partial", dir=out.parent
            )
        )
        try:
            created_at = _now()
            files, entry = _write_format(
                own,
                staging,
                file_format,
                encoding,
                replace_unencodable,
                include_contacts,
                created_at,
            )
            return _swap_in(staging, out, file_format, files, entry)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


# -- the export folder and its manifest --------------------------------------------------------
@contextlib.contextmanager
def _folder_lock(out: Path) -> Iterator[None]:
    """One export at a time changes a folder's formats and manifest (flock on the folder)."""
    handle = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)


def _empty_manifest() -> dict[str, Any]:
    return {"manifest_version": MANIFEST_VERSION, "updated_at": None, "formats": {}, "files": []}


def read_manifest(out: Path) -> dict[str, Any]:
    """The folder's manifest (an empty one when there is none or it is unreadable)."""
    try:
        manifest: dict[str, Any] = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _empty_manifest()
    if not isinstance(manifest, dict):
        return _empty_manifest()
    if manifest.get("manifest_version") != MANIFEST_VERSION:
        return _adopt_flat_export(out, manifest)
    return manifest


def _adopt_flat_export(out: Path, old: dict[str, Any]) -> dict[str, Any]:
    """An export of the layout before formats had folders (``out/*.csv`` or the workbook,
    listed by a manifest without a version) moved into its format's folder, so the next
    export of another format leaves it, as it leaves every format."""
    manifest = _empty_manifest()
    file_format = old.get("format", "csv")
    files = old.get("files")
    if file_format not in FORMATS or not isinstance(files, list):
        return manifest
    folder = out / file_format
    if folder.exists():
        return manifest
    folder.mkdir()
    adopted = []
    for item in files:
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or "/" in name or not (out / name).is_file():
            continue
        os.replace(out / name, folder / name)
        adopted.append({**item, "name": f"{file_format}/{name}", "format": file_format})
    manifest["formats"][file_format] = {
        "folder": file_format,
        "created_at": old.get("created_at"),
        "encoding": old.get("encoding"),
        "contacts_included": old.get("contacts_included"),
        "run": old.get("run"),
        **({"sheets": old["sheets"]} if "sheets" in old else {}),
    }
    manifest["files"] = adopted
    _write_manifest(out, manifest)
    return manifest


def _write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    manifest["updated_at"] = _now()
    temporary = out / f".{MANIFEST}.{uuid.uuid4().hex}.tmp"
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
    os.replace(temporary, out / MANIFEST)


def _swap_in(
    staging: Path,
    out: Path,
    file_format: FileFormat,
    files: list[ExportedFile],
    entry: dict[str, Any],
) -> dict[str, Any]:
    with _folder_lock(out):
        manifest = read_manifest(out)
        manifest["formats"].pop(file_format, None)
        manifest["files"] = [f for f in manifest["files"] if f.get("format") != file_format]
        _write_manifest(out, manifest)  # the format is being replaced: not listed
        target = out / file_format
        retired = out / f".{file_format}.{uuid.uuid4().hex}.old"
        if target.exists():
            os.rename(target, retired)
        os.rename(staging, target)
        manifest["formats"][file_format] = entry
        manifest["formats"] = {
            f: manifest["formats"][f] for f in FORMATS if f in manifest["formats"]
        }
        manifest["files"] += [asdict(f) for f in files]
        manifest["files"].sort(key=lambda f: (FORMATS.index(f["format"]), f["name"]))
        _write_manifest(out, manifest)
    shutil.rmtree(retired, ignore_errors=True)
    return manifest
