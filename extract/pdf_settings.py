"""The PDF reader's settings: pdfplumber's table settings and every tolerance
by which the reader decides where characters, lines, words and columns belong, named once
(after pdfplumber's own ``TableSettings``). Distances are in PDF points (1/72 inch);
ratios are of a character's font size or of a cell's width. The reader's limits (bytes,
pages) are per-file limits, settings of a run: :class:`extract.limits.ReadLimits`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Tolerances:
    """Where the reader draws its lines.

    - ``line_y``: characters whose tops differ by no more are one line.
    - ``word_gap``: a gap between two characters of a line wider than this reads as a space
      (pdfplumber's ``extract_text`` default ``x_tolerance``).
    - ``narrow_space``: an ideographic space printed narrower than this share of its font
      size is the half-width space that was typed.
    - ``paragraph_short``: a line ending 。 this share of its cell's width short of the right
      edge ends its paragraph.
    - ``word_split``: characters further apart than this share of their size start a new
      word (the words of an unruled table's header give its columns).
    - ``column_margin``: an unruled table's column starts this far left of its header word.
    - ``heading_gap_min``: a heading and its value on one line are split at the first gap
      wider than a character, and at least this wide.
    - ``fallback_size``: the font size assumed for a character that has none.
    - ``column_align``: cells of two rows whose left and right edges are this close are in
      one column (a row cut by a page break).
    - ``table_columns``: rows of at least this many cells are the expense table's.
    - ``unruled_header_words``: a line right after the 経費の内訳 heading with at least this
      many words is the header of an expense table printed without rules.
    """

    line_y: float = 3.0
    word_gap: float = 3.0
    narrow_space: float = 0.6
    paragraph_short: float = 0.1
    word_split: float = 0.5
    column_margin: float = 2.0
    heading_gap_min: float = 6.0
    fallback_size: float = 10.0
    column_align: float = 2.0
    table_columns: int = 4
    unruled_header_words: int = 6


TOLERANCES = Tolerances()


def _lines_strategies() -> dict[str, Any]:
    return {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass(frozen=True)
class PdfSettings:
    """Table settings and tolerances of the PDF reader."""

    dedupe_chars: bool = True  # faux-bold prints each glyph twice (pdfplumber #992)
    # pdfplumber's table settings (a dict, as pdfplumber takes them)
    table_settings: dict[str, Any] = field(default_factory=_lines_strategies)
    tolerances: Tolerances = TOLERANCES


DEFAULT_SETTINGS = PdfSettings()
