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
from collections.abc import Mapping
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import date, datetime
from importlib import import_module
from typing import Any
from zoneinfo import ZoneInfo

from pebble import ProcessExpired, ProcessPool

from extract import read_document
from extract.errors import FileLimitExceeded, JokatsuError, QuarantineError, UnreadableFile
from extract.model import Document, SourceInfo, sha256_hex
from flows.bundles import member_bytes
from flows.files import MAX_FILE_BYTES, read_bounded
from flows.limits import Limits
from transform.corrections import Correction
from transform.pipeline import transform_file
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


def _resolve(reader: str) -> Any:
    module, _, name = reader.partition(":")
    return getattr(import_module(module), name)


def today_in_japan() -> date:
    """The run's date where the reports are written (it bounds their plausible years)."""
    return datetime.now(ZoneInfo("Asia/Tokyo")).date()


def read_file(path: str, source: SourceInfo, reader: str = "") -> Document:
    """Read one file from disk (in a worker): a regular file within the size limit, the
    bytes the scan hashed; then call the reader."""
    if source.bundle_path is not None:  # a file in a zip bundle: unpacked again here
        data = member_bytes(source, MAX_FILE_BYTES)
    else:
        data = read_bounded(path, MAX_FILE_BYTES)
    if sha256_hex(data) != source.sha256:
        raise FileChanged(
            "読み取り中にファイルが変更されました。次の実行で読み直します。", "file_changed"
        )
    read = _resolve(reader) if reader else read_document
    document: Document = read(data, source)
    return document


class ReaderCrashed(QuarantineError):
    """An exception nobody planned for, raised on one file (a reader or transform bug): a
    Japanese reason for the clerk, and ``detail`` (the exception) for the run's log."""

    code = "unexpected_error"

    def __init__(self, message: str, code: str | None = None, detail: str = "") -> None:
        super().__init__(message, code)
        self.detail = detail

    def __reduce__(self) -> tuple[type[ReaderCrashed], tuple[str, str, str]]:  # type: ignore[override]
        return (type(self), (str(self), self.code, self.detail))


def process_file(
    path: str,
    source: SourceInfo,
    reader: str = "",
    today: date | None = None,
    corrections: tuple[Correction, ...] = (),
) -> FileReports:
    """One file's whole pipeline before loading (in a worker, under the limits): read it,
    normalise it (after a clerk's corrections for it, if any), withhold misplaced personal
    data and check it.

    An unplanned exception is turned into :class:`ReaderCrashed` here, in the worker: some
    (lxml's, with their error log) cannot be sent back to the run's process at all.
    """
    try:
        return transform_file(read_file(path, source, reader), today, corrections)
    except (JokatsuError, MemoryError, RecursionError, OSError):
        raise
    except Exception as exc:
        raise ReaderCrashed(UNEXPECTED_REASON, detail=exception_detail(exc)) from None


# The quarantine reason for an exception nobody planned for (a reader or transform bug): no
# exception text reaches the clerk; the exception itself goes to the run's log.
UNEXPECTED_REASON = (
    "想定外のエラーで読めませんでした。ファイルは隔離して保管しています。jokatsu の担当者に"
    "連絡してください（実行ログに詳細があります）。"
)


def exception_detail(exc: BaseException) -> str:
    """An unplanned exception in one line, for the run's log (never for a reason)."""
    return f"{type(exc).__name__}: {str(exc)[:300]}"


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
                future = self._schedule(source, "")
            except RuntimeError:  # the pool cannot start: the run's own reads will say so
                break
            with self._lock:
                self._ahead[(source.path, source.sha256)] = future
            started.append(future)
        return started

    def _schedule(self, source: SourceInfo, reader: str, job: Any = process_file) -> Any:
        args: tuple[Any, ...] = (source.path, source, reader)
        if job is process_file:
            args += (self.today, self.corrections.get(source.sha256, ()))
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

    def submit(self, source: SourceInfo, reader: str = "") -> Any:
        """Start one file's pipeline (:func:`process_file`) in a worker, or take its
        read-ahead; :meth:`result` waits for it."""
        if not reader:
            with self._lock:
                ahead = self._ahead.pop((source.path, source.sha256), None)
            if ahead is not None:
                return ahead
        try:
            return self._schedule(source, reader)
        except RuntimeError:  # the pool broke (workers that cannot start): once more
            self.close()
        try:
            return self._schedule(source, reader)
        except RuntimeError:
            raise ReaderPoolBroken("the reader worker processes cannot start") from None

    def result(self, future: Any) -> Any:
        """The result of a submitted job; a quarantine error when it broke a limit."""
        try:
            document = future.result()
        except FutureTimeout:
            raise FileLimitExceeded(
                f"読み取りとチェックが制限時間（{self.limits.seconds:.0f} 秒）を超えたため止め"
                "ました（壊れたファイルか、読み手を止めるために作られたファイルの可能性があり"
                "ます）。"
                "保存し直して送り直してください。",
                "time_limit",
            ) from None
        except MemoryError:
            raise FileLimitExceeded(
                f"読み取りとチェックに使えるメモリ（{self.limits.memory_mb} MB）を超えたため"
                "止めました（際限なく展開される圧縮データなど）。保存し直して送り直してください。",
                "memory_limit",
            ) from None
        except ProcessExpired as exc:
            raise ReaderCrashed(
                "このファイルを読む処理が異常終了しました。ファイルは隔離して保管しています。"
                "jokatsu の担当者に連絡してください。",
                "reader_died",
                detail=f"reader process exit code {exc.exitcode}",
            ) from None
        except RecursionError:  # a RuntimeError, but the file's: stages.guard names it
            raise
        except RuntimeError as exc:
            raise ReaderPoolBroken(f"the reader worker processes cannot run: {exc}") from None
        except CancelledError:
            raise ReaderPoolBroken("the reader pool was stopped (the run is stopping)") from None
        return document

    def read(self, source: SourceInfo, reader: str = "") -> Document:
        """Only read one file in a worker (no transform); a quarantine error when it breaks
        a limit."""
        document: Document = self.result(self._schedule(source, reader, read_file))
        return document

    def process(self, source: SourceInfo, reader: str = "") -> FileReports:
        """One file's whole pipeline in a worker (:func:`process_file`)."""
        reports: FileReports = self.result(self.submit(source, reader))
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
