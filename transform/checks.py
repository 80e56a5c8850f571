"""Checks of one normalised report. Each returns issues; none changes the data.

Rule names are part of the warehouse contract (``validation_issues.rule``):

- ``amount_identity`` (error): a row whose 総事業費 A is not B + C + D.
- ``total_mismatch`` (error): the rows do not add up to the 合計 row, column by column.
- ``total_row_missing`` (error): the expense table has no 合計 row.
- ``period`` (error): the period ends before it starts, or outside its fiscal year;
  (warning) a date written in an era that had ended (平成32年), or a fiscal year before the
  grant began (FY2014) or later than the next fiscal year.
- ``budget_label`` (error): a 予算措置年度 or 交付決定事業 that is no budget label.
- ``budget_label_not_allowed`` (warning): a readable label that the form's 注3/注4 do not
  list for the report's fiscal year (the real FY2021 Yamaguchi report's 「3年度補正予算」).
- ``other_funds_remarks`` (warning): 他の寄付金等 (C) with an empty 備考, which 注5 asks for.
- ``contact_missing`` (warning): section 10 names no department, person, phone or e-mail.
- ``amount_implausible`` (warning): an expense row above 10億円, far beyond this grant.
- ``total_implausibly_small`` (warning): a report whose 総事業費 is above zero and below
  10万円 (:data:`PLAUSIBLE_REPORT_MIN`), far below any project the grant funds: most often
  amounts in 千円 under a 円 heading; the message names the unit.
- ``personal_data_misplaced`` (error): a phone number or e-mail address outside section 10;
  the value is withheld (see :mod:`transform.privacy`), raised there, not here.
- ``unread_content`` (warning): text the file holds that the reader neither read nor set
  aside for a named reason (a chart, a shape's text, a value left of the form); raised by
  :mod:`transform.unread` from ``Document.unread``, with the text shortened and checked for
  personal data.
- ``field_blank``, ``field_shape`` (warnings): blank or misshapen fields, raised by
  :mod:`transform.fields`.
- ``revision_order`` (warning): raised at load time by :mod:`warehouse.revisions` (which
  report of a project is current), not here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from extract.form import AMOUNT_FIELDS, COLUMN_LABELS
from transform.amounts import PLAUSIBLE_ROW_MAX
from transform.budget import BudgetLabel, allowed_budget_labels
from transform.eras import fiscal_year_bounds, fiscal_year_of
from transform.records import ExpenseItemRecord, IssueRecord, NormalizedReport

Check = Callable[[NormalizedReport], Iterator[IssueRecord]]

# The grant (地域女性活躍推進交付金) began in FY2014 (平成26年度).
FIRST_FISCAL_YEAR = 2014

# A report's 総事業費 below this is no project the grant funds. The Cabinet Office's review
# sheets list what it paid each of the ten largest recipients per year
# (/work/shared/reference/national/top_recipients.csv, 支出先上位10者リスト, group A): the
# smallest payment ever listed is 4.6百万円 (広島県, FY2014, the predecessor 加速化交付金), the
# smallest to a prefecture under this grant 5.5百万円 (愛媛県, FY2020); the one real report we
# hold (山口県 FY2021) costs 12,391,579円. Only the top ten are published, so smaller projects
# exist; 10万円 is 46 times below the smallest listed payment, low enough that no real
# project trips it and high enough that a project of up to 1億円 written in 千円 under a 円
# heading (a total of under 100,000) does. Documented in docs/operations.md.
PLAUSIBLE_REPORT_MIN = 100_000


def _yen(value: int) -> str:
    return f"{value:,}円"


def _where(item: ExpenseItemRecord) -> str:
    place = item.location.describe()
    return f"{place}の経費の内訳 {item.label}" if place else f"経費の内訳 {item.label}"


def check_amount_identity(nr: NormalizedReport) -> Iterator[IssueRecord]:
    for item in nr.expense_items:
        parts = item.grant_amount + item.other_funds + item.own_funds
        if item.total_cost != parts:
            yield IssueRecord(
                "amount_identity",
                "error",
                f"{_where(item)}: 総事業費(A) {_yen(item.total_cost)} が B+C+D "
                f"{_yen(parts)} と一致しません（差 {_yen(item.total_cost - parts)}）。"
                "金額を確認してください。",
            )


def check_totals(nr: NormalizedReport) -> Iterator[IssueRecord]:
    declared = {
        "total_cost": nr.report.declared_total_cost,
        "grant_amount": nr.report.declared_grant_amount,
        "other_funds": nr.report.declared_other_funds,
        "own_funds": nr.report.declared_own_funds,
    }
    if all(v is None for v in declared.values()):
        yield IssueRecord(
            "total_row_missing",
            "error",
            "経費の内訳に合計行がありません。合計行を記入してください。",
        )
        return
    for name in AMOUNT_FIELDS:
        summed = sum(getattr(item, name) for item in nr.expense_items)
        total = declared[name] or 0
        if summed != total:
            yield IssueRecord(
                "total_mismatch",
                "error",
                f"経費の内訳の{COLUMN_LABELS[name]}: 各行の計 {_yen(summed)} が合計行 "
                f"{_yen(total)} と一致しません（差 {_yen(total - summed)}）。",
            )


def check_period(nr: NormalizedReport) -> Iterator[IssueRecord]:
    r = nr.report
    if r.period_end < r.period_start:
        yield IssueRecord(
            "period",
            "error",
            f"実施期間: 終了日 {r.period_end.isoformat()} が開始日 "
            f"{r.period_start.isoformat()} より前です。",
        )
        return
    first, last = fiscal_year_bounds(r.fiscal_year)
    if r.period_end > last:
        yield IssueRecord(
            "period",
            "error",
            f"実施期間: 終了日 {r.period_end.isoformat()} が{r.fiscal_year}年度"
            f"（{first.isoformat()}～{last.isoformat()}）の外です。",
        )


def check_period_plausible(nr: NormalizedReport, today: date) -> Iterator[IssueRecord]:
    """Warn of a fiscal year before the grant began or beyond the next fiscal year."""
    fy, latest = nr.report.fiscal_year, fiscal_year_of(today) + 1
    if fy < FIRST_FISCAL_YEAR or fy > latest:
        yield IssueRecord(
            "period",
            "warning",
            f"実施期間: {fy}年度の報告です。この交付金は{FIRST_FISCAL_YEAR}年度に始まり、"
            f"{latest}年度より後の報告はまだありえません。年（元号）を確認してください。",
        )


def check_amount_plausible(nr: NormalizedReport) -> Iterator[IssueRecord]:
    for item in nr.expense_items:
        if abs(item.total_cost) > PLAUSIBLE_ROW_MAX:
            yield IssueRecord(
                "amount_implausible",
                "warning",
                f"{_where(item)}: 総事業費(A) {_yen(item.total_cost)} は1行で10億円を超えています。"
                "単位（円・千円）と桁を確認してください。",
            )


def check_total_plausible(nr: NormalizedReport) -> Iterator[IssueRecord]:
    """Warn of a report whose whole cost is far below any project the grant funds."""
    declared = nr.report.declared_total_cost
    total = declared if declared is not None else sum(i.total_cost for i in nr.expense_items)
    if not 0 < total < PLAUSIBLE_REPORT_MIN:
        return
    unit = nr.report.amount_unit
    guess = "千円で書かれていませんか" if unit == "円" else "単位を確認してください"
    yield IssueRecord(
        "total_implausibly_small",
        "warning",
        f"経費の内訳の合計 {_yen(total)}（単位: {unit}）: {guess}。この交付金の事業で"
        f"{_yen(PLAUSIBLE_REPORT_MIN)}未満のものはありません（内閣府の支出先上位10者は最小でも"
        "460万円）。単位の欄と金額の桁を確認してください。",
    )


def check_budget_labels(nr: NormalizedReport) -> Iterator[IssueRecord]:
    fy = nr.report.fiscal_year
    allowed = allowed_budget_labels(fy)
    listed = "・".join(f"「{a.label()}」" for a in allowed)
    for item in nr.expense_items:
        for column, note, raw, year, kind in (
            (
                "予算措置年度",
                "注3",
                item.budget_measure_raw,
                item.budget_measure_fiscal_year,
                item.budget_measure_kind,
            ),
            (
                "交付決定事業",
                "注4",
                item.decision_budget_raw,
                item.decision_budget_fiscal_year,
                item.decision_budget_kind,
            ),
        ):
            if raw is None:
                continue
            if year is None or kind is None:
                yield IssueRecord(
                    "budget_label",
                    "error",
                    f"{_where(item)} {column}: 「{raw}」は予算の年度として読めません。"
                    f"{listed}のいずれかを記入してください。",
                )
            elif BudgetLabel(year, kind) not in allowed:
                yield IssueRecord(
                    "budget_label_not_allowed",
                    "warning",
                    f"{_where(item)} {column}: 「{raw}」（{year}年度{kind}）は{fy}年度の様式の"
                    f"{note}が挙げる{listed}にありません。",
                )


def check_other_funds_remarks(nr: NormalizedReport) -> Iterator[IssueRecord]:
    for item in nr.expense_items:
        if item.other_funds and not item.remarks:
            yield IssueRecord(
                "other_funds_remarks",
                "warning",
                f"{_where(item)}: 他の寄付金等(C) {_yen(item.other_funds)} の内容が備考にありません"
                "（注5）。",
            )


def check_contact(nr: NormalizedReport) -> Iterator[IssueRecord]:
    if nr.contact is None:
        yield IssueRecord(
            "contact_missing",
            "warning",
            "担当者名及び連絡先（10）から所属・氏名・電話・メールを読み取れません。",
        )


CHECKS: tuple[Check, ...] = (
    check_amount_identity,
    check_totals,
    check_period,
    check_budget_labels,
    check_other_funds_remarks,
    check_contact,
    check_amount_plausible,
    check_total_plausible,
)


def check_report(nr: NormalizedReport, today: date | None = None) -> tuple[IssueRecord, ...]:
    """Run every check on one report. ``today`` (the run's date in Japan) bounds the fiscal
    years a report can have; without it that check is left out."""
    issues = [issue for check in CHECKS for issue in check(nr)]
    if today is not None:
        issues += check_period_plausible(nr, today)
    return tuple(issues)
