"""End-to-end benchmark of ``jokatsu ingest`` on a generated corpus, in one run.

    .venv/bin/python bench/bench_ingest.py [--count 470] [--keep DIR]

Measures, on 47 prefectures x 10 fiscal years (mixed formats, PDFs of 2-3 pages):
  1. plain pdfplumber (extract_text + extract_tables on every page of every PDF, one process);
  2. ``jokatsu ingest`` on an empty warehouse, default settings (a subprocess, Prefect's
     temporary server started and stopped inside it), with the peak memory of its process tree;
  3. the same pipeline without Prefect (the tasks' plain functions), to price Prefect's overhead;
  4. a second ``jokatsu ingest`` with nothing new;
  5. the DuckDB load alone (bulk), for the whole corpus;
  6. every analyst view on the resulting warehouse.
Run by hand; the figures go into bench/RESULTS.md. Not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_pdf import plain as plain_pdfplumber  # noqa: E402  (the same baseline)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            status = (entry / "status").read_text()
        except OSError:
            continue
        children.setdefault(int(stat[1]), []).append(int(entry.name))
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(entry.name)] = int(line.split()[1])
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack += children.get(current, [])
    return total / 1024


def run_ingest(folder: Path, db: Path, api_url: str | None = None) -> tuple[float, float, str]:
    """Wall seconds and peak memory (MB) of one ``jokatsu ingest`` subprocess.

    Without ``api_url`` the run starts (and stops) Prefect's temporary server itself.
    """
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    if api_url:
        env["PREFECT_API_URL"] = api_url
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "jokatsu"), "ingest", str(folder), "--db", str(db)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_mb(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"jokatsu ingest failed: {err}")
    return seconds, peak, out


def start_prefect_server(home: Path) -> tuple[subprocess.Popen[str], str]:
    """A long-running ``prefect server start`` on loopback, as the nightly setup has."""
    import urllib.request

    port = 4277
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "prefect"),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    for _ in range(240):
        try:
            urllib.request.urlopen(url + "/health", timeout=1)
            return server, url
        except OSError:
            time.sleep(0.5)
    raise SystemExit("prefect server did not start")


def without_prefect(folder: Path) -> tuple[float, list[object]]:
    """The pipeline's own work: the same stages, called as plain functions."""
    from extract import source_info
    from flows.ingest import batches, check, normalise, read
    from flows.plan import discover
    from flows.sandbox import GuardedReader, Limits

    started = time.perf_counter()
    files, _ = discover([folder])
    sources = [source_info(str(p), p.read_bytes()) for p in files]
    outcomes: list[object] = []
    limits = Limits()
    with GuardedReader(limits) as guard:
        from concurrent.futures import ThreadPoolExecutor

        def stages(batch):  # type: ignore[no-untyped-def]
            return check.fn(normalise.fn(read.fn(guard, batch)))

        with ThreadPoolExecutor(max_workers=limits.workers * 2) as pool:
            for result in pool.map(stages, batches(sources, limits.workers)):
                outcomes += result
    return time.perf_counter() - started, outcomes


def load_alone(outcomes: list[object], db: Path) -> float:
    from flows.ingest import PIPELINE_VERSION, Rejected
    from warehouse.store import publishing_writer, write_lock

    reports = [o for o in outcomes if not isinstance(o, Rejected)]
    with write_lock(db), publishing_writer(db) as warehouse:
        started = time.perf_counter()
        warehouse.load_many(reports, [], PIPELINE_VERSION, dt.datetime.now())  # type: ignore[arg-type]
        return time.perf_counter() - started


def view_timings(db: Path) -> list[tuple[str, float]]:
    import duckdb

    conn = duckdb.connect(str(db), read_only=True)
    names = [
        r[0]
        for r in conn.execute(
            "select view_name from duckdb_views() where not internal order by 1"
        ).fetchall()
    ]
    timings = []
    for name in names:
        best = min(
            _time(lambda n=name: conn.execute(f"select * from {n}").fetchall()) for _ in range(3)
        )
        timings.append((name, best))
    conn.close()
    return timings


def _time(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{os.cpu_count()} cores ({cpu}), {int(memory) / 1024 / 1024:.0f} GiB, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=470)
    parser.add_argument("--keep", type=Path, help="generate the corpus here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch) / "corpus"
        from tests.corpus.generate import write_corpus

        t = time.perf_counter()
        write_corpus(folder, count=args.count)
        generated = time.perf_counter() - t
        files = sorted(p for p in folder.iterdir() if p.is_file())
        pdfs = [p for p in files if p.suffix == ".pdf"]
        plain_s, pages = plain_pdfplumber(pdfs)
        db = Path(scratch) / "warehouse.duckdb"
        first_s, peak_mb, first_out = run_ingest(folder, db)
        bare_s, outcomes = without_prefect(folder)
        second_s, _, second_out = run_ingest(folder, db)
        server, url = start_prefect_server(Path(scratch) / "prefect")
        try:
            served_s, served_peak_mb, _ = run_ingest(folder, Path(scratch) / "served.duckdb", url)
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=60)
        load_s = load_alone(outcomes, Path(scratch) / "load.duckdb")
        views = view_timings(db)
    counts = {
        suffix: sum(1 for p in files if p.suffix == suffix)
        for suffix in (".pdf", ".xlsx", ".docx", ".txt")
    }
    overhead = first_s - bare_s
    lines = [
        f"machine: {machine()}",
        f"corpus: {len(files)} reports ({counts}), {pages} PDF pages; "
        f"generated in {generated:.1f} s",
        f"plain pdfplumber on the PDFs: {plain_s:.2f} s ({1000 * plain_s / pages:.1f} ms/page)",
        f"jokatsu ingest, empty warehouse: {first_s:.2f} s = {first_s / plain_s:.2f}x plain "
        f"(target <= 0.75x); {pages / first_s:.1f} PDF pages/s, {len(files) / first_s:.1f} files/s",
        f"same stages without Prefect: {bare_s:.2f} s; Prefect overhead {overhead:.2f} s = "
        f"{100 * overhead / first_s:.0f}% of the run (target <= 15%)",
        f"jokatsu ingest against a running Prefect server (PREFECT_API_URL set, the nightly "
        f"setup): {served_s:.2f} s = {served_s / plain_s:.2f}x plain; Prefect overhead "
        f"{served_s - bare_s:.2f} s = {100 * (served_s - bare_s) / served_s:.0f}% of the run; "
        f"peak memory {served_peak_mb:.0f} MB",
        f"second run, nothing new: {second_s:.2f} s (target <= 5 s)",
        f"DuckDB bulk load of all {len(outcomes)} outcomes: {load_s:.3f} s (target < 1 s)",
        f"peak memory of the ingest process tree: {peak_mb:.0f} MB (target < 1024 MB)",
        "analyst views (best of 3, ms): " + ", ".join(f"{n} {1000 * s:.1f}" for n, s in views),
        f"slowest view: {1000 * max(s for _, s in views):.1f} ms (target < 100 ms)",
        "first run summary: " + " | ".join(first_out.strip().splitlines()[:4]),
        "second run summary: " + " | ".join(second_out.strip().splitlines()[:2]),
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
