"""Zip bundles in an inbox, end to end: each report file of the bundle (in folders, in a
bundle inside it, named in CP932) is read and loaded as a file of its own, exactly as the
sample's own file, with its place in the bundle; the covering letter beside it gets a row
with its reason; a refused member is reported with its reason."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.accuracy import score, snapshot
from flows.ingest import ingest
from tests.corpus.bundles import BUNDLES, SAMPLE

pytestmark = pytest.mark.usefixtures("prefect_harness")
ATTACHMENTS = BUNDLES / "attachments_cp932.zip"


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_every_report_in_a_bundle_loads_exactly_with_its_place_in_the_bundle(
    tmp_path: Path,
) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    shutil.copy(ATTACHMENTS, inbox / "添付ファイル.zip")
    reports: dict[str, str] = json.loads(ATTACHMENTS.with_suffix(".json").read_text("utf-8"))
    summary = ingest(paths=[inbox], db=db)
    bundle = str(inbox / "添付ファイル.zip")
    assert sorted(summary.loaded) == sorted(f"{bundle}/{member}" for member in reports)
    truths = []
    for member, file in reports.items():
        truth = json.loads((SAMPLE / "truth" / f"{file}.json").read_text("utf-8"))
        truths.append({**truth, "file": Path(member).name})
    result = score(truths, snapshot(db))
    assert result.mismatches == []
    assert sum(s.fields for s in result.formats.values()) > 200
    held = _rows(db, "select member_path, bundle_path from bundle_members order by 1")
    assert {m for m, _ in held} >= set(reports)
    assert {b for _, b in held} == {bundle}
    # the covering letter is a file of the bundle too: a row, with a reason a clerk reads
    ((status, reason),) = _rows(
        db, f"select status, reason from source_files where path = '{bundle}/送付状.txt'"
    )
    assert status == "quarantined" and "実績報告書の様式ではありません" in str(reason)
    assert f"{bundle}/令和3年度実績報告/メモ.json" in summary.skipped
    again = ingest(paths=[inbox], db=db)
    assert again.loaded == [] and len(again.unchanged) == len(reports)


def test_the_summary_lists_the_files_that_are_not_reports_by_type() -> None:
    from flows.summary import IngestSummary

    summary = IngestSummary(skipped=["in/a.json", "in/b.JSON", "in/zip.zip/メモ.json", "in/README"])
    assert "4 files that are not reports: (none) 1, .json 3" in summary.to_text()
    (row,) = [line for line in summary.markdown().splitlines() if "対象外の種類" in line]
    assert ".json 3" in row and row.endswith("| 4 |")
