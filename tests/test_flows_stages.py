"""The run's stages as plain functions (flows/stages.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract import source_info
from extract.errors import JokatsuError, NotAReport
from flows.settings import Settings
from flows.stages import (
    Rejected,
    batches,
    guard,
    load_batch,
    process_batch,
    tally,
)
from flows.summary import IngestSummary
from tests.conftest import REAL_REPORT
from warehouse.publish import publishing_writer, write_lock

SOURCE = source_info("r.txt", b"x")
GOLDEN = Path(__file__).parent / "golden"


@given(st.integers(0, 500), st.integers(1, 8), st.integers(1, 100))
def test_batches_keep_every_item_in_order_within_the_size_limit(
    count: int, workers: int, largest: int
) -> None:
    items = list(range(count))
    split = batches(items, workers, largest)
    assert [i for batch in split for i in batch] == items
    assert all(0 < len(batch) <= largest for batch in split)
    assert len(split) <= max(2 * workers, -(-count // largest))  # about two per worker
    if count >= 2 * workers * largest:
        assert all(len(batch) == largest for batch in split[:-1])


def test_a_files_own_fault_is_rejected_and_the_machines_stops_the_run() -> None:
    def not_a_report() -> None:
        raise NotAReport("no 都道府県名 line")

    def reader_bug() -> None:
        raise KeyError("cell")

    def disk_gone() -> None:
        raise OSError("disk")

    assert guard(SOURCE, not_a_report) == Rejected(
        SOURCE, "no 都道府県名 line", code="not_a_report"
    )
    bug = guard(SOURCE, reader_bug)
    assert isinstance(bug, Rejected) and bug.code == "unexpected_error"
    assert "想定外のエラー" in bug.reason and "KeyError" not in bug.reason  # no raw text
    assert bug.detail == "KeyError: 'cell'"  # the exception goes to the log
    with pytest.raises(OSError):
        guard(SOURCE, disk_gone)
    with pytest.raises(JokatsuError):
        guard(SOURCE, lambda: (_ for _ in ()).throw(JokatsuError("pool broke")))


def test_a_batch_reads_transforms_and_loads(tmp_path: Path) -> None:
    good = tmp_path / "r.txt"
    good.write_bytes(REAL_REPORT.read_bytes())
    empty = tmp_path / "empty.txt"
    empty.write_text("hello\n", encoding="utf-8")
    sources = [source_info(str(p), p.read_bytes()) for p in (good, empty)]
    outcomes = process_batch(None, sources)  # read here, as on a Dask worker
    report, rejected = outcomes
    assert not isinstance(report, Rejected)
    assert {i.rule for i in report.issues} == {"budget_label_not_allowed"}  # checked
    assert isinstance(rejected, Rejected) and rejected.source == sources[1]
    db = tmp_path / "w.duckdb"
    with write_lock(db), publishing_writer(db) as warehouse:
        assert load_batch(warehouse, outcomes, "test", dt.datetime(2026, 11, 28)) == outcomes
    with duckdb.connect(str(db), read_only=True) as conn:
        statuses = dict(conn.execute("select path, status from source_files").fetchall())
    assert statuses == {str(good): "loaded", str(empty): "quarantined"}
    summary = IngestSummary()
    for outcome in outcomes:
        tally(summary, outcome)
    assert summary.loaded == [str(good)]
    assert summary.quarantined == [(str(empty), rejected.reason)]
    assert summary.issues == {("budget_label_not_allowed", "warning"): 1}


def test_a_file_that_vanished_is_reported_not_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(REAL_REPORT.read_bytes())
    source = source_info(str(path), path.read_bytes())
    path.unlink()  # gone between the scan and the read
    (outcome,) = process_batch(None, [source])
    assert isinstance(outcome, Rejected) and not outcome.recorded
    assert "見つかりません" in outcome.reason
    summary = IngestSummary()
    tally(summary, outcome)
    assert summary.quarantined == [] and summary.not_read == [(str(path), outcome.reason)]


def test_the_readers_limits_come_from_the_settings_through_the_per_file_pipeline(
    tmp_path: Path,
) -> None:
    pdf = tmp_path / "two_pages.pdf"
    pdf.write_bytes((GOLDEN / "pdf_section_continues_on_next_page" / "report.pdf").read_bytes())
    source = source_info(str(pdf), pdf.read_bytes())
    (read,) = process_batch(None, [source], limits=Settings(pdf_max_pages=2).limits)
    assert not isinstance(read, Rejected)
    (refused,) = process_batch(None, [source], limits=Settings(pdf_max_pages=1).limits)
    assert isinstance(refused, Rejected) and refused.code == "too_many_pages"
    assert "上限 1" in refused.reason
    assert Settings(pdf_max_mb=7).limits.reading.pdf_max_bytes == 7 * 1024 * 1024


def test_a_scans_pixel_limit_comes_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``scan_max_pixels`` reaches the OCR reader: a 100 × 100 PNG (10,000 pixels, over
    twice 4,000: Pillow's decompression-bomb limit) is refused before any OCR."""
    from PIL import Image

    from extract.ocr import engine

    monkeypatch.setattr(engine, "engine_version", lambda: "tesseract (not run)")
    png = tmp_path / "scan.png"
    Image.new("L", (100, 100), 255).save(png)
    source = source_info(str(png), png.read_bytes())
    (refused,) = process_batch(None, [source], limits=Settings(scan_max_pixels=4000).limits)
    assert isinstance(refused, Rejected) and refused.code == "page_too_large"


def test_a_conversions_time_limit_comes_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``convert_seconds`` reaches LibreOffice's conversion of a .doc (a converter that
    never finishes is stopped after it)."""
    from extract import convert
    from extract.ooxml import OLE_MAGIC

    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 600\n")
    fake.chmod(0o755)
    monkeypatch.setattr(convert, "libreoffice_writer", lambda: str(fake))
    doc = tmp_path / "r.doc"
    doc.write_bytes(OLE_MAGIC + b"\0" * 512)
    source = source_info(str(doc), doc.read_bytes())
    (stopped,) = process_batch(None, [source], limits=Settings(convert_seconds=1).limits)
    assert isinstance(stopped, Rejected) and stopped.code == "conversion_timeout"
    assert "1 秒で終わりませんでした" in stopped.reason
