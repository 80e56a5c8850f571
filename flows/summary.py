"""The summary of one ingestion run: what the CLI prints and the Prefect artifact shows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class IngestSummary:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    still_quarantined: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # Paths not read this run (not a regular file, a link out of the folder, vanished, no
    # permission, too large...): not recorded in the warehouse, tried again next run.
    not_read: list[tuple[str, str]] = field(default_factory=list)
    # Files loaded with a clerk's corrections (corrected by hand).
    corrected: list[str] = field(default_factory=list)
    issues: Counter[tuple[str, str]] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def error_issues(self) -> int:
        return sum(n for (_, severity), n in self.issues.items() if severity == "error")

    def to_text(self) -> str:
        lines = [
            f"loaded: {len(self.loaded)}",
            f"already loaded: {len(self.unchanged)}",
            f"duplicate: {len(self.duplicates)}",
            f"quarantined: {len(self.quarantined)}",
        ]
        lines += [f"  {path}: {reason}" for path, reason in self.quarantined]
        if self.corrected:
            lines.append(f"loaded with corrections by hand: {len(self.corrected)}")
            lines += [f"  {path}" for path in self.corrected]
        if self.still_quarantined:
            lines.append(
                f"still quarantined from earlier runs: {len(self.still_quarantined)} "
                "(--retry-quarantined reads them again)"
            )
        if self.not_read:
            lines.append(f"not read (tried again next run): {len(self.not_read)}")
            lines += [f"  {path}: {reason}" for path, reason in self.not_read]
        if self.skipped:
            lines.append(f"skipped (not a report file type): {len(self.skipped)}")
        lines.append("issues by rule:" if self.issues else "issues by rule: none")
        lines += [
            f"  {rule} ({severity}): {count}"
            for (rule, severity), count in sorted(self.issues.items())
        ]
        lines.append(f"seconds: {self.seconds:.1f}")
        return "\n".join(lines)

    def artifact_rows(self) -> list[dict[str, Any]]:
        """One row per file outcome and per issue rule, for a Prefect table artifact."""
        rows: list[dict[str, Any]] = [
            {"outcome": "loaded", "file": p, "detail": ""} for p in self.loaded
        ]
        rows += [
            {"outcome": "duplicate", "file": p, "detail": f"of {o}"} for p, o in self.duplicates
        ]
        rows += [{"outcome": "quarantined", "file": p, "detail": r} for p, r in self.quarantined]
        rows += [{"outcome": "not read", "file": p, "detail": r} for p, r in self.not_read]
        rows += [{"outcome": "corrected by hand", "file": p, "detail": ""} for p in self.corrected]
        rows += [
            {"outcome": f"issue ({severity})", "file": rule, "detail": str(count)}
            for (rule, severity), count in sorted(self.issues.items())
        ]
        rows.append({"outcome": "already loaded", "file": "", "detail": str(len(self.unchanged))})
        return rows
