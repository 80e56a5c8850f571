"""The form as a grid of rows and cells, and its reading into a Document.

The PDF, xlsx and docx readers each turn their file into :class:`GridRow` s (a label cell
and a body cell per section row, one cell per column in the expense table) and hand them to
:func:`assemble`, so the three formats share one interpretation of the form.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from extract.errors import NotAReport
from extract.form import (
    CONTACT_SECTION,
    EXPENSE_SECTION,
    HEADER_REQUIRED,
    HEADER_WORDS,
    LAST_SECTION,
    PREFECTURE_LABEL,
    TITLE_WORD,
    contact_heading,
    is_contact_label,
    is_header_row,
    is_note,
    is_row_number,
    named_heading,
    names_header,
    split_heading,
)
from extract.model import Document, Provenance, Section, SourceInfo, Table, TableRow
from extract.text import html_to_text


def merge_headers(top: tuple[str, ...], bottom: tuple[str, ...]) -> tuple[str, ...]:
    """Two header rows as one, cell by cell (a grid whose merged cells are blank beyond
    their first). Where the rows differ in width and the wider one names every column on
    its own, it is the header: Word repeats a vertically merged cell in each row but counts
    a horizontally merged one once, so only its lower row lines up with the data."""
    if len(top) != len(bottom):
        wider = top if len(top) > len(bottom) else bottom
        if all(any(word in cell for cell in wider) for word in HEADER_REQUIRED):
            return wider
        top = _spread_group_cell(top, bottom)
    width = max(len(top), len(bottom))
    top, bottom = top + ("",) * (width - len(top)), bottom + ("",) * (width - len(bottom))
    return tuple((a + b) if a != b else a for a, b in zip(top, bottom, strict=True))


def _spread_group_cell(top: tuple[str, ...], bottom: tuple[str, ...]) -> tuple[str, ...]:
    """A narrower upper header row whose one cell heads a group of the lower row's cells
    (「経費」 over 総事業費・本交付金・寄付金等・自己資金), widened by blanks after that cell:
    a page break between the two rows leaves the upper row printed without the group's
    inner rules. Unchanged unless the lower row's labelled cells are one run that starts
    under a labelled cell of the upper row, and the widened row is no wider than the lower."""
    labelled = [i for i, cell in enumerate(bottom) if cell]
    if len(bottom) <= len(top) or not labelled:
        return top
    start, group = labelled[0], len(labelled)
    widened = top[: start + 1] + ("",) * (group - 1) + top[start + 1 :]
    run = labelled == list(range(start, start + group))
    if not run or start >= len(top) or not top[start] or len(widened) > len(bottom):
        return top
    # blank columns to the right of both (a sheet's spare column) stay blank
    return widened + ("",) * (len(bottom) - len(widened))


@dataclass
class GridCell:
    """One cell: its lines as printed, and the same lines joined into paragraphs."""

    lines: list[str]
    paragraphs: list[str] = field(default_factory=list)
    provenance: Provenance = field(default_factory=Provenance)

    def __post_init__(self) -> None:
        if not self.paragraphs:
            self.paragraphs = list(self.lines)

    @property
    def text(self) -> str:
        """The lines joined without a break: wrapped Japanese text reads as one string."""
        return "".join(line.strip() for line in self.lines).strip()


@dataclass
class GridRow:
    cells: list[GridCell]
    provenance: Provenance = field(default_factory=Provenance)


def assemble(
    source: SourceInfo, rows: Iterable[GridRow], loose_lines: Iterable[str] = ()
) -> Document:
    """Read grid rows into a Document, one per form: a file may hold several forms one
    after another (section 1 again, after the title and prefecture lines of the next form).
    The first form is returned; the others are its ``following``."""
    rows = list(rows)
    starts = _form_starts(rows)
    segments = [rows[a:b] for a, b in itertools.pairwise([*starts, len(rows)])]
    forms = [
        _assemble_one(source, segment, loose_lines if number == 1 else (), number)
        for number, segment in enumerate(segments, start=1)
    ]
    return dataclasses.replace(forms[0], following=tuple(forms[1:]))


def _row_text(row: GridRow) -> str:
    return "".join(cell.text for cell in row.cells)


def _form_starts(rows: list[GridRow]) -> list[int]:
    """Where each form begins: 0, and every later section-1 heading that follows other
    sections, moved back over the title and prefecture lines just before it."""
    starts = [0]
    seen_sections = False
    for index, row in enumerate(rows):
        heading = heading_of(row.cells[0]) if row.cells and row.cells[0].text else None
        if heading is None:
            continue
        if heading[0] == 1 and seen_sections:
            start = index
            while start - 1 > starts[-1] and any(
                word in _row_text(rows[start - 1]) for word in (PREFECTURE_LABEL, TITLE_WORD)
            ):
                start -= 1
            starts.append(start)
            seen_sections = False
        elif heading[0] > 1:
            seen_sections = True
    return starts


def _header_labels(texts: tuple[str, ...]) -> tuple[str, ...]:
    """A header row printed as one cell (its inner rules lost at a page break) as its labels:
    「事業番号 個別事業名 … 備考」 split at its spaces. Any other row is unchanged."""
    if len(texts) != 1 or sum(word in texts[0] for word in HEADER_WORDS) < 2:
        return texts
    return tuple(texts[0].split())


def heading_of(cell: GridCell) -> tuple[int, str] | None:
    """The section heading a label cell holds. A narrow label cell can wrap right after the
    number (「第10」 / 「担当者名及び連絡先」), whose joined text then lacks the space between
    them: the first line break reads as that space when the joined text is no heading. A
    label with no number at all that is the form's name of a section (「今後の課題」) is that
    section's heading, as a clerk reads it."""
    found = split_heading(cell.text)
    if found is None and len(cell.lines) > 1:
        rest = "".join(line.strip() for line in cell.lines[1:])
        found = split_heading(f"{cell.lines[0].strip()} {rest}")
    return found or named_heading(cell.text)


def _assemble_one(
    source: SourceInfo, rows: Iterable[GridRow], loose_lines: Iterable[str], form: int
) -> Document:
    """Read the grid rows of one form into a Document.

    A row whose first cell is the next section's heading (``1. 事業名`` …) starts that
    section, the rest of the row is its body. After ``9. 経費の内訳`` rows are the expense
    table until the next heading: the first row with 事業番号/総事業費 is its header, a
    repeated header (a table continued on a new page) is skipped. Any other row continues
    the section above it (a body cell broken by a page break, or paragraphs written under a
    heading). Rows before the first section, and ``loose_lines`` (text outside the grid),
    give the title and the prefecture line; notes 注1-注6 are kept apart from the content.
    """
    reading = _FormReading([line.strip() for line in loose_lines if line.strip()])
    for row in rows:
        if row.cells:
            reading.add(row)
    return reading.document(source, form)


@dataclass
class _FormReading:
    """One form's rows as they are read, top to bottom (see :func:`_assemble_one`)."""

    loose: list[str]
    sections: list[tuple[int, str, list[str], Provenance]] = field(default_factory=list)
    header: tuple[str, ...] = ()
    header_at: Provenance = field(default_factory=Provenance)
    table_rows: list[TableRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: GridRow) -> None:
        cells = row.cells
        first = cells[0].text
        heading = heading_of(cells[0]) if first else None
        last = self.sections[-1][0] if self.sections else 0
        if heading is None and first and EXPENSE_SECTION <= last < CONTACT_SECTION:
            # after the expense table, the contact block under any heading offices give it
            heading = contact_heading(first)
            if heading is None and is_contact_label(first) and (self.header or self.table_rows):
                # or under none: its first label (「氏名」, 「電話番号」) starts it
                body = [p for cell in cells for p in cell.paragraphs if p.strip()]
                self.sections.append((CONTACT_SECTION, "", body, row.provenance))
                return
        if heading and last < heading[0] <= LAST_SECTION:
            body = [p for cell in cells[1:] for p in cell.paragraphs if p.strip()]
            where = cells[1].provenance if len(cells) > 1 else row.provenance
            self.sections.append((heading[0], heading[1], body, where))
            return
        texts = tuple(cell.text for cell in cells)
        if not self.sections:
            if len(cells) == 1:  # text printed outside a grid: each of its lines
                self.loose += [line.strip() for line in cells[0].lines if line.strip()]
            else:
                line = " ".join(t for t in texts if t)
                if line:
                    self.loose.append(line)
            return
        if is_note(first):
            self.notes.append(" ".join(t for t in texts if t))
            return
        if last == EXPENSE_SECTION:
            self._expense_row(_header_labels(texts), row.provenance)
            return
        # A row that is no heading continues the section above: with an empty first cell it
        # is the body cell broken by a page break; otherwise free text under the heading.
        more = cells[1:] if not first else cells
        self.sections[-1][2].extend(p for cell in more for p in cell.paragraphs if p.strip())

    def _expense_row(self, texts: tuple[str, ...], where: Provenance) -> None:
        # a row numbered as a data row (①, 1) is one, whatever its 備考 says (「寄付金(民間企業)」,
        # as 注5 asks, names a header word)
        numbered = bool(texts) and is_row_number(texts[0].strip())
        if self.header and not self.table_rows and names_header(texts) and not numbered:
            if not set(texts) - set(self.header) - {""}:
                return  # the header's labels again (a page break inside the header)
            self.header = merge_headers(self.header, texts)  # the header's second row
        elif is_header_row(texts):
            if not self.header:
                self.header, self.header_at = texts, where
        elif any(texts):
            self.table_rows.append(TableRow(cells=texts, provenance=where))

    def document(self, source: SourceInfo, form: int) -> Document:
        prefecture_line = next((t for t in self.loose if PREFECTURE_LABEL in t), "")
        # The form's title names the report; a covering letter before the form has lines of
        # its own (date, addressee, sender) that come first.
        titles = [t for t in self.loose if PREFECTURE_LABEL not in t]
        title = next((t for t in titles if TITLE_WORD in t), titles[0] if titles else "")
        if not self.sections or not prefecture_line:
            missing = "項目 1～11（1. 事業名 など）"
            if self.sections:
                missing = f"「{PREFECTURE_LABEL}」の行"
            raise NotAReport(
                f"実績報告書の様式ではありません: {missing}が見つかりません。"
                "様式のファイルか確認してください。"
            )
        return Document(
            source=source,
            title=title,
            prefecture_line=prefecture_line,
            sections=tuple(
                Section(number=n, heading=h, body=html_to_text("\n".join(b)), provenance=p)
                for n, h, b, p in self.sections
            ),
            tables=self._tables(),
            notes=tuple(self.notes),
            form=form,
        )

    def _tables(self) -> tuple[Table, ...]:
        if not self.header and not self.table_rows:
            return ()
        width = len(self.header) or max((len(r.cells) for r in self.table_rows), default=0)
        rows = tuple(
            TableRow(cells=r.cells + ("",) * (width - len(r.cells)), provenance=r.provenance)
            for r in self.table_rows
        )
        return (Table(EXPENSE_SECTION, self.header, rows, self.header_at),)
