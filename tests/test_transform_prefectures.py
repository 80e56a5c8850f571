from __future__ import annotations

import pytest

from transform.errors import PrefectureError
from transform.prefectures import BY_CODE, PREFECTURES, prefecture_code


def test_reference_table_is_complete_and_sums_to_the_census_total() -> None:
    assert [p.code for p in PREFECTURES] == list(range(1, 48))
    assert sum(p.population_2020 for p in PREFECTURES) == 126_146_099
    assert len({p.region for p in PREFECTURES}) == 8


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
