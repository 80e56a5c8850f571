"""A page made ready for OCR: grey, the red seal (公印) taken out, the skew turned back.

Stamp suppression matters: a seal over the prefecture line or the table made tesseract slow
(30-120 s a page) and wrong. In a colour scan the red channel holds black ink dark and red
ink as light as the paper; in a grey scan red ink is mid-grey, lighter than printed text, so
a grey-level clip whitens it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extract.ocr.pages import PageImage, Pixels, as_pixels

# Grey level above which a grey scan's pixel is paper or seal: vermilion ink (朱肉) is about
# 105-120 grey, printed black ink darker (measured on the scan sweep).
GREY_CLIP = 100
MIN_SKEW = 0.15  # below this a turn blurs more than it straightens
MAX_SKEW = 3.0  # degrees: a page fed crooked into a scanner, not a page on its side


@dataclass(frozen=True)
class Prepared:
    """The page as OCR reads it (grey, 0 ink … 255 paper) and what was done to it."""

    number: int
    grey: Pixels
    dpi: int
    source_dpi: int
    steps: tuple[str, ...]
    skew: float


def suppress_stamp(page: PageImage) -> tuple[Pixels, str]:
    """The page in grey with red ink removed: the red channel of a colour scan, a clip of a
    grey one; returns the step's name for the provenance."""
    if page.colour:
        return np.ascontiguousarray(page.pixels[:, :, 0]), "red channel"
    grey = page.pixels
    if grey.ndim == 3:
        grey = as_pixels(cv2.cvtColor(page.pixels, cv2.COLOR_RGB2GRAY))
    return _clip(grey), f"grey clip {GREY_CLIP}"


def _clip(grey: Pixels) -> Pixels:
    """Pixels lighter than the clip become paper; the rest are stretched to full contrast."""
    out = grey.astype(np.float32) * (255.0 / GREY_CLIP)
    out[grey >= GREY_CLIP] = 255
    return as_pixels(np.clip(out, 0, 255))


def skew_angle(grey: Pixels) -> float:
    """The page's skew in degrees (positive: turned anticlockwise), found where the rows of
    ink line up best: the form's rules and text lines give sharp row sums when straight."""
    small = cv2.resize(grey, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    ink = (small < 128).astype(np.float32)
    h, w = ink.shape
    centre = (w / 2, h / 2)

    def sharpness(angle: float) -> float:
        turn = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rows = cv2.warpAffine(ink, turn, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    coarse = [float(a) for a in np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.25)]
    best = max(coarse, key=sharpness)
    fine = [float(a) for a in np.arange(best - 0.25, best + 0.26, 0.05)]
    found: float = max(fine, key=sharpness)
    return round(found, 2)


def deskew(grey: Pixels, angle: float) -> Pixels:
    if abs(angle) < MIN_SKEW:
        return grey
    h, w = grey.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return as_pixels(
        cv2.warpAffine(
            grey,
            turn,
            (w, h),
            flags=cv2.INTER_CUBIC,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=255,
        )
    )


def prepare(page: PageImage) -> Prepared:
    grey, step = suppress_stamp(page)
    angle = skew_angle(grey)
    steps = [step]
    if abs(angle) >= MIN_SKEW:
        grey = deskew(grey, angle)
        steps.append(f"deskew {angle:+.2f}°")
    if page.source_dpi != page.dpi:
        steps.insert(0, f"enlarged {page.source_dpi}→{page.dpi} dpi")
    return Prepared(page.number, grey, page.dpi, page.source_dpi, tuple(steps), angle)
