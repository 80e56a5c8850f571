"""docs/views.md: every analyst view with its comment and its columns' meanings, from the
database itself (``comment on view`` and ``comment on column`` in ``warehouse/sql/views``, and
``warehouse/sql/shared_columns.csv`` for the columns many views share).

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
        "Amounts are in yen. A figure nobody published or reported is NULL, never zero: a",
        "prefecture with no report on file adds no row to a sum, and a sum over prefectures says",
        "how many of them it covers.",
        "",
    ]
    for name, comment in views:
        columns = conn.execute(
            "select column_name, data_type, comment from duckdb_columns() "
            "where table_name = ? and database_name = current_database() order by column_index",
            [name],
        ).fetchall()
        lines += [f"## `{name}`", "", comment or "", ""]
        lines += ["| column | type | meaning |", "| --- | --- | --- |"]
        lines += [f"| `{column}` | {kind} | {_cell(text)} |" for column, kind, text in columns]
        lines.append("")
    macros = conn.execute(
        "select function_name, parameters, comment from duckdb_functions() "
        "where function_type = 'macro' and not internal and comment is not null "
        "order by function_name"
    ).fetchall()
    if macros:
        lines += ["## Macros", ""]
        lines += [f"- `{name}({', '.join(params)})`: {text}" for name, params, text in macros]
        lines.append("")
    return "\n".join(lines)


def _cell(text: str | None) -> str:
    """A comment as one Markdown table cell."""
    return (text or "").replace("|", "\\|").replace("\n", " ")


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        conn = duckdb.connect(str(Path(scratch) / "docs.duckdb"))
        Warehouse(conn).migrate()
        sys.stdout.write(render_views_doc(conn))
        conn.close()


if __name__ == "__main__":
    main()
