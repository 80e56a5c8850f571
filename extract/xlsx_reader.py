"""Reader for the form filled in as an Excel workbook (.xlsx), on openpyxl.

The form may sit on any sheet (often after an instructions sheet 「記入上の注意」) with blank
rows and columns around it: the form sheet is the one with the most section headings, and
the form's left edge is the column of those headings. Values are those Excel saved with the
file (``data_only``); a formula that has no saved value is reported, never guessed.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date, datetime
from typing import Any
from xml.etree import ElementTree

from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from extract.accounting import Ledger
from extract.errors import NotAReport, UnreadableFile
from extract.form import PREFECTURE_LABEL, any_heading
from extract.grid import GridCell, GridRow, assemble
from extract.model import Document, Provenance, SourceInfo
from extract.ooxml import refuse_non_ooxml, xml_problem
from extract.xlsx_text import SheetUse, account, read_raw


def _refuse_non_workbooks(data: bytes) -> None:
    refuse_non_ooxml(data, "workbook", "Excel", "Excel 97-2003 workbook")


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet of the package holds a formula (an <f> element)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return any(
            b"<f>" in package.read(name) or b"<f " in package.read(name)
            for name in package.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def _open(data: bytes, *, values: bool) -> Any:
    try:
        return load_workbook(io.BytesIO(data), data_only=values, read_only=False)
    except (ElementTree.ParseError, etree.XMLSyntaxError) as exc:
        raise xml_problem(exc, "workbook") from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UnreadableFile(
            "xlsx ブックとして開けません（中身が壊れているか、別の形式のファイルです）。"
            "Excel で開いて .xlsx として保存し直し、送り直してください。",
            "xlsx_damaged",
        ) from None


def cell_text(value: Any) -> str:
    """A cell's value as the text a clerk sees (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return f"{value.year}/{value.month}/{value.day}"
    return str(value).strip()


def _headings(sheet: Worksheet) -> list[tuple[int, int]]:
    """(row, column) of every cell that reads as a section heading."""
    found = []
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and any_heading(cell.value.strip()):
                found.append((cell.row, cell.column))
    return found


def _form_sheets(book: Any) -> list[tuple[Worksheet, int]]:
    """The sheets that hold a form, in workbook order, each with the form's left column.

    A form sheet has section headings (numbered, or the sections' names) and a 都道府県名;
    a workbook may hold one per sheet (one per project). With none such, the sheet with the
    most headings. Sheets a person does not read as the report are passed over while any
    other holds a form: hidden sheets (an old copy, a blank template) and the template's
    example sheet (「記入例」 in its name).
    """
    headings = {sheet.title: _headings(sheet) for sheet in book.worksheets}
    shown = [s for s in book.worksheets if not _passed_over(s)]
    if any(headings[s.title] for s in shown):
        return _forms_among(shown, headings)
    return _forms_among(book.worksheets, headings)


def _passed_over(sheet: Worksheet) -> bool:
    return sheet.sheet_state != "visible" or "記入例" in sheet.title


def _forms_among(
    sheets: list[Worksheet], headings_of: dict[str, list[tuple[int, int]]]
) -> list[tuple[Worksheet, int]]:
    found: list[tuple[int, Worksheet, int]] = []
    for sheet in sheets:
        headings = headings_of[sheet.title]
        if not headings:
            continue
        has_prefecture = any(
            isinstance(c.value, str) and PREFECTURE_LABEL in c.value
            for row in sheet.iter_rows()
            for c in row
        )
        left = min(col for _, col in headings)
        found.append((len(headings) + (5 if has_prefecture else 0), sheet, left))
    if not found:
        raise NotAReport(
            "実績報告書の様式ではありません: どのシートにも項目 1～11（1. 事業名 など）が"
            "ありません。様式のファイルか確認してください。"
        )
    forms = [(sheet, left) for score, sheet, left in found if score >= 5 + _MIN_HEADINGS]
    if forms:
        return forms
    _, sheet, left = max(found, key=lambda f: f[0])
    return [(sheet, left)]


# A sheet with its 都道府県名 and at least this many section headings holds a form.
_MIN_HEADINGS = 5


def read_xlsx(data: bytes, source: SourceInfo) -> Document:
    """Read a workbook of the form into a :class:`Document`, accounting for every value."""
    return read_with_ledger(data, source)[0]


def read_with_ledger(data: bytes, source: SourceInfo) -> tuple[Document, Ledger]:
    """The Document, and the account of every value the workbook stores (read, set aside,
    or left over: ``Document.unread``)."""
    _refuse_non_workbooks(data)
    book = _open(data, values=True)
    formula_book = _open(data, values=False) if _has_formulas(data) else None
    raw = read_raw(data)
    hidden = {sheet.name: (sheet.hidden_rows, sheet.hidden_columns) for sheet in raw.sheets}
    rows: list[GridRow] = []
    uses: dict[str, SheetUse] = {
        sheet.title: SheetUse(None, _passed_over_reason(sheet), {}) for sheet in book.worksheets
    }
    for sheet, left in _form_sheets(book):
        formulas = formula_book[sheet.title] if formula_book is not None else None
        read: dict[str, str] = {}
        rows += _sheet_rows(sheet, left, formulas, hidden.get(sheet.title, (set(), set())), read)
        uses[sheet.title] = SheetUse(left, "", read)
    ledger = Ledger()
    account(raw, uses, ledger)
    aside, unread = ledger.passages()
    document = dataclasses.replace(assemble(source, rows), read_path="xlsx")
    return dataclasses.replace(document, set_aside=aside, unread=unread), ledger


def _passed_over_reason(sheet: Worksheet) -> str:
    if sheet.sheet_state != "visible":
        return "hidden_sheet"
    return "example_sheet" if "記入例" in sheet.title else "other_sheet"


def _sheet_rows(
    sheet: Worksheet,
    left: int,
    formulas: Any,
    hidden: tuple[set[int], set[int]],
    read: dict[str, str],
) -> list[GridRow]:
    """One form sheet's rows of cells, from the form's left column. Rows and columns hidden
    in Excel are not read (a person does not see them); ``read`` gets every cell read."""
    hidden_rows, hidden_columns = hidden
    rows: list[GridRow] = []
    for row in sheet.iter_rows(min_col=left):
        if row and row[0].row in hidden_rows:
            continue
        cells: list[GridCell] = []
        for cell in row:
            value = cell.value
            if value is None and formulas is not None:
                raw = formulas[cell.coordinate].value
                if isinstance(raw, str) and raw.startswith("="):
                    raise UnreadableFile(
                        f"セル {sheet.title}!{cell.coordinate} の数式（{raw}）に保存された値が"
                        "ありません。Excel で開いて保存し直し、送り直してください。",
                        "formula_without_value",
                    )
            # A cell covered by a merged one is blank (its value sits in the first cell): it
            # keeps its column, so the expense table's columns line up with their header.
            covered = type(cell).__name__ == "MergedCell"
            text = "" if covered or cell.column in hidden_columns else cell_text(value)
            if text:
                read[cell.coordinate] = text
            where = Provenance(sheet=sheet.title, cell=cell.coordinate)
            cells.append(GridCell(text.splitlines() or [""], provenance=where))
        while cells and not cells[-1].text:
            cells.pop()
        if cells:
            first = cells[0].provenance.cell or f"{get_column_letter(left)}{row[0].row}"
            rows.append(GridRow(cells, Provenance(sheet=sheet.title, cell=first)))
    return rows
