"""The nightly run obeys the settings: a deployment served by ``jokatsu schedule`` from a
``jokatsu.toml`` with a corrections folder of its own, other per-file limits and another
worker count runs with every one of them, on a real ``prefect server start``; a clerk's
correction in that folder applies in the scheduled run."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import duckdb
import pytest

from flows.ingest import flow_for
from flows.schedule import build_deployment
from flows.settings import Settings, flow_parameters
from tests.conftest import SAMPLE
from tests.hostile import form

pytestmark = pytest.mark.slow  # a real server, a served deployment and one run

# Every run setting other than its default (docs/operations.md lists them).
LIMITS = {
    "read_seconds": 300.0,
    "read_memory_mb": 1536,
    "workers": 1,
    "files_per_worker": 40,
    "read_ahead": 3,
    "reader_niceness": 5,
    "pdf_max_mb": 20,
    "pdf_max_pages": 25,
    "scan_max_pages": 10,
    "scan_max_pixels": 30_000_000,
    "convert_seconds": 45.0,
    "bundle_max_members": 50,
    "bundle_max_mb": 100,
    "bundle_max_depth": 2,
    "corrections_max_mb": 2,
    "corrections_seconds": 5.0,
}


def _site(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An inbox with a report nobody can read as sent (a period 「通年」) and one that
    loads, and the clerk's corrections file for the first in a folder of its own."""
    inbox, corrections = tmp_path / "srv" / "inbox", tmp_path / "srv" / "corr"
    inbox.mkdir(parents=True)
    corrections.mkdir()
    fixed = inbox / "period.txt"
    fixed.write_text(form(period="通年"), encoding="utf-8")
    (inbox / "yamagata.txt").write_bytes((SAMPLE / "06_yamagata_fy2019.txt").read_bytes())
    sha = hashlib.sha256(fixed.read_bytes()).hexdigest()
    (corrections / "period.toml").write_text(
        f'sha256 = "{sha}"\ncorrected_by = "見本 花子"\nreason = "県に電話で確認"\n'
        '[[fix]]\nfield = "実施期間"\nvalue = "令和3年4月1日 ~ 令和4年3月31日"\n',
        encoding="utf-8",
    )
    return inbox, corrections, fixed


def _config(tmp_path: Path, inbox: Path, corrections: Path, name: str) -> Path:
    config = tmp_path / "jokatsu.toml"
    lines = [
        f'inbox = "{inbox}"',
        f'db = "{tmp_path / "srv" / "warehouse.duckdb"}"',
        f'corrections = "{corrections}"',
        'cron = "0 3 1 1 *"',
        f'deployment_name = "{name}"',
        *(f"{key} = {value}" for key, value in LIMITS.items()),
    ]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def test_the_deployment_carries_every_run_setting(tmp_path: Path) -> None:
    settings = Settings(
        inbox=tmp_path / "in",
        db=tmp_path / "w.duckdb",
        corrections=tmp_path / "corr",
        dask="tcp://127.0.0.1:8786",
        **LIMITS,  # type: ignore[arg-type]
    )
    deployment = build_deployment(settings)
    assert deployment.parameters == flow_parameters(settings, absolute=True)
    assert deployment.parameters["corrections"] == str((tmp_path / "corr").resolve())
    assert {k: deployment.parameters[k] for k in LIMITS} == LIMITS
    assert deployment.parameters["dask"] == "tcp://127.0.0.1:8786"
    assert type(flow_for(deployment.parameters).task_runner).__name__ == "DaskTaskRunner"


def test_a_scheduled_run_obeys_the_settings_file(prefect_server: str, tmp_path: Path) -> None:
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    inbox, corrections, fixed = _site(tmp_path)
    name = f"nightly-{uuid.uuid4().hex[:8]}"
    config = _config(tmp_path, inbox, corrections, name)
    env = {**os.environ, "PREFECT_API_URL": prefect_server, "JOKATSU_CONFIG": str(config)}
    env = {k: v for k, v in env.items() if not k.startswith("JOKATSU_") or k == "JOKATSU_CONFIG"}
    serving = subprocess.Popen(
        [sys.executable, "-m", "jokatsu.cli", "schedule"],
        env=env,
        cwd=tmp_path,  # the default corrections folder (data/corrections) is not here
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    printed: list[str] = []  # jokatsu schedule's console, line by line
    reading = threading.Thread(target=lambda: printed.extend(serving.stdout or []), daemon=True)
    reading.start()
    try:
        with SyncPrefectClient(prefect_server) as client:
            deadline = time.monotonic() + 300
            deployment = None
            while deployment is None and serving.poll() is None and time.monotonic() < deadline:
                try:
                    deployment = client.read_deployment_by_name(f"ingest/{name}")
                except Exception:
                    time.sleep(0.5)
            assert deployment is not None, serving.stderr.read() if serving.stderr else ""
            run = client.create_flow_run_from_deployment(deployment.id)  # "run it now"
            while time.monotonic() < deadline:
                run = client.read_flow_run(run.id)
                if run.state is not None and run.state.is_final():
                    break
                time.sleep(1)
            logs = client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id]))
            )
            # the run's own line (its completion hook) is printed after its state is final
            while not any(" finished " in line for line in printed) and serving.poll() is None:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.5)
    finally:
        os.killpg(serving.pid, signal.SIGTERM)
        try:
            serving.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(serving.pid, signal.SIGKILL)
            serving.wait()
    assert run.state is not None and run.state.is_completed(), run.state
    reading.join(timeout=60)
    # issue 23, problem 7: what jokatsu schedule says (registered, each run, stopped)
    said = [line.rstrip("\n") for line in printed]
    assert said[0].startswith(f"serving deployment ingest/{name}: cron '0 3 1 1 *' (Asia/Tokyo)")
    assert re.search(r", next run \d{4}-01-01 03:00 JST, ", said[0]), said[0]
    assert f"jokatsu schedule: run {run.name} finished Completed: 2 loaded" in said, said
    assert said[-1].startswith("stopped") and "is paused" in said[-1], said
    for key, value in {**LIMITS, "corrections": str(corrections)}.items():
        assert run.parameters[key] == value, key
    lines = [log.message for log in logs]
    pool = "reader pool: workers=1 read_seconds=300 read_memory_mb=1536 read_max_mb=200"
    pool += " files_per_worker=40 read_ahead=3 reader_niceness=5"
    pool += " pdf_max_mb=20 pdf_max_pages=25 scan_max_pages=10 scan_max_pixels=30000000"
    pool += " convert_seconds=45 bundle_max_members=50 bundle_max_mb=100 bundle_max_depth=2"
    pool += " corrections_max_mb=2 corrections_seconds=5"
    assert pool in lines, lines
    conn = duckdb.connect(str(tmp_path / "srv" / "warehouse.duckdb"), read_only=True)
    try:
        files = conn.execute("select path, status from source_files order by path").fetchall()
        period = conn.execute(
            "select r.period_start::varchar from reports r join source_files f "
            "on f.sha256 = r.source_sha256 where f.path = ?",
            [str(fixed)],
        ).fetchall()
    finally:
        conn.close()
    assert files == [(str(fixed), "loaded"), (str(inbox / "yamagata.txt"), "loaded")]
    assert period == [("2021-04-01",)]  # the clerk's correction, applied at night
