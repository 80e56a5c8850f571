"""What a run knows before Prefect starts: the files, their hashes and the plan.

Nothing here imports Prefect (about 1.2 s of start-up): a night with no new files is
answered from the hashes alone, and a night with work starts reading (see
:func:`flows.sandbox.prepare_reader`) while Prefect and its server are still starting.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from importlib import resources
from importlib.metadata import version
from pathlib import Path

from extract.model import SourceInfo
from flows.files import MAX_FILE_BYTES, FileUnavailable, Refused, discover, display, hash_file
from flows.plan import Known, Plan, plan_run
from flows.summary import IngestSummary
from transform.corrections import (
    Correction,
    CorrectionError,
    Fingerprint,
    fingerprint,
    parse_correction,
)
from warehouse.store import read_only


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


def _load_order(path: Path) -> tuple[bool, float, str]:
    """Files load oldest first, revisions (「修正」 in the name) last: the last one wins."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0  # gone since discovery: hashing it says so
    return ("修正" in path.name, mtime, str(path))


def hash_files(paths: list[Path], max_bytes: int = MAX_FILE_BYTES) -> Scan:
    """Report files under the paths, in load order, with streaming hashes (none larger than
    ``max_bytes`` is read); files skipped, and paths refused with their reasons."""
    found = discover(paths)
    sources: list[SourceInfo] = []
    refused = list(found.refused)
    for path in sorted(found.found, key=_load_order):
        try:
            sources.append(hash_file(path, max_bytes))
        except FileUnavailable as exc:
            refused.append(Refused(display(path), str(exc)))
        except OSError as exc:  # an I/O error on one file is reported, not fatal
            refused.append(Refused(display(path), f"ファイルを読めません（{exc.strerror}）。"))
    return Scan(sources, found.skipped, refused)


def load_corrections(
    folder: Path | None,
) -> tuple[dict[str, tuple[Correction, ...]], list[Refused]]:
    """The clerks' corrections files (``*.toml`` in ``folder``) by the SHA-256 they correct,
    and the ones that cannot be used, with the reason (reported like a file not read)."""
    found: dict[str, list[Correction]] = {}
    refused: list[Refused] = []
    if folder is None or not folder.is_dir():
        return {}, []
    for path in sorted(folder.glob("*.toml")):
        try:
            correction = parse_correction(path.read_text(encoding="utf-8"), str(path))
        except (CorrectionError, OSError, UnicodeDecodeError) as exc:
            refused.append(Refused(display(path), f"訂正ファイルを使えません: {exc}"))
            continue
        found.setdefault(correction.sha256, []).append(correction)
    return {sha: tuple(items) for sha, items in found.items()}, refused


def fingerprints(corrections: dict[str, tuple[Correction, ...]]) -> dict[str, Fingerprint]:
    """Each corrected file's corrections, as :func:`flows.plan.plan_run` compares them."""
    return {sha: fingerprint(fixes) for sha, fixes in corrections.items()}


def known_state(db: Path) -> tuple[list[Known], bool]:
    """What the live warehouse knows of files, and whether it has migrations pending."""
    with read_only(db) as live:
        if live is None:
            return [], True
        applied = live.applied_corrections()
        known = [
            Known(
                k.sha256, k.path, k.status, k.pipeline_version, applied.get(k.sha256, frozenset())
            )
            for k in live.known_files()
        ]
        return known, bool(live.pending_migrations())


def planned_summary(plan: Plan, scan: Scan) -> IngestSummary:
    """The part of a run's summary that is known before any file is read."""
    return IngestSummary(
        unchanged=[s.path for s in plan.unchanged],
        still_quarantined=[s.path for s in plan.already_quarantined],
        skipped=[display(p) for p in scan.skipped],
        not_read=[(r.path, r.reason) for r in scan.refused],
    )


@dataclasses.dataclass
class Prepared:
    """A run's files, hashed, and what it would do with each (not yet under the write lock:
    the flow plans again under it, so this is a forecast used to start early)."""

    plan: Plan
    scan: Scan
    pending_migrations: bool
    corrections: dict[str, tuple[Correction, ...]]
    seconds: float

    @property
    def has_work(self) -> bool:
        """Whether a run would change the warehouse (read, record a duplicate, migrate)."""
        return self.pending_migrations or bool(self.plan.to_read or self.plan.duplicates)

    def summary(self) -> IngestSummary:
        """The summary of a run with nothing to do."""
        summary = planned_summary(self.plan, self.scan)
        summary.seconds = self.seconds
        return summary


def prepare(
    paths: list[Path],
    db: Path,
    retry_quarantined: bool = False,
    corrections_dir: Path | None = None,
) -> Prepared:
    """Hash the files under ``paths`` and plan them against the warehouse at ``db``."""
    started = time.perf_counter()
    scan = hash_files(paths)
    corrections, refused = load_corrections(corrections_dir)
    scan.refused += refused
    known, pending = known_state(db)
    plan = plan_run(
        scan.sources, known, PIPELINE_VERSION, retry_quarantined, fingerprints(corrections)
    )
    return Prepared(plan, scan, pending, corrections, time.perf_counter() - started)
