"""Personal data outside section 10: found by its shape, withheld, and reported.

The contact block (section 10) is personal data and lives only in ``contacts``. When a
report puts a phone number, an e-mail address or the contact's name anywhere else (a
heading written so that section 10 is not recognised, a contact block pasted into another
section or cell), the value must not reach the warehouse's other tables, nor the exports
made from them: the field is replaced by :data:`WITHHELD` and an error issue
``personal_data_misplaced`` says where it was, without repeating it. The recogniser is the
one gate of :mod:`extract.personal` (every quarantine reason and issue message passes it
where it is made); here it also knows the names the report's own contact block gives.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from extract.errors import QuarantineError
from extract.model import Document
from extract.personal import looks_personal as _looks_personal
from extract.personal import redact
from transform.contacts import parse_contact
from transform.records import IssueRecord, NormalizedReport, circled

WITHHELD = "［個人情報の可能性があるため除外しました］"
CONTACT_SECTION = 10


# A contact block written somewhere else: a name after its label (「氏名：見本 花子」).
_LABELLED_NAME = re.compile(
    r"(?:担当者氏名|担当者名|氏名)[ \u3000]{0,4}[:：][ \u3000]{0,4}[^\s:：]"
)


def looks_personal(text: str | None, names: Iterable[str] = ()) -> bool:
    """Whether a text holds a phone number or an e-mail address (in any separator or
    script an office uses), a name after its label (「氏名: …」) or one of ``names``."""
    return _looks_personal(text, names) or bool(text and _LABELLED_NAME.search(text))


def contact_names(doc: Document) -> tuple[str, ...]:
    """The names a form's contact block gives (its 氏名), to be withheld elsewhere."""
    section = doc.section(CONTACT_SECTION)
    name = parse_contact(section.body).person_name if section else None
    return (name,) if name else ()


def redacted_error(exc: QuarantineError, names: Iterable[str]) -> QuarantineError:
    """The same quarantine error with the contact's names also left out of its reason
    (shapes were left out when it was made)."""
    reason = redact(str(exc), names)
    if reason == str(exc):
        return exc
    clean = type(exc)(reason, exc.code)
    clean.code = exc.code
    return clean


def _issue(place: str) -> IssueRecord:
    return IssueRecord(
        "personal_data_misplaced",
        "error",
        f"{place}に電話番号またはメールアドレスがあります。連絡先は「10. 担当者名及び連絡先」"
        "にだけ記入してください（この欄の内容は個人情報保護のため取り込んでいません）。",
    )


def withhold_personal_data(nr: NormalizedReport, names: Iterable[str] = ()) -> NormalizedReport:
    """The report with every field outside section 10 that holds contact details (or one
    of ``names``, the contact's own name among them) withheld, one
    ``personal_data_misplaced`` error per such field, and every issue's message without
    those names."""
    names = tuple(names) + (
        (nr.contact.person_name,) if nr.contact and nr.contact.person_name else ()
    )

    def personal(text: str | None) -> bool:
        return looks_personal(text, names)

    issues: list[IssueRecord] = []
    report = nr.report
    if personal(report.title):
        report = dataclasses.replace(report, title=WITHHELD)
        issues.append(_issue("表題"))
    if personal(report.project_title):
        report = dataclasses.replace(report, project_title=WITHHELD)
        issues.append(_issue("1. 事業名"))
    sections = []
    for section in nr.sections:
        heading_personal = personal(section.heading)
        if personal(section.body) or heading_personal:
            where = section.location.describe()
            shown = "" if heading_personal else f" {section.heading}"
            issues.append(_issue(f"{where}の{section.section_no}.{shown}".lstrip("の")))
            section = dataclasses.replace(
                section,
                body=WITHHELD if section.body else None,
                heading=WITHHELD if heading_personal else section.heading,
            )
        sections.append(section)
    items = []
    for item in nr.expense_items:
        changes = {
            name: WITHHELD
            for name in (
                "item_name",
                "example_ref",
                "budget_measure_raw",
                "decision_budget_raw",
                "remarks",
            )
            if personal(getattr(item, name))
        }
        if changes:
            where = item.location.describe()
            place = f"{where}の経費の内訳 {circled(item.line_no)}".lstrip("の")
            issues.append(_issue(place))
            item = dataclasses.replace(item, **changes)  # type: ignore[arg-type]
        items.append(item)
    earlier = tuple(
        dataclasses.replace(i, message=redact(i.message, names)) if names else i for i in nr.issues
    )
    if not issues and earlier == nr.issues:
        return nr
    return dataclasses.replace(
        nr,
        report=report,
        sections=tuple(sections),
        expense_items=tuple(items),
        issues=earlier + tuple(issues),
    )
