"""docs/views.md: every analyst view with its comment and columns, from the database itself.

.venv/bin/python -m warehouse.docs > docs/views.md
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import duckdb

from warehouse.store import Warehouse


def render_views_doc(conn: duckdb.DuckDBPyConnection) -> str:
    views = conn.execute(
        "select view_name, comment from duckdb_views() where not internal order by view_name"
    ).fetchall()
    lines = [
        "# Analyst views",
        "",
        "Generated from the warehouse by `python -m warehouse.docs`; a test keeps it in step.",
        "Every view reads current reports only (a revised report replaces the one before it).",
        "Amounts are in yen.",
        "",
    ]
    for name, comment in views:
        columns = conn.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_name = ? order by ordinal_position",
            [name],
        ).fetchall()
        lines += [f"## `{name}`", "", comment or "", "", "| column | type |", "| --- | --- |"]
        lines += [f"| `{column}` | {kind} |" for column, kind in columns]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        conn = duckdb.connect(str(Path(scratch) / "docs.duckdb"))
        Warehouse(conn).migrate()
        sys.stdout.write(render_views_doc(conn))
        conn.close()


if __name__ == "__main__":
    main()
