"""The stages of a run as plain functions over batches of files (no Prefect here).

``flows/ingest.py`` wraps each in a Prefect task; the benchmark calls them directly to
price Prefect's overhead. A file whose stage fails in a way that is the file's fault
becomes :class:`Rejected` (it will be quarantined with the reason); trouble of the machine
stops the run (:func:`flows.faults.file_fault` tells them apart).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import TypeVar

from extract.errors import ReasonCode
from extract.model import SourceInfo
from flows.faults import file_fault
from flows.guard import GuardedReader, process_file
from flows.limits import DEFAULT_LIMITS, Limits
from flows.summary import ErrorIssue, IngestSummary
from transform.corrections import Correction, QuarantinedWithUnfitCorrections, UnfitCorrection
from transform.records import FileReports
from warehouse.errors import StoreRefused
from warehouse.load import Duplicate, Quarantined, RunCounts
from warehouse.ocr_store import review_reason
from warehouse.store import Warehouse

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Rejected:
    """A file that will not be loaded, and why.

    ``recorded`` files are quarantined in the warehouse (their content is at fault); the
    others (vanished, no permission) are only reported, and read again next run.
    """

    source: SourceInfo
    reason: str
    recorded: bool = True
    code: ReasonCode = "unreadable"  # the reason's stable code (source_files.reason_code)
    detail: str = ""  # for the run's log only: an unplanned exception, the database's words
    # the clerk's corrections files for it that did not fit (reported under 「not read」)
    unfit: tuple[UnfitCorrection, ...] = ()


Outcome = FileReports | Rejected


def batches(items: list[T], workers: int, largest: int = 100) -> list[list[T]]:
    """Split the files of a run into batches: about two per worker, at most ``largest``.

    Each batch costs two Prefect task runs (~40 ms of CPU between client and server);
    two per worker instead of four took 0.4-0.5 s off the 470-file benchmark, and the
    reader pool is kept busy by the read-ahead either way.
    """
    if not items:
        return []
    size = max(1, min(largest, math.ceil(len(items) / (2 * workers))))
    return [items[i : i + size] for i in range(0, len(items), size)]


def guard(source: SourceInfo, step: Callable[[], T]) -> T | Rejected:
    """Run one file's step; the file's own faults become :class:`Rejected`
    (:func:`flows.faults.file_fault` decides); the machine's trouble stops the run."""
    try:
        return step()
    except Exception as exc:
        fault = file_fault(exc)
        if fault is None:  # the machine's trouble, not the file's: the run stops
            raise
        unfit = exc.unfit if isinstance(exc, QuarantinedWithUnfitCorrections) else ()
        return Rejected(source, fault.reason, fault.recorded, fault.code, fault.detail, unfit)


def process_batch(
    reader: GuardedReader | None,
    sources: list[SourceInfo],
    today: date | None = None,
    corrections: Mapping[str, tuple[Correction, ...]] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Outcome]:
    """Each file of a batch through read, normalise, withhold and check (extract/, transform/).

    With a reader, each file runs in its worker processes under the per-file time and memory
    limits (all of the batch at once, or taken from its read-ahead); without one (on a Dask
    worker, which is a separate process already) each runs right here, under ``limits``'
    size limit and the readers' own (``limits.reading``).
    """
    fixes = corrections or {}
    if reader is None:
        return [
            guard(
                s,
                lambda s=s: process_file(  # type: ignore[misc]
                    s.path, s, limits, today, fixes.get(s.sha256, ())
                ),
            )
            for s in sources
        ]
    started = [reader.submit(s) for s in sources]
    return [
        guard(s, lambda f=f: reader.result(f))  # type: ignore[misc]
        for s, f in zip(sources, started, strict=True)
    ]


def load_batch(
    warehouse: Warehouse, outcomes: list[Outcome], pipeline_version: str, now: datetime
) -> list[Outcome]:
    """Load a batch's reports and quarantine its rejected files, in one transaction.

    When the batch cannot be stored because of one file's content (a value the database
    refuses), each file is loaded in a transaction of its own and the file that fails
    alone is quarantined with the database's reason: one file never stops the run. The
    machine's faults (disk, I/O) still stop it. Returns the outcomes as loaded.
    """
    try:
        _load(warehouse, outcomes, pipeline_version, now)
        return outcomes
    except StoreRefused:
        pass
    loaded: list[Outcome] = []
    for outcome in outcomes:
        try:
            _load(warehouse, [outcome], pipeline_version, now)
        except StoreRefused as exc:
            outcome = Rejected(
                outcome.source,
                "データベースがこの報告書の値を受け付けません（範囲外の値や型の合わない値）。"
                "何も読み込んでいません。金額・日付などの記入を確かめて送り直してください。",
                code="store_refused",
                detail=str(exc),
            )
            _load(warehouse, [outcome], pipeline_version, now)
        loaded.append(outcome)
    return loaded


def _load(
    warehouse: Warehouse, outcomes: list[Outcome], pipeline_version: str, now: datetime
) -> None:
    warehouse.load_many(
        [report for o in outcomes if not isinstance(o, Rejected) for report in o.reports],
        [
            Quarantined(o.source, o.reason, o.code)
            for o in outcomes
            if isinstance(o, Rejected) and o.recorded
        ],
        pipeline_version,
        now,
    )


def utc_now() -> datetime:
    """The time the warehouse records (UTC, without a time zone, as DuckDB's TIMESTAMP)."""
    return datetime.now(UTC).replace(tzinfo=None)


def finish_run(
    warehouse: Warehouse,
    duplicates: list[Duplicate],
    pipeline_version: str,
    run_id: str,
    started_at: datetime,
    counts: RunCounts,
) -> None:
    """Record the run's duplicates and the run itself (files loaded, quarantined, duplicate),
    then run the data checks: the last writes before the copy is published."""
    warehouse.record_duplicates(duplicates, pipeline_version, started_at)
    warehouse.record_run(run_id, started_at, utc_now(), pipeline_version, counts)
    warehouse.assert_data_checks()


def tally(summary: IngestSummary, outcome: Outcome) -> None:
    """Count one file's outcome into the run's summary."""
    summary.sha256[outcome.source.path] = outcome.source.sha256
    for unfit in outcome.unfit:  # a clerk's input that could not be used, like a file
        summary.not_read.append((unfit.file, unfit.describe(outcome.source.path)))
    if isinstance(outcome, Rejected):
        if outcome.recorded:
            summary.quarantined.append((outcome.source.path, outcome.reason))
        else:
            summary.not_read.append((outcome.source.path, outcome.reason))
        if outcome.detail:
            summary.details.append((outcome.source.path, outcome.detail))
        return
    held = [report for report in outcome.reports if report.awaiting_review]
    if held:  # a scan read by OCR awaiting a clerk's review: held in quarantine, not loaded
        summary.quarantined.append((outcome.source.path, review_reason(held[0])))
        summary.awaiting_review.append(outcome.source.path)
        return
    summary.loaded.append(outcome.source.path)
    if any(report.corrections for report in outcome.reports):
        summary.corrected.append(outcome.source.path)
    for issue in outcome.issues:
        summary.issues[(issue.rule, issue.severity)] += 1
        if issue.severity == "error":
            summary.errors.append(ErrorIssue(outcome.source.path, issue.rule, issue.message))
