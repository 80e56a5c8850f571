"""The ``ingest`` Prefect flow: files in, warehouse out. Each task is one call into a stage."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun

from extract import source_info
from extract.errors import JokatsuError, QuarantineError
from extract.model import Document, SourceInfo
from flows.plan import Known, Plan, discover, plan_run
from flows.sandbox import GuardedReader, Limits
from flows.summary import IngestSummary
from transform.checks import check_report
from transform.normalize import normalize_document
from transform.records import NormalizedReport
from warehouse.store import Warehouse, publishing_writer, read_only, write_lock


def _pipeline_version() -> str:
    """The package version plus a digest of the code and reference data that read files.

    A quarantined file is read again whenever this changes, so a reader fixed or added
    later picks up files it once refused, without anyone bumping a number.
    """
    digest = hashlib.sha256()
    for package in ("extract", "transform"):
        root = Path(str(resources.files(package)))
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".csv") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root.parent).as_posix().encode())
                digest.update(path.read_bytes())
    return f"{version('jokatsu')}+{digest.hexdigest()[:12]}"


PIPELINE_VERSION = _pipeline_version()
DEFAULT_DB = Path("data/warehouse.duckdb")
DEFAULT_INBOX = Path("data/sample")
PAUSE_ENV, PAUSE_FILE_ENV = "JOKATSU_TEST_PAUSE", "JOKATSU_TEST_PAUSE_FILE"
T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Rejected:
    """A file that will be quarantined, and why."""

    source: SourceInfo
    reason: str


def _is_io_error(task: Any, task_run: TaskRun, state: State[Any]) -> bool:
    try:
        state.result()
    except OSError:
        return True
    except BaseException:
        return False
    return False


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _load_order(path: Path) -> tuple[bool, float, str]:
    """Files load oldest first, revisions (「修正」 in the name) last: the last one wins."""
    return ("修正" in path.name, path.stat().st_mtime, str(path))


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=_is_io_error, cache_policy=NO_CACHE)
def scan(paths: list[Path]) -> tuple[list[SourceInfo], list[Path]]:
    """Find report files under the paths, in load order, and hash their contents."""
    files, skipped = discover(paths)
    files.sort(key=_load_order)
    return [source_info(str(p), p.read_bytes()) for p in files], skipped


def pause_point(name: str) -> None:
    """Test hook for the crash tests: with ``JOKATSU_TEST_PAUSE=name`` the run says where
    it is (in the file ``JOKATSU_TEST_PAUSE_FILE``) and waits there until that file is
    removed, so a test can kill it, or read beside it, at a known point. Without the
    variable this does nothing."""
    if os.environ.get(PAUSE_ENV) != name:
        return
    marker = Path(os.environ[PAUSE_FILE_ENV])
    marker.write_text(f"{name} {os.getpid()}")
    deadline = time.monotonic() + 600
    while marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=_is_io_error, cache_policy=NO_CACHE)
def read(guard: GuardedReader, source: SourceInfo) -> Document | Rejected:
    """Read one file into a Document (extract/, in a guarded worker process)."""
    return _guard(source, lambda: guard.read(source))


@task(cache_policy=NO_CACHE)
def normalise(doc: Document | Rejected) -> NormalizedReport | Rejected:
    """Turn a Document into typed records (transform/)."""
    if isinstance(doc, Rejected):
        return doc
    return _guard(doc.source, lambda: normalize_document(doc))


@task(cache_policy=NO_CACHE)
def check(nr: NormalizedReport | Rejected) -> NormalizedReport | Rejected:
    """Run the checks and attach their issues (transform/)."""
    if isinstance(nr, Rejected):
        return nr
    return dataclasses.replace(nr, issues=check_report(nr))


@task(cache_policy=NO_CACHE)
def load(warehouse: Warehouse, outcome: NormalizedReport | Rejected, now: datetime) -> None:
    """Load one report, or quarantine its file, in one transaction (warehouse/)."""
    if isinstance(outcome, Rejected):
        warehouse.quarantine(outcome.source, outcome.reason, PIPELINE_VERSION, now)
    else:
        warehouse.load(outcome, PIPELINE_VERSION, now)


def _guard(source: SourceInfo, step: Callable[[], T]) -> T | Rejected:
    try:
        result = step()
    except QuarantineError as exc:
        return Rejected(source, str(exc))
    except (JokatsuError, OSError):  # the machine's trouble, not the file's: the run stops
        raise
    except RecursionError:
        return Rejected(source, "the file is nested too deeply to read")
    except Exception as exc:  # a reader bug must not stop the night's run
        return Rejected(
            source,
            f"unexpected {type(exc).__name__} while reading ({exc}); the file is kept in "
            "quarantine: report it to the jokatsu maintainers",
        )
    return result


@flow(name="ingest", log_prints=False)
def ingest(
    paths: list[Path] | None = None,
    db: Path = DEFAULT_DB,
    retry_quarantined: bool = False,
    limits: Limits | None = None,
) -> IngestSummary:
    """Ingest report files (or folders, recursively) into the DuckDB warehouse at ``db``."""
    started = time.perf_counter()
    logger = get_run_logger()
    paths = paths or [DEFAULT_INBOX]
    summary = IngestSummary()
    with write_lock(db):
        sources, skipped = scan(paths)
        summary.skipped = [str(p) for p in skipped]
        with read_only(db) as live:
            known = [Known(*dataclasses.astuple(k)) for k in live.known_files()] if live else []
            pending = bool(live.pending_migrations()) if live else True
        plan = plan_run(sources, known, PIPELINE_VERSION, retry_quarantined)
        summary.unchanged = [s.path for s in plan.unchanged]
        summary.still_quarantined = [s.path for s in plan.already_quarantined]
        logger.info(
            "%d files: %d to read, %d already loaded, %d duplicate",
            len(sources),
            len(plan.to_read),
            len(plan.unchanged),
            len(plan.duplicates),
        )
        pause_point("scanned")
        guard = GuardedReader(limits or Limits())
        # Prefect resolves a future passed as an argument; its stubs do not say so.
        futures = [
            check.submit(normalise.submit(read.submit(guard, s)))  # type: ignore[call-overload]
            for s in plan.to_read
        ]
        try:
            _publish(db, plan, futures, summary, pending, logger)
        finally:
            guard.close()
        pause_point("published")
    summary.seconds = time.perf_counter() - started

    create_table_artifact(
        key="ingest-summary",
        table=summary.artifact_rows(),
        description=f"jokatsu ingest into {db}: {len(summary.loaded)} loaded, "
        f"{len(summary.quarantined)} quarantined",
    )
    return summary


def _publish(
    db: Path,
    plan: Plan,
    futures: list[Any],
    summary: IngestSummary,
    pending_migrations: bool,
    logger: Any,
) -> None:
    """Load every outcome into a copy of the warehouse and swap it in (nothing to do: no-op)."""
    if not (futures or plan.duplicates or pending_migrations):
        return
    now = _now()
    with publishing_writer(db) as warehouse:
        for done, future in enumerate(futures, start=1):
            outcome = future.result()
            load(warehouse, outcome, now)
            _tally(summary, outcome)
            logger.info("[%d/%d] %s", done, len(futures), outcome.source.path)
            pause_point(f"loaded-{done}")
        for source, original in plan.duplicates:
            warehouse.record_duplicate(source, original, PIPELINE_VERSION, now)
            summary.duplicates.append((source.path, original))
        warehouse.record_run(
            _run_id(),
            now,
            _now(),
            PIPELINE_VERSION,
            (len(summary.loaded), len(summary.quarantined), len(summary.duplicates)),
        )
        warehouse.assert_data_checks()
        pause_point("checked")


def _run_id() -> str:
    """The Prefect flow run's id (a fresh one outside a run)."""
    from prefect.runtime import flow_run

    return str(flow_run.id or uuid.uuid4())


def _tally(summary: IngestSummary, outcome: NormalizedReport | Rejected) -> None:
    if isinstance(outcome, Rejected):
        summary.quarantined.append((outcome.source.path, outcome.reason))
        return
    summary.loaded.append(outcome.source.path)
    for issue in outcome.issues:
        summary.issues[(issue.rule, issue.severity)] += 1
