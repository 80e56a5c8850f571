"""Reader for the form as a Word document (.docx), on python-docx.

Two layouts occur: the whole form as one Word table (a heading cell and a body cell merged
over the other columns per section, the expense table's rows in between), or headed
paragraphs followed by the expense table. Both become grid rows in document order: a
paragraph is a one-cell row, a table row has one cell per distinct (merged) cell.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from typing import Any

from docx import Document as open_docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph
from lxml import etree

from extract.errors import UnreadableFile
from extract.grid import GridCell, GridRow, assemble
from extract.model import Document, Provenance, SourceInfo
from extract.text_utils import refuse_non_ooxml, xml_problem


def _open(data: bytes) -> Any:
    refuse_non_ooxml(data, "document", "Word", "Word 97-2003 document")
    try:
        return open_docx(io.BytesIO(data))
    except etree.XMLSyntaxError as exc:
        raise xml_problem(exc, "document") from None
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile):
        raise UnreadableFile(
            "docx 文書として開けません（中身が壊れているか、別の形式のファイルです）。"
            "Word で開いて .docx として保存し直し、送り直してください。",
            "docx_damaged",
        ) from None


def _table_rows(table: WordTable, table_index: int) -> list[GridRow]:
    rows = []
    for row_index, row in enumerate(table.rows):
        where = Provenance(table_index=table_index, row_index=row_index)
        cells: list[GridCell] = []
        seen: list[Any] = []
        for cell in row.cells:
            if any(cell._tc is element for element in seen):
                # a merged cell comes once per grid column it spans: blank after its first,
                # so that the expense table's columns line up with their header
                cells.append(GridCell([""], provenance=where))
                continue
            seen.append(cell._tc)
            lines = [p.text.strip() for p in cell.paragraphs] or [""]
            cells.append(GridCell(lines, provenance=where))
        while cells and not cells[-1].text:
            cells.pop()
        rows.append(GridRow(cells, where))
    return rows


def _unwrap_content_controls(document: Any) -> None:
    """Replace every content control (``w:sdt``, as forms built with Word's developer tools
    have around paragraphs, cells, rows, runs) by what it holds, so that paragraphs, tables
    and runs read as if typed directly. A control still showing its placeholder text
    (「ここをクリックして…」) holds nothing."""
    sdt, content, placeholder = qn("w:sdt"), qn("w:sdtContent"), qn("w:showingPlcHdr")
    for control in list(document.element.body.iter(sdt)):
        parent = control.getparent()
        if parent is None:
            continue
        properties = control.find(qn("w:sdtPr"))
        shown = control.find(content)
        keep = (
            []
            if shown is None
            or (properties is not None and properties.find(placeholder) is not None)
            else list(shown)
        )
        at = parent.index(control)
        parent.remove(control)
        for offset, child in enumerate(keep):
            parent.insert(at + offset, child)


def read_docx(data: bytes, source: SourceInfo) -> Document:
    """Read a Word document of the form into a :class:`Document`."""
    document = _open(data)
    _unwrap_content_controls(document)
    rows: list[GridRow] = []
    tables = 0
    for number, block in enumerate(document.iter_inner_content(), start=1):
        if isinstance(block, Paragraph):
            where = Provenance(line=number)
            if block.text.strip():
                rows.append(GridRow([GridCell([block.text.strip()], provenance=where)], where))
        elif isinstance(block, WordTable):
            rows += _table_rows(block, tables)
            tables += 1
    return dataclasses.replace(assemble(source, rows), read_path="docx")
