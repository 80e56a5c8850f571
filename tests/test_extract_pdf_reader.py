from __future__ import annotations

import io
import json
from pathlib import Path

import pdfplumber
import pytest
from reportlab.pdfgen.canvas import Canvas

from extract import source_info
from extract.errors import FileLimitExceeded, NotAReport, UnreadableFile
from extract.limits import ReadLimits
from extract.pdf_reader import read_pdf
from extract.pdf_settings import PdfSettings
from tests.conftest import SAMPLE

GOLDEN = Path(__file__).parent / "golden"
SPLIT = GOLDEN / "pdf_table_split_across_pages_header_not_repeated" / "report.pdf"
LONG = GOLDEN / "pdf_section_continues_on_next_page" / "report.pdf"
TOTAL_ALONE = GOLDEN / "pdf_total_row_alone_on_next_page" / "report.pdf"


def _read(  # type: ignore[no-untyped-def]
    path: Path, settings: PdfSettings | None = None, limits: ReadLimits | None = None
):
    data = path.read_bytes()
    return read_pdf(
        data, source_info(path.name, data), settings or PdfSettings(), limits or ReadLimits()
    )


def _bad_files() -> list[tuple[str, str]]:
    cases = []
    for path in sorted((SAMPLE / "truth").glob("bad_*.pdf.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        cases.append((truth["file"], truth["reason_contains"]))
    return cases


@pytest.mark.parametrize(("name", "reason"), _bad_files())
def test_bad_pdfs_are_refused_with_their_own_reason(name: str, reason: str) -> None:
    with pytest.raises(
        (UnreadableFile, NotAReport, FileLimitExceeded),
        match=reason.replace("(", r"\(").replace(")", r"\)"),
    ):
        _read(SAMPLE / name)


def test_page_headers_and_footers_are_not_content() -> None:
    doc = _read(LONG)
    text = "\n".join(s.body for s in doc.sections) + doc.title + doc.prefecture_line
    assert "様式4-1-3" not in text
    assert "- 1 -" not in text and "- 2 -" not in text
    assert doc.title.startswith("地域女性活躍推進交付金実績報告書")


def test_sections_and_rows_keep_their_page_and_box() -> None:
    doc = _read(SPLIT)
    table = doc.table(9)
    assert table is not None
    pages = [row.provenance.page for row in table.rows]
    assert pages == sorted(pages) and len(set(pages)) == 2  # the table crosses a page break
    for row in table.rows:
        x0, top, x1, bottom = row.provenance.bbox
        assert 0 < x0 < x1 <= 595 and 0 < top < bottom <= 842
    assert all(s.provenance.page for s in doc.sections)


def test_a_total_row_alone_on_a_new_page_is_not_joined_to_the_row_above() -> None:
    table = _read(TOTAL_ALONE).table(9)
    assert table is not None
    *items, total = table.rows
    assert total.provenance.page == items[-1].provenance.page + 1  # the break falls between
    assert "合計" in total.cells and total.cells[0] == ""
    assert "合計" not in items[-1].cells and items[-1].cells[0] != ""
    truth = json.loads((TOTAL_ALONE.parent / "truth.json").read_text(encoding="utf-8"))
    assert len(items) == len(truth["expense_items"])


def test_each_cell_reads_apart_from_its_neighbours() -> None:
    doc = _read(LONG)
    for section in doc.sections:
        assert section.heading not in section.body
        assert not section.body.startswith(("1.", "2.", "3."))
    assert all(len(row.cells) == 10 for row in doc.table(9).rows)


def test_too_many_pages_is_refused_before_reading_them(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for _ in range(3000):
        canvas.showPage()
    canvas.save()
    path = tmp_path / "many.pdf"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(FileLimitExceeded, match="3000 ページ"):
        _read(path)


def test_size_limit() -> None:
    # Time has one limit, the guard's (tests/test_flows_sandbox.py): the reader has none.
    with pytest.raises(FileLimitExceeded, match="大きすぎます"):
        _read(LONG, limits=ReadLimits(pdf_max_bytes=1000))
    assert not hasattr(ReadLimits(), "max_seconds")


def test_the_page_limit_is_the_one_passed_in() -> None:
    with pdfplumber.open(LONG) as pdf:
        assert len(pdf.pages) == 2
    assert _read(LONG, limits=ReadLimits(pdf_max_pages=2)).title
    with pytest.raises(FileLimitExceeded, match="2 ページ、上限 1"):
        _read(LONG, limits=ReadLimits(pdf_max_pages=1))


def test_limits_are_validated() -> None:
    with pytest.raises(ValueError, match="pdf_max_pages"):
        ReadLimits(pdf_max_pages=0)


def test_faux_bold_glyphs_are_read_once() -> None:
    path = GOLDEN / "pdf_faux_bold_doubled_glyphs" / "report.pdf"
    once = _read(path)
    assert [s.number for s in once.sections] == list(range(1, 12))
    assert once.section(1).heading == "事業名"
    # without de-duplication every glyph reads twice and the headings are lost
    with pytest.raises(NotAReport, match="項目 1～11"):
        _read(path, PdfSettings(dedupe_chars=False))


def _differential_pdfs() -> list[Path]:
    golden = Path(__file__).parent / "golden"
    pdfs = sorted(SAMPLE.glob("*.pdf")) + sorted(golden.glob("pdf_*/*.pdf"))
    return [p for p in pdfs if not p.name.startswith("bad_")]


def _shifted_mediabox(path: Path) -> bytes:
    """The same PDF with its MediaBox moved off the origin (same byte length, so the
    cross-reference table still points right)."""
    data = path.read_bytes()
    portrait, landscape = b"/MediaBox [ 0 0 595 842 ]", b"/MediaBox [ 0 0 842 595 ]"
    assert data.count(portrait) + data.count(landscape) >= 1
    data = data.replace(portrait, b"/MediaBox [ 5 7 600 849 ]")
    return data.replace(landscape, b"/MediaBox [ 5 7 847 602 ]")


CHAR_KEYS = ("text", "x0", "x1", "top", "bottom", "doctop", "fontname", "size", "upright")
EDGE_KEYS = ("object_type", "orientation", "x0", "x1", "top", "bottom", "doctop")


def _printed_by_libreoffice(path: Path) -> bool:
    return path.parent.name.startswith(("pdf_libreoffice_", "pdf_printed_"))


DIFFERENTIAL = [
    (path, shifted)
    for path in _differential_pdfs()
    for shifted in (False, True)
    # LibreOffice writes its MediaBox its own way: only ours are moved byte for byte
    if not (shifted and _printed_by_libreoffice(path))
]


@pytest.mark.parametrize(
    ("path", "shifted"),
    DIFFERENTIAL,
    ids=[
        f"{'mediabox-moved' if s else 'mediabox-at-origin'}-{p.parent.name}-{p.name}"
        for p, s in DIFFERENTIAL
    ],
)
def test_the_lean_page_objects_equal_pdfplumbers_own(path: Path, shifted: bool) -> None:
    """The reader skips pdfplumber's page.objects; what it builds instead must be the same
    characters, edges and tables pdfplumber gives (differential, on every PDF of the sample
    and of the golden cases, LibreOffice's prints included)."""
    from extract.pdf_objects import find_tables, page_objects

    data = _shifted_mediabox(path) if shifted else path.read_bytes()
    with pdfplumber.open(io.BytesIO(data)) as lean, pdfplumber.open(io.BytesIO(data)) as own:
        for lean_page, own_page in zip(lean.pages, own.pages, strict=True):
            objects = page_objects(lean_page)
            assert [tuple(dict(c)[k] for k in CHAR_KEYS) for c in objects.chars] == [
                tuple(c[k] for k in CHAR_KEYS) for c in own_page.chars
            ]
            assert [tuple(e[k] for k in EDGE_KEYS) for e in objects.edges] == [
                tuple(e[k] for k in EDGE_KEYS) for e in own_page.edges
            ]
            assert objects.images == len(own_page.images)
            settings = PdfSettings().table_settings
            cells = [t.cells for t in find_tables(lean_page, objects.edges, settings)]
            assert cells == [t.cells for t in own_page.find_tables(settings)]
            # every page of our renderer's form is ruled (LibreOffice's last page may not be)
            assert cells or _printed_by_libreoffice(path)
            assert not hasattr(lean_page, "_objects")  # pdfplumber's objects never built


@pytest.mark.parametrize(
    ("case", "path"),
    [
        ("pdf_faux_bold_doubled_glyphs", "pdf: ruled grid"),
        ("pdf_libreoffice_docx_headed_paragraphs", "pdf: ruled grid + text outside the grid"),
        (
            "pdf_libreoffice_docx_table_without_borders",
            "pdf: text outside the grid + expense table without rules",
        ),
    ],
)
def test_the_reading_path_a_pdf_needed_is_recorded(case: str, path: str) -> None:
    assert _read(GOLDEN / case / "report.pdf").read_path == path
