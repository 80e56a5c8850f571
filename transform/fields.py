"""Fields the form asks for that came out blank or misshapen, each with an issue naming it.

A wrong value is worse than a refused file; so is a value that silently went missing. Two
kinds of finding, both warnings, each naming the field, its place and the value (messages
pass the personal-data gate, so a phone number or an address shows as its placeholder):

- ``field_blank``: an expense row with content (a name or an amount) whose 個別事業名,
  予算措置年度 or 交付決定事業 is blank while other rows fill that column in: a label typed
  once for several rows (a cell merged down, 〃 the reader did not see) loads the other rows
  blank, which nothing else would notice.
- ``field_shape``: a contact field whose value does not have its kind's shape: a phone
  field holding more than one number with its extension (the fax number after it, a
  sentence), an e-mail field holding two addresses or none. The value is parsed rather than
  mangled: the first phone number with its extension (「内線123」), the first address, are
  kept; an extension alone after a number is no alarm.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from extract.personal import find_email, find_phone
from transform.records import ContactRecord, ExpenseItemRecord, IssueRecord, NormalizedReport

_EXTENSION = re.compile(
    r"\s{0,2}[(（]?\s{0,2}(?:内線|ext\.?|EXT\.?|Ext\.?)\s{0,2}[:：.]?\s{0,2}([0-9]{1,6})\s{0,2}[)）]?"
)
_FILLER = " \u3000,、，/／・()（）:："
_LABELLED = {
    "item_name": "個別事業名",
    "budget_measure_raw": "予算措置年度",
    "decision_budget_raw": "交付決定事業",
}


def phone_value(raw: str) -> tuple[str | None, str]:
    """The phone number a field gives (with its extension, as 「012-345-6789 内線123」) and
    whatever else the field holds."""
    flat = unicodedata.normalize("NFKC", raw).strip()
    phone = find_phone(flat)
    if phone is None:
        return None, flat
    start = flat.index(phone)
    end = start + len(phone)
    extension = _EXTENSION.match(flat, end)
    value = phone + (f" 内線{extension[1]}" if extension else "")
    if extension:
        end = extension.end()
    rest = (flat[:start].strip(_FILLER) + " " + flat[end:].strip(_FILLER)).strip()
    return value, rest


def email_values(raw: str) -> list[str]:
    """Every e-mail address a field holds, in order."""
    flat = unicodedata.normalize("NFKC", raw)
    found: list[str] = []
    while (address := find_email(flat)) is not None:
        found.append(address)
        flat = flat[flat.index(address) + len(address) :]
    return found


_PLACE = "10. 担当者名及び連絡先"


def _contact(contact: ContactRecord) -> tuple[ContactRecord, list[IssueRecord]]:
    issues: list[IssueRecord] = []
    changes: dict[str, str | None] = {}
    if contact.phone:
        phone, rest = phone_value(contact.phone)
        if phone is None:
            issues.append(_shape(f"電話番号: 「{contact.phone}」は電話番号として読めません"))
        else:
            changes["phone"] = phone
            if rest:
                taken = f"（「{phone}」を電話番号として取り込みました）"
                issues.append(
                    _shape(f"電話番号: 電話番号のほかに「{rest}」が書かれています{taken}")
                )
    if contact.email:
        written = unicodedata.normalize("NFKC", contact.email).strip()
        addresses = email_values(written)
        if not addresses:
            issues.append(
                _shape(f"電子メールアドレス: 「{written}」はメールアドレスとして読めません")
            )
        else:
            changes["email"] = addresses[0]
            rest = written
            for address in addresses:
                rest = rest.replace(address, " ")
            rest = rest.strip(_FILLER)
            if len(addresses) > 1:
                count = f"{len(addresses)}件のアドレスが書かれています（1件目を取り込みました）"
                issues.append(_shape(f"電子メールアドレス: {count}"))
            elif rest:
                issues.append(
                    _shape(f"電子メールアドレス: アドレスのほかに「{rest}」が書かれています")
                )
    return dataclasses.replace(contact, **changes), issues  # type: ignore[arg-type]


def _shape(what: str) -> IssueRecord:
    return IssueRecord(
        "field_shape", "warning", f"{_PLACE} {what}。欄に合った形で書き直してください。"
    )


def _where(item: ExpenseItemRecord) -> str:
    place = item.location.describe()
    return f"{place}の経費の内訳 {item.label}" if place else f"経費の内訳 {item.label}"


def _blank_fields(items: tuple[ExpenseItemRecord, ...]) -> list[IssueRecord]:
    issues = []
    for name, label in _LABELLED.items():
        filled = [item for item in items if getattr(item, name)]
        if not filled:
            continue  # a column nobody filled in is the form's own business (checks)
        for item in items:
            has_content = item.total_cost or item.grant_amount or item.own_funds or item.other_funds
            if getattr(item, name) or not (has_content or item.item_name):
                continue
            issues.append(
                IssueRecord(
                    "field_blank",
                    "warning",
                    f"{_where(item)} {label}が空欄です（他の行には記入があります）。"
                    "上の行と同じ場合も、結合したセルや「〃」にせず各行に記入してください。",
                )
            )
    return issues


def check_fields(nr: NormalizedReport) -> NormalizedReport:
    """The report with its contact fields parsed to their shape, and an issue for each
    blank or misshapen field."""
    issues = _blank_fields(nr.expense_items)
    contact = nr.contact
    if contact is not None:
        contact, found = _contact(contact)
        issues += found
    if not issues and contact == nr.contact:
        return nr
    return dataclasses.replace(nr, contact=contact, issues=nr.issues + tuple(issues))
