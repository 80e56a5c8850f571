"""The per-file limits of a guarded read, as plain values (no pool, no Prefect, no transform:
the settings build them, and importing them costs nothing)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Per-file limits of a guarded read (validated on creation)."""

    seconds: float = 120.0
    memory_mb: int = 2048
    workers: int = os.cpu_count() or 1
    files_per_worker: int = 500
    read_ahead: int = 1000
    niceness: int = 10

    def __post_init__(self) -> None:
        if self.seconds <= 0 or self.memory_mb < 256 or self.workers < 1:
            raise ValueError("Limits need seconds > 0, memory_mb >= 256 and workers >= 1")
        if self.files_per_worker < 1 or self.read_ahead < 0 or not 0 <= self.niceness <= 19:
            raise ValueError("Limits need files_per_worker >= 1, read_ahead >= 0 and niceness 0-19")
