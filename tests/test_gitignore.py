"""What jokatsu writes into a checkout stays out of git (issue 23: a clone's clerk's
corrections files showed up as files to commit)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

GENERATED = [
    "data/corrections/山口県_令和3年度.toml",  # a clerk's corrections file
    "data/warehouse.duckdb",
    "data/warehouse.duckdb.wal",
    "data/warehouse.duckdb.lock",
    "data/warehouse.duckdb.next",  # the copy a run writes before it is published
    "data/exports/csv/mart_data_quality.csv",
    "data/report.html",
    "data/prefect/prefect.db",
    ".prefect/prefect.db",
    "test-artifacts/prefect-ui/runs.png",
    ".sweep/11/form.pdf",
]


def _ignored(paths: list[str]) -> set[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (or no git): nothing to ignore")
    # --no-index: whether the rules ignore a path, tracked or not; only the repository's own
    # .gitignore counts (core.excludesFile and .git/info/exclude are this machine's)
    done = subprocess.run(
        ["git", "-c", "core.excludesFile=/dev/null", "check-ignore", "--no-index", "-z", "--stdin"],
        cwd=ROOT,
        input="\0".join(paths),
        capture_output=True,
        text=True,
        check=False,
    )
    return set(filter(None, done.stdout.split("\0")))


def test_generated_folders_are_ignored_by_git() -> None:
    assert set(GENERATED) - _ignored(GENERATED) == set()


def test_the_sample_and_the_code_are_not_ignored() -> None:
    kept = ["data/sample/good_report.txt", "warehouse/sql/migrations/0001_core_tables.sql"]
    assert _ignored(kept) == set()
