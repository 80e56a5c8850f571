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
    _review_page_shows_the_held_scan(db, tmp_path)

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


def _review_page_shows_the_held_scan(db: Path, tmp_path: Path) -> None:
    """The review page: the cell's picture beside the value read, the uncertain field
    highlighted and first, a corrections file that reads once the clerk signs it; drawn by
    Chromium (screenshot in tests/artifacts/review.png); the HTML report links to it."""
    import subprocess

    from tests.test_warehouse_report import ARTIFACTS, _chromium
    from transform.corrections import parse_correction
    from warehouse.report import build_report
    from warehouse.review import build_review, reports_awaiting_review

    conn = duckdb.connect(str(db), read_only=True)
    try:
        page = build_review(conn)
        (report,) = reports_awaiting_review(conn)
        html = build_report(conn)
    finally:
        conn.close()
    assert 'href="review.html"' in html
    first = report.fields[0]
    assert (first.field, first.uncertain) == ("合計.他の寄付金等", True)
    assert first.image and first.image.startswith("data:image/png;base64,")
    assert all(f.field != "10" for f in report.fields)  # the contact block is not shown
    assert page.count('class="uncertain"') == sum(f.uncertain for f in report.fields)
    signed = report.corrections_file.replace('corrected_by = ""', 'corrected_by = "見本 花子"')
    signed = signed.replace('reason = ""', 'reason = "スキャンと見比べた"')
    parsed = parse_correction(signed)
    assert parsed.confirm and parsed.sha256 == report.sha256 and parsed.fixes == ()
    browser, flags = _chromium(tmp_path)
    html_file = tmp_path / "review.html"
    html_file.write_text(page, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "review.png"
    screenshot.unlink(missing_ok=True)
    flags += ["--hide-scrollbars", "--window-size=1200,1600", "--enable-logging=stderr", "--v=0"]
    shot = subprocess.run(
        [browser, *flags, f"--screenshot={screenshot}", html_file.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert [line for line in shot.stderr.splitlines() if "CONSOLE" in line] == []
    assert screenshot.exists() and screenshot.stat().st_size > 30_000
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", html_file.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout
    assert dom.count("<img") == sum(f.image is not None for f in report.fields)
    assert "confirm = true" in dom and "OCR の確認待ち: 1 件" in dom


@needs[0]
@needs[1]
@pytest.mark.usefixtures("prefect_harness")
def test_jokatsu_accuracy_reports_the_frozen_scans_per_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`jokatsu accuracy` on a folder of scans (the frozen golden scans with their truth)
    ingests them through the flow and prints, beside the table per format, each scan's
    outcome, the share confirmed automatically, the wrong amounts among those (what reached
    the marts) and accuracy per field."""
    from jokatsu.cli import main

    folder = tmp_path / "scans"
    (folder / "truth").mkdir(parents=True)
    for case in sorted(p for p in SCANS.iterdir() if p.is_dir()):
        scan = next(case.glob("scan.*"))
        shutil.copy(scan, folder / scan.name)
        shutil.copy(case / "truth.json", folder / "truth" / f"{scan.name}.json")
    main(["accuracy", str(folder), "--show", "0"])
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "scans 3: confirmed automatically 2 (67%), awaiting review 1, quarantined 0" in lines
    assert "wrong amounts among the confirmed automatically: 0" in lines
    header = lines.index(next(line for line in lines if line.startswith("field ")))
    per_field = {line.split()[0]: line.split()[1:] for line in lines[header + 1 :] if line}
    # every field class a truth file states, each counted over the three scans
    assert {"status", "report.prefecture_code", "item.total_cost", "section.body"} <= set(per_field)
    assert per_field["status"][:3] == ["3", "3", "2"]  # the held scan was not loaded
