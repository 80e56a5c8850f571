"""Exceptions for files that cannot become a report.

Every class carries a message a clerk can act on. The flow quarantines the file with
``str(exc)`` as its reason; nothing from such a file reaches the warehouse.
"""

from __future__ import annotations

from jokatsu.errors import JokatsuError

__all__ = [
    "FileLimitExceeded",
    "JokatsuError",
    "NotAReport",
    "QuarantineError",
    "UnreadableFile",
    "UnsupportedFormat",
]


class QuarantineError(JokatsuError):
    """The file cannot be loaded; ``str(self)`` is the quarantine reason."""


class UnsupportedFormat(QuarantineError):
    """No reader exists (yet) for this kind of file."""


class UnreadableFile(QuarantineError):
    """The bytes cannot be decoded or parsed as the format they claim to be."""


class NotAReport(QuarantineError):
    """The file reads, but it is not the 実績報告書 form."""


class FileLimitExceeded(QuarantineError):
    """The file is larger, longer or slower to read than the per-file limits allow."""
