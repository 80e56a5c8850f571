"""The ``ingest`` Prefect flow: files in, warehouse out. Each task is one call into a stage."""

from __future__ import annotations

import dataclasses
import hashlib
import math
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
from flows.sandbox import GuardedReader, Limits, read_file
from flows.settings import Settings
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
DEFAULT_DB: Path = Settings.model_fields["db"].default
DEFAULT_INBOX: Path = Settings.model_fields["inbox"].default
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


def hash_files(paths: list[Path]) -> tuple[list[SourceInfo], list[Path]]:
    """Report files under the paths, in load order, with their hashes; and the skipped files."""
    files, skipped = discover(paths)
    files.sort(key=_load_order)
    return [source_info(str(p), p.read_bytes()) for p in files], skipped


def known_state(db: Path) -> tuple[list[Known], bool]:
    """What the live warehouse knows of files, and whether it has migrations pending."""
    with read_only(db) as live:
        if live is None:
            return [], True
        known = [Known(*dataclasses.astuple(k)) for k in live.known_files()]
        return known, bool(live.pending_migrations())


def planned_summary(plan: Plan, skipped: list[Path]) -> IngestSummary:
    """The part of a run's summary that is known before any file is read."""
    return IngestSummary(
        unchanged=[s.path for s in plan.unchanged],
        still_quarantined=[s.path for s in plan.already_quarantined],
        skipped=[str(p) for p in skipped],
    )


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=_is_io_error, cache_policy=NO_CACHE)
def scan(paths: list[Path]) -> tuple[list[SourceInfo], list[Path]]:
    """Find report files under the paths, in load order, and hash their contents."""
    return hash_files(paths)


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


Outcome = NormalizedReport | Rejected


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=_is_io_error, cache_policy=NO_CACHE)
def read(guard: GuardedReader | None, sources: list[SourceInfo]) -> list[Document | Rejected]:
    """Read a batch of files into Documents (extract/).

    With a guard, each file is read in a worker process under the per-file limits; without
    one (on a Dask worker, which is itself a separate process) it is read right here.
    """
    if guard is None:
        return [_guard(s, lambda s=s: read_file(s.path, s)) for s in sources]  # type: ignore[misc]
    started = [guard.submit(s) for s in sources]
    return [_guard(s, lambda f=f: guard.result(f)) for s, f in zip(sources, started, strict=True)]  # type: ignore[misc]


@task(cache_policy=NO_CACHE)
def normalise(docs: list[Document | Rejected]) -> list[Outcome]:
    """Turn Documents into typed records (transform/)."""
    return [
        doc
        if isinstance(doc, Rejected)
        else _guard(doc.source, lambda d=doc: normalize_document(d))  # type: ignore[misc]
        for doc in docs
    ]


@task(cache_policy=NO_CACHE)
def check(reports: list[Outcome]) -> list[Outcome]:
    """Run the checks and attach their issues (transform/)."""
    return [
        nr if isinstance(nr, Rejected) else dataclasses.replace(nr, issues=check_report(nr))
        for nr in reports
    ]


@task(cache_policy=NO_CACHE)
def load(warehouse: Warehouse, outcomes: list[Outcome], now: datetime) -> None:
    """Load a batch of reports and quarantine its rejected files, in one transaction."""
    warehouse.load_many(
        [o for o in outcomes if not isinstance(o, Rejected)],
        [(o.source, o.reason) for o in outcomes if isinstance(o, Rejected)],
        PIPELINE_VERSION,
        now,
    )


def batches(items: list[T], workers: int, largest: int = 100) -> list[list[T]]:
    """Split the files of a run into batches: about four per worker, at most ``largest``."""
    if not items:
        return []
    size = max(1, min(largest, math.ceil(len(items) / (4 * workers))))
    return [items[i : i + size] for i in range(0, len(items), size)]


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
    guarded: bool = True,
) -> IngestSummary:
    """Ingest report files (or folders, recursively) into the DuckDB warehouse at ``db``.

    ``guarded=False`` reads files in the task's own process (for the Dask task runner, whose
    workers are separate processes already); loads always run here, on the single writer.
    """
    started = time.perf_counter()
    logger = get_run_logger()
    paths = paths or [DEFAULT_INBOX]
    with write_lock(db):
        sources, skipped = scan(paths)
        known, pending = known_state(db)
        plan = plan_run(sources, known, PIPELINE_VERSION, retry_quarantined)
        summary = planned_summary(plan, skipped)
        logger.info(
            "%d files: %d to read, %d already loaded, %d duplicate",
            len(sources),
            len(plan.to_read),
            len(plan.unchanged),
            len(plan.duplicates),
        )
        pause_point("scanned")
        limits = limits or Limits()
        guard = GuardedReader(limits) if guarded else None
        # Prefect resolves a future passed as an argument; its stubs do not say so.
        futures = [
            check.submit(normalise.submit(read.submit(guard, batch)))  # type: ignore[call-overload]
            for batch in batches(plan.to_read, limits.workers)
        ]
        try:
            _publish(db, plan, futures, summary, pending, logger)
        finally:
            if guard is not None:
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


def unchanged_summary(
    paths: list[Path], db: Path, retry_quarantined: bool = False
) -> IngestSummary | None:
    """The summary of a run that would find nothing new, or None when there is work.

    Only hashes files and reads the warehouse (no Prefect): a night with no new files costs
    about a second instead of a temporary server's start.
    """
    started = time.perf_counter()
    sources, skipped = hash_files(paths)
    known, pending = known_state(db)
    plan = plan_run(sources, known, PIPELINE_VERSION, retry_quarantined)
    if pending or plan.to_read or plan.duplicates:
        return None
    summary = planned_summary(plan, skipped)
    summary.seconds = time.perf_counter() - started
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
        files = 0
        for done, future in enumerate(futures, start=1):
            outcomes = future.result()
            load(warehouse, outcomes, now)
            for outcome in outcomes:
                _tally(summary, outcome)
            files += len(outcomes)
            logger.info("batch %d/%d loaded: %d files so far", done, len(futures), files)
            pause_point(f"loaded-{done}")
        warehouse.record_duplicates(plan.duplicates, PIPELINE_VERSION, now)
        summary.duplicates += [(source.path, original) for source, original in plan.duplicates]
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


def _tally(summary: IngestSummary, outcome: Outcome) -> None:
    if isinstance(outcome, Rejected):
        summary.quarantined.append((outcome.source.path, outcome.reason))
        return
    summary.loaded.append(outcome.source.path)
    for issue in outcome.issues:
        summary.issues[(issue.rule, issue.severity)] += 1
