"""Hostile inputs through the real flow beside the sample (issue #12).

One run gets the whole sample and every case of ``tests/hostile.py``: it must complete, the
sample must be published exactly as its truth files say, and each hostile input must end as
its case says (quarantined with its reason and no row loaded; not read and not recorded; or
loaded with the issues it must raise and exactly the values a person would read).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows.accuracy import load_truths, score, snapshot
from flows.summary import IngestSummary
from tests.conftest import HOSTILE_PREFIX, SAMPLE
from tests.hostile import (
    CASES,
    SCENARIOS,
    Case,
    Scenario,
    build_all,
    matches,
    remove_deep,
    run_scenario,
)

pytestmark = pytest.mark.slow  # one real run of ~100 files, a decompression bomb included


@pytest.fixture(scope="module")
def hostile_run(prefect_harness: None) -> Iterator[tuple[Path, dict[str, Path], IngestSummary]]:
    from flows.ingest import ingest

    # Outside pytest's temporary folders: its clean-up recurses once per level and would
    # fail on the 1,500-level chain if this run were killed before removing it.
    root = Path(tempfile.mkdtemp(prefix=f"{HOSTILE_PREFIX}{os.getpid()}-"))
    inbox = root / "inbox"
    built = build_all(inbox)
    extra = [path for _, paths in built.values() for path in paths]
    db = root / "w.duckdb"
    summary = ingest(
        paths=[SAMPLE, inbox, *extra],
        db=db,
        read_seconds=60,
        read_memory_mb=1024,
        workers=2,
    )
    try:
        yield db, {name: folder for name, (folder, _) in built.items()}, summary
    finally:
        remove_deep(inbox)
        remove_deep(root)


def test_the_sample_is_published_exactly(
    hostile_run: tuple[Path, dict[str, Path], IngestSummary],
) -> None:
    db, _, _ = hostile_run
    result = score(load_truths(SAMPLE), snapshot(db))
    assert result.mismatches == []
    assert set(result.formats) == {"pdf", "xlsx", "docx", "txt"}


def _rows(db: Path, folder: Path) -> list[tuple[str, str, str | None]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(
            "select sha256, status, reason from source_files where starts_with(path, ?)",
            [str(folder) + "/"],
        ).fetchall()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_hostile_input_ends_as_its_case_says(
    hostile_run: tuple[Path, dict[str, Path], IngestSummary], case: Case
) -> None:
    db, folders, summary = hostile_run
    folder = folders[case.name]
    rows = _rows(db, folder)
    if case.outcome == "not_read":
        assert rows == []  # nothing recorded: not a hash, not a size of /etc/shadow
        reasons = [r for p, r in summary.not_read if p.startswith(str(folder))]
        assert reasons and all(matches(case, r) for r in reasons), reasons
        return
    assert len(rows) == 1, rows  # named twice or not, one file is one row
    sha256, status, reason = rows[0]
    with duckdb.connect(str(db), read_only=True) as conn:
        reports = conn.execute(
            "select report_id from reports where source_sha256 = ?", [sha256]
        ).fetchall()
        if case.outcome == "quarantined":
            assert status == "quarantined" and matches(case, reason or ""), reason
            assert reports == []  # no row of it loaded
            return
        assert status == "loaded", reason
        ((report_id,),) = reports
        issues = set(
            conn.execute(
                "select rule, severity from validation_issues where report_id = ?", [report_id]
            ).fetchall()
        )
        assert case.rules <= issues, issues
        if case.check is not None:
            case.check(conn, report_id)


def test_the_summary_counts_every_hostile_file(
    hostile_run: tuple[Path, dict[str, Path], IngestSummary],
) -> None:
    _, folders, summary = hostile_run
    quarantined = {p for p, _ in summary.quarantined}
    for case in CASES:
        folder = str(folders[case.name]) + "/"
        if case.outcome == "quarantined":
            assert any(p.startswith(folder) for p in quarantined), case.name
        elif case.outcome == "loaded":
            assert any(p.startswith(folder) for p in summary.loaded), case.name


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_each_scenario_beyond_the_inbox_ends_as_it_says(scenario: Scenario, tmp_path: Path) -> None:
    """Issue #24's cases that are no inbox file: the analysts' connection, a stale WAL, a late
    original, the corrections folder, the lock file, a recursing reader."""
    detail, _ = run_scenario(scenario, tmp_path)
    assert detail
