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

Fields: 「都道府県名」, 「表題」, a section by its number or name (「1」「事業名」「2」「実施期間」
…「11」), an expense cell 「経費.<row>.<column>」 (row 1 is the first row of the table, the
column by its header label: 総事業費, 本交付金, 他の寄付金等, 自己資金, 個別事業名 …), and
the total row 「合計.<column>」. ``form = 2`` before the fixes corrects the second form of a
file that holds several. The values are written into the read document as if the file had
held them, then normalised and checked as usual; each applied fix is kept with its
provenance (``corrected by hand``) in the warehouse's ``corrections`` table.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass

from extract.errors import QuarantineError
from extract.form import (
    COLUMNS,
    EXPENSE_SECTION,
    LAST_SECTION,
    PREFECTURE_LABEL,
    SECTION_NAMES,
    is_total_row,
)
from extract.model import Document, Section, Table, TableRow
from extract.text import label_key

PROVENANCE = "corrected by hand"


class CorrectionError(QuarantineError):
    """A corrections file that cannot be read or applied: the message says what to change in
    it. Unreadable, it is reported under 「not read」; not applicable to its file, that file
    stays in quarantine with this reason (a clerk's slip never stops the run)."""

    code = "correction_unusable"


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


Fingerprint = frozenset[tuple[str, str, str, str]]


def fingerprint(corrections: tuple[Correction, ...]) -> Fingerprint:
    """What a file's corrections say (field, value, who, why): a file loaded under other
    corrections than the clerks' files now hold is read again, so a changed or withdrawn
    correction reaches the warehouse on the next run."""
    return frozenset(
        (fix.field, fix.value, c.corrected_by, c.reason) for c in corrections for fix in c.fixes
    )


def parse_correction(text: str, file: str = "") -> Correction:
    """Read a corrections file (TOML); :class:`CorrectionError` names what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CorrectionError(f"{file}: 訂正ファイルの TOML として読めません（{exc}）") from None
    sha256 = str(data.get("sha256", "")).strip().lower()
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise CorrectionError(
            f"{file}: sha256 には対象ファイルの SHA-256（16進64桁）を書いてください"
        )
    who, why = str(data.get("corrected_by", "")).strip(), str(data.get("reason", "")).strip()
    if not who or not why:
        raise CorrectionError(f"{file}: 訂正した人（corrected_by）と理由（reason）を書いてください")
    raw_fixes = data.get("fix")
    if not isinstance(raw_fixes, list) or not raw_fixes:
        raise CorrectionError(f"{file}: field と value のある [[fix]] がありません")
    fixes = []
    for number, fix in enumerate(raw_fixes, start=1):
        if not isinstance(fix, dict) or "field" not in fix or "value" not in fix:
            raise CorrectionError(f"{file}: {number}番目の [[fix]] に field と value が必要です")
        fixes.append(Fix(str(fix["field"]).strip(), str(fix["value"])))
    form = data.get("form", 1)
    if not isinstance(form, int) or form < 1:
        raise CorrectionError(f"{file}: form は 1, 2, … の番号です")
    return Correction(sha256, who, why, tuple(fixes), file, form)


def _section_number(field: str) -> int | None:
    key = label_key(field)
    if key.isdecimal() and 1 <= int(key) <= LAST_SECTION:
        return int(key)
    return next((n for n, name in SECTION_NAMES.items() if label_key(name) == key), None)


def apply_correction(doc: Document, correction: Correction) -> Document:
    """The document as if the file had held the corrected values (the form named by the
    correction; the others unchanged)."""
    forms = list(doc.forms)
    if correction.form > len(forms):
        raise CorrectionError(
            f"{correction.file}: form {correction.form} の訂正ですが、ファイルの様式は"
            f" {len(forms)} つです"
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
        return dataclasses.replace(doc, prefecture_line=f"{PREFECTURE_LABEL}: {fix.value}")
    if field in ("表題", "title"):
        return dataclasses.replace(doc, title=fix.value)
    number = _section_number(fix.field)
    if number is not None:
        return _with_section(doc, number, fix.value)
    head, _, rest = field.partition(".")
    if head in ("経費", "合計"):
        return _with_cell(doc, head, rest, fix, file)
    raise CorrectionError(
        f"{file}: field「{fix.field}」は 都道府県名・表題・項目（1～11 かその名前）・"
        "経費.<行>.<列>・合計.<列> のいずれでもありません"
    )


def _with_section(doc: Document, number: int, value: str) -> Document:
    sections = [s for s in doc.sections if s.number != number]
    old = doc.section(number)
    heading = old.heading if old else SECTION_NAMES[number]
    provenance = old.provenance if old else dataclasses.replace(doc.sections[0].provenance)
    sections.append(Section(number, heading, value, provenance))
    return dataclasses.replace(doc, sections=tuple(sorted(sections, key=lambda s: s.number)))


def _with_cell(doc: Document, head: str, rest: str, fix: Fix, file: str) -> Document:
    from transform.normalize import column_positions

    table = doc.table(EXPENSE_SECTION)
    if table is None:
        raise CorrectionError(f"{file}: 訂正する経費の表がファイルにありません")
    if head == "合計":
        row_index = next(
            (i for i, r in enumerate(table.rows) if is_total_row(r.cells)),
            None,
        )
        column = rest
        if row_index is None:
            raise CorrectionError(f"{file}: 経費の表に訂正する合計行がありません")
    else:
        row_text, _, column = rest.partition(".")
        if not row_text.isdecimal() or not 1 <= int(row_text) <= len(table.rows):
            raise CorrectionError(
                f"{file}: 「{fix.field}」: 行は 1～{len(table.rows)}（表の行）で指定してください"
            )
        row_index = int(row_text) - 1
    positions = column_positions(table.header)
    wanted = label_key(column)
    name = next((c.field for c in COLUMNS if any(w in wanted for w in c.words)), None)
    index = positions.get(name) if name else None
    if index is None:
        raise CorrectionError(f"{file}: 「{fix.field}」: 表に列「{column}」がありません")
    row = table.rows[row_index]
    cells = list(row.cells) + [""] * max(0, index + 1 - len(row.cells))
    cells[index] = fix.value
    rows = list(table.rows)
    rows[row_index] = TableRow(tuple(cells), row.provenance)
    new_table = Table(table.section, table.header, tuple(rows), table.provenance)
    tables = tuple(new_table if t is table else t for t in doc.tables)
    return dataclasses.replace(doc, tables=tables)
