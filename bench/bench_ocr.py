"""The OCR reader on a scan sweep: seconds (wall and CPU) and peak memory per page, per-field
accuracy, the share of scans confirmed automatically, and wrong amounts among those (must
be 0).

    .venv/bin/python -m tests.corpus --scan-sweep 12 --seed 61 --out /tmp/sweep61
    .venv/bin/python bench/bench_ocr.py /tmp/sweep61

Each scan is read and transformed as a run does (extract.read_document, then
transform_file), one at a time in this process; tesseract runs as child processes (two at
a time). CPU seconds are this process's and its finished children's (tesseract) user and
system time: unlike wall seconds they hold on a machine shared with other work. Peak memory
is this process's and its largest child's resident size. Scoring is ``jokatsu accuracy``'s
(:func:`flows.accuracy.score_scans`), applied to what each scan would load once confirmed.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import time
from datetime import date
from pathlib import Path
from typing import Any

from extract import read_document, source_info
from extract.errors import QuarantineError
from flows.accuracy import load_truths, score_scans
from transform.pipeline import transform_file
from transform.records import NormalizedReport


def _plain(record: Any) -> dict[str, Any]:
    return {
        k: (v.isoformat() if isinstance(v, date) else v)
        for k, v in dataclasses.asdict(record).items()
    }


def held(nr: NormalizedReport) -> dict[str, Any]:
    """What the warehouse would hold for the report once confirmed (as accuracy scores it)."""
    assert nr.ocr is not None
    return {
        "status": "loaded",
        "ocr_status": nr.ocr.status,
        "report": _plain(nr.report),
        "sections": {s.section_no: _plain(s) for s in nr.sections},
        "items": {i.line_no: _plain(i) for i in nr.expense_items},
        "contact": _plain(nr.contact) if nr.contact else None,
        "rules": {i.rule for i in nr.issues},
    }


def cpu_seconds() -> tuple[float, float]:
    """User + system seconds so far: this process's, and its finished children's."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def page_count(data: bytes) -> int:
    """Pages of a scan: a PDF's pages, an image's frames (a JPEG or PNG of the form holds
    both its pages stacked: one page here)."""
    import io

    import pypdfium2 as pdfium
    from PIL import Image

    if data.startswith(b"%PDF"):
        pdf = pdfium.PdfDocument(data)
        try:
            return len(pdf)
        finally:
            pdf.close()
    with Image.open(io.BytesIO(data)) as image:
        return int(getattr(image, "n_frames", 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    truths = load_truths(args.folder)
    results: dict[str, dict[str, Any]] = {}
    pages = wall = own_cpu = child_cpu = 0.0
    lines = []
    for truth in truths:
        path = args.folder / truth["file"]
        data = path.read_bytes()
        started = time.perf_counter()
        own0, child0 = cpu_seconds()
        try:
            doc = read_document(data, source_info(str(path), data))
            report = transform_file(doc).reports[0]
            results[path.name] = held(report)
            outcome = report.ocr.status if report.ocr else "?"
        except QuarantineError as exc:
            results[path.name] = {"status": "quarantined", "reason": str(exc)}
            results[path.name]["reason_code"] = exc.code
            outcome = f"quarantined ({exc.code}): {str(exc)[:60]}"
        took = time.perf_counter() - started
        own1, child1 = cpu_seconds()
        n_pages = page_count(data)
        pages += n_pages
        wall += took
        own_cpu += own1 - own0
        child_cpu += child1 - child0
        style = truth["scan"]
        lines.append(
            f"{path.name}: {outcome}, {n_pages} p, {took / n_pages:.1f} s/page wall, "
            f"{(own1 - own0) / n_pages:.1f} + {(child1 - child0) / n_pages:.1f} s/page CPU "
            f"(this process + tesseract), {'colour' if style['colour'] else 'grey'} "
            f"{style['dpi']} dpi {style['container']}"
        )
    scans = score_scans(truths, results)
    for line in lines:
        name = line.split(":", 1)[0]
        print(f"{line}, wrong amounts {len(scans.wrong_amounts.get(name, []))}")
    print()
    print(scans.table())
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    per = max(pages, 1)
    print()
    print(
        f"pages {pages:.0f} (every scan, quarantined ones too): {wall / per:.2f} s/page wall; "
        f"CPU {(own_cpu + child_cpu) / per:.2f} s/page ({own_cpu / per:.2f} this process, "
        f"{child_cpu / per:.2f} tesseract); peak memory: this process {self_peak:.0f} MB, "
        f"largest tesseract {child_peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
