"""A second, independent reading: what LibreOffice shows of each Office file of the sample
and the golden cases is accounted for by the reader, line by line and cell by cell, and
what poppler's pdftotext shows of each PDF, character by character.

LibreOffice reads Word and Excel files with code of its own; its text export (Writer's
「Text」, Calc's CSV of every sheet) is the text a person sees in it. Every line of it must be
text the reader read or set aside for a named reason (its ledger, ``read_with_ledger``), and
nothing may be left over (``Document.unread``).
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from extract import read_document, source_info
from extract.accounting import Ledger
from extract.docx_reader import read_with_ledger as read_docx
from extract.model import Document, SourceInfo
from extract.pdf_forms import annotation_text
from extract.pdf_objects import read_page
from extract.pdf_settings import DEFAULT_SETTINGS
from extract.xlsx_reader import read_with_ledger as read_xlsx
from tests.corpus.print_office import LibreOfficeMissing, convert, soffice

ROOT = Path(__file__).parent.parent
FILES = sorted(
    p
    for folder in (ROOT / "data" / "sample", ROOT / "tests" / "golden")
    for p in folder.rglob("*")
    if p.suffix in (".docx", ".xlsx") and not p.name.startswith("bad_")
)
# A list label LibreOffice prints before a paragraph that Word numbers (「1.」, 「（１）」,
# 「第1」, 「①」): the reader shows it too, in its own spacing.
_LIST_LABEL = re.compile(r"^(?:第?[0-9０-９]{1,2}[.．]?|[(（][0-9０-９]{1,2}[)）]|[①-⑳○])")
_SPACE = re.compile(r"\s+")


def _flat(text: str) -> str:
    return _SPACE.sub("", text)


def _name(path: Path) -> str:
    return f"{path.parent.name}__{path.stem}"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every file exported by LibreOffice in two calls: Word files as text, workbooks as one
    CSV per sheet (filter option 12 = -1, LibreOffice 7.2 and later)."""
    try:
        soffice()
    except LibreOfficeMissing:
        pytest.skip("LibreOffice (soffice) is not installed: make test installs it on Debian")
    base = tmp_path_factory.mktemp("lo")
    inputs = base / "in"
    inputs.mkdir()
    for path in FILES:
        shutil.copy(path, inputs / f"{_name(path)}{path.suffix}")
    profile = base / "profile"
    convert(sorted(inputs.glob("*.docx")), "txt:Text (encoded):UTF8", base / "out", profile)
    convert(
        sorted(inputs.glob("*.xlsx")),
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,false,false,false,false,-1",
        base / "out",
        profile,
    )
    return base / "out"


def _ledger_text(ledger: Ledger) -> set[str]:
    return {_flat(text) for text, _, _ in ledger.pieces.values()}


def _read(path: Path, reader: Callable[[bytes, SourceInfo], tuple[Document, Ledger]]) -> Ledger:
    data = path.read_bytes()
    doc, ledger = reader(data, source_info(path.name, data))
    assert doc.unread == ()
    return ledger


@pytest.mark.parametrize(
    "path",
    [p for p in FILES if p.suffix == ".docx"],
    ids=[_name(p) for p in FILES if p.suffix == ".docx"],
)
def test_every_line_libreoffice_shows_of_a_word_file_is_accounted_for(
    path: Path, exported: Path
) -> None:
    ledger = _read(path, read_docx)
    # the pieces in document order: a paragraph's runs follow one another
    joined = "".join(_flat(text) for text, _, _ in ledger.pieces.values())
    shown = (exported / f"{_name(path)}.txt").read_text(encoding="utf-8-sig")
    lines = [_flat(line) for line in shown.splitlines() if line.strip()]
    assert lines
    missing = [
        line
        for line in lines
        if line not in joined and _LIST_LABEL.sub("", line, count=1) not in joined
    ]
    assert missing == []


_EXCEL_EPOCH = date(1899, 12, 30)
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:00:00:00)?$")


def _number(text: str) -> str:
    """A number as one text whatever its spelling (「5.0」 「5」); a date LibreOffice prints
    as 「2021-04-01 00:00:00」 as the serial number the workbook stores for it."""
    found = _ISO_DATE.match(text)
    if found:
        return str((date(*map(int, found.groups())) - _EXCEL_EPOCH).days)
    try:
        value = float(text)
    except ValueError:
        return text
    return str(int(value)) if value.is_integer() else text


@pytest.mark.parametrize(
    "path",
    [p for p in FILES if p.suffix == ".xlsx"],
    ids=[_name(p) for p in FILES if p.suffix == ".xlsx"],
)
def test_every_cell_libreoffice_shows_of_a_workbook_is_accounted_for(
    path: Path, exported: Path
) -> None:
    ledger = _read(path, read_xlsx)
    pieces = {_number(text) for text in _ledger_text(ledger)}
    sheets = sorted(exported.glob(f"{_name(path)}-*.csv"))
    assert sheets
    cells = [
        _flat(cell)
        for sheet in sheets
        for row in csv.reader(sheet.read_text(encoding="utf-8").splitlines(keepends=True))
        for cell in row
        if cell.strip()
    ]
    assert cells
    missing = [cell for cell in cells if _number(cell) not in pieces]
    assert missing == []


# PDF ------------------------------------------------------------------------------------

PDFS = sorted(
    p
    for folder in (ROOT / "data" / "sample", ROOT / "tests" / "golden")
    for p in folder.rglob("*.pdf")
    if not p.name.startswith("bad_") and "scans" not in p.parts  # scans: the OCR reader's
)


def _characters(text: str) -> Counter[str]:
    return Counter(c for c in unicodedata.normalize("NFKC", text) if not c.isspace())


def _pdftotext(path: Path) -> str:
    found = shutil.which("pdftotext")
    if found is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: make test installs it on Debian")
    done = subprocess.run(
        [found, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=120
    )
    return done.stdout.decode("utf-8")


def _reader_characters(path: Path) -> Counter[str]:
    """The characters the PDF reader reads from: each page's own (faux-bold doubles
    removed) and those a viewer shows from its annotations (filled-in form fields)."""
    seen: Counter[str] = Counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = read_page(page, DEFAULT_SETTINGS).chars + annotation_text(page)[0]
            seen += _characters("".join(c["text"] for c in chars))
    return seen


@pytest.mark.parametrize("path", PDFS, ids=[_name(p) for p in PDFS])
def test_every_character_poppler_shows_of_a_pdf_is_accounted_for(path: Path) -> None:
    """poppler's pdftotext (its own PDF parser and text layer) against what the reader reads
    from: every character it shows is among them, and the reader leaves none over."""
    shown = _characters(_pdftotext(path))
    assert shown
    missing = shown - _reader_characters(path)
    assert missing == Counter()
    data = path.read_bytes()
    assert read_document(data, source_info(path.name, data)).unread == ()
