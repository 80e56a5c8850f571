"""Blank or misshapen fields raise an issue naming them; shapes are parsed, not mangled."""

from __future__ import annotations

import dataclasses
import random

from hypothesis import given
from hypothesis import strategies as st

from extract import read_document, source_info
from tests.corpus.model import Variant, make_report
from tests.corpus.render_office import render_xlsx
from transform.fields import check_fields, email_values, phone_value
from transform.pipeline import transform_document
from transform.prefectures import BY_CODE
from transform.records import ContactRecord, NormalizedReport

_groups = st.tuples(
    st.sampled_from(["03", "06", "011", "0123", "083"]),
    st.integers(10, 9999),
    st.integers(1000, 9999),
)


def _phone(groups: tuple[str, int, int]) -> str:
    area, middle, last = groups
    digits = 10 - len(area) - 4
    return f"{area}-{middle % 10**digits:0{digits}d}-{last}"


@given(_groups, st.sampled_from(["", " 内線123", "（内線 45）", " ext. 6"]))
def test_a_phone_with_its_extension_is_one_value(groups: tuple[str, int, int], ext: str) -> None:
    phone = _phone(groups)
    value, rest = phone_value(phone + ext)
    digits = "".join(c for c in ext if c.isdigit())
    assert value == phone + (f" 内線{digits}" if digits else "")
    assert rest == ""


@given(_groups, _groups, st.sampled_from(["FAX", "ＦＡＸ", "ファクス", "(FAX)"]))
def test_a_phone_followed_by_the_fax_number_keeps_the_phone(
    phone_groups: tuple[str, int, int], fax_groups: tuple[str, int, int], label: str
) -> None:
    phone, fax = _phone(phone_groups), _phone(fax_groups)
    value, rest = phone_value(f"{phone}　{label} {fax}")
    assert value == phone
    assert fax in rest


_ADDRESS = st.from_regex(r"[a-z]{1,8}@example\.(jp|org)", fullmatch=True)


@given(st.lists(_ADDRESS, min_size=1, max_size=3), st.sampled_from(["、", "; ", " ", "，"]))
def test_every_address_of_an_email_field_in_order(addresses: list[str], sep: str) -> None:
    assert email_values(sep.join(addresses)) == addresses


def test_text_that_is_no_phone_or_address() -> None:
    assert phone_value("後日連絡します") == (None, "後日連絡します")
    assert email_values("なし") == []


def _report() -> NormalizedReport:
    variant = Variant()
    report = make_report(random.Random(4), BY_CODE[27], 2021, "xlsx", variant, "r.xlsx")
    data = render_xlsx(report)
    return transform_document(read_document(data, source_info("r.xlsx", data)))


def _with_contact(nr: NormalizedReport, **fields: str) -> NormalizedReport:
    assert nr.contact is not None
    return check_fields(dataclasses.replace(nr, contact=dataclasses.replace(nr.contact, **fields)))


def test_a_phone_field_holding_the_fax_number_is_named_and_parsed() -> None:
    nr = _with_contact(_report(), phone="06-1234-5678 FAX 06-1234-5679")
    assert nr.contact is not None and nr.contact.phone == "06-1234-5678"
    (issue,) = [i for i in nr.issues if i.rule == "field_shape"]
    assert "電話番号" in issue.message and "FAX" in issue.message
    assert "06-1234-5679" not in issue.message  # the gate: personal data as its placeholder


def test_a_phone_with_its_extension_is_no_alarm() -> None:
    nr = _with_contact(_report(), phone="06-1234-5678（内線123）")
    assert nr.contact is not None and nr.contact.phone == "06-1234-5678 内線123"
    assert not [i for i in nr.issues if i.rule == "field_shape"]


def test_two_addresses_in_one_email_field_are_named() -> None:
    nr = _with_contact(_report(), email="a@example.jp、b@example.jp")
    assert nr.contact is not None and nr.contact.email == "a@example.jp"
    (issue,) = [i for i in nr.issues if i.rule == "field_shape"]
    assert "2件" in issue.message


def test_a_clean_contact_raises_nothing() -> None:
    nr = _report()
    assert check_fields(nr) == nr
    assert isinstance(nr.contact, ContactRecord)


def test_a_label_typed_once_for_several_rows_is_named() -> None:
    """A budget label merged down over two rows (or typed only on the first) leaves the
    second row blank: an issue names the row and the column."""
    nr = _report()
    items = list(nr.expense_items)
    assert len(items) >= 2 and all(i.budget_measure_raw for i in items)
    items[1] = dataclasses.replace(
        items[1], budget_measure_raw=None, budget_measure_fiscal_year=None, budget_measure_kind=None
    )
    checked = check_fields(dataclasses.replace(nr, expense_items=tuple(items), issues=()))
    (issue,) = [i for i in checked.issues if i.rule == "field_blank"]
    assert "予算措置年度" in issue.message and items[1].label in issue.message
