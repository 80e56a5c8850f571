"""One Document to one checked report (transform/pipeline.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from extract import read_document, source_info
from tests.conftest import REAL_REPORT
from tests.hostile import CONTACT, form
from transform.errors import NormalizationError
from transform.pipeline import transform_document
from transform.privacy import WITHHELD


def _doc(text: str):  # type: ignore[no-untyped-def]
    data = text.encode("utf-8")
    return read_document(data, source_info("r.txt", data))


def test_the_real_report_raises_only_its_budget_label_warning() -> None:
    data = REAL_REPORT.read_bytes()
    report = transform_document(read_document(data, source_info("r.txt", data)), date(2026, 11, 28))
    assert [(i.rule, i.severity) for i in report.issues] == [
        ("budget_label_not_allowed", "warning")
    ]


def test_issues_from_every_step_are_kept_in_order() -> None:
    text = form(period="平成32年4月1日 ~ 平成33年3月31日", section8=CONTACT)
    report = transform_document(_doc(text), date(2026, 11, 28))
    rules = [(i.rule, i.severity) for i in report.issues]
    # normalising (an era that had ended), withholding, then the checks
    assert rules[:3] == [  # one note per date written in 平成 after it ended
        ("period", "warning"),
        ("period", "warning"),
        ("personal_data_misplaced", "error"),
    ]
    assert report.sections[[s.section_no for s in report.sections].index(8)].body == WITHHELD


def test_without_a_date_the_plausible_years_are_not_checked() -> None:
    report = transform_document(_doc(form(period="令和99年4月1日 ~ 令和100年3月31日")))
    assert ("period", "warning") not in {(i.rule, i.severity) for i in report.issues}
    dated = transform_document(_doc(form(period="令和99年4月1日 ~ 令和100年3月31日")), date.today())
    assert ("period", "warning") in {(i.rule, i.severity) for i in dated.issues}


def test_every_form_of_a_file_is_a_report_with_its_own_stable_id() -> None:
    from transform.pipeline import transform_file

    text = form() + "\n" + form(prefecture="広島県", title="二つ目の事業")
    doc = _doc(text)
    reports = transform_file(doc, date(2026, 11, 28))
    ids = [r.report.report_id for r in reports.reports]
    sha = doc.source.sha256
    assert ids == [f"R-{sha[:16]}", f"R-{sha[:16]}-2"]
    assert [r.report.prefecture_code for r in reports.reports] == [35, 34]
    assert transform_file(_doc(text)).reports[1].report.report_id == ids[1]  # stable


QUARANTINE_CASES = Path(__file__).parent / "quarantine_cases"


def test_a_workbook_printed_without_page_setup_is_quarantined_not_half_loaded() -> None:
    """LibreOffice printing a workbook as it is (no fit to width, no rules): the text of
    neighbouring cells overlaps and the amount columns land on other pages, unreadable to a
    person too. Before, it loaded with its expense items lost; now it is refused with a
    reason the clerk can act on."""
    path = QUARANTINE_CASES / "pdf_printed_xlsx_without_page_setup.pdf"
    data = path.read_bytes()
    with pytest.raises(NormalizationError, match="1ページの幅に収まるように") as raised:
        transform_document(read_document(data, source_info(path.name, data)))
    assert raised.value.code == "expense_columns_missing"
