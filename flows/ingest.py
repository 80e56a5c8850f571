"""The ``ingest`` Prefect flow: files in, warehouse out. Each task is one call into a stage."""

from __future__ import annotations

import time
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun
from prefect.states import Completed
from prefect.utilities.annotations import quote

from extract.model import SourceInfo
from extract.text import shown
from flows.checkpoints import checkpoint
from flows.guard import GuardedReader, today_in_japan
from flows.limits import Limits
from flows.planning import PIPELINE_VERSION, Plan, Scan, hash_files, plan_files, planned_summary
from flows.settings import Settings
from flows.stages import (
    Outcome,
    batches,
    finish_run,
    load_batch,
    process_batch,
    tally,
    utc_now,
)
from flows.summary import IngestSummary
from transform.corrections import Correction
from warehouse.load import RunCounts
from warehouse.publish import publishing_writer, write_lock
from warehouse.store import Warehouse

DEFAULT_DB: Path = Settings.model_fields["db"].default
DEFAULT_INBOX: Path = Settings.model_fields["inbox"].default
DEFAULT_CORRECTIONS: Path = Settings.model_fields["corrections"].default


def _is_io_error(task: Any, task_run: TaskRun, state: State[Any]) -> bool:
    try:
        state.result()
    except OSError:
        return True
    except BaseException:
        return False
    return False


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=_is_io_error, cache_policy=NO_CACHE)
def scan(paths: list[Path]) -> Scan:
    """Find report files under the paths, in load order, and hash their contents."""
    return hash_files(paths)


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=_is_io_error, cache_policy=NO_CACHE)
def process(
    reader: GuardedReader | None,
    sources: list[SourceInfo],
    today: date,
    corrections: dict[str, tuple[Correction, ...]],
) -> list[Outcome]:
    """Read, normalise (after the clerks' corrections, if any) and check a batch of files,
    each under the per-file limits (extract/ and transform/ in the guarded workers)."""
    return process_batch(reader, sources, today, corrections)


@task(cache_policy=NO_CACHE)
def load(warehouse: Warehouse, outcomes: list[Outcome], now: datetime) -> list[Outcome]:
    """Load a batch of reports and quarantine its rejected files (one transaction; a file
    the database refuses is quarantined alone)."""
    return load_batch(warehouse, outcomes, PIPELINE_VERSION, now)


@flow(name="ingest", log_prints=False)
def ingest(
    paths: list[Path] | None = None,
    db: Path = DEFAULT_DB,
    retry_quarantined: bool = False,
    limits: Limits | None = None,
    guarded: bool = True,
    corrections: Path | None = DEFAULT_CORRECTIONS,
    reader: GuardedReader | None = None,
) -> IngestSummary:
    """Ingest report files (or folders, recursively) into the DuckDB warehouse at ``db``.

    Files are read in a guarded pool of worker processes: ``reader``, one already reading
    ahead (:meth:`flows.runner.RunMode.read_ahead`; the caller closes it), or a pool the
    flow starts and closes. ``guarded=False`` reads files in the task's own process (for the
    Dask task runner, whose workers are separate processes already); loads always run here,
    on the single writer. ``corrections`` is the folder of the clerks' corrections files.
    """
    started = time.perf_counter()
    logger = get_run_logger()
    paths = paths or [DEFAULT_INBOX]
    with write_lock(db):
        found = scan(paths)
        plan, pending, fixes = plan_files(found, db, retry_quarantined, corrections)
        summary = planned_summary(plan, found)
        logger.info(
            "%d files: %d to read, %d already loaded, %d duplicate",
            len(found.sources),
            len(plan.to_read),
            len(plan.unchanged),
            len(plan.duplicates),
        )
        checkpoint("scanned")
        limits = limits or Limits()
        owned = reader is None and guarded
        if owned:
            reader = GuardedReader(limits)
        if reader is not None:
            reader.corrections = fixes
        today = reader.today if reader is not None else today_in_japan()
        futures = [
            process.submit(
                reader,
                batch,
                today,
                {s.sha256: fixes[s.sha256] for s in batch if s.sha256 in fixes},
            )
            for batch in batches(plan.to_read, limits.workers)
        ]
        try:
            _publish(db, plan, futures, summary, pending, logger)
        finally:
            if owned and reader is not None:
                reader.close()
        checkpoint("published")
    summary.timings.flow = summary.seconds = time.perf_counter() - started
    for line in summary.log_lines():
        logger.warning(line)
    logger.info("summary:\n%s", summary.to_text())
    create_markdown_artifact(
        key="ingest-summary",
        markdown=summary.markdown(),
        description=f"jokatsu ingest into {shown(str(db))}: {summary.state_message()}",
    )
    return Completed(  # type: ignore[return-value]
        name=summary.state_name, message=summary.state_message(), data=summary
    )


def _publish(
    db: Path,
    plan: Plan,
    futures: list[Any],
    summary: IngestSummary,
    needs_refresh: bool,
    logger: Any,
) -> None:
    """Load every outcome into a copy of the warehouse and swap it in (nothing to do: no-op)."""
    if not (futures or plan.duplicates or needs_refresh):
        return
    now = utc_now()
    with publishing_writer(db) as warehouse:
        files = 0
        for done, future in enumerate(futures, start=1):
            outcomes = load(warehouse, quote(future.result()), now)  # type: ignore[call-overload]
            for outcome in outcomes:
                tally(summary, outcome)
            files += len(outcomes)
            logger.info("batch %d/%d loaded: %d files so far", done, len(futures), files)
            checkpoint(f"loaded-{done}")
        summary.duplicates += [(source.path, original) for source, original in plan.duplicates]
        counts = RunCounts(len(summary.loaded), len(summary.quarantined), len(summary.duplicates))
        finish_run(warehouse, plan.duplicates, PIPELINE_VERSION, _run_id(), now, counts)
        checkpoint("checked")


def _run_id() -> str:
    """The Prefect flow run's id (a fresh one outside a run)."""
    from prefect.runtime import flow_run

    return str(flow_run.id or uuid.uuid4())
