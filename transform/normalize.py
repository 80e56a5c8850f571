"""Document → typed records: the fields of the form read into values the warehouse keeps.

Everything here is pure. A field the warehouse cannot do without (prefecture, 事業名,
実施期間, the expense table, an amount) raises :class:`NormalizationError`, and the file is
quarantined whole; a value that can be kept as written and flagged (a budget label) is kept
raw and left to ``transform.checks``.
"""

from __future__ import annotations

from collections.abc import Sequence

from extract.form import (
    AMOUNT_FIELDS,
    COLUMN_LABELS,
    COLUMNS,
    CONTACT_SECTION,
    EXPENSE_SECTION,
    LAST_SECTION,
    REQUIRED_AMOUNTS,
    is_total_row,
    prefecture_from_line,
)
from extract.model import Document, Table, TableRow
from extract.personal import quoted
from extract.text import label_key
from transform.amounts import ZERO_DASHES, AmountUnit, parse_amount, unit_of
from transform.budget import BudgetKind, parse_budget_label
from transform.contacts import parse_contact
from transform.eras import fiscal_year_of, outdated_era_dates, parse_period
from transform.errors import AmountError, EraDateError, NormalizationError, ParseError
from transform.prefectures import prefecture_code
from transform.records import (
    ContactRecord,
    ExpenseItemRecord,
    IssueRecord,
    NormalizedReport,
    ReportRecord,
    SectionRecord,
    circled,
    circled_number,
)

# 事業番号 ① … : the form has a handful of rows; a number beyond this is no row number.
MAX_LINE_NO = 999


REPORT_ID_PREFIX = "R-"


def report_id_for(sha256: str, form: int = 1) -> str:
    """A report's id: 「R-」 and the first 16 hex digits of its file's SHA-256, and for the
    second and later forms of one file 「-2」, 「-3」 … Stable (the same file always gives
    the same ids), and text in every spreadsheet: the letter first, an id can never be read
    as a number (「0123…」 losing its zero, 「12e45…」 turning into 1.2E+46) or a date.
    Warehouses from before this scheme are migrated in place (migration 0005)."""
    base = REPORT_ID_PREFIX + sha256[:16]
    return base if form == 1 else f"{base}-{form}"


def column_positions(header: Sequence[str]) -> dict[str, int | None]:
    """Map each of the ten fields to its column, by header text where there is a header.

    Without a header the form's fixed order is used; with one, a field whose header cell is
    not found has no column (its cells read as blank).
    """
    if not any(h.strip() for h in header):
        return {column.field: index for index, column in enumerate(COLUMNS)}
    keys = [label_key(h) for h in header]
    positions: dict[str, int | None] = {}
    for column in COLUMNS:
        taken = set(positions.values())
        positions[column.field] = next(
            (
                i
                for i, key in enumerate(keys)
                if i not in taken and any(w in key for w in column.words)
            ),
            None,
        )
    return positions


def _cell(row: TableRow, positions: dict[str, int | None], name: str) -> str:
    index = positions[name]
    if index is None or index >= len(row.cells):
        return ""
    return row.cells[index].strip()


# 「〃」 or 「同上」 in a cell: the value of the row above (″ is the double prime often typed).
DITTO_MARKS = ("〃", "同上", "″", "′′", "々")
TEXT_FIELDS = ("item_name", "example_ref", "budget_measure", "decision_budget", "remarks")


def _is_unused_row(row: TableRow, positions: dict[str, int | None]) -> bool:
    """A row the form numbers in advance (③ ④ ⑤ …) and nobody filled in: nothing but its
    number, blanks, zeros or dashes."""
    number = positions["line_no"]
    rest = [c for i, c in enumerate(row.cells) if i != number]
    return all(label_key(c) in ("", "0", "0円") or label_key(c) in ZERO_DASHES for c in rest)


def _texts(
    row: TableRow, positions: dict[str, int | None], above: dict[str, str]
) -> dict[str, str]:
    """The text cells of a row, a ditto mark replaced by the cell above it."""
    texts = {}
    for name in TEXT_FIELDS:
        raw = _cell(row, positions, name)
        if raw and label_key(raw) in DITTO_MARKS and above.get(name):
            raw = above[name]
        texts[name] = raw
    return texts


def _amounts(
    row: TableRow, positions: dict[str, int | None], unit: AmountUnit, where: str
) -> dict[str, int]:
    amounts: dict[str, int] = {}
    for name in AMOUNT_FIELDS:
        raw = _cell(row, positions, name)
        try:
            amounts[name] = parse_amount(raw, unit) or 0
        except AmountError as exc:
            raise NormalizationError(
                f"{where} {COLUMN_LABELS[name]}: {exc}。セルを直して送り直してください。",
                "amount_unreadable",
            ) from None
    return amounts


def _budget(raw: str, fiscal_year: int) -> tuple[int | None, BudgetKind | None]:
    if not raw:
        return None, None
    try:
        label = parse_budget_label(raw, fiscal_year)
    except ParseError:
        return None, None
    return label.fiscal_year, label.kind


def table_unit(doc: Document, table: Table) -> AmountUnit:
    """The unit of the expense table's amounts, as its heading or header declares it."""
    section = doc.section(EXPENSE_SECTION)
    return unit_of(" ".join([section.heading if section else "", *table.header]))


def _required_section(doc: Document, number: int, name: str) -> str:
    section = doc.section(number)
    if section is None or not section.body.strip():
        raise NormalizationError(
            f"項目{number}（{name}）がないか空欄です。記入して送り直してください。",
            "section_missing",
        )
    return section.body.strip()


def normalize_document(doc: Document) -> NormalizedReport:
    """Turn a read :class:`Document` into the records of one report."""
    report_id = report_id_for(doc.source.sha256, doc.form)
    prefecture_name = prefecture_from_line(doc.prefecture_line)
    try:
        code = prefecture_code(prefecture_name)
    except ParseError as exc:
        raise NormalizationError(
            f"都道府県名: {exc}。正しい都道府県名を記入して送り直してください。",
            "prefecture_unknown",
        ) from None
    project_title = _required_section(doc, 1, "事業名")
    period_text = _required_section(doc, 2, "実施期間")
    try:
        period_start, period_end = parse_period(period_text)
    except EraDateError as exc:
        raise NormalizationError(
            f"実施期間: {exc}。「令和3年4月1日 ~ 令和4年3月31日」のように記入して"
            "送り直してください。",
            "period_unreadable",
        ) from None
    fiscal_year = fiscal_year_of(period_start)
    era_notes = tuple(
        IssueRecord("period", "warning", f"実施期間: {note}")
        for note in outdated_era_dates(period_text)
    )

    table = doc.table(EXPENSE_SECTION)
    if table is None:
        raise NormalizationError(
            "項目9（経費の内訳）に経費の表がありません。表を記入して送り直してください。",
            "expense_table_missing",
        )
    unit = table_unit(doc, table)
    items, totals = _expense_rows(report_id, table, unit, fiscal_year)

    sections = tuple(
        SectionRecord(
            report_id=report_id,
            section_no=s.number,
            heading=s.heading,
            body=None if s.number == CONTACT_SECTION or not s.body else s.body,
            location=s.provenance,
        )
        for s in doc.sections
        if 1 <= s.number <= LAST_SECTION
    )
    contact_section = doc.section(CONTACT_SECTION)
    contact = parse_contact(contact_section.body) if contact_section else None
    return NormalizedReport(
        source=doc.source,
        report=ReportRecord(
            report_id=report_id,
            source_sha256=doc.source.sha256,
            prefecture_code=code,
            fiscal_year=fiscal_year,
            title=doc.title,
            project_title=project_title,
            period_start=period_start,
            period_end=period_end,
            amount_unit=unit,
            declared_total_cost=totals.get("total_cost") if totals else None,
            declared_grant_amount=totals.get("grant_amount") if totals else None,
            declared_other_funds=totals.get("other_funds") if totals else None,
            declared_own_funds=totals.get("own_funds") if totals else None,
        ),
        sections=sections,
        expense_items=items,
        issues=era_notes,
        contact=None
        if contact is None or contact.is_empty
        else ContactRecord(
            report_id=report_id,
            department=contact.department,
            person_name=contact.person_name,
            phone=contact.phone,
            email=contact.email,
        ),
    )


def _line_no(raw: str, position: int, where: str) -> int:
    """The row's 事業番号 (① is 1); its place in the table when it has none."""
    number = circled_number(raw)
    if number is None or number == 0:
        return position
    if not 1 <= number <= MAX_LINE_NO:
        raise NormalizationError(
            f"{where} 事業番号「{quoted(raw, 20)}」: 行番号（1～{MAX_LINE_NO}）として読めません。"
            "セルを直して送り直してください。",
            "row_number_unreadable",
        )
    return number


def _expense_rows(
    report_id: str, table: Table, unit: AmountUnit, fiscal_year: int
) -> tuple[tuple[ExpenseItemRecord, ...], dict[str, int] | None]:
    positions = column_positions(table.header)
    missing = [COLUMN_LABELS[f] for f in REQUIRED_AMOUNTS if positions[f] is None]
    if missing:
        raise NormalizationError(
            f"経費の内訳の見出しに {'・'.join(missing)} の列が見つかりません"
            "（表の右側が別のページに分かれて印刷されたか、列が消されています）。"
            "表が1ページの幅に収まるように印刷し直すか、Excel のファイルのまま送ってください。",
            "expense_columns_missing",
        )
    items: list[ExpenseItemRecord] = []
    totals: dict[str, int] | None = None
    above: dict[str, str] = {}
    for row in table.rows:
        if not any(c.strip() for c in row.cells) or _is_unused_row(row, positions):
            continue
        where = f"経費の内訳 {row.provenance.describe()}".strip()
        if is_total_row(row.cells):
            totals = _amounts(row, positions, unit, f"{where} 合計")
            continue
        line_no = _line_no(_cell(row, positions, "line_no"), len(items) + 1, where)
        amounts = _amounts(row, positions, unit, f"{where} {circled(line_no)}")
        texts = above = _texts(row, positions, above)
        measure_raw = texts["budget_measure"]
        decision_raw = texts["decision_budget"]
        measure_year, measure_kind = _budget(measure_raw, fiscal_year)
        decision_year, decision_kind = _budget(decision_raw, fiscal_year)
        items.append(
            ExpenseItemRecord(
                report_id=report_id,
                line_no=line_no,
                item_name=texts["item_name"],
                example_ref=texts["example_ref"] or None,
                budget_measure_raw=measure_raw or None,
                budget_measure_fiscal_year=measure_year,
                budget_measure_kind=measure_kind,
                decision_budget_raw=decision_raw or None,
                decision_budget_fiscal_year=decision_year,
                decision_budget_kind=decision_kind,
                total_cost=amounts["total_cost"],
                grant_amount=amounts["grant_amount"],
                other_funds=amounts["other_funds"],
                own_funds=amounts["own_funds"],
                remarks=texts["remarks"] or None,
                location=row.provenance,
            )
        )
    return tuple(items), totals
