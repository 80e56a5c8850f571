"""Reading the warehouse as analysts do (jokatsu.connect, jokatsu sql): a connection opened
after a run sees its rows; one kept open from before keeps its snapshot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import jokatsu
from jokatsu.cli import EXIT_OK, main
from tests.conftest import REAL_REPORT
from tests.support import load_into, pipeline
from warehouse.errors import WarehouseError


def test_a_new_connection_sees_the_new_night_an_old_one_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    load_into(db)  # an empty warehouse: last night's
    notebook = jokatsu.connect(db)  # a notebook that keeps its connection open
    shutil.copy(REAL_REPORT, tmp_path / "r.txt")
    load_into(db, pipeline(tmp_path / "r.txt"))  # tonight's run publishes
    assert notebook.execute("select count(*) from reports").fetchone() == (0,)  # its snapshot
    fresh = jokatsu.connect(db)
    assert fresh.execute("select count(*) from reports").fetchone() == (1,)
    notebook.close()
    fresh.close()
    assert main(["sql", "select count(*) as n from stg_reports", "--db", str(db)]) == EXIT_OK
    assert capsys.readouterr().out.split()[:4] == ["n", "-", "1", "(1"]
    assert main(["sql", "select prefecture_name from stg_reports", "--db", str(db), "--csv"]) == 0
    assert capsys.readouterr().out == "prefecture_name\n山口県\n"


def test_connect_to_no_warehouse_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="run jokatsu ingest first"):
        jokatsu.connect(tmp_path / "none.duckdb")


def test_a_connection_cannot_write(tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "w.duckdb"
    load_into(db)
    conn = jokatsu.connect(db)
    with pytest.raises(duckdb.Error, match="read-only"):
        conn.execute("delete from reports")
    conn.close()


def test_connect_loads_neither_the_reader_pool_nor_transform(tmp_path: Path) -> None:
    """A notebook's ``jokatsu.connect()`` is cheap: no worker pool, no normalising, no
    Prefect (a fresh interpreter, so nothing of the tests is loaded already)."""
    import subprocess
    import sys

    db = tmp_path / "w.duckdb"
    load_into(db)
    script = (
        "import sys, jokatsu\n"
        f"jokatsu.connect({str(db)!r}).close()\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('flows', 'transform', 'pebble', 'prefect'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["flows", "flows.limits", "flows.settings"]
