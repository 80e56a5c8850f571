"""End-to-end benchmark of ``jokatsu ingest`` on a generated corpus, in one run.

    .venv/bin/python bench/bench_ingest.py [--count 470] [--rounds 3] [--keep DIR]

On 47 prefectures x 10 fiscal years (mixed formats, PDFs of 2-3 pages), in interleaved
rounds (this machine's speed drifts by up to a third between minutes, so each round's
figures are compared with the same round's baseline and the medians are reported):
  1. plain pdfplumber (extract_text + extract_tables on every page of every PDF, one process);
  2. ``jokatsu ingest`` on an empty warehouse, default settings (a subprocess that starts
     and stops Prefect's temporary server), with the peak memory of its process tree;
  3. the same run without Prefect (bench/bare_ingest.py, a subprocess): Prefect's overhead
     is (2) minus (3);
  4. ``jokatsu ingest`` against a running ``prefect server start`` (the nightly setup);
  5. a second ``jokatsu ingest`` with nothing new;
then once: the DuckDB load alone (bulk) for the whole corpus, and every analyst view.
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
from statistics import median

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


def run_tree(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak memory (MB) of the process tree, and stdout of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
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
        raise SystemExit(f"{command[1]} failed: {err}")
    return seconds, peak, out


def run_ingest(folder: Path, db: Path, api_url: str | None = None) -> tuple[float, float, str]:
    """One ``jokatsu ingest``; without ``api_url`` it starts Prefect's temporary server."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    if api_url:
        env["PREFECT_API_URL"] = api_url
    command = [str(ROOT / ".venv" / "bin" / "jokatsu"), "ingest", str(folder), "--db", str(db)]
    return run_tree(command, env)


def run_bare(folder: Path, db: Path) -> float:
    """The same run without Prefect (bench/bare_ingest.py)."""
    python = str(ROOT / ".venv" / "bin" / "python")
    return run_tree([python, str(ROOT / "bench" / "bare_ingest.py"), str(folder), str(db)])[0]


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


def outcomes_of(folder: Path) -> list[object]:
    """Every file's outcome (read, normalised, checked), for timing the load alone."""
    from flows.guard import GuardedReader
    from flows.limits import Limits
    from flows.planning import hash_files
    from flows.stages import process_batch

    sources = hash_files([folder]).sources
    with GuardedReader(Limits()) as reader:
        return list(process_batch(reader, sources, reader.today))


def load_alone(outcomes: list[object], db: Path) -> float:
    from flows.planning import PIPELINE_VERSION
    from flows.stages import Rejected
    from warehouse.publish import publishing_writer, write_lock

    reports = [r for o in outcomes if not isinstance(o, Rejected) for r in o.reports]  # type: ignore[attr-defined]
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


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    return f"median {fmt.format(median(values))} (runs: {', '.join(fmt.format(v) for v in values)})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=470)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate the corpus here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        folder = args.keep or scratch / "corpus"
        from tests.corpus.generate import write_corpus

        t = time.perf_counter()
        if not (folder.is_dir() and any(folder.iterdir())):
            write_corpus(folder, count=args.count)
        generated = time.perf_counter() - t
        files = sorted(p for p in folder.iterdir() if p.is_file())
        pdfs = [p for p in files if p.suffix == ".pdf"]
        server, url = start_prefect_server(scratch / "prefect")
        fig: dict[str, list[float]] = {
            k: [] for k in ("plain", "temp", "peak", "bare", "served", "served_peak", "second")
        }
        pages = 0
        first_out = second_out = ""
        try:
            for r in range(args.rounds):
                plain_s, pages = plain_pdfplumber(pdfs)
                fig["plain"].append(plain_s)
                db = scratch / f"warehouse-{r}.duckdb"
                first_s, peak_mb, first_out = run_ingest(folder, db)
                fig["temp"].append(first_s)
                fig["peak"].append(peak_mb)
                fig["bare"].append(run_bare(folder, scratch / f"bare-{r}.duckdb"))
                served_s, served_peak, _ = run_ingest(folder, scratch / f"served-{r}.duckdb", url)
                fig["served"].append(served_s)
                fig["served_peak"].append(served_peak)
                second_s, _, second_out = run_ingest(folder, db)
                fig["second"].append(second_s)
                print(
                    f"round {r + 1}: plain {plain_s:.2f} s, ingest {first_s:.2f} s, "
                    f"bare {fig['bare'][-1]:.2f} s, served {served_s:.2f} s, "
                    f"second {second_s:.2f} s",
                    file=sys.stderr,
                )
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=60)
        load_s = load_alone(outcomes_of(folder), scratch / "load.duckdb")
        views = view_timings(scratch / "warehouse-0.duckdb")
    counts = {
        suffix: sum(1 for p in files if p.suffix == suffix)
        for suffix in (".pdf", ".xlsx", ".docx", ".txt")
    }
    rounds = range(args.rounds)
    ratio = [fig["temp"][i] / fig["plain"][i] for i in rounds]
    served_ratio = [fig["served"][i] / fig["plain"][i] for i in rounds]
    overhead = [fig["temp"][i] - fig["bare"][i] for i in rounds]
    share = [100 * overhead[i] / fig["temp"][i] for i in rounds]
    served_overhead = [fig["served"][i] - fig["bare"][i] for i in rounds]
    served_share = [100 * served_overhead[i] / fig["served"][i] for i in rounds]
    bare_ratio = [fig["bare"][i] / fig["plain"][i] for i in rounds]
    lines = [
        f"machine: {machine()}",
        f"corpus: {len(files)} reports ({counts}), {pages} PDF pages; "
        f"generated in {generated:.1f} s; {args.rounds} interleaved rounds",
        f"plain pdfplumber on the PDFs (s): {spread(fig['plain'])}; "
        f"{1000 * median(fig['plain']) / pages:.1f} ms/page",
        f"jokatsu ingest, empty warehouse, temporary Prefect server (s): {spread(fig['temp'])}; "
        f"{pages / median(fig['temp']):.1f} PDF pages/s, {len(files) / median(fig['temp']):.1f} "
        "files/s",
        f"  ratio to plain (target <= 0.75): {spread(ratio)}",
        f"same run without Prefect (s): {spread(fig['bare'])}; ratio to plain {spread(bare_ratio)}",
        f"Prefect overhead, temporary server (s): {spread(overhead)}; share of the run (%, "
        f"target <= 15): {spread(share, '{:.0f}')}",
        f"jokatsu ingest against a running Prefect server (s): {spread(fig['served'])}",
        f"  ratio to plain (target <= 0.75): {spread(served_ratio)}",
        f"  Prefect overhead (s): {spread(served_overhead)}; share (%, target <= 15): "
        f"{spread(served_share, '{:.0f}')}",
        f"second run, nothing new (s, target <= 5): {spread(fig['second'])}",
        f"DuckDB bulk load of all {len(files)} outcomes: {load_s:.3f} s (target < 1 s)",
        "peak memory of the ingest process tree (MB, target < 1024): "
        f"{spread(fig['peak'], '{:.0f}')}; against a running server "
        f"{spread(fig['served_peak'], '{:.0f}')}",
        "analyst views (best of 3, ms): " + ", ".join(f"{n} {1000 * s:.1f}" for n, s in views),
        f"slowest view: {1000 * max(s for _, s in views):.1f} ms (target < 100 ms)",
        "first run summary: " + " | ".join(first_out.strip().splitlines()[:4]),
        "second run summary: " + " | ".join(second_out.strip().splitlines()[:2]),
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
