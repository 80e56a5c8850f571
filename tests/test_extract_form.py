from __future__ import annotations

import pytest

from extract.form import (
    COLUMNS,
    HEADER_WORDS,
    any_heading,
    is_header_row,
    is_note,
    is_row_number,
    is_total_row,
    named_heading,
    names_header,
    names_total,
    prefecture_from_line,
    split_heading,
)
from extract.text import html_to_text
from transform.normalize import column_positions


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>a</p> <p>b</p>", "a\nb"),
        ("<p>○a。 ○b。</p>", "○a。\n○b。"),
        ("a<br>b<br/>c", "a\nb\nc"),
        ("x &lt; y &amp; z", "x < y & z"),
        ("  spaced   out  ", "spaced out"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_html_to_text(raw: str, expected: str) -> None:
    assert html_to_text(raw) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1. 事業名", (1, "事業名")),
        ("１．事業名", (1, "事業名")),
        ("10 担当者名及び連絡先", (10, "担当者名及び連絡先")),
        ("9. 経費の内訳 (単位:円)", (9, "経費の内訳 (単位:円)")),
        ("10：担当者名及び連絡先", (10, "担当者名及び連絡先")),
        ("１０．担当者名及び連絡先", (10, "担当者名及び連絡先")),
        ("(10)担当者名及び連絡先", (10, "担当者名及び連絡先")),
        ("（１）事業名", (1, "事業名")),
        ("第2 実施期間", (2, "実施期間")),
        ("①", None),
        ("合計", None),
        ("2021年度", None),
        ("(5) 研修会の開催", None),  # numbered like a heading, but names no section 5
        ("3. 相談窓口の開設", None),
        ("1. ", None),
    ],
)
def test_split_heading(cell: str, expected: tuple[int, str] | None) -> None:
    assert split_heading(cell) == expected


def test_notes_and_prefecture_line() -> None:
    assert is_note("注1)「9. 経費の内訳」")
    assert is_note("注（３）")
    assert not is_note("注意事項はありません")
    assert prefecture_from_line("都道府県名: 山口県") == "山口県"
    assert prefecture_from_line("都道府県名：東京都") == "東京都"
    assert prefecture_from_line("都道府県名\u3000大阪府") == "大阪府"


def test_display_width_counts_wide_characters_twice() -> None:
    from extract.text import display_width

    assert display_width("abc") == 3
    assert display_width("山口県") == 6
    assert display_width("ＡＢ1") == 5  # full-width letters are wide


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("事業名", (1, "事業名")),
        ("今後の課題", (7, "今後の課題")),
        ("事業の趣旨・目的", (3, "事業の趣旨・目的")),
        ("経費の内訳（単位：円）", (9, "経費の内訳（単位：円）")),
        ("経費の内訳 (単位:千円)", (9, "経費の内訳 (単位:千円)")),
        ("担当者名及び連絡先", (10, "担当者名及び連絡先")),
        ("個別事業名", None),  # the expense header's column, not section 1
        ("事業内容を見直した。", None),  # a sentence that starts with a section's name
        ("経費の内訳について", None),
        ("", None),
    ],
)
def test_a_heading_without_its_number_is_read_by_its_name(
    cell: str, expected: tuple[int, str] | None
) -> None:
    assert named_heading(cell) == expected
    assert any_heading(cell) == expected


def test_each_column_label_and_synonym_is_read_as_its_column_by_normalising() -> None:
    """Normalising and the readers use one list: any of a column's words in the header puts
    that column there (one header of labels, one of synonyms)."""
    for words in ([c.labels[0] for c in COLUMNS], [c.words[-1] for c in COLUMNS]):
        positions = column_positions(words)
        assert positions == {c.field: i for i, c in enumerate(COLUMNS)}, words


def test_every_label_that_marks_a_header_is_known_to_the_grid() -> None:
    """The grid's second-header-row test knows every printed label of every column except
    one a data cell may hold (「備考」 written in remarks)."""
    for column in COLUMNS:
        for label in column.labels:
            assert names_header([f"{label}(A)"]) == column.marks_header, label
            assert (label in HEADER_WORDS) == column.marks_header
    assert not names_header(["備考 「注」", "3年度当初予算", "100"])
    assert is_header_row(["事業番号", "個別事業名"]) and is_header_row(["総事業費(A=B+C+D)"])
    assert not is_header_row(["個別事業名", "本交付金"])  # a second header row only


@pytest.mark.parametrize(
    ("cells", "total"),
    [
        (["", "合計", "100"], True),
        (["", "合　計", "100"], True),
        (["計", "100"], True),
        (["総 計"], True),
        (["①", "計画づくり", "100"], False),
        (["", "合計額の内訳"], False),
    ],
)
def test_the_total_row_is_one_test(cells: list[str], total: bool) -> None:
    assert is_total_row(cells) == total


def test_a_line_printed_without_cells_names_the_total_by_its_word() -> None:
    assert names_total("合 計 1,000 800 0 200")
    assert names_total("総計 1,000")
    assert not names_total("計画 1,000")  # 「計」 alone is part of too many words


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("①", True), ("⑳ 事業", True), ("3", True), ("(12)", True), ("（１）", True)],
)
def test_row_numbers(cell: str, expected: bool) -> None:
    assert is_row_number(cell) == expected


def test_text_is_no_row_number() -> None:
    assert not is_row_number("合計") and not is_row_number("1234") and not is_row_number("")
