"""source_files after migration 0017: the formats issue 22 added are stored, the constraints
that DuckDB could not change became a data check, and its lists are the code's."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import get_args

import duckdb

from extract.model import FileFormat
from warehouse.catalog import FileStatus
from warehouse.checks import data_check_failures
from warehouse.migrations import migrate

CHECK = "source_files_have_known_formats_and_statuses"


def _listed(sql: str, column: str) -> set[str]:
    found = re.search(rf"{column} not in \(([^)]*)\)", sql)
    assert found is not None, column
    return set(re.findall(r"'([^']+)'", found[1]))


def test_the_data_check_lists_every_format_and_status_the_code_defines() -> None:
    sql = resources.files("warehouse").joinpath("sql", "checks", f"{CHECK}.sql").read_text()
    assert _listed(sql, "format") == set(get_args(FileFormat))
    assert _listed(sql, "status") == set(get_args(FileStatus))


def test_source_files_keep_their_rows_key_and_required_columns_through_0017(
    tmp_path: Path,
) -> None:
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(conn)
    row = ["a" * 64, "r.ods", 1, "ods", "loaded", None, "2026-01-01", "2026-01-01", "t"]
    columns = "sha256, path, size_bytes, format, status, reason, first_seen_at, last_seen_at"
    conn.execute(
        f"insert into source_files ({columns}, pipeline_version) values (?,?,?,?,?,?,?,?,?)", row
    )
    assert data_check_failures(conn).get(CHECK) is None
    try:
        conn.execute(
            f"insert into source_files ({columns}, pipeline_version) values (?,?,?,?,?,?,?,?,?)",
            row,
        )
    except duckdb.ConstraintException:
        pass
    else:
        raise AssertionError("the primary key (sha256, path) was lost")
    try:
        conn.execute("insert into source_files (sha256, path) values ('b', 'x.pdf')")
    except duckdb.ConstraintException:
        pass
    else:
        raise AssertionError("NOT NULL columns were lost")
    conn.execute("update source_files set format = 'rtf'")
    assert data_check_failures(conn)[CHECK]
