from __future__ import annotations

import csv
import io
from importlib import resources

import pytest

from transform.errors import PrefectureError
from transform.prefectures import BY_CODE, PREFECTURES, prefecture_code


def test_reference_table_is_complete_and_sums_to_the_census_total() -> None:
    assert [p.code for p in PREFECTURES] == list(range(1, 48))
    assert sum(p.population_2020 for p in PREFECTURES) == 126_146_099
    assert len({p.region for p in PREFECTURES}) == 8


def census_by_sex() -> dict[str, dict[str, str]]:
    """The cited extract of the 2020 census table (人口等基本集計 表2-7-1), by area code."""
    text = (
        resources.files("transform")
        .joinpath("reference/census_2020_population_by_sex.csv")
        .read_text(encoding="utf-8")
    )
    return {row["area_code"]: row for row in csv.DictReader(io.StringIO(text))}


def test_female_population_is_the_census_figure_for_every_prefecture() -> None:
    census = census_by_sex()
    assert len(census) == 48  # 全国 and the 47 prefectures
    for p in PREFECTURES:
        row = census[f"{p.code:02d}000"]
        assert row["area_name"] == p.name_ja
        assert int(row["population"]) == p.population_2020
        assert int(row["male"]) + int(row["female"]) == p.population_2020
        assert p.female_population_2020 == int(row["female"])
    national = census["00000"]
    assert int(national["female"]) == 64_796_518
    assert sum(p.female_population_2020 or 0 for p in PREFECTURES) == 64_796_518


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("山口県", 35),
        ("山口", 35),
        ("東京都", 13),
        ("東京", 13),
        ("大阪府", 27),
        ("大阪", 27),
        ("京都府", 26),
        ("京都", 26),
        ("北海道", 1),
        ("沖縄県", 47),
        (" 鹿児島 県 ", 46),
        ("Yamaguchi", 35),
    ],
)
def test_prefecture_code(raw: str, code: int) -> None:
    assert prefecture_code(raw) == code
    assert BY_CODE[code].code == code


@pytest.mark.parametrize("raw", ["", "山口市", "日本", "都"])
def test_unknown_names_raise(raw: str) -> None:
    with pytest.raises(PrefectureError):
        prefecture_code(raw)
