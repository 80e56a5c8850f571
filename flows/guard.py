"""Reading files in guarded worker processes: a time and memory limit per file.

A hostile or broken file (a decompression bomb, a PDF that makes the parser spin) must not
stop the night's run. Each file is read in a worker process of a pebble ``ProcessPool``: a
read that takes longer than the time limit is killed with its worker, and a worker's
address space is capped, so a bomb ends in ``MemoryError`` inside the worker. Either way the
file is quarantined with the limit it broke, and the run goes on. The pool also reads files
in parallel, one worker per core. Workers are started with ``spawn`` (the parent runs
Prefect's threads, which ``fork`` would copy in an unknown state) and replaced after a number
of files, so memory stays flat over long runs.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import CancelledError
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pebble import ProcessPool

from extract import read_document
from extract.errors import JokatsuError, QuarantineError, UnreadableFile
from extract.model import Document, SourceInfo, sha256_hex
from flows.bundles import member_bytes
from flows.faults import UNEXPECTED_REASON, ReaderCrashed, exception_detail, file_fault
from flows.files import read_bounded
from flows.limits import Limits
from transform.corrections import Correction
from transform.pipeline import process_bytes
from transform.records import FileReports


class FileChanged(UnreadableFile):
    """The file's content changed between the scan and the read."""


class ReaderPoolBroken(JokatsuError):
    """The worker processes cannot run at all: the run stops, no file is blamed."""


def _start_worker(memory_mb: int, niceness: int) -> None:
    """Cap the worker's address space, and let it yield the CPU to the run's own process
    and Prefect's server (they are on the run's critical path; reading fills the rest)."""
    import resource

    cap = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    if niceness:
        os.nice(niceness)


def today_in_japan() -> date:
    """The run's date where the reports are written (it bounds their plausible years)."""
    return datetime.now(ZoneInfo("Asia/Tokyo")).date()


Read = Callable[[bytes, SourceInfo], Document]


def read_bounded_file(path: str, source: SourceInfo, limits: Limits) -> bytes:
    """A file's bytes from disk (in a worker): a regular file within the size limit
    (``limits.max_bytes``; a bundle's member unpacked under ``limits.bundle``), the bytes the
    scan hashed."""
    if source.bundle_path is not None:  # a file in a zip bundle: unpacked again here
        data = member_bytes(source, limits)
    else:
        data = read_bounded(path, limits.max_bytes)
    if sha256_hex(data) != source.sha256:
        raise FileChanged(
            "読み取り中にファイルが変更されました。次の実行で読み直します。", "file_changed"
        )
    return data


def read_file(path: str, source: SourceInfo, limits: Limits, read: Read | None = None) -> Document:
    """Only read one file (in a worker) with ``read`` (a module-level function, sent to the
    worker by name), by default the reader for its format under ``limits.reading``."""
    data = read_bounded_file(path, source, limits)
    return read(data, source) if read is not None else read_document(data, source, limits.reading)


def process_file(
    path: str,
    source: SourceInfo,
    limits: Limits,
    today: date | None = None,
    corrections: tuple[Correction, ...] = (),
) -> FileReports:
    """One file's whole pipeline before loading (in a worker, under the limits): its bytes,
    then :func:`transform.pipeline.process_bytes` (the reader under ``limits.reading``, the
    clerk's corrections, normalising, the personal-data gate, the checks).

    An unplanned exception is turned into :class:`ReaderCrashed` here, in the worker, so
    that it can be sent back at all (some, lxml's with their error log, cannot be); what it
    means for the file is decided in the run's process (:func:`flows.faults.file_fault`).
    """
    try:
        data = read_bounded_file(path, source, limits)
        return process_bytes(data, source, today, corrections, limits.reading)
    except (JokatsuError, MemoryError, RecursionError, OSError):
        raise
    except Exception as exc:
        raise ReaderCrashed(UNEXPECTED_REASON, detail=exception_detail(exc)) from None


class GuardedReader:
    """A pool of worker processes that read files under :class:`Limits`."""

    def __init__(
        self,
        limits: Limits = Limits(),
        today: date | None = None,
        corrections: Mapping[str, tuple[Correction, ...]] | None = None,
    ) -> None:
        self.limits = limits
        self.today = today or today_in_japan()
        self.corrections: Mapping[str, tuple[Correction, ...]] = corrections or {}
        self._pool: ProcessPool | None = None
        self._lock = threading.Lock()
        self._ahead: dict[tuple[str, str], Any] = {}
        self._running: set[Any] = set()

    def read_ahead(self, sources: list[SourceInfo]) -> list[Any]:
        """Start reading the first ``limits.read_ahead`` files before anyone asks for them.

        :meth:`submit` hands a file's read-ahead back instead of reading it again (keyed by
        path and content hash, so a file that changed is read afresh); reads nobody asks
        for are cancelled by :meth:`close`. Returns the reads started (futures).
        """
        started: list[Any] = []
        for source in sources[: self.limits.read_ahead]:
            try:
                future = self._schedule(process_file, self._process_args(source))
            except RuntimeError:  # the pool cannot start: the run's own reads will say so
                break
            with self._lock:
                self._ahead[(source.path, source.sha256)] = future
            started.append(future)
        return started

    def _process_args(self, source: SourceInfo) -> tuple[Any, ...]:
        fixes = self.corrections.get(source.sha256, ())
        return (source.path, source, self.limits, self.today, fixes)

    def _schedule(self, job: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        future = self._get_pool().schedule(job, args=args, timeout=self.limits.seconds)
        with self._lock:
            self._running.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Any) -> None:
        with self._lock:
            self._running.discard(future)

    def _get_pool(self) -> ProcessPool:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPool(
                    max_workers=self.limits.workers,
                    max_tasks=self.limits.files_per_worker,
                    initializer=_start_worker,
                    initargs=(self.limits.memory_mb, self.limits.niceness),
                    context=multiprocessing.get_context("spawn"),
                )
            return self._pool

    def submit(self, source: SourceInfo) -> Any:
        """Start one file's pipeline (:func:`process_file`) in a worker, or take its
        read-ahead; :meth:`result` waits for it."""
        with self._lock:
            ahead = self._ahead.pop((source.path, source.sha256), None)
        if ahead is not None:
            return ahead
        args = self._process_args(source)
        try:
            return self._schedule(process_file, args)
        except RuntimeError:  # the pool broke (workers that cannot start): once more
            self.close()
        try:
            return self._schedule(process_file, args)
        except RuntimeError:
            raise ReaderPoolBroken("the reader worker processes cannot start") from None

    def result(self, future: Any) -> Any:
        """The result of a submitted job; a quarantine error when the file is at fault
        (:func:`flows.faults.file_fault`: a limit it broke, a worker it killed, a value it
        holds), :class:`ReaderPoolBroken` when the pool itself cannot run."""
        try:
            return future.result()
        except QuarantineError:
            raise
        except CancelledError:
            raise ReaderPoolBroken("the reader pool was stopped (the run is stopping)") from None
        except Exception as exc:
            if isinstance(exc, RuntimeError) and not isinstance(exc, RecursionError):
                raise ReaderPoolBroken(f"the reader worker processes cannot run: {exc}") from None
            fault = file_fault(exc, self.limits)
            if fault is None:
                raise
            raise fault.error() from None

    def read(self, source: SourceInfo, read: Read | None = None) -> Document:
        """Only read one file in a worker (no transform) with ``read`` (by default the
        reader for its format); a quarantine error when it breaks a limit."""
        job = self._schedule(read_file, (source.path, source, self.limits, read))
        document: Document = self.result(job)
        return document

    def process(self, source: SourceInfo) -> FileReports:
        """One file's whole pipeline in a worker (:func:`process_file`)."""
        reports: FileReports = self.result(self.submit(source))
        return reports

    def close(self) -> None:
        """Stop the workers; every read still pending or running is cancelled, so nobody
        waits for it (a stopping run's task threads would wait for ever otherwise)."""
        with self._lock:
            pending = list(self._running) + list(self._ahead.values())
            self._ahead.clear()
        for future in pending:
            future.cancel()
        with self._lock:
            if self._pool is not None:
                self._pool.stop()  # type: ignore[no-untyped-call]
                self._pool.join()
                self._pool = None

    def __enter__(self) -> GuardedReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
