"""A stale ``warehouse.duckdb.wal`` (issue #24, item 7): a program that opened the live file
read-write and exited without a checkpoint left its WAL; after the next publish every command
used to exit 1 with "WAL … older version of this database". The run sets it aside."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jokatsu.cli import EXIT_FAILED, EXIT_OK, main
from tests.conftest import REAL_REPORT
from tests.support import load_into, pipeline
from warehouse.db import wal_path
from warehouse.errors import WarehouseBusy
from warehouse.publish import publishing_writer, write_lock


def _write_without_checkpoint(db: Path) -> None:
    """What an analyst's ``duckdb.connect(live)`` + a write + a killed notebook leaves."""
    script = (
        "import duckdb, os, sys; c = duckdb.connect(sys.argv[1]); "
        "c.execute('create table analyst_notes(a int)'); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", script, str(db)], check=True)
    assert wal_path(db).exists()


def _stale_wal_and_inbox(tmp_path: Path) -> tuple[Path, Path]:
    """A loaded warehouse with a stale WAL beside it, and an inbox holding the real report."""
    db = tmp_path / "w.duckdb"
    load_into(db)
    _write_without_checkpoint(db)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(REAL_REPORT, inbox / "r.txt")
    return db, inbox


def _set_aside(db: Path) -> list[Path]:
    return sorted(db.parent.glob(db.name + ".wal.set-aside-*"))


@pytest.mark.usefixtures("prefect_harness")
def test_every_command_works_after_a_run_over_a_stale_wal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, inbox = _stale_wal_and_inbox(tmp_path)
    assert main(["ingest", str(inbox), "--db", str(db)]) == EXIT_OK
    assert not wal_path(db).exists() and len(_set_aside(db)) == 1  # kept, out of the way
    (notice,) = [line for line in capsys.readouterr().out.splitlines() if "notice" in line]
    assert notice.startswith("notice: w.duckdb.wal was left") and _set_aside(db)[0].name in notice
    assert main(["sql", "select count(*) as n from reports", "--db", str(db)]) == EXIT_OK
    assert capsys.readouterr().out.split()[:3] == ["n", "-", "1"]
    out = tmp_path / "exports"
    assert main(["export", "--db", str(db), "--out", str(out)]) == EXIT_OK
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "r.html")]) == EXIT_OK
    shutil.copy(REAL_REPORT, inbox / "again.txt")  # a duplicate: the next run publishes too
    assert main(["ingest", str(inbox), "--db", str(db)]) == EXIT_OK
    assert (out / "csv").is_dir() and (tmp_path / "r.html").exists()
    assert "analyst_notes" not in capsys.readouterr().out  # its changes were not published


def test_a_wal_already_stale_is_named_then_set_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A warehouse left broken by an older jokatsu (the WAL of the file before the swap)."""
    db = tmp_path / "w.duckdb"
    load_into(db)
    shutil.copyfile(db, tmp_path / "newer.duckdb")
    _write_without_checkpoint(db)
    load_into(tmp_path / "newer.duckdb", pipeline(REAL_REPORT))
    os.replace(tmp_path / "newer.duckdb", db)  # the old swap, WAL left beside
    assert main(["sql", "select 1", "--db", str(db)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "older state" in err and "next jokatsu ingest moves it aside" in err
    assert err.count("\n") == 1
    with write_lock(db), publishing_writer(db) as warehouse:
        pass
    assert len(warehouse.notices) == 1 and "moved aside" in warehouse.notices[0]
    assert main(["sql", "select count(*) as n from reports", "--db", str(db)]) == EXIT_OK


def test_a_warehouse_held_open_read_write_is_not_published_over(tmp_path: Path) -> None:
    """Its WAL is still being written: the run refuses, naming the holder's pid."""
    db = tmp_path / "w.duckdb"
    load_into(db)
    script = (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
        "c.execute('create table analyst_notes(a int)'); print('open', flush=True); "
        "time.sleep(600)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        with (
            pytest.raises(WarehouseBusy, match=f"open read-write in pid {holder.pid}"),
            write_lock(db),
            publishing_writer(db),
        ):
            pass
        assert wal_path(db).exists() and _set_aside(db) == []  # left to its owner
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_kept(tmp_path: Path) -> None:
    """Issue #24: a symlinked lock file had its target truncated."""
    from warehouse.errors import WarehouseError

    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    (tmp_path / "w.duckdb.lock").symlink_to(precious)
    with pytest.raises(WarehouseError, match=r"is a link .*remove the link"), write_lock(db):
        pass
    assert precious.read_text(encoding="utf-8") == "keep me"


def test_a_lock_file_that_is_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    from warehouse.errors import WarehouseError

    db = tmp_path / "w.duckdb"
    os.mkfifo(tmp_path / "w.duckdb.lock")
    with pytest.raises(WarehouseError, match="not a regular file"), write_lock(db):
        pass


def test_the_wal_set_aside_is_in_the_summary_the_log_and_the_artifact(tmp_path: Path) -> None:
    """Not only a log line: the clerk's summary and the Prefect artifact say it too."""
    from flows.run import run_ingest
    from flows.settings import load_settings

    db, inbox = _stale_wal_and_inbox(tmp_path)
    summary = run_ingest([inbox], load_settings(db=db, corrections=tmp_path / "none"))
    (aside,) = _set_aside(db)
    assert len(summary.notices) == 1 and aside.name in summary.notices[0]
    assert f"notice: {summary.notices[0]}" in summary.to_text().splitlines()
    assert f"notice: {summary.notices[0]}" in summary.log_lines()
    from extract.text import markdown_text

    markdown = summary.markdown()
    assert "## お知らせ（倉庫のファイル）" in markdown
    assert f"- {markdown_text(summary.notices[0])}" in markdown.splitlines()
