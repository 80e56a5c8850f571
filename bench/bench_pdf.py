"""PDF reader speed and memory against plain pdfplumber, on the same files, in one run.

    .venv/bin/python bench/bench_pdf.py [--count 200] [--dir DIR]

Generates a corpus (PDFs of 2-3 pages, both font kinds) unless --dir is given, then times
(1) plain pdfplumber: extract_text() and extract_tables() on every page, and (2) jokatsu's
read_pdf on every file, one process, one after the other; and samples the resident memory
of this process as files go by (it must stay flat). Run by hand; figures go in RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extract import source_info
from extract.pdf_reader import read_pdf


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200, help="reports to generate")
    parser.add_argument("--dir", type=Path, help="read the PDFs of this folder instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.dir
        if folder is None:
            from tests.corpus.generate import write_corpus

            folder = Path(scratch)
            write_corpus(folder, count=args.count)
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
