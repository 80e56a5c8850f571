from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract import read_document, source_info
from tests.conftest import REAL_REPORT
from tests.support import pipeline
from transform.budget import BudgetLabel, allowed_budget_labels, parse_budget_label
from transform.errors import BudgetLabelError


@given(
    st.integers(min_value=2015, max_value=2040),
    st.integers(min_value=-20, max_value=1),
    st.sampled_from(["当初", "補正"]),
)
def test_label_then_parse_gives_the_budget_back(report_fy: int, delta: int, kind: str) -> None:
    budget = BudgetLabel(report_fy + delta, kind)  # type: ignore[arg-type]
    assert parse_budget_label(budget.label(), report_fy) == budget


@pytest.mark.parametrize(
    ("raw", "report_fy", "expected"),
    [
        ("3年度補正予算", 2021, BudgetLabel(2021, "補正")),
        ("2年度当初予算", 2021, BudgetLabel(2020, "当初")),
        ("３年度当初予算", 2021, BudgetLabel(2021, "当初")),
        ("元年度補正予算", 2020, BudgetLabel(2019, "補正")),
        ("30年度当初予算", 2019, BudgetLabel(2018, "当初")),
        ("令和3年度当初予算", 2030, BudgetLabel(2021, "当初")),
        ("R2年度補正", 2021, BudgetLabel(2020, "補正")),
        ("2021年度当初予算", 2021, BudgetLabel(2021, "当初")),
        ("3年度 補正予算（第1号）", 2021, BudgetLabel(2021, "補正")),
    ],
)
def test_parse_budget_label(raw: str, report_fy: int, expected: BudgetLabel) -> None:
    assert parse_budget_label(raw, report_fy) == expected


@pytest.mark.parametrize("raw", ["未定", "", "3年度", "当初予算", "3年度本予算"])
def test_unreadable_labels_raise(raw: str) -> None:
    with pytest.raises(BudgetLabelError):
        parse_budget_label(raw, 2021)


def test_allowed_labels_are_the_ones_the_real_forms_note_3_lists() -> None:
    data = REAL_REPORT.read_bytes()
    doc = read_document(data, source_info(REAL_REPORT.name, data))
    (note3,) = [n for n in doc.notes if n.startswith("注3")]
    listed = re.findall(r"「(\d+年度(?:当初|補正)予算)」", note3)
    fy = pipeline(REAL_REPORT).report.fiscal_year
    assert listed == [label.label() for label in allowed_budget_labels(fy)]
    assert BudgetLabel(2021, "補正") not in allowed_budget_labels(fy)
