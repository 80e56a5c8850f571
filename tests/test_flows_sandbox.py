"""Guarded reads: limits per file, enforced in worker processes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from extract import source_info
from extract.errors import FileLimitExceeded, UnreadableFile
from flows.sandbox import FileChanged, GuardedReader, Limits
from tests.conftest import REAL_REPORT
from tests.support import decompression_bomb_pdf


@pytest.fixture
def guard() -> GuardedReader:
    reader = GuardedReader(Limits(seconds=3, memory_mb=768, workers=1))
    yield reader  # type: ignore[misc]
    reader.close()


def _source(path: Path):  # type: ignore[no-untyped-def]
    return source_info(str(path), path.read_bytes())


def test_a_normal_file_reads_in_a_worker(guard: GuardedReader) -> None:
    doc = guard.read(_source(REAL_REPORT))
    assert doc.prefecture_line == "都道府県名: 山口県"


def test_a_read_that_stalls_is_stopped_at_the_time_limit(guard: GuardedReader) -> None:
    started = time.monotonic()
    with pytest.raises(FileLimitExceeded, match="longer than 3 s"):
        guard.read(_source(REAL_REPORT), reader="tests.support:slow_reader")
    assert time.monotonic() - started < 15
    assert guard.read(_source(REAL_REPORT)).title  # the pool carries on


def test_a_read_that_eats_memory_is_stopped_at_the_memory_limit(guard: GuardedReader) -> None:
    with pytest.raises(FileLimitExceeded, match="more than 768 MB"):
        guard.read(_source(REAL_REPORT), reader="tests.support:greedy_reader")


def test_a_decompression_bomb_is_stopped(guard: GuardedReader, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(decompression_bomb_pdf(1200))
    assert bomb.stat().st_size < 5 * 1024 * 1024
    with pytest.raises(FileLimitExceeded, match="memory"):
        guard.read(_source(bomb))


def test_a_reader_that_kills_its_process_blames_only_that_file(guard: GuardedReader) -> None:
    with pytest.raises(UnreadableFile, match="died"):
        guard.read(_source(REAL_REPORT), reader="tests.support:crashing_reader")
    assert guard.read(_source(REAL_REPORT)).title


def test_a_file_that_changed_since_the_scan(guard: GuardedReader, tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(REAL_REPORT.read_bytes())
    source = _source(path)
    path.write_bytes(REAL_REPORT.read_bytes() + b"\n")
    with pytest.raises(FileChanged):
        guard.read(source)


def test_limits_are_validated() -> None:
    with pytest.raises(ValueError):
        Limits(seconds=0)
    with pytest.raises(ValueError):
        Limits(memory_mb=10)
