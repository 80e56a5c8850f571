"""Rows that a page break cut in two, joined back.

It decides whether the first row of a new page (after a repeated header) is the rest of
the last row before the break: the same columns (edges within ``Tolerances.column_align``),
and a first cell that is empty or holds the rest of a cut heading, not a heading or a row
number of its own. The 合計 row alone at the top of a page is a row of its own unless the
break cut its label too (「合」 + 「計」); an expense header cut inside its words is laid
together by position. A sentence the break cut reads as one paragraph.
"""

from __future__ import annotations

from extract.form import (
    HEADER_MARKERS,
    SECTION_NAMES,
    is_header_row,
    is_row_number,
    is_total_label,
    is_total_row,
)
from extract.grid import GridCell, GridRow, heading_of
from extract.pdf_header import merge_header_rows
from extract.pdf_settings import Tolerances
from extract.text import BULLETS


def join_broken_row(rows: list[GridRow], page_rows: list[GridRow], tol: Tolerances) -> None:
    """Add a page's rows to ``rows``; a row that a page break cut in two is joined back cell
    by cell: 「経営者向」 + 「けフォーラム」, 「2,174」 + 「,081」, 「8. 事業の実」 + 「施体制」;
    the 合計 row is cut too (「3,805」 + 「,213」). A total row (合計 with an empty 事業番号
    cell) is never the rest of the row above it.
    """
    merged = _header_rest(rows[-1], page_rows[0]) if rows and page_rows else None
    if merged is not None:
        rows[-1] = GridRow(merged, rows[-1].provenance)
        del page_rows[0]
    first = next((i for i, r in enumerate(page_rows) if not _is_header(r)), None)
    if rows and first is not None and _continues(rows[-1], page_rows[first], tol):
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
    merged = merge_header_rows(before.cells, after.cells)
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


def _same_columns(before: GridRow, after: GridRow, tol: Tolerances) -> bool:
    if len(before.cells) < 2 or len(before.cells) != len(after.cells):
        return False
    for a, b in zip(before.cells, after.cells, strict=True):
        box_a, box_b = a.provenance.bbox, b.provenance.bbox
        if (
            box_a is None
            or box_b is None
            or abs(box_a[0] - box_b[0]) > tol.column_align
            or abs(box_a[2] - box_b[2]) > tol.column_align
        ):
            return False
    return True


def _continues(before: GridRow, after: GridRow, tol: Tolerances) -> bool:
    if not _same_columns(before, after, tol):
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
        and not is_row_number(rest.text)
        and SECTION_NAMES[heading[0]] != heading[1].replace(" ", "")
    )


def _is_header(row: GridRow) -> bool:
    return is_header_row(cell.text for cell in row.cells)


def _is_total(row: GridRow) -> bool:
    return is_total_row(cell.text for cell in row.cells)
