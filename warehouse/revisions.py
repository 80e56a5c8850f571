"""The revision rule, in one place: a prefecture that sends a report again (a 修正 file) for
the same project and fiscal year replaces the earlier one.

- Files load oldest first, files named 「…修正…」 last (:func:`load_order`), so the last
  one loaded is the revision that wins.
- Reports with one key (:func:`revision_key`: prefecture, fiscal year, project title) are
  revisions of one project; within a batch each points to the next (:func:`chain`), and the
  batch's last one supersedes the current report of that key (:func:`supersede_current`).
- A file read again because its corrections changed keeps its place among the revisions
  (:func:`kept_places`), unless the corrections moved it to another project.
- ``sql/checks/one_current_report_per_project.sql`` and
  ``superseded_reports_point_to_a_report.sql`` check the outcome.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import duckdb

from transform.records import NormalizedReport, ReportRecord

RevisionKey = tuple[int, int, str]


class Place(NamedTuple):
    """A loaded report's place among the revisions of its project."""

    key: RevisionKey
    is_current: bool
    superseded_by: str | None


def load_order(path: Path) -> tuple[bool, float, str]:
    """Files load oldest first, revisions (「修正」 in the name) last: the last one wins."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0  # gone since discovery: hashing it says so
    return ("修正" in path.name, mtime, str(path))


def revision_key(report: ReportRecord) -> RevisionKey:
    """Reports with one key are revisions of one project; the last loaded is current."""
    return (report.prefecture_code, report.fiscal_year, report.project_title)


def chain(reports: Sequence[NormalizedReport]) -> list[NormalizedReport]:
    """Revisions of one project within a batch: each points to the next, the last is current."""
    last: dict[RevisionKey, int] = {}
    chained = list(reports)
    for index, nr in enumerate(chained):
        key = revision_key(nr.report)
        if key in last:
            before = last[key]
            chained[before] = dataclasses.replace(
                chained[before], superseded_by=nr.report.report_id
            )
        last[key] = index
    return chained


def kept_places(
    reports: Sequence[NormalizedReport], replaced: Mapping[str, Place]
) -> dict[str, Place]:
    """The reports of a batch that replace themselves (the same id, the same project) and
    keep the place they had."""
    return {
        nr.report.report_id: replaced[nr.report.report_id]
        for nr in reports
        if nr.report.report_id in replaced
        and replaced[nr.report.report_id].key == revision_key(nr.report)
    }


def restore_places(conn: duckdb.DuckDBPyConnection, kept: Mapping[str, Place]) -> None:
    for report_id, place in kept.items():
        conn.execute(
            "update reports set is_current = ?, superseded_by = ? where report_id = ?",
            [place.is_current, place.superseded_by, report_id],
        )


def supersede_current(conn: duckdb.DuckDBPyConnection, current: Sequence[ReportRecord]) -> None:
    """The batch's current reports supersede whatever report of their key was current."""
    if not current:
        return
    conn.execute(
        """
        update reports set is_current = false, superseded_by = n.report_id
        from (
            select unnest(?::varchar[]) as report_id, unnest(?::integer[]) as prefecture_code,
                   unnest(?::integer[]) as fiscal_year, unnest(?::varchar[]) as project_title
        ) n
        where reports.prefecture_code = n.prefecture_code
          and reports.fiscal_year = n.fiscal_year
          and reports.project_title = n.project_title
          and reports.report_id <> n.report_id
          and reports.is_current
          and reports.report_id not in (select unnest(?::varchar[]))
        """,
        [
            [r.report_id for r in current],
            [r.prefecture_code for r in current],
            [r.fiscal_year for r in current],
            [r.project_title for r in current],
            [r.report_id for r in current],
        ],
    )
