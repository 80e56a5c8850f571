"""Planning a run (flows/planning.py): the decision per file, hashing, and what is known
before Prefect starts."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from extract.model import SourceInfo
from flows.files import discover
from flows.planning import PIPELINE_VERSION, hash_files, plan_run, prepare
from tests.conftest import REAL_REPORT, ROOT, SAMPLE
from warehouse.catalog import KnownFile as Known
from warehouse.load import Duplicate
from warehouse.publish import publishing_writer, write_lock


def _src(sha: str, path: str) -> SourceInfo:
    return SourceInfo(sha256=sha, path=path, size_bytes=1, format="txt")


def test_discover_finds_report_files_recursively_and_skips_the_rest(tmp_path: Path) -> None:
    for name in ["a.txt", "sub/b.PDF", "sub/deep/c.xlsx", "d.docx", "e.xls", "f.tsv", "g.csv"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    for name in ["truth.json", ".hidden.txt", "README.md"]:
        (tmp_path / name).write_text("x")
    found = discover([tmp_path])
    names = sorted(p.name for p in found.found)
    assert names == ["a.txt", "b.PDF", "c.xlsx", "d.docx", "e.xls", "f.tsv", "g.csv"]
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
    assert [q.source.path for q in plan_run([_src("s1", "a")], known, "1").already_quarantined] == [
        "a"
    ]
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


def test_files_hash_in_load_order_with_revisions_last(tmp_path: Path) -> None:
    for name, age in (("b.txt", 30), ("a_修正.txt", 20), ("c.txt", 10)):
        shutil.copy(REAL_REPORT, tmp_path / name)
        stamp = time.time() - age
        os.utime(tmp_path / name, (stamp, stamp))
    (tmp_path / "notes.json").write_text("{}")
    scan = hash_files([tmp_path])
    assert [Path(s.path).name for s in scan.sources] == ["b.txt", "c.txt", "a_修正.txt"]
    assert len({s.sha256 for s in scan.sources}) == 1
    assert scan.skipped == [tmp_path / "notes.json"]
    assert scan.refused == []


def test_a_new_warehouse_has_work_even_without_files(tmp_path: Path) -> None:
    prepared = prepare([tmp_path], tmp_path / "w.duckdb")
    assert prepared.needs_refresh and prepared.has_work  # the schema is to be made


def test_what_the_warehouse_knows_is_not_work(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(REAL_REPORT, inbox / "r.txt")
    db = tmp_path / "w.duckdb"
    prepared = prepare([inbox], db)
    assert [s.path for s in prepared.plan.to_read] == [str(inbox / "r.txt")]
    with write_lock(db), publishing_writer(db) as warehouse:
        warehouse.record_duplicates(
            [Duplicate(prepared.plan.to_read[0], "elsewhere.txt")], PIPELINE_VERSION, _now()
        )
    again = prepare([inbox], db)
    assert not again.has_work
    assert again.summary().unchanged == [str(inbox / "r.txt")]


def test_settings_and_planning_need_neither_prefect_nor_the_format_libraries() -> None:
    probe = (
        "import sys, jokatsu.cli, flows.planning, flows.guard, flows.settings\n"
        "flows.settings.load_settings()\n"
        "heavy = {'prefect', 'pdfplumber', 'openpyxl', 'docx', 'pandas'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_the_sample_plans_every_report_file(tmp_path: Path) -> None:
    prepared = prepare([SAMPLE], tmp_path / "w.duckdb")
    files = [p for p in SAMPLE.iterdir() if p.is_file() and not p.name.startswith(".")]
    assert len(prepared.plan.to_read) + len(prepared.plan.duplicates) == len(
        [p for p in files if p.suffix != ".json"]
    )


def _now() -> dt.datetime:
    from datetime import datetime

    return datetime.now()


def test_paths_that_cannot_be_read_are_reported_and_not_planned(tmp_path: Path) -> None:
    shutil.copy(REAL_REPORT, tmp_path / "r.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "shadow.txt").symlink_to("/etc/shadow")
    prepared = prepare([tmp_path], tmp_path / "w.duckdb")
    assert [s.path for s in prepared.plan.to_read] == [str(tmp_path / "r.txt")]
    summary = prepared.summary()
    assert sorted(Path(p).name for p, _ in summary.not_read) == ["pipe.txt", "shadow.txt"]
    text = summary.to_text()
    assert "not read (tried again next run): 2" in text and "フォルダの外" in text


@pytest.mark.usefixtures("prefect_harness")
def test_new_views_or_seeds_are_work_even_without_new_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version of jokatsu with other views or seeds (an edited activity dictionary, a newer
    sheet of published figures) refreshes them on the next run, new files or not."""
    from flows.ingest import ingest
    from warehouse import migrations

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(REAL_REPORT, inbox / "r.txt")
    db = tmp_path / "w.duckdb"
    ingest(paths=[inbox], db=db)
    assert not prepare([inbox], db).has_work
    monkeypatch.setattr(migrations, "definitions_digest", lambda: "another-version")
    assert prepare([inbox], db).has_work  # nothing new to read, but views/seeds to refresh
    ingest(paths=[inbox], db=db)
    assert not prepare([inbox], db).has_work


def _bundle(folder: Path) -> None:
    """A zip of a report, a 1.5 MB text and a bundle with a report inside it."""
    import io
    import zipfile

    def packed(members: list[tuple[str, bytes]]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
            for name, data in members:
                bundle.writestr(name, data)
        return out.getvalue()

    report = REAL_REPORT.read_bytes()
    inner = packed([("c.txt", report)])
    data = packed([("a.txt", report), ("long.txt", b"x" * (1536 * 1024)), ("inner.zip", inner)])
    (folder / "bundle.zip").write_bytes(data)


def test_a_bundles_limits_come_from_the_settings(tmp_path: Path) -> None:
    """``bundle_max_members``, ``bundle_max_mb`` and ``bundle_max_depth`` bound the bundle;
    ``read_max_mb`` bounds each of its members as it bounds a file outside a bundle."""
    from flows.settings import Settings

    _bundle(tmp_path)

    def scanned(**settings: Any) -> tuple[list[str], list[str]]:
        scan = hash_files([tmp_path], Settings(**settings).limits)
        return [Path(s.path).name for s in scan.sources], [r.reason for r in scan.refused]

    assert scanned() == (["a.txt", "long.txt", "c.txt"], [])
    assert scanned(bundle_max_members=4) == (["a.txt", "long.txt", "c.txt"], [])
    names, (reason,) = scanned(bundle_max_members=3)
    assert names == [] and "3 個まで" in reason
    names, (reason,) = scanned(bundle_max_mb=1)
    assert names == [] and "1 MB まで" in reason
    names, (reason,) = scanned(bundle_max_depth=1)
    assert names == ["a.txt", "long.txt"] and "1 重まで" in reason
    names, (reason,) = scanned(read_max_mb=1)
    assert names == ["a.txt", "c.txt"] and "上限 1 MB" in reason
