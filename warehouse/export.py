"""Ministry exports: one CSV (or Parquet file) per table, Japanese headers, and a manifest.

CSVs are written through Python's csv module (DuckDB's COPY writes UTF-8 only): UTF-8 with a
BOM by default, so Excel opens them in Japanese, or CP932 for older systems. Text that would
start a formula in Excel (``= + - @``, tab, carriage return) is prefixed with ``'``; numbers
stay numbers. The contact table (personal data) is written only when asked for.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import duckdb

from extract.errors import JokatsuError
from warehouse.store import sql_files

Encoding = Literal["utf-8-sig", "utf-8", "cp932"]
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
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding=encoding, errors=errors, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        for number, row in enumerate(rows, start=2):
            cells = [_cell(v) for v in row]
            if not replace and encoding == "cp932":
                for column, text in zip(header, cells, strict=True):
                    _check_encodable(text, encoding, path.name, number, column)
            writer.writerow(cells)
    os.replace(temporary, path)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export(
    conn: duckdb.DuckDBPyConnection,
    out: Path,
    *,
    encoding: Encoding = "utf-8-sig",
    replace_unencodable: bool = False,
    include_contacts: bool = False,
    file_format: Literal["csv", "parquet"] = "csv",
) -> dict[str, Any]:
    """Write every export into ``out`` and ``manifest.json``; returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[ExportedFile] = []
    for name, sql in export_names(include_contacts):
        path = out / f"{name}.{file_format}"
        if file_format == "parquet":
            conn.execute(f"copy ({sql}) to '{path}' (format parquet)")
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
    manifest = {
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "format": file_format,
        "encoding": encoding if file_format == "csv" else None,
        "contacts_included": include_contacts,
        "run": {
            "run_id": run[0],
            "finished_at": run[1].isoformat(),
            "pipeline_version": run[2],
        }
        if run
        else None,
        "files": [asdict(f) for f in written],
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return manifest
