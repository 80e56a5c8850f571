"""The one document model every reader returns, whatever the file format.

A reader turns the bytes of one file into a :class:`Document`: the title line, the
prefecture line, sections 1-11, the tables and where each piece came from. Nothing here is
normalised yet (amounts, dates and names stay as written); that is ``transform/``'s job.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

FileFormat = Literal["pdf", "xlsx", "docx", "txt", "xls", "doc", "ods", "odt", "image"]

FORMAT_BY_SUFFIX: dict[str, FileFormat] = {
    ".pdf": "pdf",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".docx": "docx",
    ".txt": "txt",
    ".tsv": "txt",
    ".csv": "txt",  # the same export with commas (Excel's 「CSV」): the text reader splits at them
    # Scans as multifunction printers send them (read by OCR, extract/ocr).
    ".tif": "image",
    ".tiff": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".png": "image",
    # Excel and Word 97-2003 (xlrd; LibreOffice converts a .doc to .docx) and OpenDocument
    # (LibreOffice's own formats, read from their XML): see docs/readers.md.
    ".xls": "xls",
    ".doc": "doc",
    ".ods": "ods",
    ".odt": "odt",
}


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of a file's bytes, the key of every file in the warehouse."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class SourceInfo:
    """Which file a document came from."""

    sha256: str
    path: str
    size_bytes: int
    format: FileFormat
    # A file that came in a zip bundle (extract/bundle.py): ``path`` is the bundle's path and
    # the member's place joined by 「/」; the bundle's SHA-256 and file, and the place.
    bundle_sha256: str | None = None
    bundle_path: str | None = None
    member: str | None = None


@dataclass(frozen=True)
class Provenance:
    """Where in the file a piece of the document sits.

    Each format fills what it has: a PDF its page (1-based) and bounding box
    ``(x0, top, x1, bottom)`` in points; a workbook its sheet and cell; a Word file its
    table and row index (0-based); a text export its line number (1-based).
    """

    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    sheet: str | None = None
    cell: str | None = None
    table_index: int | None = None
    row_index: int | None = None
    line: int | None = None

    def describe(self) -> str:
        """A place a clerk can find, in Japanese: 「3ページ目」, 「12行目」 …"""
        if self.page is not None:
            return f"{self.page}ページ目"
        if self.sheet is not None:
            return f"シート「{self.sheet}」{self.cell or ''}"
        if self.table_index is not None:
            return f"表{self.table_index + 1}の{(self.row_index or 0) + 1}行目"
        if self.line is not None:
            return f"{self.line}行目"
        return ""


@dataclass(frozen=True)
class Section:
    """One numbered section of the form (1-11).

    ``heading`` is as written without its number (「事業名」, 「経費の内訳 (単位:円)」);
    ``body`` is plain text, one paragraph or bullet per line, HTML removed.
    """

    number: int
    heading: str
    body: str
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True)
class TableRow:
    """One row of a table as cell strings, exactly as written (blank cells are "")."""

    cells: tuple[str, ...]
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True)
class Table:
    """A table of the form: the header row and the rows below it.

    ``section`` is the number of the section the table belongs to (9 for 経費の内訳).
    """

    section: int
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True)
class Passage:
    """A piece of a file's text that is not in the Document's sections and tables.

    Every reader accounts for all the text its file holds (its text nodes, cell values or
    characters): what it read is in the Document; the rest is a passage, either set aside for
    a named ``reason`` a person would accept (「deleted」: tracked deleted text, 「hidden」,
    「page_header」 …) or, with ``reason`` empty, left over: text the reader does not know how to
    read, which raises an ``unread_content`` warning. ``construct`` names what holds the text in
    the format's own words (``w:txbxContent``, ``a:t in xl/drawings/drawing1.xml`` …), ``place``
    where a clerk finds it (「本文 12段落目」, 「シート「様式」A3」).
    """

    text: str
    place: str
    construct: str
    reason: str = ""


@dataclass(frozen=True)
class OcrCell:
    """One cell (or line outside the grid) of a scanned page as OCR read it.

    ``field`` names it as a clerk's corrections file does (「都道府県名」, 「3」,
    「経費.1.総事業費」, 「合計.本交付金」; blank for a cell no field comes from);
    ``readings`` is each model's raw text (``jpn``, and ``Japanese`` for the cells read
    twice), ``text`` the text after :mod:`extract.ocr.vocabulary`'s corrections
    (``changes``); ``uncertain`` when the reading fits nothing its cell allows or the two
    models disagree. ``bbox`` is in points, as a PDF's (x0, top, x1, bottom)."""

    page: int
    bbox: tuple[float, float, float, float]
    kind: str
    field: str
    readings: tuple[tuple[str, str], ...]
    text: str
    confidence: float
    changes: tuple[str, ...] = ()
    uncertain: bool = False


@dataclass(frozen=True)
class OcrProvenance:
    """How a scanned file was read: the engine and its version, the resolution (as scanned
    and as read), the preprocessing of each page, and every cell's readings."""

    engine: str
    dpi: int
    source_dpi: int
    preprocessing: tuple[str, ...]
    cells: tuple[OcrCell, ...]

    def cell(self, field: str) -> OcrCell | None:
        return next((c for c in self.cells if c.field == field), None)


@dataclass(frozen=True)
class Document:
    """One form of a report file, read but not yet interpreted.

    A file may hold several forms (a workbook with one per sheet, a document with one after
    another): the reader returns the first, numbered ``form`` 1, with the others in
    ``following`` (numbered 2, 3 …); :attr:`forms` lists them all.
    """

    source: SourceInfo
    title: str
    prefecture_line: str
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = ()
    form: int = 1
    following: tuple[Document, ...] = ()
    # How the reader read it: 「text」, 「xlsx」, 「docx」, or for a PDF the paths it needed
    # (「pdf: ruled grid」, 「… + text outside the grid」, 「… + expense table without rules」).
    read_path: str = ""
    # The file's text that is in none of its forms (:class:`Passage`), on the first form only:
    # set aside for a named reason, or left over (``unread``: raises ``unread_content``).
    set_aside: tuple[Passage, ...] = ()
    unread: tuple[Passage, ...] = ()
    # A scan read by OCR: what it was read from and how sure each cell is (None otherwise).
    ocr: OcrProvenance | None = None

    @property
    def forms(self) -> tuple[Document, ...]:
        """Every form of the file, in order."""
        return (self, *self.following)

    def section(self, number: int) -> Section | None:
        """The section with this number, if the file has it."""
        return next((s for s in self.sections if s.number == number), None)

    def table(self, section: int) -> Table | None:
        """The first table of this section, if any."""
        return next((t for t in self.tables if t.section == section), None)
