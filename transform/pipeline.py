"""One read Document to one checked report: every transform step, in order (pure).

This is what runs for each file inside the guarded worker (``flows/guard.py``), under the
same time and memory limits as reading, so a file whose content makes a step slow or
greedy is quarantined like any other bad file.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from extract import read_document
from extract.errors import QuarantineError
from extract.form import EXPENSE_SECTION
from extract.limits import DEFAULT_READ_LIMITS, ReadLimits
from extract.model import Document, Provenance, SourceInfo
from transform.checks import check_report
from transform.corrections import (
    Correction,
    QuarantinedWithUnfitCorrections,
    UnfitCorrection,
    expense_row_number,
    fit_corrections,
    unfit_correction,
)
from transform.fields import check_fields
from transform.normalize import normalize_document
from transform.ocr_fields import review
from transform.privacy import contact_names, redacted_error, withhold_personal_data
from transform.records import CorrectionRecord, FileReports, NormalizedReport
from transform.unread import unread_issues


def transform_document(doc: Document, today: date | None = None) -> NormalizedReport:
    """Normalise, withhold misplaced personal data, then check (``today``: the run's date
    in Japan, which bounds the plausible fiscal years). Neither a quarantine reason nor an
    issue's message names the contact (by shape, or by the name its block gives)."""
    names = contact_names(doc)
    try:
        normalized = normalize_document(doc)
    except QuarantineError as exc:
        raise redacted_error(exc, names) from None
    report = withhold_personal_data(normalized, names)
    report = check_fields(report)
    checks = check_report(report, today) + unread_issues(doc)
    return withhold_personal_data(dataclasses.replace(report, issues=report.issues + checks), names)


def process_bytes(
    data: bytes,
    source: SourceInfo,
    today: date | None = None,
    corrections: tuple[Correction, ...] = (),
    limits: ReadLimits = DEFAULT_READ_LIMITS,
) -> FileReports:
    """One file's bytes to its checked reports: the reader for its format (under the
    per-file ``limits``), then :func:`transform_file`. The per-file pipeline of ``jokatsu
    ingest`` (its guarded worker calls this) and of the tests (tests/support.py), so both run
    the same steps."""
    return transform_file(read_document(data, source, limits), today, corrections)


def transform_file(
    doc: Document, today: date | None = None, corrections: tuple[Correction, ...] = ()
) -> FileReports:
    """Every form of a read file (:attr:`Document.forms`) to its checked report, after the
    clerk's corrections for the file (if any) are written into it; each report keeps the
    fixes applied to its form. A report read from a scan carries its OCR record and review
    status (:func:`transform.ocr_fields.review`).

    A corrections file that does not fit (:func:`~transform.corrections.fit_corrections`),
    or whose values would make a readable file unreadable, is set aside and returned in
    ``unfit``: the file reads as it would without it. A file that cannot be read either way
    raises its own reason, carrying the corrections set aside
    (:class:`~transform.corrections.QuarantinedWithUnfitCorrections`).
    """
    fitted = fit_corrections(doc, corrections)
    unfit = fitted.unfit
    try:
        reports = _reports(fitted.document, today, fitted.applied)
    except QuarantineError as exc:
        if not fitted.applied:
            raise _carrying(exc, unfit) from None
        try:  # the corrections fit field by field: does the file read without them?
            reports = _reports(doc, today, ())
        except QuarantineError:
            raise _carrying(exc, unfit) from None  # no: what is left to correct
        unfit += tuple(
            unfit_correction(c, "", f"訂正を入れると報告書として読めなくなります（{exc}）")
            for c in fitted.applied
        )
    return FileReports(doc.source, reports, unfit)


def _carrying(exc: QuarantineError, unfit: tuple[UnfitCorrection, ...]) -> QuarantineError:
    """The file's own quarantine reason, with the corrections set aside (when any were)."""
    return QuarantinedWithUnfitCorrections(str(exc), exc.code, unfit) if unfit else exc


def _reports(
    doc: Document, today: date | None, corrections: tuple[Correction, ...]
) -> tuple[NormalizedReport, ...]:
    reports = []
    for form in doc.forms:
        report = transform_document(form, today)
        applied = tuple(
            CorrectionRecord(
                report_id=report.report.report_id,
                source_sha256=doc.source.sha256,
                field=fix.field,
                value=fix.value,
                corrected_by=c.corrected_by,
                reason=c.reason,
                corrections_file=c.file,
                expense_row_order=_expense_row(form, report, fix.field),
            )
            for c in corrections
            if c.form == form.form
            for fix in c.fixes
        )
        report = dataclasses.replace(report, corrections=applied, read_path=doc.read_path)
        if doc.ocr is not None:  # a scan: confirmed on strong evidence or by a clerk, or held
            mine = tuple(c for c in corrections if c.form == form.form)
            report = dataclasses.replace(report, ocr=review(doc.ocr, report, mine))
        reports.append(report)
    return tuple(reports)


def _expense_row(form: Document, report: NormalizedReport, field: str) -> int | None:
    """The expense row (``row_order``) a fix of 「経費.<row>.<column>」 wrote into: the row of
    the report read from that table row, found by the row's place in the file. None when
    the fix names no expense row, or the place does not name one row only (no place
    recorded, or shared): no row is marked rather than the wrong one."""
    number = expense_row_number(field)
    table = form.table(EXPENSE_SECTION)
    if number is None or table is None or not 1 <= number <= len(table.rows):
        return None
    place = table.rows[number - 1].provenance
    if place == Provenance() or [r.provenance for r in table.rows].count(place) != 1:
        return None
    orders = [n for n, item in enumerate(report.expense_items, start=1) if item.location == place]
    return orders[0] if len(orders) == 1 else None
