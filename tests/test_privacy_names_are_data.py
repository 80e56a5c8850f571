"""Names are data, never markup or control codes (issue 24 items 4-5): file names, sheet names
and every value the Prefect artifact quotes are escaped for Markdown and HTML; control
characters and newlines in names are shown escaped on the terminal, in the log and in the
exports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from extract.errors import NotAReport
from extract.text import markdown_text, shown
from flows.summary import ErrorIssue, IngestSummary
from tests.conftest import REAL_REPORT
from transform.records import IssueRecord

IMG = "<img src=http://127.0.0.1:9/x>.pdf"  # a path: the folder 「<img src=http:」 and so on
IMG_NAME = "<img src=x onerror=alert(1)>.pdf"  # one file name (no 「/」 in it)
BELL = "bell\x07\x1b[2J\x1b]0;owned\x07.txt"
FORGED = "r\nloaded: 999\nquarantined: 0\nr.txt"
# Prefect's UI renders the artifact as Markdown with HTML; CommonMark with HTML and tables
# is the same question: does any tag, image or link come out of a value?
RENDER = MarkdownIt("commonmark", {"html": True}).enable("table")


@pytest.mark.parametrize(
    ("raw", "seen"),
    [
        ("a\x1bb", "a\\x1bb"),
        ("a\x07b", "a\\x07b"),
        ("a\nb\r\tc", "a\\nb\\r\\tc"),
        ("a\x7f\x85b", "a\\x7f\\x85b"),
        ("a\u2028b\u202ec", "a\\u2028b\\u202ec"),
        ("見本　報告書.pdf", "見本　報告書.pdf"),  # ideographic space is printable
    ],
)
def test_control_characters_are_shown_escaped(raw: str, seen: str) -> None:
    assert shown(raw) == seen


@pytest.mark.parametrize(
    "value",
    [
        IMG,
        "[click](http://example.com/x)",
        "![x](http://example.com/x.png)",
        "<script>alert(1)</script>",
        "**bold** _em_ `code` ~~gone~~ a | b",
        "http://example.com www.example.com",
        "&lt;img src=x&gt;",
    ],
)
def test_a_markdown_value_renders_as_itself(value: str) -> None:
    html = RENDER.render(f"| a |\n| --- |\n| {markdown_text(value)} |\n")
    for tag in ("<img", "<a ", "<script", "<strong", "<em", "<code", "<s>", "<del"):
        assert tag not in html
    cell = html.split("<td>")[1].split("</td>")[0]
    assert cell == value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;"
    )


def test_messages_are_one_line_where_they_are_made() -> None:
    assert str(NotAReport("シート「a\nb」")) == "シート「a\\nb」"
    assert IssueRecord("period", "warning", "x\x1b[2Jy").message == "x\\x1b[2Jy"


def _summary() -> IngestSummary:
    return IngestSummary(
        loaded=["/inbox/ok.txt"],
        quarantined=[(f"/inbox/{IMG}", "壊れています"), (f"/inbox/{BELL}", "壊れています")],
        not_read=[(f"/inbox/{FORGED}", "通常のファイルではありません")],
        errors=[ErrorIssue(f"/inbox/{FORGED}", "total_mismatch", "合計 [x](http://e)")],
    )


def test_the_console_summary_and_log_lines_cannot_be_forged_or_drive_the_terminal() -> None:
    summary = _summary()
    for text in (summary.to_text(), "\n".join(summary.log_lines())):
        assert "\x1b" not in text and "\x07" not in text
        assert not any(
            line.startswith(("loaded: 999", "quarantined: 0")) for line in text.splitlines()
        )
    assert "r\\nloaded: 999\\nquarantined: 0\\nr.txt" in summary.to_text()


def test_the_artifact_renders_no_tag_link_or_image() -> None:
    html = RENDER.render(_summary().markdown())
    assert "<img" not in html and "<a " not in html
    assert "&lt;img src=http://127.0.0.1:9/x&gt;.pdf" in html  # shown as the name it is
    assert "\\x1b" in html and "\x1b" not in html


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_hostile_file_names_through_the_real_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    from jokatsu.cli import main

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / IMG_NAME).write_bytes(b"%PDF-1.4 broken")
    (inbox / IMG).parent.mkdir(parents=True)
    (inbox / IMG).write_bytes(b"%PDF-1.4 broken too")
    (inbox / BELL).write_bytes(b"\x00" * 64)
    shutil.copy(REAL_REPORT, inbox / FORGED)
    db, out = tmp_path / "w.duckdb", tmp_path / "exports"
    assert main(["ingest", str(inbox), "--db", str(db)]) == 0
    console = capsys.readouterr()
    for text in (console.out, console.err):
        assert "\x1b" not in text and "\x07" not in text
        assert "loaded: 999" not in text.splitlines()
        assert "quarantined: 0" not in text.splitlines()
    assert "loaded: 1" in console.out.splitlines()
    assert "quarantined: 3" in console.out.splitlines()
    with get_client(sync_client=True) as client:
        (artifact, *_) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-summary"])),
            sort=ArtifactSort.UPDATED_DESC,
            limit=1,
        )
    html = RENDER.render(str(artifact.data))
    assert "<img" not in html and "<a " not in html and "\x1b" not in html
    assert main(["export", "--db", str(db), "--out", str(out)]) == 0
    reports = (out / "csv" / "reports.csv").read_text(encoding="utf-8-sig")
    assert "r\\nloaded: 999\\nquarantined: 0\\nr.txt" in reports
    quality = (out / "csv" / "data_quality.csv").read_text(encoding="utf-8-sig")
    assert "\x1b" not in quality and "\x07" not in quality and "bell\\x07\\x1b[2J" in quality
