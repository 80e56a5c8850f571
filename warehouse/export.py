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
import shutil
import tempfile
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import duckdb

from jokatsu.errors import JokatsuError
from warehouse.db import sql_files

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
    file_format: Literal["csv", "parquet"] = "csv",
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
    file_format: Literal["csv", "parquet"],
) -> dict[str, Any]:
    written: list[ExportedFile] = []
    for name, sql in export_names(include_contacts):
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
