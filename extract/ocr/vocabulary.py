"""What each cell of the form may hold, and an OCR reading corrected to it.

OCR reads glyphs, not the form: 「～」 comes out as 「一」, a comma between digit groups as
「.」 or 「、」, a heading with one wrong kanji. Each cell is read against what its place in
the form allows (the amount grammar, 取組例 1-5, the budget labels, the 47 prefecture names,
the form's headings and header labels); every change made is recorded, and a reading that
fits nothing its cell allows is marked uncertain, never guessed.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from extract.form import COLUMNS, PREFECTURE_LABEL, SECTION_NAMES, TOTAL_LABELS
from extract.text import label_key

CellKind = Literal[
    "title",
    "prefecture",
    "line",
    "label",
    "body",
    "period",
    "header",
    "number",
    "text",
    "example",
    "budget",
    "amount",
    "remarks",
]

TITLE = "地域女性活躍推進交付金実績報告書(都道府県分)"
# Column of the expense table → what its cells hold.
COLUMN_KINDS: tuple[CellKind, ...] = (
    "number",
    "text",
    "example",
    "budget",
    "budget",
    "amount",
    "amount",
    "amount",
    "amount",
    "remarks",
)
AMOUNT_COLUMNS = (5, 6, 7, 8)
EXAMPLES = ("1", "2", "3", "4", "5")
TOTAL_LABEL = "合計"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _prefecture_names() -> tuple[str, ...]:
    # the same list the transform step checks against (transform/reference), read as data
    text = (
        resources.files("transform")
        .joinpath("reference/prefectures_2020.csv")
        .read_text(encoding="utf-8")
    )
    return tuple(row["name_ja"] for row in csv.DictReader(io.StringIO(text)))


PREFECTURE_NAMES = _prefecture_names()


@dataclass(frozen=True)
class Corrected:
    """A cell's text after correction, the changes made (「、→,」 …) and whether the reading
    still fits nothing its cell allows (then a clerk must look)."""

    text: str
    changes: tuple[str, ...] = ()
    uncertain: bool = False


def squeeze(text: str) -> str:
    """OCR's spaces between Japanese characters removed (kept between ASCII words)."""
    text = re.sub(r"(?<=[^\x00-\x7f])[ \u3000]+|[ \u3000]+(?=[^\x00-\x7f])", "", text)
    text = re.sub(r"(?<=\d) +(?=\d)", "", text)
    text = re.sub(r" +(?=[:：,.、。)])", "", text)
    return re.sub(r" {2,}", " ", text).strip()


def _closest(text: str, choices: tuple[str, ...], cutoff: float) -> str | None:
    found = difflib.get_close_matches(text, choices, n=1, cutoff=cutoff)
    return found[0] if found else None


def correct_amount(raw: str) -> Corrected:
    """An amount cell: digits in groups of three. 「.」, 「、」 or a doubled comma where a
    comma stands between groups is that comma; a dash alone is zero written as a dash. The
    digits are never changed: separators that do not fall between groups of three leave the
    cell uncertain (a digit lost or added), as does anything but digits."""
    text = unicodedata.normalize("NFKC", raw).replace(" ", "")
    if not text:
        return Corrected("")
    if text in ("-", "ー", "一", "—", "―"):
        return Corrected("－", ("dash→－",) if text != "-" else ())
    sign = text[0] if text[0] in "△▲-" else ""
    body = text[len(sign) :]
    if not re.fullmatch(r"[0-9][0-9.,、]*", body) or not body[-1].isdigit():
        return Corrected(text, uncertain=True)
    unified = re.sub(r"[.,、]+", ",", body)
    groups = unified.split(",")
    grouped = all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
    if len(groups) > 1 and not grouped:
        return Corrected(text, uncertain=True)
    changes = ("./、→,",) if unified != body else ()
    return Corrected(sign + unified, changes)


def correct_example(raw: str) -> Corrected:
    """取組例: one of 1-5 (a cell may name two, 「1,4」)."""
    text = unicodedata.normalize("NFKC", raw).replace(" ", "")
    if not text:
        return Corrected("")
    parts = re.split(r"[,、.・]", text)
    if all(p in EXAMPLES for p in parts):
        return Corrected(",".join(parts), ("./、→,",) if "," not in text and len(parts) > 1 else ())
    return Corrected(text, uncertain=True)


_BUDGET = re.compile(r"^(元|\d{1,2})年度(当初|補正)予算$")


def correct_budget(raw: str) -> Corrected:
    """A budget label: 「3年度補正予算」, 「元年度当初予算」; the kind's kanji snapped when one
    of the pair was misread (当初/補正)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
    if not text or _BUDGET.match(text):
        return Corrected(text)
    found = re.match(r"^(元|\d{1,2})年度(.{2})(.{1,3})$", text)
    if found:
        kind = _closest(found.group(2), ("当初", "補正"), 0.5)
        tail = difflib.SequenceMatcher(None, found.group(3), "予算").ratio() >= 0.5
        if kind and tail:
            fixed = f"{found.group(1)}年度{kind}予算"
            return Corrected(fixed, (f"{text}→{fixed}",))
    return Corrected(text, uncertain=True)


def correct_number(raw: str, line_no: int) -> Corrected:
    """事業番号: the row's circled number (①…); its place in the table says which."""
    text = unicodedata.normalize("NFKC", raw).replace(" ", "")
    if TOTAL_LABEL in text or label_key(text) in TOTAL_LABELS:
        return Corrected(TOTAL_LABEL, () if text == TOTAL_LABEL else (f"{text}→{TOTAL_LABEL}",))
    expected = _CIRCLED[line_no - 1] if 1 <= line_no <= len(_CIRCLED) else str(line_no)
    if text in (expected, str(line_no), unicodedata.normalize("NFKC", expected)):
        return Corrected(expected)
    return Corrected(expected, (f"{text or '(blank)'}→{expected} (row order)",))


def correct_label(raw: str) -> Corrected:
    """A section's label cell: 「N：name」 snapped to the form's names of its sections."""
    text = squeeze(unicodedata.normalize("NFKC", raw))
    found = re.match(r"^\s*(\d{1,2})\s*[:：.．]?\s*(.*)$", text, re.DOTALL)
    name = found.group(2) if found else text
    number = int(found.group(1)) if found else None
    names = tuple(SECTION_NAMES.values())
    best = _closest(name, names, 0.5)
    if best is None:
        return Corrected(text, uncertain=True)
    right = next(n for n, v in SECTION_NAMES.items() if v == best)
    fixed = f"{right}：{best}"
    if number is not None and number != right:
        return Corrected(text, uncertain=True)  # number and name disagree: a clerk looks
    return Corrected(fixed, () if name == best else (f"{name}→{best}",))


def correct_header(raw: str, column: int | None = None) -> Corrected:
    """A header cell: its lines joined, and the label of the form's column at its place
    (:data:`extract.form.COLUMNS`) written back where one kanji of it was misread
    (「自品資金(D)」 → 「自己資金(D)」); uncertain unless it then names a column (or is
    「経費」 over the amounts in a header of two rows)."""
    text = squeeze(raw.replace("\n", ""))
    if not text or text == "経費":
        return Corrected(text)
    if any(word in text for c in COLUMNS for word in c.words):
        return Corrected(text)
    places = [COLUMNS[column]] if column is not None and column < len(COLUMNS) else []
    for candidate in (*places, *COLUMNS):
        for word in candidate.labels:
            for start in range(max(1, len(text) - len(word) + 1)):
                window = text[start : start + len(word)]
                if difflib.SequenceMatcher(None, window, word).ratio() >= 0.7:
                    fixed = text[:start] + word + text[start + len(word) :]
                    return Corrected(fixed, (f"{window}→{word}",))
    return Corrected(text, uncertain=True)


def correct_title(raw: str) -> Corrected:
    text = squeeze(unicodedata.normalize("NFKC", raw))
    if _closest(text, (TITLE,), 0.7):
        return Corrected(TITLE, () if text == TITLE else (f"{text}→{TITLE}",))
    return Corrected(text)


def correct_prefecture(raw: str) -> Corrected:
    """The 都道府県名 line: the name snapped to one of the 47 prefectures."""
    text = squeeze(unicodedata.normalize("NFKC", raw))
    _, sep, rest = text.partition(_closest_label(text))
    name = re.sub(r"[。、.,'\"“”‘’`ー\-=~]+$", "", rest.strip(" :：") if sep else text)
    ratios = sorted(
        ((difflib.SequenceMatcher(None, name, p).ratio(), p) for p in PREFECTURE_NAMES),
        reverse=True,
    )
    best = ratios[0][1] if ratios[0][0] >= 0.6 else None
    if best is not None and ratios[1][0] == ratios[0][0]:
        return Corrected(text, uncertain=True)  # two names as close (福非県: 福井県 or 福島県)
    if best is None:  # the name whole, and after it what a seal left (「愛知“ズリ」)
        held = {p for p in PREFECTURE_NAMES if name.startswith(p if p == "北海道" else p[:-1])}
        best = held.pop() if len(held) == 1 else None
    if best is None:
        return Corrected(text, uncertain=True)
    fixed = f"{PREFECTURE_LABEL}: {best}"
    return Corrected(fixed, () if name == best else (f"{name}→{best}",))


def _closest_label(text: str) -> str:
    """The prefecture label as the line holds it (one kanji of it may be misread)."""
    head = text[: len(PREFECTURE_LABEL)]
    if difflib.SequenceMatcher(None, head, PREFECTURE_LABEL).ratio() >= 0.6:
        return head
    return PREFECTURE_LABEL


def is_prefecture_line(text: str) -> bool:
    head = squeeze(unicodedata.normalize("NFKC", text))[: len(PREFECTURE_LABEL)]
    return difflib.SequenceMatcher(None, head, PREFECTURE_LABEL).ratio() >= 0.6


def correct_period(raw: str) -> Corrected:
    """The period 「…日～…日」: the wave dash is read as 一 or ー or -."""
    text = squeeze(raw)
    # dashes between the two dates (「一」「ー」「-」 or several of them) are the wave dash
    fixed = re.sub(r"(?<=[日)）\d])\s*[一ー\-~〜—―]+\s*(?=[令平昭RHrh元0-9])", "～", text)
    changes = ("一→～",) if fixed != text else ()
    # the wave dash lost altogether: a date's 「日」 (or 「日(曜)」) runs into the next date
    lost = re.sub(
        r"(日(?:[(（][月火水木金土日][)）])?)(?=(?:令和|平成|昭和|\d{4}年))", r"\1～", fixed
    )
    if lost != fixed and "～" not in fixed:
        return Corrected(lost, (*changes, "(lost)→～"))
    return Corrected(fixed, changes)


def correct_text(raw: str) -> Corrected:
    """Free text (bodies, names, remarks): OCR's spaces between kanji taken out, and the
    bullet 「○」 that starts a paragraph where it was read as the kanji zero 「〇」."""
    lines = [squeeze(line) for line in raw.split("\n")]
    fixed = [("○" + line[1:]) if line.startswith("〇") else line for line in lines]
    changes = ("〇→○",) if fixed != lines else ()
    return Corrected("\n".join(fixed), changes)


def looks_like_title(text: str) -> bool:
    return _closest(squeeze(text), (TITLE,), 0.6) is not None
