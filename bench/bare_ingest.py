"""``jokatsu ingest`` without Prefect: the same run core (flows/run.py: stages, batches,
reader pool and read-ahead), its batches on a thread pool instead of Prefect's tasks. Only
for the benchmark, which times it as a subprocess beside the real command to price
Prefect's overhead.

    .venv/bin/python bench/bare_ingest.py FOLDER DB
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.planning import prepare  # noqa: E402
from flows.run import THREADS, run_ingest  # noqa: E402
from flows.runner import RunMode  # noqa: E402
from flows.settings import load_settings  # noqa: E402


def run(folder: Path, db: Path) -> int:
    """The run core itself (flows/run.py), its batches on threads, with the read-ahead the
    command starts; the settings are the command's (jokatsu.toml, JOKATSU_*)."""
    settings = load_settings(db=db)
    prepared = prepare([folder], db, limits=settings.limits)
    reader = RunMode().read_ahead(settings.limits, prepared.plan.to_read)
    assert reader is not None
    summary = run_ingest([folder], settings, steps=THREADS, reader=reader)
    return len(summary.loaded)


if __name__ == "__main__":
    print(f"loaded {run(Path(sys.argv[1]), Path(sys.argv[2]))}")
