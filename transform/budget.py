"""Fiscal-year budget labels of the expense table, such as 「3年度補正予算」.

A label names a fiscal year (in an era, usually left unwritten) and a kind of budget,
当初 (the initial budget) or 補正 (a supplementary one). The year is read in the era of the
report: in a FY2021 report 「3年度」 is 令和3年度 (2021) and 「30年度」 平成30年度 (2018).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from transform.eras import ERA_BY_NAME, ERAS, Era, era_of_fiscal_year, era_year, normalize
from transform.errors import BudgetLabelError, EraDateError

BudgetKind = Literal["当初", "補正"]

_LABEL = re.compile(
    r"^(?:(?P<era>令和|平成|R|H)\s*)?(?P<year>元|\d{1,4})\s*年度\s*(?:第\s*\d+\s*次\s*)?"
    r"(?P<kind>当初|補正)\s*(?:予算)?\s*(?:[(（]?\s*第?\s*\d+\s*号\s*[)）]?)?$"
)


@dataclass(frozen=True)
class BudgetLabel:
    fiscal_year: int
    kind: BudgetKind

    def label(self) -> str:
        """The label as the form writes it, era left out: 「3年度補正予算」, 「元年度当初予算」."""
        if self.fiscal_year < ERAS[0].start.year:  # before 明治: no era name to leave out
            return f"{self.fiscal_year}年度{self.kind}予算"
        year = self.fiscal_year - _era_for_fiscal_year(self.fiscal_year).offset
        return f"{'元' if year == 1 else year}年度{self.kind}予算"


def _era_for_fiscal_year(fiscal_year: int) -> Era:
    try:
        return era_of_fiscal_year(fiscal_year)
    except EraDateError:
        raise BudgetLabelError(f"{fiscal_year}年度は明治より前です") from None


def parse_budget_label(raw: str, report_fiscal_year: int) -> BudgetLabel:
    """Read a budget label; raises :class:`BudgetLabelError` for anything else."""
    text = normalize(raw).replace(" ", "")
    match = _LABEL.match(text)
    if not match:
        raise BudgetLabelError(
            f"「{raw}」は「3年度当初予算」「3年度補正予算」のような予算の記載として読めません"
        )
    number = era_year(match["year"])
    kind: BudgetKind = "当初" if match["kind"] == "当初" else "補正"
    if number >= 1000:
        return BudgetLabel(number, kind)
    if match["era"]:
        return BudgetLabel(ERA_BY_NAME[match["era"]].offset + number, kind)
    for era in reversed(ERAS):
        year = era.offset + number
        if era.start.year <= year <= report_fiscal_year + 1:
            return BudgetLabel(year, kind)
    raise BudgetLabelError(
        f"「{raw}」: {number}年度はどの元号でも{report_fiscal_year}年度の報告書に合いません"
    )


def allowed_budget_labels(report_fiscal_year: int) -> tuple[BudgetLabel, ...]:
    """The labels the form's 注3 and 注4 allow in a report of this fiscal year.

    The FY2021 form lists 「2年度当初予算」「2年度補正予算」「3年度当初予算」: the previous
    year's initial and supplementary budgets and this year's initial budget. The list moves
    with the year, so it is derived from the report's fiscal year, not fixed.
    """
    previous = report_fiscal_year - 1
    return (
        BudgetLabel(previous, "当初"),
        BudgetLabel(previous, "補正"),
        BudgetLabel(report_fiscal_year, "当初"),
    )
