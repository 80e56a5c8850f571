"""The expense table's header laid over the data's columns by position.

pdfplumber gives a merged cell once, so a header of two rows (「経費」 merged over
総事業費・本交付金・寄付金等・自己資金, 事業番号 merged down over both rows) comes back as
two rows each narrower than the data, and a header of one row with merged cells as a row
narrower than the data under it. It decides which header cell stands over which column:
by the centres of the cells below it, never by their text (the grid merges by text what
does not fit by position).
"""

from __future__ import annotations

from extract.form import names_header
from extract.grid import GridCell
from extract.model import Provenance
from extract.pdf_settings import Tolerances
from extract.pdf_types import Bbox

# One row of a ruled table: its cells' boxes and the cells read from them.
TableRow = tuple[list[Bbox], list[GridCell]]


def expense_header_by_columns(rows: list[TableRow], tol: Tolerances) -> list[TableRow]:
    """One ruled table's rows with its expense-table header laid over the data's columns by
    position. A header of two rows becomes one row, column by column: a cell of the upper
    row over several of the lower row's heads the first of them, a cell over one is joined
    with it, a cell over none (merged down) stays. A header of one row with merged cells is
    spread over the columns of the first data row under it: each header cell to the first
    column whose centre it covers, blanks in the rest. Rows that do not fit by position are
    left as they are (the grid then merges header rows by text)."""
    out = list(rows)
    for index in range(len(out) - 1):
        top, bottom = out[index], out[index + 1]
        if _names_header(top[1]) and _names_header(bottom[1]):
            merged = merge_header_rows(top[1], bottom[1])
            if merged is not None:
                out[index : index + 2] = [(top[0] + bottom[0], merged)]
            break
    for index, (boxes, cells) in enumerate(out):
        if not _names_header(cells):
            continue
        data = next(
            (
                r[1]
                for r in out[index + 1 :]
                if len(r[1]) >= tol.table_columns and not _names_header(r[1])
            ),
            None,
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


def merge_header_rows(top: list[GridCell], bottom: list[GridCell]) -> list[GridCell] | None:
    """Two header rows as one by position (each upper cell over the lower cells whose centres
    it spans); None unless every lower cell lies under an upper one."""
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
