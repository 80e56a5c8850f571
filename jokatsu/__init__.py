"""The top floor: the ``jokatsu`` command (``jokatsu/cli.py``) and :func:`connect` for a
notebook. Everything else lives a floor below (``flows/``: settings, files, the guarded
reader pool, the run, the Prefect flows; see docs/architecture.md).

Importing this package loads nothing heavy: each module is imported where it is used;
``connect()`` imports neither the reader pool nor transform/.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


def connect(db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """The warehouse as it is now, read-only: ``jokatsu.connect()`` in a notebook.

    A run never writes the live file in place: it builds the next warehouse in a copy and
    swaps it in. A connection keeps the file it opened, so it goes on seeing the night it was
    opened on; open a new one (this function, each time) to see the latest run. Plain
    ``duckdb.connect(path)`` does not do that within one process: DuckDB hands out the
    database already open under that path (last night's) until every connection to it is
    closed. This one attaches the current file to a fresh in-memory database instead, so it
    always opens what is there now. ``db`` defaults to the setting ``db``.

    Read-only means read-only (:func:`warehouse.db.open_read_only`, shared with ``jokatsu
    sql``): no file written or read but the warehouse, no database attached, no extension
    loaded, no setting changed. Pass DataFrames in with ``conn.register("name", frame)`` and
    take results out with ``.df()``.
    """
    from flows.settings import load_settings
    from warehouse.db import open_read_only

    return open_read_only(Path(db) if db is not None else load_settings().db)
