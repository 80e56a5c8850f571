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
