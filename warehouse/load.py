"""Loading: a batch of reports and quarantined files in one transaction, bulk inserts by
column name, the file registry (``source_files``) and the run log (``runs``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import duckdb

from extract.errors import ReasonCode
from extract.model import SourceInfo
from transform.records import NormalizedReport
from warehouse import revisions
from warehouse.catalog import FileStatus
from warehouse.db import insert_frame, transaction
from warehouse.errors import StoreRefused
from warehouse.ocr_store import NEEDS_REVIEW, review_reason, store_ocr
from warehouse.rows import batch_rows, frame

# Errors that a file's values cause (as opposed to the disk's or the machine's).
VALUE_ERRORS: tuple[type[BaseException], ...] = (
    OverflowError,
    ValueError,
    TypeError,
    duckdb.ConversionException,
    duckdb.ConstraintException,
    duckdb.InvalidInputException,
    duckdb.OutOfRangeException,
    duckdb.TypeMismatchException,
)


@dataclass(frozen=True)
class FileOutcome:
    """What becomes of one file in ``source_files``."""

    source: SourceInfo
    status: FileStatus
    reason: str | None = None
    read_path: str | None = None
    reason_code: ReasonCode | None = None


class Quarantined(NamedTuple):
    """A file that cannot be loaded, with the reason a clerk can act on (Japanese) and its
    stable code."""

    source: SourceInfo
    reason: str
    code: ReasonCode = "unreadable"


class Duplicate(NamedTuple):
    """A file whose content is already loaded under another path."""

    source: SourceInfo
    original: str


class RunCounts(NamedTuple):
    loaded: int
    quarantined: int
    duplicate: int


def load_many(
    conn: duckdb.DuckDBPyConnection,
    reports: Sequence[NormalizedReport],
    quarantined: Sequence[Quarantined],
    pipeline_version: str,
    now: datetime,
) -> None:
    """Load a batch of reports and quarantine a batch of files in one transaction.

    Bulk inserts (one per table), so a batch costs a few statements whatever its size.
    Revisions follow :mod:`warehouse.revisions`. A value the database refuses raises
    :class:`StoreRefused` and nothing of the batch is written.
    """
    try:
        _load_many(conn, reports, quarantined, pipeline_version, now)
    except VALUE_ERRORS as exc:  # not duckdb.IOException & co: the machine's, raised
        raise StoreRefused(f"{type(exc).__name__}: {str(exc)[:300]}") from None


def _load_many(
    conn: duckdb.DuckDBPyConnection,
    reports: Sequence[NormalizedReport],
    quarantined: Sequence[Quarantined],
    pipeline_version: str,
    now: datetime,
) -> None:
    held = [nr for nr in reports if nr.awaiting_review]
    scanned = [nr for nr in reports if nr.ocr is not None]
    reports = [nr for nr in reports if not nr.awaiting_review]
    with transaction(conn):
        shas = [nr.source.sha256 for nr in (*reports, *held)]
        replaced = remove_reports_of(conn, shas) if shas else {}
        for table, rows in batch_rows(reports, now).items():
            if rows:
                insert_frame(conn, table, frame(conn, table, rows))
        kept = revisions.kept_places(reports, replaced)
        revisions.restore_places(conn, kept)
        order_issues = revisions.settle(
            conn, [nr for nr in reports if nr.report.report_id not in kept]
        )
        if order_issues:
            insert_frame(conn, "validation_issues", frame(conn, "validation_issues", order_issues))
        # one row per file, however many forms (reports) it held
        read_paths = {nr.source.sha256: nr.read_path or None for nr in reports}
        sources = {(nr.source.sha256, nr.source.path): nr.source for nr in reports}
        files = [
            FileOutcome(source, "loaded", read_path=read_paths[source.sha256])
            for source in sources.values()
        ]
        files += [
            FileOutcome(q.source, "quarantined", q.reason, reason_code=q.code) for q in quarantined
        ]
        # a scan awaiting review: its OCR records kept, its file held in quarantine
        store_ocr(conn, scanned, now)
        files += [
            FileOutcome(
                nr.source,
                "quarantined",
                review_reason(nr),
                read_path=nr.read_path or None,
                reason_code=NEEDS_REVIEW,
            )
            for nr in {nr.source.sha256: nr for nr in held}.values()
        ]
        if files:
            record_files(conn, files, pipeline_version, now)


def remove_reports_of(
    conn: duckdb.DuckDBPyConnection, shas: Sequence[str]
) -> Mapping[str, revisions.Place]:
    """Remove what earlier loads of these files put in the warehouse (a file is read again
    when its corrections change); each removed report's place among its revisions."""
    rows = conn.execute(
        "select report_id, prefecture_code, fiscal_year, project_title, is_current, "
        "superseded_by from reports where source_sha256 in (select unnest(?::varchar[]))",
        [list(shas)],
    ).fetchall()
    for table in ("validation_issues", "corrections"):
        conn.execute(
            f"delete from {table} where source_sha256 in (select unnest(?::varchar[]))",
            [list(shas)],
        )
    ids = [row[0] for row in rows]
    if ids:
        for table in ("report_sections", "expense_items", "contacts", "reports"):
            conn.execute(
                f"delete from {table} where report_id in (select unnest(?::varchar[]))", [ids]
            )
    return {
        report_id: revisions.Place((code, year, title), is_current, superseded_by)
        for report_id, code, year, title, is_current, superseded_by in rows
    }


def record_files(
    conn: duckdb.DuckDBPyConnection,
    files: Sequence[FileOutcome],
    pipeline_version: str,
    now: datetime,
) -> None:
    """Note each file's status in ``source_files`` (the first time it is seen kept)."""
    conn.execute(
        """
        insert into source_files by name
        select * from (
            select unnest(?::varchar[]) as sha256, unnest(?::varchar[]) as path,
                   unnest(?::bigint[]) as size_bytes, unnest(?::varchar[]) as format,
                   unnest(?::varchar[]) as status, unnest(?::varchar[]) as reason,
                   unnest(?::varchar[]) as read_path, unnest(?::varchar[]) as reason_code
        ), (select ?::timestamp as first_seen_at, ?::timestamp as last_seen_at,
                   ?::varchar as pipeline_version)
        on conflict (sha256, path) do update set
            status = excluded.status, reason = excluded.reason,
            last_seen_at = excluded.last_seen_at, pipeline_version = excluded.pipeline_version,
            read_path = excluded.read_path, reason_code = excluded.reason_code
        """,
        [
            [f.source.sha256 for f in files],
            [f.source.path for f in files],
            [f.source.size_bytes for f in files],
            [f.source.format for f in files],
            [f.status for f in files],
            [f.reason for f in files],
            [f.read_path for f in files],
            [f.reason_code for f in files],
            now,
            now,
            pipeline_version,
        ],
    )
    in_bundles = [f.source for f in files if f.source.bundle_sha256 is not None]
    if in_bundles:
        conn.execute(
            """
            insert into bundle_members by name
            select unnest(?::varchar[]) as sha256, unnest(?::varchar[]) as path,
                   unnest(?::varchar[]) as bundle_sha256, unnest(?::varchar[]) as bundle_path,
                   unnest(?::varchar[]) as member_path
            on conflict (sha256, path) do update set
                bundle_sha256 = excluded.bundle_sha256, bundle_path = excluded.bundle_path,
                member_path = excluded.member_path
            """,
            [
                [s.sha256 for s in in_bundles],
                [s.path for s in in_bundles],
                [s.bundle_sha256 for s in in_bundles],
                [s.bundle_path for s in in_bundles],
                [s.member for s in in_bundles],
            ],
        )


def quarantine(
    conn: duckdb.DuckDBPyConnection,
    source: SourceInfo,
    reason: str,
    pipeline_version: str,
    now: datetime,
) -> None:
    load_many(conn, [], [Quarantined(source, reason)], pipeline_version, now)


def record_duplicates(
    conn: duckdb.DuckDBPyConnection,
    duplicates: Sequence[Duplicate],
    pipeline_version: str,
    now: datetime,
) -> None:
    """Record files whose content is already loaded under another path (no rows added)."""
    if not duplicates:
        return
    with transaction(conn):
        record_files(
            conn,
            [
                FileOutcome(
                    d.source, "duplicate", f"{d.original} と同じ内容です", reason_code="duplicate"
                )
                for d in duplicates
            ],
            pipeline_version,
            now,
        )


def record_run(
    conn: duckdb.DuckDBPyConnection,
    run_id: str,
    started_at: datetime,
    finished_at: datetime,
    pipeline_version: str,
    counts: RunCounts,
) -> None:
    """Note a published run: files loaded, quarantined and duplicate."""
    conn.execute(
        """
        insert into runs by name
        select ? as run_id, ? as started_at, ? as finished_at, ? as pipeline_version,
               ? as files_loaded, ? as files_quarantined, ? as files_duplicate
        """,
        [
            run_id,
            started_at,
            finished_at,
            pipeline_version,
            counts.loaded,
            counts.quarantined,
            counts.duplicate,
        ],
    )
