"""The schema: numbered migrations (``sql/migrations``, each applied once, in its own
transaction), then the seeds (reference tables reloaded every run) and the views
(``sql/views``, replaced every run, in name order)."""

from __future__ import annotations

import csv
import hashlib
import io
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import duckdb

from transform.prefectures import PREFECTURES
from transform.records import RULE_LABELS
from warehouse.db import insert_frame, sql_files, table_names, transaction

# Columns many views share (report_id, fiscal_year …): one meaning each, for every view whose
# own file does not comment the column.
SHARED_COLUMNS = resources.files("warehouse").joinpath("sql", "shared_columns.csv")


def applied_migrations(conn: duckdb.DuckDBPyConnection) -> set[int]:
    if "schema_migrations" not in table_names(conn):
        return set()
    return {row[0] for row in conn.execute("select version from schema_migrations").fetchall()}


def _version(migration: Traversable) -> int:
    return int(migration.name.split("_")[0])


def pending_migrations(conn: duckdb.DuckDBPyConnection) -> list[Traversable]:
    applied = applied_migrations(conn)
    return [f for f in sql_files("migrations") if _version(f) not in applied]


def definitions_digest() -> str:
    """A digest of what every run refreshes: the views and the seeds (reference tables and
    the checks' rule labels)."""
    digest = hashlib.sha256()
    for view in sql_files("views"):
        digest.update(view.name.encode() + view.read_bytes())
    digest.update(SHARED_COLUMNS.read_bytes())
    seeds = resources.files("warehouse").joinpath("seeds")
    for path in sorted(Path(str(seeds)).rglob("*.csv")):
        digest.update(path.name.encode() + path.read_bytes())
    digest.update(repr(sorted(RULE_LABELS.items())).encode())
    digest.update(repr(PREFECTURES).encode())
    return digest.hexdigest()[:16]


def definitions_stale(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether the views and seeds this code carries differ from those last applied (then a
    run refreshes them even with no new file)."""
    if "warehouse_state" not in table_names(conn):
        return True
    row = conn.execute("select value from warehouse_state where key = 'definitions'").fetchone()
    return row is None or row[0] != definitions_digest()


def migrate(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations (each in its own transaction), then refresh seeds and views;
    the names of the migrations applied."""
    conn.execute(
        "create table if not exists schema_migrations ("
        "version integer primary key, name varchar not null, applied_at timestamp not null)"
    )
    applied: list[str] = []
    pending = pending_migrations(conn)
    if pending:
        recorded_paths(conn)
    for migration in pending:
        with transaction(conn):
            conn.execute(migration.read_text(encoding="utf-8"))
            conn.execute(
                "insert into schema_migrations values (?, ?, current_timestamp)",
                [_version(migration), migration.name],
            )
        applied.append(migration.name)
    with transaction(conn):
        seed_prefectures(conn)
        seed_activity_keywords(conn)
        seed_rules(conn)
        seed_national(conn)
        for view in sql_files("views"):
            conn.execute(view.read_text(encoding="utf-8"))
        comment_shared_columns(conn)
        conn.execute(
            "insert or replace into warehouse_state values ('definitions', ?)",
            [definitions_digest()],
        )
    return applied


def recorded_paths(conn: duckdb.DuckDBPyConnection) -> None:
    """``temp.recorded_paths(path, resolved)`` for the migrations: each relative path that
    ``source_files`` holds, with the absolute path it names from this process's working
    directory, resolved as discovery resolves paths (links followed)."""
    conn.execute("create or replace temp table recorded_paths (path varchar, resolved varchar)")
    if "source_files" not in table_names(conn):
        return
    rows = conn.execute(
        "select distinct path from source_files where not starts_with(path, '/')"
    ).fetchall()
    if rows:
        conn.executemany(
            "insert into temp.recorded_paths values (?, ?)",
            [(path, str(Path(path).resolve())) for (path,) in rows],
        )


def comment_shared_columns(conn: duckdb.DuckDBPyConnection) -> None:
    """Comment the views' shared columns that their own files leave uncommented."""
    rows = csv.DictReader(io.StringIO(SHARED_COLUMNS.read_text(encoding="utf-8")))
    meanings = {row["column"]: row["comment"] for row in rows}
    uncommented = conn.execute(
        "select c.table_name, c.column_name from duckdb_columns() c "
        "join duckdb_views() v on v.view_name = c.table_name "
        "and v.schema_name = c.schema_name and v.database_name = c.database_name "
        "where not v.internal and c.comment is null "
        "and c.database_name = current_database() order by all"
    ).fetchall()
    for view, column in uncommented:
        if column in meanings:
            text = meanings[column].replace("'", "''")
            conn.execute(f'comment on column "{view}"."{column}" is \'{text}\'')


def seed_prefectures(conn: duckdb.DuckDBPyConnection) -> None:
    """The 47 prefectures with their 2020 census figures (``transform/reference``)."""
    import pandas as pd

    frame = pd.DataFrame(
        {
            "prefecture_code": [p.code for p in PREFECTURES],
            "name_ja": [p.name_ja for p in PREFECTURES],
            "name_en": [p.name_en for p in PREFECTURES],
            "region": [p.region for p in PREFECTURES],
            "population": [p.population_2020 for p in PREFECTURES],
            "female_population": pd.array(
                [p.female_population_2020 for p in PREFECTURES], dtype="Int64"
            ),
        }
    )
    conn.execute("delete from prefectures")
    insert_frame(conn, "prefectures", frame)


def seed_rules(conn: duckdb.DuckDBPyConnection) -> None:
    """The checks' rule codes with their Japanese labels (:data:`transform.records.RULE_LABELS`)."""
    conn.execute("delete from rules")
    conn.executemany("insert into rules values (?, ?)", list(RULE_LABELS.items()))


def seed_national(conn: duckdb.DuckDBPyConnection) -> None:
    """The Cabinet Office's published figures (``seeds/national/``, see its README)."""
    import pandas as pd

    from warehouse import national

    folder = resources.files("warehouse").joinpath("seeds", "national")
    for table, file, rows_of in (
        ("national_budget", "budget_by_year.csv", national.budget_rows),
        ("national_participation", "prefectures_participating.csv", national.participation_rows),
        ("national_payments", "top_recipients.csv", national.payment_rows),
    ):
        rows = rows_of(folder.joinpath(file).read_text(encoding="utf-8"))
        conn.execute(f"delete from {table}")
        frame = pd.DataFrame(rows)
        if "prefecture_code" in frame:
            frame["prefecture_code"] = pd.array(list(frame["prefecture_code"]), dtype="Int64")
        insert_frame(conn, table, frame)


def seed_activity_keywords(conn: duckdb.DuckDBPyConnection) -> None:
    """The editable activity dictionary (``seeds/activity_keywords.csv``)."""
    import pandas as pd

    seed = resources.files("warehouse").joinpath("seeds", "activity_keywords.csv")
    frame = pd.read_csv(io.StringIO(seed.read_text(encoding="utf-8")), dtype=str)
    conn.execute("delete from activity_keywords")
    insert_frame(conn, "activity_keywords", frame)
