"""OCR of scanned reports (PDFs without a text layer, TIFF/JPEG/PNG) with tesseract."""

from __future__ import annotations

from extract.ocr.engine import INSTALL, OcrUnavailable
from extract.ocr.reader import READ_PATH, read_scan

__all__ = ["INSTALL", "READ_PATH", "OcrUnavailable", "read_scan"]
