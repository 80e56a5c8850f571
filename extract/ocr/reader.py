"""The OCR reader: a scanned PDF or an image file into the same Document as every reader.

Each page is prepared (stamp suppressed, skew turned back), its ruled grid found and cut
into cells; every cell is read by tesseract in the mode its place calls for, and corrected
against what that place may hold (:mod:`extract.ocr.vocabulary`). Amount cells are read by
two models; where they differ the cell is uncertain. The cells become grid rows for the one
interpretation of the form all readers share (:func:`extract.grid.assemble`), and every
cell's readings are kept on the Document (:class:`extract.model.OcrProvenance`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

import cv2
import numpy as np

from extract.errors import NotAReport
from extract.form import is_total_row, names_header
from extract.grid import GridCell, GridRow, assemble
from extract.limits import DEFAULT_READ_LIMITS, ReadLimits
from extract.model import Document, OcrCell, OcrProvenance, Provenance, SourceInfo
from extract.ocr import engine, vocabulary
from extract.ocr.layout import Box, Layout, find_layout
from extract.ocr.pages import PageImage, Pixels, as_pixels, load_image_pages, render_pdf_pages
from extract.ocr.preprocess import Prepared, prepare
from extract.ocr.vocabulary import COLUMN_KINDS, CellKind
from extract.text import BULLETS

READ_PATH = "ocr: ruled grid"
_INSET = 4  # pixels cut from each side of a cell: the rule's own ink
_MARGIN = 12  # white added around a crop (tesseract reads a glyph touching the edge badly)
_MIN_INK = 25  # dark pixels below which a cell is blank
_AMOUNT_NAMES = ("総事業費", "本交付金", "他の寄付金等", "自己資金")
_COLUMN_NAMES = ("事業番号", "個別事業名", "取組例", "予算措置年度", "交付決定事業")


@dataclass
class _Cell:
    page: Prepared
    box: Box
    kind: CellKind
    field: str = ""
    image: Pixels | None = None
    readings: dict[str, engine.Reading] = dataclasses.field(default_factory=dict)
    as_text: engine.Reading | None = None  # an amount cell read as text too (header guess)
    lines: list[str] = dataclasses.field(default_factory=list)
    paragraphs: list[str] = dataclasses.field(default_factory=list)
    corrected: vocabulary.Corrected = dataclasses.field(
        default_factory=lambda: vocabulary.Corrected("")
    )


@dataclass
class _Row:
    page: Prepared
    cells: list[_Cell]
    outside: bool = False
    header: bool = False
    expense: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def read_scan(
    data: bytes, source: SourceInfo, limits: ReadLimits = DEFAULT_READ_LIMITS
) -> Document:
    """Read a scan (PDF without text, TIFF/JPEG/PNG) by OCR, refused beyond
    ``limits.scan_max_pages`` or a page over ``limits.scan_max_pixels``; raises
    :class:`extract.ocr.engine.OcrUnavailable` where tesseract or its models are missing.

    A scan without any ruled cell on any page is refused before tesseract is asked for
    (:func:`refuse_without_grid`): the outcome for a picture that is not the form does not
    depend on whether this machine has tesseract (``make sample`` gives the same warehouse
    with and without it)."""
    most, pixels = limits.scan_max_pages, limits.scan_max_pixels
    if source.format == "pdf":
        pages = render_pdf_pages(data, max_pages=most, max_pixels=pixels)
    else:
        pages = load_image_pages(data, max_pages=most, max_pixels=pixels)
    prepared = [prepare(page) for page in pages]
    layouts = [find_layout(page.grey, page.dpi) for page in prepared]
    refuse_without_grid(layouts)
    return _read_prepared(prepared, layouts, source, engine.engine_version())


def refuse_without_grid(layouts: list[Layout]) -> None:
    """Refuse a scan whose pages hold no ruled cell at all: the form's tables are ruled, and
    the reader reads cells, so OCR could only end in refusing it later."""
    if not any(layout.rows for layout in layouts):
        raise NotAReport(
            "スキャンした画像ですが、様式の罫線の表が見つかりません（実績報告書の様式では"
            "ないか、罫線が写っていません）。様式の報告書を Excel や Word から PDF に出力"
            "したものを送ってください。",
            "scanned_image",
        )


def read_pages(pages: list[PageImage], source: SourceInfo, version: str) -> Document:
    prepared = [prepare(page) for page in pages]
    layouts = [find_layout(page.grey, page.dpi) for page in prepared]
    return _read_prepared(prepared, layouts, source, version)


def _read_prepared(
    prepared: list[Prepared], layouts: list[Layout], source: SourceInfo, version: str
) -> Document:
    rows: list[_Row] = []
    for page, layout in zip(prepared, layouts, strict=True):
        rows += _page_rows(page, layout)
    cells = [cell for row in rows for cell in row.cells]
    for cell in cells:
        cell.image = _crop(cell.page.grey, cell.box, inset=0 if cell.kind == "line" else _INSET)
        if cell.kind == "amount" and cell.image is not None:
            cell.image = _clean(cell.image)
    inked = [c for c in cells if c.image is not None]
    _read(inked, rows)
    _reread_headers(rows)
    _classify(rows)
    _correct(rows)
    grid_rows = [_grid_row(row) for row in rows if _kept(row)]
    try:
        doc = assemble(source, grid_rows)
    except NotAReport as exc:
        raise NotAReport(f"スキャンした画像を OCR で読みましたが、{exc}") from None
    provenance = OcrProvenance(
        engine=version,
        dpi=prepared[0].dpi if prepared else 0,
        source_dpi=prepared[0].source_dpi if prepared else 0,
        preprocessing=tuple(f"p{p.number}: " + ", ".join(p.steps) for p in prepared),
        cells=tuple(_ocr_cell(c) for c in cells if c.image is not None or c.field),
    )
    return dataclasses.replace(doc, read_path=READ_PATH, ocr=provenance)


def _page_rows(page: Prepared, layout: Layout) -> list[_Row]:
    placed: list[tuple[int, _Row]] = []
    for line in layout.lines:
        placed.append((line[1], _Row(page, [_Cell(page, line, "line")], outside=True)))
    for cells in layout.rows:
        kinds: list[CellKind]
        if len(cells) >= len(COLUMN_KINDS) - 1:
            kinds = list(COLUMN_KINDS[: len(cells)]) + ["text"] * (len(cells) - len(COLUMN_KINDS))
            row = _Row(page, [_Cell(page, c.box, k) for c, k in zip(cells, kinds, strict=False)])
            row.expense = True
        elif len(cells) == 2:
            row = _Row(
                page, [_Cell(page, cells[0].box, "label"), _Cell(page, cells[1].box, "body")]
            )
        else:
            row = _Row(page, [_Cell(page, c.box, "body") for c in cells])
        placed.append((cells[0].box[1], row))
    placed.sort(key=lambda item: item[0])
    return [row for _, row in placed]


def _crop(grey: Pixels, box: Box, inset: int) -> Pixels | None:
    x0, y0, x1, y1 = box
    part = grey[y0 + inset : y1 - inset, x0 + inset : x1 - inset]
    if part.size == 0 or int((part < 128).sum()) < _MIN_INK:
        return None
    return np.pad(part, _MARGIN, constant_values=255)


def _clean(image: Pixels) -> Pixels:
    """An amount cell's crop made black on white (noise and JPEG blocks cost digits)."""
    smooth = cv2.medianBlur(image, 3)
    _, black = cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return as_pixels(black)


def _read(cells: list[_Cell], rows: list[_Row]) -> None:
    """Every cell read in its batch: amounts by both models with only the characters an
    amount has (lines of a wrapped amount joined); lines outside the grid one line at a time;
    the rest, lines outside the grid too, as blocks of lines. Three tesseract runs (each run
    starts tesseract and loads its model: about 0.13 s of a core), two at a time, the longest
    first. (Lines outside the grid were read in a run of their own, one line each, page
    segmentation 7; read as blocks, mode 6, every line of the golden scans and of a 12-scan
    sweep read the same, character for character.)

    A header row is found by its text cells once they are read (:func:`_reread_headers`),
    and its amount cells must then be read as the labels they are: the amount cells of each
    page's first expense row are read as text too, in the run of the text cells, so that a
    header row needs no run of its own after the others."""
    amount = [c for c in cells if c.kind == "amount"]
    block = [c for c in cells if c.kind != "amount"]
    inked = {id(c) for c in amount}
    guessed = [c for c in _header_guesses(rows) if id(c) in inked]
    groups: list[_Batch] = [
        (block + guessed, "jpn", engine.BLOCK, None),
        (amount, "jpn", engine.BLOCK, engine.DIGITS),
        (amount, "Japanese", engine.BLOCK, engine.DIGITS),
    ]
    results = _run(groups)
    for cell, reading in zip(block, results[0][: len(block)], strict=True):
        cell.readings["jpn"] = reading
    for cell, reading in zip(guessed, results[0][len(block) :], strict=True):
        cell.as_text = reading
    for (group, model, _psm, _whitelist), readings in zip(groups[1:], results[1:], strict=True):
        for cell, reading in zip(group, readings, strict=True):
            cell.readings[model] = reading
    for cell in cells:
        cell.lines = _lines(cell.readings["jpn"])
        cell.paragraphs = _paragraphs(cell.readings["jpn"], cell.image)


def _header_guesses(rows: list[_Row]) -> list[_Cell]:
    """The amount cells of the rows that may be an expense table's header: each expense row
    that follows no other expense row (a page's first, or the first after other rows)."""
    guesses: list[_Cell] = []
    before: _Row | None = None
    for row in rows:
        follows = before is not None and before.expense and before.page is row.page
        if row.expense and not follows:
            guesses += [c for c in row.cells if c.kind == "amount" and c.image is not None]
        before = row
    return guesses


_Batch = tuple[list[_Cell], str, int, str | None]
_AT_ONCE = 2  # tesseract runs side by side (the machine has two cores)


def _run(groups: list[_Batch]) -> list[list[engine.Reading]]:
    """Each batch's readings, at most two tesseract runs at a time: a run starts when one
    ends (the threads only wait on the processes)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(_AT_ONCE) as pool:
        futures = [
            pool.submit(
                engine.read_images,
                [c.image for c in group if c.image is not None],
                model,
                psm,
                whitelist,
            )
            for group, model, psm, whitelist in groups
        ]
        return [future.result() for future in futures]


def _batch(group: list[_Cell], model: str, psm: int, whitelist: str | None) -> None:
    for cell, reading in zip(group, _run([(group, model, psm, whitelist)])[0], strict=True):
        cell.readings[model] = reading


def _reread_headers(rows: list[_Row]) -> None:
    """Header rows' cells that were read as amounts, read again as the labels they are."""
    again = []
    for row in rows:
        if not row.expense:
            continue
        texts = [vocabulary.squeeze("".join(c.lines)) for c in row.cells if c.kind != "amount"]
        if names_header(texts):
            row.header = True
            for cell in row.cells:
                if cell.kind == "amount" and cell.image is not None:
                    cell.readings = {}
                    if cell.as_text is not None:  # read as text already (a header guessed)
                        cell.readings["jpn"] = cell.as_text
                        cell.lines = _lines(cell.as_text)
                    else:
                        again.append(cell)
                cell.kind = "header"
    if again:
        _batch(again, "jpn", engine.BLOCK, None)
    for cell in again:
        cell.lines = _lines(cell.readings["jpn"])


def _join_words(words: list[engine.Word]) -> str:
    text = ""
    for before, word in zip([None, *words], words, strict=False):
        if before is not None:
            gap = word.box[0] - before.box[2]
            height = max(word.box[3] - word.box[1], before.box[3] - before.box[1], 1)
            if gap > 0.6 * height:
                text += " "
        text += word.text
    return vocabulary.squeeze(text)


def _line_groups(reading: engine.Reading) -> list[list[engine.Word]]:
    groups: dict[int, list[engine.Word]] = {}
    for word in reading.words:
        groups.setdefault(word.line, []).append(word)
    return [groups[key] for key in sorted(groups, key=lambda k: min(w.box[1] for w in groups[k]))]


def _lines(reading: engine.Reading) -> list[str]:
    return [t for t in (_join_words(g) for g in _line_groups(reading)) if t]


def _paragraphs(reading: engine.Reading, image: Pixels | None) -> list[str]:
    """Lines joined into paragraphs: a line that starts with a bullet starts one, and a line
    that stops well before the cell's right edge ends one (as the PDF reader decides)."""
    width = image.shape[1] - _MARGIN if image is not None else 0
    paragraphs: list[str] = []
    open_ = False
    for group in _line_groups(reading):
        text = _join_words(group)
        if not text:
            continue
        height = max(w.box[3] - w.box[1] for w in group)
        right = max(w.box[2] for w in group)
        if open_ and paragraphs and not text.startswith((*BULLETS, "〇")):
            paragraphs[-1] += text
        else:
            paragraphs.append(text)
        open_ = right >= width - 2.5 * height
    return paragraphs


def _text(cell: _Cell) -> str:
    return "".join(cell.lines)


def _classify(rows: list[_Row]) -> None:
    """Which rows are the expense table's header, which lines outside the grid are the title
    and the prefecture line; each cell's field name (as a corrections file names it)."""
    expense_row = 0
    seen_grid = False
    for row in rows:
        if row.outside:
            text = _text(row.cells[0])
            cell = row.cells[0]
            if not seen_grid and vocabulary.is_prefecture_line(text):
                cell.kind, cell.field = "prefecture", "都道府県名"
            elif not seen_grid and vocabulary.looks_like_title(text):
                cell.kind, cell.field = "title", "表題"
            continue
        seen_grid = True
        if row.expense:
            texts = [_text(c) for c in row.cells]
            if row.header:
                continue
            total = is_total_row(texts[:2])
            if not total:
                expense_row += 1
            for index, cell in enumerate(row.cells):
                column = _column_name(index)
                if column is None:
                    continue
                cell.field = f"合計.{column}" if total else f"経費.{expense_row}.{column}"
            row.extra["line_no"] = "" if total else str(expense_row)
        elif row.cells[0].kind == "label":
            label = vocabulary.correct_label(_text(row.cells[0]))
            found = re.match(r"^(\d{1,2})：", label.text)
            if found and not label.uncertain:
                number = int(found.group(1))
                row.cells[1].field = str(number)
                if number == 2:
                    row.cells[1].kind = "period"


def _column_name(index: int) -> str | None:
    names = (*_COLUMN_NAMES, *_AMOUNT_NAMES, "備考")
    return names[index] if index < len(names) else None


def _correct(rows: list[_Row]) -> None:
    for row in rows:
        for index, cell in enumerate(row.cells):
            raw = "\n".join(cell.lines)
            if cell.kind == "amount":
                cell.corrected = _amount(cell)
            elif cell.kind == "number":
                line_no = int(row.extra.get("line_no") or 0)
                cell.corrected = (
                    vocabulary.correct_number(raw, line_no)
                    if line_no
                    else vocabulary.Corrected(vocabulary.squeeze(raw))
                )
            elif cell.kind == "example":
                cell.corrected = vocabulary.correct_example(raw)
            elif cell.kind == "budget":
                cell.corrected = vocabulary.correct_budget(raw)
            elif cell.kind == "header":
                cell.corrected = vocabulary.correct_header(raw, index)
            elif cell.kind == "label":
                cell.corrected = vocabulary.correct_label(raw)
            elif cell.kind == "prefecture":
                cell.corrected = vocabulary.correct_prefecture(raw)
            elif cell.kind == "title":
                cell.corrected = vocabulary.correct_title(raw)
            elif cell.kind == "period":
                cell.corrected = vocabulary.correct_period(raw)
            else:
                cell.corrected = vocabulary.correct_text("\n".join(cell.paragraphs))


def _amount(cell: _Cell) -> vocabulary.Corrected:
    """An amount read by both models: corrected each to the amount grammar; where the two
    disagree digit for digit the cell is uncertain (the first model's reading is kept)."""
    first = vocabulary.correct_amount(_join_digits(cell.readings.get("jpn")))
    second = vocabulary.correct_amount(_join_digits(cell.readings.get("Japanese")))
    if first.text == second.text:
        return first
    # the models disagree: the reading that fits the grammar is kept (or the first one's
    # digits alone), and the cell waits for a clerk either way; a scan is never refused for
    # a misread amount, the clerk sees it on the review page
    for reading in (first, second):
        if reading.text and not reading.uncertain:
            return dataclasses.replace(reading, uncertain=True)
    digits = re.sub(r"[^0-9]", "", first.text or second.text)
    return vocabulary.Corrected(digits, (*first.changes, "digits only"), uncertain=True)


def _join_digits(reading: engine.Reading | None) -> str:
    """An amount's words and lines joined (a wrapped amount 「3,179,」 / 「934」 is one)."""
    return "".join(w.text for w in reading.words) if reading else ""


def _kept(row: _Row) -> bool:
    """Rows that become the document: the grid, and outside it the title and prefecture
    lines (the form number 様式4-1-3 and page numbers are page furniture)."""
    if not row.outside:
        return True
    return row.cells[0].kind in ("title", "prefecture")


def _points(page: Prepared, box: Box) -> tuple[float, float, float, float]:
    scale = 72 / page.dpi
    return (box[0] * scale, box[1] * scale, box[2] * scale, box[3] * scale)


def _grid_row(row: _Row) -> GridRow:
    cells = []
    for cell in row.cells:
        text = cell.corrected.text
        lines = text.split("\n") if text else []
        paragraphs = lines if cell.kind in ("body", "text", "remarks") else [text] if text else []
        where = Provenance(page=cell.page.number, bbox=_points(cell.page, cell.box))
        cells.append(GridCell(lines=lines or [], paragraphs=paragraphs, provenance=where))
    box = (
        min(c.box[0] for c in row.cells),
        min(c.box[1] for c in row.cells),
        max(c.box[2] for c in row.cells),
        max(c.box[3] for c in row.cells),
    )
    return GridRow(cells, Provenance(page=row.page.number, bbox=_points(row.page, box)))


def _ocr_cell(cell: _Cell) -> OcrCell:
    readings = tuple(
        (model, "\n".join(_lines(r)) if cell.kind != "amount" else _join_digits(r))
        for model, r in cell.readings.items()
    )
    confidence = min((r.confidence for r in cell.readings.values()), default=0.0)
    return OcrCell(
        page=cell.page.number,
        bbox=_points(cell.page, cell.box),
        kind=cell.kind,
        field=cell.field,
        readings=readings,
        text=cell.corrected.text,
        confidence=round(confidence, 1),
        changes=cell.corrected.changes,
        uncertain=cell.corrected.uncertain,
    )


__all__ = ["READ_PATH", "read_pages", "read_scan"]
