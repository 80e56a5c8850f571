"""Crash safety and concurrency of real ``jokatsu ingest`` processes.

Each run is a subprocess pointed at the session's Prefect test server. A run is stopped at
a known point (the ``pause_point`` test hook) and killed with SIGKILL, process group and
all; the next run must leave exactly the rows a clean run leaves.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import SAMPLE
from tests.support import dump_warehouse

pytestmark = pytest.mark.usefixtures("prefect_harness")
FILES = [
    "000_b75168460d201e43.txt",
    "01_hokkaido_fy2019.pdf",
    "03_iwate_fy2021.xlsx",
    "05_akita_fy2023.docx",
    "06_yamagata_fy2019.txt",
    "bad_truncated.pdf",
]


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in FILES:
        shutil.copy(SAMPLE / name, inbox / name)
    return inbox


def _env(pause: str | None = None, marker: Path | None = None) -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    if pause and marker:
        env |= {"JOKATSU_TEST_PAUSE": pause, "JOKATSU_TEST_PAUSE_FILE": str(marker)}
    return env


def _run(inbox: Path, db: Path, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", "ingest", str(inbox), "--db", str(db)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).parent.parent,
        check=False,
        **kw,
    )


def _start_paused(inbox: Path, db: Path, point: str, marker: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "ingest", str(inbox), "--db", str(db)],
        env=_env(point, marker),
        cwd=Path(__file__).parent.parent,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 240
    while not marker.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            out, err = process.communicate()
            raise AssertionError(f"run never reached {point}: {out} {err}")
        time.sleep(0.1)
    return process


def _kill(process: subprocess.Popen[str]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("clean")
    db = folder / "w.duckdb"
    assert _run(_inbox(folder), db).returncode == 0
    return _comparable(db)


def _comparable(db: Path) -> dict[str, Any]:
    dumped = dump_warehouse(db)
    for row in dumped["source_files"]:
        row["path"] = Path(row["path"]).name
    return dumped


@pytest.mark.parametrize("point", ["scanned", "loaded-1", "loaded-3", "checked", "published"])
def test_a_run_killed_at_any_point_is_finished_by_the_next(
    point: str, tmp_path: Path, clean: dict[str, Any]
) -> None:
    inbox, db, marker = _inbox(tmp_path), tmp_path / "w.duckdb", tmp_path / "paused"
    before = {p.name: p.read_bytes() for p in inbox.iterdir()}
    _kill(_start_paused(inbox, db, point, marker))
    # whole or nothing: before the swap there is no warehouse yet, after it the full one
    if point == "published":
        assert _comparable(db) == clean
    else:
        assert not db.exists()
    rerun = _run(inbox, db)
    assert rerun.returncode == 0, rerun.stderr
    assert _comparable(db) == clean
    assert {p.name: p.read_bytes() for p in inbox.iterdir()} == before  # sources untouched


def test_a_second_run_exits_at_once_while_one_runs(tmp_path: Path) -> None:
    inbox, db, marker = _inbox(tmp_path), tmp_path / "w.duckdb", tmp_path / "paused"
    first = _start_paused(inbox, db, "loaded-1", marker)
    try:
        started = time.monotonic()
        second = _run(inbox, db)
        assert second.returncode == 1
        assert "is being written by jokatsu pid" in second.stderr
        assert time.monotonic() - started < 60
    finally:
        marker.unlink()
        _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err


def test_a_reader_holding_the_warehouse_through_a_whole_run(
    tmp_path: Path, clean: dict[str, Any]
) -> None:
    inbox, db, marker = _inbox(tmp_path), tmp_path / "w.duckdb", tmp_path / "paused"
    (inbox / FILES[1]).rename(tmp_path / FILES[1])  # the first run lacks one report
    assert _run(inbox, db).returncode == 0
    reader = duckdb.connect(str(db), read_only=True)
    count = "select count(*) from reports"
    assert reader.execute(count).fetchone() == (4,)
    (tmp_path / FILES[1]).rename(inbox / FILES[1])
    run = _start_paused(inbox, db, "loaded-1", marker)
    assert reader.execute(count).fetchone() == (4,)  # not blocked, not shown half a run
    marker.unlink()
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert reader.execute(count).fetchone() == (4,)  # its snapshot stays whole
    reader.close()
    fresh = duckdb.connect(str(db), read_only=True)
    assert fresh.execute(count).fetchone() == (5,)
    fresh.close()
