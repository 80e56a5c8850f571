"""The PDF reader's shared vocabulary of types: boxes, characters, lines of characters, and
the reading paths a file can need. Characters are plain dicts, as pdfplumber gives them
(its ``dedupe_chars`` and table finder take and return them), typed here by their keys."""

from __future__ import annotations

from typing import Any, Literal, TypedDict

# (x0, top, x1, bottom) in pdfplumber's page coordinates: points from the top left.
Bbox = tuple[float, float, float, float]
# An object as pdfplumber's own functions take it (edges, table settings): handed over, not read.
PlumberObject = dict[str, Any]


class Char(TypedDict):
    """A character of a page with the keys of pdfplumber's ``page.chars`` that the reader
    and ``dedupe_chars`` use (``tests/test_extract_pdf_reader.py`` checks them against it)."""

    object_type: str
    x0: float
    x1: float
    y0: float
    y1: float
    top: float
    bottom: float
    doctop: float
    width: float
    height: float
    text: str
    fontname: str
    size: float
    upright: bool


# A line of text: characters at one height, left to right.
CharLine = list[Char]

# How a PDF was read, recorded per file (source_files.read_path), in this order.
ReadPath = Literal["ruled grid", "text outside the grid", "expense table without rules"]
RULED_GRID: ReadPath = "ruled grid"
OUTSIDE_GRID: ReadPath = "text outside the grid"
UNRULED_TABLE: ReadPath = "expense table without rules"
READ_PATHS: tuple[ReadPath, ...] = (RULED_GRID, OUTSIDE_GRID, UNRULED_TABLE)


def box_of(chars: list[Char]) -> Bbox:
    """The smallest box around some characters."""
    return (
        min(c["x0"] for c in chars),
        min(c["top"] for c in chars),
        max(c["x1"] for c in chars),
        max(c["bottom"] for c in chars),
    )
