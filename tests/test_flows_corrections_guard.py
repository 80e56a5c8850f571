"""The corrections folder through the inbox's guards (issue #24, item 8): a FIFO named
``x.toml`` hung planning forever, a link to ``/dev/zero`` grew the process to 2.7 GB, a link
out of the folder was followed and a 300 MB corrections file was read whole."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import flows.files
from flows.files import FileUnavailable, read_small_file
from flows.planning import load_corrections

SHA = "ab" * 32
GOOD = f'sha256 = "{SHA}"\ncorrected_by = "見本 花子"\nreason = "電話で確認した"\n'
GOOD += '[[fix]]\nfield = "1"\nvalue = "訂正した事業名"\n'


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    fixes = tmp_path / "corrections"
    fixes.mkdir()
    (fixes / "good.toml").write_text(GOOD, encoding="utf-8")
    return fixes


def _refusals(folder: Path) -> dict[str, str]:
    found, refused = load_corrections(folder)
    assert list(found) == [SHA]  # the good file still counts
    return {Path(r.path).name: r.reason for r in refused}


def test_a_fifo_is_refused_without_blocking(folder: Path) -> None:
    os.mkfifo(folder / "x.toml")
    assert "通常のファイルではありません" in _refusals(folder)["x.toml"]


def test_a_link_to_dev_zero_is_refused(folder: Path) -> None:
    (folder / "zero.toml").symlink_to("/dev/zero")
    assert "フォルダの外" in _refusals(folder)["zero.toml"]


def test_a_link_out_of_the_folder_is_not_followed(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.toml"
    outside.write_text(GOOD.replace("ab", "cd"), encoding="utf-8")
    (folder / "out.toml").symlink_to(outside)
    assert "フォルダの外" in _refusals(folder)["out.toml"]


def test_a_link_within_the_folder_is_followed(folder: Path) -> None:
    (folder / "same.toml").symlink_to(folder / "good.toml")
    found, refused = load_corrections(folder)
    assert refused == [] and len(found[SHA]) == 2


def test_a_300_mb_file_is_refused_unread(folder: Path) -> None:
    with open(folder / "big.toml", "wb") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse: nothing written, nothing read
    assert "ファイルが大きすぎます（300 MB、上限 1 MB）" in _refusals(folder)["big.toml"]


def test_a_device_inside_the_folder_is_refused(folder: Path) -> None:
    (folder / "dir.toml").mkdir()
    assert "通常のファイルではありません" in _refusals(folder)["dir.toml"]


def test_a_read_that_never_ends_is_given_up(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read blocked for good (a hung network share) is abandoned after the time limit."""
    never = threading.Event()

    def blocked(path: str, max_bytes: int) -> bytes:
        never.wait()
        return b""

    monkeypatch.setattr(flows.files, "read_bounded", blocked)
    with pytest.raises(FileUnavailable, match="秒以内に読み終わりません"):
        read_small_file(folder / "good.toml", folder, seconds=0.05)
    never.set()


def test_the_corrections_limits_come_from_the_settings(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``corrections_max_mb`` and ``corrections_seconds`` reach the reading of the folder."""
    from flows.settings import Settings

    padded = GOOD.replace("ab", "cd") + "# 余白\n" * 200_000  # 1.8 MB of valid TOML
    (folder / "long.toml").write_text(padded, encoding="utf-8")
    found, refused = load_corrections(folder, Settings(corrections_max_mb=2).limits)
    assert sorted(found) == [SHA, "cd" * 32] and refused == []
    found, refused = load_corrections(folder, Settings(corrections_max_mb=1).limits)
    assert list(found) == [SHA]
    assert [(Path(r.path).name, "上限 1 MB" in r.reason) for r in refused] == [("long.toml", True)]
    never = threading.Event()

    def blocked(path: str, max_bytes: int) -> bytes:
        never.wait()
        return b""

    monkeypatch.setattr(flows.files, "read_bounded", blocked)
    try:
        found, refused = load_corrections(folder, Settings(corrections_seconds=0.05).limits)
    finally:
        never.set()
    assert found == {}
    assert {Path(r.path).name for r in refused} == {"good.toml", "long.toml"}
    assert all("0.05秒以内に読み終わりません" in r.reason for r in refused)
