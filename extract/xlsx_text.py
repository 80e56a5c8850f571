"""Every value a workbook holds, read from its parts as SpreadsheetML defines them.

ECMA-376 Part 1, §18: the workbook part lists the sheets (name, ``state``: visible, hidden,
veryHidden) and their parts through its relationships; a worksheet's ``sheetData`` holds
rows (``hidden``) of cells ``c`` with a reference ``r``, a type ``t`` and a value: ``v`` (a
number, a formula's cached result, or for ``t="s"`` an index into the shared strings), or an
inline string ``is``. A shared string (``si``) is plain text ``t`` or rich text runs
``r/t``; phonetic readings ``rPh`` are not shown in the cell. ``cols/col`` hide columns,
``mergeCells`` merge ranges (only the top-left cell is shown), ``headerFooter`` prints page
headers and footers. Comments are their own parts; text boxes and shapes on a sheet are in
its drawing part, charts in theirs.

This is a second reading, independent of openpyxl's: the xlsx reader marks what it read and
the rest is set aside by reason or left over.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from extract.accounting import Ledger

S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def s(tag: str) -> str:
    return f"{{{S}}}{tag}"


@dataclass
class RawSheet:
    name: str
    state: str
    cells: dict[str, str] = field(default_factory=dict)  # 「B3」 → the value as stored
    strings: set[str] = field(default_factory=set)  # cells holding text (not numbers)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    covered: set[str] = field(default_factory=set)  # cells under a merged cell's top-left
    headers: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)


_XML = etree.XMLParser(resolve_entities=False, huge_tree=False)
_REF = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _letters(number: int) -> str:
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out


def _parse(package: zipfile.ZipFile, name: str) -> Any:
    return etree.parse(io.BytesIO(package.read(name)), _XML).getroot()


def _rels(package: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, base = posixpath.split(part)
    name = posixpath.join(folder, "_rels", base + ".rels")
    if name not in package.namelist():
        return {}
    return {
        rel.get("Id", ""): posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
        if not rel.get("Target", "").startswith("/")
        else rel.get("Target", "").lstrip("/")
        for rel in _parse(package, name).iter(f"{{{PR}}}Relationship")
    }


def _string_item(si: Any) -> tuple[str, str]:
    """A shared string's shown text and its phonetic reading (not shown)."""
    shown = "".join(t.text or "" for t in si if t.tag == s("t"))
    shown += "".join(t.text or "" for r in si.findall(s("r")) for t in r.findall(s("t")))
    reading = "".join(t.text or "" for ph in si.findall(s("rPh")) for t in ph.findall(s("t")))
    return shown, reading


@dataclass
class RawBook:
    sheets: list[RawSheet]
    readings: list[tuple[str, str]]  # (sheet!cell, phonetic reading) of shown cells
    other: list[tuple[str, str, str]]  # (part, construct, text): comments, drawings, charts


def read_raw(data: bytes) -> RawBook:
    """Every value of every sheet, and the text of the parts around them."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        strings: list[tuple[str, str]] = []
        if "xl/sharedStrings.xml" in names:
            strings = [_string_item(si) for si in _parse(package, "xl/sharedStrings.xml")]
        workbook = "xl/workbook.xml"
        rels = _rels(package, workbook)
        sheets, readings = [], []
        for sheet in _parse(package, workbook).iter(s("sheet")):
            part = rels.get(sheet.get(f"{{{R}}}id", ""), "")
            raw = RawSheet(sheet.get("name", ""), sheet.get("state", "visible"))
            if part in names:
                readings += _read_sheet(_parse(package, part), raw, strings)
            sheets.append(raw)
        other = []
        for name in sorted(names):
            if name.startswith("xl/comments"):
                kinds: tuple[str, ...] = (s("t"),)
            elif name.startswith("xl/threadedComments"):
                kinds = ("{*}text",)
            elif name.startswith(("xl/drawings/drawing", "xl/charts/chart")):
                kinds = (f"{{{A}}}t", f"{{{C}}}v")
            else:
                continue
            if not name.endswith(".xml"):
                continue
            for node in _parse(package, name).iter(*kinds):
                if node.text and node.text.strip():
                    other.append((name, etree.QName(node).localname, node.text))
        return RawBook(sheets, readings, other)


def _read_sheet(root: Any, raw: RawSheet, strings: list[tuple[str, str]]) -> list[tuple[str, str]]:
    readings = []
    for col in root.iter(s("col")):
        if col.get("hidden") in ("1", "true"):
            low, high = int(col.get("min", "0")), int(col.get("max", "0"))
            raw.hidden_columns.update(range(low, min(high, 16384) + 1))
    for row in root.iter(s("row")):
        if row.get("hidden") in ("1", "true"):
            raw.hidden_rows.add(int(row.get("r", "0")))
        for cell in row.iter(s("c")):
            ref = cell.get("r", "")
            kind = cell.get("t", "n")
            value = cell.find(s("v"))
            if kind == "inlineStr":
                found = cell.find(s("is"))
                text, reading = _string_item(found) if found is not None else ("", "")
                if reading.strip():
                    readings.append((f"{raw.name}!{ref}", reading))
            elif kind == "s" and value is not None and (value.text or "").strip().isdigit():
                index = int(value.text or "0")
                text, reading = strings[index] if index < len(strings) else ("", "")
                if reading.strip():
                    readings.append((f"{raw.name}!{ref}", reading))
            else:
                text = value.text or "" if value is not None else ""
            if text.strip():
                raw.cells[ref] = text
                if kind in ("s", "inlineStr", "str"):
                    raw.strings.add(ref)
    for merged in root.iter(s("mergeCell")):
        first, _, last = merged.get("ref", "").partition(":")
        top, bottom = _REF.match(first), _REF.match(last or first)
        if not top or not bottom:
            continue
        columns = range(column_number(top[1]), column_number(bottom[1]) + 1)
        rows = range(int(top[2]), int(bottom[2]) + 1)
        raw.covered.update(
            f"{_letters(c)}{r}" for r in rows for c in columns if (c, r) != (columns[0], rows[0])
        )
    for part in root.iter(s("headerFooter")):
        for element in part:
            if element.text and element.text.strip():
                footer = "Footer" in etree.QName(element).localname
                raw.headers.append(("page_footer" if footer else "page_header", element.text))
    return readings


@dataclass(frozen=True)
class SheetUse:
    """How the reader used a sheet: read as a form from column ``left``, or passed over for
    ``reason``; and the cells it read with the text it read from each."""

    left: int | None
    reason: str
    read: dict[str, str]


def account(book: RawBook, uses: dict[str, SheetUse], ledger: Ledger) -> None:
    """Mark every stored value as read, set aside, or left over."""
    for sheet in book.sheets:
        use = uses.get(sheet.name, SheetUse(None, "other_sheet", {}))
        for ref, text in sheet.cells.items():
            found = _REF.match(ref)
            key = (sheet.name, ref)
            place = f"シート「{sheet.name}」{ref}"
            ledger.add(key, text, place, "c/v")
            read = use.read.get(ref)
            if read is not None and (ref not in sheet.strings or read == text.strip()):
                ledger.take(key)
            elif ref in sheet.covered:
                ledger.set_aside([key], "merged_cover")
            elif found and (
                int(found[2]) in sheet.hidden_rows
                or column_number(found[1]) in sheet.hidden_columns
            ):
                ledger.set_aside([key], "hidden_row")
            elif use.left is None:
                ledger.set_aside([key], use.reason)
        for index, (kind, text) in enumerate(sheet.headers):
            key = (sheet.name, f"headerFooter{index}")
            where = "フッター" if kind == "page_footer" else "ヘッダー"
            ledger.add(key, text, f"シート「{sheet.name}」の{where}", "headerFooter")
            ledger.set_aside([key], kind)
    for index, (ref, reading) in enumerate(book.readings):
        reading_key = ("rPh", str(index))
        ledger.add(reading_key, reading, ref, "rPh")
        ledger.set_aside([reading_key], "phonetic")
    for index, (part, construct, text) in enumerate(book.other):
        key = (part, str(index))
        comment = part.startswith(("xl/comments", "xl/threadedComments"))
        place = f"{'コメント' if comment else '図形・グラフ'}（{part}）"
        ledger.add(key, text, place, f"{construct} in {part}")
        if comment:
            ledger.set_aside([key], "comment")
