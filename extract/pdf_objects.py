"""A page's objects as the reader needs them: its characters, its ruling edges, how many
images it holds, and pdfplumber's tables found on those edges.

It decides nothing about the form; it decides how little of pdfplumber to run. pdfplumber's
``page.objects`` turns every pdfminer layout object into a dict of some twenty attributes
(``Page.process_object``), a third of the time of reading a page, and its public per-object
path (``page.process_object``) costs eight times what the reader needs. So characters and
edges are built here straight from pdfminer's layout (``page.layout``), in pdfplumber's
coordinates and with pdfplumber's own edge helpers, and the table finder is given them as
explicit lines. This reproduces ``Page.process_object``'s coordinate arithmetic: the
reason pdfplumber is bounded to a minor range in pyproject.toml.
``tests/test_extract_pdf_reader.py`` checks characters, edges and tables against
pdfplumber's own ``page.chars``, ``page.edges`` and ``find_tables`` on every PDF of the
sample and the golden cases. Table settings other than the "lines" strategies take
pdfplumber's own path.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTItem, LTLine, LTRect
from pdfplumber.page import Page
from pdfplumber.table import Table, TableSettings
from pdfplumber.utils.geometry import curve_to_edges, filter_edges, line_to_edge, rect_to_edges
from pdfplumber.utils.text import dedupe_chars

from extract.pdf_settings import PdfSettings
from extract.pdf_types import Bbox, Char, PlumberObject


@dataclass
class PageObjects:
    """What the reader needs of a page: characters, ruling edges, and how many images."""

    chars: list[Char]
    edges: list[PlumberObject]
    images: int


@dataclass
class PageContent:
    """A page read: its characters (faux-bold doubles removed), its ruled tables, and how
    many images it holds."""

    chars: list[Char]
    tables: list[Table]
    images: int


def _walk(items: Iterable[LTItem]) -> Iterator[LTItem]:
    for item in items:
        if isinstance(item, LTContainer):  # a figure: its children, as pdfplumber does
            yield from _walk(item)
        else:
            yield item


def page_objects(page: Page) -> PageObjects:
    """A page's characters and ruling edges straight from pdfminer's layout, in
    pdfplumber's coordinates (characters carry the keys of :class:`Char`)."""
    height = float(page.height)
    mb_x0, mb_top = (float(v) for v in page.mediabox[:2])
    doctop = float(page.initial_doctop)
    chars: list[Char] = []
    lines: list[PlumberObject] = []
    rects: list[PlumberObject] = []
    curves: list[PlumberObject] = []
    images = 0

    def geometry(obj: LTItem, kind: str) -> PlumberObject:
        x0, y0, x1, y1 = obj.bbox  # type: ignore[attr-defined]
        top = height - y1 + mb_top
        return {
            "object_type": kind,
            "x0": x0 + mb_x0,
            "x1": x1 + mb_x0,
            "y0": y0,
            "y1": y1,
            "top": top,
            "bottom": height - y0 + mb_top,
            "doctop": doctop + top,
            "width": x1 - x0,
            "height": y1 - y0,
        }

    for obj in _walk(page.layout):
        if isinstance(obj, LTChar):
            char = geometry(obj, "char")
            char.update(
                text=obj.get_text(), fontname=obj.fontname, size=obj.size, upright=obj.upright
            )
            chars.append(cast(Char, char))
        elif isinstance(obj, LTRect):
            rects.append(geometry(obj, "rect"))
        elif isinstance(obj, LTLine):
            lines.append(geometry(obj, "line"))
        elif isinstance(obj, LTCurve):
            curve = geometry(obj, "curve")
            curve["pts"] = [(mb_x0 + x, mb_top + height - y) for x, y in obj.pts]
            curves.append(curve)
        elif isinstance(obj, LTImage):
            images += 1
    edges = [line_to_edge(line) for line in lines]
    edges += [edge for rect in rects for edge in rect_to_edges(rect)]
    edges += [edge for curve in curves for edge in curve_to_edges(curve)]
    return PageObjects(chars, edges, images)


def find_tables(
    page: Page, edges: list[PlumberObject], table_settings: dict[str, Any]
) -> list[Table]:
    """pdfplumber's table finder on edges found by :func:`page_objects`: the "lines"
    strategies given as the same edges explicitly, so the page's objects are never built."""
    resolved = TableSettings.resolve(table_settings)
    kept = filter_edges(edges, min_length=resolved.edge_min_length_prefilter)
    vertical = [e for e in kept if e["orientation"] == "v"]
    horizontal = [e for e in kept if e["orientation"] == "h"]
    if len(vertical) < 2 or len(horizontal) < 2:
        return []  # no cell can be closed
    explicit = {
        **table_settings,
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical,
        "explicit_horizontal_lines": horizontal,
    }
    return page.find_tables(explicit)


def _lines_strategies(table_settings: dict[str, Any]) -> bool:
    """Whether the table settings are the "lines" strategies :func:`find_tables` reproduces."""
    return (
        table_settings.get("vertical_strategy", "lines") == "lines"
        and table_settings.get("horizontal_strategy", "lines") == "lines"
        and not table_settings.get("explicit_vertical_lines")
        and not table_settings.get("explicit_horizontal_lines")
    )


def _has_doubled_chars(chars: list[Char]) -> bool:
    """Faux bold prints a glyph twice at (nearly) one place; cheap to spot, dear to undo."""
    seen = {(c["text"], round(c["x0"]), round(c["top"])) for c in chars}
    return len(seen) < len(chars)


def read_page(page: Page, settings: PdfSettings) -> PageContent:
    """A page's characters, tables and image count, by the lean path where the table
    settings allow it and by pdfplumber's own otherwise."""
    if _lines_strategies(settings.table_settings):
        objects = page_objects(page)
        chars = objects.chars
        if settings.dedupe_chars and _has_doubled_chars(chars):
            chars = cast(list[Char], dedupe_chars(cast(list[PlumberObject], chars)))
        tables = find_tables(page, objects.edges, settings.table_settings)
        return PageContent(chars, tables, objects.images)
    chars = cast(list[Char], page.chars)
    if settings.dedupe_chars and _has_doubled_chars(chars):
        chars = cast(list[Char], page.dedupe_chars().chars)
    return PageContent(chars, page.find_tables(settings.table_settings), len(page.images))


def chars_in_cells(chars: list[Char], boxes: list[Bbox]) -> tuple[list[list[Char]], list[Char]]:
    """Each character to the cell its centre lies in; the rest are outside every cell."""
    inside: list[list[Char]] = [[] for _ in boxes]
    outside: list[Char] = []
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][1])
    tops = [boxes[i][1] for i in order]
    for char in chars:
        x = (char["x0"] + char["x1"]) / 2
        y = (char["top"] + char["bottom"]) / 2
        for position in range(bisect.bisect_right(tops, y) - 1, -1, -1):
            x0, top, x1, bottom = boxes[order[position]]
            if x0 <= x <= x1 and top <= y <= bottom:
                inside[order[position]].append(char)
                break
        else:
            outside.append(char)
    return inside, outside
