"""The ``jokatsu`` command. Typed errors become one clear line and an exit status."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from pydantic import ValidationError

from extract.errors import JokatsuError
from extract.text import shown
from flows.settings import config_path, load_settings

STARTED = time.perf_counter()  # the command's wall time counts from its start here

EXIT_OK, EXIT_FAILED, EXIT_STRICT = 0, 1, 2
EXIT_STOPPED = 128 + signal.SIGTERM


class RunStopped(BaseException):
    """SIGTERM (a scheduler stopping the run): unwinds everything, publishing nothing.

    A ``BaseException`` like ``KeyboardInterrupt``, so that no ``except Exception`` on the
    way (Prefect's engine, a reader's guard) takes it for a failure to handle.
    """


def _stop_on_sigterm() -> None:
    """Turn the first SIGTERM into :class:`RunStopped` in the main thread.

    During a flow Prefect puts its own handler first; when it has marked the run crashed it
    restores this one and sends the signal again, so the run unwinds the same way. The
    half-built copy of the warehouse is removed, the reader workers and Prefect's temporary
    server are stopped; the live warehouse is the one from before the run.
    """
    stopping = False

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        raise RunStopped(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, handler)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jokatsu",
        description="地域女性活躍推進交付金 実績報告書 → DuckDB warehouse",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingest", help="ingest report files into the warehouse")
    ingest.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="files or folders (default: setting inbox, data/sample/)",
    )
    ingest.add_argument(
        "--db", type=Path, help="warehouse file (default: setting db, data/warehouse.duckdb)"
    )
    ingest.add_argument(
        "--corrections",
        type=Path,
        metavar="DIR",
        help="folder of the clerks' corrections files, *.toml (default: setting corrections, "
        "data/corrections/)",
    )
    ingest.add_argument(
        "--strict",
        action="store_true",
        help="exit 2 while any file is in quarantine or any error issue is open (this run's "
        "or an earlier one's), with the counts and what is new tonight on stderr",
    )
    ingest.add_argument(
        "--retry-quarantined",
        action="store_true",
        help="read files quarantined by earlier runs again",
    )
    ingest.add_argument("--verbose", action="store_true", help="show Prefect's progress log")
    ingest.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run the tasks on a Dask cluster (e.g. tcp://host:8786); loads stay on this machine",
    )
    ingest.add_argument(
        "--always-run",
        action="store_true",
        help="start the Prefect flow even when no file is new (by default such a run is "
        "answered from the hashes alone)",
    )
    schedule = sub.add_parser(
        "schedule",
        help="serve the ingest flow on a cron schedule (needs a running Prefect server)",
    )
    schedule.add_argument("--inbox", type=Path, help="folder to ingest (setting inbox)")
    schedule.add_argument("--db", type=Path, help="warehouse file (setting db)")
    schedule.add_argument("--cron", help="cron expression (setting cron, default '0 2 * * *')")
    schedule.add_argument("--timezone", help="time zone of the cron (default Asia/Tokyo)")
    schedule.add_argument("--verbose", action="store_true", help="show Prefect's log")
    exporter = sub.add_parser(
        "export",
        help="write the ministry CSVs (or one Excel workbook, or Parquet) into their folder of "
        "the export folder, and the one manifest of all formats",
    )
    exporter.add_argument("--db", type=Path, help="warehouse file (setting db)")
    exporter.add_argument(
        "--out", type=Path, default=Path("data/exports"), help="folder (default data/exports)"
    )
    exporter.add_argument(
        "--encoding",
        choices=["utf-8-sig", "utf-8", "cp932"],
        default="utf-8-sig",
        help="CSV encoding (default utf-8-sig: UTF-8 with a BOM, as Excel expects)",
    )
    exporter.add_argument(
        "--replace-unencodable",
        action="store_true",
        help="write '?' for characters the encoding cannot hold instead of stopping",
    )
    exporter.add_argument(
        "--include-contacts",
        action="store_true",
        help="also export contacts.csv (personal data: name, phone, e-mail)",
    )
    exporter.add_argument(
        "--format",
        choices=["csv", "parquet", "xlsx"],
        default="csv",
        help="csv: one file per table (default), in OUT/csv/; xlsx: one Excel workbook, a "
        "sheet per table, typed cells, set up to print, in OUT/xlsx/; parquet: one Parquet file "
        "per table, for analysts, in OUT/parquet/. Each replaces only its own folder",
    )
    reporter = sub.add_parser("report", help="write one self-contained HTML page of charts")
    reporter.add_argument("--db", type=Path, help="warehouse file (setting db)")
    reporter.add_argument(
        "--out", type=Path, default=Path("data/report.html"), help="default data/report.html"
    )
    review = sub.add_parser(
        "review",
        help="write the review page of the scans read by OCR that await a clerk (cell images "
        "beside the values read, a corrections file ready to edit)",
    )
    review.add_argument("--db", type=Path, help="warehouse file (setting db)")
    review.add_argument(
        "--out", type=Path, default=Path("data/review.html"), help="default data/review.html"
    )
    sql = sub.add_parser(
        "sql",
        help="run SQL on the warehouse as it is now (read-only, no other file reachable) and "
        "print the rows; several statements separated by ';' are each printed",
    )
    sql.add_argument("query", help='e.g. "select * from mart_spending_by_year"')
    sql.add_argument("--db", type=Path, help="warehouse file (setting db)")
    sql.add_argument(
        "--csv", action="store_true", help="print CSV instead of a table (one statement)"
    )
    sql.add_argument(
        "--verbose", action="store_true", help="show where a fault of the machine arose"
    )
    accuracy = sub.add_parser(
        "accuracy",
        help="ingest a folder whose reports have truth files and score it per format; scans "
        "also per field, with the share confirmed automatically",
    )
    accuracy.add_argument("folder", type=Path, help="folder with reports and truth/*.json")
    accuracy.add_argument(
        "--db", type=Path, help="score this warehouse instead of ingesting into a temporary one"
    )
    accuracy.add_argument("--show", type=int, default=20, help="mismatches to list (default 20)")
    accuracy.add_argument("--verbose", action="store_true", help="show Prefect's progress log")
    return parser


def configure_prefect(verbose: bool = False) -> None:
    """Defaults for Prefect, set before it is imported; the environment still wins.

    Without ``PREFECT_API_URL`` Prefect starts a temporary local server: its first start on
    a machine migrates a new SQLite database and can take longer than Prefect's own 20 s
    limit, so the limit is raised. Telemetry is off (the machines have no internet).
    """
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The run's own log (one line per quarantined file and error issue, the summary) always
    # reaches Prefect's API, so the UI shows it; without --verbose the console shows only
    # errors (the command prints its summary itself).
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    if not verbose:
        # A failed run prints one line itself (flows.summary.failure_line); Prefect's own
        # error lines (the traceback, "Finished in state Failed") reach the UI, not the screen.
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
        # The temporary server logs tracebacks when it is stopped while still flushing
        # task-run events (harmless: the run is over); keep them off the clerk's screen.
        os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
        os.environ.setdefault("PREFECT_LOGGING_ROOT_LEVEL", "CRITICAL")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    verbose = getattr(args, "verbose", False)
    configure_prefect(verbose=verbose)
    if args.command in ("ingest", "accuracy"):
        _stop_on_sigterm()
    try:
        if args.command == "ingest":
            return _ingest(args)
        if args.command == "accuracy":
            return _accuracy(args)
        if args.command == "schedule":
            return _schedule(args)
        if args.command == "export":
            return _export(args)
        if args.command == "report":
            return _report(args)
        if args.command == "review":
            return _review(args)
        if args.command == "sql":
            return _sql(args)
    except RunStopped as exc:
        print(
            f"jokatsu: stopped by {exc}: nothing of this run was published; the next run "
            "starts again from the warehouse as it was",
            file=sys.stderr,
        )
        return EXIT_STOPPED
    except JokatsuError as exc:
        print(f"jokatsu: {shown(str(exc))}", file=sys.stderr)
        return EXIT_FAILED
    except ValidationError as exc:
        print(f"jokatsu: bad setting in {config_path()} or JOKATSU_*: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except (OSError, duckdb_errors()) as exc:
        # The machine's trouble that no layer named: one line, the traceback on request.
        if verbose:
            traceback.print_exc()
        print(
            f"jokatsu: {type(exc).__name__}: {shown(str(exc))} (--verbose shows where)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_FAILED  # pragma: no cover - argparse rejects unknown commands


def duckdb_errors() -> type[Exception]:
    """DuckDB's error base (imported only when an error is being handled)."""
    import duckdb

    return duckdb.Error


def _ingest(args: argparse.Namespace) -> int:
    from flows.planning import prepare  # no Prefect: a night with nothing new never loads it

    settings = load_settings(db=args.db, corrections=args.corrections, dask=args.dask)
    paths = args.paths or [settings.inbox]
    for path in paths:
        if not path.exists():
            print(f"jokatsu: {shown(str(path))} does not exist", file=sys.stderr)
            return EXIT_FAILED
    prepared = prepare(
        paths,
        settings.db,
        args.retry_quarantined,
        settings.corrections,
        settings.limits,
    )
    planned = time.perf_counter()
    if prepared.has_work or args.always_run:
        from flows.run import run_in_prefect
        from warehouse.publish import ensure_not_busy

        ensure_not_busy(settings.db)  # one line now, not a failed flow's traceback
        try:
            summary = run_in_prefect(paths, settings, args.retry_quarantined, prepared)
        except (JokatsuError, OSError, duckdb_errors()) as exc:
            from flows.summary import failure_line

            if args.verbose:
                traceback.print_exc()
            print(f"jokatsu: {shown(failure_line(exc))}", file=sys.stderr)
            return EXIT_FAILED
        # Prefect's start: everything between planning and the flow's own work
        summary.timings.prefect_start = time.perf_counter() - planned - summary.timings.flow
    else:
        summary = prepared.summary()
    summary.timings.planning = planned - STARTED
    summary.seconds = time.perf_counter() - STARTED
    print(summary.to_text())
    print(f"warehouse: {settings.db.resolve()}")
    if args.strict:
        from flows.planning import open_problems

        quarantined, errors = open_problems(settings.db)
        if quarantined or errors:
            print(
                f"jokatsu: strict: {quarantined} files in quarantine "
                f"({len(summary.quarantined)} new tonight), {errors} error issues open "
                f"({len(summary.errors)} new tonight)",
                file=sys.stderr,
            )
            return EXIT_STRICT
    return EXIT_OK


def _schedule(args: argparse.Namespace) -> int:
    from prefect.settings import PREFECT_API_URL

    from flows.schedule import next_run, require_server, serve_nightly

    settings = load_settings(inbox=args.inbox, db=args.db, cron=args.cron, timezone=args.timezone)
    require_server(PREFECT_API_URL.value())
    print(
        f"serving deployment ingest/{settings.deployment_name}: cron '{settings.cron}' "
        f"({settings.timezone}), next run {next_run(settings.cron, settings.timezone)}, "
        f"inbox {settings.inbox}, warehouse {settings.db}; one line per finished run below",
        flush=True,
    )
    # A SIGTERM before Prefect's runner has put its own handler in place (while the
    # deployment registers) must still unwind through serve_nightly, which pauses it.
    _stop_on_sigterm()
    why = ""
    try:
        serve_nightly(settings)  # returns when Prefect's runner took the signal itself
    except (RunStopped, KeyboardInterrupt) as exc:
        why = f" ({exc or 'Ctrl-C'})"
    print(
        f"stopped{why}: the schedule of ingest/{settings.deployment_name} is paused; "
        "jokatsu schedule resumes it",
        flush=True,
    )
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from warehouse.export import export
    from warehouse.publish import existing

    settings = load_settings(db=args.db)
    with existing(settings.db) as warehouse:
        manifest = export(
            warehouse.conn,
            args.out,
            encoding=args.encoding,
            replace_unencodable=args.replace_unencodable,
            include_contacts=args.include_contacts,
            file_format=args.format,
        )
    for item in manifest["files"]:
        if item["format"] == args.format:
            rows = f"{item['rows']} rows" if item["rows"] is not None else "legend"
            print(f"{args.out / item['name']}: {rows}")
    formats = ", ".join(manifest["formats"])
    print(f"{args.out / 'manifest.json'}: {len(manifest['files'])} files ({formats})")
    return EXIT_OK


def _sql(args: argparse.Namespace) -> int:
    """Statements on the current file, opened afresh (a new night's data is always seen)."""
    from warehouse.query import print_query

    settings = load_settings(db=args.db)
    print_query(settings.db, args.query, sys.stdout, as_csv=args.csv)
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from warehouse.publish import existing
    from warehouse.report import build_report

    settings = load_settings(db=args.db)
    with existing(settings.db) as warehouse:
        page = build_report(warehouse.conn)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(page, encoding="utf-8")
    print(f"{args.out}: {len(page.encode()) // 1024} KB")
    return EXIT_OK


def _review(args: argparse.Namespace) -> int:
    from warehouse.publish import existing
    from warehouse.review import awaiting_review, build_review

    settings = load_settings(db=args.db)
    with existing(settings.db) as warehouse:
        page = build_review(warehouse.conn)
        count = awaiting_review(warehouse.conn)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(page, encoding="utf-8")
    print(f"{args.out}: {count} report(s) awaiting review, {len(page.encode()) // 1024} KB")
    return EXIT_OK


def _accuracy(args: argparse.Namespace) -> int:
    import tempfile

    from flows.accuracy import load_truths, score, score_scans, snapshot

    truths = load_truths(args.folder)
    if not truths:
        print(f"jokatsu: no truth files under {args.folder / 'truth'}", file=sys.stderr)
        return EXIT_FAILED
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db
        if db is None:
            from flows.run import run_in_prefect

            db = Path(scratch) / "accuracy.duckdb"
            run_in_prefect([args.folder], load_settings(db=db))
        held = snapshot(db)
        result = score(truths, held)
    print(result.table())
    if result.variations:
        print()
        print(result.variation_table())
    if any("scan" in truth for truth in truths):
        print()
        print("scans, per field as the warehouse holds them (a scan not loaded misses all):")
        print(score_scans(truths, held).table())
    for m in result.mismatches[: args.show]:
        print(f"  {m.file} {m.field}: expected {m.expected!r}, got {m.actual!r}")
    if len(result.mismatches) > args.show:
        print(f"  … {len(result.mismatches) - args.show} more")
    return EXIT_OK if not result.mismatches else EXIT_STRICT


if __name__ == "__main__":
    sys.exit(main())
