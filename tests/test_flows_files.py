"""The file system as input (flows/files.py): what is found, refused, and how it is read."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from flows import files
from flows.files import FileUnavailable, discover, hash_file, open_regular, read_bounded


def _write(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _reasons(found: files.Discovery) -> dict[str, str]:
    return {Path(r.path).name: r.reason for r in found.refused}


def test_only_regular_files_inside_the_folder_are_found(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    report = _write(inbox / "a.txt")
    _write(tmp_path / "outside.txt")
    os.mkfifo(inbox / "pipe.txt")
    (inbox / "inside_link.txt").symlink_to(report)
    (inbox / "outside_link.txt").symlink_to(tmp_path / "outside.txt")
    (inbox / "zero.pdf").symlink_to("/dev/zero")
    (inbox / "broken.txt").symlink_to(inbox / "gone.txt")
    (inbox / "loop").symlink_to(inbox, target_is_directory=True)
    found = discover([inbox])
    assert found.found == [report]  # the link to it is the same file: read once
    reasons = _reasons(found)
    assert "通常のファイルではありません" in reasons["pipe.txt"]
    assert "フォルダの外" in reasons["outside_link.txt"]
    assert "フォルダの外" in reasons["zero.pdf"]
    assert "見つかりません" in reasons["broken.txt"]
    assert "フォルダへのリンク" in reasons["loop"]


def test_a_link_inside_the_folder_to_another_file_is_followed(tmp_path: Path) -> None:
    target = _write(tmp_path / "inbox" / "sub" / "b.txt", "other")
    (tmp_path / "inbox" / "b_link.txt").symlink_to(target)
    found = discover([tmp_path / "inbox"])
    # the link comes first, and names the same file: found once, by its resolved path
    assert found.found == [target.resolve()]


def test_folders_are_searched_to_a_depth(tmp_path: Path) -> None:
    shallow = _write(tmp_path / Path(*["d"] * files.MAX_DEPTH) / "ok.txt")
    _write(tmp_path / Path(*["d"] * (files.MAX_DEPTH + 1)) / "deep.txt")
    found = discover([tmp_path])
    assert found.found == [shallow]
    assert any("深すぎます" in r.reason for r in found.refused)


def test_a_path_named_twice_is_found_once(tmp_path: Path) -> None:
    report = _write(tmp_path / "a.txt")
    found = discover([tmp_path, report, tmp_path, Path(str(tmp_path) + "/./a.txt")])
    assert found.found == [report]


def test_a_name_that_is_not_utf8_is_refused_and_shown_escaped(tmp_path: Path) -> None:
    _write(tmp_path / os.fsdecode(b"r\xff.txt"))
    found = discover([tmp_path])
    assert found.found == []
    (refused,) = found.refused
    assert refused.path.endswith("r\\xff.txt") and "UTF-8" in refused.reason
    refused.path.encode("utf-8")  # printable and storable


def test_hashes_stream_and_stop_at_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(b"%PDF-" + b"x" * (3 * files.CHUNK))
    source = hash_file(path, 10 * files.CHUNK)
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (source.size_bytes, source.format) == (path.stat().st_size, "pdf")
    with pytest.raises(FileUnavailable, match="大きすぎます"):
        hash_file(path, files.CHUNK)
    sparse = tmp_path / "huge.pdf"
    with open(sparse, "wb") as handle:
        handle.truncate(100 * 1024**3)
    with pytest.raises(FileUnavailable, match="102,400 MB"):
        hash_file(sparse, 200 * 1024 * 1024)  # refused from its size, nothing read


def test_a_fifo_is_never_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(FileUnavailable, match="通常のファイルではありません"):
        open_regular(str(fifo))  # no writer: a blocking open would wait for ever
    with pytest.raises(FileUnavailable, match="通常のファイルではありません"):
        read_bounded("/dev/zero", 1024)


def test_files_that_vanish_or_cannot_be_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(FileUnavailable, match="見つかりません"):
        read_bounded(str(tmp_path / "gone.txt"), 1024)

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    report = _write(tmp_path / "a.txt")
    monkeypatch.setattr("flows.files.os.open", refuse)  # root opens anything: pretend it may not
    with pytest.raises(FileUnavailable, match="権限がありません"):
        hash_file(report, 1024)
