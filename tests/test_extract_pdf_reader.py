from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from extract import source_info
from extract.errors import FileLimitExceeded, NotAReport, UnreadableFile
from extract.pdf_reader import PdfSettings, read_pdf
from tests.conftest import SAMPLE

GOLDEN = Path(__file__).parent / "golden"
SPLIT = GOLDEN / "pdf_table_split_across_pages_header_not_repeated" / "report.pdf"
LONG = GOLDEN / "pdf_section_continues_on_next_page" / "report.pdf"


def _read(path: Path, settings: PdfSettings | None = None):  # type: ignore[no-untyped-def]
    data = path.read_bytes()
    return read_pdf(data, source_info(path.name, data), settings or PdfSettings())


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
        x0, top, x1, bottom = row.provenance.bbox  # type: ignore[misc]
        assert 0 < x0 < x1 <= 595 and 0 < top < bottom <= 842
    assert all(s.provenance.page for s in doc.sections)


def test_each_cell_reads_apart_from_its_neighbours() -> None:
    doc = _read(LONG)
    for section in doc.sections:
        assert section.heading not in section.body
        assert not section.body.startswith(("1.", "2.", "3."))
    assert all(len(row.cells) == 10 for row in doc.table(9).rows)  # type: ignore[union-attr]


def test_too_many_pages_is_refused_before_reading_them(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for _ in range(3000):
        canvas.showPage()
    canvas.save()
    path = tmp_path / "many.pdf"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(FileLimitExceeded, match="3000 pages"):
        _read(path)


def test_size_and_time_limits() -> None:
    with pytest.raises(FileLimitExceeded, match="over the limit"):
        _read(LONG, PdfSettings(max_bytes=1000))
    with pytest.raises(FileLimitExceeded, match="took over"):
        _read(LONG, PdfSettings(max_seconds=1e-9))


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="max_pages"):
        PdfSettings(max_pages=0)


def test_faux_bold_glyphs_are_read_once() -> None:
    path = GOLDEN / "pdf_faux_bold_doubled_glyphs" / "report.pdf"
    once = _read(path)
    assert [s.number for s in once.sections] == list(range(1, 12))
    assert once.section(1).heading == "事業名"  # type: ignore[union-attr]
    # without de-duplication every glyph reads twice and the headings are lost
    doubled = _read(path, PdfSettings(dedupe_chars=False))
    assert len(doubled.sections) < 11
