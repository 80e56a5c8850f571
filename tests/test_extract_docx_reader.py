from __future__ import annotations

import io
import random
import zipfile

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn

from extract import source_info
from extract.docx_reader import _Numbering, read_docx
from extract.errors import NotAReport, UnreadableFile
from extract.model import Document
from tests.corpus.model import Variant, make_report
from tests.corpus.render_office import render_docx
from transform.prefectures import BY_CODE


def _read(data: bytes) -> Document:
    return read_docx(data, source_info("r.docx", data))


def _document(layout: str) -> bytes:
    variant = Variant(docx_layout=layout, long_sections=True)  # type: ignore[arg-type]
    return render_docx(make_report(random.Random(5), BY_CODE[40], 2022, "docx", variant, "r.docx"))


@pytest.mark.parametrize("layout", ["table", "paragraphs"])
def test_both_layouts_read_into_the_same_document(layout: str) -> None:
    doc = _read(_document(layout))
    reference = _read(_document("table"))
    assert [(s.number, s.heading, s.body) for s in doc.sections] == [
        (s.number, s.heading, s.body) for s in reference.sections
    ]
    assert [r.cells for r in doc.table(9).rows] == [r.cells for r in reference.table(9).rows]  # type: ignore[union-attr]


def test_provenance_is_table_and_row() -> None:
    doc = _read(_document("table"))
    rows = doc.table(9).rows  # type: ignore[union-attr]
    assert rows[0].provenance.table_index == 0
    assert rows[0].provenance.describe().startswith("表1の")
    assert [r.provenance.row_index for r in rows] == sorted(r.provenance.row_index for r in rows)  # type: ignore[type-var]


def test_merged_cells_come_once() -> None:
    doc = _read(_document("table"))
    assert all(len(r.cells) == 10 for r in doc.table(9).rows)  # type: ignore[union-attr]
    body = doc.section(3).body  # type: ignore[union-attr]
    assert body.count(body.splitlines()[0]) == 1


def _zip(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "空のファイル"),
        (b"random bytes, not a document" * 50, "docx の形式ではありません"),
        (_zip("readme.txt"), "docx 文書として開けません"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, r"古い形式（Word 97-2003"),
    ],
)
def test_files_that_are_not_documents(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableFile, match=reason):
        _read(data)


def test_a_document_that_is_not_the_form() -> None:
    from docx import Document as new_docx

    doc = new_docx()
    doc.add_paragraph("女性のための相談会のご案内")
    buffer = io.BytesIO()
    doc.save(buffer)
    with pytest.raises(NotAReport):
        _read(buffer.getvalue())


def _with_content_controls(data: bytes, placeholder_in: str = "") -> bytes:
    """The same document with every table cell's paragraphs, every body paragraph and some
    runs wrapped in content controls (w:sdt), as forms built with Word's developer tools
    are; one extra control still shows its placeholder text."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(data))

    def wrap(element: object) -> None:
        control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
        control.append(OxmlElement("w:sdtPr"))
        parent = element.getparent()  # type: ignore[attr-defined]
        parent.replace(element, control)
        content.append(element)
        control.append(content)

    for cell in document.element.body.iter(qn("w:tc")):
        for paragraph in cell.findall(qn("w:p")):
            wrap(paragraph)  # a cell-level control
    for paragraph in document.element.body.findall(qn("w:p")):
        runs = paragraph.findall(qn("w:r"))
        if runs:
            wrap(runs[0])  # a run-level control
        wrap(paragraph)  # and a block-level one around it
    if placeholder_in:
        shown = document.add_paragraph(placeholder_in)._p
        wrap(shown)
        shown.getparent().getparent().find(qn("w:sdtPr")).append(OxmlElement("w:showingPlcHdr"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("layout", ["table", "paragraphs"])
def test_content_controls_read_as_typed_text(layout: str) -> None:
    plain = _document(layout)
    controlled = _with_content_controls(plain, placeholder_in="ここをクリックして入力")
    assert b"w:sdt" in zipfile.ZipFile(io.BytesIO(controlled)).read("word/document.xml")
    expected, got = _read(plain), _read(controlled)
    assert got.sections == expected.sections
    assert [t.rows for t in got.tables] == [t.rows for t in expected.tables]
    assert "ここをクリック" not in " ".join(s.body for s in got.sections)


def test_an_expense_table_with_merged_header_cells_and_a_merged_total() -> None:
    """Word's merges: 「経費」 spans the four amount columns, the other labels span two header
    rows, 「合計」 spans four columns. Every column is still found by its label."""
    import docx

    from tests.test_extract_text_reader import MINIMAL
    from tests.test_extract_xlsx_reader import TWO_ROW_HEADER
    from transform.normalize import normalize_document

    lines = MINIMAL.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("事業番号"))
    end = next(i for i, line in enumerate(lines) if line.startswith("10."))
    table_lines = [*TWO_ROW_HEADER, *lines[start + 1 : end]]
    document = docx.Document()
    for line in lines[:start]:
        for part in line.split("\t"):
            if part:
                document.add_paragraph(part)
    table = document.add_table(rows=len(table_lines), cols=10)
    for r, line in enumerate(table_lines):
        for c, value in enumerate(line.split("\t")[:10]):
            table.cell(r, c).text = value
    table.cell(0, 5).merge(table.cell(0, 8))
    for column in (0, 1, 2, 3, 4, 9):
        table.cell(0, column).merge(table.cell(1, column))
    total = len(table_lines) - 1
    table.cell(total, 1).merge(table.cell(total, 4))
    for line in lines[end:]:
        for part in line.split("\t"):
            if part:
                document.add_paragraph(part)
    buffer = io.BytesIO()
    document.save(buffer)
    nr = normalize_document(_read(buffer.getvalue()))
    (item,) = nr.expense_items
    assert (item.item_name, item.total_cost, item.grant_amount) == ("事業A", 100, 100)
    assert (nr.report.declared_total_cost, nr.report.declared_grant_amount) == (100, 100)


def _numbered(fmt: str, text: str, suffix: str | None = None) -> bytes:
    """A one-level list in numbering.xml with the given format and level text, and three
    paragraphs in it."""
    document = WordDocument()
    numbering = document.part.numbering_part.element
    abstract = numbering.makeelement(qn("w:abstractNum"), {qn("w:abstractNumId"): "90"})
    level = abstract.makeelement(qn("w:lvl"), {qn("w:ilvl"): "0"})
    for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
        level.append(level.makeelement(qn(tag), {qn("w:val"): value}))
    if suffix is not None:
        level.append(level.makeelement(qn("w:suff"), {qn("w:val"): suffix}))
    abstract.append(level)
    numbering.insert(0, abstract)
    num = numbering.makeelement(qn("w:num"), {qn("w:numId"): "90"})
    num.append(num.makeelement(qn("w:abstractNumId"), {qn("w:val"): "90"}))
    numbering.append(num)
    for words in ("事業名", "実施期間", "事業の趣旨・目的"):
        paragraph = document.add_paragraph(words)
        properties = paragraph._p.get_or_add_pPr()
        num_pr = properties.makeelement(qn("w:numPr"), {})
        for tag, value in (("w:ilvl", "0"), ("w:numId", "90")):
            num_pr.append(num_pr.makeelement(qn(tag), {qn("w:val"): value}))
        properties.append(num_pr)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "text", "suffix", "shown"),
    [
        ("decimal", "%1.", None, ["1. 事業名", "2. 実施期間", "3. 事業の趣旨・目的"]),
        (
            "decimalFullWidth",
            "（%1）",
            "nothing",
            ["（１）事業名", "（２）実施期間", "（３）事業の趣旨・目的"],
        ),
        ("decimal", "第%1", "space", ["第1 事業名", "第2 実施期間", "第3 事業の趣旨・目的"]),
        ("decimalEnclosedCircle", "%1", None, ["① 事業名", "② 実施期間", "③ 事業の趣旨・目的"]),
        ("bullet", "○", "nothing", ["○事業名", "○実施期間", "○事業の趣旨・目的"]),
        ("bullet", "\uf06c", None, ["事業名", "実施期間", "事業の趣旨・目的"]),  # a symbol font's
    ],
)
def test_words_automatic_numbering_reads_as_displayed(
    fmt: str, text: str, suffix: str | None, shown: list[str]
) -> None:
    document = WordDocument(io.BytesIO(_numbered(fmt, text, suffix)))
    numbering = _Numbering(document)
    paragraphs = [p for p in document.paragraphs if p.text]
    assert [(numbering.label(p) + p.text).strip() for p in paragraphs] == shown
