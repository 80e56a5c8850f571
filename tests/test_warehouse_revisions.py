"""Revisions ordered by what the files say (issue #24, item 12): a 修正版 loaded one night and
its original the next used to make the original current, without a word."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import REAL_REPORT
from tests.support import load_into, pipeline
from warehouse.revisions import revision_rank

ORIGINAL_TOTAL = 12_391_579


def _version(folder: Path, name: str, total: int) -> Path:
    """The real report under ``name``, its first row and total raised to ``total``."""
    text = REAL_REPORT.read_text(encoding="utf-8")
    assert text.count(f"{ORIGINAL_TOTAL:,}") >= 1
    path = folder / name
    path.write_text(text.replace(f"{ORIGINAL_TOTAL:,}", f"{total:,}"), encoding="utf-8")
    return path


def _nights(folder: Path, *files: Path) -> Path:
    db = folder / "w.duckdb"
    for path in files:  # one run each: the second arrives the next night
        load_into(db, pipeline(path))
    return db


def _state(db: Path) -> tuple[list[tuple[int, bool]], list[tuple[int, str]]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        reports = conn.execute(
            "select declared_total_cost, is_current from reports order by declared_total_cost"
        ).fetchall()
        issues = conn.execute(
            "select r.declared_total_cost, i.message from validation_issues i "
            "join reports r using (report_id) where i.rule = 'revision_order'"
        ).fetchall()
    return reports, issues


def test_a_late_original_stays_superseded_by_its_revision(tmp_path: Path) -> None:
    revised = _version(tmp_path, "山口県_実績報告書_修正版.txt", ORIGINAL_TOTAL + 1)
    original = _version(tmp_path, "山口県_実績報告書.txt", ORIGINAL_TOTAL)
    db = _nights(tmp_path, revised, original)
    reports, issues = _state(db)
    assert reports == [(ORIGINAL_TOTAL, False), (ORIGINAL_TOTAL + 1, True)]
    ((on, message),) = issues
    assert on == ORIGINAL_TOTAL and "「山口県_実績報告書_修正版.txt」より後に届いた" in message
    with duckdb.connect(str(db), read_only=True) as conn:
        (successor,) = conn.execute(
            "select count(*) from reports o join reports r on o.superseded_by = r.report_id "
            "where not o.is_current and r.is_current"
        ).fetchone() or (0,)
        assert successor == 1
        assert conn.execute("select declared_total_cost from stg_reports").fetchall() == [
            (ORIGINAL_TOTAL + 1,)
        ]


def test_a_revision_after_its_original_wins_without_an_issue(tmp_path: Path) -> None:
    original = _version(tmp_path, "a.txt", ORIGINAL_TOTAL)
    revised = _version(tmp_path, "a_再送.txt", ORIGINAL_TOTAL + 1)
    reports, issues = _state(_nights(tmp_path, original, revised))
    assert reports == [(ORIGINAL_TOTAL, False), (ORIGINAL_TOTAL + 1, True)] and issues == []


def test_a_second_revision_beats_the_first_whatever_the_order(tmp_path: Path) -> None:
    second = _version(tmp_path, "a_修正版2.txt", ORIGINAL_TOTAL + 2)
    first = _version(tmp_path, "a_修正版.txt", ORIGINAL_TOTAL + 1)
    original = _version(tmp_path, "a.txt", ORIGINAL_TOTAL)
    reports, issues = _state(_nights(tmp_path, second, first, original))
    assert [current for _, current in reports] == [False, False, True]
    assert sorted(on for on, _ in issues) == [ORIGINAL_TOTAL, ORIGINAL_TOTAL + 1]


def test_when_the_files_do_not_say_which_is_newer_an_issue_says_so(tmp_path: Path) -> None:
    one = _version(tmp_path, "yamaguchi.txt", ORIGINAL_TOTAL)
    other = _version(tmp_path, "yamaguchi_r.txt", ORIGINAL_TOTAL + 1)
    reports, issues = _state(_nights(tmp_path, one, other))
    assert reports == [(ORIGINAL_TOTAL, False), (ORIGINAL_TOTAL + 1, True)]  # the later one
    ((on, message),) = issues
    assert on == ORIGINAL_TOTAL + 1 and "どちらが新しい版かファイルから分かりません" in message
    assert "「yamaguchi.txt」" in message


def test_the_same_report_in_another_file_raises_no_order_issue(tmp_path: Path) -> None:
    """A tie whose reports state the same figures (the form saved again in another format, as
    the re-save sweep sends it) changes nothing whichever is current: no warning."""
    one = _version(tmp_path, "yamaguchi.txt", ORIGINAL_TOTAL)
    again = _version(tmp_path, "yamaguchi_copy.txt", ORIGINAL_TOTAL)
    again.write_text(again.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # another file
    reports, issues = _state(_nights(tmp_path, one, again))
    assert reports == [(ORIGINAL_TOTAL, False), (ORIGINAL_TOTAL, True)]  # the later one
    assert issues == []


@pytest.mark.parametrize(
    ("name", "rank"),
    [
        ("山口県_実績報告書.txt", 0),
        ("山口県_修正版.txt", 1),
        ("山口県（再送）.pdf", 1),
        ("訂正_山口県.xlsx", 1),
        ("山口県_差し替え.docx", 1),
        ("山口県_差替.docx", 1),
        ("山口県_再提出.txt", 1),
        ("山口県_修正版2.txt", 2),
        ("山口県_修正版２.txt", 2),  # full-width digit
        ("山口県_再送(3).txt", 3),
        ("山口県_第2版.txt", 1),
        ("山口県_修正_20220415.txt", 1),  # a date is no revision number
        ("R4年度_山口県.txt", 0),
    ],
)
def test_revision_rank_reads_the_name(name: str, rank: int) -> None:
    assert revision_rank(name) == rank


def test_the_form_title_counts_too() -> None:
    assert revision_rank("r.txt", "地域女性活躍推進交付金実績報告書(都道府県分)（修正版）") == 1
