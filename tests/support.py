"""Helpers shared by tests: run the pure pipeline and dump warehouse rows as JSON-ready data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb

from extract import source_info
from extract.model import Document, SourceInfo
from transform.corrections import Correction
from transform.pipeline import process_bytes
from transform.records import FileReports, NormalizedReport
from warehouse.publish import publishing_writer, write_lock

TABLES_BY_REPORT = ("reports", "report_sections", "expense_items", "contacts", "validation_issues")
VOLATILE = {"ingested_at", "first_seen_at", "last_seen_at", "pipeline_version"}


def pipeline(path: Path, name: str | None = None) -> NormalizedReport:
    """One file through the per-file pipeline of ``jokatsu ingest``
    (:func:`transform.pipeline.process_bytes`: reader, normalising, the personal-data gate,
    checks), without Prefect or the worker pool; its first form's report."""
    return pipeline_file(path, name).reports[0]


def pipeline_file(
    path: Path,
    name: str | None = None,
    today: dt.date | None = None,
    corrections: tuple[Correction, ...] = (),
) -> FileReports:
    """Every form of one file through the per-file pipeline of ``jokatsu ingest``, with the
    run's date and a clerk's corrections when given."""
    data = path.read_bytes()
    return process_bytes(data, source_info(name or path.name, data), today, corrections)


def load_texts(folder: Path, texts: dict[str, str]) -> Path:
    """Write report texts into a folder and load them all into ``folder/w.duckdb``."""
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = folder / "w.duckdb"
    load_into(db, *(pipeline(folder / name) for name in texts))
    return db


def load_into(db: Path, *reports: NormalizedReport) -> None:
    now = dt.datetime(2026, 1, 1)
    with write_lock(db), publishing_writer(db) as warehouse:
        for nr in reports:
            warehouse.load(nr, "test", now)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def dump_table(
    conn: duckdb.DuckDBPyConnection, table: str, where: str = ""
) -> list[dict[str, Any]]:
    """All rows of a table (volatile columns left out), ordered by every column."""
    cursor = conn.execute(f"select * from {table} {where} order by all")
    names = [d[0] for d in cursor.description or []]
    return [
        {n: _jsonable(v) for n, v in zip(names, row, strict=True) if n not in VOLATILE}
        for row in cursor.fetchall()
    ]


def dump_warehouse(db: Path, *, with_source_files: bool = True) -> dict[str, Any]:
    """Every table a report fills, as JSON-ready rows (the golden format)."""
    conn = duckdb.connect(str(db), read_only=True)
    try:
        out = {table: dump_table(conn, table) for table in TABLES_BY_REPORT}
        if with_source_files:
            out["source_files"] = dump_table(conn, "source_files")
        return out
    finally:
        conn.close()


def compare_golden(actual: Any, expected_path: Path, update: bool) -> None:
    text = json.dumps(actual, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if update or not expected_path.exists():
        expected_path.write_text(text, encoding="utf-8")
        if not update:
            raise AssertionError(f"{expected_path} did not exist; written, check it and commit")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert actual == expected, f"output differs from {expected_path} (--update-golden rewrites)"


# Readers that misbehave, for the guarded-read tests (run inside worker processes).
def slow_reader(data: bytes, source: SourceInfo) -> Document:
    import time

    time.sleep(3600)  # never returns within any limit a test sets
    raise AssertionError("slept an hour")


def greedy_reader(data: bytes, source: SourceInfo) -> Document:
    blocks = []
    for _ in range(64):
        blocks.append(bytearray(256 * 1024 * 1024))
    raise AssertionError("16 GB allocated under the memory limit")


def recursing_reader(data: bytes, source: SourceInfo) -> Document:
    def deeper(n: int) -> int:
        return deeper(n + 1) + 1

    deeper(0)
    raise AssertionError("recursed without end")


def crashing_reader(data: bytes, source: SourceInfo) -> Document:
    import os

    os._exit(3)


def minimal_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF of the given objects (numbered from 1) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def decompression_bomb_pdf(expanded_mb: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``expanded_mb`` MB of zeros."""
    import zlib

    packer = zlib.compressobj(9)
    chunk = b"\0" * (1024 * 1024)
    stream = b"".join(packer.compress(chunk) for _ in range(expanded_mb)) + packer.flush()
    return minimal_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
        ]
    )
