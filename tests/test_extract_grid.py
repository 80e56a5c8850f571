"""The grid every reader hands over: headings read from label cells, expense headers merged."""

from __future__ import annotations

import pytest

from extract.grid import GridCell, heading_of, merge_headers

TOP = ("事業番号", "個別事業名", "公募要領の取組例", "予算措置年度", "交付決定事業", "経費", "備考")
AMOUNTS = ("総事業費(A=B+C+D)", "本交付金(B)", "他の寄付金等(C)", "自己資金(D)")


def test_two_header_rows_of_one_width_merge_cell_by_cell() -> None:
    top = (*TOP[:5], "経費", "", "", "", "備考")
    bottom = ("", "", "", "", "", *AMOUNTS, "")
    assert merge_headers(top, bottom) == (*TOP[:5], "経費" + AMOUNTS[0], *AMOUNTS[1:], "備考")


def test_a_narrower_upper_row_is_widened_by_its_group_cell() -> None:
    # A page break between the rows: the upper row printed without the group's inner rules.
    bottom = ("", "", "", "", "", *AMOUNTS, "")
    assert merge_headers(TOP, bottom) == (*TOP[:5], "経費" + AMOUNTS[0], *AMOUNTS[1:], "備考")


@pytest.mark.parametrize(
    "bottom",
    [
        ("", "", "", "", "", "", *AMOUNTS),  # the run does not start under a labelled cell
        ("", "", "", "", "", "総事業費", "", "本交付金", "自己資金", ""),  # not one run
        ("", "", "", "", "", *AMOUNTS),  # widened, the upper row would be wider than the lower
    ],
)
def test_a_group_that_does_not_fit_leaves_the_upper_row_as_it_is(
    bottom: tuple[str, ...],
) -> None:
    merged = merge_headers(TOP, bottom)
    assert merged[:5] == TOP[:5] and merged[6] == "備考" + bottom[6]


def test_a_spare_blank_column_right_of_both_rows_stays_blank() -> None:
    bottom = ("", "", "", "", "", *AMOUNTS, "", "")
    merged = merge_headers((*TOP, ""), bottom)
    assert merged == (*TOP[:5], "経費" + AMOUNTS[0], *AMOUNTS[1:], "備考", "")


def test_a_wider_row_naming_every_column_is_the_header() -> None:
    wider = (*TOP[:5], *AMOUNTS, "備考")
    assert merge_headers(TOP, wider) == wider


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["第10", "担当者名及び連絡先"], (10, "担当者名及び連絡先")),
        (["10", "担当者名及び連絡先"], (10, "担当者名及び連絡先")),
        (["１０．担当者名及", "び連絡先"], (10, "担当者名及び連絡先")),
        (["（７）今後の課題"], (7, "今後の課題")),
        (["第10", "担当"], (10, "担当")),  # cut by a page break: still a heading of 10
        (["12", "月に研修会を開いた"], None),
        (["○開業後の資金繰り"], None),
    ],
)
def test_a_label_cell_wrapped_after_its_number_is_a_heading(
    lines: list[str], expected: tuple[int, str] | None
) -> None:
    assert heading_of(GridCell(lines)) == expected
