"""A warehouse session: one open DuckDB connection and what a run does with it.

Each job lives in its own module and this class only binds them to the connection:
:mod:`warehouse.migrations` (schema, seeds, views), :mod:`warehouse.catalog` (known files),
:mod:`warehouse.load` (loading, the file registry, the run log), :mod:`warehouse.revisions`
(which report is current), :mod:`warehouse.checks` (data checks). Opening, locking and
publishing the file is :mod:`warehouse.publish`. Only records from ``transform/`` come in.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from importlib.resources.abc import Traversable
from typing import Any

import duckdb

from extract.model import SourceInfo
from transform.records import NormalizedReport
from warehouse import catalog, checks, db, load, migrations
from warehouse.catalog import KnownFile
from warehouse.load import Duplicate, Quarantined, RunCounts


class Warehouse:
    """Operations on one open DuckDB connection."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn
        # What publishing did that the run's summary should say (a stale WAL set aside).
        self.notices: list[str] = []

    # schema
    def pending_migrations(self) -> list[Traversable]:
        return migrations.pending_migrations(self.conn)

    def needs_refresh(self) -> bool:
        """Migrations pending, or views and seeds other than this code's."""
        return bool(self.pending_migrations()) or migrations.definitions_stale(self.conn)

    def migrate(self) -> list[str]:
        return migrations.migrate(self.conn)

    def table_names(self) -> set[str]:
        return db.table_names(self.conn)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with db.transaction(self.conn):
            yield

    # files
    def known_files(self) -> list[KnownFile]:
        return catalog.known_files(self.conn)

    # loading
    def load_many(
        self,
        reports: Sequence[NormalizedReport],
        quarantined: Sequence[Quarantined],
        pipeline_version: str,
        now: datetime,
    ) -> None:
        load.load_many(self.conn, reports, quarantined, pipeline_version, now)

    def load(self, nr: NormalizedReport, pipeline_version: str, now: datetime) -> None:
        """Load one report and mark its file loaded, all in one transaction."""
        load.load_many(self.conn, [nr], [], pipeline_version, now)

    def quarantine(
        self, source: SourceInfo, reason: str, pipeline_version: str, now: datetime
    ) -> None:
        load.quarantine(self.conn, source, reason, pipeline_version, now)

    def record_duplicates(
        self, duplicates: Sequence[Duplicate], pipeline_version: str, now: datetime
    ) -> None:
        load.record_duplicates(self.conn, duplicates, pipeline_version, now)

    def record_run(
        self,
        run_id: str,
        started_at: datetime,
        finished_at: datetime,
        pipeline_version: str,
        counts: RunCounts,
    ) -> None:
        load.record_run(self.conn, run_id, started_at, finished_at, pipeline_version, counts)

    # checks
    def data_check_failures(self) -> dict[str, list[tuple[Any, ...]]]:
        return checks.data_check_failures(self.conn)

    def assert_data_checks(self) -> None:
        checks.assert_data_checks(self.conn)
