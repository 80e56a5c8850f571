"""jokatsu's own start of Prefect's temporary server (flows/server.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.server import PrefectServerFailed, TemporaryServer, needs_temporary_server, prefect_api
from tests.conftest import REAL_REPORT


@pytest.fixture
def no_configured_server(prefect_harness: None) -> Iterator[None]:
    """Settings as on a machine where no Prefect API URL is configured."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        yield


def test_a_configured_server_is_used_as_it_is(prefect_harness: None) -> None:
    from prefect.settings import PREFECT_API_URL

    configured = PREFECT_API_URL.value()
    assert not needs_temporary_server()
    with prefect_api() as started:
        assert started is None
        assert PREFECT_API_URL.value() == configured


def test_without_a_server_one_is_started_for_the_block_and_stopped(
    no_configured_server: None,
) -> None:
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY

    @flow(name="jokatsu-server-test")
    def tiny() -> str:
        from prefect.runtime import flow_run

        return str(flow_run.id)

    assert needs_temporary_server()
    with prefect_api() as url:
        assert url is not None and PREFECT_API_URL.value() == url
        assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() is None  # nobody would read them
        run_id = tiny()
        with get_client(sync_client=True) as client:
            recorded = client.read_flow_run(uuid.UUID(str(run_id)))  # recorded on this server
        assert recorded.state_name == "Completed"
    assert PREFECT_API_URL.value() is None
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/health", timeout=2)


def test_a_server_that_dies_while_starting_is_reported() -> None:
    server = TemporaryServer()
    assert server.process is not None
    server.process.kill()
    server.process.wait()
    with pytest.raises(PrefectServerFailed, match="stopped while starting"):
        server.wait_ready(timeout=30)
    server.stop()


def test_a_server_that_does_not_answer_in_time_is_stopped() -> None:
    server = TemporaryServer()
    with pytest.raises(PrefectServerFailed, match="did not answer within 0 s"):
        server.wait_ready(timeout=0)
    assert server.process is None


def _processes_with_env(entry: bytes) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and entry in (proc / "environ").read_bytes().split(b"\0"):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_jokatsu_ingest_with_no_server_configured_starts_and_stops_its_own(
    tmp_path: Path,
) -> None:
    """The path a user takes by default: no PREFECT_API_URL anywhere, a new Prefect home."""
    home = tmp_path / "prefect-home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(home)
    jokatsu = Path(sys.executable).parent / "jokatsu"
    done = subprocess.run(
        [str(jokatsu), "ingest", str(REAL_REPORT), "--db", str(tmp_path / "w.duckdb")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "loaded: 1" in done.stdout
    assert (home / "prefect.db").exists()  # the run was recorded by the temporary server
    assert _processes_with_env(f"PREFECT_HOME={home}".encode()) == []  # and it stopped
