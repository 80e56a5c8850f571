"""Reader for PDF reports, on pdfplumber: the page loop.

The form prints as one ruled grid: a label cell and a body cell per section, a full-width
row for 9. 経費の内訳 and the 10-column expense table. pdfplumber's table finder (ruling
lines) gives the cells of every row (a merged cell comes back once, the cells it covers as
None); the text of each cell is read from its own characters, so neighbouring cells never
interleave. This module decides what a file is refused for (limits, encryption, damage,
no text) and the order of the work on each page, handed to its pieces:

- ``pdf_objects``: the page's characters, edges and tables (the lean path past
  pdfplumber's ``page.objects``);
- ``pdf_lines``: characters to lines and paragraphs;
- ``pdf_header``: the expense header laid over the data's columns by position;
- ``pdf_outside``: text printed outside the grid (headings, page furniture, unruled tables);
- ``pdf_joins``: rows cut by a page break joined back;
- ``pdf_settings``: every tolerance, named; ``pdf_types``: the shared types. Its limits
  (bytes, pages) are the run's: :class:`extract.limits.ReadLimits`.
"""

from __future__ import annotations

import dataclasses
import io
import re
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.page import Page
from pdfplumber.pdf import PDF
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.geometry import merge_bboxes

from extract.errors import FileLimitExceeded, UnreadableFile
from extract.grid import GridRow, assemble
from extract.limits import DEFAULT_READ_LIMITS, ReadLimits
from extract.model import Document, Passage, Provenance, SourceInfo
from extract.pdf_forms import annotation_text
from extract.pdf_header import expense_header_by_columns
from extract.pdf_joins import join_broken_row
from extract.pdf_lines import grid_cell, line_groups, lines, text_of
from extract.pdf_objects import PageContent, chars_in_cells, read_page
from extract.pdf_outside import Placed, UnruledTable, is_page_furniture, page_rows, table_columns
from extract.pdf_settings import DEFAULT_SETTINGS, PdfSettings, Tolerances
from extract.pdf_types import READ_PATHS, RULED_GRID, Bbox, Char, ReadPath

_DAMAGED = "PDF が途中で切れているか壊れています。送り直してください。"


def _open(data: bytes, limits: ReadLimits) -> PDF:
    if not data:
        raise UnreadableFile("空のファイルです（0 バイト）。送り直してください。", "empty_file")
    most = limits.pdf_max_bytes
    if len(data) > most:
        raise FileLimitExceeded(
            f"ファイルが大きすぎます（{len(data):,} バイト、上限 {most:,} バイト）。"
            "様式の報告書か確認してください。",
            "file_too_large",
        )
    if b"%PDF-" not in data[:1024]:
        raise UnreadableFile(
            "PDF ではありません（PDF の見出しで始まっていません）。PDF として保存し直し、"
            "送り直してください。",
            "not_a_pdf",
        )
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise UnreadableFile(
                "PDF にパスワードが設定されています。パスワードなしで保存し直し、送り直して"
                "ください。",
                "password_protected",
            ) from None
        raise UnreadableFile(_DAMAGED, "pdf_damaged") from None


def _check_pages(pdf: PDF, limits: ReadLimits) -> None:
    if not pdf.pages:
        raise UnreadableFile(
            "PDF に読めるページがありません（ページの構造が壊れているか空です）。"
            "PDF に出力し直し、送り直してください。",
            "pdf_no_pages",
        )
    if len(pdf.pages) > limits.pdf_max_pages:
        raise FileLimitExceeded(
            f"PDF のページが多すぎます（{len(pdf.pages)} ページ、上限 {limits.pdf_max_pages}）。"
            "様式の報告書か確認してください。",
            "too_many_pages",
        )


def _placed(
    page: Page,
    content: PageContent,
    table_rows: list[list[Bbox]],
    tol: Tolerances,
    aside: list[Passage],
) -> list[Placed]:
    """The page's ruled rows (each cell read from the characters inside it, the expense
    header laid over its columns) and its lines outside the grid, each at its height; the
    page's furniture (page and form numbers) goes to ``aside``."""
    inside, outside = chars_in_cells(content.chars, [box for row in table_rows for box in row])
    texts = iter(inside)
    placed: list[Placed] = []
    start = 0
    for table in content.tables:
        boxes_of = table_rows[start : start + len(table.rows)]
        start += len(table.rows)
        cells_of = [
            [grid_cell(lines(next(texts), tol), box, page.page_number, tol) for box in row]
            for row in boxes_of
        ]
        laid = expense_header_by_columns(list(zip(boxes_of, cells_of, strict=True)), tol)
        for row, cells in laid:
            box = merge_bboxes(row)
            where = Provenance(page=page.page_number, bbox=box)
            placed.append(Placed(box[1], row=GridRow(cells, where)))
    for line in line_groups(outside, tol):
        placed.append(Placed(line[0]["top"], line=line))
        text = text_of(line, tol)
        if text and is_page_furniture(text):
            aside.append(Passage(text, f"{page.page_number}ページ目", "page text", "page_number"))
    return placed


_UNMAPPED = re.compile(r"^\(cid:[0-9]+\)$")


def _unmapped(chars: list[Char], page: int) -> list[Passage]:
    """Glyphs pdfminer found no Unicode text for (its 「(cid:123)」): a person sees a
    character the reader cannot tell."""
    found = "".join(c["text"] for c in chars if _UNMAPPED.match(c["text"]))
    if not found:
        return []
    return [Passage(found, f"{page}ページ目", "glyph without a Unicode mapping (ToUnicode)")]


@dataclass
class _Pages:
    """What the pages gave: rows joined across page breaks, the reading paths needed, how
    many characters and images they hold, and the text set aside or left over."""

    rows: list[GridRow] = field(default_factory=list)
    paths: set[ReadPath] = field(default_factory=set)
    chars: int = 0
    images: int = 0
    aside: list[Passage] = field(default_factory=list)
    unread: list[Passage] = field(default_factory=list)


def _read_pages(pdf: PDF, settings: PdfSettings) -> _Pages:
    """Every page's rows joined across page breaks, with the account of its text."""
    out = _Pages()
    rows = out.rows
    carry: UnruledTable | None = None
    paths = out.paths
    tol = settings.tolerances
    for page in pdf.pages:
        content = read_page(page, settings)
        shown, aside = annotation_text(page)
        if shown:  # a filled-in form field's value, a free-text annotation
            content = dataclasses.replace(content, chars=content.chars + shown)
        where = f"{page.page_number}ページ目"
        out.aside += [Passage(text, where, construct, reason) for reason, text, construct in aside]
        out.unread += _unmapped(content.chars, page.page_number)
        out.images += content.images
        out.chars += len(content.chars)
        table_rows = [[c for c in r.cells if c is not None] for t in content.tables for r in t.rows]
        if table_rows:
            paths.add(RULED_GRID)
        new_rows, carry = page_rows(
            _placed(page, content, table_rows, tol, out.aside),
            page.page_number,
            table_columns(table_rows, tol),
            tol,
            carry,
            paths,
        )
        join_broken_row(rows, new_rows, tol)
        page.close()
    return out


def read_pdf(
    data: bytes,
    source: SourceInfo,
    settings: PdfSettings = DEFAULT_SETTINGS,
    limits: ReadLimits = DEFAULT_READ_LIMITS,
) -> Document:
    """Read a PDF of the form into a :class:`Document`, refused beyond ``limits`` (bytes,
    pages).

    Time and memory are limited once, by the guard that runs every read (``flows/guard.py``).
    """
    pdf = _open(data, limits)
    try:
        _check_pages(pdf, limits)
        pages = _read_pages(pdf, settings)
    except PdfminerException as exc:
        if "allocate" in str(exc) or isinstance(exc.args[0] if exc.args else None, MemoryError):
            raise FileLimitExceeded(
                "PDF の圧縮されたデータが、読み取りに使えるメモリを超えて展開されます"
                "（壊れたファイルか、読み手を止めるために作られたファイルです）。"
                "PDF に出力し直し、送り直してください。",
                "memory_limit",
            ) from None
        raise UnreadableFile(_DAMAGED, "pdf_damaged") from None
    finally:
        pdf.close()
    if pages.chars == 0 and pages.images:
        raise UnreadableFile(
            "PDF に文字がありません（スキャンした画像です）。スキャンではなく、Excel や Word "
            "から PDF に出力したものを送ってください。",
            "scanned_image",
        )
    if pages.chars == 0:
        raise UnreadableFile(
            "PDF のページに文字がまったくありません（空のページか、ページの構造が壊れています）。"
            "Excel や Word から PDF に出力し直し、送り直してください。",
            "pdf_no_text",
        )
    order = [p for p in READ_PATHS if p in pages.paths]
    return dataclasses.replace(
        assemble(source, pages.rows),
        read_path="pdf: " + " + ".join(order),
        set_aside=tuple(pages.aside),
        unread=tuple(pages.unread),
    )
