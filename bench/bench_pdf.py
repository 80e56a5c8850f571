"""PDF reader speed and memory against plain pdfplumber, on the same files, in one run.

    .venv/bin/python bench/bench_pdf.py [--count 200] [--dir DIR]
    .venv/bin/python bench/bench_pdf.py --dir DIR --baseline CHECKOUT [--rounds 5]

Generates a corpus (PDFs of 2-3 pages, both font kinds) unless --dir is given, then times
(1) plain pdfplumber: extract_text() and extract_tables() on every page, and (2) jokatsu's
read_pdf on every file, one process, one after the other; and samples the resident memory
of this process as files go by (it must stay flat). Run by hand; figures go in RESULTS.md.

With ``--baseline`` (a checkout of an earlier commit, e.g. ``git worktree add --detach
/tmp/before <commit>``) it instead times the two readers, this tree's and the baseline's,
each in a fresh process, in interleaved rounds on the same files, and reports every
round's ratio and the median: the machine's speed drifts by more than the 5% a refactoring
may cost, so only a comparison within one round says anything.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extract import source_info
from extract.pdf_reader import read_pdf

ROOT = Path(__file__).resolve().parent.parent

# One timing of a tree's reader, run in a fresh process with that tree first on the path:
# only read_pdf(data, source_info(name, data)), which every commit has, is called. CPU
# seconds of the process, not wall time: other work on the machine then counts less.
_TIME_READER = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from extract import source_info
from extract.pdf_reader import read_pdf
files = [(p.name, p.read_bytes()) for p in sorted(Path(sys.argv[2]).glob("*.pdf"))]
started = time.process_time()
for name, data in files:
    read_pdf(data, source_info(name, data))
print(time.process_time() - started)
"""


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def plain(files: list[Path]) -> tuple[float, int]:
    started, pages = time.perf_counter(), 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                pages += 1
    return time.perf_counter() - started, pages


def ours(files: list[Path]) -> tuple[float, list[float]]:
    started, samples = time.perf_counter(), []
    for index, path in enumerate(files):
        data = path.read_bytes()
        read_pdf(data, source_info(path.name, data))
        if index % max(1, len(files) // 10) == 0:
            samples.append(rss_mb())
    samples.append(rss_mb())
    return time.perf_counter() - started, samples


def page_count(files: list[Path]) -> int:
    total = 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            total += len(pdf.pages)
    return total


def reader_seconds(tree: Path, folder: Path) -> float:
    """CPU seconds the reader of ``tree`` takes over the PDFs of ``folder`` (a fresh process)."""
    command = [sys.executable, "-c", _TIME_READER, str(tree), str(folder)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def compare(folder: Path, baseline: Path, rounds: int) -> None:
    """This tree's reader against the baseline's, in interleaved rounds."""
    pages = page_count(sorted(folder.glob("*.pdf")))
    ratios, mine, theirs = [], [], []
    for number in range(1, rounds + 1):
        # alternate who goes first, so a drift within a round favours neither
        order = [(ROOT, mine), (baseline, theirs)]
        for tree, times in order if number % 2 else reversed(order):
            times.append(reader_seconds(tree, folder))
        ratios.append(mine[-1] / theirs[-1])
        print(
            f"round {number} (CPU): this tree {1000 * mine[-1] / pages:.1f} ms/page, "
            f"baseline {1000 * theirs[-1] / pages:.1f} ms/page, ratio {ratios[-1]:.3f}"
        )
    print(
        f"pages: {pages}; median this tree {1000 * statistics.median(mine) / pages:.1f} ms/page, "
        f"baseline {1000 * statistics.median(theirs) / pages:.1f} ms/page; "
        f"median ratio {statistics.median(ratios):.3f} "
        f"({', '.join(f'{r:.3f}' for r in ratios)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200, help="reports to generate")
    parser.add_argument("--dir", type=Path, help="read the PDFs of this folder instead")
    parser.add_argument("--baseline", type=Path, help="compare with this checkout's reader")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of --baseline")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.dir
        if folder is None:
            from tests.corpus.generate import write_corpus

            folder = Path(scratch)
            write_corpus(folder, count=args.count)
        if args.baseline is not None:
            compare(folder, args.baseline.resolve(), args.rounds)
            return
        files = sorted(folder.glob("*.pdf"))
        plain_s, pages = plain(files)
        ours_s, samples = ours(files)
    print(f"files: {len(files)}, pages: {pages}")
    print(
        f"plain pdfplumber extract_text+extract_tables: {plain_s:.2f} s, "
        f"{1000 * plain_s / pages:.1f} ms/page"
    )
    print(
        f"jokatsu read_pdf: {ours_s:.2f} s, {1000 * ours_s / pages:.1f} ms/page "
        f"({ours_s / plain_s:.2f}x plain)"
    )
    print("resident memory while reading (MB): " + ", ".join(f"{m:.0f}" for m in samples))


if __name__ == "__main__":
    main()
