"""The summary of one ingestion run: what the CLI prints, what the run logs to Prefect, the
Markdown artifact an operator reads in Prefect's UI, and the name of the run's final state."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TypeVar

from extract.text import markdown_text, shown
from transform.corrections import corrections_skeleton
from transform.records import rule_label

COMPLETED = "Completed"
COMPLETED_WITH_PROBLEMS = "Completed with problems"


@dataclass(frozen=True)
class ErrorIssue:
    """An ``error`` check issue of a loaded file (the report loaded, but is wrong)."""

    file: str
    rule: str
    message: str


@dataclass
class Timings:
    """Where a command's wall time went (seconds); ``flow`` is reading and loading."""

    planning: float = 0.0
    prefect_start: float = 0.0
    flow: float = 0.0


@dataclass
class IngestSummary:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    # Files quarantined by earlier runs and not read again (path, reason).
    still_quarantined: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # Paths not read this run (not a regular file, a link out of the folder, vanished, no
    # permission, too large...): not recorded in the warehouse, tried again next run.
    not_read: list[tuple[str, str]] = field(default_factory=list)
    # Files loaded with a clerk's corrections (corrected by hand).
    corrected: list[str] = field(default_factory=list)
    # Scans read by OCR held for a clerk's review (also among quarantined): the review page.
    awaiting_review: list[str] = field(default_factory=list)
    issues: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: list[ErrorIssue] = field(default_factory=list)
    # What the run did to the warehouse's files beside the data (a stale WAL set aside,
    # warehouse/publish.py): shown in the console summary, the log and the artifact.
    notices: list[str] = field(default_factory=list)
    # For the run's log only: what an unplanned exception or the database said, per file.
    details: list[tuple[str, str]] = field(default_factory=list)
    # Each file's SHA-256 by its path (what a clerk's corrections file is keyed by).
    sha256: dict[str, str] = field(default_factory=dict)
    # The command's wall time (set by whoever measured it: the CLI, else the flow).
    seconds: float = 0.0
    timings: Timings = field(default_factory=Timings)

    def skipped_by_type(self) -> str:
        """The files of no report type, counted by their type: 「.json 63, (none) 1」."""
        counts = Counter(PurePath(path).suffix.lower() or "(none)" for path in self.skipped)
        return ", ".join(f"{suffix} {n}" for suffix, n in sorted(counts.items()))

    @property
    def error_issues(self) -> int:
        return sum(n for (_, severity), n in self.issues.items() if severity == "error")

    @property
    def has_problems(self) -> bool:
        """Files in quarantine (this run's or earlier ones'), or error issues this run."""
        return bool(self.quarantined or self.still_quarantined or self.errors)

    @property
    def state_name(self) -> str:
        return COMPLETED_WITH_PROBLEMS if self.has_problems else COMPLETED

    def state_message(self) -> str:
        """One line for the run list: what a run left for people to act on."""
        parts = [f"{len(self.loaded)} loaded"]
        if self.quarantined:
            parts.append(f"{len(self.quarantined)} quarantined")
        if self.still_quarantined:
            parts.append(f"{len(self.still_quarantined)} still in quarantine")
        if self.errors:
            parts.append(f"{len(self.errors)} error issues")
        if self.not_read:
            parts.append(f"{len(self.not_read)} not read")
        return ", ".join(parts)

    def counts_ja(self) -> str:
        """The counts in one Japanese line: the artifact's title and the start of its
        description (what Prefect's Artifacts tab shows before it cuts)."""
        parts = [f"読み込み {len(self.loaded)} 件"]
        quarantined = len(self.quarantined) + len(self.still_quarantined)
        if quarantined:
            parts.append(
                f"隔離 {quarantined} 件（今回 {len(self.quarantined)}・"
                f"以前から {len(self.still_quarantined)}）"
            )
        if self.errors:
            parts.append(f"エラー {len(self.errors)} 件")
        if self.not_read:
            parts.append(f"読まなかったパス {len(self.not_read)} 件")
        if not (quarantined or self.errors or self.not_read):
            parts.append("問題なし")
        return "、".join(parts)

    def log_lines(self) -> list[str]:
        """What the run logs to Prefect beside the counts: one line per file an operator
        must act on (quarantined, error issue, not read)."""
        lines = [
            f"quarantined: {_line(path)}: {_line(reason)}" for path, reason in self.quarantined
        ]
        lines += [
            f"error issue: {_line(e.file)}: {e.rule}: {_line(e.message)}" for e in self.errors
        ]
        lines += [f"not read: {_line(path)}: {_line(reason)}" for path, reason in self.not_read]
        lines += [f"detail: {_line(path)}: {_line(detail)}" for path, detail in self.details]
        lines += [f"notice: {_line(notice)}" for notice in self.notices]
        return lines

    def to_text(self) -> str:
        lines = [
            f"loaded: {len(self.loaded)}",
            f"already loaded: {len(self.unchanged)}",
            f"duplicate: {len(self.duplicates)}",
            f"quarantined: {len(self.quarantined)}",
        ]
        for path, reason in self.quarantined:
            lines.append(f"  {_line(_here(path))}: {_line(reason)}")
            if path in self.sha256:  # what a corrections file for it is keyed by
                lines.append(f"    SHA-256: {self.sha256[path]}")
        if self.awaiting_review:
            lines.append(
                f"scans awaiting review: {len(self.awaiting_review)} "
                "(jokatsu review writes the review page, data/review.html)"
            )
        if self.corrected:
            lines.append(f"loaded with corrections by hand: {len(self.corrected)}")
            lines += [f"  {_line(_here(path))}" for path in self.corrected]
        if self.still_quarantined:
            lines.append(
                f"still quarantined from earlier runs: {len(self.still_quarantined)} "
                "(--retry-quarantined reads them again)"
            )
        if self.not_read:
            lines.append(f"not read (tried again next run): {len(self.not_read)}")
            lines += [f"  {_line(_here(path))}: {_line(reason)}" for path, reason in self.not_read]
        if self.skipped:
            lines.append(
                f"{len(self.skipped)} files that are not reports: {shown(self.skipped_by_type())}"
            )
        lines += [f"notice: {_line(notice)}" for notice in self.notices]
        lines.append("issues by rule:" if self.issues else "issues by rule: none")
        lines += [
            f"  {rule} ({severity}): {count}"
            for (rule, severity), count in sorted(self.issues.items())
        ]
        t = self.timings
        split = (
            f" (planning {t.planning:.1f}, Prefect start {t.prefect_start:.1f}, "
            f"reading and loading {t.flow:.1f})"
            if t.flow
            else ""
        )
        lines.append(f"seconds: {self.seconds:.1f}{split}")
        return "\n".join(lines)

    def markdown(self) -> str:
        """The run's report for Prefect's UI, in Japanese: the counts first, then each
        problem as a narrow table (every column headed) with the long texts in a numbered
        list under it: what is wrong, the SHA-256 and, for a quarantined file, a ready
        corrections file to fill in."""
        out = [f"# 取り込み結果: {self.counts_ja()}", ""]
        held = [(p, r, "今回") for p, r in self.quarantined]
        held += [(p, r, "以前から") for p, r in self.still_quarantined]
        if held:
            out += [
                f"## 読み込めなかったファイル（隔離） {len(held)} 件",
                "",
                "| # | ファイル | いつから |",
                "| ---: | --- | --- |",
            ]
            out += [f"| {n} | {_cell(_name(p))} | {when} |" for n, (p, _, when) in _numbered(held)]
            out.append("")
            for n, (path, reason, _) in _numbered(held):
                out += [f"{n}. {_cell(path)}", f"    - 理由: {_cell(reason)}"]
                sha = self.sha256.get(path)
                if sha:
                    out += [
                        f"    - SHA-256: `{sha}`",
                        "    - 訂正ファイルのひな形（data/corrections/ に .toml で保存し、"
                        "field と value を書きます）:",
                        "",
                        "      ```toml",
                        *(f"      {line}" for line in corrections_skeleton(sha).splitlines()),
                        "      ```",
                        "",
                    ]
            out.append("")
        if self.errors:
            out += [
                f"## エラーのある報告書 {len(self.errors)} 件",
                "",
                "| # | ファイル | 規則 |",
                "| ---: | --- | --- |",
            ]
            out += [
                f"| {n} | {_cell(_name(e.file))} | {_rule(e.rule)} |"
                for n, e in _numbered(self.errors)
            ]
            out.append("")
            for n, e in _numbered(self.errors):
                out += [f"{n}. {_cell(e.file)}", f"    - 内容: {_cell(e.message)}"]
                if e.file in self.sha256:
                    out.append(f"    - SHA-256: `{self.sha256[e.file]}`")
            out.append("")
        if self.not_read:
            out += [
                f"## 読まなかったパス（次回も試します） {len(self.not_read)} 件",
                "",
                "| # | パス |",
                "| ---: | --- |",
            ]
            out += [f"| {n} | {_cell(_name(p))} |" for n, (p, _) in _numbered(self.not_read)]
            out.append("")
            out += [
                f"{n}. {_cell(p)}\n    - 理由: {_cell(r)}" for n, (p, r) in _numbered(self.not_read)
            ]
            out.append("")
        if self.notices:
            out += ["## お知らせ（倉庫のファイル）", ""]
            out += [f"- {_cell(notice)}" for notice in self.notices]
            out.append("")
        out += [
            "## 件数",
            "",
            "| 区分 | 件数 |",
            "| --- | ---: |",
            f"| 読み込み | {len(self.loaded)} |",
            f"| 読み込み済み（変更なし） | {len(self.unchanged)} |",
            f"| 重複 | {len(self.duplicates)} |",
            f"| 隔離（今回） | {len(self.quarantined)} |",
            f"| 隔離（以前から） | {len(self.still_quarantined)} |",
            f"| 手作業の訂正あり | {len(self.corrected)} |",
            f"| OCR の確認待ち（`jokatsu review` で確認画面 data/review.html） | "
            f"{len(self.awaiting_review)} |",
            f"| 読まなかったパス | {len(self.not_read)} |",
            f"| 対象外の種類（{markdown_text(self.skipped_by_type()) or 'なし'}） "
            f"| {len(self.skipped)} |",
            "",
        ]
        if self.issues:
            out += [
                "## チェック結果（規則別）",
                "",
                "| 規則 | 重大度 | 件数 |",
                "| --- | --- | ---: |",
            ]
            out += [
                f"| {_rule(rule)} | {SEVERITY_JA.get(severity, severity)} | {count} |"
                for (rule, severity), count in sorted(self.issues.items())
            ]
            out.append("")
        return "\n".join(out)


SEVERITY_JA = {"error": "エラー", "warning": "警告"}

T = TypeVar("T")


def _numbered(items: list[T]) -> list[tuple[int, T]]:
    return list(enumerate(items, start=1))


def _here(path: str) -> str:
    """A path as the console shows it: relative to the working directory when it lies
    under it (the warehouse keeps the resolved path, a file's one identity)."""
    import os

    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


def _name(path: str) -> str:
    """A file's name for a narrow table column (the whole path is in the list under it)."""
    return PurePath(path).name or path


def failure_line(exc: BaseException) -> str:
    """One line for a run that stopped before publishing: what happened, which check or
    file, and what to do (the console, the run's log and state, its artifact)."""
    from warehouse.errors import DataCheckFailed, WarehouseBusy

    text = _line(str(exc)).removeprefix("data checks failed, the warehouse was not updated: ")
    if isinstance(exc, DataCheckFailed):
        what = f"a data check failed ({text})"
        todo = (
            "no file's content can cause this: report it to jokatsu's maintainers with this "
            "line and the run's log (jokatsu sql shows the rows the check names)"
        )
    elif isinstance(exc, WarehouseBusy):
        what, todo = text, "wait for that run to finish, then run again"
    elif isinstance(exc, OSError):
        what = f"the machine refused ({type(exc).__name__}: {text})"
        todo = "fix the disk, folder or permission it names, then run again"
    else:
        what = f"{type(exc).__name__}: {text}"
        todo = "run again with --verbose to see where it stopped"
    published = "nothing was published (the warehouse is as before this run)"
    return f"ingest failed, {published}: {what}; {todo}"


def failure_markdown(line: str) -> str:
    """The artifact of a failed run: the one line, in a form Prefect's UI shows whole."""
    return "\n".join(["# 取り込み失敗（倉庫は更新していません）", "", _cell(line), ""])


def _rule(rule: str) -> str:
    """A rule as the clerk reads it, with its stable code."""
    return f"{_cell(rule_label(rule))} (`{rule}`)"


def _cell(text: str) -> str:
    """Text for a Markdown table cell: literal (no HTML, link, image or emphasis renders),
    control characters shown escaped, on one line (:func:`extract.text.markdown_text`)."""
    return markdown_text(text)


def _line(text: str) -> str:
    """A name or value in a line of the console summary or the log: control characters and
    line breaks shown escaped, so no name forges a line or drives the terminal."""
    return shown(text)
