"""The exports as one Excel workbook that opens and prints as it should.

A first sheet 「列の説明」 says what every column of every sheet means and in which unit; then
a sheet per export. Cells are typed from the export's schema (:func:`warehouse.export.columns_of`):
codes and ids text, money whole yen with thousands separators, shares a percent format,
dates dates; text never becomes a formula. Every sheet prints on A4 landscape, fitted to one
page wide, its header row repeated on every page, long text wrapped inside its column, the
sheet's name and the page number in the margins; the header row is frozen and filtered.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.header_footer import HeaderFooterItem, _HeaderFooterPart
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from extract.text import display_width
from warehouse.export import (
    Column,
    ExportTable,
    Kind,
    Legend,
    columns_of,
    legend_rows,
    neutralise,
    shown_names,
)

LEGEND_SHEET = "列の説明"
PERSONS_MARK = "（人）"
# Widths in Excel's character units. Long text wraps inside its column instead of widening
# the sheet (a sheet prints one page wide: every unit of width shrinks the print).
TEXT_WIDTH = 20
LONG_TEXT_WIDTH = 36  # messages and reasons (texts longer than twice that): fewer, wider lines
CODE_WIDTH = 24  # ids, hashes, paths and addresses
HEADER_WIDTH = 6  # a long header wraps onto more lines rather than widening its column
MIN_WIDTH = 4
MAX_WIDTH = 60
PAGE_WIDTH = 140  # what A4 landscape holds at 100% within the margins (LibreOffice, Excel)
# Row heights are set (LibreOffice does not grow a row to its wrapped text when it opens a
# workbook): the lines a cell's text takes at its column's width, at this height a line.
LINE_HEIGHT = 16.5  # 11 pt Japanese text with its leading
NUMBER_FORMATS: dict[Kind, str] = {
    "money": "#,##0",
    "integer": "0",
    "percent": "0.00%",
    "decimal": "#,##0.00",
    "date": "yyyy-mm-dd",
    "timestamp": "yyyy-mm-dd hh:mm:ss",
}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F2")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def cell_value(value: Any, kind: Kind) -> Any:
    """A value as its cell holds it: text cleaned of control characters and neutralised,
    a percentage as the fraction Excel's percent format shows (75.79 → 0.7579)."""
    if value is None:
        return None
    if kind == "text":
        return ILLEGAL_CHARACTERS_RE.sub("", str(neutralise(str(value))))
    if kind == "percent":
        return round(float(value) / 100, 8)
    if kind in ("integer", "money"):
        return int(value)
    if kind == "decimal":
        return float(value)
    return value


def _widths(columns: list[Column], rows: list[list[Any]]) -> list[float]:
    """Each column's width: its longest value (a long header wraps), text capped so that it
    wraps; then the page's spare width, if any, shared among the wrapped columns."""
    natural, capped = [], []
    for index, column in enumerate(columns):
        values = [row[index] for row in rows if row[index] is not None]
        longest = max((display_width(str(v)) for v in values), default=0)
        if column.kind == "money":
            longest += longest // 3  # the thousands separators
        if column.kind == "percent":
            longest = 8
        width = max(longest, min(display_width(column.header), HEADER_WIDTH), MIN_WIDTH) + 2.0
        natural.append(min(width, MAX_WIDTH))
        if column.kind == "text":
            if all(str(v).isascii() for v in values):
                width = min(width, CODE_WIDTH)
            else:
                width = min(width, LONG_TEXT_WIDTH if longest > 2 * LONG_TEXT_WIDTH else TEXT_WIDTH)
        capped.append(width)
    spare = PAGE_WIDTH - sum(capped)
    wanted = [n - c for n, c in zip(natural, capped, strict=True)]
    if spare > 0 and sum(wanted) > 0:
        share = min(1.0, spare / sum(wanted))
        capped = [c + w * share for c, w in zip(capped, wanted, strict=True)]
    return [round(w, 1) for w in capped]


def lines_at(text: str, width: float) -> int:
    """Lines a text wraps onto in a column of ``width`` units (a wide character takes two; a
    line broken between words, at a «/» of a path, is not filled to the end)."""
    room = max(1.0, width - 1.5)
    lines = 0
    for part in text.split("\n"):
        fill = 1.0 if part.isascii() and not any(c in part for c in " /-_.") else 0.85
        lines += (
            1 if display_width(part) <= room else math.ceil(display_width(part) / (room * fill))
        )
    return lines


def _fill(
    sheet: Worksheet,
    columns: list[Column],
    rows: list[list[Any]],
    fixed: tuple[float, ...] = (),
) -> None:
    sheet.append([c.header for c in columns])
    for row in rows:
        sheet.append(row)
    widths = list(fixed) if fixed else _widths(columns, rows)
    for index, (column, width) in enumerate(zip(columns, widths, strict=True), start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        number_format = NUMBER_FORMATS.get(column.kind)
        if column.kind == "integer" and column.header.endswith(PERSONS_MARK):
            number_format = NUMBER_FORMATS["money"]  # a population: thousands separators
        for cell in sheet[letter][1:]:
            if column.kind == "text" and cell.value is not None:
                cell.data_type = "s"  # text is never a formula
            elif number_format:
                cell.number_format = number_format
            cell.alignment = WRAP if column.kind == "text" else TOP
    for cell in sheet[1]:
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN
    for number, values in enumerate([[c.header for c in columns], *rows], start=1):
        lines = max(
            (
                lines_at(str(v), w)
                for v, w, c in zip(values, widths, columns, strict=True)
                if v is not None and (c.kind == "text" or number == 1)
            ),
            default=1,
        )
        if lines > 1:
            sheet.row_dimensions[number].height = lines * LINE_HEIGHT
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    print_setup(sheet)


def print_setup(sheet: Worksheet) -> None:
    """A4 landscape, one page wide (as many pages down as it needs), the header row on every
    page, the sheet's name and the page number in the margins."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins = PageMargins(
        left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3
    )
    margins = sheet.HeaderFooter
    margins.oddHeader = HeaderFooterItem(left=_HeaderFooterPart("&A"))  # the sheet's name
    margins.oddFooter = HeaderFooterItem(center=_HeaderFooterPart("&P / &N"))  # page of pages


LEGEND_COLUMNS = [
    Column("シート", "text", Legend("", "")),
    Column("列", "text", Legend("", "")),
    Column("内容", "text", Legend("", "")),
    Column("単位", "text", Legend("", "")),
]


LEGEND_WIDTHS = (16.0, 24.0, 80.0, 12.0)


def write_workbook(
    conn: duckdb.DuckDBPyConnection, path: Path, tables: list[ExportTable]
) -> list[tuple[str, int]]:
    """The legend sheet, then one sheet per export; the (sheet name, rows) of the exports."""
    book = Workbook()
    legend = book.active
    assert legend is not None
    legend.title = LEGEND_SHEET
    _fill(
        legend,
        LEGEND_COLUMNS,
        [list(row) for row in legend_rows(tables, {t.name: t.title for t in tables})],
        LEGEND_WIDTHS,
    )
    written: list[tuple[str, int]] = []
    for table in tables:
        sheet = book.create_sheet(table.title)
        columns = columns_of(table, conn.execute(table.sql))
        rows = [
            [cell_value(v, c.kind) for v, c in zip(shown_names(columns, row), columns, strict=True)]
            for row in conn.fetchall()
        ]
        _fill(sheet, columns, rows)
        written.append((sheet.title, len(rows)))
    book.save(path)
    return written
