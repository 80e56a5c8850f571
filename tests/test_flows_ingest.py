"""The ingest flow end to end, on a real temporary Prefect server (prefect_test_harness)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.ingest import ingest
from tests.conftest import REAL_REPORT
from tests.support import dump_warehouse

pytestmark = pytest.mark.usefixtures("prefect_harness")
GOLDEN = Path(__file__).parent / "golden" / "real_yamaguchi_fy2021" / "expected.json"


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(REAL_REPORT, inbox / REAL_REPORT.name)
    return inbox


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_the_flow_loads_the_real_report_exactly_as_the_golden_file(tmp_path: Path) -> None:
    inbox, db = _inbox(tmp_path), tmp_path / "w.duckdb"
    summary = ingest(paths=[inbox], db=db)
    assert summary.loaded == [str(inbox / REAL_REPORT.name)]
    assert dict(summary.issues) == {("budget_label_not_allowed", "warning"): 1}
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    del expected["source_files"]  # its path there is the golden case's, not this inbox's
    assert dump_warehouse(db, with_source_files=False) == expected


def test_ingesting_again_adds_nothing_and_a_copy_is_a_duplicate(tmp_path: Path) -> None:
    inbox, db = _inbox(tmp_path), tmp_path / "w.duckdb"
    ingest(paths=[inbox], db=db)
    again = ingest(paths=[inbox], db=db)
    assert (again.loaded, again.unchanged) == ([], [str(inbox / REAL_REPORT.name)])
    shutil.copy(REAL_REPORT, inbox / "copy_of_report.txt")
    third = ingest(paths=[inbox], db=db)
    assert third.duplicates == [(str(inbox / "copy_of_report.txt"), str(inbox / REAL_REPORT.name))]
    assert _rows(db, "select count(*) from reports") == [(1,)]
    assert _rows(db, "select count(*) from expense_items") == [(1,)]
    assert _rows(db, "select status, count(*) from source_files group by all order by 1") == [
        ("duplicate", 1),
        ("loaded", 1),
    ]


def test_bad_files_are_quarantined_with_reasons_and_the_run_goes_on(tmp_path: Path) -> None:
    inbox, db = _inbox(tmp_path), tmp_path / "w.duckdb"
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "flyer.txt").write_text("女性のための相談会のお知らせ\n日時: 7月1日\n")
    (inbox / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0legacy")
    (inbox / "random.txt").write_bytes(bytes(range(256)) * 4)
    (inbox / "notes.json").write_text("{}")
    summary = ingest(paths=[inbox], db=db)
    reasons = {Path(p).name: r for p, r in summary.quarantined}
    assert set(reasons) == {"empty.txt", "flyer.txt", "old.xls", "random.txt"}
    assert "空のファイル" in reasons["empty.txt"]
    assert "実績報告書の様式ではありません" in reasons["flyer.txt"]
    assert ".xlsx として保存し直し" in reasons["old.xls"]
    assert summary.skipped == [str(inbox / "notes.json")]
    assert len(summary.loaded) == 1
    rows = _rows(db, "select path, status, reason from source_files where status = 'quarantined'")
    assert {Path(str(p)).name for p, _, _ in rows} == set(reasons)
    assert _rows(db, "select count(*) from reports") == [(1,)]
    again = ingest(paths=[inbox], db=db)
    assert len(again.still_quarantined) == 4 and again.quarantined == []
    retried = ingest(paths=[inbox], db=db, retry_quarantined=True)
    assert len(retried.quarantined) == 4


def test_a_run_with_problems_says_so_in_its_state_logs_and_artifact(tmp_path: Path) -> None:
    """What an operator sees in Prefect's UI without --verbose: the run's final state names
    its problems, each quarantined file and error issue is a log line of the run, and the
    Markdown artifact lists problems first (files still in quarantine on every run)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterKey,
        FlowRunFilter,
        FlowRunFilterId,
        LogFilter,
        LogFilterFlowRunId,
    )

    from tests.hostile import TOTAL, form

    inbox, db = _inbox(tmp_path), tmp_path / "w.duckdb"
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    wrong_total = TOTAL.replace("1,500,000", "1,500,001")
    (inbox / "total.txt").write_text(form(total=wrong_total), encoding="utf-8")
    state = ingest(paths=[inbox], db=db, return_state=True)
    summary = state.result()
    assert state.name == "Completed with problems" and state.is_completed()
    assert state.message and "1 quarantined" in state.message and "error issues" in state.message
    assert [e.rule for e in summary.errors] == ["total_mismatch"]
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()  # logs travel to the server in batches
    with get_client(sync_client=True) as client:
        run_id = state.state_details.flow_run_id
        assert run_id is not None
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-summary"])),
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])),
        )
    messages = [log.message for log in logs]
    assert any(m.startswith("quarantined: ") and "broken.pdf" in m for m in messages)
    assert any("error issue: " in m and "total.txt: total_mismatch" in m for m in messages)
    assert any(m.startswith("summary:") for m in messages)
    (artifact,) = artifacts
    assert artifact.type == "markdown"
    text = str(artifact.data)
    assert text.index("読み込めなかったファイル") < text.index("エラーのある報告書")
    assert text.index("エラーのある報告書") < text.index("## 件数")
    assert "broken.pdf" in text and "`total_mismatch`" in text

    again = ingest(paths=[inbox], db=db, return_state=True)
    assert again.name == "Completed with problems"  # still in quarantine
    assert [p for p, _ in again.result().still_quarantined] == [str(inbox / "broken.pdf")]
    (inbox / "broken.pdf").unlink()
    (inbox / "total.txt").unlink()
    clean_db = tmp_path / "clean.duckdb"
    clean = ingest(paths=[inbox], db=clean_db, return_state=True)
    assert clean.name == "Completed" and clean.message == "1 loaded"


def test_a_revised_report_becomes_current_and_keeps_history(tmp_path: Path) -> None:
    inbox, db = _inbox(tmp_path), tmp_path / "w.duckdb"
    first = ingest(paths=[inbox], db=db)
    revised = REAL_REPORT.read_text(encoding="utf-8").replace("12,391,579", "12,391,580")
    (inbox / "山口県_実績報告書_修正版.txt").write_text(revised, encoding="utf-8")
    second = ingest(paths=[inbox], db=db)
    assert len(first.loaded) == len(second.loaded) == 1
    rows = _rows(
        db,
        "select declared_total_cost, is_current, superseded_by is not null from reports "
        "order by is_current",
    )
    assert rows == [(12_391_579, False, True), (12_391_580, True, False)]
    assert _rows(db, "select count(*), sum(declared_total_cost) from stg_reports") == [
        (1, 12_391_580)
    ]


def test_revisions_in_one_run_load_in_order_and_the_revision_wins(tmp_path: Path) -> None:
    inbox, db = _inbox(tmp_path), tmp_path / "w.duckdb"
    revised = REAL_REPORT.read_text(encoding="utf-8").replace("12,391,579", "12,391,580")
    (inbox / "a_修正版.txt").write_text(revised, encoding="utf-8")
    ingest(paths=[inbox], db=db)
    assert _rows(db, "select declared_total_cost from reports where is_current") == [(12_391_580,)]


def test_a_clerks_correction_takes_a_file_out_of_quarantine(tmp_path: Path) -> None:
    """A report nobody can read as sent (a period written 「通年」) is quarantined; the clerk
    writes a corrections file keyed by its SHA-256; the next run loads it with the fix, kept
    with who made it and why, and the source file is never touched."""
    import hashlib

    from tests.hostile import form

    inbox, db, fixes = tmp_path / "inbox", tmp_path / "w.duckdb", tmp_path / "corrections"
    inbox.mkdir()
    report = inbox / "period.txt"
    report.write_text(form(period="通年"), encoding="utf-8")
    before = report.read_bytes()
    first = ingest(paths=[inbox], db=db, corrections=fixes)
    assert [p for p, _ in first.quarantined] == [str(report)]
    fixes.mkdir()
    sha = hashlib.sha256(before).hexdigest()
    (fixes / "period.toml").write_text(
        f'sha256 = "{sha}"\ncorrected_by = "見本 花子"\nreason = "県に電話で確認"\n'
        '[[fix]]\nfield = "実施期間"\nvalue = "令和3年4月1日 ~ 令和4年3月31日"\n',
        encoding="utf-8",
    )
    (fixes / "broken.toml").write_text("sha256 = 'nope'", encoding="utf-8")
    second = ingest(paths=[inbox], db=db, corrections=fixes)
    assert second.loaded == [str(report)] and second.corrected == [str(report)]
    assert any("訂正ファイルを使えません" in r and "16進64桁" in r for _, r in second.not_read)
    assert _rows(db, "select status, read_path from source_files") == [("loaded", "text")]
    assert _rows(db, "select period_start::varchar from reports") == [("2021-04-01",)]
    assert _rows(
        db, "select field, value, corrected_by, reason, provenance from mart_corrections"
    ) == [
        (
            "実施期間",
            "令和3年4月1日 ~ 令和4年3月31日",
            "見本 花子",
            "県に電話で確認",
            "corrected by hand",
        )
    ]
    assert _rows(
        db, "select provenance, corrected_fields, corrected_by from mart_data_quality"
    ) == [("corrected by hand", 1, "見本 花子")]
    assert report.read_bytes() == before  # the source file is never modified
    third = ingest(paths=[inbox], db=db, corrections=fixes)
    assert third.unchanged == [str(report)] and third.loaded == []


def test_a_correction_to_a_loaded_file_replaces_what_it_loaded(tmp_path: Path) -> None:
    """A loaded report was misread (or sent with a wrong value) and has since been revised:
    the clerk corrects the old file. The next run reads it again and replaces its rows (no
    second copy), the revision stays superseded; withdrawing the correction restores it."""
    import hashlib

    from tests.hostile import form

    inbox, db, fixes = tmp_path / "inbox", tmp_path / "w.duckdb", tmp_path / "corrections"
    inbox.mkdir()
    old = inbox / "a.txt"
    old.write_text(form(), encoding="utf-8")
    ingest(paths=[inbox], db=db, corrections=fixes)
    revised = form(section8="<p>県とNPOと大学の協働</p>")
    assert revised != form()
    (inbox / "a_修正版.txt").write_text(revised, encoding="utf-8")
    ingest(paths=[inbox], db=db, corrections=fixes)
    tables = ("reports", "report_sections", "expense_items", "contacts", "validation_issues")
    counts = {t: _rows(db, f"select count(*) from {t}") for t in tables}
    fixes.mkdir()
    sha = hashlib.sha256(old.read_bytes()).hexdigest()
    (fixes / "a.toml").write_text(
        f'sha256 = "{sha}"\ncorrected_by = "見本 花子"\nreason = "県に確認"\n'
        '[[fix]]\nfield = "3"\nvalue = "訂正した趣旨"\n',
        encoding="utf-8",
    )
    corrected = ingest(paths=[inbox], db=db, corrections=fixes)
    assert corrected.loaded == [str(old)] and corrected.corrected == [str(old)]
    assert {t: _rows(db, f"select count(*) from {t}") for t in tables} == counts
    body = f"select body from report_sections join reports using (report_id) \
        where section_no = 3 and source_sha256 = '{sha}'"
    assert _rows(db, body) == [("訂正した趣旨",)]
    assert _rows(db, "select count(*) from reports where is_current") == [(1,)]
    assert _rows(db, f"select is_current from reports where source_sha256 = '{sha}'") == [(False,)]
    assert _rows(db, "select count(*) from corrections") == [(1,)]
    (fixes / "a.toml").unlink()
    withdrawn = ingest(paths=[inbox], db=db, corrections=fixes)
    assert withdrawn.loaded == [str(old)] and withdrawn.corrected == []
    assert _rows(db, body) != [("訂正した趣旨",)]
    assert _rows(db, "select count(*) from corrections") == [(0,)]
    assert {t: _rows(db, f"select count(*) from {t}") for t in tables} == counts
    again = ingest(paths=[inbox], db=db, corrections=fixes)
    assert again.loaded == []


def test_a_correction_that_does_not_fit_a_quarantined_file_keeps_its_own_reason(
    tmp_path: Path,
) -> None:
    """A clerk's correction naming a cell the file does not have never stops the run: the
    file stays in quarantine with its own reason and code, the others load."""
    import hashlib

    from tests.hostile import form

    inbox, db, fixes = _inbox(tmp_path), tmp_path / "w.duckdb", tmp_path / "corrections"
    bad = inbox / "period.txt"
    bad.write_text(form(period="通年"), encoding="utf-8")
    fixes.mkdir()
    sha = hashlib.sha256(bad.read_bytes()).hexdigest()
    (fixes / "c.toml").write_text(
        f'sha256 = "{sha}"\ncorrected_by = "見本 花子"\nreason = "確認"\n'
        '[[fix]]\nfield = "経費.99.総事業費"\nvalue = "1"\n',
        encoding="utf-8",
    )
    summary = ingest(paths=[inbox], db=db, corrections=fixes)
    assert summary.loaded == [str(inbox / REAL_REPORT.name)]
    assert [(p, "実施期間" in r) for p, r in summary.quarantined] == [(str(bad), True)]
    assert _rows(db, "select reason_code from source_files where status = 'quarantined'") == [
        ("period_unreadable",)
    ]
    (not_read,) = summary.not_read  # the corrections file, with the field and what to change
    assert not_read[0] == str(fixes / "c.toml")
    assert "経費.99.総事業費" in not_read[1] and "行は 1～" in not_read[1]


@pytest.mark.parametrize("field", ["実施期日", "経費.9.総事業費"])
def test_a_correction_that_does_not_fit_a_loaded_file_leaves_it_loaded(
    tmp_path: Path, field: str
) -> None:
    """Problem 1 of issue 23: a clerk's typo in a corrections file for a loaded report
    failed every run (DataCheckFailed loaded_files_have_reports); the report stays loaded
    as it was and the warehouse is the same."""
    import hashlib

    inbox, db, fixes = _inbox(tmp_path), tmp_path / "w.duckdb", tmp_path / "corrections"
    ingest(paths=[inbox], db=db, corrections=fixes)
    before = dump_warehouse(db, with_source_files=False)
    fixes.mkdir()
    sha = hashlib.sha256((inbox / REAL_REPORT.name).read_bytes()).hexdigest()
    (fixes / "typo.toml").write_text(
        f'sha256 = "{sha}"\ncorrected_by = "見本 花子"\nreason = "確認"\n'
        f'[[fix]]\nfield = "{field}"\nvalue = "1"\n',
        encoding="utf-8",
    )
    for _night in range(2):
        summary = ingest(paths=[inbox], db=db, corrections=fixes)
        assert summary.quarantined == [] and summary.corrected == []
        (not_read,) = summary.not_read  # every night, until the clerk fixes it
        assert not_read[0] == str(fixes / "typo.toml") and f"field「{field}」" in not_read[1]
        assert dump_warehouse(db, with_source_files=False) == before
        assert _rows(db, "select status from source_files") == [("loaded",)]
        assert _rows(db, "select count(*) from corrections") == [(0,)]


def test_a_file_named_relative_then_absolute_is_one_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Problem 2 of issue 23: `make sample` names files from the checkout (data/sample/…),
    the scheduled run by absolute paths; the night after logged every file as a duplicate
    of itself. A file has one identity: the second run finds nothing new."""
    monkeypatch.chdir(tmp_path)
    inbox, db = _inbox(tmp_path), tmp_path / "w.duckdb"
    first = ingest(paths=[inbox.relative_to(tmp_path)], db=db)
    night = ingest(paths=[inbox], db=db)
    report = str((inbox / REAL_REPORT.name).resolve())
    assert first.loaded == [report]
    assert (night.loaded, night.duplicates, night.unchanged) == ([], [], [report])
    assert _rows(db, "select path, status from source_files") == [(report, "loaded")]


def test_a_failed_run_explains_itself_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Problem 5 of issue 23: a failed data check ended in a raw DataCheckFailed traceback,
    no artifact, no hint. Now one line says what happened, which check and what to do: on
    the console (no traceback without --verbose), in the run's state and in its artifact."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterKey,
        FlowRunFilter,
        FlowRunFilterId,
    )

    from jokatsu.cli import EXIT_FAILED, main
    from warehouse import checks

    monkeypatch.setattr(
        checks, "data_check_failures", lambda conn: {"loaded_files_have_reports": [("ab12", 1)]}
    )
    inbox, db = _inbox(tmp_path), tmp_path / "w.duckdb"
    state = ingest(paths=[inbox], db=db, return_state=True)
    assert state.is_failed() and state.message
    assert "loaded_files_have_reports" in state.message and "maintainers" in state.message
    assert "nothing was published" in state.message and "\n" not in state.message
    run_id = state.state_details.flow_run_id
    assert run_id is not None
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-summary"])),
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])),
        )
    (artifact,) = artifacts
    from extract.text import markdown_text

    text = str(artifact.data)
    assert "取り込み失敗" in text and markdown_text(state.message) in text
    assert not db.exists()  # nothing published
    capsys.readouterr()
    assert main(["ingest", str(inbox), "--db", str(db)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "Traceback" not in err
    (line,) = [line for line in err.splitlines() if line.strip()]
    assert line.startswith("jokatsu: ingest failed, nothing was published")
    assert "loaded_files_have_reports" in line
