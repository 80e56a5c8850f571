"""The Cabinet Office's published figures beside the reports (issue #16): the seed readers,
and the reconciliation views over a small warehouse with hand-computed expectations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.support import load_texts
from tests.test_warehouse_views import report
from warehouse.national import budget_rows, payment_rows, sheet_order, to_yen, tolerance_yen


def test_published_values_in_yen_and_their_rounding() -> None:
    assert to_yen("147.51600000000008", "百万円") == 147_516_000  # float noise dropped
    assert to_yen("25733000", "円") == 25_733_000
    assert tolerance_yen("19.3", "百万円") == 50_000  # published to 0.1 百万円
    assert tolerance_yen("19.0", "百万円") == 50_000
    assert tolerance_yen("5", "百万円") == 500_000
    assert tolerance_yen("25733000", "円") == 0
    assert sheet_order("2023") < sheet_order("RS2024") < sheet_order("RS2025")


def test_an_empty_published_cell_is_no_row() -> None:
    text = (
        "# a comment line\n"
        "sheet,project_name,fiscal_year,unit,要求額,当初予算,補正予算,前年度から繰越し,"
        "翌年度へ繰越し,予備費等,予算計,執行額,note,source_url\n"
        "2020,x,2020,百万円,,300.0,,,,,300.0,,,https://example.org/a\n"
    )
    rows = budget_rows(text)
    assert [(r["figure"], r["amount_yen"]) for r in rows] == [
        ("当初予算", 300_000_000),
        ("予算計", 300_000_000),
    ]
    assert all(r["source_url"] == "https://example.org/a" for r in rows)


def test_only_prefectures_get_a_code() -> None:
    header = "sheet,payment_fiscal_year,group,rank,recipient,corporate_number,description,"
    text = header + "amount,unit,source_url\n"
    text += "2022,2021,A,1,京都府,,x,25.3,百万円,u\n2022,2021,A,4,名古屋市,,x,18.3,百万円,u\n"
    text += "RS2024,2023,A,0,その他,,x,759974000,円,u\n"
    codes = [(r["recipient"], r["prefecture_code"]) for r in payment_rows(text)]
    assert codes == [("京都府", 26), ("名古屋市", None), ("その他", None)]


def _row(amount: int) -> str:
    a = f"{amount:,}"
    return f"①\t相談\t5\t元年度当初予算\t元年度当初予算\t{a}\t{a}\t\t\t"


# FY2019 (令和元年度). Published by the 2020 sheet for FY2019: 京都府 19.3, 岐阜県 19.0,
# 広島県 13.8, 福岡県 12.1 百万円 paid; 山口県 not among the top 10. Executed 278.0 百万円 (the
# 2022 sheet, the latest for FY2019); 44 prefectures running the grant (2020 sheet).
def fy2019(prefecture: str, title: str, amount: int) -> str:
    """A report of FY2019, which began under 平成 (平成31年4月1日 ~ 令和2年3月31日)."""
    text = report(prefecture, 1, title, "相談", [_row(amount)])
    return text.replace("令和1年4月1日", "平成31年4月1日")


REPORTS = {
    "kyoto.txt": fy2019("京都府", "京都の事業", 19_300_000),
    "gifu.txt": fy2019("岐阜県", "岐阜の事業", 15_000_000),
    "fukuoka.txt": fy2019("福岡県", "福岡の事業", 12_500_000),
    "hiroshima1.txt": fy2019("広島県", "広島の事業1", 8_000_000),
    "hiroshima2.txt": fy2019("広島県", "広島の事業2", 5_820_000),
    "yamaguchi.txt": fy2019("山口県", "山口の事業", 3_000_000),
}


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = load_texts(tmp_path_factory.mktemp("national"), REPORTS)
    connection = duckdb.connect(str(db), read_only=True)
    yield connection
    connection.close()


def test_each_prefecture_against_its_published_payment(conn: Any) -> None:
    rows = conn.execute(
        "select prefecture_name, paid_amount, reported_grant_amount, difference, status, "
        "reports from mart_reconciliation_prefecture_year where fiscal_year = 2019 "
        "and (reports > 0 or prefecture_name in ('京都府', '秋田県')) order by prefecture_code"
    ).fetchall()
    assert rows == [
        ("秋田県", 10_700_000, None, None, "報告なし", 0),  # paid, no report on file
        ("岐阜県", 19_000_000, 15_000_000, -4_000_000, "報告が不足", 1),
        ("京都府", 19_300_000, 19_300_000, 0, "報告が支払額と一致", 1),
        ("広島県", 13_800_000, 13_820_000, 20_000, "報告が支払額と一致", 2),  # two reports
        ("山口県", None, 3_000_000, None, "支払額の公表なし", 1),  # NULL, never zero
        ("福岡県", 12_100_000, 12_500_000, 400_000, "報告が超過", 1),
    ]


def test_a_payment_without_a_report_is_no_report_not_an_under_report(conn: Any) -> None:
    """FY2019: 6 of the 10 published recipients have no report on file here. Each is
    報告なし with nothing reported (NULL), never 報告が不足 with a reported 0."""
    got = conn.execute(
        "select status, count(*), sum(paid_amount), count(reported_grant_amount), "
        "count(difference) from mart_reconciliation_prefecture_year where fiscal_year = 2019 "
        "group by status order by status"
    ).fetchall()
    assert got == [
        ("報告が不足", 1, 19_000_000, 1, 1),
        ("報告が支払額と一致", 2, 33_100_000, 2, 2),
        ("報告が超過", 1, 12_100_000, 1, 1),
        # 茨城 11.7, 愛知 11.6, 滋賀 11.0, 秋田 10.7, 青森 9.1, 富山 8.6 百万円
        ("報告なし", 6, 62_700_000, 0, 0),
        ("支払額の公表なし", 1, None, 1, 0),
    ]
    (zero_reported,) = conn.execute(
        "select count(*) from mart_reconciliation_prefecture_year where reports = 0 "
        "and (reported_grant_amount is not null or status <> '報告なし')"
    ).fetchone()
    assert zero_reported == 0


def test_the_national_year_counts_payments_without_a_report(conn: Any) -> None:
    (row,) = conn.execute(
        "select prefectures_paid_published, prefectures_paid_without_report, "
        "paid_without_report from mart_reconciliation_national_year where fiscal_year = 2019"
    ).fetchall()
    assert row == (10, 6, 62_700_000)


def test_a_year_without_reports_has_no_reported_amount_and_no_share(conn: Any) -> None:
    """FY2021 has a published executed amount and no report here: NULL, not 0 and 0.0."""
    (row,) = conn.execute(
        "select executed_amount, reported_grant_amount, reported_share, prefectures_reporting, "
        "reports from mart_reconciliation_national_year where fiscal_year = 2021"
    ).fetchall()
    assert row == (805_000_000, None, None, 0, 0)


def test_the_national_year(conn: Any) -> None:
    (row,) = conn.execute(
        "select executed_amount, reported_grant_amount, reported_share, prefectures_reporting, "
        "prefectures_running_published, reports, executed_sheet "
        "from mart_reconciliation_national_year where fiscal_year = 2019"
    ).fetchall()
    reported = 19_300_000 + 15_000_000 + 12_500_000 + 8_000_000 + 5_820_000 + 3_000_000
    assert row == (278_000_000, reported, round(reported / 278_000_000, 4), 5, 44, 6, "2022")
    (later,) = conn.execute(
        "select executed_amount, prefectures_running_published from "
        "mart_reconciliation_national_year where fiscal_year = 2021"
    ).fetchall()
    assert later == (805_000_000, None)  # not published after FY2019: NULL, not zero


def test_every_published_figure_keeps_its_source(conn: Any) -> None:
    for table in ("national_budget", "national_participation", "national_payments"):
        (missing,) = conn.execute(
            f"select count(*) from {table} where source_url not like 'https://github.com/%'"
        ).fetchone()
        assert missing == 0, table
    (count,) = conn.execute("select count(*) from national_payments").fetchone()
    assert count == 180  # every row of the published top-10 lists (the file has 180)


def test_the_reconciliation_export(conn: Any, tmp_path: Path) -> None:
    import csv

    from warehouse.export import export

    export(conn, tmp_path / "out")
    with open(tmp_path / "out" / "csv" / "reconciliation.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    kyoto = next(r for r in rows if r["都道府県"] == "京都府" and r["年度"] == "2019")
    assert kyoto["内閣府の支払額（円）"] == "19300000" and kyoto["照合結果"] == "報告が支払額と一致"
    assert kyoto["都道府県コード"] == "26"
    yamaguchi = next(r for r in rows if r["都道府県"] == "山口県" and r["年度"] == "2019")
    assert yamaguchi["内閣府の支払額（円）"] == "" and yamaguchi["照合結果"] == "支払額の公表なし"
    akita = next(r for r in rows if r["都道府県"] == "秋田県" and r["年度"] == "2019")
    assert akita["報告の本交付金(B)（円）"] == "" and akita["照合結果"] == "報告なし"
    assert akita["差額（報告−支払）（円）"] == ""
