"""Which files a run must read: pure decisions from what the warehouse already knows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from extract.model import SourceInfo
from flows.files import discover
from transform.corrections import Fingerprint

__all__ = ["Known", "Plan", "discover", "plan_run"]


@dataclass(frozen=True)
class Known:
    """One ``source_files`` row."""

    sha256: str
    path: str
    status: str
    pipeline_version: str
    corrections: Fingerprint = frozenset()  # the clerks' fixes applied when it was loaded


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
    corrected: Mapping[str, Fingerprint] | None = None,
) -> Plan:
    """Decide per file: skip (same path and content seen), duplicate, or read.

    - a path whose content was loaded or recorded before is skipped (idempotent runs);
    - content already loaded (or read earlier in this run) under another path is a duplicate;
    - content quarantined before is read again when the pipeline version changed since, when
      ``retry_quarantined`` is set, or when a clerk's correction exists for it (``corrected``:
      the corrections' fingerprints by SHA-256); otherwise it stays quarantined;
    - a loaded file is read again when its corrections changed since it was loaded (a clerk
      corrected a misread value, changed a correction or withdrew it);
    - anything else is read.
    """
    known = list(known)
    corrected = corrected or {}
    by_path = {(k.sha256, k.path): k for k in known}
    loaded_at = {k.sha256: k.path for k in known if k.status == "loaded"}
    plan = Plan()
    claimed: dict[str, str] = {}
    for source in sources:
        seen = by_path.get((source.sha256, source.path))
        fixes = corrected.get(source.sha256, frozenset())
        retry = seen is not None and (
            (
                seen.status == "quarantined"
                and (
                    retry_quarantined
                    or seen.pipeline_version != pipeline_version
                    or source.sha256 in corrected
                )
            )
            or (seen.status == "loaded" and seen.corrections != fixes)
        )
        if seen is not None and not retry:
            if seen.status == "quarantined":
                plan.already_quarantined.append(source)
            else:
                plan.unchanged.append(source)
            continue
        original = loaded_at.get(source.sha256) or claimed.get(source.sha256)
        if original is not None and original != source.path:
            plan.duplicates.append((source, original))
            continue
        claimed[source.sha256] = source.path
        plan.to_read.append(source)
    return plan
