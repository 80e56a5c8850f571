"""The form's vocabulary: what the 実績報告書 prints, defined once for every reader,
normalising and corrections.

- the sections by number and by name (``SECTION_NAMES``), the words a heading of each holds,
  and the reading of a heading however an office numbers it (:func:`split_heading`,
  :func:`named_heading`);
- the expense table's columns: each field, the labels the form prints over it and the
  synonyms offices write instead (:data:`COLUMNS`); which of them make a row the table's
  header (:func:`is_header_row`, :func:`names_header`);
- the total row (:func:`is_total_label`, :func:`is_total_row`, :func:`names_total`);
- the title, the 都道府県名 line and the footnotes 注1-注6.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from extract.text import label_key

# --- sections ---------------------------------------------------------------------------

PROJECT_NAME_SECTION = 1  # 事業名
PERIOD_SECTION = 2  # 実施期間
EXPENSE_SECTION = 9  # 経費の内訳: the section that holds the expense table
CONTACT_SECTION = 10  # 担当者名及び連絡先: personal data, kept apart
LAST_SECTION = 11

# The form's own names of its sections: a heading cut by a page break keeps only the start.
SECTION_NAMES: dict[int, str] = {
    1: "事業名",
    2: "実施期間",
    3: "事業の趣旨・目的",
    4: "事業内容",
    5: "事業効果及び効果検証の概要",
    6: "目標達成度及び達成状況に対する評価",
    7: "今後の課題",
    8: "事業の実施体制",
    9: "経費の内訳",
    10: "担当者名及び連絡先",
    11: "事業実施及び連携工程",
}

# Words that a section's heading holds, however an office words or numbers it: a numbered
# line is a heading only when it names its section (「(5) 研修会の開催」 inside section 4's
# text is not section 5).
SECTION_WORDS: dict[int, tuple[str, ...]] = {
    1: ("事業名",),
    2: ("期間",),
    3: ("趣旨", "目的"),
    4: ("内容",),
    5: ("効果",),
    6: ("達成", "評価"),
    7: ("課題",),
    8: ("体制",),
    9: ("経費", "内訳"),
    10: ("担当", "連絡", "問い合わせ", "問合せ", "問合わせ", "問い合せ", "照会"),
    11: ("連携", "工程"),
}

_DIGITS = r"[0-9０-９]{1,2}"
_HEADING = re.compile(
    # 1. 事業名 / １．事業名 / 1 事業名 / 10：担当者… / 第1 事業名
    rf"^\s*(?:第\s*)?(?P<no>{_DIGITS})\s*(?:[.．、:：)）]\s*|[ \u3000]+)(?P<rest>\S.*)$"
    # (1) 事業名 / （１）事業名
    rf"|^\s*[(（]\s*(?P<pno>{_DIGITS})\s*[)）]\s*(?P<prest>\S.*)$",
    re.DOTALL,
)
_UNIT = re.compile(r"^[(（]単位[:：]?(千円|円)[)）]$")


def split_heading(cell: str) -> tuple[int, str] | None:
    """Read a section heading: ``1. 事業名``, ``１．事業名``, ``1 事業名``, ``10：担当者名…``,
    ``(1) 事業名``, ``（１）事業名`` or ``第1 事業名``.

    Returns the section number and the heading as written without its number, or None when
    the text is not numbered like a heading or does not name its section.
    """
    match = _HEADING.match(cell)
    if not match:
        return None
    number = int(unicodedata.normalize("NFKC", match["no"] or match["pno"]))
    rest = (match["rest"] or match["prest"]).strip()
    words = SECTION_WORDS.get(number)
    key = label_key(rest[:40])
    if words is None:
        return None
    cut = len(key) >= 2 and SECTION_NAMES[number].startswith(key)  # 「事業の実」 of a page break
    if not cut and not any(w in key for w in words):
        return None
    return number, rest


def named_heading(cell: str) -> tuple[int, str] | None:
    """A section heading written without its number, as a clerk still reads it: the label
    is the form's own name of a section and nothing else (「事業名」, 「今後の課題」,
    「経費の内訳（単位：円）」). Returns the section number and the label as written."""
    text = cell.strip()
    key = label_key(text)
    for number, name in SECTION_NAMES.items():
        if key == name or (
            number == EXPENSE_SECTION and key.startswith(name) and _UNIT.match(key[len(name) :])
        ):
            return number, text
    return None


# The headings offices give the contact block (section 10) instead of the form's own name,
# numbered or not: the contact block is personal data, never part of the expense table.
CONTACT_HEADINGS = (
    "担当者名及び連絡先",
    "担当者及び連絡先",
    "担当者名・連絡先",
    "担当者・連絡先",
    "担当者連絡先",
    "担当者名",
    "担当者",
    "担当",
    "連絡先",
    "問い合わせ先",
    "お問い合わせ先",
    "問合せ先",
    "お問合せ先",
    "問合わせ先",
    "お問合わせ先",
    "問い合せ先",
    "照会先",
    "本件照会先",
    "本件問い合わせ先",
    "本件問合せ先",
)
_CONTACT_KEYS = frozenset(label_key(h) for h in CONTACT_HEADINGS)
_BRACKETS = "【】［］[]〔〕<>＜＞()（）「」『』■□◆◇●○・:："
# The labels inside a contact block: a row of the expense section that starts with one (the
# block written under the table without any heading) is the contact block, not an item.
CONTACT_LABELS = (
    "所属部署",
    "所属部局",
    "担当部署",
    "所属",
    "担当者氏名",
    "担当者名",
    "氏名",
    "電話番号",
    "電話",
    "TEL",
    "電子メールアドレス",
    "メールアドレス",
    "電子メール",
    "E-mail",
    "Email",
)
_CONTACT_LABEL_KEYS = frozenset(label_key(label).lower() for label in CONTACT_LABELS)


def contact_heading(cell: str) -> tuple[int, str] | None:
    """Section 10 recognised by its meaning: a label that is one of the contact block's
    headings (:data:`CONTACT_HEADINGS`), in brackets or not, numbered 10, another number or
    none (「10. 問い合わせ先」, 「【照会先】」, 「(連絡先)」). Returns 10 and the label."""
    text = cell.strip()
    match = _HEADING.match(text)
    rest = (match["rest"] or match["prest"]).strip() if match else text
    key = label_key(rest).strip(_BRACKETS)
    if key in _CONTACT_KEYS or label_key(text).strip(_BRACKETS) in _CONTACT_KEYS:
        return CONTACT_SECTION, rest
    return None


def is_contact_label(cell: str) -> bool:
    """Whether a cell is one of a contact block's labels (「氏名」, 「電話番号：」 …) or starts
    with one and its colon (「所属部署: 見本課 氏名: …」)."""
    key = label_key(cell).lower()
    label, colon, _ = key.partition(":")
    return key in _CONTACT_LABEL_KEYS or bool(colon and label in _CONTACT_LABEL_KEYS)


def any_heading(cell: str) -> tuple[int, str] | None:
    """A section heading, numbered (:func:`split_heading`) or by its name alone."""
    return split_heading(cell) or named_heading(cell)


# --- the expense table ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the expense table: the field it fills, the labels the form prints over
    it (or its other spellings: 寄附 is the spelling of laws and ministries), and shorter
    synonyms offices write instead. A header cell names the column when it holds any of
    ``words``. The labels tell a header row from a data row, unless a data cell may hold
    the label too (``marks_header=False``: 「備考」 is written in remarks)."""

    field: str
    labels: tuple[str, ...]
    synonyms: tuple[str, ...] = ()
    marks_header: bool = True

    @property
    def words(self) -> tuple[str, ...]:
        return self.labels + self.synonyms


# The expense table's ten columns, in the form's order.
COLUMNS: tuple[Column, ...] = (
    Column("line_no", ("事業番号",)),
    Column("item_name", ("個別事業名",), ("事業名",)),
    Column("example_ref", ("取組例",)),
    Column("budget_measure", ("予算措置",)),
    Column("decision_budget", ("交付決定",)),
    Column("total_cost", ("総事業費",), ("事業費",)),
    Column("grant_amount", ("本交付金",), ("交付金",)),
    Column("other_funds", ("寄付金", "寄附金"), ("他の",)),
    Column("own_funds", ("自己資金", "自己負担")),
    Column("remarks", ("備考",), marks_header=False),
)
_BY_FIELD = {column.field: column for column in COLUMNS}
# The amount columns as the form labels them (messages and corrections name them so).
COLUMN_LABELS = {
    "total_cost": "総事業費(A)",
    "grant_amount": "本交付金(B)",
    "other_funds": "他の寄付金等(C)",
    "own_funds": "自己資金(D)",
}
AMOUNT_FIELDS = ("total_cost", "grant_amount", "other_funds", "own_funds")
# Columns a report cannot be read without (他の寄付金等 may be left off by an office's copy).
REQUIRED_AMOUNTS = ("total_cost", "grant_amount", "own_funds")

# Words that make a row the expense table's header (事業番号, 総事業費).
HEADER_MARKERS = (_BY_FIELD["line_no"].labels[0], _BY_FIELD["total_cost"].labels[0])
# The columns' labels that only a header holds: a second header row (under cells merged
# across the amount columns) holds some of these without the markers above.
HEADER_WORDS = tuple(label for c in COLUMNS if c.marks_header for label in c.labels)
# One label of each column a header must name to stand as the header on its own.
HEADER_REQUIRED = tuple(_BY_FIELD[name].labels[0] for name in ("line_no", *REQUIRED_AMOUNTS))


def is_header_row(texts: Iterable[str]) -> bool:
    """Whether a row's cells hold a header marker (事業番号, 総事業費): the expense table's
    header, or its first row."""
    return any(marker in text for text in texts for marker in HEADER_MARKERS)


def names_header(texts: Iterable[str]) -> bool:
    """Whether a row's cells name any of the expense table's header labels (a header row, or
    one row of a header of two)."""
    return any(word in text for text in texts for word in HEADER_WORDS)


# A row number of the expense table as its 事業番号 cell holds it: ①…⑳, 1, (1), （１）.
_ROW_NUMBER = re.compile(r"^[①-⑳]|^[(（]?[0-9０-９]{1,3}[)）]?$")


def is_row_number(cell: str) -> bool:
    """Whether a cell's text is (or starts with) a row number of the expense table."""
    return bool(_ROW_NUMBER.match(cell))


# The expense table's total row, however it is labelled or spaced (合計, 合　計, 計, 総計).
TOTAL_LABELS = ("合計", "計", "総計")
# Words that mark a total row inside a longer line (「計」 alone is part of too many words).
TOTAL_WORDS = ("合計", "総計")


def is_total_label(cell: str) -> bool:
    """Whether a cell is the total row's label."""
    return label_key(cell) in TOTAL_LABELS


def is_total_row(cells: Iterable[str]) -> bool:
    """Whether a row of cells is the total row: one of its cells is the total's label,
    however it is spaced or merged."""
    return any(is_total_label(cell) for cell in cells)


def names_total(text: str) -> bool:
    """Whether a line printed without cells names the total (合計, 総計 anywhere in it)."""
    squeezed = text.replace(" ", "")
    return any(word in squeezed for word in TOTAL_WORDS)


# --- title, prefecture, notes -----------------------------------------------------------

TITLE_WORD = "実績報告書"
PREFECTURE_LABEL = "都道府県名"
_NOTE = re.compile(r"^\s*注\s*[(（]?[0-9０-９]")


def prefecture_from_line(line: str) -> str:
    """The value of the 都道府県名 line, whatever separates label and value."""
    _, _, rest = line.partition(PREFECTURE_LABEL)
    return rest.strip(" \t\u3000:：")


def is_note(line: str) -> bool:
    """True for the form's footnotes 注1) … 注6), which are instructions, not content."""
    return bool(_NOTE.match(line))
