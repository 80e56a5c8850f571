from __future__ import annotations

import dataclasses
from datetime import date

from tests.conftest import REAL_REPORT
from tests.support import pipeline
from transform.checks import (
    PLAUSIBLE_REPORT_MIN,
    check_amount_identity,
    check_amount_plausible,
    check_budget_labels,
    check_contact,
    check_other_funds_remarks,
    check_period,
    check_period_plausible,
    check_report,
    check_total_plausible,
    check_totals,
)
from transform.records import NormalizedReport

REAL = pipeline(REAL_REPORT)


def _item(nr: NormalizedReport, **changes: object) -> NormalizedReport:
    item = dataclasses.replace(nr.expense_items[0], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(nr, expense_items=(item,))


def _report(nr: NormalizedReport, **changes: object) -> NormalizedReport:
    return dataclasses.replace(nr, report=dataclasses.replace(nr.report, **changes))  # type: ignore[arg-type]


def test_real_report_raises_only_the_budget_label_its_note_3_does_not_allow() -> None:
    issues = check_report(REAL)
    assert [(i.rule, i.severity) for i in issues] == [("budget_label_not_allowed", "warning")]
    assert "「3年度補正予算」" in issues[0].message
    assert "17行目の経費の内訳 ①" in issues[0].message


def test_amount_identity() -> None:
    (issue,) = check_amount_identity(_item(REAL, total_cost=12_391_580))
    assert issue.rule == "amount_identity" and issue.severity == "error"
    assert "差 1円" in issue.message


def test_total_mismatch_per_column() -> None:
    issues = list(check_totals(_item(REAL, grant_amount=9_000_000, own_funds=3_391_579)))
    assert [i.rule for i in issues] == ["total_mismatch", "total_mismatch"]
    assert "本交付金(B)" in issues[0].message and "自己資金(D)" in issues[1].message


def test_total_row_missing() -> None:
    nr = _report(
        REAL,
        declared_total_cost=None,
        declared_grant_amount=None,
        declared_other_funds=None,
        declared_own_funds=None,
    )
    assert [i.rule for i in check_totals(nr)] == ["total_row_missing"]


def test_period_reversed_and_outside_its_fiscal_year() -> None:
    reversed_ = _report(REAL, period_end=date(2021, 7, 1))
    assert [i.rule for i in check_period(reversed_)] == ["period"]
    too_long = _report(REAL, period_end=date(2022, 4, 1))
    (issue,) = check_period(too_long)
    assert "2021年度" in issue.message
    assert list(check_period(REAL)) == []


def test_unreadable_budget_label_is_an_error() -> None:
    nr = _item(REAL, budget_measure_raw="未定", budget_measure_fiscal_year=None)
    rules = [(i.rule, i.severity) for i in check_budget_labels(nr)]
    assert rules == [("budget_label", "error")]


def test_allowed_budget_labels_raise_nothing() -> None:
    nr = _item(
        REAL,
        budget_measure_raw="3年度当初予算",
        budget_measure_fiscal_year=2021,
        budget_measure_kind="当初",
    )
    assert list(check_budget_labels(nr)) == []


def test_other_funds_need_remarks() -> None:
    nr = _item(REAL, other_funds=1000, own_funds=3_097_579)
    assert [i.rule for i in check_other_funds_remarks(nr)] == ["other_funds_remarks"]
    assert list(check_other_funds_remarks(_item(nr, remarks="企業協賛金"))) == []


def test_contact_missing() -> None:
    assert [i.rule for i in check_contact(dataclasses.replace(REAL, contact=None))] == [
        "contact_missing"
    ]
    assert list(check_contact(REAL)) == []


def test_fiscal_years_before_the_grant_or_beyond_next_year_are_warned() -> None:
    today = date(2026, 11, 28)  # FY2026: reports up to FY2027 can exist
    assert list(check_period_plausible(REAL, today)) == []
    for year in (2013, 2028, 1868):
        nr = _report(REAL, fiscal_year=year)
        (issue,) = check_period_plausible(nr, today)
        assert (issue.rule, issue.severity) == ("period", "warning")
        assert f"{year}年度" in issue.message
    assert list(check_period_plausible(_report(REAL, fiscal_year=2027), today)) == []
    early = _report(REAL, fiscal_year=2013)
    assert ("period", "warning") not in {(i.rule, i.severity) for i in check_report(early)}
    assert ("period", "warning") in {(i.rule, i.severity) for i in check_report(early, today)}


def test_a_row_above_a_billion_yen_is_warned() -> None:
    big = _item(REAL, total_cost=1_000_000_001, grant_amount=1_000_000_001, own_funds=0)
    (issue,) = check_amount_plausible(big)
    assert (issue.rule, issue.severity) == ("amount_implausible", "warning")
    assert list(check_amount_plausible(REAL)) == []


def test_a_report_from_before_any_era_is_checked_without_crashing() -> None:
    meiji = _report(REAL, fiscal_year=1868)  # 明治元年4月1日: labels read in no era
    rules = {i.rule for i in check_report(meiji, date(2026, 11, 28))}
    assert "period" in rules


def test_a_total_far_below_any_project_names_the_unit() -> None:
    """Issue #24: a table in 千円 under a 円 heading loaded as 8,243 yen without a word."""
    small = _report(REAL, declared_total_cost=8_243)
    (issue,) = check_total_plausible(small)
    assert (issue.rule, issue.severity) == ("total_implausibly_small", "warning")
    assert "合計 8,243円（単位: 円）: 千円で書かれていませんか" in issue.message
    assert ("total_implausibly_small", "warning") in {
        (i.rule, i.severity) for i in check_report(small)
    }
    in_thousands = _report(REAL, declared_total_cost=8_000, amount_unit="千円")
    assert "単位を確認してください" in next(check_total_plausible(in_thousands)).message


def test_the_lower_bound_is_exclusive_and_zero_is_not_warned() -> None:
    def warned(total: int | None, rows: int = 0) -> bool:
        nr = _report(_item(REAL, total_cost=rows), declared_total_cost=total)
        return bool(list(check_total_plausible(nr)))

    assert warned(PLAUSIBLE_REPORT_MIN - 1) and not warned(PLAUSIBLE_REPORT_MIN)
    assert not warned(0) and not warned(-5)
    assert warned(None, rows=12_392) and not warned(None, rows=12_391_579)  # no 合計 row: the rows
    assert not list(check_total_plausible(REAL))  # 12,391,579円
