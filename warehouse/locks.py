"""One process at a time: a lock file held with ``flock`` and stamped with the holder's pid.

The warehouse's one-writer lock (``warehouse/publish.py``) and the one-scheduler lock of a
deployment (``flows/schedule.py``) are both this; it lives here, on the lowest floor that
uses it, so that both may import it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from extract.errors import JokatsuError


class UnsafeLockFile(JokatsuError):
    """The lock file is a link, a FIFO or a device: jokatsu will not write its pid there."""


def open_lock_file(path: Path) -> TextIO:
    """The lock file, created if missing, opened never through a link (its target would be
    truncated) nor into a FIFO or device (:class:`UnsafeLockFile`); other trouble of the
    file system raises its ``OSError``."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeLockFile(
                f"{path} is a link (to {os.path.realpath(path)}): jokatsu writes its pid into "
                "the lock file and will not write through a link; remove the link and run again"
            ) from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UnsafeLockFile(
            f"{path} is not a regular file: remove it (jokatsu creates it) and run again"
        )
    return os.fdopen(fd, "a+")


@contextlib.contextmanager
def pid_lock(
    path: Path,
    stamp: str,
    busy: Callable[[str], Exception],
    opened: Callable[[Path], TextIO] = open_lock_file,
) -> Iterator[None]:
    """Hold the lock at ``path`` while the block runs, its file reading ``<stamp> pid <pid>``;
    if another process holds it, raise ``busy(holder)`` at once (``holder``: what that one
    wrote, or "another process"). The stamp is cleared on the way out."""
    with opened(path) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise busy(handle.read().strip() or "another process") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{stamp} pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
