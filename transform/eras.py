"""Japanese-era dates (明治 to 令和) to ISO dates, and back.

Era start dates are those proclaimed by the Cabinet (元号を改める政令): 明治 1868-01-25
(明治元年, counted from 1 January 1868 of the old calendar), 大正 1912-07-30,
昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01. A year written 元年 is year 1.
Parsing is lenient about a date written in an era after that era ended (平成31年5月1日 is
read as 2019-05-01), as offices do write; formatting always uses the era in force.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from extract.text import to_fullwidth_digits
from transform.errors import EraDateError


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    start: date

    @property
    def offset(self) -> int:
        """Gregorian year = era year + offset."""
        return self.start.year - 1


ERAS: tuple[Era, ...] = (
    Era("明治", "M", date(1868, 1, 25)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("令和", "R", date(2019, 5, 1)),
)
ERA_BY_NAME = (
    {e.name: e for e in ERAS}
    | {e.letter: e for e in ERAS}
    | {e.letter.lower(): e for e in ERAS}
    | {e.name[0]: e for e in ERAS}  # 「令3.4.1」: the era's first character, as offices shorten it
)

_ERA_NAMES = "|".join([e.name for e in ERAS] + [e.letter for e in ERAS])
_DATE = re.compile(
    rf"(?:(?P<era>{_ERA_NAMES})\s*(?P<eyear>元|\d{{1,3}})\s*年|(?P<gyear>\d{{4}})\s*年"
    r"|(?P<byear>元|\d{1,3})\s*年|(?P<same>同)\s*年)?"
    r"\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
)
# 「R3.4.1」「令和3.4.1」「令3・4・1」「H31/4/30」: the era (name, first character or letter)
# and its year, month and day between dots, slashes, nakaguro or hyphens.
_SHORT_ERAS = "|".join(
    [e.name for e in ERAS]
    + [e.name[0] for e in ERAS]
    + [e.letter for e in ERAS]
    + [e.letter.lower() for e in ERAS]
)
_SHORT_DATE = re.compile(
    rf"(?P<era>{_SHORT_ERAS})\s*(?P<eyear>元|\d{{1,3}})\s*(?P<sep>[./・-])\s*(?P<month>\d{{1,2}})"
    r"\s*(?P=sep)\s*(?P<day>\d{1,2})(?!\d|(?P=sep)\d)"
)
_SLASH_DATE = re.compile(
    r"(?P<gyear>\d{4})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<day>\d{1,2})"
)
_SEPARATORS = re.compile(r"^ ?(?:~|〜|～|-|‐|－|―|から|より) ?$")


_WEEKDAY = re.compile(r" ?\((?:[月火水木金土日](?:曜日?)?|祝)\)")


def normalize(text: str) -> str:
    """NFKC (full-width digits and letters to half-width), runs of white space folded to
    one space, weekdays written after a date (「（土）」「(日曜日)」) left out, trimmed.
    Folding keeps every pattern below linear in the text's length (a period padded with
    300,000 spaces once made the date pattern backtrack for minutes)."""
    folded = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))
    return _WEEKDAY.sub("", folded).strip()


def era_year(value: str) -> int:
    """The number of an era year: 「元」 is 1."""
    return 1 if value == "元" else int(value)


def era_of(day: date) -> Era:
    """The era in force on a day."""
    for era in reversed(ERAS):
        if day >= era.start:
            return era
    raise EraDateError(f"{day.isoformat()}は明治より前の日付です")


def era_of_fiscal_year(fiscal_year: int) -> Era:
    """The era that names a fiscal year: the one of the calendar year it starts in (so
    FY2019, begun under 平成, is 令和元年度, as the government itself writes it)."""
    for era in reversed(ERAS):
        if fiscal_year >= era.start.year:
            return era
    raise EraDateError(f"{fiscal_year}年度は明治より前です")


def _next_era(era: Era) -> Era | None:
    later = [e for e in ERAS if e.start > era.start]
    return later[0] if later else None


def _make_date(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise EraDateError(f"「{raw}」は実在しない日付です") from None


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    day: date
    written: str
    era: Era | None  # the era the date was written in (None: a Western year)


def _era_date(era: Era, year_text: str, month: int, day: int, raw: str) -> date:
    """A date written in an era, which must exist in that era."""
    number = era_year(year_text)
    if number < 1:
        raise EraDateError(
            f"「{raw}」は実在しない日付です: {era.name}に0年はありません（最初は元年）"
        )
    result = _make_date(era.offset + number, month, day, raw)
    if result < era.start:
        raise EraDateError(
            f"「{raw}」は実在しない日付です: {era.name}は{era.start.isoformat()}に始まりました"
        )
    return result


def _iter_dates(text: str) -> list[_Found]:
    found: list[_Found] = []
    era: Era | None = None
    year: int | None = None
    for match in _DATE.finditer(text):
        month, day = int(match["month"]), int(match["day"])
        if match["era"]:
            era = ERA_BY_NAME[match["era"]]
            value = _era_date(era, match["eyear"], month, day, match[0])
            year = value.year
        elif match["gyear"]:
            era, year = None, int(match["gyear"])
            value = _make_date(year, month, day, match[0])
        elif match["byear"]:
            if era is None:
                raise EraDateError(f"「{text}」の年に元号（令和・平成など）がありません")
            value = _era_date(era, match["byear"], month, day, match[0])
            year = value.year
        elif match["same"]:  # 「同年9月30日」: the year of the date before
            if year is None:
                raise EraDateError(f"「{text}」の「同年」がどの年か分かりません")
            value = _make_date(year, month, day, match[0])
        elif year is None:
            raise EraDateError(f"「{text}」に年のない日付があります")
        else:
            value = _make_date(year, month, day, match[0])
        found.append(_Found(match.start(), match.end(), value, match[0], era))
    for match in _SLASH_DATE.finditer(text):
        g = _make_date(int(match["gyear"]), int(match["month"]), int(match["day"]), match[0])
        found.append(_Found(match.start(), match.end(), g, match[0], None))
    for match in _SHORT_DATE.finditer(text):
        short_era = ERA_BY_NAME[match["era"]]
        value = _era_date(
            short_era, match["eyear"], int(match["month"]), int(match["day"]), match[0]
        )
        found.append(_Found(match.start(), match.end(), value, match[0], short_era))
    found.sort(key=lambda f: (f.start, f.end))
    _check_gaps(text, [(f.start, f.end) for f in found])
    return found


def _check_gaps(text: str, spans: list[tuple[int, int]]) -> None:
    for (_, end), (start, _) in itertools.pairwise(spans):
        if not _SEPARATORS.match(text[end:start]):
            raise EraDateError(f"「{text}」: 開始日と終了日の区切りが分かりません")


def outdated_era_dates(raw: str) -> tuple[str, ...]:
    """Dates written in an era after that era ended (「平成32年4月1日」 for 2020-04-01), as
    forms printed before a change of era are filled in: read, but worth a warning."""
    notes: list[str] = []
    for found in _iter_dates(normalize(raw)):
        later = _next_era(found.era) if found.era else None
        if later is not None and found.day >= later.start:
            notes.append(
                f"「{found.written}」 is written in {found.era.name if found.era else ''}, "
                f"which ended before {later.start.isoformat()}: read as {found.day.isoformat()}"
                f" ({format_era_date(found.day)})"
            )
    return tuple(notes)


def parse_era_date(raw: str) -> date:
    """「令和3年7月12日」, 「令和元年５月１日」, 「R3.7.12」 or 「2021年7月12日」 to a date."""
    text = normalize(raw)
    dates = [f.day for f in _iter_dates(text)]
    if len(dates) != 1:
        raise EraDateError(f"「{raw}」は一つの日付として読めません")
    return dates[0]


def parse_period(raw: str) -> tuple[date, date]:
    """A 実施期間 such as 「令和3年7月12日 ~ 令和4年3月18日」 to (start, end).

    Separators ``~ ～ 〜 - から``; an end date written without its era or year takes them
    from the start date (「令和3年7月12日～4年3月18日」, 「令和3年7月12日から3月18日」, the
    latter rolling into the next year when it would fall before the start; 「同年3月18日」
    is the start's year). Dates may be shortened as offices shorten them: 「R3.7.12～R4.3.18」,
    「令和3.7.12」, 「令3.7.12」, 「H31/4/1」.
    """
    text = normalize(raw)
    dates = [f.day for f in _iter_dates(text)]
    if len(dates) != 2:
        raise EraDateError(f"「{raw}」は「開始日 ~ 終了日」の期間として読めません")
    start, end = dates
    if end < start and not _has_explicit_year_for_end(text):
        end = end.replace(year=end.year + 1)
    return start, end


def _has_explicit_year_for_end(text: str) -> bool:
    matches = list(_DATE.finditer(text))
    if _SHORT_DATE.search(text) or _SLASH_DATE.search(text):
        return True  # every such date carries its year
    return len(matches) == 2 and bool(
        matches[1]["era"] or matches[1]["gyear"] or matches[1]["byear"] or matches[1]["same"]
    )


def format_era_date(day: date, *, fullwidth: bool = False, gannen: bool = True) -> str:
    """Write a date as the era in force wrote it: 「令和3年7月12日」 (round trip of parse)."""
    era = era_of(day)
    year = day.year - era.offset
    year_text = "元" if (year == 1 and gannen) else str(year)
    text = f"{era.name}{year_text}年{day.month}月{day.day}日"
    return to_fullwidth_digits(text) if fullwidth else text


def fiscal_year_of(day: date) -> int:
    """The Japanese fiscal year (April to March) a day falls in, as a Gregorian year."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """First and last day of a fiscal year."""
    return date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31)
