"""The form as offices fill it in Excel and Word."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Any

from docx import Document as WordDocument
from docx.table import Table as WordTable
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from tests.corpus.model import Report, Variant, Written
from tests.corpus.render_txt import NOTES
from transform.amounts import parse_amount

INSTRUCTIONS = (
    "記入上の注意",
    "1. 本様式は事業ごとに作成してください。",
    "2. 金額は円単位で記入してください。",
    "3. 「他の寄付金等」がある場合は、備考欄に内容を記入してください。",
)


def render_xlsx(report: Report) -> bytes:
    """The form on one sheet (maybe after an instructions sheet), bodies merged over B:K."""
    w, v = report.written, report.variant
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if v.instructions_sheet:
        sheet.title = "記入上の注意"
        for i, line in enumerate(INSTRUCTIONS, start=1):
            sheet.cell(row=i, column=1, value=line)
        sheet = book.create_sheet("様式4-1-3")
    else:
        sheet.title = "様式4-1-3"
    top, left = 1 + v.offset, 1 + v.offset  # blank rows and columns around the form
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in w.cover:  # a covering letter above the form
        sheet.cell(row=top, column=left, value=line)
        top += 1
    if w.cover:
        top += 1
    sheet.cell(row=top, column=left, value=w.title)
    sheet.cell(row=top + 2, column=left, value=w.prefecture_line)
    row = top + 4
    last = left + 10

    def merged_body(r: int, text: str) -> None:
        sheet.cell(row=r, column=left + 1, value=text).alignment = wrap
        sheet.merge_cells(start_row=r, start_column=left + 1, end_row=r, end_column=last)

    for n in range(1, 12):
        heading = w.headings[n - 1]
        sheet.cell(row=row, column=left, value=heading).alignment = wrap
        if n == 9:
            sheet.merge_cells(start_row=row, start_column=left, end_row=row, end_column=last)
            row += 1
            if w.header_top:  # 「経費」 merged over the amounts, the other labels over two rows
                for index, text in enumerate(w.header_top):
                    if text:
                        sheet.cell(row=row, column=left + index, value=text).alignment = wrap
                sheet.merge_cells(
                    start_row=row, start_column=left + 5, end_row=row, end_column=left + 8
                )
                for index in (0, 1, 2, 3, 4, 9):
                    sheet.merge_cells(
                        start_row=row,
                        start_column=left + index,
                        end_row=row + 1,
                        end_column=left + index,
                    )
                row += 1
            for index, text in enumerate(w.table_header):
                if not (w.header_top and index in (0, 1, 2, 3, 4, 9)):
                    sheet.cell(row=row, column=left + index, value=text).alignment = wrap
            row += 1
            for cells in w.rows:
                for index, text in enumerate(cells):
                    value: str | int | None = text or None
                    if 5 <= index <= 8 and text and not v.numbers_as_text:
                        value = parse_amount(text)  # a number, in the table's unit
                    sheet.cell(row=row, column=left + index, value=value)
                row += 1
            continue
        if n == 2 and v.period_cells:  # two date cells around 「～」
            start, _, end = w.bodies[2]
            sheet.cell(row=row, column=left + 1, value=_as_date(start))
            sheet.cell(row=row, column=left + 2, value="～")
            sheet.cell(row=row, column=left + 3, value=_as_date(end))
            row += 1
            continue
        body = w.contact if n == 10 else w.bodies[n]
        merged_body(row, "\n".join(body))
        row += 1
    if v.notes_in_grid:  # the form's notes as rows of its grid, below section 11
        for note in NOTES:
            sheet.cell(row=row, column=left, value=note)
            sheet.merge_cells(start_row=row, start_column=left, end_row=row, end_column=last)
            row += 1
    for col in range(left, last + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 14
    buffer = io.BytesIO()
    book.save(buffer)
    return reproducible_zip(buffer.getvalue())


def reproducible_zip(data: bytes) -> bytes:
    """The same package with fixed timestamps, so a seed always gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>2022-04-01T00:00:00Z",
                    content,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=(2022, 4, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()


def _as_date(text: str) -> datetime:
    year, month, day = (int(part) for part in text.split("/"))
    return datetime(year, month, day)


def _fill_header(table: WordTable, top: tuple[str, ...], header: tuple[str, ...]) -> None:
    """The expense header: one row, or two with 「経費」 merged over the four amount columns
    and the other labels merged down both rows."""
    if not top:
        _fill_row(table, header)
        return
    _fill_row(table, top)
    _fill_row(table, ["", "", "", "", "", *header[5:9], ""])
    upper, lower = len(table.rows) - 2, len(table.rows) - 1
    table.cell(upper, 5).merge(table.cell(upper, 8))
    for column in (0, 1, 2, 3, 4, 9):
        merged = table.cell(upper, column).merge(table.cell(lower, column))
        merged.text = top[column]


def _wrap_in_content_controls(doc: Any) -> None:
    """Every paragraph of the body and of the table cells inside a content control (w:sdt),
    as forms built with Word's developer tools hold their fields."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    body = doc.element.body
    paragraphs = [p for p in body.iter(qn("w:p"))]
    for paragraph in paragraphs:
        control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
        control.append(OxmlElement("w:sdtPr"))
        paragraph.getparent().replace(paragraph, control)
        content.append(paragraph)
        control.append(content)


def _fill_row(table: WordTable, cells: list[str] | tuple[str, ...]) -> None:
    row = table.add_row()  # type: ignore[no-untyped-call]
    for index, text in enumerate(cells):
        row.cells[index].text = text


def _heading(w: Written, v: Variant, n: int) -> str:
    """Section n's heading as typed: with its number, or without it where Word numbers the
    headings itself (a list style: 「1.」 shows, but is no text of the paragraph)."""
    heading = w.headings[n - 1]
    return heading[len(w.numbers[n - 1]) :].strip() if v.word_numbering else heading


def render_docx(report: Report) -> bytes:
    """As one Word table (bodies merged over nine columns), or headed paragraphs + table."""
    w, v = report.written, report.variant
    doc = WordDocument()
    for line in w.cover:  # a covering letter before the form
        doc.add_paragraph(line)
    doc.add_paragraph(w.title)
    doc.add_paragraph(w.prefecture_line)
    if v.docx_layout == "table":
        table = doc.add_table(rows=0, cols=10)
        table.style = "Table Grid"
        for n in range(1, 12):
            row = table.add_row()
            row.cells[0].text = _heading(w, v, n)
            if v.word_numbering:
                row.cells[0].paragraphs[0].style = doc.styles["List Number"]
            if n == 9:
                row.cells[0].merge(row.cells[9])
                _fill_header(table, w.header_top, w.table_header)
                for cells in w.rows:
                    _fill_row(table, cells)
                continue
            body_cell = row.cells[1].merge(row.cells[9])
            paragraphs = w.contact if n == 10 else w.bodies[n]
            body_cell.text = paragraphs[0]
            for paragraph in paragraphs[1:]:
                body_cell.add_paragraph(paragraph)
        if v.notes_in_grid:  # the form's notes as rows of its grid, below section 11
            for note in NOTES:
                cell = table.add_row().cells[0].merge(table.rows[-1].cells[9])
                cell.text = note
    else:
        for n in range(1, 12):
            doc.add_paragraph(_heading(w, v, n), style="List Number" if v.word_numbering else None)
            if n == 9:
                table = doc.add_table(rows=0, cols=10)
                table.style = "Table Grid"
                _fill_header(table, w.header_top, w.table_header)
                for index, cells in enumerate(w.rows):
                    if v.split_table and index in (0, len(w.rows) - 1):
                        doc.add_paragraph("")  # a new grid: header, rows, total apart
                        table = doc.add_table(rows=0, cols=10)
                        table.style = "Table Grid"
                    _fill_row(table, cells)
                continue
            for paragraph in w.contact if n == 10 else w.bodies[n]:
                doc.add_paragraph(paragraph)
    if v.content_controls:
        _wrap_in_content_controls(doc)
    if not v.table_borders:
        for table in doc.tables:
            table.style = None  # no borders: printed, the table has no rules
    buffer = io.BytesIO()
    doc.save(buffer)
    return reproducible_zip(buffer.getvalue())
