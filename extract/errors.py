"""The base of every error this project raises on purpose, and the exceptions for files that
cannot become a report.

This module is the bottom floor: every layer (extract, transform, warehouse, flows, the CLI)
may import it, and it imports nothing above extract/. Each class carries a message a clerk
or an operator can act on; the command line prints it in one line (``jokatsu: <message>``)
and the flow quarantines a file with ``str(exc)`` as its reason; nothing from such a file
reaches the warehouse.
"""

from __future__ import annotations

from typing import Literal

from extract.personal import gated

__all__ = [
    "FileLimitExceeded",
    "JokatsuError",
    "NotAReport",
    "QuarantineError",
    "ReasonCode",
    "UnreadableFile",
    "UnsupportedFormat",
]


# Every reason code, the one list (``source_files.reason_code``; docs/operations.md, "Reasons
# and their codes", says what each means). Whatever writes a code types it with this, and
# tests/test_flows_faults.py checks that every code written anywhere is here.
ReasonCode = Literal[
    "amount_unreadable",
    "bundle_bomb",
    "bundle_damaged",
    "bundle_refused",
    "bundle_too_large",
    "bundle_too_many_members",
    "conversion_timeout",
    "converter_missing",
    "correction_unusable",
    "doc_damaged",
    "docx_damaged",
    "duplicate",
    "empty_file",
    "encoding_broken",
    "encoding_unknown",
    "expense_columns_missing",
    "expense_table_missing",
    "field_unreadable",
    "file_changed",
    "file_limit",
    "file_too_large",
    "file_unavailable",
    "formula_without_value",
    "image_damaged",
    "legacy_format",
    "memory_limit",
    "needs_review",
    "nested_too_deeply",
    "no_reader_yet",
    "not_a_pdf",
    "not_a_report",
    "not_text",
    "ocr_failed",
    "ocr_unavailable",
    "ods_damaged",
    "odt_damaged",
    "page_too_large",
    "part_too_large",
    "password_protected",
    "pdf_damaged",
    "pdf_no_pages",
    "pdf_no_text",
    "period_unreadable",
    "prefecture_unknown",
    "reader_died",
    "row_number_unreadable",
    "scanned_image",
    "section_missing",
    "store_refused",
    "time_limit",
    "too_many_cells",
    "too_many_pages",
    "unexpected_error",
    "unreadable",
    "unreadable_file",
    "unsupported_format",
    "xls_damaged",
    "xlsx_damaged",
    "xml_damaged",
    "xml_entity_expansion",
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

    code: ReasonCode = "unreadable"

    def __init__(self, message: str, code: ReasonCode | None = None) -> None:
        super().__init__(gated(message))
        if code is not None:
            self.code = code

    def __reduce__(self) -> tuple[type[QuarantineError], tuple[str, ReasonCode]]:
        # raised in the reader's worker process and sent back: keep the code on the way
        return (type(self), (str(self), self.code))


class UnsupportedFormat(QuarantineError):
    """No reader exists (yet) for this kind of file."""

    code: ReasonCode = "unsupported_format"


class UnreadableFile(QuarantineError):
    """The bytes cannot be decoded or parsed as the format they claim to be."""

    code: ReasonCode = "unreadable_file"


class NotAReport(QuarantineError):
    """The file reads, but it is not the 実績報告書 form."""

    code: ReasonCode = "not_a_report"


class FileLimitExceeded(QuarantineError):
    """The file is larger, longer or slower to read than the per-file limits allow."""

    code: ReasonCode = "file_limit"
