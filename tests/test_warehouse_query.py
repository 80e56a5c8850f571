"""``jokatsu sql`` (warehouse/query.py): several statements each printed, --csv refusing
several, --verbose accepted, a closed pipe ending quietly, no other file reachable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jokatsu.cli import EXIT_FAILED, EXIT_OK, main
from tests.hostile import ESCAPES, Escape, escape_left_no_trace, escape_sql
from tests.support import load_into


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    load_into(path)  # an empty warehouse: its views and seeds
    return path


def test_several_statements_are_each_printed(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Only the last result used to be printed."""
    text = "select 1 as a; select 'x;y' as b; select count(*) as n from stg_prefectures"
    assert main(["sql", text, "--db", str(db)]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.count("-- [") == 3 and "-- [2] select 'x;y' as b" in out
    assert "\na\n-\n1\n(1 rows)\n" in out and "\nx;y\n" in out and "\n47\n(1 rows)\n" in out


def test_one_statement_prints_as_before(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sql", "select 47 as n;", "--db", str(db)]) == EXIT_OK
    assert capsys.readouterr().out == "n\n--\n47\n(1 rows)\n"


def test_csv_prints_one_result_and_refuses_several(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sql", "select 1 as a", "--db", str(db), "--csv"]) == EXIT_OK
    assert capsys.readouterr().out == "a\n1\n"
    assert main(["sql", "select 1; select 2", "--db", str(db), "--csv"]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "--csv prints one result: give one statement (2 given)" in err


def test_a_failing_statement_is_named_after_the_results_before_it(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sql", "--verbose", "select 1 as a; select * from nope", "--db", str(db)]) == 1
    captured = capsys.readouterr()
    assert "(1 rows)" in captured.out  # the first result is printed
    assert captured.err.startswith("jokatsu: statement 2 of 2 failed: Catalog Error")
    assert "Traceback" not in captured.err


def test_verbose_is_accepted_and_shows_where_a_machine_fault_arose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "folder.duckdb"
    folder.mkdir()  # no file jokatsu recognises: DuckDB's own words, where on request
    assert main(["sql", "select 1", "--db", str(folder)]) == EXIT_FAILED
    quiet = capsys.readouterr().err
    assert "(--verbose shows where)" in quiet and "Traceback" not in quiet
    assert main(["sql", "select 1", "--db", str(folder), "--verbose"]) == EXIT_FAILED
    assert "Traceback" in capsys.readouterr().err
    notes = tmp_path / "notes.duckdb"
    notes.write_text("not a warehouse", encoding="utf-8")
    assert main(["sql", "select 1", "--db", str(notes)]) == EXIT_FAILED
    assert "is not a DuckDB warehouse file" in capsys.readouterr().err


def test_no_other_file_can_be_read_or_written(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.csv"
    assert main(["sql", f"copy (select 1) to '{target}'", "--db", str(db)]) == EXIT_FAILED
    assert not target.exists()
    assert main(["sql", "select * from read_text('/etc/hostname')", "--db", str(db)]) == 1
    assert main(["sql", "set enable_external_access = true", "--db", str(db)]) == 1
    assert main(["sql", "delete from reports", "--db", str(db)]) == EXIT_FAILED
    assert "Permission Error" in capsys.readouterr().err


def test_a_closed_pipe_ends_quietly(db: Path) -> None:
    """``jokatsu sql … | head -1`` used to end with a BrokenPipeError traceback."""
    command = [
        str(Path(sys.executable).parent / "jokatsu"),  # the installed command
        "sql",
        "select range as n, repeat('x', 40) as filler from range(200000)",
        "--db",
        str(db),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # the reader goes away, as head does
    err = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=120) == EXIT_OK
    assert first.split() == [b"n", b"filler"]
    assert err == ""


@pytest.fixture
def loaded(tmp_path: Path) -> tuple[Path, int]:
    """A warehouse holding the real report (its contact too), and its expense rows."""
    import duckdb

    from tests.conftest import REAL_REPORT
    from tests.support import pipeline

    path = tmp_path / "w.duckdb"
    load_into(path, pipeline(REAL_REPORT))
    with duckdb.connect(str(path), read_only=True) as conn:
        (items,) = conn.execute("select count(*) from expense_items").fetchone() or (0,)
    assert items > 0
    return path, items


@pytest.mark.parametrize("escape", ESCAPES, ids=[e.name for e in ESCAPES])
def test_each_escape_is_refused_by_jokatsu_sql(
    escape: Escape,
    loaded: tuple[Path, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue #24: COPY … TO wrote contacts anywhere, read_text read any file, ATTACH made
    other databases, and detach + attach + delete emptied the live warehouse."""
    db, items = loaded
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    assert main(["sql", escape_sql(escape, db, scratch), "--db", str(db)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "jokatsu sql only reads the warehouse" in err and escape.refused in err, err
    assert "Traceback" not in err and err.count("\n") == 1  # one line
    escape_left_no_trace(db, scratch, items)


@pytest.mark.parametrize("escape", ESCAPES, ids=[e.name for e in ESCAPES])
def test_each_escape_fails_on_a_notebook_connection(
    escape: Escape, loaded: tuple[Path, int], tmp_path: Path
) -> None:
    """jokatsu.connect() is the same connection: each statement run one by one (no
    statement gate in Python), at least one refused by DuckDB's own switches."""
    import duckdb

    import jokatsu

    db, items = loaded
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    conn = jokatsu.connect(db)
    failures = []
    for statement in escape_sql(escape, db, scratch).split(";"):
        try:
            conn.execute(statement)
        except duckdb.Error as exc:
            failures.append(str(exc))
    conn.close()
    permitted = ("read-only", "disabled", "locked", "does not exist")
    assert failures and all(any(p in f for p in permitted) for f in failures), failures
    escape_left_no_trace(db, scratch, items)


def test_what_sql_may_run_still_runs(
    loaded: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    db, items = loaded
    text = (
        "describe expense_items; show tables; summarize select 1 as a; explain select 1; "
        "pragma show_tables; call pragma_version(); from expense_items select count(*) as n"
    )
    assert main(["sql", text, "--db", str(db)]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.count("-- [") == 7 and f"\n{items}\n(1 rows)" in out
