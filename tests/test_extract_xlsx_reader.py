from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Literal

import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from extract import read_document, source_info
from extract.errors import NotAReport, UnreadableFile
from extract.model import Document
from extract.xlsx_reader import cell_text, read_xlsx
from tests.corpus.model import Variant, make_report
from tests.corpus.render_office import render_xlsx
from transform.prefectures import BY_CODE


def _read(data: bytes, name: str = "r.xlsx") -> Document:
    return read_xlsx(data, source_info(name, data))


def _workbook(**variant: object) -> bytes:
    report = make_report(
        random.Random(3),
        BY_CODE[17],
        2021,
        "xlsx",
        Variant(**variant),  # type: ignore[arg-type]
        "r.xlsx",
    )
    return render_xlsx(report)


def test_form_found_after_an_instructions_sheet_with_blank_margins() -> None:
    doc = _read(_workbook(instructions_sheet=True, offset=2))
    assert doc.prefecture_line == "都道府県名: 石川県"
    assert [s.number for s in doc.sections] == list(range(1, 12))
    section = doc.section(4)
    assert section is not None and section.provenance.sheet == "様式4-1-3"
    assert section.provenance.cell is not None and section.provenance.cell.startswith("D")


def test_wrapped_text_keeps_its_line_breaks_as_paragraphs() -> None:
    body = _read(_workbook(long_sections=True)).section(4).body  # type: ignore[union-attr]
    assert body.count("\n") >= 5 and all(line.startswith("○") for line in body.splitlines())


def test_numbers_as_numbers_or_as_text_read_alike() -> None:
    as_numbers = _read(_workbook(numbers_as_text=False)).table(9)
    as_text = _read(_workbook(numbers_as_text=True, fullwidth_digits=True)).table(9)
    assert as_numbers is not None and as_text is not None
    assert as_numbers.rows[0].cells[5].isdigit()
    assert "，" in as_text.rows[0].cells[5]  # full-width digits and commas, as typed


def test_a_formula_without_a_saved_value_is_reported() -> None:
    book = load_workbook(io.BytesIO(_workbook()))
    sheet = book["様式4-1-3"]
    total = next(c for row in sheet.iter_rows() for c in row if c.value == "合計")
    sheet.cell(row=total.row, column=total.column + 4, value="=SUM(F14:F15)")
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(UnreadableFile, match=r"数式（=SUM\(F14:F15\)）に保存された値がありません"):
        _read(buffer.getvalue())


def test_a_workbook_without_the_form() -> None:
    book = Workbook()
    book.active.title = "記入上の注意"  # type: ignore[union-attr]
    book.active["A1"] = "記入上の注意"  # type: ignore[index]
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(NotAReport, match="どのシートにも項目 1～11"):
        _read(buffer.getvalue())


def test_a_password_protected_workbook(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(_workbook())
    locked = io.BytesIO()
    with plain.open("rb") as handle:
        OOXMLFile(handle).encrypt("himitsu", locked)
    with pytest.raises(UnreadableFile, match="パスワードが設定されています"):
        _read(locked.getvalue())


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "空のファイル"),
        (b"\x00\x01garbage" * 100, "xlsx の形式ではありません"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, r"古い形式（Excel 97-2003"),
    ],
)
def test_files_that_are_not_workbooks(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableFile, match=reason):
        _read(data)


def test_a_damaged_xls_gets_advice() -> None:
    """.xls files are read (issue 22, extract/spreadsheets.py); one that is no BIFF workbook
    inside its OLE container is refused with what to do."""
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(UnreadableFile, match=r"\.xlsx として保存し直し") as refused:
        read_document(data, source_info("old.xls", data))
    assert refused.value.code == "xls_damaged"


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (12391579, "12391579"), (1.0, "1"), (2.5, "2.5"), (" a ", "a"), (True, "TRUE")],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


TWO_ROW_HEADER = (
    "事業番号\t個別事業名\t公募要領の取組例\t予算措置年度\t交付決定事業\t経費\t\t\t\t備考",
    "\t\t\t\t\t総事業費(A=B+C+D)\t本交付金(B)\t他の寄付金等(C)\t自己資金(D)\t",
)


def test_a_header_of_two_rows_with_merged_cells() -> None:
    """「経費」 merged over the four amount columns, the other labels merged down two rows:
    every column is still found by its label (the amounts were shifted or lost before)."""
    from tests.test_extract_text_reader import MINIMAL
    from transform.normalize import normalize_document

    lines = MINIMAL.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("事業番号"))
    lines[at : at + 1] = TWO_ROW_HEADER
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    for r, line in enumerate(lines, start=1):
        for c, value in enumerate(line.split("\t"), start=1):
            if value:
                sheet.cell(r, c, value)
    header_row = at + 1
    sheet.merge_cells(start_row=header_row, start_column=6, end_row=header_row, end_column=9)
    for column in (1, 2, 3, 4, 5, 10):
        sheet.merge_cells(
            start_row=header_row, start_column=column, end_row=header_row + 1, end_column=column
        )
    buffer = io.BytesIO()
    book.save(buffer)
    nr = normalize_document(_read(buffer.getvalue()))
    (item,) = nr.expense_items
    assert (item.total_cost, item.grant_amount, item.other_funds, item.own_funds) == (
        100,
        100,
        0,
        0,
    )
    assert item.budget_measure_fiscal_year == 2021 and nr.report.declared_total_cost == 100


def test_a_workbook_with_one_form_per_sheet_gives_every_form() -> None:
    first = load_workbook(io.BytesIO(_workbook(instructions_sheet=True)))
    second = load_workbook(io.BytesIO(_workbook()))
    copy = first.create_sheet("様式4-1-3 (2)")
    for row in second.worksheets[-1].iter_rows():
        for cell in row:
            if cell.value is not None and type(cell).__name__ != "MergedCell":
                copy.cell(cell.row, cell.column, cell.value)
    buffer = io.BytesIO()
    first.save(buffer)
    doc = _read(buffer.getvalue())
    assert [f.form for f in doc.forms] == [1, 2]
    assert [f.section(1).body for f in doc.forms] == [  # type: ignore[union-attr]
        _read(_workbook(instructions_sheet=True)).section(1).body,  # type: ignore[union-attr]
        _read(_workbook()).section(1).body,  # type: ignore[union-attr]
    ]
    assert doc.forms[1].sections[0].provenance.sheet == "様式4-1-3 (2)"


@pytest.mark.parametrize(
    ("title", "state"),
    [("様式（旧）", "hidden"), ("控え", "veryHidden"), ("記入例", "visible")],
)
def test_a_sheet_nobody_reads_as_the_report_is_passed_over(
    title: str, state: Literal["visible", "hidden", "veryHidden"]
) -> None:
    """A hidden copy of the form, or the template's 記入例 sheet, beside the filled form: a
    person sees one report, and so does the reader (before, two were loaded)."""
    book = load_workbook(io.BytesIO(_workbook()))
    copy = book.copy_worksheet(book.worksheets[-1])
    copy.title, copy.sheet_state = title, state
    book.move_sheet(copy, offset=-len(book.worksheets) + 1)  # first, before the form
    buffer = io.BytesIO()
    book.save(buffer)
    doc = _read(buffer.getvalue())
    assert len(doc.forms) == 1
    assert doc.sections[0].provenance.sheet == book.worksheets[-1].title


def test_a_form_kept_only_on_a_hidden_sheet_is_still_read() -> None:
    book = load_workbook(io.BytesIO(_workbook()))
    book.create_sheet("表紙", 0)
    book.worksheets[-1].sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    assert _read(buffer.getvalue()).section(1) is not None
