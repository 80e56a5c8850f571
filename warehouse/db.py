"""Small helpers on an open DuckDB connection: transactions, the tables there, bulk inserts
by column name, the ``.sql`` files of a folder; and the one read-only connection analysts get
(:func:`open_read_only`, behind ``jokatsu.connect()`` and ``jokatsu sql``)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from warehouse.errors import WarehouseBusy, WarehouseError

if TYPE_CHECKING:
    import pandas as pd


@contextlib.contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction: committed when the block ends, rolled back when it raises."""
    conn.execute("begin transaction")
    try:
        yield
    except BaseException:
        conn.execute("rollback")
        raise
    conn.execute("commit")


def table_names(conn: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        row[0]
        for row in conn.execute("select table_name from information_schema.tables").fetchall()
    }


def integer_columns(conn: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """The columns of a table that hold whole numbers, as the schema declares them."""
    rows = conn.execute(
        "select column_name from information_schema.columns where table_name = ? "
        "and data_type in ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT')",
        [table],
    ).fetchall()
    return {row[0] for row in rows}


def insert_frame(conn: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert a DataFrame's rows into a table, matching columns by name."""
    conn.register("_frame", frame)  # replaced by the next insert if this one fails
    conn.execute(f'insert into "{table}" by name select * from _frame')
    conn.unregister("_frame")


def sql_files(folder: str) -> list[Traversable]:
    """The ``.sql`` files of one folder under ``warehouse/sql``, in name order."""
    directory = resources.files("warehouse").joinpath("sql", folder)
    return sorted((f for f in directory.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)


# What an analyst's connection may not do, switched off in this order once the warehouse is
# attached (DuckDB 2.0, "Securing DuckDB"): no file but the attached one is opened for any
# purpose (``COPY … TO``, ``read_csv``/``read_text``/``glob`` of a file, ``ATTACH`` of a file,
# ``EXPORT DATABASE``, ``INSTALL``; the temporary folder is none, so no spill file either); the
# local file system itself is closed (``enable_external_access = false`` alone keeps the
# attached file's path allowed, so ``detach`` + ``attach '<live file>'`` would reopen it
# read-write, past the run's write lock); external extensions cannot be loaded; and the
# configuration is locked, so no ``SET``/``RESET``/``PRAGMA`` can undo any of it.
READ_ONLY_SETTINGS = (
    "set temp_directory = ''",
    "set autoinstall_known_extensions = false",
    "set autoload_known_extensions = false",
    "set enable_external_access = false",
    "set disabled_filesystems = 'LocalFileSystem'",
    "set lock_configuration = true",
)


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse file ``path`` as it is now, read-only, in a connection that can reach no
    other file, attach no database, load no extension and change no setting.

    The file is attached to a fresh in-memory database (never one DuckDB has cached for this
    path, which would be the night it was first opened on) and made the default catalogue;
    queries read it through the handle opened here, which keeps the file it opened when a run
    swaps in the next one. Python objects are reached with ``conn.register(name, frame)``
    only: DuckDB's scan of the caller's variables is external access too.
    """
    if not path.exists():
        raise WarehouseError(f"no warehouse at {path}: run jokatsu ingest first")
    conn = duckdb.connect()  # a fresh instance: never one cached for this path
    try:
        quoted = str(path).replace("'", "''")
        try:
            conn.execute(f"attach '{quoted}' as warehouse (read_only)")
        except duckdb.Error as exc:
            if (explained := open_refusal(exc, path)) is not None:
                raise explained from None
            raise
        conn.execute("use warehouse")
        for setting in READ_ONLY_SETTINGS:
            conn.execute(setting)
    except BaseException:
        conn.close()
        raise
    return conn


def wal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".wal")


def open_refusal(exc: duckdb.Error, path: Path) -> WarehouseError | WarehouseBusy | None:
    """DuckDB's refusal to open a warehouse file, as one line saying what to do (None: not
    one of these; the caller reports it as a fault of the machine)."""
    text = str(exc)
    if "not a valid DuckDB database" in text or "Unable to open" in text:
        return WarehouseError(
            f"{path} is not a DuckDB warehouse file: name another --db (jokatsu creates it), "
            "or move this file away"
        )
    if "older version of this database" in text:
        return WarehouseError(
            f"{wal_path(path)} belongs to an older state of {path.name} (left by a program "
            "that opened the warehouse read-write): the next jokatsu ingest moves it aside; "
            "or move it away yourself"
        )
    if "Conflicting lock is held" in text:
        pid = re.search(r"\(PID (\d+)\)", text)
        holder = f"pid {pid.group(1)}" if pid else "another program"
        return WarehouseBusy(
            f"{path} is open read-write in {holder}: close it there (analysts read with "
            "jokatsu.connect() or jokatsu sql) and run again"
        )
    return None
