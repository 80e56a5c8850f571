"""The per-file limits of a guarded read, as plain values (no pool, no Prefect, no transform:
the settings build them, and importing them costs nothing)."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass

from extract.limits import DEFAULT_READ_LIMITS, FILE_MAX_BYTES, MB, BundleLimits, ReadLimits

__all__ = ["DEFAULT_LIMITS", "MB", "BundleLimits", "Limits", "ReadLimits"]


@dataclass(frozen=True)
class Limits:
    """Per-file limits of a guarded read and the pool that enforces them (validated on
    creation). Their defaults are defined here, once, but for the limits the readers
    themselves apply to a file's content (``reading``: pages, a PDF's bytes, a scan's pixels,
    a conversion's time, a zip bundle's size) and the file limit ``max_bytes``, whose
    defaults are :mod:`extract.limits`' (extract/ sits below flows/ and reads under them
    when called on its own). The settings (flows/settings.py) take theirs from
    :data:`DEFAULT_LIMITS`, and the pool hands ``reading`` to the reader of every file."""

    seconds: float = 120.0  # to read, normalise and check one file
    memory_mb: int = 2048  # the address space of a reader process
    max_bytes: int = FILE_MAX_BYTES  # a file larger is neither hashed nor read
    workers: int = os.cpu_count() or 1
    files_per_worker: int = 500  # a reader process is replaced after this many files
    read_ahead: int = 1000
    niceness: int = 10
    reading: ReadLimits = DEFAULT_READ_LIMITS  # what the readers refuse to read further
    corrections_max_bytes: int = MB  # a clerk's corrections file is a few lines of TOML
    corrections_seconds: float = 10.0  # read within this or refused (a hung network share)

    def __post_init__(self) -> None:
        if self.seconds <= 0 or self.memory_mb < 256 or self.workers < 1 or self.max_bytes < 1:
            raise ValueError(
                "Limits need seconds > 0, memory_mb >= 256, max_bytes >= 1 and workers >= 1"
            )
        if self.files_per_worker < 1 or self.read_ahead < 0 or not 0 <= self.niceness <= 19:
            raise ValueError("Limits need files_per_worker >= 1, read_ahead >= 0 and niceness 0-19")
        if self.corrections_max_bytes < 1 or self.corrections_seconds <= 0:
            raise ValueError("Limits need corrections_max_bytes >= 1 and corrections_seconds > 0")

    @property
    def bundle(self) -> BundleLimits:
        """A zip bundle's limits (``reading.bundle``), its members held to the file limit
        ``max_bytes`` like any file outside a bundle."""
        return dataclasses.replace(self.reading.bundle, max_member_bytes=self.max_bytes)

    def describe(self) -> str:
        """The limits in one line, for the run's log (what the pool was started with)."""
        return (
            f"workers={self.workers} read_seconds={self.seconds:g} "
            f"read_memory_mb={self.memory_mb} read_max_mb={self.max_bytes // MB:g} "
            f"files_per_worker={self.files_per_worker} read_ahead={self.read_ahead} "
            f"reader_niceness={self.niceness} "
            f"pdf_max_mb={self.reading.pdf_max_bytes // MB:g} "
            f"pdf_max_pages={self.reading.pdf_max_pages} "
            f"scan_max_pages={self.reading.scan_max_pages} "
            f"scan_max_pixels={self.reading.scan_max_pixels} "
            f"convert_seconds={self.reading.convert_seconds:g} "
            f"bundle_max_members={self.reading.bundle.max_members} "
            f"bundle_max_mb={self.reading.bundle.max_total_bytes // MB:g} "
            f"bundle_max_depth={self.reading.bundle.max_depth} "
            f"corrections_max_mb={self.corrections_max_bytes // MB:g} "
            f"corrections_seconds={self.corrections_seconds:g}"
        )


DEFAULT_LIMITS = Limits()
