"""Typed records: what ``transform/`` hands the warehouse, one class per warehouse table."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from extract.model import Provenance, SourceInfo
from extract.personal import gated
from transform.amounts import AmountUnit
from transform.budget import BudgetKind

if TYPE_CHECKING:
    from transform.corrections import UnfitCorrection

Severity = Literal["error", "warning"]
# The checks' rule names: part of the warehouse contract (``validation_issues.rule``), listed
# with their meaning in :mod:`transform.checks`.
Rule = Literal[
    "amount_identity",
    "total_mismatch",
    "total_row_missing",
    "period",
    "budget_label",
    "budget_label_not_allowed",
    "other_funds_remarks",
    "contact_missing",
    "amount_implausible",
    "total_implausibly_small",
    "personal_data_misplaced",
    "unread_content",
    "field_blank",
    "field_shape",
    "revision_order",
]
# Each rule as a clerk reads it (Japanese), beside its stable code.
RULE_LABELS: dict[str, str] = {
    "amount_identity": "総事業費(A)が本交付金(B)・他の寄付金等(C)・自己資金(D)の合計と一致しない",
    "total_mismatch": "各行の合計が合計行と一致しない",
    "total_row_missing": "経費の内訳に合計行がない",
    "period": "実施期間が年度と合わない",
    "budget_label": "予算措置年度・交付決定事業の記載が読めない",
    "budget_label_not_allowed": "予算の記載が注3・注4で認められていない",
    "other_funds_remarks": "他の寄付金等(C)の備考が空欄",
    "contact_missing": "担当者の連絡先がない",
    "amount_implausible": "金額が本交付金としては大きすぎる（1行10億円超）",
    "total_implausibly_small": "総事業費が交付金の事業として小さすぎる（10万円未満、単位の誤り？）",
    "personal_data_misplaced": "担当者欄以外に個人情報（電話・メール）がある",
    "unread_content": "ファイルに読み取っていない文字がある（図形・グラフ・様式の外など）",
    "field_blank": "他の行には記入がある欄が、この行だけ空欄",
    "field_shape": "欄の値がその欄の形をしていない（電話番号・メールアドレス）",
    "revision_order": "同じ事業の報告の新旧が届いた順と逆、またはファイルから分からない",
}


def rule_label(rule: str) -> str:
    """A rule's Japanese label (the code itself for a rule this version does not know)."""
    return RULE_LABELS.get(rule, rule)


# Where a located row came from: the extractor's provenance, carried unchanged.
Location = Provenance


@dataclass(frozen=True)
class ReportRecord:
    report_id: str
    source_sha256: str
    prefecture_code: int
    fiscal_year: int
    title: str
    project_title: str
    period_start: date
    period_end: date
    amount_unit: AmountUnit
    declared_total_cost: int | None
    declared_grant_amount: int | None
    declared_other_funds: int | None
    declared_own_funds: int | None


@dataclass(frozen=True)
class SectionRecord:
    report_id: str
    section_no: int
    heading: str
    body: str | None
    location: Location


@dataclass(frozen=True)
class ExpenseItemRecord:
    report_id: str
    line_no: int
    item_name: str
    example_ref: str | None
    budget_measure_raw: str | None
    budget_measure_fiscal_year: int | None
    budget_measure_kind: BudgetKind | None
    decision_budget_raw: str | None
    decision_budget_fiscal_year: int | None
    decision_budget_kind: BudgetKind | None
    total_cost: int
    grant_amount: int
    other_funds: int
    own_funds: int
    remarks: str | None
    location: Location

    @property
    def label(self) -> str:
        """「①」 for line 1, as the form numbers its rows."""
        return circled(self.line_no)


@dataclass(frozen=True)
class ContactRecord:
    """Personal data: kept in its own table and out of exports unless asked for."""

    report_id: str
    department: str | None
    person_name: str | None
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class CorrectionRecord:
    """One fix a clerk supplied (``corrections`` table), applied to this report."""

    report_id: str
    source_sha256: str
    field: str
    value: str
    corrected_by: str
    reason: str
    corrections_file: str
    provenance: str = "corrected by hand"
    # The expense row the fix wrote into (``expense_items.row_order``), when it names one
    # row of the table that became one expense row; None for any other field.
    expense_row_order: int | None = None


@dataclass(frozen=True)
class IssueRecord:
    """One finding of a check. Its message passes the personal-data gate when it is made
    (:func:`extract.personal.redact`): no issue text can quote a phone number or an e-mail
    address, whichever check builds it."""

    rule: Rule
    severity: Severity
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", gated(self.message))


OcrStatus = Literal["needs_review", "confirmed automatically", "confirmed by a clerk"]


@dataclass(frozen=True)
class OcrFieldRecord:
    """One field of a scanned report as OCR read it (``ocr_fields``): each model's raw
    reading, the value after the vocabulary's corrections, how sure it is, where it sits."""

    report_id: str
    source_sha256: str
    field: str  # named as a corrections file names it: 都道府県名, 3, 経費.1.総事業費 …
    kind: str
    page: int
    bbox: tuple[float, float, float, float]
    reading_jpn: str | None
    reading_japanese: str | None
    value: str
    confidence: float  # 0-1: tesseract's confidence in the word it was least sure of
    corrections: tuple[str, ...]
    uncertain: bool
    provenance: str  # ocr, or corrected by hand (a clerk's fix replaced the value)


@dataclass(frozen=True)
class OcrReadRecord:
    """How a scanned report was read and whether it may be trusted (``ocr_reads``)."""

    report_id: str
    source_sha256: str
    engine: str
    dpi: int
    source_dpi: int
    preprocessing: tuple[str, ...]
    status: OcrStatus
    grade: str  # A confirmed on strong evidence, B confirmed by a clerk, C awaiting review
    confidence: float  # share of the fields that decide money and place read with certainty
    evidence: tuple[str, ...]  # what was missing for automatic confirmation (Japanese)
    confirmed_by: str | None
    fields: tuple[OcrFieldRecord, ...] = ()


@dataclass(frozen=True)
class NormalizedReport:
    """Everything one file puts in the warehouse."""

    source: SourceInfo
    report: ReportRecord
    sections: tuple[SectionRecord, ...]
    expense_items: tuple[ExpenseItemRecord, ...]
    contact: ContactRecord | None
    issues: tuple[IssueRecord, ...] = ()
    superseded_by: str | None = None  # set at load time when a later revision is in the batch
    corrections: tuple[CorrectionRecord, ...] = ()
    read_path: str = ""  # how the file was read (source_files.read_path)
    ocr: OcrReadRecord | None = None  # a scan read by OCR: its readings and review status

    @property
    def awaiting_review(self) -> bool:
        """Read by OCR and not yet confirmed: kept out of the marts and exports."""
        return self.ocr is not None and self.ocr.status == "needs_review"


@dataclass(frozen=True)
class FileReports:
    """Every report one file holds, one per form (most files hold one)."""

    source: SourceInfo
    reports: tuple[NormalizedReport, ...]
    # The clerk's corrections files for it that did not fit and changed nothing (reported
    # under 「not read」; see transform.corrections).
    unfit: tuple[UnfitCorrection, ...] = ()

    @property
    def issues(self) -> tuple[IssueRecord, ...]:
        return tuple(issue for report in self.reports for issue in report.issues)


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def circled(number: int) -> str:
    """1 → ①, …, 20 → ⑳; larger numbers as (21)."""
    return _CIRCLED[number - 1] if 1 <= number <= len(_CIRCLED) else f"({number})"


def circled_number(text: str) -> int | None:
    """① → 1; 「1」, 「(1)」, 「１」 → 1; anything else None."""
    digits = unicodedata.normalize("NFKC", text).strip().strip("(). ")
    return int(digits) if digits.isdecimal() and digits.isascii() else None
