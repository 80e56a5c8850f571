"""Reader for the form's tab-separated text export (and the same export with commas, a
``.csv`` file, as Excel's 「CSV（コンマ区切り）」 writes it).

Encodings: UTF-8 (with or without BOM), CP932 (Shift_JIS), and UTF-16 with a BOM, which is
what Excel writes as 「Unicode テキスト」. Excel wraps a cell that holds a line break (or a
quote) in double quotes and doubles the quotes inside; such cells are read back whole.
"""

from __future__ import annotations

import dataclasses
import re

from extract.errors import UnreadableFile
from extract.grid import GridCell, GridRow, assemble
from extract.model import Document, Provenance, SourceInfo


def decode_text(data: bytes) -> str:
    """Decode a text export, telling UTF-8, UTF-8 with BOM and CP932 apart by themselves.

    A BOM means UTF-8; otherwise bytes that are valid UTF-8 are UTF-8 (Japanese CP932 text
    practically never is), and the rest must be valid CP932.
    """
    if not data.strip():
        raise UnreadableFile(
            "空のファイルです（文字がありません）。送り直してください。", "empty_file"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's 「Unicode テキスト」
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(
                f"UTF-16 のテキストファイルの {exc.start} バイト目に壊れた文字があります。"
                "Excel で保存し直し、送り直してください。",
                "encoding_broken",
            ) from None
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
            f"テキストファイルの文字コードが UTF-8 でも Shift_JIS（CP932）でもありません"
            f"（{exc.start} バイト目）。UTF-8 で保存し直し、送り直してください。",
            "encoding_unknown",
        ) from None


# Records end at CR, LF or CRLF only. str.splitlines() also breaks at U+2028, U+2029, NEL
# (U+0085), form feeds and the C0 separators, which can stand inside a cell: splitting there
# once cut an expense row in two and shifted its columns.
_PLAIN_FIELDS = {"\t": re.compile(r"[^\t\r\n]*"), ",": re.compile(r"[^,\r\n]*")}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def records(text: str, delimiter: str = "\t") -> list[tuple[int, list[str]]]:
    """The records of a text export with the line each starts on: cells split at tabs (or
    commas), records at CR, LF or CRLF; a cell that starts with ``"`` runs to its closing
    quote (Excel's quoting: line breaks, tabs and commas inside, ``""`` for a quote). A quote
    that never closes is read as a plain character. Linear in the text's length."""
    plain = _PLAIN_FIELDS[delimiter]
    rows: list[tuple[int, list[str]]] = []
    position, line, end = 0, 1, len(text)
    while position < end:
        start_line, cells = line, []
        while True:
            cell, position, breaks = _field(text, position, plain)
            cells.append(cell)
            line += breaks
            if position < end and text[position] == delimiter:
                position += 1
                continue
            newline = _LINE_BREAK.match(text, position)
            if newline:
                position, line = newline.end(), line + 1
            break
        rows.append((start_line, cells))
    return rows


def _field(text: str, position: int, plain: re.Pattern[str]) -> tuple[str, int, int]:
    """One cell from ``position``: its text, where it ends, how many line breaks it holds."""
    if position < len(text) and text[position] == '"':
        parts, at = [], position + 1
        while True:
            close = text.find('"', at)
            if close == -1:  # never closed: the quote is an ordinary character
                break
            parts.append(text[at:close])
            if text.startswith('"', close + 1):
                parts.append('"')
                at = close + 2
                continue
            rest = plain.match(text, close + 1)
            assert rest is not None  # the pattern matches the empty string
            cell = "".join(parts) + rest[0]
            return cell, rest.end(), len(_LINE_BREAK.findall("".join(parts)))
    found = plain.match(text, position)
    assert found is not None
    return found[0], found.end(), 0


def _leading_blanks(cells: list[str]) -> int:
    return next((i for i, cell in enumerate(cells) if cell), len(cells))


def read_text(data: bytes, source: SourceInfo) -> Document:
    """Read a text export of the form into a :class:`Document` (one line, one grid row)."""
    text = decode_text(data)
    if "\x00" in text:
        raise UnreadableFile(
            "テキストファイルではありません（NUL 文字を含みます）。様式のテキスト出力か確認して"
            "ください。",
            "not_text",
        )
    # Commas for a .csv file, and for a text file with no tab at all (a CSV saved as .txt):
    # the form's tab-separated export always has tabs between a heading and its text.
    csv = source.path.lower().endswith(".csv") or ("\t" not in text and "," in text)
    delimiter = "," if csv else "\t"
    lines = []
    for line_no, raw_cells in records(text, delimiter):
        cells = [cell.strip() for cell in raw_cells]
        while cells and not cells[-1]:
            cells.pop()
        lines.append((line_no, cells))
    # A sheet's blank margin (the form drawn from column B or C) exports as leading tabs on
    # every line: the columns left of the form's first are dropped, as the xlsx reader does.
    margin = min((_leading_blanks(cells) for _, cells in lines if cells), default=0)
    rows = []
    for line_no, cells in lines:
        cells = cells[margin:]
        where = Provenance(line=line_no)
        # A cell's own line breaks (Excel's quoted cells) are its lines, as a PDF cell's are:
        # joined without a break for a value, one paragraph each for a section's text.
        rows.append(
            GridRow([GridCell(_LINE_BREAK.split(c), provenance=where) for c in cells], where)
        )
    return dataclasses.replace(assemble(source, rows), read_path="text")
