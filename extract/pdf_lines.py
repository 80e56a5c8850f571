"""Characters to lines of text, and lines to a cell's paragraphs.

It decides which characters make one line (their tops within ``Tolerances.line_y``), where
a gap between two characters is a space (``word_gap``, as pdfplumber's ``extract_text``;
an ideographic space printed half as wide as its font is the typed half-width space),
where a line breaks into words (``word_split``), and where a cell's wrapped lines end a
paragraph (a bullet, or a sentence ended well short of the cell's right edge).
"""

from __future__ import annotations

import re

from extract.grid import GridCell
from extract.model import Provenance
from extract.pdf_settings import Tolerances
from extract.pdf_types import Bbox, Char, CharLine
from extract.text import BULLETS

# Glyphs that CID fonts without a ToUnicode map read back as a look-alike.
_GLYPH_FIXES = str.maketrans({"\u02dc": "~"})

# A line's text with its right edge.
TextLine = tuple[str, float]


def line_groups(chars: list[Char], tol: Tolerances) -> list[CharLine]:
    """Characters grouped into lines by their top, each line ordered left to right."""
    lines: list[CharLine] = []
    line_y = tol.line_y
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if lines and abs(char["top"] - lines[-1][0]["top"]) <= line_y:
            lines[-1].append(char)
        else:
            lines.append([char])
    for line in lines:
        line.sort(key=lambda c: c["x0"])
    return lines


def text_of(line: CharLine, tol: Tolerances) -> str:
    """A line's text; a gap wider than ``word_gap`` reads as a space, as pdfplumber's own
    ``extract_text`` does. An ideographic space printed half as wide as its font is the
    half-width space that was typed (LibreOffice's PDFs map it so in CJK fonts)."""
    text = ""
    word_gap, narrow_space = tol.word_gap, tol.narrow_space
    for previous, char in zip([None, *line[:-1]], line, strict=True):
        if previous is not None and char["x0"] - previous["x1"] > word_gap:
            text += " "
        narrow = char["text"] == "\u3000" and char["x1"] - char["x0"] < narrow_space * char["size"]
        text += " " if narrow else char["text"]
    return re.sub(r" {2,}", " ", text).translate(_GLYPH_FIXES).strip()


def right_of(line: CharLine) -> float:
    """Where a line ends on the right."""
    return float(max(c["x1"] for c in line))


def lines(chars: list[Char], tol: Tolerances) -> list[TextLine]:
    """Characters to lines of text, with each line's right edge."""
    out: list[TextLine] = []
    for line in line_groups(chars, tol):
        text = text_of(line, tol)
        if text:
            out.append((text, right_of(line)))
    return out


def size_of(char: Char, tol: Tolerances) -> float:
    """A character's font size (``fallback_size`` when it has none)."""
    return float(char.get("size") or tol.fallback_size)


def word_groups(line: CharLine, tol: Tolerances) -> list[CharLine]:
    """A line's characters in groups split at gaps wider than ``word_split`` of a
    character's size."""
    groups: list[CharLine] = []
    for char in line:
        if groups and char["x0"] - groups[-1][-1]["x1"] <= tol.word_split * size_of(char, tol):
            groups[-1].append(char)
        else:
            groups.append([char])
    return groups


def paragraphs(texts: list[TextLine], box: Bbox, tol: Tolerances) -> list[str]:
    """Wrapped lines of a cell joined back into paragraphs.

    A line starts a new paragraph when it opens with a bullet (○ …), or when the line
    before it ended a sentence well short of the cell's right edge.
    """
    out: list[str] = []
    previous_right, previous_text = 0.0, ""
    width = box[2] - box[0]
    for text, right in texts:
        short = (
            previous_text.endswith("。") and box[2] - previous_right > tol.paragraph_short * width
        )
        if not out or text[:1] in BULLETS or short:
            out.append(text)
        else:
            out[-1] += text
        previous_right, previous_text = right, text
    return out


def grid_cell(texts: list[TextLine], box: Bbox, page: int, tol: Tolerances) -> GridCell:
    """A cell of the grid from its lines of text, boxed where it was printed."""
    return GridCell(
        lines=[t for t, _ in texts],
        paragraphs=paragraphs(texts, box, tol),
        provenance=Provenance(page=page, bbox=box),
    )
