from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transform.eras import (
    era_of,
    fiscal_year_bounds,
    fiscal_year_of,
    format_era_date,
    outdated_era_dates,
    parse_era_date,
    parse_period,
)
from transform.errors import EraDateError

DAYS = st.dates(min_value=date(1873, 1, 1), max_value=date(2099, 12, 31))


@given(DAYS, st.booleans(), st.booleans())
def test_format_then_parse_gives_the_day_back(day: date, fullwidth: bool, gannen: bool) -> None:
    assert parse_era_date(format_era_date(day, fullwidth=fullwidth, gannen=gannen)) == day


@given(DAYS, DAYS, st.sampled_from([" ~ ", "～", "〜", "から", " - "]))
def test_period_round_trip(a: date, b: date, sep: str) -> None:
    start, end = sorted((a, b))
    assert parse_period(format_era_date(start) + sep + format_era_date(end)) == (start, end)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("令和3年7月12日", date(2021, 7, 12)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和１年５月１日", date(2019, 5, 1)),
        ("令和３年１２月１日", date(2021, 12, 1)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("H30年4月1日", date(2018, 4, 1)),
        ("R3年4月1日", date(2021, 4, 1)),
        ("2021年7月12日", date(2021, 7, 12)),
        ("2021/7/12", date(2021, 7, 12)),
        (" 令和 3 年 7 月 12 日 ", date(2021, 7, 12)),
    ],
)
def test_parse_era_date(raw: str, expected: date) -> None:
    assert parse_era_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("令和3年7月12日 ~ 令和4年3月18日", (date(2021, 7, 12), date(2022, 3, 18))),
        ("平成31年4月1日～令和2年3月31日", (date(2019, 4, 1), date(2020, 3, 31))),
        ("平成31年4月1日〜令和2年3月31日", (date(2019, 4, 1), date(2020, 3, 31))),
        ("令和３年４月１日から令和４年３月３１日まで", (date(2021, 4, 1), date(2022, 3, 31))),
        ("令和3年7月12日～4年3月18日", (date(2021, 7, 12), date(2022, 3, 18))),
        ("令和3年7月12日～3月18日", (date(2021, 7, 12), date(2022, 3, 18))),
        ("令和5年4月1日（土）から令和6年3月31日（日）まで", (date(2023, 4, 1), date(2024, 3, 31))),
        ("令和5年4月1日(土曜日) ～ 令和6年3月31日(日曜日)", (date(2023, 4, 1), date(2024, 3, 31))),
        ("2024年4月1日～2025年3月31日", (date(2024, 4, 1), date(2025, 3, 31))),
        ("2024/4/1 ~ 2025/3/31", (date(2024, 4, 1), date(2025, 3, 31))),
    ],
)
def test_parse_period(raw: str, expected: tuple[date, date]) -> None:
    assert parse_period(raw) == expected


def test_an_explicitly_reversed_period_stays_reversed_for_the_check() -> None:
    assert parse_period("令和4年3月1日 ~ 令和3年4月1日") == (date(2022, 3, 1), date(2021, 4, 1))


@pytest.mark.parametrize(
    "raw", ["", "令和3年", "令和3年2月30日", "7月12日", "通年", "令和3年7月12日 令和4年3月18日"]
)
def test_unreadable_dates_and_periods_raise(raw: str) -> None:
    with pytest.raises(EraDateError):
        parse_period(raw) if " " in raw else parse_era_date(raw)


def test_eras_and_fiscal_years() -> None:
    assert era_of(date(2019, 4, 30)).name == "平成"
    assert era_of(date(2019, 5, 1)).name == "令和"
    assert format_era_date(date(2019, 5, 1)) == "令和元年5月1日"
    assert format_era_date(date(2019, 5, 1), gannen=False, fullwidth=True) == "令和１年５月１日"
    assert fiscal_year_of(date(2022, 3, 31)) == 2021
    assert fiscal_year_of(date(2022, 4, 1)) == 2022
    assert fiscal_year_bounds(2021) == (date(2021, 4, 1), date(2022, 3, 31))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("令和0年4月1日", "令和に0年はありません"),
        ("令和元年1月4日", "令和は2019-05-01に始まりました"),
        ("平成元年1月7日", "平成は1989-01-08に始まりました"),
        ("令和3年2月30日", "実在しない日付"),
    ],
)
def test_a_date_must_exist_in_its_era(raw: str, reason: str) -> None:
    with pytest.raises(EraDateError, match=reason):
        parse_era_date(raw)


def test_a_date_written_in_an_era_that_had_ended_is_read_and_noted() -> None:
    period = "平成32年4月1日 ~ 平成33年3月31日"
    assert parse_period(period) == (date(2020, 4, 1), date(2021, 3, 31))
    notes = outdated_era_dates(period)
    assert len(notes) == 2 and "令和2年4月1日" in notes[0]
    assert outdated_era_dates("令和2年4月1日 ~ 令和3年3月31日") == ()
    assert outdated_era_dates("平成31年4月30日") == ()  # its last day


def test_three_digit_era_years() -> None:
    assert parse_period("令和99年4月1日 ~ 令和100年3月31日") == (
        date(2117, 4, 1),
        date(2118, 3, 31),
    )


def test_white_space_padding_is_linear() -> None:
    padded = "令和3年4月1日" + "\u2003" * 300_000 + "~ 令和4年3月31日"
    assert parse_period(padded) == (date(2021, 4, 1), date(2022, 3, 31))


@given(DAYS, st.sampled_from(["letter", "lower", "name", "first"]), st.sampled_from(".・/-"))
def test_shortened_era_dates_give_the_day_back(day: date, style: str, sep: str) -> None:
    era = era_of(day)
    written = {
        "letter": era.letter,
        "lower": era.letter.lower(),
        "name": era.name,
        "first": era.name[0],
    }[style]
    year = day.year - era.offset
    assert parse_era_date(f"{written}{year}{sep}{day.month}{sep}{day.day}") == day


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("R3.4.1～R4.3.31", (date(2021, 4, 1), date(2022, 3, 31))),
        ("R03.04.01～R04.03.31", (date(2021, 4, 1), date(2022, 3, 31))),
        ("Ｒ３．４．１～Ｒ４．３．３１", (date(2021, 4, 1), date(2022, 3, 31))),
        ("令和3.4.1から令和4.3.31まで", (date(2021, 4, 1), date(2022, 3, 31))),
        ("令3・4・1～令4・3・31", (date(2021, 4, 1), date(2022, 3, 31))),
        ("H31/4/1～R2/3/31", (date(2019, 4, 1), date(2020, 3, 31))),
        ("令和3年4月1日から同年9月30日まで", (date(2021, 4, 1), date(2021, 9, 30))),
    ],
)
def test_periods_as_offices_shorten_them(raw: str, expected: tuple[date, date]) -> None:
    assert parse_period(raw) == expected


@pytest.mark.parametrize("raw", ["R3.4～R4.3", "R3.4.1.5", "R0.5.1", "R1.4.30", "同年9月30日"])
def test_shortened_dates_that_are_no_dates_raise(raw: str) -> None:
    with pytest.raises(EraDateError):
        parse_period(raw) if "～" in raw else parse_era_date(raw)
