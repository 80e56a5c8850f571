"""The DuckDB warehouse: schema by numbered migrations, views, loads, data checks.

Only records from ``transform/`` come in. One process writes at a time (a lock file next to
the database), and it writes into a copy that replaces the live file by an atomic rename
when the run is done (:func:`writer`), so analysts reading the live file are never blocked
and never see half a run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fcntl
import io
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from extract.errors import JokatsuError
from extract.model import SourceInfo
from transform.prefectures import PREFECTURES
from transform.records import Location, NormalizedReport, ReportRecord

if TYPE_CHECKING:
    import pandas as pd

FileStatus = str  # 'loaded' | 'duplicate' | 'quarantined'


class WarehouseBusy(JokatsuError):
    """Another process is writing the warehouse."""


class WarehouseError(JokatsuError):
    """The warehouse file cannot be opened or upgraded."""


class DataCheckFailed(JokatsuError):
    """A query under ``sql/checks`` returned rows: the run is not published."""


class StoreRefused(JokatsuError):
    """The database refused a batch's values (out of range, wrong type, a constraint): the
    content of a file is at fault, not the machine. Nothing of the batch was written."""


# Errors that a file's values cause (as opposed to the disk's or the machine's).
_VALUE_ERRORS: tuple[type[BaseException], ...] = (
    OverflowError,
    ValueError,
    TypeError,
    duckdb.ConversionException,
    duckdb.ConstraintException,
    duckdb.InvalidInputException,
    duckdb.OutOfRangeException,
    duckdb.TypeMismatchException,
)


def _sql_dir(name: str) -> Traversable:
    return resources.files("warehouse").joinpath("sql", name)


def sql_files(name: str) -> list[Traversable]:
    """The ``.sql`` files of one folder under ``warehouse/sql``, in name order."""
    return sorted(
        (f for f in _sql_dir(name).iterdir() if f.name.endswith(".sql")), key=lambda f: f.name
    )


@dataclass(frozen=True)
class KnownFile:
    sha256: str
    path: str
    status: FileStatus
    pipeline_version: str


class Warehouse:
    """Operations on one open DuckDB connection."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn

    # -- schema --------------------------------------------------------------------------
    def applied_migrations(self) -> set[int]:
        exists = self.conn.execute(
            "select count(*) from information_schema.tables where table_name = 'schema_migrations'"
        ).fetchone()
        if not exists or not exists[0]:
            return set()
        return {
            row[0] for row in self.conn.execute("select version from schema_migrations").fetchall()
        }

    def pending_migrations(self) -> list[Traversable]:
        applied = self.applied_migrations()
        return [f for f in sql_files("migrations") if int(f.name.split("_")[0]) not in applied]

    def migrate(self) -> list[str]:
        """Apply pending migrations (each in its own transaction), then refresh seeds and views."""
        self.conn.execute(
            "create table if not exists schema_migrations ("
            "version integer primary key, name varchar not null, applied_at timestamp not null)"
        )
        applied: list[str] = []
        for migration in self.pending_migrations():
            version = int(migration.name.split("_")[0])
            with self.transaction():
                self.conn.execute(migration.read_text(encoding="utf-8"))
                self.conn.execute(
                    "insert into schema_migrations values (?, ?, current_timestamp)",
                    [version, migration.name],
                )
            applied.append(migration.name)
        with self.transaction():
            self._seed_prefectures()
            self._seed_activity_keywords()
            for view in sql_files("views"):
                self.conn.execute(view.read_text(encoding="utf-8"))
        return applied

    def _seed_activity_keywords(self) -> None:
        seed = resources.files("warehouse").joinpath("seeds", "activity_keywords.csv")
        import pandas as pd

        frame = pd.read_csv(io.StringIO(seed.read_text(encoding="utf-8")), dtype=str)
        self.conn.execute("delete from activity_keywords")
        self._insert("activity_keywords", frame)

    def record_run(
        self,
        run_id: str,
        started_at: datetime,
        finished_at: datetime,
        pipeline_version: str,
        counts: tuple[int, int, int],
    ) -> None:
        """Note a published run: files loaded, quarantined and duplicate."""
        self.conn.execute(
            "insert into runs values (?, ?, ?, ?, ?, ?, ?)",
            [run_id, started_at, finished_at, pipeline_version, *counts],
        )

    def _seed_prefectures(self) -> None:
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
        self.conn.execute("delete from prefectures")
        self._insert("prefectures", frame)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("begin transaction")
        try:
            yield
        except BaseException:
            self.conn.execute("rollback")
            raise
        self.conn.execute("commit")

    # -- files ---------------------------------------------------------------------------
    def known_files(self) -> list[KnownFile]:
        if "source_files" not in self.table_names():
            return []
        rows = self.conn.execute(
            "select sha256, path, status, pipeline_version from source_files"
        ).fetchall()
        return [KnownFile(*row) for row in rows]

    def applied_corrections(self) -> dict[str, frozenset[tuple[str, str, str, str]]]:
        """The clerks' fixes each loaded file was loaded with (its corrections' fingerprint,
        :func:`transform.corrections.fingerprint`), by SHA-256."""
        if "corrections" not in self.table_names():
            return {}
        found: dict[str, set[tuple[str, str, str, str]]] = {}
        rows = self.conn.execute(
            "select source_sha256, field, value, corrected_by, reason from corrections"
        ).fetchall()
        for sha, *fix in rows:
            found.setdefault(sha, set()).add((fix[0], fix[1], fix[2], fix[3]))
        return {sha: frozenset(fixes) for sha, fixes in found.items()}

    def table_names(self) -> set[str]:
        return {
            row[0]
            for row in self.conn.execute(
                "select table_name from information_schema.tables"
            ).fetchall()
        }

    def quarantine(
        self, source: SourceInfo, reason: str, pipeline_version: str, now: datetime
    ) -> None:
        self.load_many([], [(source, reason)], pipeline_version, now)

    def record_duplicates(
        self, duplicates: Sequence[tuple[SourceInfo, str]], pipeline_version: str, now: datetime
    ) -> None:
        """Record files whose content is already loaded under another path (no rows added)."""
        if not duplicates:
            return
        with self.transaction():
            self._record_files(
                [(s, "duplicate", f"same content as {original}") for s, original in duplicates],
                pipeline_version,
                now,
            )

    def load_many(
        self,
        reports: Sequence[NormalizedReport],
        quarantined: Sequence[tuple[SourceInfo, str]],
        pipeline_version: str,
        now: datetime,
    ) -> None:
        """Load a batch of reports and quarantine a batch of files in one transaction.

        Bulk inserts (one per table), so a batch costs a few statements whatever its size.
        Within the batch, revisions of one project are chained in load order; the batch's
        last revision then replaces whatever report of that project is current.
        """
        try:
            self._load_many(reports, quarantined, pipeline_version, now)
        except _VALUE_ERRORS as exc:  # not duckdb.IOException & co: the machine's, raised
            raise StoreRefused(f"{type(exc).__name__}: {str(exc)[:300]}") from None

    def _load_many(
        self,
        reports: Sequence[NormalizedReport],
        quarantined: Sequence[tuple[SourceInfo, str]],
        pipeline_version: str,
        now: datetime,
    ) -> None:
        reports = _chain_revisions(reports)
        with self.transaction():
            shas = [nr.source.sha256 for nr in reports]
            replaced = self._remove_reports_of(shas) if shas else {}
            for table, frame in batch_frames(reports, now).items():
                if not frame.empty:
                    self._insert(table, frame)
            # A file read again (its corrections changed) keeps its place among the
            # revisions of its project, unless the corrections moved it to another project.
            kept = {
                nr.report.report_id: replaced[nr.report.report_id][1:]
                for nr in reports
                if nr.report.report_id in replaced
                and replaced[nr.report.report_id][0] == _revision_key(nr)
            }
            for report_id, (is_current, superseded_by) in kept.items():
                self.conn.execute(
                    "update reports set is_current = ?, superseded_by = ? where report_id = ?",
                    [is_current, superseded_by, report_id],
                )
            current = [
                nr.report
                for nr in reports
                if nr.superseded_by is None and nr.report.report_id not in kept
            ]
            if current:
                self._supersede_current(current)
            # one row per file, however many forms (reports) it held
            sources = {nr.source.sha256 + nr.source.path: nr.source for nr in reports}
            files: list[tuple[SourceInfo, FileStatus, str | None]] = [
                (source, "loaded", None) for source in sources.values()
            ]
            files += [(source, "quarantined", reason) for source, reason in quarantined]
            read_paths = {nr.source.sha256: nr.read_path or None for nr in reports}
            if files:
                self._record_files(files, pipeline_version, now, read_paths)

    def _remove_reports_of(
        self, shas: Sequence[str]
    ) -> dict[str, tuple[tuple[int, int, str], bool, str | None]]:
        """Remove what earlier loads of these files put in the warehouse (a file is read
        again when its corrections change); return each removed report's revision key and
        place (is_current, superseded_by)."""
        rows = self.conn.execute(
            "select report_id, prefecture_code, fiscal_year, project_title, is_current, "
            "superseded_by from reports where source_sha256 in (select unnest(?::varchar[]))",
            [list(shas)],
        ).fetchall()
        for table in ("validation_issues", "corrections"):
            self.conn.execute(
                f"delete from {table} where source_sha256 in (select unnest(?::varchar[]))",
                [list(shas)],
            )
        ids = [row[0] for row in rows]
        if ids:
            for table in ("report_sections", "expense_items", "contacts", "reports"):
                self.conn.execute(
                    f"delete from {table} where report_id in (select unnest(?::varchar[]))",
                    [ids],
                )
        return {row[0]: ((row[1], row[2], row[3]), row[4], row[5]) for row in rows}

    def _insert(self, table: str, frame: pd.DataFrame) -> None:
        self.conn.register("_frame", frame)
        self.conn.execute(f"insert into {table} by name select * from _frame")
        self.conn.unregister("_frame")

    def _supersede_current(self, current: Sequence[ReportRecord]) -> None:
        import pandas as pd

        keys = pd.DataFrame(
            {
                "report_id": [r.report_id for r in current],
                "prefecture_code": [r.prefecture_code for r in current],
                "fiscal_year": [r.fiscal_year for r in current],
                "project_title": [r.project_title for r in current],
            }
        )
        self.conn.register("_newest", keys)
        self.conn.execute(
            """
            update reports set is_current = false, superseded_by = n.report_id
            from _newest n
            where reports.prefecture_code = n.prefecture_code
              and reports.fiscal_year = n.fiscal_year
              and reports.project_title = n.project_title
              and reports.report_id <> n.report_id
              and reports.is_current
              and reports.report_id not in (select report_id from _newest)
            """
        )
        self.conn.unregister("_newest")

    def _record_files(
        self,
        files: Sequence[tuple[SourceInfo, FileStatus, str | None]],
        pipeline_version: str,
        now: datetime,
        read_paths: dict[str, str | None] | None = None,
    ) -> None:
        import pandas as pd

        frame = pd.DataFrame(
            {
                "sha256": [s.sha256 for s, _, _ in files],
                "path": [s.path for s, _, _ in files],
                "size_bytes": [s.size_bytes for s, _, _ in files],
                "format": [s.format for s, _, _ in files],
                "status": [status for _, status, _ in files],
                "reason": [reason for _, _, reason in files],
                "first_seen_at": [now] * len(files),
                "last_seen_at": [now] * len(files),
                "pipeline_version": [pipeline_version] * len(files),
                "read_path": [(read_paths or {}).get(s.sha256) for s, _, _ in files],
            }
        )
        self.conn.register("_files", frame)
        self.conn.execute(
            """
            insert into source_files by name select * from _files
            on conflict (sha256, path) do update set
                status = excluded.status, reason = excluded.reason,
                last_seen_at = excluded.last_seen_at, pipeline_version = excluded.pipeline_version,
                read_path = excluded.read_path
            """
        )
        self.conn.unregister("_files")

    def load(self, nr: NormalizedReport, pipeline_version: str, now: datetime) -> None:
        """Load one report and mark its file loaded, all in one transaction."""
        self.load_many([nr], [], pipeline_version, now)

    # -- checks --------------------------------------------------------------------------
    def data_check_failures(self) -> dict[str, list[tuple[Any, ...]]]:
        """Run every query under ``sql/checks``; each must return no rows."""
        failures: dict[str, list[tuple[Any, ...]]] = {}
        for check in sql_files("checks"):
            rows = self.conn.execute(check.read_text(encoding="utf-8")).fetchall()
            if rows:
                failures[check.name.removesuffix(".sql")] = rows
        return failures

    def assert_data_checks(self) -> None:
        """Raise :class:`DataCheckFailed` naming every failing check and its first rows."""
        failures = self.data_check_failures()
        if failures:
            detail = "; ".join(f"{name}: {rows[:3]}" for name, rows in failures.items())
            raise DataCheckFailed(f"data checks failed, the warehouse was not updated: {detail}")


def _revision_key(nr: NormalizedReport) -> tuple[int, int, str]:
    """Reports with one key are revisions of one project; the last loaded is current."""
    return (nr.report.prefecture_code, nr.report.fiscal_year, nr.report.project_title)


def _chain_revisions(reports: Sequence[NormalizedReport]) -> list[NormalizedReport]:
    """Revisions of one project within a batch: each points to the next, the last is current."""
    last: dict[tuple[int, int, str], int] = {}
    chained = list(reports)
    for index, nr in enumerate(chained):
        key = _revision_key(nr)
        if key in last:
            before = last[key]
            chained[before] = dataclasses.replace(
                chained[before], superseded_by=nr.report.report_id
            )
        last[key] = index
    return chained


def _location_columns(location: Location) -> dict[str, Any]:
    return {
        "page": location.page,
        "bbox": list(location.bbox) if location.bbox else None,
        "sheet": location.sheet,
        "cell": location.cell,
        "table_index": location.table_index,
        "row_index": location.row_index,
        "line": location.line,
    }


_INT_COLUMNS = {
    "page",
    "table_index",
    "row_index",
    "line",
    "budget_measure_fiscal_year",
    "decision_budget_fiscal_year",
    "declared_total_cost",
    "declared_grant_amount",
    "declared_other_funds",
    "declared_own_funds",
}


def _frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(list(rows))
    for column in frame.columns:
        if column in _INT_COLUMNS:
            frame[column] = pd.array(list(frame[column]), dtype="Int64")
    return frame


def batch_frames(reports: Sequence[NormalizedReport], now: datetime) -> dict[str, pd.DataFrame]:
    """One DataFrame per warehouse table for a batch of reports (bulk insert by name)."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for nr in reports:
        for table, table_rows in report_rows(nr, now).items():
            rows.setdefault(table, []).extend(table_rows)
    return {table: _frame(table_rows) for table, table_rows in rows.items()}


def report_frames(nr: NormalizedReport, now: datetime) -> dict[str, pd.DataFrame]:
    """One DataFrame per warehouse table for one report."""
    return batch_frames([nr], now)


def report_rows(nr: NormalizedReport, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """The rows one report puts in each warehouse table."""
    r = nr.report
    report = {
        "report_id": r.report_id,
        "source_sha256": r.source_sha256,
        "prefecture_code": r.prefecture_code,
        "fiscal_year": r.fiscal_year,
        "title": r.title,
        "project_title": r.project_title,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "amount_unit": r.amount_unit,
        "declared_total_cost": r.declared_total_cost,
        "declared_grant_amount": r.declared_grant_amount,
        "declared_other_funds": r.declared_other_funds,
        "declared_own_funds": r.declared_own_funds,
        "is_current": nr.superseded_by is None,
        "superseded_by": nr.superseded_by,
        "ingested_at": now,
    }
    sections = [
        {
            "report_id": s.report_id,
            "section_no": s.section_no,
            "heading": s.heading,
            "body": s.body,
            **_location_columns(s.location),
        }
        for s in nr.sections
    ]
    items = [
        {
            "report_id": i.report_id,
            "row_order": order,
            "line_no": i.line_no,
            "item_name": i.item_name,
            "example_ref": i.example_ref,
            "budget_measure_raw": i.budget_measure_raw,
            "budget_measure_fiscal_year": i.budget_measure_fiscal_year,
            "budget_measure_kind": i.budget_measure_kind,
            "decision_budget_raw": i.decision_budget_raw,
            "decision_budget_fiscal_year": i.decision_budget_fiscal_year,
            "decision_budget_kind": i.decision_budget_kind,
            "total_cost": i.total_cost,
            "grant_amount": i.grant_amount,
            "other_funds": i.other_funds,
            "own_funds": i.own_funds,
            "remarks": i.remarks,
            **_location_columns(i.location),
        }
        for order, i in enumerate(nr.expense_items, start=1)
    ]
    contacts = (
        [
            {
                "report_id": nr.contact.report_id,
                "department": nr.contact.department,
                "person_name": nr.contact.person_name,
                "phone": nr.contact.phone,
                "email": nr.contact.email,
            }
        ]
        if nr.contact
        else []
    )
    issues = [
        {
            "source_sha256": nr.source.sha256,
            "report_id": r.report_id,
            "rule": issue.rule,
            "severity": issue.severity,
            "message": issue.message,
        }
        for issue in nr.issues
    ]
    return {
        "reports": [report],
        "report_sections": sections,
        "expense_items": items,
        "contacts": contacts,
        "validation_issues": issues,
        "corrections": [dataclasses.asdict(c) for c in nr.corrections],
    }


# -- opening the file ----------------------------------------------------------------------
def _lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def staging_path(db_path: Path) -> Path:
    """Where a run builds the next warehouse before swapping it in."""
    return db_path.with_name(db_path.name + ".next")


@contextlib.contextmanager
def write_lock(db_path: Path) -> Iterator[None]:
    """Hold the one-writer lock of a warehouse, or raise :class:`WarehouseBusy` at once."""
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        opened = open(_lock_path(db_path), "a+")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise _machine_error(exc, db_path, "locking the warehouse") from None
    with opened as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise WarehouseBusy(
                f"{db_path} is being written by {holder}; wait for that run to finish and try again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"jokatsu pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _machine_error(exc: BaseException, path: Path, doing: str) -> WarehouseError:
    """One line that says what happened to the warehouse's folder and what to do."""
    folder = path.parent
    errno_ = getattr(exc, "errno", None)
    text = str(exc)
    if errno_ == errno.ENOSPC or "No space left" in text:
        return WarehouseError(
            f"the disk holding {folder} is full while {doing}: free space there (the run "
            "needs about twice the warehouse's size) and run again; nothing was published"
        )
    if errno_ == errno.EROFS or "Read-only file system" in text:
        return WarehouseError(
            f"{folder} is on a read-only file system: point --db (or setting db) at a "
            "writable folder; nothing was published"
        )
    if errno_ in (errno.EACCES, errno.EPERM) or "Permission denied" in text:
        return WarehouseError(
            f"no permission to write in {folder} while {doing}: give this user write access "
            "to the folder or choose another --db; nothing was published"
        )
    return WarehouseError(f"{doing} {path} failed: {text[:300]}; nothing was published")


def _open(db_path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        conn = duckdb.connect(str(db_path), read_only=read_only)
    except duckdb.Error as exc:
        if "not a valid DuckDB database" in str(exc) or "Unable to open" in str(exc):
            raise WarehouseError(
                f"{db_path} is not a DuckDB warehouse file: name another --db (jokatsu "
                "creates it), or move this file away"
            ) from None
        raise _machine_error(exc, db_path, "opening") from None
    warehouse = Warehouse(conn)
    tables = warehouse.table_names()
    if tables and "schema_migrations" not in tables:
        conn.close()
        raise WarehouseError(
            f"{db_path} is a DuckDB database but not a jokatsu warehouse (it has tables of "
            "its own): name another --db, jokatsu will not write into it"
        )
    return conn


@contextlib.contextmanager
def read_only(db_path: Path) -> Iterator[Warehouse | None]:
    """The live warehouse opened read-only, or None when it does not exist yet."""
    if not db_path.exists():
        yield None
        return
    conn = _open(db_path, read_only=True)
    try:
        yield Warehouse(conn)
    finally:
        conn.close()


@contextlib.contextmanager
def existing(db_path: Path) -> Iterator[Warehouse]:
    """The live warehouse read-only; :class:`WarehouseError` when there is none yet."""
    with read_only(db_path) as warehouse:
        if warehouse is None:
            raise WarehouseError(f"no warehouse at {db_path}: run jokatsu ingest first")
        yield warehouse


def _leftovers(db_path: Path) -> list[Path]:
    staging = staging_path(db_path)
    return [staging, staging.with_name(staging.name + ".wal")]


def _check_free_space(db_path: Path) -> None:
    """The copy needs the warehouse's size again, and the run's new rows: refuse early."""
    size = db_path.stat().st_size if db_path.exists() else 0
    needed = size + max(size // 2, 64 * 1024 * 1024)
    free = shutil.disk_usage(db_path.parent).free
    if free < needed:
        raise WarehouseError(
            f"not enough free space in {db_path.parent}: the run needs about "
            f"{needed // 2**20:,} MB (a copy of the {size // 2**20:,} MB warehouse and its new "
            f"rows), {free // 2**20:,} MB are free; free space there and run again"
        )


@contextlib.contextmanager
def publishing_writer(db_path: Path) -> Iterator[Warehouse]:
    """Write into a copy of the warehouse and swap it in atomically when the block ends.

    The caller holds :func:`write_lock`. If the block raises (or the process dies), the
    live file is untouched and the half-built copy is thrown away (here, or by the next
    run). The disk's faults (full, read-only, no permission) become one
    :class:`WarehouseError` that says what to do.
    """
    staging = staging_path(db_path)
    try:
        for leftover in _leftovers(db_path):
            leftover.unlink(missing_ok=True)
        _check_free_space(db_path)
        if db_path.exists():
            _open(db_path, read_only=True).close()  # a file that is no warehouse is refused
            shutil.copyfile(db_path, staging)
    except OSError as exc:
        _discard(db_path)
        raise _machine_error(exc, db_path, "copying the warehouse") from None
    try:
        conn = _open(staging, read_only=False)
    except BaseException:
        _discard(db_path)
        raise
    try:
        warehouse = Warehouse(conn)
        warehouse.migrate()
        yield warehouse
        conn.execute("checkpoint")
    except BaseException as exc:
        conn.close()
        _discard(db_path)
        if isinstance(exc, OSError | duckdb.IOException | duckdb.FatalException):
            raise _machine_error(exc, db_path, "writing the warehouse") from None
        raise
    conn.close()
    try:
        _fsync(staging)
        os.replace(staging, db_path)
        _fsync(db_path.parent)
    except OSError as exc:
        _discard(db_path)
        raise _machine_error(exc, db_path, "publishing the warehouse") from None


def _discard(db_path: Path) -> None:
    for leftover in _leftovers(db_path):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
