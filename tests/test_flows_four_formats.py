"""One report rendered in all four formats gives the same warehouse rows."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.ingest import ingest
from tests.corpus.generate import RENDERERS
from tests.corpus.model import Variant, make_report
from transform.prefectures import BY_CODE

pytestmark = pytest.mark.usefixtures("prefect_harness")
PROVENANCE = {"page", "bbox", "sheet", "cell", "table_index", "row_index", "line"}
# per file, not per content: the four files are revisions of one another, the last one current
PER_FILE = {"report_id", "source_sha256", "ingested_at", "is_current", "superseded_by"}


def _rows(conn: duckdb.DuckDBPyConnection, table: str, report_id: str) -> list[dict[str, Any]]:
    cursor = conn.execute(f"select * from {table} where report_id = ? order by all", [report_id])
    names = [d[0] for d in cursor.description or []]
    return [
        {n: v for n, v in zip(names, row, strict=True) if n not in PROVENANCE | PER_FILE}
        for row in cursor.fetchall()
    ]


@pytest.mark.parametrize("seed", [11, 12])
def test_the_same_report_in_four_formats_loads_the_same_rows(seed: int, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    variant = Variant(long_sections=True, contact_lines=True, fullwidth_digits=seed == 12)
    for fmt, render in RENDERERS.items():
        report = make_report(random.Random(seed), BY_CODE[22], 2021, fmt, variant, f"r.{fmt}")  # type: ignore[arg-type]
        (inbox / f"report.{fmt}").write_bytes(render(report))
    db = tmp_path / "w.duckdb"
    summary = ingest(paths=[inbox], db=db)
    assert len(summary.loaded) == 4 and summary.quarantined == []
    conn = duckdb.connect(str(db), read_only=True)
    ids = dict(
        conn.execute(
            "select f.format, r.report_id from reports r "
            "join source_files f on f.sha256 = r.source_sha256"
        ).fetchall()
    )
    for table in ("reports", "report_sections", "expense_items", "contacts"):
        by_format = {fmt: _rows(conn, table, ids[fmt]) for fmt in ("txt", "pdf", "xlsx", "docx")}
        assert by_format["txt"], table
        for fmt in ("pdf", "xlsx", "docx"):
            assert by_format[fmt] == by_format["txt"], f"{table}: {fmt} differs from txt"
    conn.close()
