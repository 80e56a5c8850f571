"""Readers: one file in, one :class:`extract.model.Document` out, whatever the format."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import PurePath

from extract.errors import UnreadableFile, UnsupportedFormat
from extract.limits import DEFAULT_READ_LIMITS, ReadLimits
from extract.model import FORMAT_BY_SUFFIX, Document, FileFormat, SourceInfo, sha256_hex

__all__ = ["PENDING_READERS", "READERS", "detect_format", "read_document", "source_info"]

Reader = Callable[[bytes, SourceInfo, ReadLimits], Document]


def _lazy(module: str, name: str, limited: bool = False) -> Reader:
    """A reader whose module (pdfplumber, openpyxl, python-docx...) is imported on first
    use: planning a run (hashing files) needs none of them, and starts sooner without.
    A ``limited`` reader is handed the run's :class:`ReadLimits` (the others have none)."""

    def read(data: bytes, source: SourceInfo, limits: ReadLimits = DEFAULT_READ_LIMITS) -> Document:
        reader = getattr(import_module(f"extract.{module}"), name)
        document: Document = (
            reader(data, source, limits=limits) if limited else reader(data, source)
        )
        return document

    read.__name__ = read.__qualname__ = name
    return read


# The PDF reader's code for a PDF that holds only pictures (a scan).
SCANNED_IMAGE = "scanned_image"

# One reader per format; every one returns the same Document.
READERS: dict[FileFormat, Reader] = {
    "txt": _lazy("text_reader", "read_text"),
    "pdf": _lazy("pdf_reader", "read_pdf", limited=True),
    "xlsx": _lazy("xlsx_reader", "read_xlsx"),
    "docx": _lazy("docx_reader", "read_docx"),
    "xls": _lazy("spreadsheets", "read_xls"),
    "ods": _lazy("spreadsheets", "read_ods"),
    "odt": _lazy("odt_reader", "read_odt"),
    "doc": _lazy("convert", "read_doc", limited=True),
    "image": _lazy("ocr.reader", "read_scan", limited=True),  # TIFF, JPEG, PNG from a scanner: OCR
}
# Formats whose reader is still to come, and the issue it waits on.
PENDING_READERS: dict[FileFormat, str] = {}


def detect_format(path: str) -> FileFormat | None:
    """The format a file claims by its name, or None when no format matches."""
    return FORMAT_BY_SUFFIX.get(PurePath(path).suffix.lower())


def source_info(path: str, data: bytes) -> SourceInfo:
    """Describe a file by its bytes; raises :class:`UnsupportedFormat` for unknown kinds."""
    fmt = detect_format(path)
    if fmt is None:
        suffix = PurePath(path).suffix or "(none)"
        raise UnsupportedFormat(
            f"読めない種類のファイルです（{suffix}）。PDF・Excel・Word・OpenDocument・"
            "テキストのファイルで送ってください。"
        )
    return SourceInfo(sha256=sha256_hex(data), path=path, size_bytes=len(data), format=fmt)


def read_document(
    data: bytes, source: SourceInfo, limits: ReadLimits = DEFAULT_READ_LIMITS
) -> Document:
    """Read one file's bytes into a :class:`Document` with the reader for its format, under
    the per-file ``limits`` (a run passes its settings' values)."""
    reader = READERS.get(source.format)
    if reader is not None:
        try:
            return reader(data, source, limits)
        except UnreadableFile as exc:
            if exc.code != SCANNED_IMAGE:
                raise
        # a PDF of pictures without text (a scan): read by OCR, and held for review
        return READERS["image"](data, source, limits)
    raise UnsupportedFormat(
        f"{source.format} の読み取りにはまだ対応していません。ファイルは隔離したまま保管し、"
        "対応した版で読み直します。",
        "no_reader_yet",
    )
