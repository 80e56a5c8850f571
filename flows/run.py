"""One run, orchestrated once, without Prefect: plan, read in the guarded pool, load, publish,
summary (:func:`run_ingest`).

Every caller runs an ingest through this module: the ``ingest`` Prefect flow (its tasks are
the :class:`Steps` it passes in, ``flows/ingest.py``), hence ``jokatsu ingest``, ``jokatsu
accuracy`` and the nightly deployment (:func:`run_in_prefect` starts the reader pool ahead and
runs the flow with the parameters :func:`flows.settings.flow_parameters` builds); the
benchmark's run without Prefect (``bench/bare_ingest.py``) passes thread-pool steps instead.
Nothing here imports Prefect at import time: the reader pool starts reading while Prefect
and its temporary server start.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from extract.model import SourceInfo
from flows.checkpoints import checkpoint
from flows.guard import GuardedReader, today_in_japan
from flows.limits import Limits
from flows.planning import PIPELINE_VERSION, Plan, Scan, hash_files, plan_files, planned_summary
from flows.runner import RunMode, take_reader
from flows.settings import Settings
from flows.stages import Outcome, batches, finish_run, load_batch, process_batch, tally, utc_now
from flows.summary import IngestSummary
from transform.corrections import Correction
from warehouse.load import RunCounts
from warehouse.publish import publishing_writer, write_lock
from warehouse.store import Warehouse

if TYPE_CHECKING:
    from flows.planning import Prepared


class Result(Protocol):
    """A batch being processed: a future of the thread pool or of Prefect's task runner."""

    def result(self) -> list[Outcome]: ...


@dataclass(frozen=True)
class Steps:
    """How the run core calls its stages: directly and on threads (:data:`THREADS`), or as
    Prefect tasks (``flows/ingest.py``). The stages themselves are the same functions."""

    scan: Callable[[list[Path], Limits], Scan]
    process: Callable[
        [GuardedReader | None, list[SourceInfo], date, dict[str, tuple[Correction, ...]], Limits],
        Result,
    ]
    load: Callable[[Warehouse, list[Outcome], datetime], list[Outcome]]
    run_id: Callable[[], str] = lambda: str(uuid.uuid4())
    log: Callable[[str], None] = lambda line: None


_threads = ThreadPoolExecutor(max_workers=32, thread_name_prefix="jokatsu-batch")


def _on_thread(
    reader: GuardedReader | None,
    sources: list[SourceInfo],
    today: date,
    fixes: dict[str, tuple[Correction, ...]],
    limits: Limits,
) -> Future[list[Outcome]]:
    return _threads.submit(process_batch, reader, sources, today, fixes, limits)


def _load_here(warehouse: Warehouse, outcomes: list[Outcome], now: datetime) -> list[Outcome]:
    return load_batch(warehouse, outcomes, PIPELINE_VERSION, now)


# The run without Prefect: batches on threads (as many as Prefect's default task runner has).
THREADS = Steps(scan=hash_files, process=_on_thread, load=_load_here)


def run_ingest(
    paths: list[Path],
    settings: Settings,
    retry_quarantined: bool = False,
    steps: Steps = THREADS,
    reader: GuardedReader | None = None,
) -> IngestSummary:
    """Ingest the report files under ``paths`` into the warehouse ``settings.db``.

    Under the write lock: scan and hash, plan against the warehouse and the clerks'
    corrections (``settings.corrections``), read each batch in the guarded pool under the
    per-file limits (``reader``, one already reading ahead, adopted and closed here; else
    one started from ``settings.limits``; none on Dask, ``settings.dask``, whose workers
    are processes already), load the batches into a copy of the warehouse, check it, swap it
    in. Returns the run's summary.
    """
    started = time.perf_counter()
    limits = settings.limits
    with write_lock(settings.db):
        found = steps.scan(paths, limits)
        plan, pending, fixes = plan_files(
            found, settings.db, retry_quarantined, settings.corrections, limits
        )
        summary = planned_summary(plan, found)
        steps.log(
            f"{len(found.sources)} files: {len(plan.to_read)} to read, "
            f"{len(plan.unchanged)} already loaded, {len(plan.duplicates)} duplicate"
        )
        checkpoint("scanned")
        if reader is None and RunMode(settings.dask).guarded:
            reader = GuardedReader(limits)
        try:
            if reader is not None:
                reader.corrections = fixes
                steps.log(f"reader pool: {reader.limits.describe()}")
            today = reader.today if reader is not None else today_in_japan()
            results = [
                steps.process(reader, batch, today, _fixes_of(batch, fixes), limits)
                for batch in batches(plan.to_read, limits.workers)
            ]
            _publish(settings.db, plan, results, summary, pending, steps)
        finally:
            if reader is not None:
                reader.close()
        checkpoint("published")
    summary.timings.flow = summary.seconds = time.perf_counter() - started
    return summary


def _fixes_of(
    batch: list[SourceInfo], fixes: dict[str, tuple[Correction, ...]]
) -> dict[str, tuple[Correction, ...]]:
    return {s.sha256: fixes[s.sha256] for s in batch if s.sha256 in fixes}


def _publish(
    db: Path,
    plan: Plan,
    results: list[Result],
    summary: IngestSummary,
    needs_refresh: bool,
    steps: Steps,
) -> None:
    """Load every outcome into a copy of the warehouse and swap it in (nothing to do: no-op)."""
    if not (results or plan.duplicates or needs_refresh):
        return
    now = utc_now()
    with publishing_writer(db) as warehouse:
        files = 0
        for done, result in enumerate(results, start=1):
            outcomes = steps.load(warehouse, result.result(), now)
            for outcome in outcomes:
                tally(summary, outcome)
            files += len(outcomes)
            steps.log(f"batch {done}/{len(results)} loaded: {files} files so far")
            checkpoint(f"loaded-{done}")
        summary.duplicates += [(source.path, original) for source, original in plan.duplicates]
        counts = RunCounts(len(summary.loaded), len(summary.quarantined), len(summary.duplicates))
        finish_run(warehouse, plan.duplicates, PIPELINE_VERSION, steps.run_id(), now, counts)
        checkpoint("checked")
    # The same list object: a WAL set aside after the swap is added to it on the way out.
    summary.notices = warehouse.notices


def run_in_prefect(
    paths: list[Path],
    settings: Settings,
    retry_quarantined: bool = False,
    prepared: Prepared | None = None,
) -> IngestSummary:
    """Run the ``ingest`` flow on this machine with these settings (``jokatsu ingest``,
    ``jokatsu accuracy``): the reader pool starts on the planned files (``prepared``) while
    Prefect and its temporary server start (flows/server.py), and the flow adopts it."""
    from flows.runner import hand_over
    from flows.server import prefect_api
    from flows.settings import flow_parameters

    mode = RunMode(settings.dask)
    if prepared is not None:
        reader = mode.read_ahead(settings.limits, prepared.plan.to_read, prepared.corrections)
        if reader is not None:
            hand_over(reader)
    try:
        with prefect_api():
            from flows.ingest import flow_for

            parameters = flow_parameters(settings, paths, retry_quarantined)
            summary: IngestSummary = flow_for(parameters)(**parameters)
            return summary
    finally:
        left = take_reader(settings.limits)  # not adopted (the flow failed before): close it
        if left is not None:
            left.close()
