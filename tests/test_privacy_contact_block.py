"""Section 10 recognised by its meaning (issue 24 item 3): under the headings offices give it
(問い合わせ先, 照会先, 連絡先, 担当者 …, numbered 10, otherwise or not at all), or under no
heading at all, the contact block is the contact, never an item of the expense table."""

from __future__ import annotations

import dataclasses
import random

import pytest

from extract import read_document, source_info
from extract.form import contact_heading, is_contact_label, split_heading
from tests.corpus.generate import RENDERERS
from tests.corpus.model import Format, Report, Variant, make_report
from tests.hostile import CONTACT, form
from transform.pipeline import transform_document
from transform.prefectures import BY_CODE

HEADINGS = (
    "10. 問い合わせ先",
    "10．お問い合わせ先",
    "（10）問合せ先",
    "10 照会先",
    "10. 連絡先",
    "問い合わせ先",
    "【問合せ先】",
    "(連絡先)",
    "担当者",
    "担当",
    "本件照会先",
    "12. 問い合わせ先",
)


@pytest.mark.parametrize("heading", HEADINGS)
def test_a_contact_heading_is_section_10(heading: str) -> None:
    found = contact_heading(heading)
    assert found is not None and found[0] == 10


@pytest.mark.parametrize(
    "text",
    ["相談事業", "事業の周知", "担当者研修", "10. 事業費", "連絡会議の開催", "問い合わせ件数"],
)
def test_no_other_label_is_a_contact_heading(text: str) -> None:
    assert contact_heading(text) is None


def test_numbered_10_the_headings_words_suffice() -> None:
    assert split_heading("10. 問い合わせ先") == (10, "問い合わせ先")
    assert split_heading("１０．照会先") == (10, "照会先")


@pytest.mark.parametrize(
    ("cell", "label"),
    [("氏名", True), ("電話番号：", True), ("所属部署: 見本課", True), ("氏名の確認", False)],
)
def test_contact_labels(cell: str, label: bool) -> None:
    assert is_contact_label(cell) is label


def _read(name: str, data: bytes) -> tuple[list[str], str | None]:
    nr = transform_document(read_document(data, source_info(name, data)))
    return [i.item_name for i in nr.expense_items], nr.contact.person_name if nr.contact else None


@pytest.mark.parametrize("heading", HEADINGS)
def test_text_export_under_any_contact_heading(heading: str) -> None:
    items, person = _read("x.txt", form(heading10=heading).encode())
    assert items == ["相談事業", "居場所づくり"]  # the contact is no item ③
    assert person == "見本 花子"


def test_a_contact_block_under_no_heading_after_the_table() -> None:
    text = form().replace(
        f"10. 担当者名及び連絡先\t<p>{CONTACT}</p>", "氏名\t見本 花子\n電話番号\t083-000-0000"
    )
    items, person = _read("x.txt", text.encode())
    assert items == ["相談事業", "居場所づくり"] and person == "見本 花子"


def _report(fmt: Format, heading: str) -> Report:
    rng = random.Random(24)
    report = make_report(rng, BY_CODE[35], 2021, fmt, Variant(), f"x.{fmt}")
    headings = list(report.written.headings)
    headings[9] = heading
    return dataclasses.replace(
        report, written=dataclasses.replace(report.written, headings=headings)
    )


@pytest.mark.parametrize("fmt", ["txt", "xlsx", "docx", "pdf"])
@pytest.mark.parametrize("heading", ["10. 問い合わせ先", "照会先", "【連絡先】"])
def test_every_format_under_another_contact_heading(fmt: Format, heading: str) -> None:
    report = _report(fmt, heading)
    items, person = _read(report.file, RENDERERS[fmt](report))
    assert len(items) == len(report.truth["expense_items"])
    assert person == report.truth["contact"]["person_name"]
    assert person and all(person not in item for item in items)
