"""The analysis on the bundled sample, as an analyst queries it: a prefecture-year with a
published payment and no report on file is 報告なし (never 報告が不足 with a reported 0), a
year without any report has no reported amount or share, and the report's largest gaps
compare only what was reported."""

from __future__ import annotations

import re
from collections.abc import Iterator

import duckdb
import pytest

from jokatsu.cli import EXIT_OK, main
from tests.conftest import SAMPLE

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    assert main(["ingest", str(SAMPLE), "--db", str(db)]) == EXIT_OK
    conn = duckdb.connect(str(db), read_only=True)
    yield conn
    conn.close()


def test_the_sample_has_no_report_rows_apart_from_under_reports(
    sample: duckdb.DuckDBPyConnection,
) -> None:
    """88 of the 142 rows used to be 報告が不足 with a reported 0 (e.g. 京都府 2016)."""
    statuses = dict(
        sample.execute(
            "select status, count(*) from mart_reconciliation_prefecture_year group by status"
        ).fetchall()
    )
    assert statuses == {"報告なし": 88, "報告が不足": 11, "報告が超過": 2, "支払額の公表なし": 41}
    kyoto = sample.execute(
        "select paid_amount, reported_grant_amount, difference, status, reports "
        "from mart_reconciliation_prefecture_year where prefecture_name = '京都府' "
        "and fiscal_year = 2016"
    ).fetchall()
    assert kyoto == [(33_500_000, None, None, "報告なし", 0)]
    (wrong,) = sample.execute(
        "select count(*) from mart_reconciliation_prefecture_year "
        "where (reports = 0) <> (status = '報告なし' ) and paid_amount is not null"
    ).fetchone() or (None,)
    assert wrong == 0


def test_years_without_reports_have_null_shares(sample: duckdb.DuckDBPyConnection) -> None:
    rows = sample.execute(
        "select fiscal_year, reported_grant_amount, reported_share, prefectures_reporting "
        "from mart_reconciliation_national_year where reports = 0 order by fiscal_year"
    ).fetchall()
    assert [r[0] for r in rows] == [2012, 2013, 2014, 2015, 2016, 2017, 2024]
    assert {(r[1], r[2], r[3]) for r in rows} == {(None, None, 0)}  # not 0 and 0.0
    (share,) = sample.execute(
        "select reported_share from mart_reconciliation_national_year where fiscal_year = 2019"
    ).fetchone() or (None,)
    assert share == round(97_538_298 / 278_000_000, 4)


def test_the_regional_figures_say_what_they_cover(sample: duckdb.DuckDBPyConnection) -> None:
    """中部 2021: 0.64 円/人 over the whole region came from 2 of its 9 prefectures."""
    row = sample.execute(
        "select prefectures, prefectures_in_region, cost_per_head, cost_per_head_reporting "
        "from mart_spending_by_region_year where region = '中部' and fiscal_year = 2021"
    ).fetchone()
    assert row == (2, 9, 0.64, 1.63)
    (errors,) = sample.execute(
        "select reports_with_errors from mart_spending_by_year where fiscal_year = 2018"
    ).fetchone() or (None,)
    assert errors == 4  # 宮城, 埼玉, 福井, 滋賀: in the sums, and counted as in doubt


def test_the_reports_top_gaps_hold_no_prefecture_without_a_report(
    sample: duckdb.DuckDBPyConnection,
) -> None:
    from warehouse.report import build_report

    page = build_report(sample)
    caption = "<caption>支払額と報告の差が大きい都道府県（上位10、報告書のあるものだけ）</caption>"
    table = page[page.index(caption) : page.index("</table>", page.index(caption))]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1])
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]
    assert len(cells) == 10
    assert {row[-1] for row in cells} <= {"報告が不足", "報告が超過", "報告が支払額と一致"}
    assert all(row[3].endswith("円") for row in cells)  # a reported amount, never 「－」 or 0
    assert "報告なし：支払額の公表があり" in page
