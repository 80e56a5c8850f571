"""Planning a run: which files there are, what the warehouse knows of them, and what to do
with each (read, skip, record as a duplicate, leave in quarantine).

Nothing here imports Prefect (about 1.2 s of start-up): a night with no new files is
answered from the hashes alone (:func:`prepare`), and a night with work starts reading (see
:meth:`flows.runner.RunMode.read_ahead`) while Prefect and its server are still starting. The
decision itself (:func:`plan_run`) is a pure function of the files and the known files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Iterable, Mapping
from importlib import resources
from importlib.metadata import version
from pathlib import Path

from extract.bundle import is_bundle
from extract.model import SourceInfo
from flows.bundles import bundle_sources
from flows.files import (
    FileUnavailable,
    Refused,
    discover,
    display,
    hash_file,
    read_small_file,
)
from flows.limits import DEFAULT_LIMITS, Limits
from flows.summary import IngestSummary
from transform.corrections import (
    Correction,
    CorrectionError,
    Fingerprint,
    fingerprint,
    parse_correction,
)
from warehouse.catalog import KnownFile
from warehouse.load import Duplicate, Quarantined
from warehouse.publish import read_only
from warehouse.revisions import load_order


def _pipeline_version() -> str:
    """The package version plus a digest of the code and reference data that read files.

    A quarantined file is read again whenever this changes, so a reader fixed or added
    later picks up files it once refused, without anyone bumping a number.
    """
    digest = hashlib.sha256()
    for package in ("extract", "transform"):
        root = Path(str(resources.files(package)))
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".csv") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root.parent).as_posix().encode())
                digest.update(path.read_bytes())
    return f"{version('jokatsu')}+{digest.hexdigest()[:12]}"


PIPELINE_VERSION = _pipeline_version()


@dataclasses.dataclass
class Scan:
    """A run's files: report files hashed in load order, files skipped, paths refused."""

    sources: list[SourceInfo]
    skipped: list[Path]
    refused: list[Refused]


def hash_files(paths: list[Path], limits: Limits = DEFAULT_LIMITS) -> Scan:
    """Report files under the paths, in load order, with streaming hashes (none larger than
    ``limits.max_bytes`` is read; zip bundles unpacked under ``limits.bundle``); files
    skipped, and paths refused with their reasons."""
    found = discover(paths)
    sources: list[SourceInfo] = []
    refused = list(found.refused)
    skipped = list(found.skipped)
    for path in sorted(found.found, key=load_order):
        try:
            if is_bundle(path.name):
                members, other, refusals = bundle_sources(path, limits)
                sources += members
                skipped += other
                refused += refusals
                continue
            sources.append(hash_file(path, limits.max_bytes))
        except FileUnavailable as exc:
            refused.append(Refused(display(path), str(exc)))
        except OSError as exc:  # an I/O error on one file is reported, not fatal
            refused.append(Refused(display(path), f"ファイルを読めません（{exc.strerror}）。"))
    return Scan(sources, skipped, refused)


def load_corrections(
    folder: Path | None, limits: Limits = DEFAULT_LIMITS
) -> tuple[dict[str, tuple[Correction, ...]], list[Refused]]:
    """The clerks' corrections files (``*.toml`` in ``folder``) by the SHA-256 they correct,
    and the ones that cannot be used, with the reason (reported like a file not read); each
    read under ``limits.corrections_max_bytes`` and ``limits.corrections_seconds``."""
    found: dict[str, list[Correction]] = {}
    refused: list[Refused] = []
    if folder is None or not folder.is_dir():
        return {}, []
    for path in sorted(folder.glob("*.toml")):
        try:  # through the inbox's guards: links, FIFOs, devices, size, time
            data = read_small_file(
                path, folder, limits.corrections_max_bytes, limits.corrections_seconds
            )
            text = data.decode("utf-8")
            correction = parse_correction(text, display(path))
        except (CorrectionError, FileUnavailable, OSError, UnicodeDecodeError) as exc:
            refused.append(Refused(display(path), f"訂正ファイルを使えません: {exc}"))
            continue
        found.setdefault(correction.sha256, []).append(correction)
    return {sha: tuple(items) for sha, items in found.items()}, refused


@dataclasses.dataclass
class Plan:
    """What to do with each file of a run."""

    unchanged: list[SourceInfo] = dataclasses.field(default_factory=list)
    duplicates: list[Duplicate] = dataclasses.field(default_factory=list)
    to_read: list[SourceInfo] = dataclasses.field(default_factory=list)
    already_quarantined: list[Quarantined] = dataclasses.field(default_factory=list)


def plan_run(
    sources: Iterable[SourceInfo],
    known: Iterable[KnownFile],
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
                plan.already_quarantined.append(Quarantined(source, seen.reason or ""))
            else:
                plan.unchanged.append(source)
            continue
        original = loaded_at.get(source.sha256) or claimed.get(source.sha256)
        if original is not None and original != source.path:
            plan.duplicates.append(Duplicate(source, original))
            continue
        claimed[source.sha256] = source.path
        plan.to_read.append(source)
    return plan


def fingerprints(corrections: dict[str, tuple[Correction, ...]]) -> dict[str, Fingerprint]:
    """Each corrected file's corrections, as :func:`plan_run` compares them."""
    return {sha: fingerprint(fixes) for sha, fixes in corrections.items()}


def known_state(db: Path) -> tuple[list[KnownFile], bool]:
    """What the live warehouse knows of files, and whether it needs a refresh (migrations
    pending, or views and seeds other than this code's)."""
    with read_only(db) as live:
        if live is None:
            return [], True
        return live.known_files(), live.needs_refresh()


def open_problems(db: Path) -> tuple[int, int]:
    """What the live warehouse still holds for people to act on, whichever night it came
    from: files in quarantine, and error issues of current reports (``--strict``)."""
    with read_only(db) as live:
        if live is None:
            return 0, 0
        row = live.conn.execute(
            "select (select count(*) from source_files where status = 'quarantined'), "
            "(select count(*) from validation_issues v join reports r using (report_id) "
            "where v.severity = 'error' and r.is_current)"
        ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def planned_summary(plan: Plan, scan: Scan) -> IngestSummary:
    """The part of a run's summary that is known before any file is read."""
    return IngestSummary(
        unchanged=[s.path for s in plan.unchanged],
        still_quarantined=[(q.source.path, q.reason) for q in plan.already_quarantined],
        skipped=[display(p) for p in scan.skipped],
        not_read=[(r.path, r.reason) for r in scan.refused],
        sha256={q.source.path: q.source.sha256 for q in plan.already_quarantined},
    )


@dataclasses.dataclass
class Prepared:
    """A run's files, hashed, and what it would do with each (not yet under the write lock:
    the flow plans again under it, so this is a forecast used to start early)."""

    plan: Plan
    scan: Scan
    needs_refresh: bool  # migrations pending, or other views and seeds than this code's
    corrections: dict[str, tuple[Correction, ...]]
    seconds: float

    @property
    def has_work(self) -> bool:
        """Whether a run would change the warehouse (read, record a duplicate, migrate,
        refresh views and seeds)."""
        return self.needs_refresh or bool(self.plan.to_read or self.plan.duplicates)

    def summary(self) -> IngestSummary:
        """The summary of a run with nothing to do."""
        summary = planned_summary(self.plan, self.scan)
        summary.seconds = self.seconds
        return summary


def plan_files(
    scan: Scan,
    db: Path,
    retry_quarantined: bool,
    corrections_dir: Path | None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Plan, bool, dict[str, tuple[Correction, ...]]]:
    """Plan scanned files against the warehouse at ``db`` and the clerks' corrections (read
    under ``limits``): the plan, whether migrations are pending, the corrections by SHA-256
    (corrections files that cannot be used are added to the scan's refused paths)."""
    corrections, refused = load_corrections(corrections_dir, limits)
    scan.refused += refused
    known, pending = known_state(db)
    plan = plan_run(
        scan.sources, known, PIPELINE_VERSION, retry_quarantined, fingerprints(corrections)
    )
    return plan, pending, corrections


def prepare(
    paths: list[Path],
    db: Path,
    retry_quarantined: bool = False,
    corrections_dir: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Prepared:
    """Hash the files under ``paths`` and plan them against the warehouse at ``db``, under
    the run's ``limits``."""
    started = time.perf_counter()
    scan = hash_files(paths, limits)
    plan, pending, corrections = plan_files(scan, db, retry_quarantined, corrections_dir, limits)
    return Prepared(plan, scan, pending, corrections, time.perf_counter() - started)
