"""The OCR reader (extract/ocr): frozen scans of the sample's PDFs read into Documents, the
vocabulary's corrections, and a scan quarantined with the program to install where
tesseract is missing."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.errors import FileLimitExceeded
from extract.limits import ReadLimits
from extract.model import Document, SourceInfo
from extract.ocr import engine, vocabulary
from extract.ocr.pages import load_image_pages
from extract.ocr.reader import read_scan
from tests.support import compare_golden
from transform.pipeline import transform_file

SCANS = Path(__file__).parent / "golden" / "scans"
CASES = sorted(p for p in SCANS.iterdir() if p.is_dir())
AMOUNTS = ("total_cost", "grant_amount", "other_funds", "own_funds")
DECLARED = ("declared_total_cost", "declared_grant_amount", "declared_other_funds")


def _have_tesseract() -> bool:
    try:
        engine.engine_version()
    except engine.OcrUnavailable:
        return False
    return True


needs_tesseract = pytest.mark.skipif(
    not _have_tesseract(), reason=f"tesseract is not installed ({engine.INSTALL})"
)


def _read(case: Path) -> tuple[Document, dict[str, Any]]:
    truth = json.loads((case / "truth.json").read_text(encoding="utf-8"))
    scan = case / truth["file"]
    data = scan.read_bytes()
    return read_scan(data, SourceInfo("0" * 64, scan.name, len(data), truth["format"])), truth


def _snapshot(doc: Document) -> dict[str, Any]:
    assert doc.ocr is not None
    return {
        "title": doc.title,
        "prefecture_line": doc.prefecture_line,
        "sections": [[s.number, s.heading, s.body] for s in doc.sections],
        "tables": [[list(t.header), *[list(r.cells) for r in t.rows]] for t in doc.tables],
        "read_path": doc.read_path,
        "cells": [
            [c.field, c.kind, c.text, c.uncertain, list(c.changes)]
            for c in doc.ocr.cells
            if c.field
        ],
    }


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_scan_reads_into_the_document_every_reader_returns(
    case: Path, update_golden: bool
) -> None:
    doc, truth = _read(case)
    compare_golden(_snapshot(doc), case / "expected.json", update_golden)
    report = transform_file(doc).reports[0]
    assert report.report.prefecture_code == truth["report"]["prefecture_code"]
    assert report.report.fiscal_year == truth["report"]["fiscal_year"]
    assert len(report.expense_items) == len(truth["expense_items"])


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_an_amount_read_wrong_is_never_read_with_certainty(case: Path) -> None:
    """Every amount the reader is sure of is the truth; a wrong one is marked uncertain."""
    doc, truth = _read(case)
    assert doc.ocr is not None
    report = transform_file(doc).reports[0]
    wrong = []
    for item, expected in zip(report.expense_items, truth["expense_items"], strict=True):
        for name, label in zip(
            AMOUNTS, ("総事業費", "本交付金", "他の寄付金等", "自己資金"), strict=True
        ):
            if getattr(item, name) != expected[name]:
                wrong.append(f"経費.{item.line_no}.{label}")
    for name, label in zip(DECLARED, ("総事業費", "本交付金", "他の寄付金等"), strict=True):
        if getattr(report.report, name) != truth["report"][name]:
            wrong.append(f"合計.{label}")
    sure = {c.field for c in doc.ocr.cells if not c.uncertain}
    assert not [f for f in wrong if f in sure]


@needs_tesseract
def test_each_cell_keeps_its_page_box_and_both_readings_of_an_amount() -> None:
    doc, _ = _read(SCANS / "pdf_colour_300dpi_seals_on_prefecture_and_table")
    assert doc.ocr is not None
    amount = doc.ocr.cell("経費.1.総事業費")
    assert amount is not None
    assert {model for model, _ in amount.readings} == {"jpn", "Japanese"}
    assert amount.page >= 1
    x0, top, x1, bottom = amount.bbox
    assert 0 <= x0 < x1 <= 595 and 0 <= top < bottom <= 842
    assert doc.ocr.dpi == 300
    assert any("red channel" in step for step in doc.ocr.preprocessing)
    assert doc.ocr.engine.startswith("tesseract")


def test_a_scan_without_tesseract_is_quarantined_naming_the_program(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = SCANS / "jpeg_colour_200dpi"
    data = (case / "scan.jpg").read_bytes()
    engine.engine_version.cache_clear()
    monkeypatch.setattr(shutil, "which", lambda name: None)
    try:
        with pytest.raises(engine.OcrUnavailable) as caught:
            read_scan(data, SourceInfo("0" * 64, "scan.jpg", len(data), "image"))
    finally:
        engine.engine_version.cache_clear()
    assert "tesseract" in str(caught.value)
    assert engine.INSTALL in str(caught.value)
    assert caught.value.code == "ocr_unavailable"


@pytest.mark.parametrize("tesseract", ["installed", "missing"])
def test_a_picture_without_the_forms_table_is_refused_alike_with_and_without_tesseract(
    tesseract: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample's bad_scanned.pdf (lines of text, no ruled table) is refused before OCR
    would be asked for, with the same reason whether or not this machine has tesseract."""
    from extract import read_document, source_info
    from extract.errors import NotAReport
    from tests.conftest import SAMPLE

    path = SAMPLE / "bad_scanned.pdf"
    data = path.read_bytes()
    engine.engine_version.cache_clear()
    if tesseract == "missing":
        monkeypatch.setattr(shutil, "which", lambda name: None)
    try:
        with pytest.raises(NotAReport) as caught:
            read_document(data, source_info(str(path), data))
    finally:
        engine.engine_version.cache_clear()
    assert caught.value.code == "scanned_image"
    assert str(caught.value).startswith("スキャンした画像ですが、様式の罫線の表が見つかりません")


def test_a_scan_with_more_pages_than_its_limit_is_refused_before_ocr() -> None:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    frames = [Image.new("L", (210, 297), 255) for _ in range(3)]
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    tiff = buffer.getvalue()
    assert len(load_image_pages(tiff, max_pages=3)) == 3
    with pytest.raises(FileLimitExceeded, match="3 ページ、上限 2") as caught:
        read_scan(tiff, SourceInfo("0" * 64, "scan.tif", len(tiff), "image"), ReadLimits(2, 2, 2))
    assert caught.value.code == "too_many_pages"


@pytest.mark.parametrize(
    ("raw", "text", "uncertain"),
    [
        ("3,179,934", "3,179,934", False),
        ("3.179.934", "3,179,934", False),
        ("3、179，934", "3,179,934", False),
        ("134,,000", "134,000", False),
        ("1.898139", "1.898139", True),  # a separator lost: the digits cannot be trusted
        ("12a4", "12a4", True),
        ("", "", False),
        ("一", "－", False),
    ],
)
def test_amount_corrections_change_separators_never_digits(
    raw: str, text: str, uncertain: bool
) -> None:
    corrected = vocabulary.correct_amount(raw)
    assert (corrected.text, corrected.uncertain) == (text, uncertain)


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([",", ".", "、", ",,"]))
def test_an_amount_with_its_commas_misread_reads_as_written(value: int, comma: str) -> None:
    written = f"{value:,}"
    corrected = vocabulary.correct_amount(written.replace(",", comma))
    assert corrected.text == written
    assert not corrected.uncertain


@given(st.text(alphabet="0123456789.,、", min_size=1, max_size=15))
def test_amount_correction_keeps_every_digit(raw: str) -> None:
    corrected = vocabulary.correct_amount(raw)
    assert [c for c in corrected.text if c.isdigit()] == [c for c in raw if c.isdigit()]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("都道府県名:愛知“ズリ", "都道府県名: 愛知県"),
        ("都道府県名: 北海道", "都道府県名: 北海道"),
        ("都道府県名:神奈川具", "都道府県名: 神奈川県"),
    ],
)
def test_prefecture_line_snaps_to_one_of_the_47(raw: str, text: str) -> None:
    assert vocabulary.correct_prefecture(raw).text == text


def test_budget_label_and_period_corrections() -> None:
    assert vocabulary.correct_budget("3年度当初巴算").text == "3年度当初予算"
    assert vocabulary.correct_budget("3 0年度補正\n予算").text == "30年度補正予算"
    assert vocabulary.correct_budget("予算がない").uncertain
    period = vocabulary.correct_period("令和3年4月1日一令和4年3月31日")
    assert period.text == "令和3年4月1日～令和4年3月31日"
    assert period.changes


def test_label_snaps_to_the_form_section_names() -> None:
    assert vocabulary.correct_label("5 : 事業効果及び効果\n検証の概要").text == (
        "5：事業効果及び効果検証の概要"
    )
    assert vocabulary.correct_label("3：今後の課題").uncertain  # number and name disagree


def test_ocr_cell_is_frozen() -> None:
    from extract.model import OcrCell

    cell = OcrCell(1, (0, 0, 1, 1), "amount", "経費.1.総事業費", (("jpn", "1"),), "1", 90.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cell.text = "2"  # type: ignore[misc]


def test_the_first_expense_row_of_each_page_has_its_amounts_read_as_text_too() -> None:
    """A header row is known only once its text cells are read; its amount cells are read as
    text in the same tesseract run as the text cells when they are the first expense row of
    a page (the header's place), so no run of its own follows (issue 26, speed)."""
    import numpy as np

    from extract.ocr import reader
    from extract.ocr.preprocess import Prepared

    blank = np.full((10, 10), 255, dtype=np.uint8)
    pages = [Prepared(n, blank, 300, 300, (), 0.0) for n in (1, 2)]

    def row(page: Prepared, expense: bool) -> reader._Row:
        kinds = ["number", "amount", "amount"] if expense else ["label", "body"]
        cells = [reader._Cell(page, (0, 0, 5, 5), k, image=blank) for k in kinds]  # type: ignore[arg-type]
        return reader._Row(page, cells, expense=expense)

    rows = [
        row(pages[0], False),
        first := row(pages[0], True),
        row(pages[0], True),
        row(pages[0], False),
        after_text := row(pages[0], True),
        next_page := row(pages[1], True),
        row(pages[1], True),
    ]
    guessed = reader._header_guesses(rows)
    expected = [c for r in (first, after_text, next_page) for c in r.cells if c.kind == "amount"]
    assert [id(c) for c in guessed] == [id(c) for c in expected]
