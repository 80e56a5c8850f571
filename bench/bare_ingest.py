"""``jokatsu ingest`` without Prefect: the same stages, batches, reader pool and read-ahead,
orchestrated by a thread pool instead of a flow. Only for the benchmark, which times it
as a subprocess beside the real command to price Prefect's overhead.

    .venv/bin/python bench/bare_ingest.py FOLDER DB
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.limits import Limits  # noqa: E402
from flows.planning import (  # noqa: E402
    PIPELINE_VERSION,
    hash_files,
    known_state,
    plan_run,
    prepare,
)
from flows.runner import RunMode  # noqa: E402
from flows.stages import (  # noqa: E402
    Outcome,
    batches,
    finish_run,
    load_batch,
    process_batch,
    utc_now,
)
from warehouse.load import RunCounts  # noqa: E402
from warehouse.publish import publishing_writer, write_lock  # noqa: E402


def run(folder: Path, db: Path) -> int:
    limits = Limits()
    prepared = prepare([folder], db)
    reader = RunMode().read_ahead(limits, prepared.plan.to_read)
    assert reader is not None
    loaded = 0
    with write_lock(db):
        scan = hash_files([folder])  # as the flow's scan task does, under the lock
        known, _ = known_state(db)
        plan = plan_run(scan.sources, known, PIPELINE_VERSION)

        def stages(batch: list) -> list[Outcome]:  # type: ignore[type-arg]
            return process_batch(reader, batch, reader.today)

        now = utc_now()
        try:
            # Prefect's default thread pool has the same size.
            with ThreadPoolExecutor(max_workers=min(32, limits.workers + 4)) as pool:
                futures = [pool.submit(stages, b) for b in batches(plan.to_read, limits.workers)]
                with publishing_writer(db) as warehouse:
                    for future in futures:
                        outcomes = load_batch(warehouse, future.result(), PIPELINE_VERSION, now)
                        loaded += len(outcomes)
                    counts = RunCounts(loaded, 0, len(plan.duplicates))
                    finish_run(warehouse, plan.duplicates, PIPELINE_VERSION, "bare", now, counts)
        finally:
            reader.close()
    return loaded


if __name__ == "__main__":
    print(f"loaded {run(Path(sys.argv[1]), Path(sys.argv[2]))}")
