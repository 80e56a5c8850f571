"""Text a PDF viewer shows from annotations rather than the page's content stream.

ISO 32000-1 §12.5 (annotations) and §12.7 (interactive forms): a fillable PDF keeps what
was typed into a text field as the field's value ``/V`` (a text string; a choice field's
may be an array), shown at its widget annotation's ``/Rect``; ``/FT``, ``/V``, ``/Ff`` and
``/DA`` are inherited from ``/Parent`` fields. A ``/FreeText`` annotation prints its
``/Contents`` on the page. A viewer shows neither from the page's own characters, so
pdfminer does not see them: before, a form filled in through its fields loaded every amount
as 0 with no issue. Here each text field's value and each free-text annotation becomes
characters laid in its box as a viewer lays them (left, centred or right by ``/Q``, the
font size of ``/DA``), which the reader then reads like any other. Other annotations with
``/Contents`` (sticky notes, highlights' comments) are comments: set aside. A widget flagged
hidden (``/F`` bit 2 or 6) or a password field (``/Ff`` bit 14) shows no text: set aside.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from extract.pdf_types import Char

_INHERITED = ("FT", "V", "Ff", "DA", "Q")
_HIDDEN_FLAGS = 0b100010  # /F: Hidden (bit 2), NoView (bit 6)
_PASSWORD = 1 << 13  # /Ff bit 14
_FONT_SIZE = re.compile(rb"([0-9.]+)\s+Tf")
_PAD = 2.0


def _name(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        name = value.name
        return name.decode("latin-1") if isinstance(name, bytes) else name
    return str(value or "")


def _text(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, bytes):
        return decode_text(value)
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    if isinstance(value, str):
        return value
    return ""


def _field(data: dict[str, Any]) -> dict[str, Any]:
    """The widget's field entries, inherited from its parents where it has none."""
    found = {key: data[key] for key in _INHERITED if key in data}
    parent, depth = resolve1(data.get("Parent")), 0
    while isinstance(parent, dict) and depth < 32:
        for key in _INHERITED:
            if key not in found and key in parent:
                found[key] = parent[key]
        parent, depth = resolve1(parent.get("Parent")), depth + 1
    return found


def _width(char: str, size: float) -> float:
    return size if unicodedata.east_asian_width(char) in ("W", "F") else 0.55 * size


def laid_chars(
    text: str,
    box: tuple[float, float, float, float],
    size: float,
    align: int,
    page_height: float,
    doctop_offset: float,
) -> list[Char]:
    """``text`` as characters in ``box`` (x0, top, x1, bottom), one line per line of it,
    narrowed to fit the box's width as a viewer shrinks an overlong value."""
    x0, top, x1, bottom = box
    lines = [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    size = size or min(10.0, max(4.0, (bottom - top - 2 * _PAD) / max(len(lines), 1)))
    leading = size * 1.2
    block = leading * (len(lines) - 1) + size
    y = top + max(_PAD, (bottom - top - block) / 2)
    chars: list[Char] = []
    for line in lines:
        widths = [_width(c, size) for c in line]
        room = max(1.0, x1 - x0 - 2 * _PAD)
        scale = min(1.0, room / sum(widths)) if widths else 1.0
        total = sum(widths) * scale
        start = x0 + _PAD
        if align == 1:
            start = x0 + (x1 - x0 - total) / 2
        elif align == 2:
            start = x1 - _PAD - total
        for char, width in zip(line, widths, strict=True):
            w = width * scale
            chars.append(
                Char(
                    object_type="char",
                    x0=start,
                    x1=start + w,
                    y0=page_height - (y + size),
                    y1=page_height - y,
                    top=y,
                    bottom=y + size,
                    doctop=doctop_offset + y,
                    width=w,
                    height=size,
                    text=char,
                    fontname="AcroForm",
                    size=size,
                    upright=True,
                )
            )
            start += w
        y += leading
    return chars


def annotation_text(page: Any) -> tuple[list[Char], list[tuple[str, str, str]]]:
    """The characters a viewer shows from the page's annotations (text fields' values,
    free text), and the annotation texts set aside as (reason, text, construct)."""
    chars: list[Char] = []
    aside: list[tuple[str, str, str]] = []
    annots = page.annots
    if not annots:
        return chars, aside
    offset = page.initial_doctop
    for annot in annots:
        data = annot.get("data") or {}
        subtype = _name(data.get("Subtype"))
        box = (annot["x0"], annot["top"], annot["x1"], annot["bottom"])
        if subtype == "Widget":
            field = _field(data)
            kind = _name(field.get("FT"))
            value = _text(field.get("V")) if kind in ("Tx", "Ch") else ""
            if not value.strip():
                continue
            flags = int(resolve1(data.get("F")) or 0)
            if flags & _HIDDEN_FLAGS or int(resolve1(field.get("Ff")) or 0) & _PASSWORD:
                aside.append(("hidden", value, f"/Widget /{kind} /V"))
                continue
            found = _FONT_SIZE.search(resolve1(field.get("DA")) or b"")
            size = float(found[1]) if found else 0.0
            align = int(resolve1(field.get("Q")) or 0)
            chars += laid_chars(value, box, size, align, page.height, offset)
        elif subtype == "FreeText":
            text = _text(data.get("Contents"))
            if text.strip():
                chars += laid_chars(text, box, 0.0, 0, page.height, offset)
        else:
            text = _text(data.get("Contents"))
            if text.strip() and subtype != "Popup":
                aside.append(("comment", text, f"/{subtype} /Contents"))
    return chars, aside
