"""Zip bundles in an inbox (issue 22): each report file a bundle holds is a file of the run,
read like any other, with its place in the bundle (``SourceInfo.bundle_*``, stored in the
warehouse's ``bundle_members``). The bundle is unpacked in memory (:mod:`extract.bundle`,
with its limits) when the run is planned, and again in the worker that reads a member, which
checks the bundle's and the member's SHA-256 against the plan's."""

from __future__ import annotations

from pathlib import Path

from extract import detect_format
from extract.bundle import Member, unpack
from extract.errors import QuarantineError
from extract.model import SourceInfo, sha256_hex
from flows.files import Refused, display, read_bounded
from flows.limits import Limits

# Members that are the operating system's, not anyone's file (refused by extract/bundle.py
# with this code): passed over like hidden files in a folder.
_OS_METADATA = "bundle_member_os_metadata"


def bundle_sources(
    path: Path, limits: Limits
) -> tuple[list[SourceInfo], list[Path], list[Refused]]:
    """A bundle's report files as the run's sources (in the bundle's order), its other files
    (skipped, like files of no report type in a folder), and what was refused with reasons
    (the bundle as a whole, or members that cannot be unpacked), under ``limits.max_bytes``
    (the bundle and each member) and ``limits.bundle``."""
    data = read_bounded(str(path), limits.max_bytes)
    bundle_sha = sha256_hex(data)
    where = display(path)
    try:
        unpacked = unpack(data, limits.bundle)
    except QuarantineError as exc:
        return [], [], [Refused(where, str(exc))]
    sources: list[SourceInfo] = []
    skipped: list[Path] = []
    for member in unpacked.members:
        place = f"{where}/{member.path}"
        fmt = detect_format(member.path)
        if fmt is None:
            skipped.append(Path(place))
            continue
        sources.append(
            SourceInfo(
                sha256=sha256_hex(member.data),
                path=place,
                size_bytes=len(member.data),
                format=fmt,
                bundle_sha256=bundle_sha,
                bundle_path=str(path),
                member=member.path,
            )
        )
    refused = [
        Refused(f"{where}/{r.path}", r.reason) for r in unpacked.refused if r.code != _OS_METADATA
    ]
    return sources, skipped, refused


def member_bytes(source: SourceInfo, limits: Limits) -> bytes:
    """The bytes of a bundle's member (in a worker), or none when the bundle is no longer the
    one the run planned (its SHA-256) or lacks the member: the caller's check of the member's
    own SHA-256 then refuses it as changed since the plan."""
    assert source.bundle_path is not None and source.member is not None
    data = read_bounded(source.bundle_path, limits.max_bytes)
    if sha256_hex(data) != source.bundle_sha256:
        return b""  # the bundle changed since the plan: the caller's hash check says so
    members = unpack(data, limits.bundle).members
    found: list[Member] = [m for m in members if m.path == source.member]
    return found[0].data if found else b""
