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
from extract.ooxml import refuse_non_ooxml, xml_problem
from extract.text import BULLETS


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


_CIRCLED = "".join(chr(0x2460 + i) for i in range(20))  # ①-⑳
_KANJI = "〇一二三四五六七八九"


def _kanji(n: int) -> str:
    if n < 10:
        return _KANJI[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _KANJI[tens]) + "十" + (_KANJI[ones] if ones else "")


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("japaneseCounting", "ideographTraditional", "chineseCounting"):
        return _kanji(n) if n < 100 else str(n)
    if fmt == "none":
        return ""
    return str(n)  # decimal, decimalHalfWidth and any format not met on these forms


class _Numbering:
    """Word's automatic numbering, as Word shows it: a paragraph in a numbered list (its own
    ``w:numPr`` or its style's) has no number in its text, only in what is displayed
    (「1.」 「（１）」 「第1」 …). Counters run in document order per list (abstract
    numbering), a level's counter restarting when a shallower level counts on."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str, str]]] = {}
        self.lists: dict[str, str] = {}
        self.starts: dict[tuple[str, int], int] = {}
        self.counters: dict[str, list[int | None]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        for abstract in numbering.findall(qn("w:abstractNum")):
            levels = {}
            for level in abstract.findall(qn("w:lvl")):
                levels[int(level.get(qn("w:ilvl"), "0"))] = (
                    int(_val(level, "w:start") or "1"),
                    _val(level, "w:numFmt") or "decimal",
                    _val(level, "w:lvlText") or "",
                    _val(level, "w:suff") or "tab",
                )
            self.levels[abstract.get(qn("w:abstractNumId"), "")] = levels
        for num in numbering.findall(qn("w:num")):
            num_id = num.get(qn("w:numId"), "")
            self.lists[num_id] = _val(num, "w:abstractNumId") or ""
            for override in num.findall(qn("w:lvlOverride")):
                start = _val(override, "w:startOverride")
                if start is not None:
                    self.starts[(num_id, int(override.get(qn("w:ilvl"), "0")))] = int(start)

    def label(self, paragraph: Paragraph) -> str:
        """The number Word displays before the paragraph (with its separator), or ""."""
        found = _num_pr(paragraph)
        if found is None or found[0] not in self.lists:
            return ""
        num_id, ilvl = found
        key = self.lists[num_id]
        levels = self.levels.get(key, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(key, [None] * 9)
        start = self.starts.get((num_id, ilvl), levels[ilvl][0])
        current = counters[ilvl]
        counters[ilvl] = start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        _, fmt, text, suffix = levels[ilvl]
        if fmt == "bullet":
            shown = text if text in BULLETS else ""
        else:
            shown = text
            for level in range(ilvl + 1):
                value = counters[level]
                level_fmt = levels.get(level, (1, "decimal", "", ""))[1]
                number = _format_number(value if value is not None else 1, level_fmt)
                shown = shown.replace(f"%{level + 1}", number)
        if not shown:
            return ""
        return shown + ("" if suffix == "nothing" else " ")


def _val(element: Any, tag: str) -> str | None:
    child = element.find(qn(tag))
    return None if child is None else child.get(qn("w:val"))


def _num_pr(paragraph: Paragraph) -> tuple[str, int] | None:
    """The list a paragraph is numbered in (numId, level): its own, else its style's."""
    properties = paragraph._p.pPr
    num_pr = properties.find(qn("w:numPr")) if properties is not None else None
    style = paragraph.style if num_pr is None else None
    while num_pr is None and style is not None:
        style_properties = style.element.find(qn("w:pPr"))
        if style_properties is not None:
            num_pr = style_properties.find(qn("w:numPr"))
        style = style.base_style
    if num_pr is None:
        return None
    num_id = _val(num_pr, "w:numId")
    if num_id is None or num_id == "0":
        return None
    return num_id, int(_val(num_pr, "w:ilvl") or "0")


def _text(paragraph: Paragraph, numbering: _Numbering) -> str:
    return (numbering.label(paragraph) + paragraph.text).strip()


def _table_rows(table: WordTable, table_index: int, numbering: _Numbering) -> list[GridRow]:
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
            lines = [_text(p, numbering) for p in cell.paragraphs] or [""]
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
    numbering = _Numbering(document)
    rows: list[GridRow] = []
    tables = 0
    for number, block in enumerate(document.iter_inner_content(), start=1):
        if isinstance(block, Paragraph):
            where = Provenance(line=number)
            text = _text(block, numbering)
            if text:
                rows.append(GridRow([GridCell([text], provenance=where)], where))
        elif isinstance(block, WordTable):
            rows += _table_rows(block, tables, numbering)
            tables += 1
    return dataclasses.replace(assemble(source, rows), read_path="docx")
