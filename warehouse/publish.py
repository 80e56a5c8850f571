"""Publishing: one writer at a time, and readers never blocked nor shown half a run.

A run holds a lock file next to the database (:func:`write_lock`), builds the next warehouse
in a copy (``<db>.next``) and swaps it in by an atomic rename when the run is done
(:func:`publishing_writer`); analysts read the live file (:func:`read_only`) all the while.
The disk's faults (full, read-only, no permission) become one :class:`WarehouseError` that
says what to do; a file that is no warehouse is refused, never written into.

A ``<db>.wal`` beside the live file is never jokatsu's (a run writes only the copy, and
checkpoints and closes it before the swap): it is what a program that opened the live file
read-write and exited without a checkpoint left behind. DuckDB ties a WAL to its file's exact
checkpoint, so after the swap it would break every later open ("WAL … older version of this
database"). The run sets it aside (:func:`set_aside_wal`: renamed ``<db>.wal.set-aside-<UTC
time>``, kept, and said in the run's notices) before copying and again after the swap; its
changes, made outside a run, are not published.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import duckdb

from warehouse.db import open_refusal, table_names, wal_path
from warehouse.errors import WarehouseBusy, WarehouseError
from warehouse.locks import UnsafeLockFile, open_lock_file, pid_lock
from warehouse.store import Warehouse


# -- opening the file ----------------------------------------------------------------------
def _lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def staging_path(db_path: Path) -> Path:
    """Where a run builds the next warehouse before swapping it in."""
    return db_path.with_name(db_path.name + ".next")


def _open_lock(db_path: Path) -> TextIO:
    """The warehouse's lock file (:func:`warehouse.locks.open_lock_file`), its refusals as
    one :class:`WarehouseError` that says what to do."""
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        return open_lock_file(_lock_path(db_path))
    except UnsafeLockFile as exc:
        raise WarehouseError(str(exc)) from None
    except OSError as exc:
        raise _machine_error(exc, db_path, "locking the warehouse") from None


def _busy(db_path: Path) -> Callable[[str], WarehouseBusy]:
    def busy(holder: str) -> WarehouseBusy:
        return WarehouseBusy(
            f"{db_path} is being written by {holder}; wait for that run to finish and try again"
        )

    return busy


def ensure_not_busy(db_path: Path) -> None:
    """Raise :class:`WarehouseBusy` now if another run holds the lock (the command checks
    before starting Prefect, so that the refusal is one line, not a failed flow's traceback;
    the run itself takes the lock with :func:`write_lock`): the lock is taken and let go."""
    with write_lock(db_path):
        pass


def write_lock(db_path: Path) -> contextlib.AbstractContextManager[None]:
    """Hold the one-writer lock of a warehouse, or raise :class:`WarehouseBusy` at once
    (:func:`warehouse.locks.pid_lock`, its file ``<db>.lock``)."""
    return pid_lock(
        _lock_path(db_path), "jokatsu", _busy(db_path), opened=lambda _: _open_lock(db_path)
    )


def _machine_error(exc: BaseException, path: Path, doing: str) -> WarehouseError:
    """One line that says what happened to the warehouse's folder and what to do."""
    folder = path.parent
    errno_ = getattr(exc, "errno", None)
    text = str(exc)
    if errno_ == errno.ENOSPC or "No space left" in text:
        return WarehouseError(
            f"the disk holding {folder} is full while {doing}: free space there (the run "
            "needs about twice the warehouse's size) and run again; nothing was published"
        )
    if errno_ == errno.EROFS or "Read-only file system" in text:
        return WarehouseError(
            f"{folder} is on a read-only file system: point --db (or setting db) at a "
            "writable folder; nothing was published"
        )
    if errno_ in (errno.EACCES, errno.EPERM) or "Permission denied" in text:
        return WarehouseError(
            f"no permission to write in {folder} while {doing}: give this user write access "
            "to the folder or choose another --db; nothing was published"
        )
    return WarehouseError(f"{doing} {path} failed: {text[:300]}; nothing was published")


def set_aside_wal(db_path: Path, now: datetime | None = None) -> str | None:
    """Move a WAL beside the live file out of the way; what was done, for the run's notices
    (None: there was none). The caller holds :func:`write_lock`."""
    wal = wal_path(db_path)
    if not wal.exists():
        return None
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    aside = wal.with_name(f"{wal.name}.set-aside-{stamp}")
    try:
        os.replace(wal, aside)
    except FileNotFoundError:
        return None  # its owner checkpointed it away meanwhile
    except OSError as exc:
        raise _machine_error(exc, db_path, "moving a stale WAL aside") from None
    return (
        f"{wal.name} was left beside the warehouse by a program that opened it read-write "
        f"and did not close it: moved aside to {aside.name} (its changes, made outside "
        "jokatsu ingest, are not in the warehouse)"
    )


def _open(db_path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        conn = duckdb.connect(str(db_path), read_only=read_only)
    except duckdb.Error as exc:
        if (explained := open_refusal(exc, db_path)) is not None:
            raise explained from None
        raise _machine_error(exc, db_path, "opening") from None
    tables = table_names(conn)
    if tables and "schema_migrations" not in tables:
        conn.close()
        raise WarehouseError(
            f"{db_path} is a DuckDB database but not a jokatsu warehouse (it has tables of "
            "its own): name another --db, jokatsu will not write into it"
        )
    return conn


@contextlib.contextmanager
def read_only(db_path: Path) -> Iterator[Warehouse | None]:
    """The live warehouse opened read-only, or None when it does not exist yet."""
    if not db_path.exists():
        yield None
        return
    conn = _open(db_path, read_only=True)
    try:
        yield Warehouse(conn)
    finally:
        conn.close()


@contextlib.contextmanager
def existing(db_path: Path) -> Iterator[Warehouse]:
    """The live warehouse read-only; :class:`WarehouseError` when there is none yet."""
    with read_only(db_path) as warehouse:
        if warehouse is None:
            raise WarehouseError(f"no warehouse at {db_path}: run jokatsu ingest first")
        yield warehouse


def _leftovers(db_path: Path) -> list[Path]:
    staging = staging_path(db_path)
    return [staging, staging.with_name(staging.name + ".wal")]


def _check_free_space(db_path: Path) -> None:
    """The copy needs the warehouse's size again, and the run's new rows: refuse early."""
    size = db_path.stat().st_size if db_path.exists() else 0
    needed = size + max(size // 2, 64 * 1024 * 1024)
    free = shutil.disk_usage(db_path.parent).free
    if free < needed:
        raise WarehouseError(
            f"not enough free space in {db_path.parent}: the run needs about "
            f"{needed // 2**20:,} MB (a copy of the {size // 2**20:,} MB warehouse and its new "
            f"rows), {free // 2**20:,} MB are free; free space there and run again"
        )


@contextlib.contextmanager
def publishing_writer(db_path: Path) -> Iterator[Warehouse]:
    """Write into a copy of the warehouse and swap it in atomically when the block ends.

    The caller holds :func:`write_lock`. If the block raises (or the process dies), the
    live file is untouched and the half-built copy is thrown away (here, or by the next
    run). The disk's faults (full, read-only, no permission) become one
    :class:`WarehouseError` that says what to do.
    """
    staging = staging_path(db_path)
    notices: list[str] = []
    try:
        for leftover in _leftovers(db_path):
            leftover.unlink(missing_ok=True)
        _check_free_space(db_path)
        if db_path.exists():
            _refuse_held_open(db_path)
            if (notice := set_aside_wal(db_path)) is not None:
                notices.append(notice)
            _open(db_path, read_only=True).close()  # a file that is no warehouse is refused
            shutil.copyfile(db_path, staging)
    except OSError as exc:
        _discard(db_path)
        raise _machine_error(exc, db_path, "copying the warehouse") from None
    try:
        conn = _open(staging, read_only=False)
    except BaseException:
        _discard(db_path)
        raise
    try:
        warehouse = Warehouse(conn)
        warehouse.notices = notices
        warehouse.migrate()
        yield warehouse
        conn.execute("checkpoint")
    except BaseException as exc:
        conn.close()
        _discard(db_path)
        if isinstance(exc, OSError | duckdb.IOException | duckdb.FatalException):
            raise _machine_error(exc, db_path, "writing the warehouse") from None
        raise
    conn.close()
    try:
        _fsync(staging)
        os.replace(staging, db_path)
        _fsync(db_path.parent)
    except OSError as exc:
        _discard(db_path)
        raise _machine_error(exc, db_path, "publishing the warehouse") from None
    # One written meanwhile (a program opened the old file read-write during the run) cannot
    # belong to the file just swapped in, which was checkpointed and closed as the copy.
    if (notice := set_aside_wal(db_path)) is not None:
        notices.append(notice)


def _refuse_held_open(db_path: Path) -> None:
    """A program holding the live file read-write may still write its WAL: refuse to run
    rather than move a WAL in use (the read-only open says who holds it)."""
    if wal_path(db_path).exists():
        with contextlib.suppress(WarehouseError):  # a stale WAL: moved aside next
            _open(db_path, read_only=True).close()


def _discard(db_path: Path) -> None:
    for leftover in _leftovers(db_path):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
