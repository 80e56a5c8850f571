"""Golden cases in the formats offices still send (issue 22): the generator's workbooks and
Word files saved by LibreOffice as Excel 97-2003 (.xls), OpenDocument (.ods, .odt) and Word
97-2003 (.doc), as an office on LibreOffice or an old Office saves them.

Each case is a folder under ``tests/golden/`` with the converted file, the generator's truth
and (for a .doc, which the pipeline itself converts with LibreOffice) ``converted.docx``: what
LibreOffice made of the .doc when the case was written, which the tests read when LibreOffice
is not installed. ``python -m tests.corpus --converted`` (``make converted``) writes them
again; the tests need no LibreOffice.

A Word file is converted only when LibreOffice's own text export of the converted file shows
the same lines as its export of the original (a second, independent reading): LibreOffice
7.4's .doc export of the generator's one-table docx drops the table (saved from Writer's own
format instead, it keeps it), and such a file is no .doc an office sends.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from tests.corpus.model import Format, Report, Variant, make_report
from tests.corpus.print_office import convert
from tests.corpus.render_office import render_docx, render_xlsx
from transform.prefectures import PREFECTURES

# name: (source format, target format, prefecture code, seed, variant, extra sheets)
CASES: dict[str, tuple[Format, str, int, int, Variant, bool]] = {
    "xls_saved_by_libreoffice_with_instructions_sheet": (
        "xlsx",
        "xls",
        3,
        3,
        Variant(instructions_sheet=True, offset=1),
        False,
    ),
    "xls_hidden_copy_and_example_sheet_passed_over": (
        "xlsx",
        "xls",
        14,
        6,
        Variant(period_cells=True, header_rows=2),
        True,
    ),
    "ods_saved_by_libreoffice_header_of_two_rows": (
        "xlsx",
        "ods",
        27,
        8,
        Variant(header_rows=2, zero_dash=True, offset=2),
        False,
    ),
    "ods_hidden_copy_and_example_sheet_passed_over": (
        "xlsx",
        "ods",
        40,
        12,
        Variant(instructions_sheet=True, ditto=True),
        True,
    ),
    "odt_one_table": ("docx", "odt", 5, 11, Variant(docx_layout="table"), False),
    "odt_headings_numbered_by_writer": (
        "docx",
        "odt",
        44,
        4,
        Variant(docx_layout="paragraphs", word_numbering=True),
        False,
    ),
    "doc_one_table": (
        "docx",
        "doc",
        9,
        21,
        Variant(docx_layout="table", long_sections=True),
        False,
    ),
    "doc_headed_paragraphs": (
        "docx",
        "doc",
        33,
        5,
        Variant(docx_layout="paragraphs", total_label="合　計"),
        False,
    ),
}


def with_hidden_copy_and_example(data: bytes) -> bytes:
    """The workbook with two more copies of its form sheet that a person does not read as
    the report: a hidden older copy (other amounts) and the template's 「記入例」 sheet."""
    book = load_workbook(io.BytesIO(data))
    form = book.worksheets[-1]
    for title, hidden in (("様式（旧）", True), ("記入例", False)):
        copy = book.copy_worksheet(form)
        copy.title = title
        if hidden:
            copy.sheet_state = "hidden"
        for row in copy.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "," in cell.value and cell.value[0].isdigit():
                    cell.value = "1,000"
                elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    cell.value = 1000
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_lines(path: Path, profile: Path, scratch: Path) -> list[str]:
    """The lines LibreOffice's own text export shows (a second, independent reading)."""
    target = "txt:Text" if path.suffix in (".docx", ".doc", ".odt") else "csv"
    out = convert(path, target, scratch / path.suffix.lstrip("."), profile)
    out = out.with_suffix(".txt" if target.startswith("txt") else ".csv")
    raw = out.read_bytes().decode("utf-8", "replace")
    return [line.strip() for line in raw.splitlines() if line.strip()]


def write_converted_cases(golden: Path) -> list[str]:
    """Write every case of :data:`CASES` into ``golden`` (needs LibreOffice)."""
    written = []
    for name, (source_fmt, target, code, seed, variant, extra) in CASES.items():
        report: Report = make_report(
            random.Random(seed),
            PREFECTURES[code - 1],
            2022,
            source_fmt,
            variant,
            f"report.{target}",
        )
        data = render_xlsx(report) if source_fmt == "xlsx" else render_docx(report)
        if extra:
            data = with_hidden_copy_and_example(data)
        with tempfile.TemporaryDirectory() as scratch_name:
            scratch = Path(scratch_name)
            profile = scratch / "profile"
            source = scratch / f"report.{source_fmt}"
            source.write_bytes(data)
            original = source
            if target == "doc":
                # LibreOffice 7.4 writes the generator's one-table docx to .doc without its
                # table; opened as its own document first, Writer saves the table as Word does
                source = convert(source, "odt", scratch / "odt", profile)
            converted = convert(source, target, scratch / "out", profile)
            if source_fmt == "docx" and _text_lines(
                original, profile, scratch / "a"
            ) != _text_lines(converted, profile, scratch / "b"):
                raise RuntimeError(f"{name}: LibreOffice's .{target} does not show the original")
            folder = golden / name
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.iterdir():
                if old.name.startswith("report.") or old.name == "converted.docx":
                    old.unlink()
            (folder / f"report.{target}").write_bytes(converted.read_bytes())
            if target == "doc":
                back = convert(converted, "docx", scratch / "back", profile)
                (folder / "converted.docx").write_bytes(back.read_bytes())
        truth = {**report.truth, "file": f"report.{target}", "format": target}
        (folder / "truth.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        written.append(name)
    return written
