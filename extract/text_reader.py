"""Reader for the form's tab-separated text export (UTF-8, UTF-8 with BOM or CP932)."""

from __future__ import annotations

from extract.errors import NotAReport, UnreadableFile
from extract.model import Document, Provenance, Section, SourceInfo, Table, TableRow
from extract.text_utils import PREFECTURE_LABEL, html_to_text, is_note, split_heading

EXPENSE_SECTION = 9
LAST_SECTION = 11
_HEADER_MARKERS = ("事業番号", "総事業費")


def decode_text(data: bytes) -> str:
    """Decode a text export, telling UTF-8, UTF-8 with BOM and CP932 apart by themselves.

    A BOM means UTF-8; otherwise bytes that are valid UTF-8 are UTF-8 (Japanese CP932 text
    practically never is), and the rest must be valid CP932.
    """
    if not data.strip():
        raise UnreadableFile("empty file: it holds no text")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"text file is neither UTF-8 nor Shift_JIS (CP932): undecodable byte at offset "
            f"{exc.start}; save it again as UTF-8"
        ) from None


def _cells(line: str) -> list[str]:
    cells = [cell.strip() for cell in line.rstrip("\r\n").split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def read_text(data: bytes, source: SourceInfo) -> Document:
    """Read a text export of the form into a :class:`Document`."""
    text = decode_text(data)
    if "\x00" in text:
        raise UnreadableFile("not a text file: it contains NUL bytes")
    title = ""
    prefecture_line = ""
    notes: list[str] = []
    sections: list[tuple[int, str, list[str], int]] = []
    header: tuple[str, ...] = ()
    header_line = 0
    rows: list[TableRow] = []
    for line_no, raw_line in enumerate(text.splitlines(), start=1):
        cells = _cells(raw_line)
        if not cells:
            continue
        first = cells[0]
        if is_note(first):
            notes.append(raw_line.strip())
            continue
        if PREFECTURE_LABEL in first and not sections:
            prefecture_line = " ".join(cells)
            continue
        heading = split_heading(first) if first else None
        last = sections[-1][0] if sections else 0
        if heading and last < heading[0] <= LAST_SECTION:
            number, heading_text = heading
            sections.append((number, heading_text, cells[1:], line_no))
            continue
        if not sections:
            if not title:
                title = " ".join(cells)
            continue
        current = sections[-1][0]
        if current == EXPENSE_SECTION:
            padded = tuple(cells)
            if not header and any(m in cell for m in _HEADER_MARKERS for cell in cells):
                header, header_line = padded, line_no
            else:
                width = max(len(header), len(padded))
                padded = padded + ("",) * (width - len(padded))
                rows.append(TableRow(cells=padded, provenance=Provenance(line=line_no)))
            continue
        sections[-1][2].extend(cells)
    if not sections or not prefecture_line:
        missing = "numbered sections 1-11" if not sections else f"a {PREFECTURE_LABEL} line"
        raise NotAReport(f"not the 実績報告書 form: found no {missing}")
    tables: tuple[Table, ...] = ()
    if header or rows:
        tables = (
            Table(
                section=EXPENSE_SECTION,
                header=header,
                rows=tuple(rows),
                provenance=Provenance(line=header_line or None),
            ),
        )
    return Document(
        source=source,
        title=title,
        prefecture_line=prefecture_line,
        sections=tuple(
            Section(
                number=number,
                heading=heading_text,
                body=html_to_text("\n".join(c for c in body if c)),
                provenance=Provenance(line=line_no),
            )
            for number, heading_text, body, line_no in sections
        ),
        tables=tables,
        notes=tuple(notes),
    )
