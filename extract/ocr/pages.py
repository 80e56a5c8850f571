"""Pages of a scanned report as pixels: a PDF without a text layer rendered, or an image file
(TIFF, including multi-page, JPEG, PNG) decoded, each at the resolution OCR is done at."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from extract.errors import FileLimitExceeded, UnreadableFile
from extract.limits import DEFAULT_READ_LIMITS

# Tesseract reads best at about 300 dpi (glyphs of 30-40 pixels); pages are brought to it.
OCR_DPI = 300

Pixels = NDArray[np.uint8]


def as_pixels(array: object) -> Pixels:
    """An OpenCV or numpy result as 8-bit pixels (OpenCV's results are typed loosely)."""
    return np.asarray(array, dtype=np.uint8)


@dataclass(frozen=True)
class PageImage:
    """One page: ``pixels`` RGB (H×W×3) or grey (H×W), at ``dpi``; ``source_dpi`` what the
    file itself held (a 200 dpi scan is enlarged to 300 for OCR)."""

    number: int
    pixels: Pixels
    dpi: int
    source_dpi: int

    @property
    def colour(self) -> bool:
        """Whether the page has colour (a red stamp shows only then)."""
        if self.pixels.ndim != 3:
            return False
        small = self.pixels[::8, ::8].astype(np.int16)
        spread = small.max(axis=2) - small.min(axis=2)
        return bool((spread > 60).mean() > 0.0005)


def _check_pages(count: int, max_pages: int) -> None:
    if count > max_pages:
        raise FileLimitExceeded(
            f"スキャンのページが多すぎます（{count} ページ、上限 {max_pages}）。"
            "様式の報告書か確認してください。",
            "too_many_pages",
        )


def render_pdf_pages(
    data: bytes,
    dpi: int = OCR_DPI,
    max_pages: int = DEFAULT_READ_LIMITS.scan_max_pages,
    max_pixels: int = DEFAULT_READ_LIMITS.scan_max_pixels,
) -> list[PageImage]:
    """Every page of a PDF rendered at ``dpi`` (a scanned PDF is one picture per page),
    refused beyond ``max_pages`` (:attr:`extract.limits.ReadLimits.scan_max_pages`) or a
    page of more than ``max_pixels`` at ``dpi`` (a page larger than A3 at 300 dpi is no
    form page, and would take memory for nothing)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise UnreadableFile(
            "PDF が途中で切れているか壊れています。送り直してください。", "pdf_damaged"
        ) from None
    try:
        _check_pages(len(pdf), max_pages)
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            if width * height * (dpi / 72) ** 2 > max_pixels:
                raise FileLimitExceeded(
                    "スキャンのページが大きすぎます（A3 を超えます）。A4 でスキャンし直して"
                    "ください。",
                    "page_too_large",
                )
            bitmap = page.render(scale=dpi / 72)
            pixels = np.ascontiguousarray(bitmap.to_numpy()[:, :, :3][:, :, ::-1])  # BGR→RGB
            pages.append(PageImage(index + 1, pixels, dpi, dpi))
            page.close()
        return pages
    finally:
        pdf.close()


def load_image_pages(
    data: bytes,
    max_pages: int = DEFAULT_READ_LIMITS.scan_max_pages,
    max_pixels: int = DEFAULT_READ_LIMITS.scan_max_pixels,
) -> list[PageImage]:
    """Every page of an image file (a multi-page TIFF has several), brought to 300 dpi,
    refused beyond ``max_pages`` or an image of more than ``max_pixels`` (Pillow's
    decompression-bomb limit)."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        image = Image.open(io.BytesIO(data))
        frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UnreadableFile(
            "画像ファイルが壊れているか、読めない種類の画像です。TIFF・JPEG・PNG で"
            "スキャンし直し、送り直してください。",
            "image_damaged",
        ) from None
    except Image.DecompressionBombError:
        raise FileLimitExceeded(
            "画像が大きすぎます（A3 300dpi を超えます）。A4 300dpi でスキャンし直してください。",
            "page_too_large",
        ) from None
    _check_pages(len(frames), max_pages)
    pages = []
    for number, frame in enumerate(frames, start=1):
        dpi = _dpi_of(frame.info.get("dpi"), frame.size)
        mode = "L" if frame.mode in ("1", "L", "I;16", "I", "LA") else "RGB"
        frame = frame.convert(mode)
        if dpi != OCR_DPI:
            scale = OCR_DPI / dpi
            frame = frame.resize(
                (round(frame.width * scale), round(frame.height * scale)), Image.Resampling.LANCZOS
            )
        pages.append(PageImage(number, np.asarray(frame, dtype=np.uint8), OCR_DPI, dpi))
    return pages


def _dpi_of(info: object, size: tuple[int, int]) -> int:
    """The resolution an image says it has; without one, the one that makes it A4 wide."""
    if isinstance(info, tuple) and info and float(info[0]) >= 72:
        return round(float(info[0]))
    short = min(size)
    return max(100, min(600, round(short / (210 / 25.4))))
