"""Zip bundles, as e-mail attachments arrive: the files a bundle holds, each to be read as a
file of its own, with its place in the bundle.

A bundle (PKWARE's APPNOTE.TXT, the .ZIP File Format Specification) may hold folders, other
bundles, and names written by Windows' Explorer in the code page of a Japanese Windows
(CP932) without the UTF-8 flag (general purpose bit 11). A name is decoded as its writer
wrote it: UTF-8 when bit 11 says so, else the Info-ZIP Unicode Path extra field (0x7075)
when it has one that matches, else UTF-8 when the bytes are valid UTF-8 (macOS writes it
without the flag), else CP932, else the specification's CP437. Nothing is written to disk.

Limits (:class:`extract.limits.BundleLimits`, settings of the run) bound what a bundle may
cost before any of it is read as a report: members, bytes after unpacking (counted as they
are unpacked, never trusted from the headers), nesting depth, and the compression ratio of a
large member (a zip bomb). A bundle over a limit is refused whole (:class:`BundleRefused`, a
reason a clerk can act on); a member that cannot be unpacked (encrypted, damaged, a
compression method Python lacks, a link, macOS's metadata) is refused alone with its reason
(:class:`RefusedMember`), and the others are read.
"""

from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from extract.errors import QuarantineError, ReasonCode, UnreadableFile
from extract.limits import BundleLimits

BUNDLE_SUFFIXES = (".zip",)


@dataclass(frozen=True)
class Member:
    """A file in a bundle: its place (folders and inner bundles, joined by 「/」) and bytes."""

    path: str
    data: bytes


@dataclass(frozen=True)
class RefusedMember:
    """A member the bundle holds but that cannot be unpacked, with the reason and its code."""

    path: str
    reason: str
    code: str


@dataclass(frozen=True)
class Unpacked:
    """What a bundle holds: its files (nested bundles unpacked) and the members refused."""

    members: tuple[Member, ...] = ()
    refused: tuple[RefusedMember, ...] = ()


class BundleRefused(QuarantineError):
    """The bundle as a whole is not unpacked (not a zip, over a limit, a zip bomb)."""

    code: ReasonCode = "bundle_refused"


def is_bundle(name: str) -> bool:
    return name.lower().endswith(BUNDLE_SUFFIXES)


@dataclass
class _Budget:
    limits: BundleLimits
    members: int = 0
    total: int = 0
    found: list[Member] = field(default_factory=list)
    refused: list[RefusedMember] = field(default_factory=list)


_UNICODE_PATH = 0x7075


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its writer wrote it (see the module's docstring)."""
    if info.flag_bits & 0x800:
        name = info.orig_filename
    else:
        raw = info.orig_filename.encode("cp437")  # zipfile decoded the bytes as CP437
        name = _unicode_path(info.extra, raw) or _decoded(raw)
    return name.replace("\\", "/")


def _decoded(raw: bytes) -> str:
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("cp437")


def _unicode_path(extra: bytes, raw: bytes) -> str | None:
    """The Info-ZIP Unicode Path extra field's name, when it is for this name (its CRC-32)."""
    at = 0
    while at + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, at)
        body = extra[at + 4 : at + 4 + size]
        at += 4 + size
        if tag == _UNICODE_PATH and len(body) >= 5 and body[0] == 1:
            (crc,) = struct.unpack_from("<I", body, 1)
            if crc == zlib.crc32(raw):
                try:
                    return body[5:].decode("utf-8")
                except UnicodeDecodeError:
                    return None
    return None


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f}"


def _bomb(path: str) -> BundleRefused:
    return BundleRefused(
        f"zip の中の「{path}」が、展開すると極端に大きくなります（壊れた zip か、読み手を止める"
        "ために作られた zip です）。中のファイルを zip にせずに送り直してください。",
        "bundle_bomb",
    )


def unpack(data: bytes, limits: BundleLimits | None = None) -> Unpacked:
    """Every file of a zip bundle, nested bundles unpacked (their members' paths start with
    the inner bundle's place: 「添付/内訳.zip/報告書.xlsx」). Raises :class:`BundleRefused`."""
    budget = _Budget(limits or BundleLimits())
    _unpack(data, "", 1, budget)
    return Unpacked(tuple(budget.found), tuple(budget.refused))


def _open(data: bytes, where: str) -> zipfile.ZipFile:
    if not data:
        raise UnreadableFile("空のファイルです（0 バイト）。送り直してください。", "empty_file")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        place = f"zip の中の「{where}」" if where else "zip ファイル"
        raise BundleRefused(
            f"{place}として開けません（壊れているか、zip ではありません）。"
            "作り直して送り直してください。",
            "bundle_damaged",
        ) from None


def _unpack(data: bytes, prefix: str, depth: int, budget: _Budget) -> None:
    limits = budget.limits
    with _open(data, prefix.rstrip("/")) as bundle:
        for info in bundle.infolist():
            name = member_name(info)
            if info.is_dir() or name.endswith("/"):
                continue  # a folder: its files carry it in their names
            path = prefix + name.lstrip("/")
            budget.members += 1
            if budget.members > limits.max_members:
                raise BundleRefused(
                    f"zip の中のファイルが多すぎます（{limits.max_members:,} 個まで）。"
                    "報告書だけを送ってください。",
                    "bundle_too_many_members",
                )
            refusal = _refusal(info, name)
            if refusal is not None:
                budget.refused.append(RefusedMember(path, *refusal))
                continue
            content = _read(bundle, info, path, budget)
            if content is None:
                continue
            if is_bundle(name):
                if depth >= limits.max_depth:
                    budget.refused.append(
                        RefusedMember(
                            path,
                            f"zip の中の zip が深すぎます（{limits.max_depth} 重まで）。中は読み"
                            "ません。zip にせずに送り直してください。",
                            "bundle_too_deep",
                        )
                    )
                    continue
                try:
                    _unpack(content, path + "/", depth + 1, budget)
                except (BundleRefused, UnreadableFile) as exc:
                    if exc.code in ("bundle_bomb", "bundle_too_many_members", "bundle_too_large"):
                        raise
                    budget.refused.append(RefusedMember(path, str(exc), exc.code))
                continue
            budget.found.append(Member(path, content))


def _refusal(info: zipfile.ZipInfo, name: str) -> tuple[str, str] | None:
    """Why a member is refused before it is unpacked, or None."""
    base = PurePosixPath(name).name
    if name.startswith("__MACOSX/") or base.startswith("._") or base == ".DS_Store":
        return (
            "macOS が zip に加えた付属情報です（報告書ではありません）。読みません。",
            "bundle_member_os_metadata",
        )
    if info.flag_bits & 0x1:
        return (
            "パスワード付きの zip のファイルです。パスワードは受け取らないため読めません。"
            "パスワードを付けずに送り直してください。",
            "bundle_member_encrypted",
        )
    if stat.S_ISLNK(info.external_attr >> 16):
        return (
            "zip の中のリンクです（ファイルではありません）。読みません。",
            "bundle_member_link",
        )
    if info.compress_type not in (
        zipfile.ZIP_STORED,
        zipfile.ZIP_DEFLATED,
        zipfile.ZIP_BZIP2,
        zipfile.ZIP_LZMA,
    ):
        return (
            f"zip の圧縮方式（{info.compress_type}）に対応していません。標準の方式（Deflate）で"
            "zip を作り直して送り直してください。",
            "bundle_member_unsupported_compression",
        )
    return None


def _read(
    bundle: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, budget: _Budget
) -> bytes | None:
    """The member's bytes, counted against the limits as they are unpacked."""
    limits = budget.limits
    chunks: list[bytes] = []
    size = 0
    try:
        with bundle.open(info) as member:
            while chunk := member.read(1024 * 1024):
                size += len(chunk)
                budget.total += len(chunk)
                if budget.total > limits.max_total_bytes:
                    raise BundleRefused(
                        f"zip を展開すると大きすぎます（{_mb(limits.max_total_bytes)} MB まで）。"
                        "報告書だけを送ってください。",
                        "bundle_too_large",
                    )
                if size > limits.bomb_floor and size > limits.max_ratio * max(
                    info.compress_size, 1
                ):
                    raise _bomb(path)
                if size > limits.max_member_bytes:
                    budget.refused.append(
                        RefusedMember(
                            path,
                            f"ファイルが大きすぎます（上限 {_mb(limits.max_member_bytes)} MB）。"
                            "様式の報告書か確認してください。",
                            "file_limit",
                        )
                    )
                    return None
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        budget.refused.append(
            RefusedMember(
                path,
                "zip の中のこのファイルが壊れていて取り出せません。zip を作り直して送り直して"
                "ください。",
                "bundle_member_damaged",
            )
        )
        return None
    return b"".join(chunks)
