from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from jokatsu.cli import configure_prefect

configure_prefect()

# No test may depend on wall-clock margins (the suite runs on a busy 2-core machine):
# Hypothesis's per-example deadline (200 ms by default) is off for every property test.
settings.register_profile("jokatsu", deadline=None)
settings.load_profile("jokatsu")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
REAL_REPORT = SAMPLE / "000_b75168460d201e43.txt"
HOSTILE_PREFIX = "jokatsu-hostile-"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Remove hostile-input folders a killed earlier session left behind (their 1,500-level
    chain needs :func:`tests.hostile.remove_deep`)."""
    import tempfile

    from tests.hostile import remove_deep

    for stale in Path(tempfile.gettempdir()).glob(HOSTILE_PREFIX + "*"):
        owner = stale.name.removeprefix(HOSTILE_PREFIX).split("-")[0]
        if owner.isdigit() and _alive(int(owner)):
            continue  # another session's, still running
        remove_deep(stale / "inbox")
        remove_deep(stale)


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the expected JSON of every golden case from the current output",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server (and database) for every flow test of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Prefect server, as an operator starts it, on a port of its own."""
    import httpx

    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    home = tmp_path_factory.mktemp("prefect-home")
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_API_URL": api,
        "PREFECT_API_URL": api,
    }
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240  # a first start migrates its database
        while True:
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("prefect server start did not come up")
            time.sleep(0.5)
        yield api
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def real_report_bytes() -> bytes:
    return REAL_REPORT.read_bytes()


@pytest.fixture(autouse=True)
def _no_stray_cwd_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run in a temporary folder so a default path never touches the repo's data/."""
    monkeypatch.chdir(tmp_path)
