"""The per-file limits the readers apply to a file's content, with their defaults: defined
here, once. A reader takes them as a plain value (:class:`ReadLimits`); the run passes the
settings' values down (``flows.limits.Limits.reading``, built by ``flows/settings.py``), and a
reader called on its own (a test, the review page) reads under these defaults."""

from __future__ import annotations

from dataclasses import dataclass, field

MB = 1024 * 1024

# A file larger is neither hashed nor read (a report is a few MB): the run's ``read_max_mb``
# (flows.limits.Limits.max_bytes), and so a bundle's member's own limit.
FILE_MAX_BYTES = 200 * MB


@dataclass(frozen=True)
class BundleLimits:
    """What one zip bundle (with every bundle inside it) may hold (:mod:`extract.bundle`):
    members, bytes after unpacking, a member's bytes (the run's file limit), nesting depth.
    ``max_ratio`` and ``bomb_floor`` describe a zip bomb (a member over ``bomb_floor``
    bytes that unpacks to more than ``max_ratio`` times its packed size), not a size a clerk
    would ever set: they are not settings."""

    max_members: int = 1000
    max_total_bytes: int = 1024 * MB  # after unpacking
    max_member_bytes: int = FILE_MAX_BYTES  # a file's own limit, in a bundle as outside one
    max_depth: int = 4  # a bundle inside a bundle inside … at most this deep
    max_ratio: int = 1000  # unpacked / packed, for members over bomb_floor bytes
    bomb_floor: int = 16 * MB

    def __post_init__(self) -> None:
        if min(self.max_members, self.max_total_bytes, self.max_member_bytes) < 1:
            raise ValueError("BundleLimits need positive limits")
        if self.max_depth < 1 or self.max_ratio < 1:
            raise ValueError("BundleLimits need max_depth >= 1 and max_ratio >= 1")


@dataclass(frozen=True)
class ReadLimits:
    """What a reader refuses to read further (validated on creation): a PDF larger than
    ``pdf_max_bytes`` or with more than ``pdf_max_pages`` pages, a scan of more than
    ``scan_max_pages`` pages (``file_too_large``, ``too_many_pages``) or with a page of more
    than ``scan_max_pixels`` pixels at 300 dpi (``page_too_large``; A3 by default), a .doc
    whose conversion by LibreOffice takes longer than ``convert_seconds``
    (``conversion_timeout``), and a zip bundle beyond ``bundle`` (:class:`BundleLimits`).
    A report is a few pages: these only stop a file that is no report before it costs the
    night."""

    pdf_max_bytes: int = 30 * MB
    pdf_max_pages: int = 30
    scan_max_pages: int = 20
    scan_max_pixels: int = 5000 * 7100  # A3 at 300 dpi (tesseract's resolution)
    convert_seconds: float = 90.0  # a form converts in 2-5 s on a busy machine
    bundle: BundleLimits = field(default_factory=BundleLimits)

    def __post_init__(self) -> None:
        for name in ("pdf_max_bytes", "pdf_max_pages", "scan_max_pages", "scan_max_pixels"):
            if getattr(self, name) < 1:
                raise ValueError(f"ReadLimits.{name} must be at least 1")
        if self.convert_seconds <= 0:
            raise ValueError("ReadLimits.convert_seconds must be above 0")


DEFAULT_READ_LIMITS = ReadLimits()
