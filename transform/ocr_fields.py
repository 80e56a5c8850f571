"""A scanned report's OCR readings as warehouse records, and whether it may be trusted (pure).

Nothing read by OCR reaches the marts unasked. A scan is confirmed automatically only on
strong evidence: every amount read alike, digit for digit, by both tesseract models with
nothing but separators corrected; every field that decides money or place (amounts,
prefecture, period, budget labels, 取組例) read with certainty; no error-severity check
(A = B + C + D, the totals); and the prefecture agreeing with the contact block (its
department names the prefecture, or its e-mail domain does). Otherwise the report awaits a
clerk (``needs_review``), who confirms it, with or without fixes, through a corrections file
(``confirm = true`` beside any ``[[fix]]``, :mod:`transform.corrections`).
"""

from __future__ import annotations

from extract.model import OcrCell, OcrProvenance
from transform.corrections import Correction, field_key
from transform.prefectures import BY_CODE, short_name
from transform.records import NormalizedReport, OcrFieldRecord, OcrReadRecord, OcrStatus

# Cell kinds whose misreading changes money or place: they must be certain.
DECIDING_KINDS = ("amount", "prefecture", "period", "budget", "example")
SEPARATOR_ONLY = ("./、→,",)
MODELS = ("jpn", "Japanese")


def field_records(
    ocr: OcrProvenance, report: NormalizedReport, corrections: tuple[Correction, ...] = ()
) -> tuple[OcrFieldRecord, ...]:
    """Every named cell of the scan as a field record; a field a clerk fixed is marked
    ``corrected by hand`` (its value the clerk's)."""
    fixed = {field_key(fix.field): fix.value for c in corrections for fix in c.fixes}
    records = []
    for cell in ocr.cells:
        if not cell.field:
            continue
        readings = dict(cell.readings)
        by_hand = field_key(cell.field) in fixed
        records.append(
            OcrFieldRecord(
                report_id=report.report.report_id,
                source_sha256=report.source.sha256,
                field=cell.field,
                kind=cell.kind,
                page=cell.page,
                bbox=cell.bbox,
                reading_jpn=readings.get("jpn"),
                reading_japanese=readings.get("Japanese"),
                value=fixed[field_key(cell.field)] if by_hand else cell.text,
                confidence=round(cell.confidence / 100, 3),
                corrections=cell.changes,
                uncertain=cell.uncertain,
                provenance="corrected by hand" if by_hand else "ocr",
            )
        )
    return tuple(records)


def evidence_missing(ocr: OcrProvenance, report: NormalizedReport) -> tuple[str, ...]:
    """What keeps the report from automatic confirmation, each in words a clerk reads;
    empty when the evidence is strong."""
    missing: list[str] = []
    cells = [c for c in ocr.cells if c.field]
    for cell in cells:
        if cell.kind == "amount" and cell.text:
            # the reader marks an amount uncertain when the two models' corrected readings
            # differ digit for digit, or when a reading breaks the amount grammar
            if {m for m, _ in cell.readings} != set(MODELS) or cell.uncertain:
                missing.append(f"{cell.field}: 2つの読み取りが一致しません")
            elif set(cell.changes) - set(SEPARATOR_ONLY):
                missing.append(f"{cell.field}: 区切り以外を直しました（{'・'.join(cell.changes)}）")
        elif cell.kind in DECIDING_KINDS and cell.uncertain:
            missing.append(f"{cell.field}: 読み取りが確かではありません（「{cell.text}」）")
    if ocr.cell("都道府県名") is None:
        missing.append("都道府県名: 行が読み取れません")
    errors = sorted({i.rule for i in report.issues if i.severity == "error"})
    if errors:
        missing.append(f"検査でエラー: {', '.join(errors)}")
    if not prefecture_agrees_with_contact(report):
        missing.append("都道府県名が担当者の所属・メールアドレスと一致しません")
    return tuple(missing)


def prefecture_agrees_with_contact(report: NormalizedReport) -> bool:
    """Whether the contact block names the report's prefecture: its department holds the
    name (「愛知県 女性活躍推進課」) or its e-mail domain the romanised one (pref.aichi)."""
    prefecture = BY_CODE.get(report.report.prefecture_code)
    contact = report.contact
    if prefecture is None or contact is None:
        return False
    department = (contact.department or "").replace(" ", "").replace("\u3000", "")
    if short_name(prefecture.name_ja) in department:
        return True
    domain = (contact.email or "").rpartition("@")[2].lower()
    return prefecture.name_en.lower() in domain.split(".")


def review(
    ocr: OcrProvenance, report: NormalizedReport, corrections: tuple[Correction, ...] = ()
) -> OcrReadRecord:
    """The report's OCR record: confirmed automatically on strong evidence, confirmed by a
    clerk whose corrections file says ``confirm = true``, else awaiting review."""
    missing = evidence_missing(ocr, report)
    confirmer = next((c.corrected_by for c in corrections if c.confirm), None)
    status: OcrStatus
    if confirmer is not None:
        status, grade = "confirmed by a clerk", "B"
    elif not missing:
        status, grade = "confirmed automatically", "A"
    else:
        status, grade = "needs_review", "C"
    deciding = [c for c in ocr.cells if c.field and c.kind in DECIDING_KINDS and c.text]
    certain = sum(not c.uncertain for c in deciding)
    return OcrReadRecord(
        report_id=report.report.report_id,
        source_sha256=report.source.sha256,
        engine=ocr.engine,
        dpi=ocr.dpi,
        source_dpi=ocr.source_dpi,
        preprocessing=ocr.preprocessing,
        status=status,
        grade=grade,
        confidence=round(certain / len(deciding), 3) if deciding else 0.0,
        evidence=missing,
        confirmed_by=confirmer,
        fields=field_records(ocr, report, corrections),
    )


def uncertain_cells(ocr: OcrProvenance) -> tuple[OcrCell, ...]:
    return tuple(c for c in ocr.cells if c.field and c.uncertain)
