"""A file has one identity (issue 23, problem 2): a warehouse in which the old rule recorded
the same files twice — as given by `make sample` (relative) and again by the scheduled run
(absolute) — is merged in place by migration 0020."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from extract import source_info
from tests.conftest import REAL_REPORT
from tests.support import pipeline
from warehouse.publish import publishing_writer, write_lock

FIRST, NIGHT = datetime(2026, 12, 1, 9), datetime(2026, 12, 2, 2)


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _recorded_twice(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The warehouse the old rule left: `make sample` from the checkout, then one night."""
    inbox = tmp_path / "data" / "sample"
    inbox.mkdir(parents=True)
    report, copy, bad = inbox / "report.txt", inbox / "copy_of_report.txt", inbox / "bad.pdf"
    report.write_bytes(REAL_REPORT.read_bytes())
    copy.write_bytes(REAL_REPORT.read_bytes())
    bad.write_bytes(b"not a pdf")
    rel = {p.name: str(p.relative_to(tmp_path)) for p in (report, copy, bad)}
    db = tmp_path / "w.duckdb"
    with write_lock(db), publishing_writer(db) as warehouse:
        warehouse.load(pipeline(report, rel["report.txt"]), "v1", FIRST)
        bad_source = source_info(rel["bad.pdf"], bad.read_bytes())
        warehouse.quarantine(bad_source, "PDF ではありません。", "v1", FIRST)
        conn = warehouse.conn
        sha = pipeline(report).source.sha256
        row = "insert into source_files by name select ? as sha256, ? as path, ? as size_bytes, "
        row += "'txt' as format, ? as status, ? as reason, ? as first_seen_at, "
        row += "? as last_seen_at, 'v1' as pipeline_version, ? as reason_code"
        size = report.stat().st_size
        # make sample: the copy is a duplicate of the report (rightly)
        same = f"{rel['report.txt']} と同じ内容です"
        conn.execute(
            row,
            [sha, rel["copy_of_report.txt"], size, "duplicate", same, FIRST, FIRST, "duplicate"],
        )
        # the night, handed absolute paths: every file again, the report a duplicate of itself
        conn.execute(row, [sha, str(report), size, "duplicate", same, NIGHT, NIGHT, "duplicate"])
        conn.execute(row, [sha, str(copy), size, "duplicate", same, NIGHT, NIGHT, "duplicate"])
        conn.execute(
            "insert into source_files by name select sha256, ? as path, size_bytes, format, "
            "status, reason, first_seen_at, ? as last_seen_at, pipeline_version, reason_code "
            "from source_files where path = ?",
            [str(bad), NIGHT, rel["bad.pdf"]],
        )
        conn.execute("delete from schema_migrations where version = 20")
    return db, {name: str(tmp_path / path) for name, path in rel.items()}


def test_files_recorded_twice_under_relative_and_absolute_paths_are_merged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db, absolute = _recorded_twice(tmp_path)
    assert _rows(db, "select count(*) from source_files") == [(6,)]
    with write_lock(db), publishing_writer(db) as warehouse:
        assert warehouse.data_check_failures() == {}
    rows = _rows(
        db,
        "select path, status, reason, first_seen_at, last_seen_at from source_files order by path",
    )
    report, copy, bad = absolute["report.txt"], absolute["copy_of_report.txt"], absolute["bad.pdf"]
    assert rows == [
        (bad, "quarantined", "PDF ではありません。", FIRST, NIGHT),
        (copy, "duplicate", f"{report} と同じ内容です", FIRST, NIGHT),
        (report, "loaded", None, FIRST, NIGHT),
    ]
    quality = _rows(db, "select status, count(*) from mart_data_quality group by all order by 1")
    assert quality == [("duplicate", 1), ("loaded", 1), ("quarantined", 1)]


def test_a_path_recorded_only_relative_is_resolved_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the absolute twin, the run that migrates (from the checkout, as jokatsu is
    run) resolves it; a link in the way is followed, as discovery follows it."""
    checkout = tmp_path / "checkout"
    (checkout / "data").mkdir(parents=True)
    (tmp_path / "inbox").mkdir()
    (checkout / "data" / "sample").symlink_to(tmp_path / "inbox")
    monkeypatch.chdir(checkout)
    db = checkout / "w.duckdb"
    with write_lock(db), publishing_writer(db) as warehouse:
        warehouse.load(pipeline(REAL_REPORT, "data/sample/report.txt"), "v1", FIRST)
        warehouse.conn.execute("delete from schema_migrations where version = 20")
    with write_lock(db), publishing_writer(db) as warehouse:
        assert warehouse.data_check_failures() == {}
    assert _rows(db, "select path from source_files") == [(str(tmp_path / "inbox" / "report.txt"),)]
