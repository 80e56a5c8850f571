"""The per-file limits the readers apply to a file's content, with their defaults: defined
here, once. A reader takes them as a plain value (:class:`ReadLimits`); the run passes the
settings' values down (``flows.limits.Limits.reading``, built by ``flows/settings.py``), and a
reader called on its own (a test, the review page) reads under these defaults."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """What a reader refuses to read further (validated on creation): a PDF larger than
    ``pdf_max_bytes`` or with more than ``pdf_max_pages`` pages, a scan of more than
    ``scan_max_pages`` pages (``file_too_large``, ``too_many_pages``). A report is a few
    pages: these only stop a file that is no report before it costs the night."""

    pdf_max_bytes: int = 30 * MB
    pdf_max_pages: int = 30
    scan_max_pages: int = 20

    def __post_init__(self) -> None:
        for name in ("pdf_max_bytes", "pdf_max_pages", "scan_max_pages"):
            if getattr(self, name) < 1:
                raise ValueError(f"ReadLimits.{name} must be at least 1")


DEFAULT_READ_LIMITS = ReadLimits()
