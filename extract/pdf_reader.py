"""Reader for PDF reports, on pdfplumber.

The form prints as one ruled grid: a label cell and a body cell per section, a full-width
row for 9. 経費の内訳 and the 10-column expense table. pdfplumber's table finder (ruling
lines) gives the cells of every row (a merged cell comes back once, the cells it covers as
None); the text of each cell is read from its own characters, so neighbouring cells never
interleave. Rows continue across pages: a row whose label cell is empty continues the
section above it, and a repeated table header is skipped. Page headers (様式番号) and
footers (「- 1 -」) lie outside the grid and are dropped.
"""

from __future__ import annotations

import bisect
import dataclasses
import io
import re
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTItem, LTLine, LTRect
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.table import TableSettings
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.geometry import (
    curve_to_edges,
    filter_edges,
    line_to_edge,
    merge_bboxes,
    rect_to_edges,
)
from pdfplumber.utils.text import dedupe_chars

from extract.errors import FileLimitExceeded, UnreadableFile
from extract.form import (
    EXPENSE_SECTION,
    HEADER_MARKERS,
    SECTION_NAMES,
    is_header_row,
    is_total_label,
    is_total_row,
    named_heading,
    names_header,
    names_total,
    split_heading,
)
from extract.grid import GridCell, GridRow, assemble, heading_of
from extract.model import Document, Provenance, SourceInfo
from extract.text import BULLETS

Bbox = tuple[float, float, float, float]
_PAGE_NUMBER = re.compile(r"^[-‐－―ー]\s*[0-9０-９]+\s*[-‐－―ー]$")
# The form's number printed at the top of each page (「様式4-1-3」), alone on its line: a
# section's text such as 「様式4-1-1に記載」 is content.
_FORM_NUMBER = re.compile(r"^[(（]?様式\s*[0-9０-９][0-9０-９\-‐－ー―の]*[)）]?$")
# Glyphs that CID fonts without a ToUnicode map read back as a look-alike.
# The reading paths a PDF can need, recorded per file (source_files.read_path).
RULED_GRID, OUTSIDE_GRID, UNRULED_TABLE = (
    "ruled grid",
    "text outside the grid",
    "expense table without rules",
)
_ROW_NUMBER = re.compile(r"^[①-⑳]|^[(（]?[0-9０-９]{1,3}[)）]?$")
_GLYPH_FIXES = str.maketrans({"\u02dc": "~"})


@dataclass(frozen=True)
class PdfSettings:
    """Limits and table settings of the PDF reader (validated on creation)."""

    max_bytes: int = 30 * 1024 * 1024
    max_pages: int = 30
    dedupe_chars: bool = True  # faux-bold prints each glyph twice (pdfplumber #992)
    table_settings: dict[str, Any] = field(
        default_factory=lambda: {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    )

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_pages"):
            if getattr(self, name) <= 0:
                raise ValueError(f"PdfSettings.{name} must be positive")


DEFAULT_SETTINGS = PdfSettings()


def _paragraphs(lines: list[tuple[str, float]], box: Bbox) -> list[str]:
    """Wrapped lines of a cell joined back into paragraphs.

    A line starts a new paragraph when it opens with a bullet (○ …), or when the line
    before it ended a sentence well short of the cell's right edge.
    """
    out: list[str] = []
    previous_right, previous_text = 0.0, ""
    width = box[2] - box[0]
    for text, right in lines:
        short = previous_text.endswith("。") and box[2] - previous_right > 0.1 * width
        if not out or text[:1] in BULLETS or short:
            out.append(text)
        else:
            out[-1] += text
        previous_right, previous_text = right, text
    return out


def _grid_cell(lines: list[tuple[str, float]], box: Bbox, page: int) -> GridCell:
    return GridCell(
        lines=[t for t, _ in lines],
        paragraphs=_paragraphs(lines, box),
        provenance=Provenance(page=page, bbox=box),
    )


_TableRow = tuple[list[Bbox], list[GridCell]]


def _expense_header_by_columns(rows: list[_TableRow]) -> list[_TableRow]:
    """One ruled table's rows with its expense-table header laid over the data's columns by
    position. pdfplumber gives a merged cell once, so a header of two rows (「経費」 merged over
    総事業費・本交付金・寄付金等・自己資金, 事業番号 merged down over both rows) comes back as
    two rows each narrower than the data. They become one row, column by column: a cell of
    the upper row over several of the lower row's heads the first of them, a cell over one
    is joined with it, a cell over none (merged down) stays. A header of one row with merged
    cells is spread over the columns of the first data row under it: each header cell to the
    first column whose centre it covers, blanks in the rest. Rows that do not fit by
    position are left as they are (the grid then merges header rows by text)."""
    out = list(rows)
    for index in range(len(out) - 1):
        top, bottom = out[index], out[index + 1]
        if _names_header(top[1]) and _names_header(bottom[1]):
            merged = _merge_header_rows(top[1], bottom[1])
            if merged is not None:
                out[index : index + 2] = [(top[0] + bottom[0], merged)]
            break
    for index, (boxes, cells) in enumerate(out):
        if not _names_header(cells):
            continue
        data = next(
            (r[1] for r in out[index + 1 :] if len(r[1]) >= 4 and not _names_header(r[1])), None
        )
        if data is not None and len(data) > len(cells):
            spread = _spread_over(cells, data)
            if spread is not None:
                out[index] = (boxes, spread)
        break
    return out


def _x_range(cell: GridCell) -> tuple[float, float]:
    box = cell.provenance.bbox
    return (box[0], box[2]) if box is not None else (0.0, 0.0)


def _centre(cell: GridCell) -> float:
    x0, x1 = _x_range(cell)
    return (x0 + x1) / 2


def _merge_header_rows(top: list[GridCell], bottom: list[GridCell]) -> list[GridCell] | None:
    merged: list[GridCell] = []
    used = 0
    for cell in top:
        x0, x1 = _x_range(cell)
        under = [b for b in bottom if x0 <= _centre(b) <= x1]
        used += len(under)
        if not under:
            merged.append(cell)
            continue
        first, *rest = under
        merged.append(
            GridCell(cell.lines + first.lines, cell.paragraphs + first.paragraphs, first.provenance)
        )
        merged += rest
    return merged if used == len(bottom) else None


def _spread_over(cells: list[GridCell], data: list[GridCell]) -> list[GridCell] | None:
    centres = [_centre(c) for c in data]
    spread: list[GridCell | None] = [None] * len(data)
    for cell in cells:
        x0, x1 = _x_range(cell)
        covered = [i for i, x in enumerate(centres) if x0 <= x <= x1]
        if not covered or spread[covered[0]] is not None:
            return None
        spread[covered[0]] = cell
    page = cells[0].provenance.page
    return [c if c is not None else GridCell([], provenance=Provenance(page=page)) for c in spread]


def _names_header(cells: list[GridCell]) -> bool:
    return names_header(cell.text for cell in cells)


def _line_groups(chars: list[dict[str, Any]], tolerance: float = 3.0) -> list[list[dict[str, Any]]]:
    """Characters grouped into lines by their top, each line ordered left to right."""
    lines: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if lines and abs(char["top"] - lines[-1][0]["top"]) <= tolerance:
            lines[-1].append(char)
        else:
            lines.append([char])
    for line in lines:
        line.sort(key=lambda c: c["x0"])
    return lines


def _text_of(line: list[dict[str, Any]], tolerance: float = 3.0) -> str:
    """A line's text; a gap wider than ``tolerance`` reads as a space, as pdfplumber's own
    ``extract_text`` does. An ideographic space printed half as wide as its font is the
    half-width space that was typed (LibreOffice's PDFs map it so in CJK fonts)."""
    text = ""
    for previous, char in zip([None, *line[:-1]], line, strict=True):
        if previous is not None and char["x0"] - previous["x1"] > tolerance:
            text += " "
        narrow = char["text"] == "\u3000" and char["x1"] - char["x0"] < 0.6 * char["size"]
        text += " " if narrow else char["text"]
    return re.sub(r" {2,}", " ", text).translate(_GLYPH_FIXES).strip()


def _lines(chars: list[dict[str, Any]], tolerance: float = 3.0) -> list[tuple[str, float]]:
    """Characters to lines of text, with each line's right edge."""
    out: list[tuple[str, float]] = []
    for line in _line_groups(chars, tolerance):
        text = _text_of(line, tolerance)
        if text:
            out.append((text, float(max(c["x1"] for c in line))))
    return out


@dataclass
class _Placed:
    """A row of the page at its height: a grid row, or a line printed outside the grid."""

    top: float
    row: GridRow | None = None
    line: list[dict[str, Any]] | None = None


def _columns(table_rows: list[list[Bbox]]) -> list[tuple[float, float]]:
    """The column spans of a page's widest grid row (the expense table's, where there is
    one): a line printed outside the rules under it is split into these columns."""
    widest = max(table_rows, key=len, default=[])
    return [(box[0], box[2]) for box in widest] if len(widest) >= 4 else []


def _split_by_columns(
    line: list[dict[str, Any]], columns: list[tuple[float, float]]
) -> list[list[dict[str, Any]]] | None:
    """A line's characters in the columns their centres fall in, when they fall in two or
    more of them (a 合計 row printed without rules); otherwise None."""
    if not columns:
        return None
    cells: list[list[dict[str, Any]]] = [[] for _ in columns]
    for char in line:
        x = (char["x0"] + char["x1"]) / 2
        index = next((i for i, (x0, x1) in enumerate(columns) if x0 <= x <= x1), None)
        if index is None:
            return None
        cells[index].append(char)
    return cells if sum(1 for c in cells if c) >= 2 else None


def _heading_and_value(line: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """「1. 事業名　　つながり事業」 on one line: label and value split at the first gap
    wider than a character."""
    for index in range(1, len(line)):
        gap = line[index]["x0"] - line[index - 1]["x1"]
        if gap > max(float(line[index - 1].get("size") or 10.0), 6.0):
            return [line[:index], line[index:]]
    return [line]


class _FreeTable:
    """An expense table printed without rules (a Word table without borders): columns from
    where the words of its header line start; a line whose first column holds a row number
    (or that names the total) starts a row, any other line continues the row above it
    (cells wrap over several lines), and the header's own lines make one header."""

    def __init__(self, starts: list[float]) -> None:
        self.starts = starts
        self.rows: list[list[list[dict[str, Any]]]] = []

    @classmethod
    def from_header(cls, header_line: list[dict[str, Any]]) -> _FreeTable:
        table = cls([group[0]["x0"] - 2.0 for group in _word_groups(header_line)])
        table.rows.append(table._split(header_line))
        return table

    def continued(self) -> _FreeTable:
        """The same columns on the next page (the table runs on)."""
        return _FreeTable(self.starts)

    def _split(self, line: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        cells: list[list[dict[str, Any]]] = [[] for _ in self.starts]
        for char in line:
            x = (char["x0"] + char["x1"]) / 2
            cells[max(0, bisect.bisect_right(self.starts, x) - 1)].append(char)
        return cells

    def add(self, line: list[dict[str, Any]]) -> None:
        cells = self._split(line)
        first = "".join(c["text"] for c in cells[0]).strip()
        starts_row = _ROW_NUMBER.match(first) or names_total(_text_of(line))
        if starts_row or not self.rows:
            self.rows.append(cells)
        else:
            for mine, more in zip(self.rows[-1], cells, strict=True):
                mine.extend(more)

    def grid_rows(self, page: int) -> list[GridRow]:
        """The rows, each cell boxed by its column (so a row cut by a page break lines up
        with its rest on the next page)."""
        out = []
        rights = [*self.starts[1:], 10_000.0]
        for row in self.rows:
            chars = [c for cell in row for c in cell]
            top, bottom = _box_of(chars)[1], _box_of(chars)[3]
            cells = [
                _grid_cell(_lines(cell), (left, top, right, bottom), page)
                if cell
                else GridCell(
                    [""], provenance=Provenance(page=page, bbox=(left, top, right, bottom))
                )
                for cell, left, right in zip(row, self.starts, rights, strict=True)
            ]
            out.append(GridRow(cells, Provenance(page=page, bbox=_box_of(chars))))
        return out


def _word_groups(line: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """A line's characters in groups split at gaps wider than half a character."""
    groups: list[list[dict[str, Any]]] = []
    for char in line:
        size = float(char.get("size") or 10.0)
        if groups and char["x0"] - groups[-1][-1]["x1"] <= 0.5 * size:
            groups[-1].append(char)
        else:
            groups.append([char])
    return groups


def _loose_rows(
    placed: list[_Placed],
    page: int,
    columns: list[tuple[float, float]],
    carry: _FreeTable | None = None,
    paths: set[str] | None = None,
) -> tuple[list[GridRow], _FreeTable | None]:
    """The page's grid rows and the lines printed outside the grid, in reading order.

    A line that is a section heading becomes a heading row (its value beside it, if any, the
    body); a 合計 line under the expense table's columns is split into them; lines right
    after the 経費の内訳 heading with no ruled table there are an expense table printed
    without rules (:class:`_FreeTable`); other consecutive lines form one cell of wrapped
    text (a section written without a grid).
    """
    rows: list[GridRow] = []
    pending: list[list[dict[str, Any]]] = []
    free: _FreeTable | None = carry  # an unruled table running on from the page before
    used = paths if paths is not None else set()  # the reading paths this page needed
    after_expense_heading = False

    def flush() -> None:
        nonlocal free
        if free is not None:
            rows.extend(free.grid_rows(page))
            free = None
        if not pending:
            return
        texts = [(_text_of(line), float(max(c["x1"] for c in line))) for line in pending]
        box = _box_of([c for line in pending for c in line])
        where = Provenance(page=page, bbox=box)
        rows.append(GridRow([_grid_cell(texts, box, page)], where))
        pending.clear()

    for item in sorted(placed, key=lambda p: p.top):
        if item.row is not None:
            flush()
            rows.append(item.row)
            after_expense_heading = False
            continue
        line = item.line or []
        text = _text_of(line)
        if not text or _PAGE_NUMBER.match(text) or _FORM_NUMBER.match(text):
            continue
        # numbered, or the section's name alone before its value (「事業名　　つながり事業」)
        heading = split_heading(text) or named_heading(_text_of(_heading_and_value(line)[0]))
        if free is not None and heading is None:
            free.add(line)
            continue
        if after_expense_heading and heading is None and len(_word_groups(line)) >= 6:
            flush()
            free = _FreeTable.from_header(line)
            used.add(UNRULED_TABLE)
            after_expense_heading = False
            continue
        # Only a 合計 row printed without rules is split into the expense columns.
        split = _split_by_columns(line, columns) if names_total(text) else None
        if heading is not None or split is not None:
            flush()
            used.add(OUTSIDE_GRID)
            parts = _heading_and_value(line) if split is None else split
            cells = [
                _grid_cell(_lines(part), _box_of(part), page)
                if part
                else GridCell([""], provenance=Provenance(page=page))
                for part in parts
            ]
            rows.append(GridRow(cells, Provenance(page=page, bbox=_box_of(line))))
            after_expense_heading = heading is not None and heading[0] == EXPENSE_SECTION
            continue
        pending.append(line)
    runs_on = free.continued() if free is not None else None
    flush()
    return rows, runs_on


def _join_broken_row(rows: list[GridRow], page_rows: list[GridRow]) -> None:
    """Add a page's rows; a row that a page break cut in two is joined back cell by cell.

    The rest of a cut row is the first row of the new page (after a repeated header) with
    the same columns as the last row before the break, whose first cell is empty or holds
    the rest of a cut heading (not a heading, nor a row number, of its own): 「経営者向」 +
    「けフォーラム」, 「2,174」 + 「,081」, 「8. 事業の実」 + 「施体制」; the 合計 row is cut
    too (「3,805」 + 「,213」). A total row (合計 with an empty 事業番号 cell) is never the
    rest of the row above it.
    """
    merged = _header_rest(rows[-1], page_rows[0]) if rows and page_rows else None
    if merged is not None:
        rows[-1] = GridRow(merged, rows[-1].provenance)
        del page_rows[0]
    first = next((i for i, r in enumerate(page_rows) if not _is_header(r)), None)
    if rows and first is not None and _continues(rows[-1], page_rows[first]):
        before, after = rows[-1], page_rows[first]
        rows[-1] = GridRow(
            [
                GridCell(
                    a.lines + b.lines, _join_paragraphs(a.paragraphs, b.paragraphs), a.provenance
                )
                for a, b in zip(before.cells, after.cells, strict=True)
            ],
            before.provenance,
        )
        del page_rows[first]
    rows += page_rows


def _header_rest(before: GridRow, after: GridRow) -> list[GridCell] | None:
    """The expense header a page break cut inside its words, upper row included (「事業」
    「個別」…「経費」 over the page's end, 「番号」「事業名」…「総事業費」 after it), laid
    together by position; None unless the two name a column (事業番号, 総事業費) that
    neither names alone."""
    if _is_header(before) or not _is_header(after):
        return None
    merged = _merge_header_rows(before.cells, after.cells)
    if merged is None:
        return None
    names_new_column = any(
        marker in cell.text and not any(marker in c.text for c in before.cells + after.cells)
        for cell in merged
        for marker in HEADER_MARKERS
    )
    return merged if names_new_column else None


def _join_paragraphs(before: list[str], after: list[str]) -> list[str]:
    """A cell's paragraphs across a page break: a sentence the break cut (the page's last
    line not ending in 。, the next page's first line no bullet) reads as one paragraph."""
    if before and after and not before[-1].endswith("。") and after[0][:1] not in BULLETS:
        return [*before[:-1], before[-1] + after[0], *after[1:]]
    return before + after


def _continues(before: GridRow, after: GridRow) -> bool:
    if len(before.cells) < 2 or len(before.cells) != len(after.cells):
        return False
    columns = zip(before.cells, after.cells, strict=True)
    for a, b in columns:
        box_a, box_b = a.provenance.bbox, b.provenance.bbox
        if (
            box_a is None
            or box_b is None
            or abs(box_a[0] - box_b[0]) > 2
            or abs(box_a[2] - box_b[2]) > 2
        ):
            return False
    if _is_total(after):
        # the 合計 row alone at the top of a page is a row of its own, unless the break cut
        # its label too: 「合」 + 「計」
        return not _is_total(before) and any(
            is_total_label(a.text + b.text) for a, b in zip(before.cells, after.cells, strict=True)
        )
    label, rest = before.cells[0], after.cells[0]
    if not rest.text:  # the rest of an item row (①…), or of the 合計 row with its blank 事業番号
        return bool(label.text) or _is_total(before)
    heading, rest_heading = heading_of(label), heading_of(rest)
    if heading is None and rest_heading is None:
        # a heading cut inside its number, 「（７」 + 「）今後の課題」, or the expense table's
        # header cut inside its words, 「事業」「総事」 + 「番号」「業費(A=B+C+D)」
        joined = [a.text + b.text for a, b in zip(before.cells, after.cells, strict=True)]
        return heading_of(GridCell(label.lines + rest.lines)) is not None or (
            not _is_header(before) and not _is_header(after) and is_header_row(joined)
        )
    return (
        heading is not None
        and rest_heading is None
        and not _ROW_NUMBER.match(rest.text)
        and SECTION_NAMES[heading[0]] != heading[1].replace(" ", "")
    )


def _is_header(row: GridRow) -> bool:
    return is_header_row(cell.text for cell in row.cells)


def _is_total(row: GridRow) -> bool:
    return is_total_row(cell.text for cell in row.cells)


def _box_of(chars: list[dict[str, Any]]) -> Bbox:
    return (
        min(c["x0"] for c in chars),
        min(c["top"] for c in chars),
        max(c["x1"] for c in chars),
        max(c["bottom"] for c in chars),
    )


def _has_doubled_chars(chars: list[dict[str, Any]]) -> bool:
    """Faux bold prints a glyph twice at (nearly) one place; cheap to spot, dear to undo."""
    seen = {(c["text"], round(c["x0"]), round(c["top"])) for c in chars}
    return len(seen) < len(chars)


def _bin_chars(
    chars: list[dict[str, Any]], boxes: list[Bbox]
) -> tuple[list[list[dict[str, Any]]], list[dict[str, Any]]]:
    """Each character to the cell its centre lies in; the rest are outside every cell."""
    inside: list[list[dict[str, Any]]] = [[] for _ in boxes]
    outside: list[dict[str, Any]] = []
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][1])
    tops = [boxes[i][1] for i in order]
    for char in chars:
        x = (char["x0"] + char["x1"]) / 2
        y = (char["top"] + char["bottom"]) / 2
        for position in range(bisect.bisect_right(tops, y) - 1, -1, -1):
            x0, top, x1, bottom = boxes[order[position]]
            if x0 <= x <= x1 and top <= y <= bottom:
                inside[order[position]].append(char)
                break
        else:
            outside.append(char)
    return inside, outside


@dataclass
class _PageObjects:
    """What the reader needs of a page: characters, ruling edges, and how many images."""

    chars: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    images: int


def _walk(items: Any) -> Any:
    for item in items:
        if isinstance(item, LTContainer):  # a figure: its children, as pdfplumber does
            yield from _walk(item)
        else:
            yield item


def _page_objects(page: Any) -> _PageObjects:
    """A page's characters and ruling edges straight from pdfminer's layout (``page.layout``),
    in pdfplumber's coordinates and with pdfplumber's own edge helpers.

    pdfplumber's ``page.objects`` turns every object into a dict of some twenty attributes,
    a third of the time of reading a page; characters here carry the nine the reader and
    ``dedupe_chars`` use. ``tests/test_extract_pdf_reader.py`` checks both against
    ``page.chars`` and ``page.edges`` on every PDF of the sample.
    """
    height = float(page.height)
    mb_x0, mb_top = (float(v) for v in page.mediabox[:2])
    doctop = float(page.initial_doctop)
    chars: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    rects: list[dict[str, Any]] = []
    curves: list[dict[str, Any]] = []
    images = 0

    def geometry(obj: LTItem, kind: str) -> dict[str, Any]:
        x0, y0, x1, y1 = obj.bbox  # type: ignore[attr-defined]
        top = height - y1 + mb_top
        return {
            "object_type": kind,
            "x0": x0 + mb_x0,
            "x1": x1 + mb_x0,
            "y0": y0,
            "y1": y1,
            "top": top,
            "bottom": height - y0 + mb_top,
            "doctop": doctop + top,
            "width": x1 - x0,
            "height": y1 - y0,
        }

    for obj in _walk(page.layout):
        if isinstance(obj, LTChar):
            char = geometry(obj, "char")
            char.update(
                text=obj.get_text(), fontname=obj.fontname, size=obj.size, upright=obj.upright
            )
            chars.append(char)
        elif isinstance(obj, LTRect):
            rects.append(geometry(obj, "rect"))
        elif isinstance(obj, LTLine):
            lines.append(geometry(obj, "line"))
        elif isinstance(obj, LTCurve):
            curve = geometry(obj, "curve")
            curve["pts"] = [(mb_x0 + x, mb_top + height - y) for x, y in obj.pts]
            curves.append(curve)
        elif isinstance(obj, LTImage):
            images += 1
    edges = [line_to_edge(line) for line in lines]
    edges += [edge for rect in rects for edge in rect_to_edges(rect)]
    edges += [edge for curve in curves for edge in curve_to_edges(curve)]
    return _PageObjects(chars, edges, images)


def _tables(page: Any, edges: list[dict[str, Any]], table_settings: dict[str, Any]) -> Any:
    """pdfplumber's table finder on edges found by :func:`_page_objects`: the "lines"
    strategies given as the same edges explicitly, so the page's objects are never built."""
    resolved = TableSettings.resolve(table_settings)
    kept = filter_edges(edges, min_length=resolved.edge_min_length_prefilter)
    vertical = [e for e in kept if e["orientation"] == "v"]
    horizontal = [e for e in kept if e["orientation"] == "h"]
    if len(vertical) < 2 or len(horizontal) < 2:
        return []  # no cell can be closed
    explicit = {
        **table_settings,
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical,
        "explicit_horizontal_lines": horizontal,
    }
    return page.find_tables(explicit)


def _fast_path(table_settings: dict[str, Any]) -> bool:
    """Whether the table settings are the "lines" strategies :func:`_tables` reproduces."""
    return (
        table_settings.get("vertical_strategy", "lines") == "lines"
        and table_settings.get("horizontal_strategy", "lines") == "lines"
        and not table_settings.get("explicit_vertical_lines")
        and not table_settings.get("explicit_horizontal_lines")
    )


def _open(data: bytes, settings: PdfSettings) -> Any:
    if not data:
        raise UnreadableFile("空のファイルです（0 バイト）。送り直してください。", "empty_file")
    if len(data) > settings.max_bytes:
        raise FileLimitExceeded(
            f"ファイルが大きすぎます（{len(data):,} バイト、上限 {settings.max_bytes:,} バイト）。"
            "様式の報告書か確認してください。",
            "file_too_large",
        )
    if b"%PDF-" not in data[:1024]:
        raise UnreadableFile(
            "PDF ではありません（PDF の見出しで始まっていません）。PDF として保存し直し、"
            "送り直してください。",
            "not_a_pdf",
        )
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise UnreadableFile(
                "PDF にパスワードが設定されています。パスワードなしで保存し直し、送り直して"
                "ください。",
                "password_protected",
            ) from None
        raise UnreadableFile(
            "PDF が途中で切れているか壊れています。送り直してください。", "pdf_damaged"
        ) from None


def read_pdf(data: bytes, source: SourceInfo, settings: PdfSettings = DEFAULT_SETTINGS) -> Document:
    """Read a PDF of the form into a :class:`Document`.

    Time is limited once, by the guard that runs every read (``jokatsu/guard.py``).
    """
    pdf = _open(data, settings)
    rows: list[GridRow] = []
    carry: _FreeTable | None = None
    paths: set[str] = set()
    chars = images = 0
    try:
        if not pdf.pages:
            raise UnreadableFile(
                "PDF に読めるページがありません（ページの構造が壊れているか空です）。"
                "PDF に出力し直し、送り直してください。",
                "pdf_no_pages",
            )
        if len(pdf.pages) > settings.max_pages:
            raise FileLimitExceeded(
                f"PDF のページが多すぎます（{len(pdf.pages)} ページ、上限 {settings.max_pages}）。"
                "様式の報告書か確認してください。",
                "too_many_pages",
            )
        for page in pdf.pages:
            if _fast_path(settings.table_settings):
                objects = _page_objects(page)
                page_chars = objects.chars
                if settings.dedupe_chars and _has_doubled_chars(page_chars):
                    page_chars = dedupe_chars(page_chars)
                images += objects.images
                found = _tables(page, objects.edges, settings.table_settings)
            else:
                page_chars = page.chars
                if settings.dedupe_chars and _has_doubled_chars(page_chars):
                    page_chars = page.dedupe_chars().chars
                images += len(page.images)
                found = page.find_tables(settings.table_settings)
            chars += len(page_chars)
            table_rows = [[c for c in row.cells if c is not None] for t in found for row in t.rows]
            boxes = [box for row in table_rows for box in row]
            inside, outside = _bin_chars(page_chars, boxes)
            texts = iter(inside)
            placed: list[_Placed] = []
            start = 0
            for table in found:
                boxes_of = table_rows[start : start + len(table.rows)]
                start += len(table.rows)
                cells_of = [
                    [_grid_cell(_lines(next(texts)), box, page.page_number) for box in row]
                    for row in boxes_of
                ]
                for row, cells in _expense_header_by_columns(
                    list(zip(boxes_of, cells_of, strict=True))
                ):
                    where = Provenance(page=page.page_number, bbox=merge_bboxes(row))
                    placed.append(_Placed(where.bbox[1], row=GridRow(cells, where)))  # type: ignore[index]
            placed += [_Placed(line[0]["top"], line=line) for line in _line_groups(outside)]
            if table_rows:
                paths.add(RULED_GRID)
            page_rows, carry = _loose_rows(
                placed, page.page_number, _columns(table_rows), carry, paths
            )
            _join_broken_row(rows, page_rows)
            page.close()
    except PdfminerException as exc:
        if "allocate" in str(exc) or isinstance(exc.args[0] if exc.args else None, MemoryError):
            raise FileLimitExceeded(
                "PDF の圧縮されたデータが、読み取りに使えるメモリを超えて展開されます"
                "（壊れたファイルか、読み手を止めるために作られたファイルです）。"
                "PDF に出力し直し、送り直してください。",
                "memory_limit",
            ) from None
        raise UnreadableFile(
            "PDF が途中で切れているか壊れています。送り直してください。", "pdf_damaged"
        ) from None
    finally:
        pdf.close()
    if chars == 0 and images:
        raise UnreadableFile(
            "PDF に文字がありません（スキャンした画像です）。スキャンではなく、Excel や Word "
            "から PDF に出力したものを送ってください。",
            "scanned_image",
        )
    if chars == 0:
        raise UnreadableFile(
            "PDF のページに文字がまったくありません（空のページか、ページの構造が壊れています）。"
            "Excel や Word から PDF に出力し直し、送り直してください。",
            "pdf_no_text",
        )
    order = [p for p in (RULED_GRID, OUTSIDE_GRID, UNRULED_TABLE) if p in paths]
    return dataclasses.replace(assemble(source, rows), read_path="pdf: " + " + ".join(order))
