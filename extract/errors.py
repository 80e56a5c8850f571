"""The base of every error this project raises on purpose, and the exceptions for files that
cannot become a report.

This module is the bottom floor: every layer (extract, transform, warehouse, flows, the CLI)
may import it, and it imports nothing above extract/. Each class carries a message a clerk
or an operator can act on; the command line prints it in one line (``jokatsu: <message>``)
and the flow quarantines a file with ``str(exc)`` as its reason; nothing from such a file
reaches the warehouse.
"""

from __future__ import annotations

from extract.personal import gated

__all__ = [
    "FileLimitExceeded",
    "JokatsuError",
    "NotAReport",
    "QuarantineError",
    "UnreadableFile",
    "UnsupportedFormat",
]


class JokatsuError(Exception):
    """Base class of every error this project raises on purpose."""


class QuarantineError(JokatsuError):
    """The file cannot be loaded; ``str(self)`` is the quarantine reason, in Japanese for the
    clerk who passes it on (what is wrong, where, what to do), and ``code`` a stable English
    code beside it (``source_files.reason_code``) for counting and filtering. The message
    passes the personal-data gate (:func:`extract.personal.redact`) here, where every reason
    is made: a phone number or an e-mail address quoted from a cell never reaches the
    quarantine list, the summary, the log or the report."""

    code = "unreadable"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(gated(message))
        if code is not None:
            self.code = code

    def __reduce__(self) -> tuple[type[QuarantineError], tuple[str, str]]:
        # raised in the reader's worker process and sent back: keep the code on the way
        return (type(self), (str(self), self.code))


class UnsupportedFormat(QuarantineError):
    """No reader exists (yet) for this kind of file."""

    code = "unsupported_format"


class UnreadableFile(QuarantineError):
    """The bytes cannot be decoded or parsed as the format they claim to be."""

    code = "unreadable_file"


class NotAReport(QuarantineError):
    """The file reads, but it is not the 実績報告書 form."""

    code = "not_a_report"


class FileLimitExceeded(QuarantineError):
    """The file is larger, longer or slower to read than the per-file limits allow."""

    code = "file_limit"
