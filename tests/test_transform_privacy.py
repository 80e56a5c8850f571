"""Phone numbers and e-mail addresses outside section 10 are withheld (transform/privacy.py)."""

from __future__ import annotations

import dataclasses

import pytest

from tests.conftest import REAL_REPORT
from tests.support import pipeline
from transform.privacy import WITHHELD, looks_personal, withhold_personal_data
from transform.records import IssueRecord

NR = pipeline(REAL_REPORT)


@pytest.mark.parametrize(
    ("text", "personal"),
    [
        ("電話番号: 083-933-2630", True),
        ("０８３－９３３－２６３０", True),  # full-width, as typed in Word
        ("(083)933-2630", True),
        ("0120-123-456", True),
        ("連絡は hanako@example.jp まで", True),
        ("ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ", True),
        ("令和3年7月12日 ~ 令和4年3月18日", False),
        ("2021-04-01", False),
        ("総事業費 12,391,579円", False),
        ("SNS相談（LINE: @josei_soudan）", False),  # an account name, not an address
        ("", False),
        (None, False),
    ],
)
def test_looks_personal(text: str | None, personal: bool) -> None:
    assert looks_personal(text) is personal


def test_a_long_line_without_an_address() -> None:
    # 3.5 MB: an unanchored e-mail pattern took minutes on such a line (quadratic); the
    # matching around each "@" is linear, and the robustness suite's time limit guards it.
    assert not looks_personal("a." * 1_500_000 + "@" + "b" * 500_000)


def test_a_clean_report_is_returned_unchanged() -> None:
    assert withhold_personal_data(NR) is NR


def test_fields_with_contact_details_are_withheld_and_reported() -> None:
    section = dataclasses.replace(NR.sections[7], body="所属: 見本課 電話番号: 083-000-0000")
    item = dataclasses.replace(NR.expense_items[0], remarks="問合せ hanako@example.jp")
    nr = dataclasses.replace(
        NR,
        sections=(*NR.sections[:7], section, *NR.sections[8:]),
        expense_items=(item,),
    )
    withheld = withhold_personal_data(nr)
    assert withheld.sections[7].body == WITHHELD
    assert withheld.expense_items[0].remarks == WITHHELD
    assert withheld.expense_items[0].item_name == NR.expense_items[0].item_name  # only that cell
    added = withheld.issues[len(nr.issues) :]  # after the ones the report already had
    assert [(i.rule, i.severity) for i in added] == [("personal_data_misplaced", "error")] * 2
    text = " ".join(i.message for i in added)
    assert "083-000-0000" not in text and "hanako" not in text  # the message does not repeat it
    assert "経費の内訳 ①" in text and "8. " in text


@pytest.mark.parametrize(
    "phone",
    [
        "090ー1234ー5678",
        "090−1234−5678",
        "090–1234–5678",
        "090‐1234‐5678",
        "+81-90-1234-5678",
        "090 1234 5678",
        "０９０　１２３４　５６７８",
        "083-933-2630 内線123",
    ],
)
def test_phones_with_any_separator_in_item_name_and_remarks_are_withheld(phone: str) -> None:
    item = dataclasses.replace(
        NR.expense_items[0], item_name=f"相談 {phone}", remarks=f"連絡 {phone}"
    )
    withheld = withhold_personal_data(dataclasses.replace(NR, expense_items=(item,)))
    assert withheld.expense_items[0].item_name == WITHHELD
    assert withheld.expense_items[0].remarks == WITHHELD
    added = [i for i in withheld.issues if i.rule == "personal_data_misplaced"]
    assert len(added) == 1 and phone not in added[0].message


def test_the_contacts_name_is_withheld_elsewhere_and_left_out_of_messages() -> None:
    assert NR.contact is not None and NR.contact.person_name
    name = NR.contact.person_name.replace(" ", "")  # written without its space
    section = dataclasses.replace(NR.sections[7], body=f"担当 {name}")
    nr = dataclasses.replace(
        NR,
        sections=(*NR.sections[:7], section, *NR.sections[8:]),
        issues=(*NR.issues, IssueRecord("period", "warning", f"実施期間: 「{name}」")),
    )
    withheld = withhold_personal_data(nr)
    assert withheld.sections[7].body == WITHHELD
    assert all(name not in i.message for i in withheld.issues)
    assert any(i.rule == "personal_data_misplaced" for i in withheld.issues)


def test_a_contact_block_elsewhere_is_withheld_by_its_labels() -> None:
    assert looks_personal("所属: 見本課 氏名：見本 花子")
    assert not looks_personal("参加者の氏名は記録していない")
