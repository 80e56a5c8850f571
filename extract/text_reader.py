"""Reader for the form's tab-separated text export (UTF-8, UTF-8 with BOM or CP932)."""

from __future__ import annotations

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


# Records end at CR, LF or CRLF only. str.splitlines() also breaks at U+2028, U+2029, NEL
# (U+0085), form feeds and the C0 separators, which can stand inside a cell: splitting there
# once cut an expense row in two and shifted its columns.
_RECORD_END = re.compile(r"\r\n|\r|\n")


def records(text: str) -> list[str]:
    """The lines of a text export, split where the format splits them (CR, LF, CRLF)."""
    lines = _RECORD_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_text(data: bytes, source: SourceInfo) -> Document:
    """Read a text export of the form into a :class:`Document` (one line, one grid row)."""
    text = decode_text(data)
    if "\x00" in text:
        raise UnreadableFile("not a text file: it contains NUL bytes")
    rows = []
    for line_no, raw_line in enumerate(records(text), start=1):
        cells = [cell.strip() for cell in raw_line.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        where = Provenance(line=line_no)
        rows.append(GridRow([GridCell([c], provenance=where) for c in cells], where))
    return assemble(source, rows)
