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

from extract.accounting import Ledger
from extract.docx_text import TEXT_NODES, Styles, Walker, account_other_parts, blocks, short_tag, w
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


class _Reader:
    """Reads the main document's blocks into grid rows, accounting for every text node."""

    def __init__(self, document: Any, ledger: Ledger) -> None:
        self.document = document
        self.numbering = _Numbering(document)
        self.ledger = ledger
        try:
            styles = document.part.styles.element
        except (KeyError, NotImplementedError):
            styles = None
        self.walker = Walker(ledger, Styles(styles))
        self.tables = 0

    def text(self, p: Any) -> tuple[str, list[Any]]:
        """A paragraph as Word shows it (its automatic number first) and its text boxes."""
        shown, boxes = self.walker.paragraph(p)
        return (self.numbering.label(Paragraph(p, self.document._body)) + shown).strip(), boxes

    def rows(self, container: Any, where: Provenance | None = None) -> list[GridRow]:
        """A body's (or text box's) paragraphs and tables as grid rows, in document order: a
        paragraph is a one-cell row, followed by the rows of the text boxes it anchors."""
        rows: list[GridRow] = []
        for number, block in enumerate(blocks(container), start=1):
            if block.tag == w("p"):
                here = where or Provenance(line=number)
                text, boxes = self.text(block)
                if text:
                    rows.append(GridRow([GridCell([text], provenance=here)], here))
                for box in boxes:
                    rows += self.rows(box, here)
            else:
                rows += self.table_rows(WordTable(block, self.document._body))
        return rows

    def cell_lines(self, tc: Any) -> list[str]:
        """A cell's lines: its paragraphs, what its text boxes hold, and the rows of a table
        nested in it (one line a row, its cells' text apart by a space)."""
        lines: list[str] = []
        for block in blocks(tc):
            if block.tag == w("p"):
                text, boxes = self.text(block)
                lines.append(text)
                for box in boxes:
                    lines += [
                        " ".join(c.text for c in row.cells if c.text) for row in self.rows(box)
                    ]
            else:
                nested = self.table_rows(WordTable(block, self.document._body), count=False)
                lines += [" ".join(c.text for c in row.cells if c.text) for row in nested]
        return lines

    def table_rows(self, table: WordTable, *, count: bool = True) -> list[GridRow]:
        index = self.tables
        if count:
            self.tables += 1
        rows = []
        for row_index, row in enumerate(table.rows):
            where = Provenance(table_index=index, row_index=row_index)
            for tc in row._tr.tc_lst:
                if tc.vMerge == "continue":
                    # Word shows the cell it continues: anything typed in it is not shown
                    self.walker.aside(tc, "merged_cover")
            cells: list[GridCell] = []
            seen: list[Any] = []
            for cell in row.cells:
                if any(cell._tc is element for element in seen):
                    # a merged cell comes once per grid column it spans: blank after its
                    # first, so that the expense table's columns line up with their header
                    cells.append(GridCell([""], provenance=where))
                    continue
                seen.append(cell._tc)
                cells.append(GridCell(self.cell_lines(cell._tc) or [""], provenance=where))
            while cells and not cells[-1].text:
                cells.pop()
            rows.append(GridRow(cells, where))
        return rows


def _unwrap_content_controls(document: Any, walker: Walker) -> None:
    """Replace every content control (``w:sdt``, as forms built with Word's developer tools
    have around paragraphs, cells, rows, runs) by what it holds, so that paragraphs, tables
    and runs read as if typed directly. A control still showing its placeholder text
    (「ここをクリックして…」) holds nothing: that text is set aside."""
    sdt, content, placeholder = qn("w:sdt"), qn("w:sdtContent"), qn("w:showingPlcHdr")
    for control in list(document.element.body.iter(sdt)):
        parent = control.getparent()
        if parent is None:
            continue
        properties = control.find(qn("w:sdtPr"))
        shown = control.find(content)
        if properties is not None and properties.find(placeholder) is not None:
            walker.aside(control, "placeholder")
            shown = None
        keep = [] if shown is None else list(shown)
        at = parent.index(control)
        parent.remove(control)
        for offset, child in enumerate(keep):
            parent.insert(at + offset, child)


def _list_main_part(body: Any, ledger: Ledger) -> None:
    """Every text node of the main document, with the paragraph it sits in."""
    paragraphs: dict[Any, int] = {}
    for node in body.iter(*TEXT_NODES):
        p = next((a for a in node.iterancestors(qn("w:p"))), None)
        number = paragraphs.setdefault(p, len(paragraphs) + 1)
        ledger.add(node, node.text or "", f"本文 {number}段落目", short_tag(node.tag))


def read_docx(data: bytes, source: SourceInfo) -> Document:
    """Read a Word document of the form into a :class:`Document`."""
    return read_with_ledger(data, source)[0]


def read_with_ledger(data: bytes, source: SourceInfo) -> tuple[Document, Ledger]:
    """The Document, and the account of every text node of the file (read, set aside, or
    left over: ``Document.unread``)."""
    document = _open(data)
    ledger = Ledger()
    _list_main_part(document.element.body, ledger)
    reader = _Reader(document, ledger)
    _unwrap_content_controls(document, reader.walker)
    rows = reader.rows(document.element.body)
    account_other_parts(data, ledger, document.part.partname.lstrip("/"))
    aside, unread = ledger.passages()
    read = dataclasses.replace(assemble(source, rows), read_path="docx")
    return dataclasses.replace(read, set_aside=aside, unread=unread), ledger
