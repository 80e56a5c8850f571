"""Where a run reads its files, decided once: on this machine, in the guarded pool of worker
processes (per-file time and memory limits), or on a Dask cluster through prefect-dask
(whose workers are separate processes already; loads always stay on this machine, the one
writer)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from extract.model import SourceInfo
from flows.guard import GuardedReader
from flows.limits import Limits
from transform.corrections import Correction


@dataclass(frozen=True)
class RunMode:
    """``dask_address`` None: the local guarded pool; else the Dask scheduler's address."""

    dask_address: str | None = None

    @property
    def guarded(self) -> bool:
        """Whether files are read in the local guarded pool."""
        return self.dask_address is None

    def task_runner(self) -> Any | None:
        """Prefect's task runner for this mode (None: the flow's own default)."""
        if self.dask_address is None:
            return None
        from prefect_dask.task_runners import DaskTaskRunner

        return DaskTaskRunner(address=self.dask_address)

    def read_ahead(
        self,
        limits: Limits,
        sources: list[SourceInfo],
        corrections: Mapping[str, tuple[Correction, ...]] | None = None,
    ) -> GuardedReader | None:
        """Start the local reader pool now on the files a run will read (before Prefect is
        up); the flow is handed the reader and the caller closes it. None on Dask."""
        if not self.guarded:
            return None
        reader = GuardedReader(limits, corrections=corrections)
        reader.read_ahead(sources)
        return reader


_handed: list[GuardedReader] = []


def hand_over(reader: GuardedReader) -> None:
    """Leave a pool that is already reading ahead for the run about to start in this process
    (the flow takes it with :func:`take_reader`: a live pool is no flow parameter)."""
    _handed.append(reader)


def take_reader(limits: Limits | None = None) -> GuardedReader | None:
    """The pool handed over for this run, if any. One started with other limits than the
    run's (``limits``) is closed instead: the run starts its own from its parameters."""
    if not _handed:
        return None
    reader = _handed.pop()
    if limits is not None and reader.limits != limits:
        reader.close()
        return None
    return reader
