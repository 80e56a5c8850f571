from __future__ import annotations

from pathlib import Path

from extract.model import SourceInfo
from flows.plan import Known, discover, plan_run


def _src(sha: str, path: str) -> SourceInfo:
    return SourceInfo(sha256=sha, path=path, size_bytes=1, format="txt")


def test_discover_finds_report_files_recursively_and_skips_the_rest(tmp_path: Path) -> None:
    for name in ["a.txt", "sub/b.PDF", "sub/deep/c.xlsx", "d.docx", "e.xls", "f.tsv"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    for name in ["truth.json", ".hidden.txt", "README.md"]:
        (tmp_path / name).write_text("x")
    found = discover([tmp_path])
    names = sorted(p.name for p in found.found)
    assert names == ["a.txt", "b.PDF", "c.xlsx", "d.docx", "e.xls", "f.tsv"]
    assert sorted(p.name for p in found.skipped) == [".hidden.txt", "README.md", "truth.json"]
    single = discover([tmp_path / "a.txt"])
    assert (single.found, single.skipped, single.refused) == ([tmp_path / "a.txt"], [], [])


def test_new_files_are_read_and_identical_content_is_a_duplicate() -> None:
    plan = plan_run([_src("s1", "a"), _src("s1", "b"), _src("s2", "c")], [], "1")
    assert [s.path for s in plan.to_read] == ["a", "c"]
    assert [(s.path, o) for s, o in plan.duplicates] == [("b", "a")]


def test_known_files_are_not_read_again() -> None:
    known = [Known("s1", "a", "loaded", "1"), Known("s2", "x", "duplicate", "1")]
    plan = plan_run([_src("s1", "a"), _src("s2", "x"), _src("s1", "renamed")], known, "1")
    assert [s.path for s in plan.unchanged] == ["a", "x"]
    assert [(s.path, o) for s, o in plan.duplicates] == [("renamed", "a")]
    assert plan.to_read == []


def test_quarantined_files_are_retried_on_a_new_version_or_when_asked() -> None:
    known = [Known("s1", "a", "quarantined", "1")]
    assert [s.path for s in plan_run([_src("s1", "a")], known, "1").already_quarantined] == ["a"]
    assert [s.path for s in plan_run([_src("s1", "a")], known, "2").to_read] == ["a"]
    assert [s.path for s in plan_run([_src("s1", "a")], known, "1", True).to_read] == ["a"]


def test_a_quarantined_file_with_a_clerks_correction_is_read_again() -> None:
    fix = frozenset({("実施期間", "令和3年4月1日 ~ 令和4年3月31日", "見本 花子", "確認")})
    known = [Known("s1", "a", "quarantined", "1"), Known("s2", "b", "loaded", "1", fix)]
    sources = [_src("s1", "a"), _src("s2", "b")]
    plan = plan_run(sources, known, "1", corrected={"s1": fix, "s2": fix})
    assert [s.path for s in plan.to_read] == ["a"]  # b was loaded with this very fix
    assert [s.path for s in plan.unchanged] == ["b"]


def test_a_loaded_file_is_read_again_when_its_corrections_change() -> None:
    """A clerk corrects a misread value of a loaded file, changes a correction, or withdraws
    it: the next run reads the file again (not as a duplicate of itself)."""
    old = frozenset({("表題", "旧", "見本 花子", "確認")})
    new = frozenset({("表題", "新", "見本 花子", "確認")})
    known = [Known("s1", "a", "loaded", "1"), Known("s2", "b", "loaded", "1", old)]
    sources = [_src("s1", "a"), _src("s2", "b"), _src("s2", "copy")]
    assert [s.path for s in plan_run(sources, known, "1", corrected={"s1": new}).to_read] == [
        "a",
        "b",  # its correction was withdrawn
    ]
    plan = plan_run(sources, known, "1", corrected={"s2": new})
    assert [s.path for s in plan.to_read] == ["b"]
    assert [(s.path, original) for s, original in plan.duplicates] == [("copy", "b")]
    assert [s.path for s in plan_run(sources, known, "1", corrected={"s2": old}).to_read] == []
