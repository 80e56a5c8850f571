"""Scans through the flow: nothing read by OCR reaches the marts unconfirmed. A scan whose
evidence is strong is confirmed automatically; one with an uncertain amount waits in
quarantine (needs_review) until a clerk's corrections file confirms it, with a fix."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from extract.ocr import engine
from flows.ingest import ingest

SCANS = Path(__file__).parent / "golden" / "scans"
HELD = SCANS / "tiff_grey_two_pages_turned" / "scan.tif"  # 合計.他の寄付金等 read as 9
CLEAR = SCANS / "pdf_colour_300dpi_seals_on_prefecture_and_table" / "scan.pdf"


def _have_tesseract() -> bool:
    try:
        engine.engine_version()
    except engine.OcrUnavailable:
        return False
    return True


needs = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not _have_tesseract(), reason=f"tesseract is not installed ({engine.INSTALL})"
    ),
]


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@needs[0]
@needs[1]
def test_a_clerks_confirm_and_fix_carry_a_held_scan_into_the_marts(tmp_path: Path) -> None:
    inbox, db, fixes = tmp_path / "inbox", tmp_path / "w.duckdb", tmp_path / "corrections"
    inbox.mkdir()
    fixes.mkdir()
    scan = inbox / "12_chiba_fy2020.tif"
    shutil.copy(HELD, scan)
    first = ingest(paths=[inbox], db=db, corrections=fixes)
    assert first.loaded == [] and [p for p, _ in first.quarantined] == [str(scan)]
    assert _rows(db, "select status, reason_code from source_files") == [
        ("quarantined", "needs_review")
    ]
    (reason,) = _rows(db, "select reason from source_files")[0]
    assert "合計.他の寄付金等" in str(reason) and "confirm = true" in str(reason)
    assert _rows(db, "select count(*) from reports") == [(0,)]
    assert _rows(db, "select count(*) from mart_spending_by_prefecture_year") == [(0,)] or all(
        row[0] is None
        for row in _rows(db, "select total_cost from mart_spending_by_prefecture_year")
    )
    assert _rows(db, "select review_status, grade from stg_ocr_reads") == [("needs_review", "C")]
    assert _rows(db, "select provenance, grade from mart_data_quality") == [("ocr", "C")]
    held = _rows(
        db,
        "select value, reading_jpn, uncertain from mart_ocr_fields "
        "where field = '合計.他の寄付金等'",
    )
    assert held == [("9", "9", True)]

    sha = hashlib.sha256(scan.read_bytes()).hexdigest()
    (fixes / "chiba.toml").write_text(
        f'sha256 = "{sha}"\ncorrected_by = "見本 花子"\nreason = "スキャンと見比べた"\n'
        "confirm = true\n"
        '[[fix]]\nfield = "合計.他の寄付金等"\nvalue = "0"\n',
        encoding="utf-8",
    )
    second = ingest(paths=[inbox], db=db, corrections=fixes)
    assert second.loaded == [str(scan)]
    assert _rows(db, "select status from source_files") == [("loaded",)]
    assert _rows(db, "select declared_other_funds from reports") == [(0,)]
    assert _rows(db, "select count(*) from stg_reports") == [(1,)]
    assert _rows(db, "select review_status, grade, confirmed_by from stg_ocr_reads") == [
        ("confirmed by a clerk", "B", "見本 花子")
    ]
    assert _rows(db, "select provenance, grade from mart_data_quality") == [
        ("corrected by hand", "B")
    ]
    assert _rows(
        db, "select value, provenance from mart_ocr_fields where field = '合計.他の寄付金等'"
    ) == [("0", "corrected by hand")]
    assert _rows(db, "select count(*) from validation_issues where severity = 'error'") == [(0,)]
    spent = _rows(db, "select sum(total_cost) > 0 from mart_spending_by_prefecture_year")
    assert spent == [(True,)]


@needs[0]
@needs[1]
def test_a_scan_on_strong_evidence_loads_confirmed_automatically(tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    shutil.copy(CLEAR, inbox / "01_hokkaido_fy2019.pdf")
    result = ingest(paths=[inbox], db=db)
    assert result.loaded == [str(inbox / "01_hokkaido_fy2019.pdf")]
    assert _rows(db, "select review_status, grade, evidence from stg_ocr_reads") == [
        ("confirmed automatically", "A", [])
    ]
    assert _rows(db, "select read_path, provenance from mart_data_quality") == [
        ("ocr: ruled grid", "ocr confirmed")
    ]
    assert _rows(db, "select declared_total_cost from reports") == [(9_006_997,)]


def test_a_confirm_alone_is_a_correction_and_changes_the_fingerprint() -> None:
    from transform.corrections import fingerprint, parse_correction

    head = f'sha256 = "{"a" * 64}"\ncorrected_by = "見本 花子"\nreason = "見比べた"\n'
    confirmed = parse_correction(head + "confirm = true\n")
    assert confirmed.confirm and confirmed.fixes == ()
    assert fingerprint((confirmed,)) != fingerprint(())
    with pytest.raises(Exception, match="confirm = true"):
        parse_correction(head)  # neither a fix nor a confirmation
