"""Which files a run must read: pure decisions from what the warehouse already knows."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from extract.model import SourceInfo
from flows.files import discover

__all__ = ["Known", "Plan", "discover", "plan_run"]


@dataclass(frozen=True)
class Known:
    """One ``source_files`` row."""

    sha256: str
    path: str
    status: str
    pipeline_version: str


@dataclass
class Plan:
    """What to do with each file of a run."""

    unchanged: list[SourceInfo] = field(default_factory=list)
    duplicates: list[tuple[SourceInfo, str]] = field(default_factory=list)
    to_read: list[SourceInfo] = field(default_factory=list)
    already_quarantined: list[SourceInfo] = field(default_factory=list)


def plan_run(
    sources: Iterable[SourceInfo],
    known: Iterable[Known],
    pipeline_version: str,
    retry_quarantined: bool = False,
    corrected: Collection[str] = (),
) -> Plan:
    """Decide per file: skip (same path and content seen), duplicate, or read.

    - a path whose content was loaded or recorded before is skipped (idempotent runs);
    - content already loaded (or read earlier in this run) under another path is a duplicate;
    - content quarantined before is read again when the pipeline version changed since, when
      ``retry_quarantined`` is set, or when a clerk's correction exists for it (``corrected``
      holds the SHA-256s); otherwise it stays quarantined;
    - anything else is read.
    """
    known = list(known)
    by_path = {(k.sha256, k.path): k for k in known}
    loaded_at = {k.sha256: k.path for k in known if k.status == "loaded"}
    plan = Plan()
    claimed: dict[str, str] = {}
    for source in sources:
        seen = by_path.get((source.sha256, source.path))
        retry = (
            seen is not None
            and seen.status == "quarantined"
            and (
                retry_quarantined
                or seen.pipeline_version != pipeline_version
                or source.sha256 in corrected
            )
        )
        if seen is not None and not retry:
            if seen.status == "quarantined":
                plan.already_quarantined.append(source)
            else:
                plan.unchanged.append(source)
            continue
        original = loaded_at.get(source.sha256) or claimed.get(source.sha256)
        if original is not None:
            plan.duplicates.append((source, original))
            continue
        claimed[source.sha256] = source.path
        plan.to_read.append(source)
    return plan
