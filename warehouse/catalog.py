"""What the warehouse knows of files (``source_files``), read without pandas: planning a
run needs only this, and a night with nothing new must start fast."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import duckdb

from transform.corrections import Fingerprint
from warehouse.db import table_names

FileStatus = Literal["loaded", "duplicate", "quarantined"]


@dataclass(frozen=True)
class KnownFile:
    """One ``source_files`` row, with the clerks' fixes the file was loaded with."""

    sha256: str
    path: str
    status: FileStatus
    pipeline_version: str
    corrections: Fingerprint = frozenset()
    reason: str | None = None  # why it is quarantined (or whose duplicate it is)


def applied_corrections(conn: duckdb.DuckDBPyConnection) -> dict[str, Fingerprint]:
    """The clerks' fixes each loaded file was loaded with (its corrections' fingerprint,
    :func:`transform.corrections.fingerprint`), by SHA-256."""
    if "corrections" not in table_names(conn):
        return {}
    found: dict[str, set[tuple[str, str, str, str]]] = {}
    rows = conn.execute(
        "select source_sha256, field, value, corrected_by, reason from corrections"
    ).fetchall()
    for sha, field, value, who, why in rows:
        found.setdefault(sha, set()).add((field, value, who, why))
    return {sha: frozenset(fixes) for sha, fixes in found.items()}


def known_files(conn: duckdb.DuckDBPyConnection) -> list[KnownFile]:
    """Every file the warehouse has seen, by content and path."""
    if "source_files" not in table_names(conn):
        return []
    applied = applied_corrections(conn)
    rows = conn.execute("select sha256, path, status, pipeline_version, reason from source_files")
    return [
        KnownFile(sha, path, status, version, applied.get(sha, frozenset()), reason)
        for sha, path, status, version, reason in rows.fetchall()
    ]
