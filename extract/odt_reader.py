"""Reader for the form as an OpenDocument text (.odt, LibreOffice Writer's own format).

The same two layouts as a Word file (the whole form as one table, or headed paragraphs and
the expense table) become the same grid rows as the Word reader gives
(:mod:`extract.docx_reader`): a paragraph is a one-cell row, a table row has one cell per
column, a cell covered by a merged one (``table:covered-table-cell``) blank, and
:func:`extract.grid.assemble` interprets them. List numbering is shown as Writer shows it:
the number of a paragraph in a numbered list (``text:list`` with its list style) or of a
heading numbered by the outline (``text:outline-style``) is not in the paragraph's text, so
it is counted here in document order (a list continues the numbering of the one before it
with ``text:continue-numbering`` or ``text:continue-list``, else starts again), formatted by
the level's ``style:num-format``, prefix and suffix (or LibreOffice's ``loext:num-list-format``,
「第%1%」). Provenance: table and row index, or the paragraph's block number.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from extract.docx_reader import _format_number
from extract.grid import GridCell, GridRow, assemble
from extract.model import Document, Provenance, SourceInfo
from extract.odf import Package, cell_lines, paragraph_text, q, table_rows
from extract.ooxml import OLE_MAGIC
from extract.text import BULLETS

# ODF's number formats (style:num-format) as the Word formats the docx reader formats.
_ODF_FORMATS = {
    "1": "decimal",
    "a": "lowerLetter",
    "A": "upperLetter",
    "": "none",
    "①, ②, ③, ...": "decimalEnclosedCircle",
    "１, ２, ３, ...": "decimalFullWidth",
    "一, 二, 三, ...": "japaneseCounting",
}


@dataclass(frozen=True)
class _Level:
    bullet: str | None  # the bullet character, or None for a numbered level
    fmt: str
    prefix: str
    suffix: str
    display_levels: int
    start: int
    list_format: str | None  # loext:num-list-format, e.g. 「%1%.」 or 「第%1%」
    followed_by: str


def _levels(style: Any) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for level in style:
        if level.tag not in (
            q("text:list-level-style-number"),
            q("text:list-level-style-bullet"),
            q("text:outline-level-style"),
        ):
            continue
        alignment = level.find(
            f"{q('style:list-level-properties')}/{q('style:list-level-label-alignment')}"
        )
        followed = (
            alignment.get(q("text:label-followed-by"), "listtab")
            if alignment is not None
            else "listtab"
        )
        bullet = (
            level.get(q("text:bullet-char"), "")
            if level.tag == q("text:list-level-style-bullet")
            else None
        )
        levels[int(level.get(q("text:level"), "1"))] = _Level(
            bullet=bullet,
            fmt=_ODF_FORMATS.get(level.get(q("style:num-format"), ""), "decimal"),
            prefix=level.get(q("style:num-prefix"), ""),
            suffix=level.get(q("style:num-suffix"), ""),
            display_levels=int(level.get(q("text:display-levels"), "1") or "1"),
            start=int(level.get(q("text:start-value"), "1") or "1"),
            list_format=level.get(q("loext:num-list-format")),
            followed_by=followed,
        )
    return levels


class _Counters:
    def __init__(self) -> None:
        self.values: dict[int, int] = {}

    def step(self, level: int, start: int, override: int | None) -> None:
        current = self.values.get(level)
        self.values[level] = (
            override if override is not None else (start if current is None else current + 1)
        )
        for deeper in [k for k in self.values if k > level]:
            del self.values[deeper]


def _label(levels: dict[int, _Level], counters: _Counters, level: int) -> str:
    spec = levels.get(level)
    if spec is None:
        return ""
    if spec.bullet is not None:
        shown = spec.bullet if spec.bullet in BULLETS else ""
    elif spec.fmt == "none" and not spec.list_format:
        shown = spec.prefix + spec.suffix
    else:

        def number(at: int) -> str:
            fmt = levels[at].fmt if at in levels else "decimal"
            return _format_number(counters.values.get(at, 1), fmt)

        if spec.list_format:
            shown = spec.list_format
            for at in range(1, level + 1):
                shown = shown.replace(f"%{at}%", number(at))
        else:
            first = max(1, level - spec.display_levels + 1)
            shown = (
                spec.prefix + ".".join(number(at) for at in range(first, level + 1)) + spec.suffix
            )
    if not shown.strip():
        return ""
    return shown + ("" if spec.followed_by == "nothing" else " ")


class _Numbering:
    """Writer's list and outline numbering, counted in document order."""

    def __init__(self, package: Package) -> None:
        self.styles = {name: _levels(style) for name, style in package.list_styles().items()}
        self.outline: dict[int, _Level] = {}
        for root in (package.styles, package.content):
            if root is not None:
                for style in root.iter(q("text:outline-style")):
                    self.outline = _levels(style)
        self.outline_counters = _Counters()
        self.by_id: dict[str, _Counters] = {}
        self.last_by_style: dict[str, _Counters] = {}

    def open_list(self, element: Any, style: str) -> _Counters:
        """The counters a top-level ``text:list`` counts on."""
        continued = element.get(q("text:continue-list"))
        if continued is not None and continued in self.by_id:
            counters = self.by_id[continued]
        elif element.get(q("text:continue-numbering")) == "true" and style in self.last_by_style:
            counters = self.last_by_style[style]
        else:
            counters = _Counters()
        own = element.get("{http://www.w3.org/XML/1998/namespace}id")
        if own:
            self.by_id[own] = counters
        self.last_by_style[style] = counters
        return counters

    def heading(self, element: Any) -> str:
        level = int(element.get(q("text:outline-level"), "0") or "0")
        if level < 1 or element.get(q("text:is-list-header")) == "true":
            return ""
        spec = self.outline.get(level)
        if spec is None or (spec.fmt == "none" and not spec.list_format and spec.bullet is None):
            return ""
        override = element.get(q("text:restart-numbering")) == "true"
        start = element.get(q("text:start-value"))
        self.outline_counters.step(level, spec.start, int(start) if override and start else None)
        return _label(self.outline, self.outline_counters, level)


def _has_cached_number(paragraph: Any) -> bool:
    return paragraph.find(q("text:number")) is not None


class _Reader:
    def __init__(self, package: Package) -> None:
        self.numbering = _Numbering(package)
        self.rows: list[GridRow] = []
        self.blocks = 0
        self.tables = 0

    def paragraph(self, element: Any, label: str = "") -> None:
        self.blocks += 1
        if element.tag == q("text:h") and not label:
            label = self.numbering.heading(element)
        if _has_cached_number(element):
            label = ""  # the number Writer displayed is stored in the paragraph itself
        text = (label + paragraph_text(element)).strip()
        if text:
            where = Provenance(line=self.blocks)
            self.rows.append(GridRow([GridCell([text], provenance=where)], where))

    def blocks_of(self, parent: Any) -> None:
        for child in parent:
            tag = child.tag
            if tag in (q("text:p"), q("text:h")):
                self.paragraph(child)
            elif tag == q("text:list"):
                style = child.get(q("text:style-name"), "")
                counters = self.numbering.open_list(child, style)
                self.list_items(child, style, counters, 1)
            elif tag == q("table:table"):
                self.table(child)
            elif tag in (q("text:section"), q("text:index-body")) or tag.endswith(
                ("}table-of-content", "}alphabetical-index", "}user-index", "}bibliography")
            ):
                self.blocks_of(child)

    def list_items(self, element: Any, style: str, counters: _Counters, level: int) -> None:
        levels = self.numbering.styles.get(style, {})
        for item in element:
            if item.tag not in (q("text:list-item"), q("text:list-header")):
                continue
            numbered = item.tag == q("text:list-item")
            first = True
            for child in item:
                if child.tag in (q("text:p"), q("text:h")):
                    label = ""
                    if first and numbered and level in levels:
                        start = item.get(q("text:start-value"))
                        counters.step(level, levels[level].start, int(start) if start else None)
                        label = _label(levels, counters, level)
                    first = False
                    self.paragraph(child, label)
                elif child.tag == q("text:list"):
                    first = False
                    self.list_items(
                        child, child.get(q("text:style-name"), style), counters, level + 1
                    )
                elif child.tag == q("table:table"):
                    self.table(child)

    def table(self, element: Any) -> None:
        self.blocks += 1
        index = self.tables
        self.tables += 1
        for row_index, row in enumerate(table_rows(element)):
            where = Provenance(table_index=index, row_index=row_index)
            cells: list[GridCell] = []
            for cell in row:
                if cell.tag == q("table:covered-table-cell"):
                    # covered by a merged cell: blank, so the expense columns line up
                    cells.append(GridCell([""], provenance=where))
                elif cell.tag == q("table:table-cell"):
                    repeat = int(cell.get(q("table:number-columns-repeated"), "1") or "1")
                    lines = [line.strip() for line in cell_lines(cell)] or [""]
                    cells += [GridCell(lines, provenance=where) for _ in range(min(repeat, 64))]
            while cells and not cells[-1].text:
                cells.pop()
            self.rows.append(GridRow(cells, where))


def read_odt(data: bytes, source: SourceInfo) -> Document:
    """Read an OpenDocument text of the form into a :class:`Document`."""
    from extract.errors import UnreadableFile

    if data.startswith(OLE_MAGIC):
        raise UnreadableFile(
            "Word 97-2003 形式（.doc）のファイルに .odt という名前が付いています。"
            "名前を .doc に直すか、保存し直して送り直してください。",
            "odt_damaged",
        )
    package = Package(data, "text", "LibreOffice Writer")
    reader = _Reader(package)
    reader.blocks_of(package.body)
    return dataclasses.replace(assemble(source, reader.rows), read_path="odt: OpenDocument")
