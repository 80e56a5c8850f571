"""The ``ingest`` Prefect flow: files in, warehouse out. The run itself is
:func:`flows.run.run_ingest` (Prefect-free); here its stages become Prefect tasks (scan,
process, load), and its summary the flow's final state and artifact.

The flow's parameters are plain values, the settings that change a run
(:func:`flows.settings.flow_parameters` builds them, for the command line and the nightly
deployment alike); no live object is one. The reader pool is started inside, from the
limits, or adopted when the command started it ahead (:func:`flows.runner.take_reader`).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun
from prefect.states import Completed, Failed
from prefect.utilities.annotations import quote

from extract.errors import JokatsuError
from extract.model import SourceInfo
from extract.text import shown
from flows.guard import GuardedReader
from flows.limits import Limits
from flows.planning import PIPELINE_VERSION, Scan, hash_files
from flows.run import Result, Steps, run_ingest
from flows.runner import RunMode, take_reader
from flows.settings import Settings, run_settings
from flows.stages import Outcome, load_batch, process_batch
from flows.summary import IngestSummary, failure_line, failure_markdown
from transform.corrections import Correction
from warehouse.store import Warehouse

DEFAULT_DB: Path = Settings.model_fields["db"].default
DEFAULT_INBOX: Path = Settings.model_fields["inbox"].default
DEFAULT_CORRECTIONS: Path = Settings.model_fields["corrections"].default


def _default(name: str) -> Any:
    return Settings.model_fields[name].default


def _is_io_error(task: Any, task_run: TaskRun, state: State[Any]) -> bool:
    try:
        state.result()
    except OSError:
        return True
    except BaseException:
        return False
    return False


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=_is_io_error, cache_policy=NO_CACHE)
def scan(paths: list[Path], limits: Limits) -> Scan:
    """Find report files under the paths, in load order, and hash their contents (none
    larger than ``limits.max_bytes``; zip bundles unpacked under ``limits.bundle``)."""
    return hash_files(paths, limits)


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=_is_io_error, cache_policy=NO_CACHE)
def process(
    reader: GuardedReader | None,
    sources: list[SourceInfo],
    today: date,
    corrections: dict[str, tuple[Correction, ...]],
    limits: Limits,
) -> list[Outcome]:
    """Read, normalise (after the clerks' corrections, if any) and check a batch of files,
    each under the per-file limits (extract/ and transform/ in the guarded workers)."""
    return process_batch(reader, sources, today, corrections, limits)


@task(cache_policy=NO_CACHE)
def load(warehouse: Warehouse, outcomes: list[Outcome], now: datetime) -> list[Outcome]:
    """Load a batch of reports and quarantine its rejected files (one transaction; a file
    the database refuses is quarantined alone)."""
    return load_batch(warehouse, outcomes, PIPELINE_VERSION, now)


def announce_scheduled_run(flow: Any, flow_run: Any, state: State[Any]) -> None:
    """One line per finished run of the deployment, on the console of ``jokatsu schedule``
    (its runner streams the run's output); a run started by hand prints its summary."""
    if getattr(flow_run, "deployment_id", None) is None:
        return
    print(
        f"jokatsu schedule: run {flow_run.name} finished {state.name}: {state.message or ''}",
        flush=True,
    )


@flow(
    name="ingest",
    log_prints=False,
    on_completion=[announce_scheduled_run],
    on_failure=[announce_scheduled_run],
)
def ingest(
    paths: list[Path] | None = None,
    db: Path = DEFAULT_DB,
    retry_quarantined: bool = False,
    corrections: Path | None = DEFAULT_CORRECTIONS,
    read_seconds: float = _default("read_seconds"),
    read_memory_mb: int = _default("read_memory_mb"),
    read_max_mb: int = _default("read_max_mb"),
    workers: int = _default("workers"),
    files_per_worker: int = _default("files_per_worker"),
    read_ahead: int = _default("read_ahead"),
    reader_niceness: int = _default("reader_niceness"),
    pdf_max_mb: int = _default("pdf_max_mb"),
    pdf_max_pages: int = _default("pdf_max_pages"),
    scan_max_pages: int = _default("scan_max_pages"),
    scan_max_pixels: int = _default("scan_max_pixels"),
    convert_seconds: float = _default("convert_seconds"),
    bundle_max_members: int = _default("bundle_max_members"),
    bundle_max_mb: int = _default("bundle_max_mb"),
    bundle_max_depth: int = _default("bundle_max_depth"),
    corrections_max_mb: int = _default("corrections_max_mb"),
    corrections_seconds: float = _default("corrections_seconds"),
    dask: str | None = None,
) -> IngestSummary:
    """Ingest report files (or folders, recursively) into the DuckDB warehouse at ``db``.

    Each parameter is the setting of the same name (docs/operations.md). Files are read in a
    guarded pool of worker processes under the per-file limits (``read_seconds``,
    ``read_memory_mb``, ``read_max_mb``, and the readers' ``pdf_max_mb``, ``pdf_max_pages``,
    ``scan_max_pages``, ``scan_max_pixels``, ``convert_seconds``, a zip bundle's
    ``bundle_max_members``, ``bundle_max_mb``, ``bundle_max_depth``; ``workers`` processes,
    each replaced after ``files_per_worker`` files, ``read_ahead`` files started early, at
    ``reader_niceness``); with ``dask`` (a scheduler's address, the flow run with
    :func:`flow_for`'s task runner) files are read on the Dask workers instead, and loads
    still run here, on the single writer.
    ``corrections`` is the folder of the clerks' corrections files (each at most
    ``corrections_max_mb``, read within ``corrections_seconds``).
    """
    settings = run_settings(locals())  # the parameters, each by its name (RUN_SETTINGS)
    logger = get_run_logger()
    try:
        return _ingest(paths, settings, retry_quarantined)  # type: ignore[return-value]
    except (JokatsuError, OSError, duckdb.Error) as exc:
        # The machine's fault or a failed data check: nothing was published. One line says
        # what happened and what to do, in the log, the run's state and its artifact (the
        # traceback only with --verbose, from the CLI).
        line = failure_line(exc)
        logger.error(line)
        create_markdown_artifact(
            key="ingest-summary", markdown=failure_markdown(line), description=line
        )
        return Failed(message=line, data=exc)  # type: ignore[return-value]


def _ingest(
    paths: list[Path] | None, settings: Settings, retry_quarantined: bool
) -> State[IngestSummary]:
    """The flow's work: the run core with Prefect's tasks as its steps, then the summary as
    the run's log lines, artifact and final state."""
    logger = get_run_logger()
    steps = Steps(scan=scan, process=_submit, load=_load, run_id=_run_id, log=logger.info)
    summary = run_ingest(
        paths or [DEFAULT_INBOX], settings, retry_quarantined, steps, take_reader(settings.limits)
    )
    for line in summary.log_lines():
        logger.warning(line)
    logger.info("summary:\n%s", summary.to_text())
    create_markdown_artifact(
        key="ingest-summary",
        markdown=summary.markdown(),
        description=f"{summary.counts_ja()}（jokatsu ingest: {shown(str(settings.db))}）",
    )
    return Completed(name=summary.state_name, message=summary.state_message(), data=summary)


def flow_for(parameters: dict[str, Any]) -> Any:
    """The ``ingest`` flow to run with these parameters: on a Dask cluster's task runner when
    they name one (the parameter ``dask``), else as it is."""
    runner = RunMode(parameters.get("dask")).task_runner()
    return ingest.with_options(task_runner=runner) if runner is not None else ingest


def _submit(
    reader: GuardedReader | None,
    sources: list[SourceInfo],
    today: date,
    fixes: dict[str, tuple[Correction, ...]],
    limits: Limits,
) -> Result:
    future: Result = process.submit(reader, sources, today, fixes, limits)
    return future


def _load(warehouse: Warehouse, outcomes: list[Outcome], now: datetime) -> list[Outcome]:
    loaded: list[Outcome] = load(warehouse, quote(outcomes), now)  # type: ignore[call-overload]
    return loaded


def _run_id() -> str:
    """The Prefect flow run's id (a fresh one outside a run)."""
    from prefect.runtime import flow_run

    return str(flow_run.id or uuid.uuid4())
