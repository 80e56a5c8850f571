"""The nightly deployment: its cron schedule, its inbox, and a refusal without a server."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from prefect.client.schemas.schedules import CronSchedule

from flows.schedule import SchedulerUnavailable, build_deployment, require_server
from flows.settings import Settings, flow_parameters, load_settings


def test_settings_come_from_the_file_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "jokatsu.toml"
    config.write_text(
        'inbox = "/srv/inbox"\ncron = "30 1 * * *"\nread_seconds = 30\nfiles_per_worker = 40\n'
    )
    monkeypatch.setenv("JOKATSU_CONFIG", str(config))
    monkeypatch.setenv("JOKATSU_CRON", "15 3 * * *")
    settings = load_settings(db=Path("/srv/w.duckdb"))
    assert settings.inbox == Path("/srv/inbox")  # file
    assert settings.cron == "15 3 * * *"  # environment beats file
    assert settings.db == Path("/srv/w.duckdb")  # the command line beats both
    assert (settings.limits.seconds, settings.limits.files_per_worker) == (30, 40)
    assert flow_parameters(settings)["files_per_worker"] == 40  # a parameter of the run
    assert settings.timezone == "Asia/Tokyo"  # default
    monkeypatch.setenv("JOKATSU_READ_AHEAD", "0")
    monkeypatch.setenv("JOKATSU_READER_NICENESS", "3")
    limits = load_settings().limits
    assert (limits.read_ahead, limits.niceness) == (0, 3)


def test_the_default_settings_are_valid() -> None:
    defaults = {name: f.default for name, f in Settings.model_fields.items()}
    assert Settings.model_validate(defaults) == Settings()  # validated, they are the same
    assert Settings(cron=defaults["cron"], timezone=defaults["timezone"]).cron == "0 2 * * *"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("workers", 0),
        ("files_per_worker", 0),
        ("read_ahead", -1),
        ("reader_niceness", 20),
        ("pdf_max_pages", 0),
        ("scan_max_pages", 0),
        ("scan_max_pixels", 0),
        ("convert_seconds", 0),
        ("bundle_max_members", 0),
        ("bundle_max_mb", 0),
        ("bundle_max_depth", 0),
        ("corrections_max_mb", 0),
        ("corrections_seconds", 0),
    ],
)
def test_reader_settings_out_of_range_are_refused(field: str, value: int) -> None:
    with pytest.raises(ValueError, match=field):
        Settings.model_validate({field: value})


@pytest.mark.parametrize(
    ("field", "value"), [("cron", "every night"), ("timezone", "Mars/Olympus")]
)
def test_bad_settings_are_refused(field: str, value: str) -> None:
    with pytest.raises(ValueError, match=value):
        Settings.model_validate({field: value})


def test_the_deployment_carries_the_cron_and_the_inbox(tmp_path: Path) -> None:
    settings = Settings(inbox=tmp_path / "inbox", db=tmp_path / "w.duckdb", cron="0 2 * * *")
    deployment = build_deployment(settings)
    (schedule,) = deployment.schedules  # type: ignore[misc]
    assert isinstance(schedule.schedule, CronSchedule)
    assert schedule.schedule.cron == "0 2 * * *"
    assert schedule.schedule.timezone == "Asia/Tokyo"
    assert deployment.parameters["paths"] == [str((tmp_path / "inbox").resolve())]
    assert deployment.name == "nightly"


@pytest.mark.usefixtures("prefect_harness")
def test_the_deployment_is_registered_on_the_server_with_its_schedule(tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client

    settings = Settings(inbox=tmp_path / "inbox", db=tmp_path / "w.duckdb", cron="45 1 * * *")
    deployment_id = build_deployment(settings).apply()
    assert isinstance(deployment_id, uuid.UUID)
    with get_client(sync_client=True) as client:
        stored = client.read_deployment(deployment_id)
    assert stored.name == "nightly"
    crons = [s.schedule for s in stored.schedules if isinstance(s.schedule, CronSchedule)]
    assert [c.cron for c in crons] == ["45 1 * * *"]
    assert [c.timezone for c in crons] == ["Asia/Tokyo"]
    assert stored.parameters["paths"] == [str((tmp_path / "inbox").resolve())]


def test_schedule_refuses_without_a_server() -> None:
    with pytest.raises(SchedulerUnavailable, match="PREFECT_API_URL is not set"):
        require_server(None)
    with pytest.raises(SchedulerUnavailable, match="no Prefect server answers"):
        require_server("http://127.0.0.1:9/api", timeout=1)


@pytest.mark.usefixtures("prefect_harness")
@pytest.mark.parametrize("stop", ["SIGTERM", "SIGINT"])
def test_stopping_the_schedule_pauses_it(tmp_path: Path, stop: str) -> None:
    """`jokatsu schedule` stopped by SIGTERM or Ctrl-C (SIGINT) leaves its deployment
    paused, so runs do not pile up as Late while nobody serves them."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    name = f"nightly-{stop.lower()}"
    env = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "JOKATSU_DEPLOYMENT_NAME": name,
    }
    command = [sys.executable, "-m", "jokatsu.cli", "schedule", "--inbox", str(tmp_path)]
    command += ["--db", str(tmp_path / "w.duckdb"), "--cron", "0 3 * * *"]
    process = subprocess.Popen(
        command,
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with get_client(sync_client=True) as client:
            deadline = time.monotonic() + 240
            served = None
            while served is None and process.poll() is None and time.monotonic() < deadline:
                try:
                    found = client.read_deployment_by_name(f"ingest/{name}")
                    served = found if not found.paused else None
                except Exception:
                    time.sleep(0.5)
            assert served is not None, process.stderr.read() if process.stderr else ""
            process.send_signal(getattr(signal, stop))
            process.wait(timeout=120)
            assert client.read_deployment_by_name(f"ingest/{name}").paused
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_second_scheduler_of_a_deployment_refuses_naming_the_first(tmp_path: Path) -> None:
    """Issue #24: two ``jokatsu schedule`` served one deployment, and stopping one paused the
    schedule the other still served."""
    import os

    from flows.schedule import AlreadyServed, scheduler_lock

    url = f"http://127.0.0.1:1/{tmp_path.name}/api"  # a key of this test's own
    with scheduler_lock(url, "nightly"):
        with (
            pytest.raises(
                AlreadyServed, match=f"already served by jokatsu schedule pid {os.getpid()}"
            ),
            scheduler_lock(url, "nightly"),
        ):
            pass  # never reached: the second serves (and so pauses) nothing
        with scheduler_lock(url, "other"):  # another deployment is its own
            pass
    with scheduler_lock(url, "nightly"):  # free again once the first stops
        pass


def test_the_schedule_says_when_it_runs_next_and_each_run_that_finished(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Problem 7 of issue 23: `jokatsu schedule` was silent. Its first line names the next
    run in the schedule's time zone; each finished run of the deployment prints one line
    (a run started by hand prints its own summary instead)."""
    import re
    from types import SimpleNamespace

    from prefect.client.schemas.objects import State
    from prefect.states import Completed

    from flows.ingest import announce_scheduled_run
    from flows.schedule import next_run

    assert re.fullmatch(r"\d{4}-\d\d-\d\d 02:00 JST", next_run("0 2 * * *", "Asia/Tokyo"))
    state: State[None] = Completed(
        name="Completed with problems", message="54 loaded, 3 quarantined"
    )
    announce_scheduled_run(None, SimpleNamespace(name="by-hand", deployment_id=None), state)
    assert capsys.readouterr().out == ""
    announce_scheduled_run(None, SimpleNamespace(name="nightly-1", deployment_id="d"), state)
    assert capsys.readouterr().out == (
        "jokatsu schedule: run nightly-1 finished Completed with problems: "
        "54 loaded, 3 quarantined\n"
    )


def test_every_run_setting_is_read_back_from_the_flows_parameters(tmp_path: Path) -> None:
    import inspect

    from flows.ingest import ingest
    from flows.settings import RUN_SETTINGS, run_settings

    changed = Settings(
        db=tmp_path / "w.duckdb",
        corrections=tmp_path / "corr",
        read_seconds=30.0,
        read_memory_mb=1024,
        read_max_mb=50,
        workers=3,
        files_per_worker=7,
        read_ahead=2,
        reader_niceness=4,
        pdf_max_mb=5,
        pdf_max_pages=6,
        scan_max_pages=8,
        scan_max_pixels=1_000_000,
        convert_seconds=20.0,
        bundle_max_members=9,
        bundle_max_mb=10,
        bundle_max_depth=2,
        corrections_max_mb=3,
        corrections_seconds=4.0,
        dask="tcp://127.0.0.1:8786",
    )
    defaults = Settings()
    assert [n for n in RUN_SETTINGS if getattr(changed, n) == getattr(defaults, n)] == []
    parameters = flow_parameters(changed)
    back = run_settings(parameters)
    assert flow_parameters(back) == parameters  # read back identically
    assert back.limits == changed.limits
    assert set(inspect.signature(ingest.fn).parameters) == set(parameters)  # the flow's own


def test_the_scheduler_lock_is_never_written_through_a_link(tmp_path: Path) -> None:
    """The one-scheduler lock opens its file as the warehouse's write lock does
    (warehouse/locks.py): a link planted at its path is refused, its target untouched."""
    from flows.schedule import scheduler_lock, scheduler_lock_path
    from warehouse.locks import UnsafeLockFile

    url = f"http://127.0.0.1:1/{tmp_path.name}/link/api"
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = scheduler_lock_path(url, "nightly")
    link.symlink_to(target)
    try:
        with pytest.raises(UnsafeLockFile, match="is a link"), scheduler_lock(url, "nightly"):
            pass
    finally:
        link.unlink()
    assert target.read_text() == "keep me"
