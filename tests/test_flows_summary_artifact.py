"""The run's artifact and summary as operators and clerks read them (issue 23, problems 4, 6
and 8): Japanese throughout, counts first, narrow tables with every column headed, the long
texts in a list under each table, the SHA-256 and a corrections file ready to fill in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flows.summary import ErrorIssue, IngestSummary
from transform.corrections import corrections_skeleton, parse_correction

SHA = "b75168460d201e43" + "0" * 48
LONG = "経費の内訳 3行目 ① 総事業費(A): 「12,3,4」を金額として読めません。" * 4


def _summary() -> IngestSummary:
    return IngestSummary(
        loaded=["/srv/inbox/ok.txt", "/srv/inbox/total.txt"],
        quarantined=[("/srv/inbox/山口県_令和3年度.pdf", LONG)],
        still_quarantined=[("/srv/inbox/old.xlsx", "壊れています。送り直してください。")],
        errors=[ErrorIssue("/srv/inbox/total.txt", "total_mismatch", LONG)],
        skipped=[f"/srv/inbox/truth_{n}.json" for n in range(63)] + ["/srv/inbox/README"],
        sha256={"/srv/inbox/山口県_令和3年度.pdf": SHA, "/srv/inbox/old.xlsx": "c" * 64},
    )


def test_the_artifact_puts_the_counts_first_in_japanese() -> None:
    text = _summary().markdown()
    title = text.splitlines()[0]
    assert title == ("# 取り込み結果: 読み込み 2 件、隔離 2 件（今回 1・以前から 1）、エラー 1 件")
    assert not re.search(r"[a-z]{3,}", title)  # no English words in the title


def test_every_table_column_is_headed_and_tables_stay_narrow() -> None:
    text = _summary().markdown()
    tables = [line for line in text.splitlines() if line.startswith("|")]
    headers = [
        line for i, line in enumerate(tables) if i + 1 < len(tables) and "---" in tables[i + 1]
    ]
    assert headers
    for header in headers:
        cells = [c.strip() for c in header.strip("|").split("|")]
        assert all(cells), header  # was: the quarantine table's 今回/以前から had none
    for line in tables:
        assert len(line) < 80, line  # the long reasons and messages are in the lists
    assert LONG.replace("(", "\\(").replace(")", "\\)")[:20] in text  # under its table


def test_each_quarantined_file_has_its_sha256_and_a_corrections_file_to_fill_in() -> None:
    text = _summary().markdown()
    assert f"SHA-256: `{SHA}`" in text and f"SHA-256: `{'c' * 64}`" in text
    assert text.count('sha256 = "') == 2
    filled = corrections_skeleton(SHA).replace('corrected_by = ""', 'corrected_by = "見本 花子"')
    filled = filled.replace('reason = ""', 'reason = "電話で確認"')
    filled = filled.replace('field = ""', 'field = "実施期間"').replace('value = ""', 'value = "x"')
    assert parse_correction(filled).sha256 == SHA


def test_the_console_summary_names_the_sha256_and_what_it_skipped() -> None:
    text = _summary().to_text()
    assert f"    SHA-256: {SHA}" in text
    assert "64 files that are not reports: (none) 1, .json 63" in text


def test_the_console_shows_paths_under_the_working_directory_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warehouse keeps each file's resolved path (one identity); the console shows the
    operator the path as they would type it from where they are, and any other whole."""
    monkeypatch.chdir(tmp_path)
    inside, outside = str(tmp_path / "inbox" / "bad.pdf"), "/elsewhere/other.pdf"
    text = IngestSummary(
        quarantined=[(inside, "壊れています。"), (outside, "壊れています。")],
        not_read=[(str(tmp_path / "inbox" / "gone.txt"), "ありません。")],
    ).to_text()
    assert f"  {Path('inbox', 'bad.pdf')}: 壊れています。" in text
    assert f"  {outside}: 壊れています。" in text
    assert f"  {Path('inbox', 'gone.txt')}: ありません。" in text
    assert str(tmp_path) not in text
