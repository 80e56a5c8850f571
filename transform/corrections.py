"""Corrections a clerk supplies for a file that cannot be read as sent (pure).

When a report still cannot be read (a cell nobody can parse, a 都道府県名 left out), the
clerk does not edit the file: they write a small corrections file beside the inbox, keyed
by the file's SHA-256, naming each field and its value, with who corrected it and why::

    # corrections/山口県_令和3年度.toml
    sha256 = "b75168460d201e43…"          # the file it corrects (all 64 hex digits)
    corrected_by = "見本 花子（男女共同参画課）"
    reason = "県に電話で確認した（令和4年5月10日）"

    [[fix]]
    field = "実施期間"
    value = "令和3年7月12日 ~ 令和4年3月18日"

    [[fix]]
    field = "経費.1.総事業費"          # row ① of the expense table, its 総事業費 (A)
    value = "12,391,579"

A report read from a scan by OCR waits for a clerk unless the evidence was strong
(:mod:`transform.ocr_fields`); the clerk who has compared it with the scan (on the review
page, ``jokatsu review``) confirms it with ``confirm = true`` in the same file, beside any
``[[fix]]`` of a value OCR misread (a file may hold only the confirmation)::

    confirm = true                        # I compared every value with the scan

Fields: 「都道府県名」, 「表題」, a section by its number or name (「1」「事業名」「2」「実施期間」
…「11」), an expense cell 「経費.<row>.<column>」 (row 1 is the first row of the table, the
column by its header label: 総事業費, 本交付金, 他の寄付金等, 自己資金, 個別事業名 …), and
the total row 「合計.<column>」. ``form = 2`` before the fixes corrects the second form of a
file that holds several. The values are written into the read document as if the file had
held them, then normalised and checked as usual; each applied fix is kept with its
provenance (``corrected by hand``) in the warehouse's ``corrections`` table.

A corrections file is a clerk's input like any file: one that does not fit the file it
names (a field that names nothing, a row or column the expense table does not have, a form
the file does not hold, a value the field's own reader refuses, or values that would make a
readable file unreadable) is set aside whole as an :class:`UnfitCorrection`, reported under
「not read」 with the corrections file's name, the field and what to change, and the file it
names keeps what it had without it (a loaded report stays loaded as it was, a quarantined
file stays quarantined with its own reason). It never fails the run.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable
from dataclasses import dataclass

from extract.errors import QuarantineError, ReasonCode
from extract.form import (
    AMOUNT_FIELDS,
    COLUMNS,
    EXPENSE_SECTION,
    LAST_SECTION,
    PREFECTURE_LABEL,
    SECTION_NAMES,
    is_total_row,
    prefecture_from_line,
)
from extract.model import Document, Section, Table, TableRow
from extract.text import label_key
from transform.amounts import parse_amount
from transform.eras import parse_period
from transform.errors import ParseError
from transform.prefectures import prefecture_code

PROVENANCE = "corrected by hand"


class CorrectionError(QuarantineError):
    """A corrections file that cannot be read or applied: the message says what to change in
    it (and ``field`` names the fix at fault, when one is). Unreadable or not fitting its
    file, it is reported under 「not read」 (a clerk's slip never stops the run)."""

    code: ReasonCode = "correction_unusable"

    def __init__(self, message: str, code: ReasonCode | None = None, field: str = "") -> None:
        super().__init__(message, code)
        self.field = field

    def __reduce__(self) -> tuple[type[CorrectionError], tuple[str, str, str]]:  # type: ignore[override]
        return (type(self), (str(self), self.code, self.field))


@dataclass(frozen=True)
class Fix:
    field: str
    value: str


@dataclass(frozen=True)
class Correction:
    """One corrections file: the fixes of one form of one source file."""

    sha256: str
    corrected_by: str
    reason: str
    fixes: tuple[Fix, ...]
    file: str = ""
    form: int = 1
    confirm: bool = False  # a scan's OCR reading confirmed by the clerk (with the fixes)


Fingerprint = frozenset[tuple[str, str, str, str]]


def fingerprint(corrections: tuple[Correction, ...]) -> Fingerprint:
    """What a file's corrections say (field, value, who, why): a file loaded under other
    corrections than the clerks' files now hold is read again, so a changed or withdrawn
    correction reaches the warehouse on the next run."""
    return frozenset(
        (fix.field, fix.value, c.corrected_by, c.reason) for c in corrections for fix in c.fixes
    ) | {("confirm", "true", c.corrected_by, c.reason) for c in corrections if c.confirm}


def parse_correction(text: str, file: str = "") -> Correction:
    """Read a corrections file (TOML); :class:`CorrectionError` names what is wrong."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as exc:  # ValueError: an integer of 5,000 digits
        raise CorrectionError(f"{file}: 訂正ファイルの TOML として読めません（{exc}）") from None
    sha256 = str(data.get("sha256", "")).strip().lower()
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise CorrectionError(
            f"{file}: sha256 には対象ファイルの SHA-256（16進64桁）を書いてください"
        )
    who, why = str(data.get("corrected_by", "")).strip(), str(data.get("reason", "")).strip()
    if not who or not why:
        raise CorrectionError(f"{file}: 訂正した人（corrected_by）と理由（reason）を書いてください")
    confirm = data.get("confirm", False)
    if not isinstance(confirm, bool):
        raise CorrectionError(f"{file}: confirm は true か false です")
    raw_fixes = data.get("fix", [] if confirm else None)
    if not isinstance(raw_fixes, list) or not (raw_fixes or confirm):
        raise CorrectionError(
            f"{file}: field と value のある [[fix]] がありません"
            "（スキャンの読み取りを確かめただけなら confirm = true と書きます）"
        )
    fixes = []
    for number, fix in enumerate(raw_fixes, start=1):
        if not isinstance(fix, dict) or "field" not in fix or "value" not in fix:
            raise CorrectionError(f"{file}: {number}番目の [[fix]] に field と value が必要です")
        fixes.append(Fix(str(fix["field"]).strip(), str(fix["value"])))
    form = data.get("form", 1)
    if not isinstance(form, int) or form < 1:
        raise CorrectionError(f"{file}: form は 1, 2, … の番号です")
    return Correction(sha256, who, why, tuple(fixes), file, form, confirm)


def corrections_skeleton(sha256: str, form: int = 1) -> str:
    """A corrections file ready to fill in for the file with this SHA-256 (and, for the
    second and later forms of a file, ``form``): what the summary, the Prefect artifact, the
    data_quality export and the HTML report offer for each file to correct. Saved in the
    corrections folder as it is, it is reported under 「not read」 until who and why are
    written."""
    return "\n".join(
        [
            f'sha256 = "{sha256}"',
            'corrected_by = ""   # 訂正した人（所属）',
            'reason = ""         # 確認した方法と日付',
            *([f"form = {form}"] if form > 1 else []),
            "",
            "[[fix]]",
            'field = ""          # 例: 実施期間 / 都道府県名 / 経費.1.総事業費 / 合計.本交付金',
            'value = ""',
        ]
    )


def expense_row_number(field: str) -> int | None:
    """The row of the expense table (1 = its first row, as the clerk counts) that a fix
    「経費.<row>.<column>」 names; None for any other field or a row that is no number."""
    head, _, rest = label_key(field).partition(".")
    row_text = rest.partition(".")[0]
    if head != "経費" or not row_text.isdecimal() or len(row_text) > 6:
        return None
    return int(row_text)


def _section_number(field: str) -> int | None:
    key = label_key(field)
    if key.isdecimal() and len(key) <= 3 and 1 <= int(key) <= LAST_SECTION:
        return int(key)
    return next((n for n, name in SECTION_NAMES.items() if label_key(name) == key), None)


@dataclass(frozen=True)
class UnfitCorrection:
    """A corrections file set aside because it does not fit the file it names: reported
    under 「not read」; the file it names is read as if it did not exist."""

    file: str  # the corrections file
    sha256: str  # the file it names
    field: str  # the fix that does not fit ("" when the whole file does not: its form)
    reason: str  # what is wrong and what to change in the corrections file

    def describe(self, target: str = "") -> str:
        """What the clerk reads beside the corrections file's name: that it was not used, the
        field, what to change (``target``: the path of the file it names)."""
        named = target or f"SHA-256 {self.sha256[:16]}… のファイル"
        where = f"field「{self.field}」: " if self.field else ""
        return (
            f"訂正ファイルが {named} に合わないため使っていません（そのファイルは訂正前のまま"
            f"です）。{where}{self.reason}"
        )


class QuarantinedWithUnfitCorrections(QuarantineError):
    """A file that cannot be read (its own reason and code), raised with the corrections
    files for it that did not fit, so that these are reported under 「not read」 as well."""

    def __init__(
        self, message: str, code: ReasonCode | None = None, unfit: tuple[UnfitCorrection, ...] = ()
    ) -> None:
        super().__init__(message, code)
        self.unfit = unfit

    def __reduce__(  # type: ignore[override]
        self,
    ) -> tuple[type[QuarantinedWithUnfitCorrections], tuple[str, str, tuple[UnfitCorrection, ...]]]:
        return (type(self), (str(self), self.code, self.unfit))


@dataclass(frozen=True)
class Fitted:
    """A read document after the corrections files that fit it (``applied``, in order);
    those that do not are in ``unfit`` and changed nothing."""

    document: Document
    applied: tuple[Correction, ...]
    unfit: tuple[UnfitCorrection, ...]


def fit_corrections(doc: Document, corrections: tuple[Correction, ...]) -> Fitted:
    """Apply each corrections file that fits the document, whole or not at all; a file
    whose fix names nothing, or whose value the field's reader refuses, is set aside."""
    applied: list[Correction] = []
    unfit: list[UnfitCorrection] = []
    for correction in corrections:
        try:
            doc = apply_correction(doc, correction)
        except CorrectionError as exc:
            unfit.append(unfit_correction(correction, exc.field, _without_file(exc, correction)))
            continue
        applied.append(correction)
    return Fitted(doc, tuple(applied), tuple(unfit))


def unfit_correction(correction: Correction, field: str, reason: str) -> UnfitCorrection:
    """A corrections file set aside, with what to change in it."""
    return UnfitCorrection(correction.file, correction.sha256, field, reason)


def _without_file(exc: CorrectionError, correction: Correction) -> str:
    text = str(exc)
    prefix = f"{correction.file}: "
    return text[len(prefix) :] if correction.file and text.startswith(prefix) else text


def field_key(field: str) -> str:
    """A field's name as compared: a section by its number (「事業名」 and 「1」 are one
    field), any other by its label key."""
    number = _section_number(field)
    return str(number) if number is not None else label_key(field)


def apply_correction(doc: Document, correction: Correction) -> Document:
    """The document as if the file had held the corrected values (the form named by the
    correction; the others unchanged)."""
    forms = list(doc.forms)
    if correction.form > len(forms):
        raise CorrectionError(
            f"{correction.file}: form {correction.form} の訂正ですが、ファイルの様式は"
            f" {len(forms)} つです。form を 1～{len(forms)} にしてください"
        )
    target = forms[correction.form - 1]
    for fix in correction.fixes:
        target = _apply(target, fix, correction.file)
    forms[correction.form - 1] = target
    first = dataclasses.replace(forms[0], following=tuple(forms[1:]))
    return first


def _apply(doc: Document, fix: Fix, file: str) -> Document:
    field = label_key(fix.field)
    if field in (PREFECTURE_LABEL, "prefecture"):
        line = f"{PREFECTURE_LABEL}: {fix.value}"
        _check_value(fix, file, lambda: prefecture_code(prefecture_from_line(line)))
        return dataclasses.replace(doc, prefecture_line=line)
    if field in ("表題", "title"):
        return dataclasses.replace(doc, title=fix.value)
    number = _section_number(fix.field)
    if number is not None:
        if number in REQUIRED_SECTIONS and not fix.value.strip():
            raise CorrectionError(
                f"{file}: 「{fix.field}」: 値が空です。{SECTION_NAMES[number]}を書いてください",
                field=fix.field,
            )
        if number == PERIOD_SECTION:
            _check_value(fix, file, lambda: parse_period(fix.value))
        return _with_section(doc, number, fix.value)
    head, _, rest = field.partition(".")
    if head in ("経費", "合計"):
        return _with_cell(doc, head, rest, fix, file)
    raise CorrectionError(
        f"{file}: field「{fix.field}」は 都道府県名・表題・項目（1～11 かその名前）・"
        "経費.<行>.<列>・合計.<列> のいずれでもありません。様式の項目名のとおりに書いてください",
        field=fix.field,
    )


# Sections a report cannot be read without (1 事業名, 2 実施期間), and the one read as dates.
REQUIRED_SECTIONS = (1, 2)
PERIOD_SECTION = 2


def _check_value(fix: Fix, file: str, read: Callable[[], object]) -> None:
    """The field's own reader must accept the corrected value, as it would the file's."""
    try:
        read()
    except ParseError as exc:
        raise CorrectionError(
            f"{file}: 「{fix.field}」: 値「{fix.value[:40]}」を読めません（{exc}）。"
            "値を直してください",
            field=fix.field,
        ) from None


def _with_section(doc: Document, number: int, value: str) -> Document:
    sections = [s for s in doc.sections if s.number != number]
    old = doc.section(number)
    heading = old.heading if old else SECTION_NAMES[number]
    provenance = old.provenance if old else dataclasses.replace(doc.sections[0].provenance)
    sections.append(Section(number, heading, value, provenance))
    return dataclasses.replace(doc, sections=tuple(sorted(sections, key=lambda s: s.number)))


def _with_cell(doc: Document, head: str, rest: str, fix: Fix, file: str) -> Document:
    from transform.normalize import column_positions, table_unit

    table = doc.table(EXPENSE_SECTION)
    if table is None:
        raise CorrectionError(f"{file}: 訂正する経費の表がファイルにありません", field=fix.field)
    if head == "合計":
        row_index = next(
            (i for i, r in enumerate(table.rows) if is_total_row(r.cells)),
            None,
        )
        column = rest
        if row_index is None:
            raise CorrectionError(f"{file}: 経費の表に訂正する合計行がありません", field=fix.field)
    else:
        row_text, _, column = rest.partition(".")
        if (
            not row_text.isdecimal()
            or len(row_text) > 6  # int() of 5,000 digits raises: no table has a million rows
            or not 1 <= int(row_text) <= len(table.rows)
        ):
            raise CorrectionError(
                f"{file}: 「{fix.field}」: 経費の表は {len(table.rows)} 行です。"
                f"行は 1～{len(table.rows)}（表の上からの行）で指定してください",
                field=fix.field,
            )
        row_index = int(row_text) - 1
    positions = column_positions(table.header)
    wanted = label_key(column)
    name = next((c.field for c in COLUMNS if any(w in wanted for w in c.words)), None)
    index = positions.get(name) if name else None
    if index is None:
        raise CorrectionError(
            f"{file}: 「{fix.field}」: 表に列「{column}」がありません。"
            "列は見出しの名前（総事業費・本交付金・他の寄付金等・自己資金・個別事業名 など）で"
            "書いてください",
            field=fix.field,
        )
    if name in AMOUNT_FIELDS:
        unit = table_unit(doc, table)
        _check_value(fix, file, lambda: parse_amount(fix.value, unit))
    row = table.rows[row_index]
    cells = list(row.cells) + [""] * max(0, index + 1 - len(row.cells))
    cells[index] = fix.value
    rows = list(table.rows)
    rows[row_index] = TableRow(tuple(cells), row.provenance)
    new_table = Table(table.section, table.header, tuple(rows), table.provenance)
    tables = tuple(new_table if t is table else t for t in doc.tables)
    return dataclasses.replace(doc, tables=tables)
