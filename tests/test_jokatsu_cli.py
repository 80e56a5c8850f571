from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jokatsu.cli import EXIT_FAILED, EXIT_OK, EXIT_STRICT, main
from tests.conftest import REAL_REPORT
from warehouse.publish import write_lock

pytestmark = pytest.mark.usefixtures("prefect_harness")
BROKEN = Path(__file__).parent / "golden" / "txt_broken_every_rule" / "tottori_broken.txt"


def test_ingest_prints_a_summary_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(REAL_REPORT, tmp_path / "r.txt")
    assert main(["ingest", str(tmp_path / "r.txt"), "--db", str(tmp_path / "w.duckdb")]) == EXIT_OK
    out = capsys.readouterr().out
    assert "loaded: 1" in out
    assert "budget_label_not_allowed (warning): 1" in out


def test_seconds_are_the_commands_wall_time_with_its_split(tmp_path: Path) -> None:
    """「seconds:」 is the whole command's time (from its start in this process), and the
    split (planning, Prefect's start, reading and loading) is part of it."""
    import re
    import subprocess
    import sys
    import time

    from prefect.settings import PREFECT_API_URL

    shutil.copy(REAL_REPORT, tmp_path / "r.txt")
    env = {**__import__("os").environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "jokatsu.cli", "ingest", str(tmp_path), "--db", str(tmp_path / "w")],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).parent.parent,
        check=True,
    )
    elapsed = time.perf_counter() - started
    match = re.search(
        r"seconds: ([\d.]+) \(planning ([\d.]+), Prefect start ([\d.]+), "
        r"reading and loading ([\d.]+)\)",
        done.stdout,
    )
    assert match, done.stdout
    total, *parts = (float(x) for x in match.groups())
    assert total <= elapsed + 0.05  # measured inside the command (rounded to 0.1)
    assert sum(parts) <= total + 0.15  # the split adds up to no more than the whole
    assert all(p >= 0 for p in parts)


def test_default_paths_are_the_sample_and_data_warehouse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "data" / "sample").mkdir(parents=True)
    shutil.copy(REAL_REPORT, tmp_path / "data" / "sample" / "r.txt")
    assert main(["ingest"]) == EXIT_OK
    assert (tmp_path / "data" / "warehouse.duckdb").exists()
    assert "loaded: 1" in capsys.readouterr().out


def test_strict_exits_2_on_quarantine_or_error_issues(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["ingest", str(tmp_path / "empty.txt"), "--db", db]) == EXIT_OK
    assert (
        main(["ingest", str(tmp_path / "empty.txt"), "--db", db, "--strict", "--retry-quarantined"])
        == EXIT_STRICT
    )
    assert main(["ingest", str(BROKEN), "--db", db, "--strict"]) == EXIT_STRICT
    shutil.copy(REAL_REPORT, tmp_path / "ok.txt")
    clean = str(tmp_path / "clean.duckdb")
    assert main(["ingest", str(tmp_path / "ok.txt"), "--db", clean, "--strict"]) == EXIT_OK


def test_strict_reports_every_night_something_is_still_in_quarantine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Problem 3 of issue 23: --strict exited 2 the first night a file was quarantined and 0
    the next although it still was. Now every night, with what is new tonight apart."""
    db = str(tmp_path / "w.duckdb")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "empty.txt").write_bytes(b"")
    assert main(["ingest", str(inbox), "--db", db, "--strict"]) == EXIT_STRICT
    assert "1 files in quarantine (1 new tonight)" in capsys.readouterr().err
    shutil.copy(REAL_REPORT, inbox / "ok.txt")
    assert main(["ingest", str(inbox), "--db", db, "--strict"]) == EXIT_STRICT
    assert "1 files in quarantine (0 new tonight)" in capsys.readouterr().err
    assert main(["ingest", str(inbox), "--db", db, "--strict"]) == EXIT_STRICT  # nothing to do
    assert "1 files in quarantine (0 new tonight), 0 error issues open" in capsys.readouterr().err


def test_a_missing_path_or_a_busy_warehouse_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(tmp_path / "nope"), "--db", str(db)]) == EXIT_FAILED
    assert "does not exist" in capsys.readouterr().err
    with write_lock(db):
        assert main(["ingest", str(REAL_REPORT), "--db", str(db)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "being written by" in err
    assert err.count("\n") == 1 and "Traceback" not in err  # issue #24: 21 lines of Prefect's


def test_export_and_report_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.duckdb")
    assert main(["export", "--db", db, "--out", str(tmp_path / "x")]) == EXIT_FAILED
    assert "no warehouse at" in capsys.readouterr().err
    shutil.copy(REAL_REPORT, tmp_path / "r.txt")
    assert main(["ingest", str(tmp_path / "r.txt"), "--db", db]) == EXIT_OK
    assert main(["export", "--db", db, "--out", str(tmp_path / "x")]) == EXIT_OK
    assert (tmp_path / "x" / "manifest.json").exists()
    assert not (tmp_path / "x" / "contacts.csv").exists()
    out = tmp_path / "report.html"
    assert main(["report", "--db", db, "--out", str(out)]) == EXIT_OK
    assert "山口県" in out.read_text(encoding="utf-8")


def test_a_run_with_nothing_new_is_answered_without_prefect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "w.duckdb")
    shutil.copy(REAL_REPORT, tmp_path / "r.txt")
    assert main(["ingest", str(tmp_path / "r.txt"), "--db", db]) == EXIT_OK
    capsys.readouterr()
    from flows.planning import prepare

    prepared = prepare([tmp_path / "r.txt"], tmp_path / "w.duckdb")
    assert not prepared.has_work
    assert prepared.summary().unchanged == [str(tmp_path / "r.txt")]
    assert main(["ingest", str(tmp_path / "r.txt"), "--db", db]) == EXIT_OK
    assert "already loaded: 1" in capsys.readouterr().out
    (tmp_path / "new.txt").write_text("都道府県名: 山口県\n", encoding="utf-8")
    assert prepare([tmp_path], tmp_path / "w.duckdb").has_work  # a new file: run


def test_the_machines_faults_are_one_line_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.duckdb"
    notes.write_text("meeting notes", encoding="utf-8")
    assert main(["ingest", str(REAL_REPORT), "--db", str(notes)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "is not a DuckDB warehouse file" in err
    assert notes.read_text(encoding="utf-8") == "meeting notes"


def test_every_option_of_every_command_has_help() -> None:
    import argparse

    from jokatsu.cli import _parser

    parser = _parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    missing = [
        f"{name} {'/'.join(action.option_strings) or action.dest}"
        for name, sub in commands.choices.items()
        for action in sub._actions
        if not isinstance(action, argparse._HelpAction) and not action.help
    ]
    assert missing == []


def test_names_after_a_double_dash_are_paths_not_options() -> None:
    """``jokatsu ingest -- *`` (docs/operations.md): a file named ``--db=x.txt`` is a path."""
    from jokatsu.cli import _parser

    args = _parser().parse_args(["ingest", "--", "--db=x.txt", "r.txt"])
    assert args.paths == [Path("--db=x.txt"), Path("r.txt")] and args.db is None
    assert _parser().parse_args(["ingest", "--db=x.txt"]).db == Path("x.txt")  # without it
