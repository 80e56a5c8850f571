"""The accuracy harness: a folder of reports with truth files, scored field by field.

Truth files live in ``DIR/truth/<file name>.json`` (written by ``python -m tests.corpus``).
``score`` is pure; ``snapshot`` reads a warehouse; ``jokatsu accuracy DIR`` ingests DIR into
a temporary warehouse through the real flow and prints the table per format.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from transform.records import ContactRecord, ExpenseItemRecord, ReportRecord

TRUTH_DIR = "truth"
_NOT_SCORED = {"report_id", "source_sha256", "line_no", "location"}  # ids and provenance


def _scored(record: type) -> tuple[str, ...]:
    """The fields of a record that a truth file states (the values read from the form)."""
    return tuple(f.name for f in dataclasses.fields(record) if f.name not in _NOT_SCORED)


REPORT_FIELDS = _scored(ReportRecord)
ITEM_FIELDS = _scored(ExpenseItemRecord)
CONTACT_FIELDS = _scored(ContactRecord)


@dataclass(frozen=True)
class Mismatch:
    file: str
    field: str
    expected: Any
    actual: Any


@dataclass
class FormatScore:
    files: int = 0
    fields: int = 0
    matched: int = 0

    @property
    def accuracy(self) -> float:
        return self.matched / self.fields if self.fields else 1.0


@dataclass
class AccuracyReport:
    formats: dict[str, FormatScore] = field(default_factory=lambda: defaultdict(FormatScore))
    # Per layout variation the generator wrote into the truth (「heading_style=space」 …).
    variations: dict[str, FormatScore] = field(default_factory=lambda: defaultdict(FormatScore))
    mismatches: list[Mismatch] = field(default_factory=list)

    def table(self) -> str:
        lines = [f"{'format':<8}{'files':>7}{'fields':>9}{'matched':>9}{'accuracy':>10}"]
        for fmt in sorted(self.formats):
            s = self.formats[fmt]
            lines.append(f"{fmt:<8}{s.files:>7}{s.fields:>9}{s.matched:>9}{s.accuracy:>9.1%} ")
        return "\n".join(lines)

    def variation_table(self) -> str:
        """Accuracy per variation of the truth files (each variation that not every file
        shares, so that what a layout costs shows)."""
        lines = [f"{'variation':<32}{'files':>7}{'fields':>9}{'matched':>9}{'accuracy':>10}"]
        total = sum(s.files for s in self.formats.values())
        for name in sorted(self.variations):
            s = self.variations[name]
            if s.files < total:
                lines.append(
                    f"{name[:35]:<36}{s.files:>7}{s.fields:>9}{s.matched:>9}{s.accuracy:>9.1%} "
                )
        return "\n".join(lines)


def load_truths(folder: Path) -> list[dict[str, Any]]:
    """Every truth file of a folder (``folder/truth/*.json``)."""
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((folder / TRUTH_DIR).glob("*.json"))
    ]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def snapshot(db: Path) -> dict[str, dict[str, Any]]:
    """What the warehouse holds per file name: status, reason and the report's rows, and
    for a scan read by OCR its ``ocr_status`` (``confirmed automatically``, ``needs_review``,
    ``confirmed by a clerk``)."""
    conn = duckdb.connect(str(db), read_only=True)
    try:

        def rows(sql: str) -> list[dict[str, Any]]:
            cursor = conn.execute(sql)
            names = [d[0] for d in cursor.description or []]
            return [
                {n: _plain(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()
            ]

        files: dict[str, dict[str, Any]] = {}
        for f in rows("select sha256, path, status, reason, reason_code from source_files"):
            files[Path(f["path"]).name] = {**f, "report": None, "sections": {}, "items": {}}
        by_file = {f["sha256"]: f for f in files.values()}
        for o in rows("select source_sha256, status from ocr_reads"):
            if o["source_sha256"] in by_file:  # a scan read by OCR: how far it is trusted
                by_file[o["source_sha256"]]["ocr_status"] = o["status"]
        by_sha = {f["sha256"]: f for f in files.values() if f["status"] == "loaded"}
        by_report: dict[str, dict[str, Any]] = {}
        for r in rows("select * from reports"):
            entry = by_sha.get(r["source_sha256"])
            if entry is not None:
                entry["report"] = r
                entry["rules"] = set()
                entry["contact"] = None
                by_report[r["report_id"]] = entry
        for s in rows("select * from report_sections"):
            by_report[s["report_id"]]["sections"][s["section_no"]] = s
        for i in rows("select * from expense_items"):
            by_report[i["report_id"]]["items"][i["line_no"]] = i
        for c in rows("select * from contacts"):
            by_report[c["report_id"]]["contact"] = c
        for v in rows("select report_id, rule from validation_issues where report_id is not null"):
            by_report[v["report_id"]]["rules"].add(v["rule"])
        return files
    finally:
        conn.close()


def field_pairs(truth: dict[str, Any], got: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Every field a truth file states, as (field, expected, what ``got`` holds)."""
    pairs: list[tuple[str, Any, Any]] = [("status", truth["expected_status"], got.get("status"))]
    if truth["expected_status"] == "quarantined":
        wanted, reason = truth["reason_contains"], got.get("reason") or ""
        pairs.append(("reason", wanted, wanted if wanted in reason else reason))
        return pairs
    report = got.get("report") or {}
    pairs += [(f"report.{k}", truth["report"][k], report.get(k)) for k in REPORT_FIELDS]
    sections = got.get("sections", {})
    for s in truth["sections"]:
        held_s = sections.get(s["section_no"], {})
        for k in ("heading", "body"):
            pairs.append((f"section{s['section_no']}.{k}", s[k], held_s.get(k)))
    items = got.get("items", {})
    for item in truth["expense_items"]:
        held_i = items.get(item["line_no"], {})
        pairs += [(f"item{item['line_no']}.{k}", item[k], held_i.get(k)) for k in ITEM_FIELDS]
    extra = sorted(set(items) - {i["line_no"] for i in truth["expense_items"]})
    pairs += [(f"item{n}", None, "unexpected row") for n in extra]
    contact = got.get("contact") or {}
    pairs += [(f"contact.{k}", truth["contact"][k], contact.get(k)) for k in CONTACT_FIELDS]
    pairs.append(("rules", sorted(truth["expected_rules"]), sorted(got.get("rules", set()))))
    return pairs


def score(truths: list[dict[str, Any]], held: dict[str, dict[str, Any]]) -> AccuracyReport:
    """Compare every truth field with the warehouse; a file not loaded misses all its fields."""
    result = AccuracyReport()
    for truth in truths:
        name, fmt = truth["file"], truth["format"]
        pairs = field_pairs(truth, held.get(name, {}))
        scores = [result.formats[fmt]] + [
            result.variations[f"{key}={value}"]
            for key, value in sorted((truth.get("variant") or {}).items())
            if value is not None and key != "row_lines"
        ]
        for each in scores:
            each.files += 1
        for field_name, expected, actual in pairs:
            right = expected == actual
            for each in scores:
                each.fields += 1
                each.matched += right
            if not right:
                result.mismatches.append(Mismatch(name, field_name, expected, actual))
    return result


# Scans (truth files with a ``scan`` entry: how the page was printed, stamped and scanned).
CONFIRMED = "confirmed automatically"
AWAITING = "needs_review"
AMOUNT_FIELDS = frozenset(
    {f"item.{k}" for k in ("total_cost", "grant_amount", "other_funds", "own_funds")}
    | {f"report.{k}" for k in REPORT_FIELDS if k.startswith("declared_")}
    | {"item"}  # a row the form does not have: amounts where there are none
)


def field_class(name: str) -> str:
    """A field's name without its row or section number (``item3.total_cost`` ->
    ``item.total_cost``): what a per-field table counts together."""
    return re.sub(r"^(item|section)\d+", r"\1", name)


@dataclass
class ScanScore:
    """A scan sweep scored: each scan's outcome (``confirmed automatically``,
    ``needs_review`` or ``quarantined: <code>``), accuracy per field, and every wrong amount
    by the outcome of its scan (wrong amounts among the confirmed reach the marts)."""

    outcomes: dict[str, str] = field(default_factory=dict)
    fields: dict[str, FormatScore] = field(default_factory=lambda: defaultdict(FormatScore))
    wrong_amounts: dict[str, list[Mismatch]] = field(default_factory=dict)
    read: set[str] = field(default_factory=set)  # scans whose values were there to score

    def count(self, outcome: str) -> int:
        return sum(o == outcome for o in self.outcomes.values())

    @property
    def confirmed_share(self) -> float:
        return self.count(CONFIRMED) / len(self.outcomes) if self.outcomes else 0.0

    @property
    def wrong_confirmed(self) -> list[Mismatch]:
        return [
            m for f, o in self.outcomes.items() if o == CONFIRMED for m in self.wrong_amounts[f]
        ]

    def table(self) -> str:
        quarantined = sorted(o for o in self.outcomes.values() if o.startswith("quarantined"))
        codes = {o.split(": ", 1)[-1]: quarantined.count(o) for o in quarantined}
        awaiting = [f for f, o in self.outcomes.items() if o == AWAITING]
        held = sum(len(self.wrong_amounts[f]) for f in awaiting if f in self.read)
        unread = sum(f not in self.read for f in awaiting)
        lines = [
            f"scans {len(self.outcomes)}: confirmed automatically {self.count(CONFIRMED)} "
            f"({self.confirmed_share:.0%}), awaiting review {self.count(AWAITING)}, "
            f"quarantined {len(quarantined)}"
            + (f" ({', '.join(f'{c} {n}' for c, n in sorted(codes.items()))})" if codes else ""),
            f"wrong amounts among the confirmed automatically: {len(self.wrong_confirmed)}"
            + "".join(
                f"\n  {m.file} {m.field}: {m.expected!r} read {m.actual!r}"
                for m in self.wrong_confirmed
            ),
            f"wrong amounts among those awaiting review (held, not loaded): {held}"
            + (f" (values of {unread} not there to score)" if unread else ""),
            "",
            f"{'field':<36}{'scans':>7}{'fields':>9}{'matched':>9}{'accuracy':>10}",
        ]
        for name in sorted(self.fields):
            s = self.fields[name]
            lines.append(
                f"{name[:35]:<36}{s.files:>7}{s.fields:>9}{s.matched:>9}{s.accuracy:>9.1%} "
            )
        return "\n".join(lines)


def score_scans(truths: list[dict[str, Any]], held: dict[str, dict[str, Any]]) -> ScanScore:
    """Score the scans among ``truths`` per field against ``held`` (per file name as
    :func:`snapshot` gives it, with ``ocr_status`` for a scan that was read): what the
    warehouse holds, or in the benchmark what a scan would load once confirmed. A scan not
    read misses all its fields. The one scoring of scans, for ``jokatsu accuracy`` and
    ``bench/bench_ocr.py``."""
    result = ScanScore()
    for truth in truths:
        if "scan" not in truth:
            continue
        name = truth["file"]
        got = held.get(name, {})
        outcome = got.get("ocr_status") or f"quarantined: {got.get('reason_code') or 'not read'}"
        result.outcomes[name] = outcome
        result.wrong_amounts[name] = []
        if got.get("report") is not None:
            result.read.add(name)
        seen: set[str] = set()
        for field_name, expected, actual in field_pairs(truth, got):
            cls = field_class(field_name)
            each = result.fields[cls]
            if cls not in seen:
                seen.add(cls)
                each.files += 1
            each.fields += 1
            each.matched += expected == actual
            if expected != actual and cls in AMOUNT_FIELDS and got.get("report") is not None:
                result.wrong_amounts[name].append(Mismatch(name, field_name, expected, actual))
    return result
