from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transform.amounts import format_amount, parse_amount, unit_of
from transform.errors import AmountError

VALUES = st.integers(min_value=-(10**12), max_value=10**12)


@given(VALUES, st.booleans(), st.booleans(), st.booleans(), st.sampled_from(["△", "▲", "-"]))
def test_format_then_parse_gives_the_value_back(
    value: int, commas: bool, fullwidth: bool, suffix: bool, mark: str
) -> None:
    text = format_amount(
        value, commas=commas, fullwidth=fullwidth, yen_suffix=suffix, negative_mark=mark
    )
    assert parse_amount(text) == value


@given(st.integers(min_value=0, max_value=10**9))
def test_thousand_yen_cells_scale_to_yen(value: int) -> None:
    assert parse_amount(format_amount(value), "千円") == value * 1000


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("12,391,579", "円", 12391579),
        ("１２，３９１，５７９", "円", 12391579),
        ("12,391,579円", "円", 12391579),
        ("△1,000", "円", -1000),
        ("", "円", None),
        ("   ", "円", None),
        (None, "円", None),
        ("0", "円", 0),
        ("1,234.5", "千円", 1234500),
        ("¥3,000", "円", 3000),
    ],
)
def test_parse_amount(raw: str | None, unit: str, expected: int | None) -> None:
    assert parse_amount(raw, unit) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "unit"),
    [("12,3g4", "円"), ("一万", "円"), ("1.5", "円"), ("-", "円"), ("0.0001", "千円")],
)
def test_unreadable_amounts_raise(raw: str, unit: str) -> None:
    with pytest.raises(AmountError):
        parse_amount(raw, unit)  # type: ignore[arg-type]


def test_unit_of_heading() -> None:
    assert unit_of("経費の内訳 (単位:円)") == "円"
    assert unit_of("経費の内訳（単位：千円）") == "千円"
    assert unit_of("経費の内訳") == "円"
