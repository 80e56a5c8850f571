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


# Characters that move a terminal's cursor, clear its screen, ring its bell, break a line or
# reorder what follows (bidirectional controls): a name holding one is shown escaped.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """A name or value as one line people read on a terminal, in a log or an export: every
    control character (C0, DEL, C1: ESC, BEL, CR, LF …), line and paragraph separator and
    bidirectional control written as its escape (``\\x1b``, ``\\n``, ``\\u2028``). A file
    name with a newline cannot forge a line (「loaded: 999」), nor one with ESC clear the
    screen. Everything else is unchanged."""
    if text.isprintable():
        return text
    return "".join(
        _escaped(c) if unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in _BIDI_CONTROLS else c
        for c in text
    )


# Markdown's punctuation that makes inline markup (emphasis, links, images, code, table cells,
# strikethrough): escaped with a backslash, it is shown as itself. Block markers (「# 」,
# 「- 」, 「1. 」) need no escape inside a table cell, where every value stands.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()!|~])")
# Addresses a renderer would make links of by themselves (GFM's autolinks).
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(//)|\b(www)(\.)")


def markdown_text(text: str) -> str:
    """A name or value as literal text inside Markdown (a table cell of the Prefect
    artifact): shown (:func:`shown`), on one line, HTML's ``& < > " '`` as entities (no tag
    renders, no image is fetched), Markdown's inline punctuation escaped (no link, image,
    emphasis or cell break), and 「http://」 / 「www.」 broken by an escape so no address
    becomes a link by itself."""
    import html

    one_line = " ".join(shown(text).split())
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(one_line, quote=True))
    return _AUTOLINK.sub(lambda m: "\\:\\/\\/" if m[1] else f"{m[3]}\\.", escaped)
