"""``jokatsu sql``: statements run on the warehouse as it is now, read-only, and printed.

The connection is :func:`warehouse.db.open_read_only`'s, as ``jokatsu.connect()``'s: the current
file, attached read-only, the file system closed behind it and the configuration locked).
What it may run: queries (``select``, ``with``, ``from``, ``describe``, ``show``,
``summarize``, ``explain``) and ``pragma``/``call`` of DuckDB's catalogue functions. Every other
statement is refused before it runs, with what it would have done (:func:`refusal`): writing
(``insert``, ``update``, ``delete``, ``create``, ``drop``, ``alter``, ``copy … to``, ``export``),
``attach``/``detach``, ``set``/``reset``/``use``, ``install``/``load``. The connection's own
switches refuse the rest (``read_text('/etc/passwd')`` inside a query).

Several statements (``select …; select …``) run in order, each result printed under its own
heading; ``--csv`` prints one result, so it refuses several statements. A reader that stops
reading (``jokatsu sql … | head``) ends the command quietly.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import duckdb

from extract.errors import JokatsuError
from extract.text import display_width
from warehouse.db import open_read_only

HEADING_WIDTH = 72


class QueryError(JokatsuError):
    """A statement was refused or failed; says which one."""


@dataclass(frozen=True)
class Result:
    """One statement's outcome: its rows under its column names (none for a statement that
    returns no result)."""

    number: int
    statement: str
    header: list[str] | None
    rows: list[tuple[Any, ...]]


def open_warehouse(db: str | Path) -> duckdb.DuckDBPyConnection:
    """The current warehouse, read-only, that can reach no other file."""
    return open_read_only(Path(db))


READ_ONLY = "jokatsu sql only reads the warehouse (what it may do: docs/warehouse.md)"
_T = duckdb.StatementType
_ALLOWED = {_T.SELECT, _T.EXPLAIN, _T.PRAGMA, _T.CALL}
_REFUSED_AS: dict[duckdb.StatementType, str] = {
    **dict.fromkeys(
        (_T.INSERT, _T.UPDATE, _T.DELETE, _T.CREATE, _T.CREATE_FUNC, _T.DROP, _T.ALTER),
        "it changes no table: the nightly run (jokatsu ingest) writes the warehouse",
    ),
    **dict.fromkeys(
        (_T.MERGE_INTO, _T.TRANSACTION, _T.VACUUM, _T.PREPARE, _T.EXECUTE),
        "it changes no table: the nightly run (jokatsu ingest) writes the warehouse",
    ),
    **dict.fromkeys(
        (_T.COPY, _T.EXPORT, _T.COPY_DATABASE),
        "it writes no file: print the rows with --csv and redirect them "
        '(jokatsu sql --csv "select …" > rows.csv), or use jokatsu export',
    ),
    **dict.fromkeys(
        (_T.ATTACH, _T.DETACH), "it attaches and detaches no database: the warehouse is the one"
    ),
    _T.SET: "it changes no setting (SET, RESET, USE, SET VARIABLE)",
    **dict.fromkeys((_T.LOAD, _T.EXTENSION), "it installs and loads no extension"),
}
# What DuckDB says when the connection's own switches refuse something, as a clerk reads it.
_SWITCHES = (
    ("disabled by configuration", "it reads and writes no file but the warehouse"),
    ("Loading external extensions is disabled", "it installs and loads no extension"),
    ("the configuration has been locked", "it changes no setting"),
    ("attached in read-only mode", "it changes no table: the nightly run writes the warehouse"),
)


def refusal(statement_type: duckdb.StatementType) -> str | None:
    """Why ``jokatsu sql`` refuses a statement of this type (None: it may run)."""
    if statement_type in _ALLOWED:
        return None
    return _REFUSED_AS.get(statement_type, "it runs queries only")


def _explained(exc: duckdb.Error) -> str:
    text = str(exc)
    for marker, meaning in _SWITCHES:
        if marker in text:
            return f"refused: {meaning}. {READ_ONLY} ({text.splitlines()[0]})"
    return str(exc)


def split_statements(conn: duckdb.DuckDBPyConnection, text: str) -> list[str]:
    """The statements of a text, as DuckDB's own parser splits them (a «;» inside a string
    or a comment splits nothing). A statement ``jokatsu sql`` does not run is refused here,
    before any runs."""
    try:
        parsed = conn.extract_statements(text)
    except duckdb.Error as exc:
        raise QueryError(f"the SQL cannot be read: {exc}") from None
    statements: list[str] = []
    for statement in parsed:
        query = statement.query.strip().removesuffix(";").strip()
        if not query:
            continue
        why = refusal(statement.type)
        if why is not None:
            flat = " ".join(query.split())[:HEADING_WIDTH]
            raise QueryError(f"refused «{flat}»: {why}. {READ_ONLY}; nothing was run")
        statements.append(query)
    if not statements:
        raise QueryError("no SQL statement given")
    return statements


def run(conn: duckdb.DuckDBPyConnection, statements: list[str]) -> Iterator[Result]:
    """Each statement's result, in order; the first that fails stops the rest."""
    for number, statement in enumerate(statements, start=1):
        try:
            cursor = conn.execute(statement)
            header = [d[0] for d in cursor.description] if cursor.description else None
            rows = cursor.fetchall() if header is not None else []
        except duckdb.Error as exc:
            where = (
                f"statement {number} of {len(statements)}" if len(statements) > 1 else "the query"
            )
            raise QueryError(f"{where} failed: {_explained(exc)}") from None
        yield Result(number, statement, header, rows)


def table_lines(header: list[str], rows: list[tuple[Any, ...]]) -> Iterator[str]:
    """A result as a plain table: columns padded to their widest cell (a wide character
    counts two), a rule under the header, the number of rows last."""
    cells = [header, *[["" if v is None else str(v) for v in row] for row in rows]]
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(header))]
    for number, row in enumerate(cells):
        padded = (v + " " * (w - display_width(v)) for v, w in zip(row, widths, strict=True))
        yield "  ".join(padded).rstrip()
        if number == 0:
            yield "  ".join("-" * w for w in widths)
    yield f"({len(rows)} rows)"


def _heading(result: Result) -> str:
    flat = " ".join(result.statement.split())
    if len(flat) > HEADING_WIDTH:
        flat = flat[: HEADING_WIDTH - 1] + "…"
    return f"-- [{result.number}] {flat}"


def write_results(results: Iterator[Result], out: TextIO, as_csv: bool, several: bool) -> None:
    for result in results:
        if several:
            if result.number > 1:
                out.write("\n")
            out.write(_heading(result) + "\n")
        if result.header is None:
            out.write("(done: no rows)\n")
        elif as_csv:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(result.header)
            writer.writerows(["" if v is None else v for v in row] for row in result.rows)
        else:
            for line in table_lines(result.header, result.rows):
                out.write(line + "\n")
    out.flush()


def print_query(db: str | Path, text: str, out: TextIO, as_csv: bool = False) -> None:
    """Run the statements of ``text`` on the warehouse ``db`` and print each result to
    ``out``. A closed pipe (``| head``) ends it without a word."""
    conn = open_warehouse(db)
    try:
        statements = split_statements(conn, text)
        if as_csv and len(statements) > 1:
            raise QueryError(
                f"--csv prints one result: give one statement ({len(statements)} given), or "
                "leave out --csv to print each result as a table"
            )
        try:
            write_results(run(conn, statements), out, as_csv, several=len(statements) > 1)
        except BrokenPipeError:
            _silence(out)
    finally:
        conn.close()


def _silence(out: TextIO) -> None:
    """The reader has gone: what is still buffered goes nowhere (not as an error at exit)."""
    try:
        descriptor = out.fileno()
    except (OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)
