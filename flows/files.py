"""The file system as input: which files a run reads, opened and hashed safely.

Everything a run is given is untrusted, the folders as much as the files: a name that is
not UTF-8, a FIFO or a device where a report should be, a link out of the inbox (to
``/etc/shadow`` or ``/dev/zero``), a 100 GiB sparse file, folders nested without end, a
file that vanishes or cannot be opened. None of these may stop or hang a run. Each is
*refused* with a reason: listed in the run's summary and log on every run (it is tried again
the next night), and never opened for reading unless it is a regular file within limits.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extract.bundle import is_bundle
from extract.errors import JokatsuError
from extract.model import FORMAT_BY_SUFFIX, SourceInfo
from flows.limits import DEFAULT_LIMITS

# Folders below a given folder are searched this deep at most.
MAX_DEPTH = 32
# Files are read in chunks of this size, so that no file is held whole before its limit.
CHUNK = 1024 * 1024


class FileUnavailable(JokatsuError):
    """A file could not be opened this run (vanished, no permission, not a regular file).

    Not the file's content's fault: it is not recorded as quarantined, only reported, and
    tried again on the next run.
    """


@dataclass(frozen=True)
class Refused:
    """A path the run did not read, and why (shown in the summary, in Japanese)."""

    path: str
    reason: str


@dataclass
class Discovery:
    """What the given paths hold: report files, other files skipped, paths refused."""

    found: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)


def display(path: Path | str) -> str:
    """A path as text that can be printed and stored (undecodable bytes as ``\\xNN``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _is_utf8(path: Path) -> bool:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def discover(paths: Sequence[Path]) -> Discovery:
    """Report files under the given files and folders, each once, in a stable order, each
    by its resolved path: a file has one identity whatever path or working directory names
    it (``data/sample/x.pdf`` from the checkout and ``/srv/jokatsu/data/sample/x.pdf`` from
    the scheduler are one file, not a duplicate of itself).

    Folders are walked without following links to folders, at most :data:`MAX_DEPTH` deep;
    a link to a file is followed only when it stays inside the folder it was found in.
    Hidden files and other kinds of file (truth JSON, READMEs) are skipped; anything that
    is not a regular file (FIFO, socket, device), a name that is not UTF-8 and a link that
    leaves its folder are refused, never opened.
    """
    result = Discovery()
    seen: set[str] = set()

    def consider(path: Path, root_real: str | None) -> None:
        if not _is_utf8(path):
            result.refused.append(
                Refused(
                    display(path),
                    "ファイル名が UTF-8 ではないため読めません。名前を付け直してください。",
                )
            )
            return
        known = path.suffix.lower() in FORMAT_BY_SUFFIX or is_bundle(path.name)
        if path.name.startswith(".") or not known:
            result.skipped.append(path)
            return
        real = os.path.realpath(path)
        if root_real is not None and path.is_symlink() and not _within(real, root_real):
            result.refused.append(
                Refused(str(path), f"フォルダの外（{display(real)}）を指すリンクのため読みません。")
            )
            return
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            result.refused.append(Refused(str(path), _os_reason(exc)))
            return
        if not stat.S_ISREG(mode):
            result.refused.append(
                Refused(str(path), "通常のファイルではありません（FIFO・デバイス等）。読みません。")
            )
            return
        if real in seen:  # named twice (a folder and a file in it, or a folder twice)
            return
        seen.add(real)
        result.found.append(Path(real))

    for root in paths:
        if root.is_dir():
            _walk(root, os.path.realpath(root), consider, result)
        else:
            consider(root, None)
    return result


def _walk(
    root: Path, root_real: str, consider: Callable[[Path, str | None], None], result: Discovery
) -> None:
    stack: list[tuple[Path, int]] = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            result.refused.append(Refused(display(folder), _os_reason(exc)))
            continue
        subfolders: list[Path] = []
        for entry in listed:
            path = Path(entry.path)
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                if depth + 1 > MAX_DEPTH:
                    result.refused.append(
                        Refused(
                            display(path),
                            f"フォルダの階層が深すぎます（{MAX_DEPTH}階層まで）。中は読みません。",
                        )
                    )
                else:
                    subfolders.append(path)
            elif entry.is_symlink() and _points_to_folder(path):
                result.refused.append(Refused(display(path), "フォルダへのリンクはたどりません。"))
            else:
                consider(path, root_real)
        stack.extend((sub, depth + 1) for sub in reversed(subfolders))


def _points_to_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return (
            "ファイルが見つかりません（読み込みの途中で移動・削除されました）。"
            "次回の実行で読みます。"
        )
    if isinstance(exc, PermissionError):
        return "ファイルを開く権限がありません。権限を直せば次回の実行で読みます。"
    return f"ファイルを開けません（{exc.strerror or type(exc).__name__}）。次回の実行で読みます。"


def open_regular(path: str) -> int:
    """Open a file for reading only if it is a regular file (a FIFO never blocks the run:
    it is opened without blocking and refused). Returns the descriptor."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError | PermissionError):
            raise FileUnavailable(_os_reason(exc)) from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise FileUnavailable("通常のファイルではありません（FIFO・デバイス等）。読みません。")
    return fd


def too_large(size: int, max_bytes: int) -> str:
    mb, limit = size / 1024 / 1024, max_bytes / 1024 / 1024
    return (
        f"ファイルが大きすぎます（{mb:,.0f} MB、上限 {limit:,.0f} MB）。"
        "様式の報告書か確認してください。"
    )


def _chunks(path: str, max_bytes: int) -> Iterator[bytes]:
    """A regular file's bytes in chunks, refused (:class:`FileUnavailable`) as soon as its
    size, or what it yields, passes ``max_bytes`` (a file may grow while it is read)."""
    fd = open_regular(path)
    try:
        size = os.fstat(fd).st_size
        if size > max_bytes:
            raise FileUnavailable(too_large(size, max_bytes))
        total = 0
        while chunk := os.read(fd, CHUNK):
            total += len(chunk)
            if total > max_bytes:
                raise FileUnavailable(too_large(total, max_bytes))
            yield chunk
    finally:
        os.close(fd)


def read_bounded(path: str, max_bytes: int) -> bytes:
    """A regular file's bytes, refused (:class:`FileUnavailable`) beyond ``max_bytes``."""
    return b"".join(_chunks(path, max_bytes))


def hash_file(path: Path, max_bytes: int) -> SourceInfo:
    """Describe a report file by a streaming SHA-256 of its bytes (never held whole)."""
    digest = hashlib.sha256()
    total = 0
    for chunk in _chunks(str(path), max_bytes):
        digest.update(chunk)
        total += len(chunk)
    fmt = FORMAT_BY_SUFFIX[path.suffix.lower()]
    return SourceInfo(sha256=digest.hexdigest(), path=str(path), size_bytes=total, format=fmt)


def read_small_file(
    path: Path,
    folder: Path,
    max_bytes: int = DEFAULT_LIMITS.corrections_max_bytes,
    seconds: float = DEFAULT_LIMITS.corrections_seconds,
) -> bytes:
    """The bytes of a small input file found in ``folder`` (a clerk's corrections), under the
    inbox's guards: a link is followed only within the folder, only a regular file is opened
    (a FIFO or a device never blocks: :func:`open_regular`), nothing beyond ``max_bytes`` is
    read, and a read that does not finish within ``seconds`` is given up (the reading thread
    is left to end on its own). Each refusal is :class:`FileUnavailable` with its reason."""
    if not _is_utf8(path):
        raise FileUnavailable(
            "ファイル名が UTF-8 ではないため読めません。名前を付け直してください。"
        )
    real = os.path.realpath(path)
    if path.is_symlink() and not _within(real, os.path.realpath(folder)):
        raise FileUnavailable(f"フォルダの外（{display(real)}）を指すリンクのため読みません。")
    outcome: dict[str, bytes | BaseException] = {}

    def read() -> None:
        try:
            outcome["data"] = read_bounded(str(path), max_bytes)
        except BaseException as exc:  # handed to the waiting thread
            outcome["error"] = exc

    reader = threading.Thread(target=read, name=f"read {path.name}", daemon=True)
    reader.start()
    reader.join(seconds)
    if reader.is_alive():
        raise FileUnavailable(f"{seconds:g}秒以内に読み終わりません。読みません。")
    error = outcome.get("error")
    if isinstance(error, OSError):
        raise FileUnavailable(_os_reason(error)) from None
    if isinstance(error, BaseException):
        raise error
    data = outcome["data"]
    assert isinstance(data, bytes)
    return data
