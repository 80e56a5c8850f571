"""The OCR reader on a scan sweep: seconds and peak memory per page, per-field accuracy, the
share of scans confirmed automatically, and wrong amounts among those (must be 0).

    .venv/bin/python -m tests.corpus --scan-sweep 12 --seed 61 --out /tmp/sweep61
    .venv/bin/python bench/bench_ocr.py /tmp/sweep61

Each scan is read and transformed as a run does (extract.read_document, then
transform_file), one at a time in this process; tesseract runs as child processes (two at
a time). Peak memory is this process's and its largest child's resident size.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import time
from datetime import date
from pathlib import Path
from typing import Any

from extract import read_document, source_info
from extract.errors import QuarantineError
from flows.accuracy import score
from transform.pipeline import transform_file
from transform.records import NormalizedReport

AMOUNTS = ("total_cost", "grant_amount", "other_funds", "own_funds")
DECLARED = ("declared_total_cost", "declared_grant_amount", "declared_other_funds")


def _plain(record: Any) -> dict[str, Any]:
    return {
        k: (v.isoformat() if isinstance(v, date) else v)
        for k, v in dataclasses.asdict(record).items()
    }


def held(nr: NormalizedReport) -> dict[str, Any]:
    """What the warehouse would hold for the report once confirmed (as accuracy scores it)."""
    return {
        "status": "loaded",
        "report": _plain(nr.report),
        "sections": {s.section_no: _plain(s) for s in nr.sections},
        "items": {i.line_no: _plain(i) for i in nr.expense_items},
        "contact": _plain(nr.contact) if nr.contact else None,
        "rules": {i.rule for i in nr.issues},
    }


def wrong_amounts(nr: NormalizedReport, truth: dict[str, Any]) -> list[str]:
    wrong = [
        f"item{i.line_no}.{k}"
        for i, t in zip(nr.expense_items, truth["expense_items"], strict=False)
        for k in AMOUNTS
        if getattr(i, k) != t[k]
    ]
    wrong += [k for k in DECLARED if getattr(nr.report, k) != truth["report"][k]]
    if len(nr.expense_items) != len(truth["expense_items"]):
        wrong.append("rows")
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    truths = [
        json.loads(p.read_text("utf-8")) for p in sorted((args.folder / "truth").glob("*.json"))
    ]
    results: dict[str, dict[str, Any]] = {}
    pages = seconds = 0.0
    confirmed = held_n = quarantined = 0
    wrong_confirmed: list[str] = []
    lines = []
    for truth in truths:
        path = args.folder / truth["file"]
        data = path.read_bytes()
        started = time.perf_counter()
        try:
            doc = read_document(data, source_info(str(path), data))
            report = transform_file(doc).reports[0]
        except QuarantineError as exc:
            quarantined += 1
            lines.append(f"{path.name}: quarantined ({exc.code}): {str(exc)[:80]}")
            seconds += time.perf_counter() - started
            continue
        took = time.perf_counter() - started
        assert report.ocr is not None and doc.ocr is not None
        n_pages = len(doc.ocr.preprocessing)
        pages += n_pages
        seconds += took
        results[path.name] = held(report)
        wrong = wrong_amounts(report, truth)
        status = report.ocr.status
        if status == "confirmed automatically":
            confirmed += 1
            wrong_confirmed += [f"{path.name}: {w}" for w in wrong]
        else:
            held_n += 1
        style = truth["scan"]
        lines.append(
            f"{path.name}: {status}, {n_pages} p, {took / n_pages:.1f} s/page, "
            f"{'colour' if style['colour'] else 'grey'} {style['dpi']} dpi {style['container']}, "
            f"wrong amounts {len(wrong)}"
        )
    accuracy = score(truths, results)
    print("\n".join(lines))
    print()
    print(accuracy.table())
    fields: dict[str, list[int]] = {}
    for mismatch in accuracy.mismatches:
        key = mismatch.field.split(".")[-1]
        fields.setdefault(key, [0])[0] += 1
    print("mismatches by field:", dict(sorted((k, v[0]) for k, v in fields.items())))
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"scans {len(truths)}: confirmed automatically {confirmed}, awaiting review {held_n}, "
        f"quarantined {quarantined}; wrong amounts among confirmed: {len(wrong_confirmed)} "
        f"{wrong_confirmed}"
    )
    print(
        f"pages {pages:.0f}, {seconds / max(pages, 1):.2f} s/page; peak memory: this process "
        f"{self_peak:.0f} MB, largest tesseract {child_peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
