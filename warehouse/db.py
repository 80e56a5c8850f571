"""Small helpers on an open DuckDB connection: transactions, the tables there, bulk inserts
by column name, the ``.sql`` files of a folder."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING

import duckdb

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
