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

from extract.errors import NotAReport, UnreadableFile
from extract.form import PREFECTURE_LABEL, any_heading
from extract.grid import GridCell, GridRow, assemble
from extract.model import Document, Provenance, SourceInfo
from extract.ooxml import refuse_non_ooxml, xml_problem


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
    """Read a workbook of the form into a :class:`Document`."""
    _refuse_non_workbooks(data)
    book = _open(data, values=True)
    formula_book = _open(data, values=False) if _has_formulas(data) else None
    rows: list[GridRow] = []
    for sheet, left in _form_sheets(book):
        formulas = formula_book[sheet.title] if formula_book is not None else None
        rows += _sheet_rows(sheet, left, formulas)
    return dataclasses.replace(assemble(source, rows), read_path="xlsx")


def _sheet_rows(sheet: Worksheet, left: int, formulas: Any) -> list[GridRow]:
    """One form sheet's rows of cells, from the form's left column."""
    rows: list[GridRow] = []
    for row in sheet.iter_rows(min_col=left):
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
            text = "" if type(cell).__name__ == "MergedCell" else cell_text(value)
            where = Provenance(sheet=sheet.title, cell=cell.coordinate)
            cells.append(GridCell(text.splitlines() or [""], provenance=where))
        while cells and not cells[-1].text:
            cells.pop()
        if cells:
            first = cells[0].provenance.cell or f"{get_column_letter(left)}{row[0].row}"
            rows.append(GridRow(cells, Provenance(sheet=sheet.title, cell=first)))
    return rows
