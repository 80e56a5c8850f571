"""Prefect's temporary API server, started by jokatsu itself and early.

Without ``PREFECT_API_URL`` Prefect starts a temporary server the first time a flow needs
its API: it imports its whole server application into the client first (3.6 s here) and
only then boots the server process (another ~4 s, one core). jokatsu starts the very same
server process (``uvicorn prefect.server.api.server:create_app``, as Prefect's
``SubprocessASGIServer`` does) right after the plan is known, without importing the server
into the client; the reader workers read files ahead meanwhile, and the flow then talks to
the server through ``PREFECT_API_URL`` for its duration. The server stops when the run ends.

A configured server (``PREFECT_API_URL`` in the environment, a Prefect profile or
``prefect_test_harness``) is always used as it is: nothing is started.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

from extract.errors import JokatsuError

STARTUP_ENV = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"


class PrefectServerFailed(JokatsuError):
    """Prefect's temporary server did not come up: the run cannot be recorded."""


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class TemporaryServer:
    """One Prefect API server process on a free loopback port."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "prefect.server.api.server:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "error",
                "--lifespan",
                "on",
            ],
            # The same environment Prefect gives its own temporary server.
            env={
                **os.environ,
                "PREFECT_UI_ENABLED": "0",
                "PREFECT__SERVER_EPHEMERAL": "1",
                "PREFECT__SERVER_FINAL": "1",
            },
            stdin=subprocess.DEVNULL,
        )

    def wait_ready(self, timeout: float) -> str:
        """Wait until the server answers its health check; return its API URL."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                code = None if self.process is None else self.process.returncode
                raise PrefectServerFailed(
                    f"Prefect's temporary server stopped while starting (exit code {code}); "
                    "run with --verbose to see its log, or set PREFECT_API_URL to a running "
                    "Prefect server"
                )
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=1) as answer:
                    if answer.status == 200:
                        return self.api_url
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise PrefectServerFailed(
            f"Prefect's temporary server did not answer within {timeout:.0f} s (a first start "
            f"migrates a new database; raise {STARTUP_ENV}), or set PREFECT_API_URL to a "
            "running Prefect server"
        )

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


def needs_temporary_server() -> bool:
    """Whether Prefect would start a temporary server: no API URL is configured anywhere
    and Prefect's settings allow one."""
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    return settings.api.url is None and settings.server.ephemeral.enabled


@contextlib.contextmanager
def prefect_api() -> Iterator[str | None]:
    """Make sure the flows run in this block have a Prefect API: the configured one, or a
    temporary server started now and stopped at the end. Yields the temporary URL (or None).
    """
    if not needs_temporary_server():
        yield None
        return
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )

    server = TemporaryServer()
    try:
        timeout = float(os.environ.get(STARTUP_ENV, "180"))
        url = server.wait_ready(timeout)
        # Heartbeats let a long-running server mark a killed run as crashed; a temporary
        # server dies with the run, so nobody would read them, and stopping the heartbeat
        # thread costs up to a second at the end of every run (it sleeps in 1 s steps).
        updates = {PREFECT_API_URL: url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
        with temporary_settings(updates=updates):
            try:
                yield url
            finally:
                _drain_prefect_workers()
    finally:
        server.stop()


def _drain_prefect_workers() -> None:
    """Send the logs and events Prefect still holds before its server goes away (as
    ``prefect_test_harness`` does); otherwise they retry against a stopped server at exit."""
    import inspect

    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.utilities.asyncutils import run_coro_as_sync

    async def drain() -> None:
        try:
            logs = APILogWorker.instance().drain()
            if inspect.isawaitable(logs):
                await logs
        except RuntimeError:  # no log worker was started
            pass
        events = EventsWorker.drain_all()
        if inspect.isawaitable(events):
            await events

    run_coro_as_sync(drain())
