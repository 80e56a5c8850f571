"""Personal data outside section 10: found by its shape, withheld, and reported.

The contact block (section 10) is personal data and lives only in ``contacts``. When a
report puts a phone number or an e-mail address anywhere else (a heading written so that
section 10 is not recognised, a contact block pasted into another section or cell), the
value must not reach the warehouse's other tables, nor the exports made from them: the
field is replaced by :data:`WITHHELD` and an error issue ``personal_data_misplaced`` says
where it was, without repeating it. Both patterns run in time linear in the text's length.
"""

from __future__ import annotations

import dataclasses
import unicodedata

from transform.contacts import find_email, find_phone
from transform.records import IssueRecord, NormalizedReport, circled

WITHHELD = "［個人情報の可能性があるため除外しました］"


def looks_personal(text: str | None) -> bool:
    """Whether a text holds a phone number or an e-mail address (full-width ones too)."""
    if not text:
        return False
    flat = unicodedata.normalize("NFKC", text)
    return find_email(flat) is not None or find_phone(flat) is not None


def _issue(place: str) -> IssueRecord:
    return IssueRecord(
        "personal_data_misplaced",
        "error",
        f"{place}に電話番号またはメールアドレスがあります。連絡先は「10. 担当者名及び連絡先」"
        "にだけ記入してください（この欄の内容は個人情報保護のため取り込んでいません）。",
    )


def withhold_personal_data(nr: NormalizedReport) -> NormalizedReport:
    """The report with every field outside section 10 that holds contact details withheld,
    and one ``personal_data_misplaced`` error per such field."""
    issues: list[IssueRecord] = []
    report = nr.report
    if looks_personal(report.title):
        report = dataclasses.replace(report, title=WITHHELD)
        issues.append(_issue("表題"))
    if looks_personal(report.project_title):
        report = dataclasses.replace(report, project_title=WITHHELD)
        issues.append(_issue("1. 事業名"))
    sections = []
    for section in nr.sections:
        if looks_personal(section.body):
            where = section.location.describe()
            issues.append(_issue(f"{where}の{section.section_no}. {section.heading}".lstrip("の")))
            section = dataclasses.replace(section, body=WITHHELD)
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
            if looks_personal(getattr(item, name))
        }
        if changes:
            where = item.location.describe()
            place = f"{where}の経費の内訳 {circled(item.line_no)}".lstrip("の")
            issues.append(_issue(place))
            item = dataclasses.replace(item, **changes)  # type: ignore[arg-type]
        items.append(item)
    if not issues:
        return nr
    return dataclasses.replace(
        nr,
        report=report,
        sections=tuple(sections),
        expense_items=tuple(items),
        issues=nr.issues + tuple(issues),
    )
