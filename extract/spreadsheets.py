"""Readers for the other spreadsheet formats offices send: Excel 97-2003 workbooks (.xls,
BIFF8) on xlrd, and OpenDocument spreadsheets (.ods, LibreOffice Calc's own format) from
the package's XML.

Neither has a reader of its own: each lays its sheets' cells (values as the program saved
them, merged ranges, which sheets, rows and columns are hidden) into an openpyxl workbook,
saves it as an .xlsx in memory and has the xlsx reader read that
(:func:`extract.xlsx_reader.read_xlsx`): the same form sheets (hidden sheets and 「記入例」
sheets passed over), the same cells, merges and account of every value, the same
``Document``. ``read_path`` names what read the file (「xls: xlrd → xlsx」, 「ods:
OpenDocument → xlsx」).
"""

from __future__ import annotations

import dataclasses
import io
from datetime import datetime, time, timedelta
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from extract.errors import FileLimitExceeded, UnreadableFile
from extract.model import Document, SourceInfo
from extract.odf import Package, cell_lines, q, table_rows
from extract.ooxml import OLE_MAGIC
from extract.xlsx_reader import read_xlsx

# Cells a sheet may give at most (a form has a few hundred): repeated rows and columns in an
# .ods are laid out only while they hold something, and never beyond this.
MAX_CELLS = 200_000
# openpyxl's limits, which no sheet of a form comes near.
_MAX_ROW, _MAX_COLUMN = 1_048_576, 16_384


def _too_many_cells() -> FileLimitExceeded:
    return FileLimitExceeded(
        f"シートのセルが多すぎます（{MAX_CELLS:,} 個まで）。様式の報告書か確認してください。",
        "too_many_cells",
    )


class _Book:
    """An openpyxl workbook filled sheet by sheet, cell by cell."""

    def __init__(self) -> None:
        self.book = Workbook()
        for default in list(self.book.worksheets):
            self.book.remove(default)
        self.cells = 0

    def sheet(self, title: str, hidden: bool) -> Worksheet:
        # Excel and Calc forbid the characters openpyxl refuses in a title: a file written
        # by another program may still hold them, and the title is only a place name here.
        safe = "".join("_" if c in "[]:*?/\\" else c for c in title)[:31] or "Sheet"
        while safe in self.book.sheetnames:
            safe = safe[:28] + f"~{len(self.book.sheetnames)}"
        sheet: Worksheet = self.book.create_sheet(safe)
        if hidden:
            sheet.sheet_state = "hidden"
        return sheet

    def put(self, sheet: Worksheet, row: int, column: int, value: Any) -> None:
        if value is None or value == "":
            return
        if row > _MAX_ROW or column > _MAX_COLUMN:
            raise _too_many_cells()
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise _too_many_cells()
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            # control characters (no Office program shows them) are left out: openpyxl
            # refuses them in a cell
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.data_type = "s"  # text stays text, even when it starts with 「=」
        else:
            cell.value = value

    def read(self, source: SourceInfo, read_path: str) -> Document:
        """The workbook saved as an .xlsx and read by the xlsx reader."""
        out = io.BytesIO()
        self.book.save(out)
        document = read_xlsx(out.getvalue(), source)
        return dataclasses.replace(document, read_path=read_path)


def _hide(sheet: Worksheet, rows: set[int], columns: set[int]) -> None:
    for row in rows:
        sheet.row_dimensions[row].hidden = True
    for column in columns:
        sheet.column_dimensions[get_column_letter(column)].hidden = True


# --- .xls (Excel 97-2003, BIFF8) --------------------------------------------------------


def read_xls(data: bytes, source: SourceInfo) -> Document:
    """Read an Excel 97-2003 workbook (.xls) of the form into a :class:`Document`."""
    import struct

    import xlrd
    from xlrd.biffh import XLRDError
    from xlrd.compdoc import CompDocError

    if not data:
        raise UnreadableFile("空のファイルです（0 バイト）。送り直してください。", "empty_file")
    if not data.startswith(OLE_MAGIC):
        raise UnreadableFile(
            ".xls ブックとして開けません（中身が Excel 97-2003 の形式ではありません）。"
            "Excel で開いて .xlsx として保存し直し、送り直してください。",
            "xls_damaged",
        )
    try:
        workbook = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=False, logfile=_Silent()
        )
    except XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise UnreadableFile(
                "ファイルにパスワードが設定されています。Excel でパスワードを外して保存し直し、"
                "送り直してください。",
                "password_protected",
            ) from None
        raise _xls_damaged() from None
    except (
        CompDocError,
        struct.error,
        AssertionError,
        IndexError,
        KeyError,
        ValueError,
        TypeError,
        EOFError,
    ):
        raise _xls_damaged() from None
    book = _Book()
    for xls_sheet in workbook.sheets():
        sheet = book.sheet(xls_sheet.name, hidden=xls_sheet.visibility != 0)
        for r in range(xls_sheet.nrows):
            for c, cell in enumerate(xls_sheet.row(r)):
                book.put(sheet, r + 1, c + 1, _xls_value(cell, workbook.datemode))
        for rlo, rhi, clo, chi in xls_sheet.merged_cells:
            if rhi - rlo > 1 or chi - clo > 1:
                sheet.merge_cells(
                    start_row=rlo + 1, start_column=clo + 1, end_row=rhi, end_column=chi
                )
        _hide(
            sheet,
            {r + 1 for r, info in xls_sheet.rowinfo_map.items() if info.hidden},
            {c + 1 for c, info in xls_sheet.colinfo_map.items() if info.hidden},
        )
    return book.read(source, "xls: xlrd → xlsx")


def _xls_damaged() -> UnreadableFile:
    return UnreadableFile(
        ".xls ブックとして開けません（中身が壊れています）。Excel で開いて .xlsx として"
        "保存し直し、送り直してください。",
        "xls_damaged",
    )


class _Silent:
    """xlrd's log (warnings about the file's records) goes nowhere: a file's problems are
    told by the reader's reasons."""

    def write(self, text: str) -> int:
        return len(text)


def _xls_value(cell: Any, datemode: int) -> Any:
    """A BIFF cell's value as openpyxl would hold the same cell of an .xlsx."""
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_DATE:
        try:
            when = xlrd.xldate.xldate_as_datetime(value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return value
        return when.time() if value < 1 else when
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERROR!")
    return value


# --- .ods (OpenDocument spreadsheet) ----------------------------------------------------


def read_ods(data: bytes, source: SourceInfo) -> Document:
    """Read an OpenDocument spreadsheet (.ods) of the form into a :class:`Document`."""
    if data.startswith(OLE_MAGIC):
        raise UnreadableFile(
            "Excel 97-2003 形式（.xls）のファイルに .ods という名前が付いています。"
            "名前を .xls に直すか、保存し直して送り直してください。",
            "ods_damaged",
        )
    package = Package(data, "spreadsheet", "LibreOffice Calc")
    hidden = _hidden_table_styles(package)
    book = _Book()
    for table in package.body.iter(q("table:table")):
        if table.getparent().tag != package.body.tag:
            continue  # a table inside a shape or a cell is not a sheet
        sheet = book.sheet(
            table.get(q("table:name"), "Sheet"), hidden=table.get(q("table:style-name")) in hidden
        )
        _lay_table(book, sheet, table)
    return book.read(source, "ods: OpenDocument → xlsx")


def _hidden_table_styles(package: Package) -> set[str]:
    """Names of the table styles that hide their sheet (``table:display="false"``)."""
    hidden = set()
    for style in package.automatic_styles():
        if style.get(q("style:family")) != "table":
            continue
        properties = style.find(q("style:table-properties"))
        if properties is not None and properties.get(q("table:display")) == "false":
            hidden.add(style.get(q("style:name"), ""))
    return hidden


def _hidden_columns(table: Any) -> set[int]:
    """Columns a person does not see (``table:visibility`` collapse or filter), 1-based."""
    hidden: set[int] = set()
    column = 1
    for element in table.iter(q("table:table-column")):
        times = int(element.get(q("table:number-columns-repeated"), "1") or "1")
        if element.get(q("table:visibility"), "visible") != "visible" and column <= _MAX_COLUMN:
            hidden.update(range(column, min(column + times, _MAX_COLUMN + 1)))
        column += times
    return hidden


def _lay_table(book: _Book, sheet: Worksheet, table: Any) -> None:
    row = 1
    merges: list[tuple[int, int, int, int]] = []
    hidden_rows: set[int] = set()
    for table_row in table_rows(table):
        repeat = int(table_row.get(q("table:number-rows-repeated"), "1") or "1")
        if table_row.get(q("table:visibility"), "visible") != "visible" and row <= _MAX_ROW:
            hidden_rows.update(range(row, min(row + repeat, row + MAX_CELLS, _MAX_ROW + 1)))
        cells = [
            c for c in table_row if c.tag in (q("table:table-cell"), q("table:covered-table-cell"))
        ]
        laid: list[tuple[int, Any, Any]] = []  # (column, value, cell element)
        column = 1
        for cell in cells:
            times = int(cell.get(q("table:number-columns-repeated"), "1") or "1")
            value = _ods_value(cell) if cell.tag == q("table:table-cell") else None
            if value is not None:
                laid += [(column + k, value, cell) for k in range(min(times, MAX_CELLS + 1))]
            column += times
        if laid:
            for k in range(min(repeat, MAX_CELLS + 1)):
                for col, value, _ in laid:
                    book.put(sheet, row + k, col, value)
        column = 1
        for cell in cells:
            times = int(cell.get(q("table:number-columns-repeated"), "1") or "1")
            across = int(cell.get(q("table:number-columns-spanned"), "1") or "1")
            down = int(cell.get(q("table:number-rows-spanned"), "1") or "1")
            if cell.tag == q("table:table-cell") and (across > 1 or down > 1):
                merges.append((row, column, row + down - 1, column + across - 1))
            column += times
        row += repeat
    for top, left, bottom, right in merges:
        if bottom <= _MAX_ROW and right <= _MAX_COLUMN:
            sheet.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
    _hide(sheet, hidden_rows, _hidden_columns(table))


def _ods_value(cell: Any) -> Any:
    """A cell's value as openpyxl would hold the same cell of an .xlsx: the number, date or
    truth value the program saved (``office:value`` …), else the cell's text."""
    kind = cell.get(q("office:value-type"))
    if kind in ("float", "percentage", "currency"):
        raw = cell.get(q("office:value"))
        try:
            number = float(raw) if raw is not None else None
        except ValueError:
            number = None
        if number is not None:
            return number
    elif kind == "date":
        raw = cell.get(q("office:date-value"), "")
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            pass
    elif kind == "time":
        duration = _duration(cell.get(q("office:time-value"), ""))
        if duration is not None:
            return duration
    elif kind == "boolean":
        return cell.get(q("office:boolean-value")) == "true"
    lines = cell_lines(cell)
    text = "\n".join(lines)
    return text if text.strip() else None


def _duration(raw: str) -> time | None:
    """An ISO 8601 duration of the time of day (``PT10H30M00S``) as a time."""
    import re

    found = re.fullmatch(r"-?P(?:\d+D)?T(\d+)H(\d+)M(\d+(?:\.\d+)?)S", raw)
    if found is None:
        return None
    hours, minutes, seconds = int(found[1]), int(found[2]), float(found[3])
    total = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    day = timedelta(days=1)
    if total >= day:
        return None
    return (datetime.min + total).time()
