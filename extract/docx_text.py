"""The text of a Word document as Word shows it, and the account of every text node.

WordprocessingML (ECMA-376 Part 1, §17) keeps text in ``w:t`` elements inside runs
(``w:r``), which sit in paragraphs directly or inside run-level wrappers: hyperlinks,
tracked insertions (``w:ins``, ``w:moveTo``), fields (``w:fldSimple``; a complex field's
result runs follow its ``w:fldChar separate``), smart tags, custom XML, content controls,
bidirectional embeddings and math (``m:t``). Text that Word does not show is set aside:
tracked deletions (``w:del``, ``w:moveFrom``: ``w:delText``), hidden runs (``w:vanish``, on
the run or its character style), field instructions (``w:instrText``), a ruby's reading
(``w:rt``) and the older copy of an alternate content (``mc:Fallback``). Text boxes
(``w:txbxContent``, in a DrawingML shape or a VML one) hold paragraphs and tables of their
own: they are read after the paragraph that anchors them. Parts other than the main document
are set aside by their kind (headers, footers, footnotes, endnotes, comments, the glossary);
text in any other part (a chart, a SmartArt diagram) and embedded objects are left over.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from lxml import etree

from extract.accounting import Ledger

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Every element whose character content is text of the document.
TEXT_NODES = (w("t"), w("delText"), w("instrText"), w("delInstrText"), f"{{{M}}}t", f"{{{A}}}t")
_SHORT = {W: "w", M: "m", A: "a", MC: "mc", C: "c"}
_TRUE = {None, "1", "true", "on"}


def short_tag(tag: str) -> str:
    """「w:t」 for ``{…wordprocessingml…}t``."""
    namespace, _, local = tag[1:].partition("}")
    return f"{_SHORT.get(namespace, namespace)}:{local}"


def _on(element: Any, tag: str) -> bool:
    found = element.find(w(tag)) if element is not None else None
    return found is not None and found.get(w("val")) in _TRUE


class Styles:
    """Which character styles hide their text (``w:vanish``, through ``w:basedOn`` too)."""

    def __init__(self, styles_element: Any) -> None:
        self.hidden: set[str] = set()
        if styles_element is None:
            return
        based: dict[str, str] = {}
        own: set[str] = set()
        for style in styles_element.findall(w("style")):
            style_id = style.get(w("styleId"), "")
            if _on(style.find(w("rPr")), "vanish"):
                own.add(style_id)
            parent = style.find(w("basedOn"))
            if parent is not None:
                based[style_id] = parent.get(w("val"), "")
        for style_id in list(based) + list(own):
            seen, current = set(), style_id
            while current and current not in seen:
                if current in own:
                    self.hidden.add(style_id)
                    break
                seen.add(current)
                current = based.get(current, "")

    def hides(self, run: Any) -> bool:
        properties = run.find(w("rPr"))
        if properties is None:
            return False
        vanish = properties.find(w("vanish"))
        if vanish is not None:
            return vanish.get(w("val")) in _TRUE
        style = properties.find(w("rStyle"))
        return style is not None and style.get(w("val"), "") in self.hidden


class Walker:
    """Reads paragraphs as Word displays them, marking each text node in ``ledger``."""

    def __init__(self, ledger: Ledger, styles: Styles) -> None:
        self.ledger = ledger
        self.styles = styles

    def aside(self, element: Any, reason: str) -> None:
        self.ledger.set_aside(element.iter(*TEXT_NODES), reason)

    def paragraph(self, p: Any) -> tuple[str, list[Any]]:
        """The paragraph's text as shown, and the text boxes anchored in it."""
        out: list[str] = []
        boxes: list[Any] = []
        self._inline(p, out, boxes)
        return "".join(out), boxes

    def _inline(self, element: Any, out: list[str], boxes: list[Any]) -> None:
        for child in element:
            self._element(child, out, boxes)

    def _element(self, child: Any, out: list[str], boxes: list[Any]) -> None:
        """One element inside a paragraph: its shown text to ``out``, text boxes to ``boxes``."""
        tag = child.tag
        if not isinstance(tag, str):
            return  # a comment or processing instruction in the XML
        if tag in (w("del"), w("moveFrom")):
            self.aside(child, "deleted")
        elif tag == w("txbxContent"):
            boxes.append(child)
        elif tag == f"{{{MC}}}AlternateContent":
            choices = child.findall(f"{{{MC}}}Choice")
            if choices:
                self._inline(choices[0], out, boxes)
                for other in [*choices[1:], *child.findall(f"{{{MC}}}Fallback")]:
                    self.aside(other, "alternate")
            else:
                self._inline(child, out, boxes)
        elif tag == w("r"):
            if self.styles.hides(child):
                self.aside(child, "hidden")
            else:
                self._run(child, out, boxes)
        elif tag == w("rt"):
            self.aside(child, "ruby")
        elif tag == f"{{{M}}}t":
            self._take(child, out)
        elif tag in (w("pPr"), w("rPr"), w("sdtPr")):
            return
        else:
            # hyperlink, ins, moveTo, fldSimple, smartTag, customXml, sdt, sdtContent,
            # bdo, dir, ruby/rubyBase, math, drawing, pict, …: what they hold is shown
            self._inline(child, out, boxes)

    def _run(self, run: Any, out: list[str], boxes: list[Any]) -> None:
        for part in run:
            tag = part.tag
            if tag == w("t"):
                self._take(part, out)
            elif tag in (w("tab"), w("ptab")):
                out.append("\t")
            elif tag == w("br"):
                if part.get(w("type")) in (None, "textWrapping"):
                    out.append("\n")
            elif tag == w("cr"):
                out.append("\n")
            elif tag == w("noBreakHyphen"):
                out.append("-")
            elif tag in (w("instrText"), w("delInstrText")):
                self.aside(part, "field_code")
            elif tag == w("delText"):
                self.aside(part, "deleted")
            elif tag == w("rPr"):
                continue
            elif isinstance(tag, str):
                self._element(part, out, boxes)  # drawing, pict, object, ruby, …

    def _take(self, node: Any, out: list[str]) -> None:
        out.append(node.text or "")
        self.ledger.take(node)


def blocks(container: Any) -> Iterator[Any]:
    """The paragraphs and tables of a body, cell or text box in order, through block-level
    wrappers (custom XML, content controls, tracked moves) that hold them."""
    for child in container:
        if child.tag in (w("p"), w("tbl")):
            yield child
        elif child.tag in (w("customXml"), w("sdt"), w("sdtContent"), w("ins"), w("moveTo")):
            yield from blocks(child)


# Parts of a WordprocessingML package by kind (their file names as Word writes them), and
# the reason their text is set aside; every other part with text is left over.
_PART_REASONS = (
    ("word/header", "page_header"),
    ("word/footer", "page_footer"),
    ("word/footnotes", "footnote"),
    ("word/endnotes", "endnote"),
    ("word/comments", "comment"),
    ("word/glossary/", "glossary"),
    ("customXml/", "custom_xml"),
)
_PART_PLACES = {
    "page_header": "ヘッダー",
    "page_footer": "フッター",
    "footnote": "脚注",
    "endnote": "文末脚注",
    "comment": "コメント",
    "glossary": "定型句",
    "custom_xml": "埋め込みデータ",
}
MAIN_PART = "word/document.xml"
# Parts that hold no text a person reads: properties, pictures, fonts, printer settings.
_NOT_SHOWN = ("docProps/", "[Content_Types]", "word/media/", "word/fonts/", "_rels/")


def account_other_parts(data: bytes, ledger: Ledger, main_part: str = MAIN_PART) -> None:
    """List the text of every part but the main document: set aside by the part's kind, or
    left over (a chart, a diagram, an embedded object)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name == main_part or name.endswith("/"):
                continue
            if name.startswith("word/embeddings/"):
                ledger.add(name, name.rsplit("/", 1)[-1], "埋め込みオブジェクト", "word/embeddings")
                continue
            if name.startswith(_NOT_SHOWN) or name.endswith((".rels", ".bin")):
                continue
            if not name.endswith(".xml"):
                # an imported file (w:altChunk: HTML, RTF, text) that Word shows in place
                ledger.add(name, name.rsplit("/", 1)[-1], "取り込まれたファイル", "w:altChunk part")
                continue
            try:
                root = etree.parse(
                    io.BytesIO(package.read(name)), etree.XMLParser(resolve_entities=False)
                ).getroot()
            except etree.XMLSyntaxError:
                continue
            reason = next((r for prefix, r in _PART_REASONS if name.startswith(prefix)), "")
            place = f"{_PART_PLACES.get(reason, 'その他の部分')}（{name}）"
            keys: list[tuple[str, int]] = []
            for node in root.iter(*TEXT_NODES, f"{{{C}}}v"):
                key = (name, len(keys))
                keys.append(key)
                ledger.add(key, node.text or "", place, f"{short_tag(node.tag)} in {name}")
            if reason:
                ledger.set_aside(keys, reason)
