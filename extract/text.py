"""Plain text as every reader and the warehouse compare and show it.

HTML cell bodies to plain lines (:func:`html_to_text`), look-alike characters folded
(:func:`canonical`), labels as compared (:func:`label_key`), half-width digits to full-width
ones, and the width a text takes on a terminal or in a spreadsheet (:func:`display_width`).
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

_BLOCK_TAGS = {"p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6"}
BULLETS = "○●◯・◆◇■□※"  # marks that start a paragraph of a section's text
_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


# WAVE DASH and FULLWIDTH TILDE are one character to Japanese writers, and PDFs set in CID
# fonts cannot tell them apart: both are kept as ～ (U+FF5E), as CP932 decodes 0x8160.
_LOOKALIKES = str.maketrans({"\u301c": "\uff5e"})


def canonical(text: str) -> str:
    """Fold look-alike characters that some formats cannot tell apart."""
    return text.translate(_LOOKALIKES)


def html_to_text(raw: str) -> str:
    """Turn a cell body into plain text, one paragraph or bullet per line.

    ``<p>`` and ``<br>`` end a line; a bullet (○ …) written after a space inside a paragraph
    starts a new line; runs of spaces fold to one; blank lines go. Text without HTML is
    treated the same way, so every format gives the same body.
    """
    collector = _TextCollector()
    collector.feed(raw)
    collector.close()
    text = canonical("".join(collector.parts))
    text = re.sub(rf"[ \t\u3000]+(?=[{BULLETS[:3]}])", "\n", text)
    lines = (re.sub(r"[ \t\u3000]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def label_key(text: str) -> str:
    """A label as compared: NFKC (full-width to half-width, U+3000 to a space), no spaces."""
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def to_fullwidth_digits(text: str) -> str:
    """Half-width digits to full-width ones (the reverse of NFKC for digits), as forms typed
    in a Japanese input mode write numbers and dates."""
    return text.translate(_FULLWIDTH_DIGITS)


def display_width(text: str) -> int:
    """Columns a text takes on a terminal or in a spreadsheet: East Asian wide characters
    (kanji, kana, full-width forms) count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
