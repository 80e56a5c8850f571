"""The 47 prefectures (JIS X 0401) and the names reports use for them."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from transform.errors import PrefectureError


@dataclass(frozen=True)
class Prefecture:
    code: int
    name_ja: str
    name_en: str
    region: str
    population_2020: int
    female_population_2020: int | None


def _load() -> tuple[Prefecture, ...]:
    text = (
        resources.files("transform")
        .joinpath("reference/prefectures_2020.csv")
        .read_text(encoding="utf-8")
    )
    return tuple(
        Prefecture(
            code=int(row["prefecture_code"]),
            name_ja=row["name_ja"],
            name_en=row["name_en"],
            region=row["region"],
            population_2020=int(row["population_2020"]),
            female_population_2020=int(row["female_population_2020"])
            if row["female_population_2020"]
            else None,
        )
        for row in csv.DictReader(io.StringIO(text))
    )


PREFECTURES: tuple[Prefecture, ...] = _load()
BY_CODE: dict[int, Prefecture] = {p.code: p for p in PREFECTURES}


def short_name(name: str) -> str:
    """The name without 都・府・県 (東京都 → 東京, 京都府 → 京都); 北海道 stays whole."""
    return name if name == "北海道" else name[:-1]


_BY_NAME: dict[str, int] = {}
for _p in PREFECTURES:
    _BY_NAME[_p.name_ja] = _p.code
    _BY_NAME[short_name(_p.name_ja)] = _p.code
    _BY_NAME[_p.name_en.lower()] = _p.code


def prefecture_code(raw: str) -> int:
    """The JIS code of a prefecture written 「山口県」, 「山口」, 「東京都」, 「Tokyo」 …"""
    text = re.sub(r"[\s　]", "", unicodedata.normalize("NFKC", raw)).lower()
    code = _BY_NAME.get(text)
    if code is None:
        raise PrefectureError(f"「{raw}」は47都道府県のいずれでもありません")
    return code
