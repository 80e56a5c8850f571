"""Planning a run before Prefect starts (flows/prepare.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from flows.prepare import PIPELINE_VERSION, hash_files, prepare
from tests.conftest import REAL_REPORT, ROOT, SAMPLE
from warehouse.store import publishing_writer, write_lock


def test_files_hash_in_load_order_with_revisions_last(tmp_path: Path) -> None:
    for name, age in (("b.txt", 30), ("a_修正.txt", 20), ("c.txt", 10)):
        shutil.copy(REAL_REPORT, tmp_path / name)
        stamp = time.time() - age
        os.utime(tmp_path / name, (stamp, stamp))
    (tmp_path / "notes.json").write_text("{}")
    scan = hash_files([tmp_path])
    assert [Path(s.path).name for s in scan.sources] == ["b.txt", "c.txt", "a_修正.txt"]
    assert len({s.sha256 for s in scan.sources}) == 1
    assert scan.skipped == [tmp_path / "notes.json"]
    assert scan.refused == []


def test_a_new_warehouse_has_work_even_without_files(tmp_path: Path) -> None:
    prepared = prepare([tmp_path], tmp_path / "w.duckdb")
    assert prepared.pending_migrations and prepared.has_work  # the schema is to be made


def test_what_the_warehouse_knows_is_not_work(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(REAL_REPORT, inbox / "r.txt")
    db = tmp_path / "w.duckdb"
    prepared = prepare([inbox], db)
    assert [s.path for s in prepared.plan.to_read] == [str(inbox / "r.txt")]
    with write_lock(db), publishing_writer(db) as warehouse:
        warehouse.record_duplicates(
            [(prepared.plan.to_read[0], "elsewhere.txt")], PIPELINE_VERSION, _now()
        )
    again = prepare([inbox], db)
    assert not again.has_work
    assert again.summary().unchanged == [str(inbox / "r.txt")]


def test_settings_and_planning_need_neither_prefect_nor_the_format_libraries() -> None:
    probe = (
        "import sys, flows.cli, flows.prepare, flows.sandbox, flows.settings\n"
        "flows.settings.load_settings()\n"
        "heavy = {'prefect', 'pdfplumber', 'openpyxl', 'docx', 'pandas'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_the_sample_plans_every_report_file(tmp_path: Path) -> None:
    prepared = prepare([SAMPLE], tmp_path / "w.duckdb")
    files = [p for p in SAMPLE.iterdir() if p.is_file() and not p.name.startswith(".")]
    assert len(prepared.plan.to_read) + len(prepared.plan.duplicates) == len(
        [p for p in files if p.suffix != ".json"]
    )


def _now():  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime.now()


def test_paths_that_cannot_be_read_are_reported_and_not_planned(tmp_path: Path) -> None:
    shutil.copy(REAL_REPORT, tmp_path / "r.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "shadow.txt").symlink_to("/etc/shadow")
    prepared = prepare([tmp_path], tmp_path / "w.duckdb")
    assert [s.path for s in prepared.plan.to_read] == [str(tmp_path / "r.txt")]
    summary = prepared.summary()
    assert sorted(Path(p).name for p, _ in summary.not_read) == ["pipe.txt", "shadow.txt"]
    text = summary.to_text()
    assert "not read (tried again next run): 2" in text and "フォルダの外" in text
