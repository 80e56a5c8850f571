"""Text printed outside the ruled grid, read into the page's rows in reading order.

Page furniture (the page number 「- 1 -」, the form's number 「様式4-1-3」 alone on its line)
is dropped. Of the other lines it decides: a section heading (numbered, or the section's
name alone before its value) is a heading row, its value beside it the body; a 合計 line
under the expense table's columns is split into those columns; lines right after the
経費の内訳 heading with no ruled table there are an expense table printed without rules
(:class:`UnruledTable`, which runs on over page breaks); any other consecutive lines are
one cell of wrapped text (a section written without a grid).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from extract.form import EXPENSE_SECTION, is_row_number, named_heading, names_total, split_heading
from extract.grid import GridCell, GridRow
from extract.model import Provenance
from extract.pdf_lines import grid_cell, lines, right_of, size_of, text_of, word_groups
from extract.pdf_settings import Tolerances
from extract.pdf_types import OUTSIDE_GRID, UNRULED_TABLE, Bbox, CharLine, ReadPath, box_of

_PAGE_NUMBER = re.compile(r"^[-‐－―ー]\s*[0-9０-９]+\s*[-‐－―ー]$")
# The form's number printed at the top of each page (「様式4-1-3」), alone on its line: a
# section's text such as 「様式4-1-1に記載」 is content.
_FORM_NUMBER = re.compile(r"^[(（]?様式\s*[0-9０-９][0-9０-９\-‐－ー―の]*[)）]?$")
_BEYOND_PAGE = 10_000.0  # the right edge of an unruled table's last column

Span = tuple[float, float]


@dataclass
class Placed:
    """A row of the page at its height: a grid row, or a line printed outside the grid."""

    top: float
    row: GridRow | None = None
    line: CharLine | None = None


def table_columns(table_rows: list[list[Bbox]], tol: Tolerances) -> list[Span]:
    """The column spans of a page's widest grid row (the expense table's, where there is
    one): a line printed outside the rules under it is split into these columns."""
    widest = max(table_rows, key=len, default=[])
    return [(box[0], box[2]) for box in widest] if len(widest) >= tol.table_columns else []


def _split_by_columns(line: CharLine, columns: list[Span]) -> list[CharLine] | None:
    """A line's characters in the columns their centres fall in, when they fall in two or
    more of them (a 合計 row printed without rules); otherwise None."""
    if not columns:
        return None
    cells: list[CharLine] = [[] for _ in columns]
    for char in line:
        x = (char["x0"] + char["x1"]) / 2
        index = next((i for i, (x0, x1) in enumerate(columns) if x0 <= x <= x1), None)
        if index is None:
            return None
        cells[index].append(char)
    return cells if sum(1 for c in cells if c) >= 2 else None


def _heading_and_value(line: CharLine, tol: Tolerances) -> list[CharLine]:
    """「1. 事業名　　つながり事業」 on one line: label and value split at the first gap
    wider than a character."""
    for index in range(1, len(line)):
        gap = line[index]["x0"] - line[index - 1]["x1"]
        if gap > max(size_of(line[index - 1], tol), tol.heading_gap_min):
            return [line[:index], line[index:]]
    return [line]


class UnruledTable:
    """An expense table printed without rules (a Word table without borders): columns from
    where the words of its header line start; a line whose first column holds a row number
    (or that names the total) starts a row, any other line continues the row above it
    (cells wrap over several lines), and the header's own lines make one header."""

    def __init__(self, starts: list[float], tol: Tolerances) -> None:
        self.starts = starts
        self.tol = tol
        self.rows: list[list[CharLine]] = []

    @classmethod
    def from_header(cls, header_line: CharLine, tol: Tolerances) -> UnruledTable:
        starts = [group[0]["x0"] - tol.column_margin for group in word_groups(header_line, tol)]
        table = cls(starts, tol)
        table.rows.append(table._split(header_line))
        return table

    def continued(self) -> UnruledTable:
        """The same columns on the next page (the table runs on)."""
        return UnruledTable(self.starts, self.tol)

    def _split(self, line: CharLine) -> list[CharLine]:
        cells: list[CharLine] = [[] for _ in self.starts]
        for char in line:
            x = (char["x0"] + char["x1"]) / 2
            cells[max(0, bisect.bisect_right(self.starts, x) - 1)].append(char)
        return cells

    def add(self, line: CharLine) -> None:
        cells = self._split(line)
        first = "".join(c["text"] for c in cells[0]).strip()
        starts_row = is_row_number(first) or names_total(text_of(line, self.tol))
        if starts_row or not self.rows:
            self.rows.append(cells)
        else:
            for mine, more in zip(self.rows[-1], cells, strict=True):
                mine.extend(more)

    def grid_rows(self, page: int) -> list[GridRow]:
        """The rows, each cell boxed by its column (so a row cut by a page break lines up
        with its rest on the next page)."""
        out = []
        rights = [*self.starts[1:], _BEYOND_PAGE]
        for row in self.rows:
            chars = [c for cell in row for c in cell]
            top, bottom = box_of(chars)[1], box_of(chars)[3]
            cells = [
                grid_cell(lines(cell, self.tol), (left, top, right, bottom), page, self.tol)
                if cell
                else GridCell(
                    [""], provenance=Provenance(page=page, bbox=(left, top, right, bottom))
                )
                for cell, left, right in zip(row, self.starts, rights, strict=True)
            ]
            out.append(GridRow(cells, Provenance(page=page, bbox=box_of(chars))))
        return out


def is_page_furniture(text: str) -> bool:
    """A page number (「- 2 -」) or the form's number (「様式4-1-3」) alone on its line:
    printed on every page, no content of the form."""
    return bool(_PAGE_NUMBER.match(text) or _FORM_NUMBER.match(text))


class _PageReading:
    """The rows of one page as they are read from the top: grid rows as they come, and the
    lines between them by the rules of this module."""

    def __init__(
        self,
        page: int,
        columns: list[Span],
        carry: UnruledTable | None,
        paths: set[ReadPath],
        tol: Tolerances,
    ) -> None:
        self.page, self.columns, self.paths, self.tol = page, columns, paths, tol
        self.rows: list[GridRow] = []
        self.pending: list[CharLine] = []  # lines of wrapped text not yet a cell
        self.free = carry  # an unruled table running on from the page before
        self.after_expense_heading = False

    def flush(self) -> None:
        if self.free is not None:
            self.rows.extend(self.free.grid_rows(self.page))
            self.free = None
        if not self.pending:
            return
        texts = [(text_of(line, self.tol), right_of(line)) for line in self.pending]
        box = box_of([c for line in self.pending for c in line])
        where = Provenance(page=self.page, bbox=box)
        self.rows.append(GridRow([grid_cell(texts, box, self.page, self.tol)], where))
        self.pending.clear()

    def add_row(self, row: GridRow) -> None:
        self.flush()
        self.rows.append(row)
        self.after_expense_heading = False

    def add_line(self, line: CharLine) -> None:
        tol = self.tol
        text = text_of(line, tol)
        if not text or is_page_furniture(text):
            return
        # numbered, or the section's name alone before its value (「事業名　　つながり事業」)
        heading = split_heading(text) or named_heading(
            text_of(_heading_and_value(line, tol)[0], tol)
        )
        if self.free is not None and heading is None:
            self.free.add(line)
            return
        if (
            self.after_expense_heading
            and heading is None
            and len(word_groups(line, tol)) >= tol.unruled_header_words
        ):
            self.flush()
            self.free = UnruledTable.from_header(line, tol)
            self.paths.add(UNRULED_TABLE)
            self.after_expense_heading = False
            return
        # Only a 合計 row printed without rules is split into the expense columns.
        split = _split_by_columns(line, self.columns) if names_total(text) else None
        if heading is None and split is None:
            self.pending.append(line)
            return
        self.flush()
        self.paths.add(OUTSIDE_GRID)
        parts = _heading_and_value(line, tol) if split is None else split
        cells = [
            grid_cell(lines(part, tol), box_of(part), self.page, tol)
            if part
            else GridCell([""], provenance=Provenance(page=self.page))
            for part in parts
        ]
        self.rows.append(GridRow(cells, Provenance(page=self.page, bbox=box_of(line))))
        self.after_expense_heading = heading is not None and heading[0] == EXPENSE_SECTION


def page_rows(
    placed: list[Placed],
    page: int,
    columns: list[Span],
    tol: Tolerances,
    carry: UnruledTable | None = None,
    paths: set[ReadPath] | None = None,
) -> tuple[list[GridRow], UnruledTable | None]:
    """The page's grid rows and the lines printed outside the grid, in reading order, and
    the unruled table that runs on to the next page (if any). ``paths`` gathers the reading
    paths the page needed."""
    reading = _PageReading(page, columns, carry, paths if paths is not None else set(), tol)
    for item in sorted(placed, key=lambda p: p.top):
        if item.row is not None:
            reading.add_row(item.row)
        else:
            reading.add_line(item.line or [])
    runs_on = reading.free.continued() if reading.free is not None else None
    reading.flush()
    return reading.rows, runs_on
