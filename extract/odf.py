"""OpenDocument packages (.ods, .odt): the parts a reader needs and their text, as the
OpenDocument specification (OASIS ODF 1.2/1.3, part 3: schema) defines them.

A package is a zip with a ``mimetype`` member, ``content.xml`` (the body and its automatic
styles) and ``styles.xml`` (the named styles, list styles and the outline numbering).
Paragraph text follows §6.1.2: a run of white space in the XML is one space, spaces typed in
a row are ``text:s`` (``text:c`` of them), a tab is ``text:tab``, a line break inside a
paragraph ``text:line-break``. Fields (page numbers, dates, references) keep the text they
display as their content, and are read as that text. What a person does not see in the text
is set aside: comments (``office:annotation``), the record of tracked changes
(``text:tracked-changes``; deleted text lives only there), footnote bodies (the citation mark
stays), and drawing objects (text boxes, shapes), which the Word reader leaves out too.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from lxml import etree

from extract.errors import FileLimitExceeded, UnreadableFile
from extract.ooxml import xml_problem

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
    "loext": "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
}

MIMETYPES = {
    "spreadsheet": "application/vnd.oasis.opendocument.spreadsheet",
    "text": "application/vnd.oasis.opendocument.text",
}

# A part larger than this is not read (a form's content.xml is well under 1 MB).
MAX_PART_BYTES = 64 * 1024 * 1024


def q(name: str) -> str:
    """``"text:p"`` as lxml's ``{namespace}p``."""
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


# Elements whose content a person does not see as the text where they stand.
_SET_ASIDE = {
    q("office:annotation"),
    q("office:annotation-end"),
    q("text:tracked-changes"),
    q("text:note-body"),
    q("draw:frame"),
    q("draw:custom-shape"),
    q("draw:rect"),
    q("draw:g"),
}
_SPACE = re.compile(r"[ \t\r\n]+")


class Package:
    """An OpenDocument package's parsed ``content.xml`` and ``styles.xml``."""

    def __init__(self, data: bytes, kind: str, application: str) -> None:
        self.kind = kind
        if not data:
            raise UnreadableFile("空のファイルです（0 バイト）。送り直してください。", "empty_file")
        suffix = "ods" if kind == "spreadsheet" else "odt"
        damaged = UnreadableFile(
            f".{suffix} ファイルとして開けません（中身が壊れているか、別の形式のファイルです）。"
            f"{application} で開いて保存し直し、送り直してください。",
            "ods_damaged" if suffix == "ods" else "odt_damaged",
        )
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise damaged
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
                if "META-INF/manifest.xml" in names:
                    manifest = _read(package, "META-INF/manifest.xml")
                    if b"encryption-data" in manifest:
                        raise UnreadableFile(
                            f"ファイルにパスワードが設定されています。{application} でパスワードを"
                            "外して保存し直し、送り直してください。",
                            "password_protected",
                        )
                if "content.xml" not in names:
                    raise damaged
                self.content = _parse(_read(package, "content.xml"), kind)
                self.styles = (
                    _parse(_read(package, "styles.xml"), kind) if "styles.xml" in names else None
                )
        except (zipfile.BadZipFile, KeyError, OSError, EOFError, NotImplementedError):
            raise damaged from None
        self.body = self.content.find(f"{q('office:body')}/{q('office:' + kind)}")
        if self.body is None:
            raise damaged

    def automatic_styles(self) -> list[Any]:
        """Every ``style:style`` of content.xml's automatic styles, then styles.xml's."""
        found: list[Any] = []
        for root in (self.content, self.styles):
            if root is not None:
                found += root.iter(q("style:style"))
        return found

    def list_styles(self) -> dict[str, Any]:
        """``text:list-style`` elements by name (content.xml's first, then styles.xml's)."""
        styles: dict[str, Any] = {}
        for root in (self.styles, self.content):  # content's automatic ones take precedence
            if root is not None:
                for style in root.iter(q("text:list-style")):
                    styles[style.get(q("style:name"), "")] = style
        return styles


def _read(package: zipfile.ZipFile, name: str) -> bytes:
    info = package.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise FileLimitExceeded(
            f"ファイルの中の {name} が大きすぎます（{info.file_size / 1024 / 1024:,.0f} MB）。"
            "様式の報告書か確認してください。",
            "part_too_large",
        )
    with package.open(info) as member:
        data = member.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise FileLimitExceeded(
            f"ファイルの中の {name} が大きすぎます。様式の報告書か確認してください。",
            "part_too_large",
        )
    return data


def _parse(xml: bytes, kind: str) -> Any:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise xml_problem(exc, "workbook" if kind == "spreadsheet" else "document") from None


def paragraph_text(element: Any) -> str:
    """The text a paragraph (``text:p``, ``text:h``) shows, by §6.1.2's white-space rules."""
    parts: list[str] = []
    _collect(element, parts)
    return "".join(parts).strip(" ")


def _collect(element: Any, parts: list[str]) -> None:
    if element.text:
        parts.append(_SPACE.sub(" ", element.text))
    for child in element:
        tag = child.tag
        if tag == q("text:s"):
            parts.append(" " * int(child.get(q("text:c"), "1") or "1"))
        elif tag == q("text:tab"):
            parts.append("\t")
        elif tag == q("text:line-break"):
            parts.append("\n")
        elif tag in _SET_ASIDE or not isinstance(tag, str):
            pass  # a comment, a processing instruction: not part of the text
        else:
            _collect(child, parts)
        if child.tail:
            parts.append(_SPACE.sub(" ", child.tail))


def cell_lines(cell: Any) -> list[str]:
    """The paragraphs of a table cell, one per line (nested lists' paragraphs too)."""
    lines: list[str] = []
    for paragraph in cell.iter(q("text:p"), q("text:h")):
        if any(a.tag in _SET_ASIDE for a in paragraph.iterancestors()):
            continue
        lines.append(paragraph_text(paragraph))
    return lines


def table_rows(table: Any) -> Any:
    """A table's rows in order, through header rows and row groups."""
    for child in table:
        if child.tag == q("table:table-row"):
            yield child
        elif child.tag in (
            q("table:table-header-rows"),
            q("table:table-rows"),
            q("table:table-row-group"),
        ):
            yield from table_rows(child)
