"""Guarded reads: limits per file, enforced in worker processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from extract import source_info
from extract.errors import FileLimitExceeded
from flows.faults import ReaderCrashed
from flows.guard import FileChanged, GuardedReader
from flows.limits import Limits
from tests.conftest import REAL_REPORT
from tests.support import (
    crashing_reader,
    decompression_bomb_pdf,
    greedy_reader,
    recursing_reader,
    slow_reader,
)


@pytest.fixture
def guard() -> Iterator[GuardedReader]:
    """A guard whose time limit no test reaches (each test trips one limit, never a race
    between two: the suite must pass on a busy machine)."""
    reader = GuardedReader(Limits(seconds=300, memory_mb=768, workers=1))
    yield reader
    reader.close()


def _source(path: Path):  # type: ignore[no-untyped-def]
    return source_info(str(path), path.read_bytes())


def _source_of(content: Path, path: Path):  # type: ignore[no-untyped-def]
    """The SourceInfo of ``path`` as it was when it held ``content``'s bytes."""
    return source_info(str(path), content.read_bytes())


def test_a_normal_file_reads_in_a_worker(guard: GuardedReader) -> None:
    doc = guard.read(_source(REAL_REPORT))
    assert doc.prefecture_line == "都道府県名: 山口県"


def test_a_read_that_stalls_is_stopped_at_the_time_limit() -> None:
    """A reader that never returns (it only sleeps, so no other limit can trip) is stopped
    at the time limit, and the pool carries on with a fresh worker."""
    with GuardedReader(Limits(seconds=10, memory_mb=768, workers=1)) as hasty:
        with pytest.raises(FileLimitExceeded, match="制限時間（10 秒）"):
            hasty.read(_source(REAL_REPORT), read=slow_reader)
        assert hasty.read(_source(REAL_REPORT)).title


def test_a_read_that_eats_memory_is_stopped_at_the_memory_limit(guard: GuardedReader) -> None:
    with pytest.raises(FileLimitExceeded, match="メモリ（768 MB）"):
        guard.read(_source(REAL_REPORT), read=greedy_reader)


def test_a_decompression_bomb_is_stopped(guard: GuardedReader, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(decompression_bomb_pdf(1200))
    assert bomb.stat().st_size < 5 * 1024 * 1024
    # the time limit (300 s) is far beyond inflating 1.2 GB: only the memory limit trips
    with pytest.raises(FileLimitExceeded, match="メモリ"):
        guard.read(_source(bomb))
    assert guard.read(_source(REAL_REPORT)).title  # and the pool carries on


def test_a_reader_that_kills_its_process_blames_only_that_file(guard: GuardedReader) -> None:
    with pytest.raises(ReaderCrashed, match="異常終了"):
        guard.read(_source(REAL_REPORT), read=crashing_reader)
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
    with pytest.raises(ValueError):
        Limits(read_ahead=-1)
    with pytest.raises(ValueError):
        Limits(niceness=20)
    with pytest.raises(ValueError):
        Limits(files_per_worker=0)


def test_a_read_ahead_is_handed_to_the_read_that_asks_for_it(tmp_path: Path) -> None:
    limits = Limits(seconds=30, memory_mb=768, workers=1, read_ahead=1)
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    for path in (first, second):
        path.write_bytes(REAL_REPORT.read_bytes())
    with GuardedReader(limits) as reader:
        started = reader.read_ahead([_source(first), _source(second)])
        assert len(started) == 1  # capped at limits.read_ahead
        started[0].result(timeout=60)
        # Gone from disk once read ahead: only the read-ahead can still give its Document.
        first.unlink()
        taken = reader.process(_source_of(REAL_REPORT, first))
        assert taken.reports[0].report.prefecture_code == 35  # 山口県: read, normalised, checked
        assert {i.rule for i in taken.issues} == {"budget_label_not_allowed"}
        assert reader.process(_source(second)).reports[0].report.title


def test_a_file_changed_after_its_read_ahead_is_read_afresh(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(REAL_REPORT.read_bytes())
    with GuardedReader(Limits(seconds=30, memory_mb=768, workers=1)) as reader:
        reader.read_ahead([_source(path)])
        changed = REAL_REPORT.read_text(encoding="utf-8").replace("山口県", "広島県", 1)
        path.write_text(changed, encoding="utf-8")
        assert reader.process(_source(path)).reports[0].report.prefecture_code == 34  # 広島県


def test_the_run_mode_reads_ahead_locally_and_not_on_dask(tmp_path: Path) -> None:
    """The mode is decided once: locally a guarded reader starts on the planned files at
    once (before Prefect is up) and is handed to the flow; on Dask there is none."""
    from flows.runner import RunMode

    limits = Limits(seconds=30, memory_mb=768, workers=1)
    assert RunMode("tcp://127.0.0.1:8786").read_ahead(limits, [_source(REAL_REPORT)]) is None
    assert not RunMode("tcp://127.0.0.1:8786").guarded and RunMode().guarded
    assert RunMode().task_runner() is None
    reader = RunMode().read_ahead(limits, [_source(REAL_REPORT)])
    assert reader is not None
    try:
        assert reader.process(_source(REAL_REPORT)).reports[0].report.title
    finally:
        reader.close()
    assert reader._pool is None  # its workers are stopped


def test_a_reader_that_recurses_without_end_is_nested_too_deeply(guard: GuardedReader) -> None:
    """Issue #24: RecursionError is a RuntimeError, so it was taken for a broken pool and
    the ``nested_too_deeply`` reason could not be reached."""
    from flows.stages import Rejected
    from flows.stages import guard as guarded_step

    source = _source(REAL_REPORT)
    outcome = guarded_step(source, lambda: guard.read(source, read=recursing_reader))
    assert isinstance(outcome, Rejected) and outcome.code == "nested_too_deeply"
    assert guard.read(source).title  # the pool carries on
