"""Crash safety and concurrency of real ``jokatsu ingest`` processes.

Each run is a subprocess pointed at the session's Prefect test server. A run is stopped at
a known point (a checkpoint hook installed by ``tests/paused_cli.py``) and killed with
SIGKILL, process group and all; the next run must leave exactly the rows a clean run leaves.
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

from tests.conftest import REAL_REPORT, SAMPLE
from tests.support import decompression_bomb_pdf, dump_warehouse
from warehouse.publish import staging_path

pytestmark = pytest.mark.usefixtures("prefect_harness")
REAL_TEXT = REAL_REPORT.read_text(encoding="utf-8")
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
    env["JOKATSU_READ_MEMORY_MB"] = "768"  # a decompression bomb stops sooner
    if pause and marker:
        env |= {"JOKATSU_TEST_PAUSE": pause, "JOKATSU_TEST_PAUSE_FILE": str(marker)}
    return env


def _run(inbox: Path, db: Path, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jokatsu.cli", "ingest", str(inbox), "--db", str(db)],
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
        [sys.executable, "-m", "tests.paused_cli", "ingest", str(inbox), "--db", str(db)],
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
        second = _run(inbox, db)  # its own time-out (300 s) is far below the pause (600 s)
        assert second.returncode == 1
        assert "is being written by jokatsu pid" in second.stderr
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


def _reader_watch(db: Path, stop: Any, seen: list[int], errors: list[str]) -> None:
    """Query the live warehouse every 0.2 s: it is absent or whole, never shrinking."""
    while not stop.is_set():
        if db.exists():
            try:
                with duckdb.connect(str(db), read_only=True) as conn:
                    (count,) = conn.execute("select count(*) from reports").fetchone() or (0,)
                    (doubled,) = conn.execute(
                        "select count(*) from (select report_id from reports group by 1 "
                        "having count(*) > 1)"
                    ).fetchone() or (0,)
                    (orphans,) = conn.execute(
                        "select count(*) from expense_items where report_id not in "
                        "(select report_id from reports)"
                    ).fetchone() or (0,)
                if doubled or orphans or (seen and count < seen[-1]):
                    errors.append(f"count {count}, doubled {doubled}, orphans {orphans}")
                seen.append(count)
            except duckdb.IOException:
                pass  # the file was being swapped in at that instant: try again
        stop.wait(0.2)


@pytest.mark.slow
def test_random_kills_then_a_clean_run_equal_one_fresh_run(tmp_path: Path) -> None:
    """At least ten SIGKILLs at random moments (seeded), each run with new files to load and
    a reader querying the live file throughout; then one clean run. Every table must equal
    a single fresh run's over the same files, and the reader never saw a partial warehouse."""
    import random
    import threading

    rng = random.Random(20261128)
    files = sorted(p for p in SAMPLE.iterdir() if p.is_file() and not p.name.startswith("."))
    inbox, db = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    stop, seen, errors = threading.Event(), [], []  # type: ignore[var-annotated]
    watcher = threading.Thread(target=_reader_watch, args=(db, stop, seen, errors))
    watcher.start()
    kills = attempts = 0
    try:
        while kills < 10 and attempts < 40:
            attempts += 1
            for path in files[: 5 * attempts]:  # five more files every round
                if not (inbox / path.name).exists():
                    shutil.copy(path, inbox / path.name)
            # and one new report, so that every round has work even once the sample is in
            text = REAL_TEXT.replace("つながりサポート事業", f"つながりサポート事業{attempts}")
            (inbox / f"round_{attempts:02d}.txt").write_text(text, encoding="utf-8")
            process = subprocess.Popen(
                [sys.executable, "-m", "jokatsu.cli", "ingest", str(inbox), "--db", str(db)],
                env=_env(),
                cwd=Path(__file__).parent.parent,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(rng.uniform(0.2, 3.0))  # start-up, planning, reading, loading, swap
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                kills += 1
            process.wait(timeout=300)
        for path in files:
            if not (inbox / path.name).exists():
                shutil.copy(path, inbox / path.name)
        final = _run(inbox, db)
        assert final.returncode == 0, final.stderr
    finally:
        stop.set()
        watcher.join()
    print(f"\nrandom kills: {kills} SIGKILLs in {attempts} runs, reader saw {len(seen)} snapshots")
    assert kills >= 10
    assert errors == []
    fresh = tmp_path / "fresh.duckdb"
    assert _run(inbox, fresh).returncode == 0
    assert _comparable(db) == _comparable(fresh)


def _alive_in_group(group: int) -> list[str]:
    """Processes of a process group that still run (zombies are already dead)."""
    listed = subprocess.run(
        ["ps", "-o", "pid=,stat=,args=", "-g", str(group)], capture_output=True, text=True
    )
    return [line for line in listed.stdout.splitlines() if line.split()[1][0] != "Z"]


def test_sigterm_stops_a_run_at_once_and_publishes_nothing(tmp_path: Path) -> None:
    """SIGTERM (what a scheduler sends) while files are still being read: the run ends with
    exit 143, publishes nothing, leaves no process behind; the next run is a normal one.
    Before, the task threads waited for ever on reads of a stopped pool (a 1.2 GB
    decompression bomb per extra file keeps reads in flight when the signal comes)."""
    inbox, db, marker = _inbox(tmp_path), tmp_path / "w.duckdb", tmp_path / "paused"
    for n in range(2):
        (inbox / f"bomb_{n}.pdf").write_bytes(decompression_bomb_pdf(1200 + n))  # not duplicates
    process = _start_paused(inbox, db, "loaded-1", marker)
    os.kill(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=120)  # a hang guard, not a speed limit
    assert process.returncode == 128 + signal.SIGTERM, err
    assert "stopped by SIGTERM: nothing of this run was published" in err
    assert not db.exists() and not staging_path(db).exists()
    deadline = time.monotonic() + 60  # a hang guard: exiting children may take a moment
    while (alive := _alive_in_group(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert alive == []  # readers and any server stopped with it
    rerun = _run(inbox, db)
    assert rerun.returncode == 0, rerun.stderr
    assert "loaded: 5" in rerun.stdout and "quarantined: 3" in rerun.stdout
