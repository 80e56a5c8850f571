"""Analyst views checked against hand-computed values on a small warehouse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extract import source_info
from flows.planning import PIPELINE_VERSION
from tests.support import load_texts
from warehouse.publish import publishing_writer, write_lock

HEADER = (
    "事業番号\t個別事業名\t公募要領の取組例\t予算措置年度\t交付決定事業\t総事業費(A=B+C+D)"
    "\t本交付金(B)\t他の寄付金等(C)\t自己資金(D)\t備考"
)


def report(prefecture: str, fy_era: int, title: str, body: str, rows: list[str]) -> str:
    total = [sum(int(r.split("\t")[i].replace(",", "") or 0) for r in rows) for i in (5, 6, 7, 8)]
    return "\n".join(
        [
            "実績報告書",
            f"都道府県名: {prefecture}",
            f"1. 事業名\t{title}",
            f"2. 実施期間\t令和{fy_era}年4月1日 ~ 令和{fy_era + 1}年3月31日",
            f"4. 事業内容\t<p>{body}</p>",
            "9. 経費の内訳 (単位:円)",
            HEADER,
            *rows,
            "\t合計\t\t\t\t" + "\t".join(str(t) for t in total) + "\t",
            "10. 担当者名及び連絡先\t氏名: 見本 花子",
            "11. 事業実施及び連携工程\t様式4-1-1に記載",
        ]
    )


REPORTS = {
    # 山口県 FY2021, replaced by its revision below
    "r1.txt": report(
        "山口県",
        3,
        "つながり事業",
        "SNS相談と居場所の提供",
        [
            "①\t相談\t5\t3年度当初予算\t2年度補正予算\t1,000,000\t700,000\t100,000\t200,000\t協賛金",
            "②\t居場所\t1\t2年度補正予算\t2年度補正予算\t500,000\t400,000\t\t100,000\t",
        ],
    ),
    "r1_修正版.txt": report(
        "山口県",
        3,
        "つながり事業",
        "SNS相談と居場所の提供",
        [
            "①\t相談\t5\t3年度当初予算\t2年度補正予算\t1,000,000\t700,000\t100,000\t200,000\t協賛金",
            "②\t居場所\t1\t2年度補正予算\t2年度補正予算\t600,000\t500,000\t\t100,000\t",
        ],
    ),
    # 東京都 FY2021: row A is not B+C+D (amount_identity)
    "r2.txt": report(
        "東京都",
        3,
        "再就職支援",
        "就職のためのセミナー",
        ["①\tセミナー\t5\t3年度当初予算\t3年度当初予算\t2,000,000\t1,500,000\t\t400,000\t"],
    ),
    # 山口県 FY2022
    "r3.txt": report(
        "山口県",
        4,
        "生理用品の提供",
        "生理用品を配布した",
        ["①\t配布\t3\t4年度当初予算\t3年度補正予算\t300,000\t300,000\t\t\t"],
    ),
}


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = load_texts(tmp_path_factory.mktemp("views"), REPORTS)
    bad = b"%PDF-1.4 broken"
    with write_lock(db), publishing_writer(db) as warehouse:
        warehouse.quarantine(
            source_info("bad.pdf", bad),
            "the PDF is truncated",
            PIPELINE_VERSION,
            dt.datetime(2026, 1, 1),
        )
    connection = duckdb.connect(str(db), read_only=True)
    yield connection
    connection.close()


def rows(conn: Any, sql: str) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = conn.execute(sql).fetchall()
    return found


def test_spending_by_year_counts_current_reports_only(conn: Any) -> None:
    assert rows(
        conn,
        "select fiscal_year, projects, prefectures, prefectures_in_country, total_cost, "
        "grant_amount, other_funds, own_funds, grant_share from mart_spending_by_year",
    ) == [
        # 2021: 山口 revision (1,600,000) + 東京 (2,000,000)
        (2021, 2, 2, 47, 3_600_000, 2_700_000, 100_000, 700_000, round(2_700_000 / 3_600_000, 4)),
        (2022, 1, 1, 47, 300_000, 300_000, 0, 0, 1.0),
    ]


def test_spending_views_count_the_reports_with_error_issues_beside_the_sums(conn: Any) -> None:
    """東京都's report (row A is not B+C+D) is in the sums, and counted as in doubt."""
    assert rows(conn, "select fiscal_year, reports_with_errors from mart_spending_by_year") == [
        (2021, 1),
        (2022, 0),
    ]
    assert rows(
        conn,
        "select prefecture_name, fiscal_year, reports_with_errors "
        "from mart_spending_by_prefecture_year",
    ) == [("東京都", 2021, 1), ("山口県", 2021, 0), ("山口県", 2022, 0)]
    assert rows(
        conn,
        "select region, reports_with_errors from mart_spending_by_region_year "
        "where fiscal_year = 2021",
    ) == [("中国", 0), ("関東", 1)]
    assert rows(
        conn,
        "select example_ref, example_number, reports_with_errors from mart_spending_by_example "
        "where fiscal_year = 2021",
    ) == [("1", 1, 0), ("5", 5, 1)]
    assert rows(
        conn,
        "select sum(reports_with_errors) from mart_spending_by_budget where fiscal_year = 2021",
    ) == [(1,)]


def test_spending_by_prefecture_per_head_and_per_woman(conn: Any) -> None:
    got = rows(
        conn,
        "select prefecture_name, fiscal_year, total_cost, grant_share, cost_per_head, "
        "cost_per_woman from mart_spending_by_prefecture_year",
    )
    assert got == [
        (
            "東京都",
            2021,
            2_000_000,
            0.75,
            round(2_000_000 / 14_047_594, 2),
            round(2_000_000 / 7_149_206, 2),
        ),
        (
            "山口県",
            2021,
            1_600_000,
            0.75,
            round(1_600_000 / 1_342_059, 2),
            round(1_600_000 / 705_323, 2),
        ),
        ("山口県", 2022, 300_000, 1.0, round(300_000 / 1_342_059, 2), round(300_000 / 705_323, 2)),
    ]


def test_spending_by_region_uses_the_whole_regions_population(conn: Any) -> None:
    got = rows(
        conn,
        "select region, fiscal_year, prefectures, total_cost, cost_per_head, cost_per_woman "
        "from mart_spending_by_region_year where fiscal_year = 2021",
    )
    chugoku = 553_407 + 671_126 + 1_888_432 + 2_799_702 + 1_342_059
    chugoku_women = 288_975 + 346_835 + 980_387 + 1_442_546 + 705_323
    kanto = 2_867_009 + 1_933_146 + 1_939_110 + 7_344_765 + 6_284_480 + 14_047_594 + 9_237_337
    kanto_women = 1_436_033 + 968_216 + 979_699 + 3_692_596 + 3_166_493 + 7_149_206 + 4_649_069
    assert got == [
        (
            "中国",
            2021,
            1,
            1_600_000,
            round(1_600_000 / chugoku, 2),
            round(1_600_000 / chugoku_women, 2),
        ),
        (
            "関東",
            2021,
            1,
            2_000_000,
            round(2_000_000 / kanto, 2),
            round(2_000_000 / kanto_women, 2),
        ),
    ]


def test_a_regional_figure_says_how_many_prefectures_it_covers_and_its_divisor(
    conn: Any,
) -> None:
    """中国 2021: one of its five prefectures (山口県) reported; the per-head figure over the
    whole region and the one over the reporting prefecture each name their population."""
    chugoku = 553_407 + 671_126 + 1_888_432 + 2_799_702 + 1_342_059
    got = rows(
        conn,
        "select prefectures, prefectures_in_region, region_population, cost_per_head, "
        "reporting_population, cost_per_head_reporting, reporting_female_population, "
        "cost_per_woman_reporting "
        "from mart_spending_by_region_year where fiscal_year = 2021 and region = '中国'",
    )
    assert got == [
        (
            1,
            5,
            chugoku,
            round(1_600_000 / chugoku, 2),
            1_342_059,
            round(1_600_000 / 1_342_059, 2),
            705_323,
            round(1_600_000 / 705_323, 2),
        )
    ]
    (kanto,) = rows(
        conn,
        "select prefectures, prefectures_in_region from mart_spending_by_region_year "
        "where fiscal_year = 2021 and region = '関東'",
    )
    assert kanto == (1, 7)


def test_spending_by_prefecture_names_its_divisors(conn: Any) -> None:
    assert rows(
        conn,
        "select population, female_population from mart_spending_by_prefecture_year "
        "where prefecture_name = '山口県' and fiscal_year = 2022",
    ) == [(1_342_059, 705_323)]


def test_spending_by_example_and_budget(conn: Any) -> None:
    assert rows(
        conn, "select fiscal_year, example_ref, items, total_cost from mart_spending_by_example"
    ) == [(2021, "1", 1, 600_000), (2021, "5", 2, 3_000_000), (2022, "3", 1, 300_000)]
    assert rows(
        conn,
        "select fiscal_year, budget_measure_kind, decision_budget_fiscal_year, "
        "decision_budget_kind, total_cost from mart_spending_by_budget",
    ) == [
        (2021, "当初", 2020, "補正", 1_000_000),
        (2021, "当初", 2021, "当初", 2_000_000),
        (2021, "補正", 2020, "補正", 600_000),
        (2022, "当初", 2021, "補正", 300_000),
    ]


def test_coverage_and_missing_reports(conn: Any) -> None:
    assert rows(conn, "select count(*), sum(reports) from mart_coverage") == [(94, 3)]
    assert rows(conn, "select count(*) from mart_missing_reports") == [(91,)]
    assert rows(
        conn,
        "select prefecture_name from mart_missing_reports where fiscal_year = 2022 "
        "and prefecture_code in (13, 35)",
    ) == [("東京都",)]


def test_activities_from_the_keyword_dictionary(conn: Any) -> None:
    got = rows(
        conn,
        "select prefecture_name, fiscal_year, activity from mart_activities_by_prefecture_year",
    )
    assert got == [
        ("東京都", 2021, "employment"),
        ("東京都", 2021, "training"),
        ("山口県", 2021, "consultation_sns"),
        ("山口県", 2021, "ibasho"),
        ("山口県", 2022, "menstrual_products"),
    ]
    assert rows(conn, "select count(*) from mart_section_text where body like '%セミナー%'") == [
        (1,)
    ]


def test_data_quality(conn: Any) -> None:
    assert rows(conn, "select path, reason from mart_quarantined_files") == [
        ("bad.pdf", "the PDF is truncated")
    ]
    assert rows(
        conn, "select rule, severity, prefecture_name, issues from mart_issues_by_rule_prefecture"
    ) == [("amount_identity", "error", "東京都", 1)]
    per_file = rows(
        conn,
        "select status, reason, reports, error_issues, rules, provenance, corrected_fields "
        "from mart_data_quality where path like '%.pdf' or error_issues > 0 order by path",
    )
    assert per_file == [
        ("quarantined", "the PDF is truncated", 0, 0, None, None, 0),
        ("loaded", None, 1, 1, "amount_identity", "as sent", 0),
    ]
    assert rows(conn, "select count(*) from mart_data_quality") == rows(
        conn, "select count(*) from source_files"
    )


def test_every_view_has_a_comment(conn: Any) -> None:
    views = rows(conn, "select view_name, comment from duckdb_views() where not internal")
    assert len(views) >= 15
    assert [name for name, comment in views if not comment] == []


def test_every_column_of_every_view_has_a_comment(conn: Any) -> None:
    """Meaning, unit and caveat of each column live in the database (comment on column), so
    docs/views.md and any client (DBeaver, duckdb's describe) show them."""
    columns = rows(
        conn,
        "select c.table_name, c.column_name, c.comment from duckdb_columns() c "
        "join duckdb_views() v on v.view_name = c.table_name "
        "and v.database_name = c.database_name and v.schema_name = c.schema_name "
        "where not v.internal",
    )
    assert len(columns) > 250
    assert [(view, column) for view, column, comment in columns if not comment] == []
    short = [(view, column) for view, column, comment in columns if len(comment) < 12]
    assert short == []  # a meaning, not a word


def test_money_columns_say_yen_and_shares_say_fraction(conn: Any) -> None:
    columns = rows(
        conn,
        "select c.table_name, c.column_name, c.comment from duckdb_columns() c "
        "join duckdb_views() v on v.view_name = c.table_name "
        "and v.database_name = c.database_name where not v.internal",
    )
    money = [
        (v, c, text)
        for v, c, text in columns
        if c.endswith(("total_cost", "grant_amount", "other_funds", "own_funds", "_amount"))
        or c in ("difference", "tolerance_yen", "paid_without_report")
    ]
    assert len(money) > 30
    assert [(v, c) for v, c, text in money if "yen" not in text] == []
    shares = [(v, c, text) for v, c, text in columns if c.endswith("_share")]
    assert shares and [(v, c) for v, c, text in shares if "fraction" not in text] == []
    per_head = [(v, c, text) for v, c, text in columns if c.startswith(("cost_per_",))]
    assert per_head and [(v, c) for v, c, text in per_head if "yen per" not in text] == []


def test_the_views_doc_is_in_step_with_the_database(conn: Any) -> None:
    from warehouse.docs import render_views_doc

    doc = Path(__file__).parent.parent / "docs" / "views.md"
    assert doc.read_text(encoding="utf-8") == render_views_doc(conn), (
        "docs/views.md is out of date: .venv/bin/python -m warehouse.docs > docs/views.md"
    )


RAW_TABLES = {
    "reports",
    "report_sections",
    "expense_items",
    "contacts",
    "validation_issues",
    "source_files",
    "corrections",
    "prefectures",
    "activity_keywords",
    "runs",
}


def _read_names(sql: str) -> set[str]:
    """The relations a query reads (after from / join), its own CTE names included."""
    import re

    sql = re.sub(r"--[^\n]*|'(?:[^']|'')*'", "", sql)  # comments and strings are no reads
    return set(re.findall(r"\b(?:from|join)\s+([a-z_]+)", sql))


def test_one_view_per_file_named_after_it() -> None:
    import re

    from warehouse.db import sql_files

    for file in sql_files("views"):
        sql = file.read_text(encoding="utf-8")
        name = file.name[3:].removesuffix(".sql")
        if name.startswith("macro_"):  # a macro the exports share (jis_code)
            assert re.findall(r"create or replace macro (\w+)", sql) == [name[6:]], file.name
            assert "create or replace view" not in sql
            continue
        views = re.findall(r"create or replace view (\w+)", sql)
        assert views == [name], file.name


def test_marts_and_exports_read_only_staging_and_marts() -> None:
    """Raw tables are read by staging views only; marts and exports read stg_ and mart_."""
    import re

    from warehouse.db import sql_files

    readers = [f for f in sql_files("views") if f.name[3:].startswith("mart_")]
    readers += sql_files("exports")
    for file in readers:
        sql = file.read_text(encoding="utf-8")
        ctes = set(re.findall(r"^(\w+) as \(", sql, flags=re.MULTILINE))
        read = _read_names(sql) - ctes - {"final"}
        assert read <= {n for n in read if n.startswith(("stg_", "mart_"))}, (file.name, read)
        assert not read & RAW_TABLES, (file.name, read & RAW_TABLES)
