from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transform.amounts import BIGINT_MAX, format_amount, parse_amount, unit_of
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
    [
        ("12,3g4", "円"),
        ("一万", "円"),
        ("1.5", "円"),
        ("--", "円"),
        ("0.0001", "千円"),
        ("12円34", "円"),  # 円 only at the end
        ("ー500", "円"),  # the katakana prolonged-sound mark is no minus sign
        ("―500", "円"),
        ("1,000円円", "円"),
        ("¥¥1", "円"),
    ],
)
def test_unreadable_amounts_raise(raw: str, unit: str) -> None:
    with pytest.raises(AmountError):
        parse_amount(raw, unit)  # type: ignore[arg-type]


def test_unit_of_heading() -> None:
    assert unit_of("経費の内訳 (単位:円)") == "円"
    assert unit_of("経費の内訳（単位：千円）") == "千円"
    assert unit_of("経費の内訳") == "円"


def test_minus_signs_a_person_reads_as_such() -> None:
    assert [parse_amount(s) for s in ("△5", "▲5", "-5", "−5", "－5")] == [-5] * 5


def test_amounts_fit_the_warehouse_bigint() -> None:
    assert parse_amount(str(BIGINT_MAX)) == BIGINT_MAX
    with pytest.raises(AmountError, match="大きすぎます"):
        parse_amount(str(BIGINT_MAX + 1))
    with pytest.raises(AmountError, match="大きすぎます"):
        parse_amount("9,223,372,036,854,776", "千円")  # fits as written, not in yen
    with pytest.raises(AmountError, match="大きすぎます"):
        parse_amount("99999999999999999999999")


@given(st.integers(min_value=-BIGINT_MAX, max_value=BIGINT_MAX))
def test_every_bigint_round_trips(value: int) -> None:
    assert parse_amount(format_amount(value)) == value


@pytest.mark.parametrize("dash", ["-", "－", "―", "‐", "ー", "—", "−", " － "])
def test_a_dash_alone_is_zero(dash: str) -> None:
    assert parse_amount(dash) == 0
    assert parse_amount("0円") == 0
