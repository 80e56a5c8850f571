"""The rows a report puts in each warehouse table, built from the records' own fields (a
column added to a record and to the schema needs no mapping here), and the DataFrames that
carry them into DuckDB (whole-number columns typed from the schema, NULL-safe)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import duckdb

from transform.records import Location, NormalizedReport
from warehouse.db import integer_columns

if TYPE_CHECKING:
    import pandas as pd

Table = Literal[
    "reports", "report_sections", "expense_items", "contacts", "validation_issues", "corrections"
]
Rows = dict[Table, list[dict[str, Any]]]


def location_columns(location: Location) -> dict[str, Any]:
    """A located row's provenance as columns (``page``, ``bbox``, ``sheet`` …)."""
    columns = {f.name: getattr(location, f.name) for f in dataclasses.fields(location)}
    columns["bbox"] = list(location.bbox) if location.bbox else None
    return columns


def record_columns(record: Any) -> dict[str, Any]:
    """A record's fields as columns, its ``location`` (if any) spread into its own columns."""
    columns: dict[str, Any] = {}
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        if field.name == "location":
            columns.update(location_columns(value))
        else:
            columns[field.name] = value
    return columns


def report_rows(nr: NormalizedReport, now: datetime) -> Rows:
    """The rows one report puts in each warehouse table."""
    r = nr.report
    report = {
        **record_columns(r),
        "is_current": nr.superseded_by is None,
        "superseded_by": nr.superseded_by,
        "ingested_at": now,
    }
    return {
        "reports": [report],
        "report_sections": [record_columns(s) for s in nr.sections],
        "expense_items": [
            {**record_columns(item), "row_order": order}
            for order, item in enumerate(nr.expense_items, start=1)
        ],
        "contacts": [record_columns(nr.contact)] if nr.contact else [],
        "validation_issues": [
            {"source_sha256": nr.source.sha256, "report_id": r.report_id, **record_columns(i)}
            for i in nr.issues
        ],
        "corrections": [record_columns(c) for c in nr.corrections],
    }


def batch_rows(reports: Sequence[NormalizedReport], now: datetime) -> Rows:
    """The rows of a batch of reports, table by table."""
    rows: Rows = {}
    for nr in reports:
        for table, table_rows in report_rows(nr, now).items():
            rows.setdefault(table, []).extend(table_rows)
    return rows


def frame(
    conn: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]]
) -> pd.DataFrame:
    """One table's rows as a DataFrame, whole-number columns as nullable integers."""
    import pandas as pd

    data = pd.DataFrame(list(rows))
    for column in integer_columns(conn, table) & set(data.columns):
        data[column] = pd.array(list(data[column]), dtype="Int64")
    return data
