from __future__ import annotations

import pytest

from extract.form import (
    any_heading,
    is_note,
    named_heading,
    prefecture_from_line,
    split_heading,
)
from extract.text import html_to_text


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
