"""The revision rule, in one place: a prefecture that sends a report again (a 修正版, 再送 or
訂正 file) for the same project and fiscal year replaces the earlier one, in the order the
files say, not the order they arrive in.

- A report's place among its revisions is :func:`revision_rank`: 0 for an original, 1 for a
  file whose name or form title says 修正/再送/再提出/訂正/差替/改訂, n for 「修正版n」/「再送(n)」
  (and n-1 for 「第n版」). Files load in that order, then oldest first (:func:`load_order`).
- Reports with one key (:func:`revision_key`: prefecture, fiscal year, project title) are
  revisions of one project. After a batch is inserted, :func:`settle` orders each key's
  current report and the batch's reports by rank, then by arrival: the last is current, each
  other points to the next. An original that arrives after its 修正版 (the next night, say)
  stays superseded by it, with a ``revision_order`` warning saying so; two reports of equal
  rank (neither says which is newer) leave the later arrival current, with a
  ``revision_order`` warning that the order could not be told from the files, unless they
  agree on every figure (:func:`_same_figures`: period, declared amounts and every expense
  row): the same report saved in another format, where either being current changes nothing.
- A file read again because its corrections changed keeps its place among the revisions
  (:func:`kept_places`), unless the corrections moved it to another project.
- ``sql/checks/every_project_has_a_current_report.sql`` and
  ``superseded_by_a_revision_of_the_same_project.sql`` check the outcome.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any, NamedTuple

import duckdb

from extract.personal import redact
from transform.records import NormalizedReport, ReportRecord

RevisionKey = tuple[int, int, str]


class Place(NamedTuple):
    """A loaded report's place among the revisions of its project."""

    key: RevisionKey
    is_current: bool
    superseded_by: str | None


_MARK = "修正|再送|再提出|訂正|差し?替え?|差替|改訂"
_NUMBERED = re.compile(rf"(?:{_MARK})版?[\s_\-]*[(（第]?\s*(\d{{1,3}})(?!\d)")
_MARKED = re.compile(_MARK)
_EDITION = re.compile(r"第\s*(\d{1,3})\s*版")


def revision_rank(*texts: str) -> int:
    """How far along its revisions a report says it is, from its file name and form title:
    0 an original, 1 「修正版」「再送」「訂正」…, n 「修正版2」「再送(3)」, n-1 「第n版」."""
    rank = 0
    for text in texts:
        folded = unicodedata.normalize("NFKC", text)
        if numbered := _NUMBERED.search(folded):
            rank = max(rank, int(numbered.group(1)))
        elif _MARKED.search(folded):
            rank = max(rank, 1)
        if edition := _EDITION.search(folded):
            rank = max(rank, int(edition.group(1)) - 1)
    return rank


def load_order(path: Path) -> tuple[int, float, str]:
    """Files load by what their names say (originals, then 修正版 …), then oldest first."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0  # gone since discovery: hashing it says so
    return (revision_rank(path.name), mtime, str(path))


def revision_key(report: ReportRecord) -> RevisionKey:
    """Reports with one key are revisions of one project."""
    return (report.prefecture_code, report.fiscal_year, report.project_title)


class _Candidate(NamedTuple):
    """A report competing to be its project's current one."""

    rank: int
    arrival: int  # -1: current before this batch; then the batch's order
    report_id: str
    name: str  # its file's name, as messages show it
    source_sha256: str


def settle(
    conn: duckdb.DuckDBPyConnection, batch: Sequence[NormalizedReport]
) -> list[dict[str, Any]]:
    """Decide, for each key of a batch's (already inserted) reports, which report is current
    (see the module's rule); returns the ``revision_order`` issues, as rows.

    Set-based: one query finds every key's current report from before the batch, one update
    writes the places that changed (a batch of new projects, the common case, writes none),
    and the figures are compared only where two reports of equal rank tie."""
    by_key: dict[RevisionKey, list[_Candidate]] = {}
    stated: dict[str, tuple[bool, str | None]] = {}  # each report's place as inserted
    for arrival, nr in enumerate(batch):
        name = PurePath(nr.source.path).name
        rank = revision_rank(name, nr.report.title)
        candidate = _Candidate(rank, arrival, nr.report.report_id, name, nr.source.sha256)
        by_key.setdefault(revision_key(nr.report), []).append(candidate)
        stated[nr.report.report_id] = (nr.superseded_by is None, nr.superseded_by)
    before = _current_before(conn, list(by_key), list(stated))
    places: dict[str, tuple[bool, str | None]] = {}
    issues: list[dict[str, Any]] = []
    for key, arrived in by_key.items():
        candidates = list(arrived)
        for report_id, title, sha, path, superseded_by in before.get(key, []):
            name = PurePath(path).name if path else report_id
            candidates.append(_Candidate(revision_rank(name, title), -1, report_id, name, sha))
            stated[report_id] = (True, superseded_by)
        ordered = sorted(candidates, key=lambda c: (c.rank, c.arrival))
        for earlier, later in itertools.pairwise(ordered):
            places[earlier.report_id] = (False, later.report_id)
        places[ordered[-1].report_id] = (True, None)
        issues += _order_issues(key, ordered, functools.partial(_same_figures, conn, ordered))
    changed = [(rid, place) for rid, place in places.items() if stated.get(rid) != place]
    if changed:
        conn.execute(
            """
            update reports set is_current = u.is_current, superseded_by = u.superseded_by
            from (select unnest(?::varchar[]) as report_id, unnest(?::boolean[]) as is_current,
                         unnest(?::varchar[]) as superseded_by) u
            where reports.report_id = u.report_id
            """,
            [[r for r, _ in changed], [p[0] for _, p in changed], [p[1] for _, p in changed]],
        )
    return issues


def _current_before(
    conn: duckdb.DuckDBPyConnection, keys: Sequence[RevisionKey], batch_ids: Sequence[str]
) -> dict[RevisionKey, list[tuple[str, str, str, str | None, str | None]]]:
    """Each key's current reports from before the batch: id, title, file hash, the file's
    first path, and what it points to."""
    if not keys:
        return {}
    rows = conn.execute(
        """
        select r.prefecture_code, r.fiscal_year, r.project_title, r.report_id, r.title,
               r.source_sha256,
               (select min(f.path) from source_files f where f.sha256 = r.source_sha256),
               r.superseded_by
        from reports r
        join (select unnest(?::integer[]) as code, unnest(?::integer[]) as year,
                     unnest(?::varchar[]) as title) k
          on r.prefecture_code = k.code and r.fiscal_year = k.year and r.project_title = k.title
        where r.is_current and r.report_id not in (select unnest(?::varchar[]))
        order by r.report_id
        """,
        [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys], list(batch_ids)],
    ).fetchall()
    found: dict[RevisionKey, list[tuple[str, str, str, str | None, str | None]]] = {}
    for code, year, title, report_id, form_title, sha, path, superseded_by in rows:
        found.setdefault((code, year, title), []).append(
            (report_id, form_title, sha, path, superseded_by)
        )
    return found


_FIGURES = """
    select r.period_start, r.period_end, r.amount_unit, r.declared_total_cost,
           r.declared_grant_amount, r.declared_other_funds, r.declared_own_funds,
           (select list((e.line_no, e.item_name, e.example_ref, e.budget_measure_raw,
                         e.decision_budget_raw, e.total_cost, e.grant_amount, e.other_funds,
                         e.own_funds) order by e.row_order)
            from expense_items e where e.report_id = r.report_id)
    from reports r where r.report_id = ?
"""


def _same_figures(conn: duckdb.DuckDBPyConnection, ordered: Sequence[_Candidate]) -> bool:
    """Whether every candidate states the same figures (period, declared amounts, every
    expense row): then which one is current changes no figure a view shows."""
    figures = {repr(conn.execute(_FIGURES, [c.report_id]).fetchone()) for c in ordered}
    return len(figures) == 1


def _order_issues(
    key: RevisionKey, ordered: Sequence[_Candidate], same_figures: Callable[[], bool]
) -> list[dict[str, Any]]:
    winner = ordered[-1]
    project = f"{key[1]}年度「{key[2]}」"
    rows = []
    for late in (c for c in ordered[:-1] if c.arrival > winner.arrival):
        message = (
            f"同じ事業（{project}）の「{winner.name}」より後に届いた報告ですが、あちらのファイル名か"
            "表題が修正版・再送・訂正などと後の版を示すので、あちらを現行のままにしました。この報告の"
            "方が新しい版なら、ファイル名に「修正版」などを付けて送り直してください。"
        )
        rows.append(_issue(late, message))
    ties = [c for c in ordered[:-1] if c.rank == winner.rank]
    if ties and not same_figures():
        others = "」「".join(c.name for c in ties)
        message = (
            f"同じ事業（{project}）の報告「{others}」と、どちらが新しい版かファイルから分かりません"
            "（ファイル名・表題の修正版・再送・訂正などの記載が同じです）。後に届いたこの報告を現行に"
            "しました。違う場合は新しい版のファイル名に「修正版」などを付けて送り直してください。"
        )
        rows.append(_issue(winner, message))
    return rows


def _issue(candidate: _Candidate, message: str) -> dict[str, Any]:
    return {
        "source_sha256": candidate.source_sha256,
        "report_id": candidate.report_id,
        "rule": "revision_order",
        "severity": "warning",
        "message": redact(message),
    }


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
