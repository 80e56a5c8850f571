"""The second rendering path: forms printed to PDF by LibreOffice, as prefecture offices print
their Excel and Word forms (``soffice --headless --convert-to pdf``).

Our own PDF renderer (``render_pdf.py``) only draws the layouts we taught it; LibreOffice lays
out the same workbook or document its own way (wrapped cells, merged cells, rules, page
breaks, fonts). The printed files are committed under ``tests/golden/pdf_libreoffice_*`` so
that the tests need no LibreOffice; ``python -m tests.corpus --printed`` prints them again
(``make printed`` installs LibreOffice when it is missing).
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import tempfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from extract.form import any_heading


class LibreOfficeMissing(RuntimeError):
    """soffice is not installed: ``make printed`` installs it."""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise LibreOfficeMissing("LibreOffice (soffice) is not installed: run make printed")
    return found


def convert(
    source: Path | list[Path],
    to: str,
    outdir: Path,
    profile: Path,
    infilter: str | None = None,
) -> Path:
    """``source`` (or several, in one call) converted by LibreOffice headless
    (``soffice --convert-to``) into ``outdir``, with a user profile of its own; ``infilter``
    names the import filter and its options (e.g. a CSV's separator and character set). The
    (first) converted file's path."""
    sources = source if isinstance(source, list) else [source]
    outdir.mkdir(parents=True, exist_ok=True)
    filters = [f"--infilter={infilter}"] if infilter else []
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            *filters,
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            *(str(s) for s in sources),
        ],
        check=True,
        capture_output=True,
        timeout=300 * len(sources),
    )
    return outdir / f"{sources[0].stem}.{to}"


def print_to_pdf(data: bytes, suffix: str) -> bytes:
    """The file printed to PDF by LibreOffice headless, with a profile of its own."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        source = folder / f"form{suffix}"
        source.write_bytes(data)
        return convert(source, "pdf", folder, folder / "profile").read_bytes()


def office_style_xlsx(data: bytes, *, landscape: bool = False) -> bytes:
    """The workbook as an office sets it up before printing: the form's cells ruled and
    wrapped, rows as tall as their text, the whole width on one A4 page."""
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[-1]  # the form (after the instructions sheet, if any)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    first_section = next(
        row
        for row in range(1, sheet.max_row + 1)
        if any(
            (heading := any_heading(str(sheet.cell(row, c).value or ""))) and heading[0] == 1
            for c in range(1, sheet.max_column + 1)
        )
    )
    left = min(
        c for c in range(1, sheet.max_column + 1) if sheet.cell(first_section, c).value is not None
    )
    widths = {
        c: (sheet.column_dimensions[get_column_letter(c)].width or 10)
        for c in range(left, sheet.max_column + 1)
    }
    spans = {}
    for merged in sheet.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = sum(
            widths.get(c, 10) for c in range(merged.min_col, merged.max_col + 1)
        )
    for row in range(first_section, sheet.max_row + 1):
        tallest = 1
        for col in range(left, sheet.max_column + 1):
            cell = sheet.cell(row, col)
            cell.border = border
            if type(cell).__name__ == "MergedCell":
                continue
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            text = str(cell.value or "")
            width = spans.get((row, col), widths.get(col, 10))
            per_line = max(1.0, width / 2.1)  # a full-width character is about two units
            lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
            tallest = max(tallest, lines)
        sheet.row_dimensions[row].height = 15 * tallest + 3
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
