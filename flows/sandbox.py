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
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from pebble import ProcessExpired, ProcessPool

from extract import read_document
from extract.errors import FileLimitExceeded, JokatsuError, UnreadableFile
from extract.model import Document, SourceInfo, sha256_hex


@dataclass(frozen=True)
class Limits:
    """Per-file limits of a guarded read (validated on creation)."""

    seconds: float = 120.0
    memory_mb: int = 2048
    workers: int = os.cpu_count() or 1
    files_per_worker: int = 200

    def __post_init__(self) -> None:
        if self.seconds <= 0 or self.memory_mb < 256 or self.workers < 1:
            raise ValueError("Limits need seconds > 0, memory_mb >= 256 and workers >= 1")


class FileChanged(UnreadableFile):
    """The file's content changed between the scan and the read."""


class ReaderPoolBroken(JokatsuError):
    """The worker processes cannot run at all: the run stops, no file is blamed."""


def _limit_memory(memory_mb: int) -> None:
    import resource

    cap = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _resolve(reader: str) -> Any:
    module, _, name = reader.partition(":")
    return getattr(import_module(module), name)


def read_file(path: str, source: SourceInfo, reader: str = "") -> Document:
    """Read one file from disk (in a worker): check its hash, then call the reader."""
    data = Path(path).read_bytes()
    if sha256_hex(data) != source.sha256:
        raise FileChanged("the file changed while this run read it; it is read next run")
    read = _resolve(reader) if reader else read_document
    document: Document = read(data, source)
    return document


class GuardedReader:
    """A pool of worker processes that read files under :class:`Limits`."""

    def __init__(self, limits: Limits = Limits()) -> None:
        self.limits = limits
        self._pool: ProcessPool | None = None
        self._lock = threading.Lock()

    def _get_pool(self) -> ProcessPool:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPool(
                    max_workers=self.limits.workers,
                    max_tasks=self.limits.files_per_worker,
                    initializer=_limit_memory,
                    initargs=(self.limits.memory_mb,),
                    context=multiprocessing.get_context("spawn"),
                )
            return self._pool

    def submit(self, source: SourceInfo, reader: str = "") -> Any:
        """Start reading one file in a worker; :meth:`result` waits for it."""

        def schedule() -> Any:
            return self._get_pool().schedule(
                read_file, args=(source.path, source, reader), timeout=self.limits.seconds
            )

        try:
            return schedule()
        except RuntimeError:  # the pool broke (workers that cannot start): once more
            self.close()
        try:
            return schedule()
        except RuntimeError:
            raise ReaderPoolBroken("the reader worker processes cannot start") from None

    def result(self, future: Any) -> Document:
        """The Document of a submitted read; a quarantine error when it broke a limit."""
        try:
            document: Document = future.result()
        except FutureTimeout:
            raise FileLimitExceeded(
                f"reading took longer than {self.limits.seconds:.0f} s and was stopped "
                "(the file may be damaged or built to stall readers)"
            ) from None
        except MemoryError:
            raise FileLimitExceeded(
                f"reading needed more than {self.limits.memory_mb} MB of memory and was "
                "stopped (a compressed stream that expands without end?)"
            ) from None
        except ProcessExpired as exc:
            raise UnreadableFile(
                f"the reader process died on this file (exit code {exc.exitcode})"
            ) from None
        except RuntimeError as exc:
            raise ReaderPoolBroken(f"the reader worker processes cannot run: {exc}") from None
        return document

    def read(self, source: SourceInfo, reader: str = "") -> Document:
        """Read one file in a worker; raise a quarantine error when it breaks a limit."""
        return self.result(self.submit(source, reader))

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.stop()  # type: ignore[no-untyped-call]
                self._pool.join()
                self._pool = None

    def __enter__(self) -> GuardedReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
