"""The ruled grid of a scanned page, cut into cells, and the text lines outside it.

Rules are long thin runs of ink: an opening with a long horizontal (vertical) kernel keeps
them and drops the glyphs. Every white region enclosed by rules is a cell; cells whose tops
line up are one row. Ink outside every cell (title, prefecture line, page number) is cut
into lines by its row profile.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extract.ocr.pages import Pixels, as_pixels

Box = tuple[int, int, int, int]  # x0, top, x1, bottom in pixels


@dataclass(frozen=True)
class CellBox:
    row: int
    column: int
    box: Box


@dataclass(frozen=True)
class Layout:
    rows: tuple[tuple[CellBox, ...], ...]
    lines: tuple[Box, ...]  # text lines outside the grid, top to bottom


def _binary(grey: Pixels) -> Pixels:
    """Ink 255, paper 0 (Otsu's threshold: the scan's own ink level)."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return as_pixels(ink)


def rules(ink: Pixels, dpi: int) -> Pixels:
    """The ruling of the page (ink of the long horizontal and vertical lines), closed over
    small gaps that blur and noise leave in thin rules."""
    length = max(20, dpi // 5)  # rules are longer than a sixth of an inch; glyphs are not
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    # a rule broken by a seal or a blot (up to an inch) is closed along its own direction
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, np.ones((1, dpi), np.uint8))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE, np.ones((dpi, 1), np.uint8))
    horizontal = cv2.dilate(horizontal, np.ones((3, 9), np.uint8))
    vertical = cv2.dilate(vertical, np.ones((9, 3), np.uint8))
    return as_pixels(cv2.bitwise_or(horizontal, vertical))


def find_layout(grey: Pixels, dpi: int) -> Layout:
    ink = _binary(grey)
    grid = rules(ink, dpi)
    h, w = grid.shape
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(
        cv2.bitwise_not(grid), connectivity=4
    )
    minimum = dpi // 12  # a cell at least about 2 mm each way
    cells: list[Box] = []
    for index in range(1, count):
        x, y, bw, bh, area = (int(v) for v in stats[index])
        if x == 0 or y == 0 or x + bw >= w or y + bh >= h:
            continue  # the paper around the grid
        if bw < minimum or bh < minimum or area < 0.6 * bw * bh:
            continue
        cells.append((x, y, x + bw, y + bh))
    rows = _rows(cells, dpi)
    return Layout(rows, _outside_lines(ink, grid, cells, dpi))


def _rows(cells: list[Box], dpi: int) -> tuple[tuple[CellBox, ...], ...]:
    """Cells grouped into rows by their tops (within about 1 mm), each row left to right."""
    tolerance = dpi // 25
    ordered = sorted(cells, key=lambda b: (b[1], b[0]))
    groups: list[list[Box]] = []
    for box in ordered:
        if groups and abs(box[1] - groups[-1][0][1]) <= tolerance:
            groups[-1].append(box)
        else:
            groups.append([box])
    return tuple(
        tuple(CellBox(r, c, box) for c, box in enumerate(sorted(group, key=lambda b: b[0])))
        for r, group in enumerate(groups)
    )


def _outside_lines(ink: Pixels, grid: Pixels, cells: list[Box], dpi: int) -> tuple[Box, ...]:
    """Lines of ink outside every cell and off the rules."""
    free = ink.copy()
    free[grid > 0] = 0
    pad = 3
    for x0, y0, x1, y1 in cells:
        free[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad] = 0
    free = as_pixels(cv2.morphologyEx(free, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)))
    profile = (free > 0).sum(axis=1)
    inked = profile > 1
    lines: list[Box] = []
    y = 0
    height = len(profile)
    min_height = dpi // 30
    while y < height:
        if not inked[y]:
            y += 1
            continue
        start = y
        while y < height and (inked[y] or (y + 1 < height and inked[y + 1])):
            y += 1
        if y - start >= min_height:
            band = free[start:y]
            xs = np.flatnonzero(band.any(axis=0))
            if len(xs):
                lines.append((max(0, int(xs[0]) - 6), max(0, start - 6), int(xs[-1]) + 6, y + 6))
    return tuple(lines)
