"""The accuracy harness on the bundled sample, ingested through the real flow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from extract import PENDING_READERS, READERS
from flows.accuracy import (
    CONTACT_FIELDS,
    ITEM_FIELDS,
    REPORT_FIELDS,
    AccuracyReport,
    load_truths,
    score,
    snapshot,
)
from flows.ingest import ingest
from tests.conftest import SAMPLE

pytestmark = pytest.mark.usefixtures("prefect_harness")
FORMATS = ("txt", "pdf", "xlsx", "docx")
WAITS_ON: dict[str, str] = {str(fmt): why for fmt, why in PENDING_READERS.items()}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Path:
    db = tmp_path_factory.mktemp("accuracy") / "sample.duckdb"
    ingest(paths=[SAMPLE], db=db)
    return db


@pytest.fixture(scope="module")
def result(sample_db: Path) -> AccuracyReport:
    report = score(load_truths(SAMPLE), snapshot(sample_db))
    print("\n" + report.table())
    return report


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_field_of_the_sample_is_read_right(fmt: str, result: AccuracyReport) -> None:
    if fmt not in READERS:
        pytest.skip(f"no {fmt} reader yet: waits on {WAITS_ON[fmt]}")
    assert result.formats[fmt].files > 0
    wrong = [m for m in result.mismatches if m.file.endswith("." + fmt)]
    assert wrong == [], f"{len(wrong)} fields wrong, first: {wrong[:5]}"
    assert result.formats[fmt].accuracy == 1.0


def test_the_sample_covers_every_prefecture_and_format() -> None:
    truths = load_truths(SAMPLE)
    loaded = [t for t in truths if t["expected_status"] == "loaded"]
    assert {t["report"]["prefecture_code"] for t in loaded} == set(range(1, 48))
    assert {t["format"] for t in loaded} == set(FORMATS)
    assert sum(p.stat().st_size for p in SAMPLE.rglob("*")) < 10 * 1024 * 1024


def test_ingest_of_the_sample_lists_47_prefectures(sample_db: Path) -> None:
    missing = [f for f in FORMATS if f not in READERS]
    if missing:
        pytest.skip(f"{missing} readers wait on {sorted({WAITS_ON[f] for f in missing})}")
    conn = duckdb.connect(str(sample_db), read_only=True)
    (count,) = conn.execute(
        "select count(distinct p.name_ja) from reports r join prefectures p using (prefecture_code)"
    ).fetchone()  # type: ignore[misc]
    conn.close()
    assert count == 47


def test_score_counts_a_missing_file_as_every_field_missed() -> None:
    truth = {
        "file": "a.txt",
        "format": "txt",
        "expected_status": "quarantined",
        "reason_contains": "empty file",
    }
    assert score([truth], {}).formats["txt"].matched == 0
    held = {"a.txt": {"status": "quarantined", "reason": "empty file: it holds no text"}}
    assert score([truth], held).formats["txt"].accuracy == 1.0


def test_every_variation_of_the_sample_is_read_right(result: AccuracyReport) -> None:
    print("\n" + result.variation_table())
    assert len(result.variations) > 20  # heading styles, fonts, layouts, encodings …
    assert all(s.accuracy == 1.0 for s in result.variations.values())
    assert result.variations["docx_layout=paragraphs"].files > 0


def test_score_per_variation() -> None:
    def truth(name: str, style: str) -> dict[str, object]:
        return {
            "file": name,
            "format": "txt",
            "expected_status": "quarantined",
            "reason_contains": "empty file",
            "variant": {"heading_style": style, "row_lines": 6, "broken": None},
        }

    held = {"a.txt": {"status": "quarantined", "reason": "empty file"}}
    result = score([truth("a.txt", "dot"), truth("b.txt", "space")], held)
    assert result.variations["heading_style=dot"].accuracy == 1.0
    assert result.variations["heading_style=space"].accuracy == 0.0
    assert "heading_style=space" in result.variation_table()
    assert "row_lines" not in result.variation_table()


def warehouse_digest(db: Path, root: Path) -> dict[str, dict[str, object]]:
    """Every table and view of a warehouse, as a row count and a SHA-256 of its rows in a
    canonical order (volatile times, run ids and the folder the sample lies in left out), so
    a restructuring can show that the warehouse it builds is the same, row by row."""
    import hashlib
    import json

    from tests.support import VOLATILE, dump_table

    volatile = VOLATILE | {"run_id", "started_at", "finished_at", "applied_at", "seconds"}
    conn = duckdb.connect(str(db), read_only=True)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "select table_name from information_schema.tables "
                "where table_name not in ('runs', 'schema_migrations') order by 1"
            ).fetchall()
        ]
        digest: dict[str, dict[str, object]] = {}
        for name in names:
            rows = [
                {k: v for k, v in row.items() if k not in volatile}
                for row in dump_table(conn, name)
            ]
            text = json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str)
            text = text.replace(str(root), "<sample>")
            digest[name] = {
                "rows": len(rows),
                "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            }
        return digest
    finally:
        conn.close()


def test_the_sample_warehouse_is_unchanged_table_by_table(
    sample_db: Path, update_golden: bool
) -> None:
    """The warehouse built from the sample, every table and view (issue #14: a restructuring
    keeps behaviour; ``--update-golden`` rewrites it when a change is meant)."""
    from tests.support import compare_golden

    expected = Path(__file__).parent / "golden" / "sample_warehouse.json"
    compare_golden(warehouse_digest(sample_db, SAMPLE), expected, update_golden)


def _path_without(program: str, scratch: Path) -> str:
    """``PATH`` with ``program`` taken out: each folder holding it replaced by a folder of
    links to everything else in it (as a machine without the package installed)."""
    import os

    folders = []
    for index, folder in enumerate(os.environ.get("PATH", "").split(os.pathsep)):
        if folder and (Path(folder) / program).exists():
            shadow = scratch / f"bin{index}"
            shadow.mkdir()
            for entry in Path(folder).iterdir():
                if entry.name != program:
                    (shadow / entry.name).symlink_to(entry)
            folder = str(shadow)
        folders.append(folder)
    return os.pathsep.join(folders)


def test_the_sample_warehouse_is_the_same_without_tesseract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``make sample`` on a machine without tesseract (PATH without it, in this process and
    in the reader's worker processes, which inherit it) builds the same warehouse, table by
    table, as the golden built where tesseract is installed: the sample's scan is refused
    before OCR is asked for (issue 26)."""
    from extract.ocr import engine
    from tests.support import compare_golden

    monkeypatch.setenv("PATH", _path_without(engine.PROGRAM, tmp_path))
    engine.engine_version.cache_clear()
    try:
        with pytest.raises(engine.OcrUnavailable):
            engine.engine_version()  # the simulation holds: no tesseract on this PATH
        db = tmp_path / "sample.duckdb"
        ingest(paths=[SAMPLE], db=db)
    finally:
        engine.engine_version.cache_clear()
    expected = Path(__file__).parent / "golden" / "sample_warehouse.json"
    compare_golden(warehouse_digest(db, SAMPLE), expected, False)
    conn = duckdb.connect(str(db), read_only=True)
    try:
        scanned = conn.execute(
            "select status, reason_code from source_files where path like '%bad_scanned.pdf'"
        ).fetchall()
    finally:
        conn.close()
    assert scanned == [("quarantined", "scanned_image")]


def test_every_quarantine_reason_is_japanese_with_a_code(sample_db: Path) -> None:
    """Reasons are written for the clerk (Japanese, what to do), each with a stable code;
    no raw exception text reaches one."""
    import re

    conn = duckdb.connect(str(sample_db), read_only=True)
    try:
        rows = conn.execute(
            "select path, reason, reason_code from source_files where status = 'quarantined'"
        ).fetchall()
    finally:
        conn.close()
    assert len(rows) >= 9
    for path, reason, code in rows:
        assert re.fullmatch(r"[a-z_0-9]+", code or ""), (path, code)
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", reason), (path, reason)
        assert not re.search(r"Error|Exception|Traceback|KeyError", reason), (path, reason)
        assert re.search(r"ください|します|しました", reason), (path, reason)  # what to do


def test_score_scans_counts_outcomes_and_wrong_amounts_by_outcome() -> None:
    """A wrong amount in a scan confirmed automatically is a wrong amount in the marts; one
    in a scan awaiting review is held; a quarantined scan misses every field."""
    from flows.accuracy import score_scans

    def truth(name: str) -> dict[str, Any]:
        return {
            "file": name,
            "format": "image",
            "expected_status": "loaded",
            "scan": {"dpi": 300},
            "report": {k: 1 for k in REPORT_FIELDS},
            "sections": [{"section_no": 1, "heading": "事業名", "body": "居場所"}],
            "expense_items": [{"line_no": 1, **{k: 5 for k in ITEM_FIELDS}}],
            "contact": {k: "x" for k in CONTACT_FIELDS},
            "expected_rules": [],
        }

    def read(ocr_status: str, total_cost: int) -> dict[str, Any]:
        return {
            "status": "loaded",
            "ocr_status": ocr_status,
            "report": {k: 1 for k in REPORT_FIELDS},
            "sections": {1: {"heading": "事業名", "body": "居場所"}},
            "items": {1: {**{k: 5 for k in ITEM_FIELDS}, "total_cost": total_cost}},
            "contact": {k: "x" for k in CONTACT_FIELDS},
            "rules": set(),
        }

    truths = [truth("a.png"), truth("b.png"), truth("c.png"), truth("d.tif")]
    truths.append({"file": "e.txt", "format": "txt", "expected_status": "loaded"})  # no scan
    held: dict[str, dict[str, Any]] = {
        "a.png": read("confirmed automatically", 5),
        "b.png": read("confirmed automatically", 6),
        "c.png": read("needs_review", 7),
        "d.tif": {"status": "quarantined", "reason_code": "expense_table_missing"},
    }
    result = score_scans(truths, held)
    assert result.outcomes == {
        "a.png": "confirmed automatically",
        "b.png": "confirmed automatically",
        "c.png": "needs_review",
        "d.tif": "quarantined: expense_table_missing",
    }
    assert result.confirmed_share == 0.5
    assert [(m.file, m.field, m.actual) for m in result.wrong_confirmed] == [
        ("b.png", "item1.total_cost", 6)
    ]
    assert [m.field for m in result.wrong_amounts["c.png"]] == ["item1.total_cost"]
    assert result.wrong_amounts["d.tif"] == []  # nothing read, nothing to be wrong
    total_cost = result.fields["item.total_cost"]
    assert (total_cost.files, total_cost.fields, total_cost.matched) == (4, 4, 1)
    assert result.fields["report.prefecture_code"].matched == 3
    table = result.table()
    assert "confirmed automatically 2 (50%), awaiting review 1, quarantined 1" in table
    assert "(expense_table_missing 1)" in table
    assert "wrong amounts among the confirmed automatically: 1" in table
    assert "b.png item1.total_cost: 5 read 6" in table
