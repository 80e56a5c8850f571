"""The nightly deployment: the ``ingest`` flow served on a cron schedule.

Prefect's temporary server runs no scheduler (its runner only warns, and nothing ever
fires), so ``jokatsu schedule`` needs a long-running ``prefect server start`` and refuses to
serve without one. One ``jokatsu schedule`` serves a deployment at a time on a machine
(:func:`scheduler_lock`): a second refuses at once, naming the first's pid, and pauses nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
from pathlib import Path
from typing import cast

import httpx
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.settings import PREFECT_API_URL

from extract.errors import JokatsuError
from flows.ingest import flow_for, ingest
from flows.settings import Settings, flow_parameters
from warehouse.locks import pid_lock


class SchedulerUnavailable(JokatsuError):
    """No Prefect server to hold the schedule."""


def build_deployment(settings: Settings) -> RunnerDeployment:
    """The nightly deployment of ``ingest``: its cron schedule, and as its parameters every
    setting that changes a run (the inbox, the warehouse, the corrections folder, the
    per-file limits, the workers, the run mode: :func:`flows.settings.flow_parameters`, as
    ``jokatsu ingest`` uses them), so the scheduled run is the run the settings describe."""
    parameters = flow_parameters(settings, absolute=True)
    deployment = flow_for(parameters).to_deployment(
        name=settings.deployment_name,
        schedule=Cron(settings.cron, timezone=settings.timezone),
        parameters=parameters,
        description=f"Nightly ingestion of {settings.inbox} into {settings.db}",
        tags=["jokatsu", "nightly"],
    )
    return cast(RunnerDeployment, deployment)  # the sync form of Prefect's dual API


def next_run(cron: str, timezone: str) -> str:
    """When the schedule fires next, as the operator reads it (in its own time zone)."""
    import asyncio

    from prefect.server.schemas.schedules import CronSchedule

    (when,) = asyncio.run(CronSchedule(cron=cron, timezone=timezone).get_dates(n=1))
    return when.strftime("%Y-%m-%d %H:%M %Z")


def require_server(api_url: str | None, timeout: float = 5.0) -> str:
    """The API URL of a running Prefect server, or :class:`SchedulerUnavailable`."""
    hint = (
        "start one with `prefect server start --host 127.0.0.1` and set PREFECT_API_URL="
        "http://127.0.0.1:4200/api (see docs/operations.md, 'Nightly schedule')"
    )
    if not api_url:
        raise SchedulerUnavailable(
            "PREFECT_API_URL is not set: Prefect's temporary server runs no schedules; " + hint
        )
    try:
        response = httpx.get(api_url.rstrip("/") + "/health", timeout=timeout)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise SchedulerUnavailable(
            f"no Prefect server answers at {api_url} ({type(exc).__name__}); " + hint
        ) from None
    return api_url


def serve_nightly(settings: Settings) -> None:
    """Register the deployment and run it on its schedule until stopped (Ctrl-C or SIGTERM);
    then its schedule is paused, so no runs pile up as Late while nobody serves it (the
    next ``jokatsu schedule`` resumes it)."""
    from prefect import serve

    api_url = require_server(PREFECT_API_URL.value())
    with scheduler_lock(api_url, settings.deployment_name):  # refuses a second one, unpaused
        deployment = build_deployment(settings)
        try:
            serve(deployment, pause_on_shutdown=True)
        finally:
            pause_schedule(deployment.name)


class AlreadyServed(JokatsuError):
    """Another ``jokatsu schedule`` serves this deployment on this server."""


def scheduler_lock_path(api_url: str, deployment_name: str) -> Path:
    """One lock per (server, deployment) on this machine, whatever the user's settings."""
    key = hashlib.sha256(f"{api_url}\n{deployment_name}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"jokatsu-schedule-{key}.lock"


def scheduler_lock(api_url: str, deployment_name: str) -> contextlib.AbstractContextManager[None]:
    """Hold the one-scheduler lock of a deployment, or raise :class:`AlreadyServed` naming
    the pid that serves it (:func:`warehouse.locks.pid_lock`); a refused second scheduler
    pauses nothing (issue #24: stopping the second paused the first's schedule, which then
    served nothing)."""

    def busy(holder: str) -> AlreadyServed:
        return AlreadyServed(
            f"deployment ingest/{deployment_name} is already served by {holder} on "
            f"{api_url}: stop that one first (one scheduler per deployment)"
        )

    return pid_lock(scheduler_lock_path(api_url, deployment_name), "jokatsu schedule", busy)


def pause_schedule(deployment_name: str) -> bool:
    """Pause the served deployment's schedule on the server (Prefect's runner does so too
    on a clean stop; this also covers a stop it did not see through). Whether it paused."""
    from prefect.client.orchestration import get_client

    try:
        with get_client(sync_client=True) as client:
            found = client.read_deployment_by_name(f"{ingest.name}/{deployment_name}")
            client.pause_deployment(found.id)
    except Exception:  # the server may be gone with us: nothing left to pause then
        return False
    return True
