"""Data checks: each ``sql/checks/*.sql`` query must return no rows, or the run is not
published (:class:`~warehouse.errors.DataCheckFailed`)."""

from __future__ import annotations

from typing import Any

import duckdb

from warehouse.db import sql_files
from warehouse.errors import DataCheckFailed


def data_check_failures(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """The checks that return rows, by name (the file name without ``.sql``), with the rows."""
    failures: dict[str, list[tuple[Any, ...]]] = {}
    for check in sql_files("checks"):
        rows = conn.execute(check.read_text(encoding="utf-8")).fetchall()
        if rows:
            failures[check.name.removesuffix(".sql")] = rows
    return failures


def assert_data_checks(conn: duckdb.DuckDBPyConnection) -> None:
    """Raise :class:`DataCheckFailed` naming every failing check and its first rows."""
    failures = data_check_failures(conn)
    if failures:
        detail = "; ".join(f"{name}: {rows[:3]}" for name, rows in failures.items())
        raise DataCheckFailed(f"data checks failed, the warehouse was not updated: {detail}")
