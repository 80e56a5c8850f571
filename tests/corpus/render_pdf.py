"""PDFs as offices print the form from Excel: a ruled grid, wrapped cells, 2-3 pages.

A4 portrait, or A4 landscape (``Variant.landscape``). Two font kinds: IPAexGothic embedded
as TrueType (shipped by the matplotlib-fontja wheel),
or reportlab's non-embedded CID fonts HeiseiKakuGo-W5 / HeiseiMin-W3. Each page has the
form number 様式4-1-3 at the top and 「- n -」 at the bottom; long sections and the expense
table run over page breaks (the table header repeated or not).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import matplotlib_fontja
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from tests.corpus.model import Report

IPAEX = Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"
FONTS = {"ttf": "IPAexGothic", "cid-gothic": "HeiseiKakuGo-W5", "cid-mincho": "HeiseiMin-W3"}
PAGE_W, PAGE_H = 595.0, 842.0
LEFT, RIGHT, TOP, BOTTOM = 40.0, 555.0, 790.0, 60.0
LABEL_W = 110.0
PAD = 4.0
SIZE, LEADING = 10.5, 17.0
TABLE_SIZE, TABLE_LEADING = 8.0, 11.0
COL_W = (34.0, 80.0, 40.0, 56.0, 56.0, 58.0, 52.0, 48.0, 48.0, 43.0)
AMOUNT_COLS = {5, 6, 7, 8}


@dataclass(frozen=True)
class _Geometry:
    """The page and the form's grid on it: A4 portrait, or A4 landscape (the grid widened to
    the page, as an office that prints its wide expense table on its side does)."""

    page_w: float
    page_h: float
    right: float
    top: float
    col_w: tuple[float, ...]


PORTRAIT = _Geometry(PAGE_W, PAGE_H, RIGHT, TOP, COL_W)
_WIDE = (PAGE_H - 2 * LEFT) / (RIGHT - LEFT)
LANDSCAPE = _Geometry(
    PAGE_H, PAGE_W, PAGE_H - LEFT, PAGE_W - (PAGE_H - TOP), tuple(w * _WIDE for w in COL_W)
)


def _register() -> None:
    if "IPAexGothic" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("IPAexGothic", str(IPAEX)))
        pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
        pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break text into lines that fit the width, never next to a space (Japanese wraps anywhere)."""
    lines: list[str] = []
    current = ""
    for ch in text:
        if pdfmetrics.stringWidth(current + ch, font, size) <= width or not current:
            current += ch
            continue
        cut = len(current)
        while cut > 1 and (current[cut - 1] == " " or (ch == " " and cut == len(current))):
            cut -= 1
        lines.append(current[:cut])
        current = current[cut:] + ch
    if current:
        lines.append(current)
    return lines or [""]


class _Pager:
    def __init__(
        self, canvas: Canvas, font: str, faux_bold: bool = False, g: _Geometry = PORTRAIT
    ) -> None:
        self.c, self.font, self.page, self.y, self.g = canvas, font, 1, g.top, g
        self.strokes = (0.0, 0.25) if faux_bold else (0.0,)
        self.fields = 0  # fillable form fields made so far (their names are numbered)
        self._decorate()

    def _decorate(self) -> None:
        self.c.setFont(self.font, 8)
        self.c.drawRightString(self.g.right, self.g.page_h - 30, "様式4-1-3")
        self.c.drawCentredString(self.g.page_w / 2, 30, f"- {self.page} -")

    def new_page(self) -> None:
        self.c.showPage()
        self.page += 1
        self.y = self.g.top
        self._decorate()

    def room(self) -> float:
        return self.y - BOTTOM

    def text_cell(
        self,
        x: float,
        width: float,
        height: float,
        lines: list[str],
        size: float,
        leading: float,
        align: str = "left",
        field: bool = False,
    ) -> None:
        self.c.rect(x, self.y - height, width, height)
        if field:  # a ministry's fillable PDF: the value is the field's, not the page's text
            self.fields += 1
            self.c.acroForm.textfield(
                name=f"amount{self.fields}",
                value="".join(lines),
                x=x + 1,
                y=self.y - height + 1,
                width=width - 2,
                height=height - 2,
                borderWidth=0,
                fillColor=None,
                fontName="Helvetica",
                fontSize=size,
                fieldFlags="",
            )
            return
        self.c.setFont(self.font, size)
        baseline = self.y - PAD - size
        for line in lines:
            for shift in self.strokes:
                if align == "right":
                    self.c.drawRightString(x + width - PAD / 2 + shift, baseline, line)
                else:
                    self.c.drawString(x + PAD / 2 + shift, baseline, line)
            baseline -= leading


def _section_row(pager: _Pager, label: str, body: list[str], min_lines: int = 1) -> None:
    font = pager.font
    label_lines = wrap(label, font, SIZE, LABEL_W - PAD)
    body_lines: list[str] = []
    for paragraph in body:
        body_lines += wrap(paragraph, font, SIZE, pager.g.right - LEFT - LABEL_W - PAD)
    first = True
    while body_lines or first:
        fits = int((pager.room() - 2 * PAD) // LEADING)
        need = max(len(body_lines), len(label_lines) if first else 1)
        if fits < min(need, 2):
            pager.new_page()
            continue
        take = body_lines[:fits]
        body_lines = body_lines[fits:]
        lines_here = max(len(take), len(label_lines) if first else 0, 1)
        if not body_lines:  # the last part of the cell keeps the form's fixed row height
            lines_here = max(lines_here, min(min_lines, fits))
        height = lines_here * LEADING + 2 * PAD
        pager.text_cell(LEFT, LABEL_W, height, label_lines if first else [], SIZE, LEADING)
        body_w = pager.g.right - LEFT - LABEL_W
        pager.text_cell(LEFT + LABEL_W, body_w, height, take, SIZE, LEADING)
        pager.y -= height
        first = False


def _table_row(pager: _Pager, cells: list[str] | tuple[str, ...], header: bool = False) -> float:
    size = TABLE_SIZE
    widths = pager.g.col_w
    wrapped = [wrap(cell, pager.font, size, w - PAD) for cell, w in zip(cells, widths, strict=True)]
    return max(len(w) for w in wrapped) * TABLE_LEADING + 2 * PAD


def _draw_table_row(
    pager: _Pager, cells: list[str] | tuple[str, ...], height: float, fields: bool = False
) -> None:
    x = LEFT
    for index, (cell, width) in enumerate(zip(cells, pager.g.col_w, strict=True)):
        lines = wrap(cell, pager.font, TABLE_SIZE, width - PAD)
        align = "right" if index in AMOUNT_COLS else "left"
        field = fields and index in AMOUNT_COLS and bool(cell)
        pager.text_cell(x, width, height, lines, TABLE_SIZE, TABLE_LEADING, align, field)
        x += width
    pager.y -= height


def render_pdf(
    report: Report, *, encrypt: str | None = None, layout: dict[str, list[int]] | None = None
) -> bytes:
    """Print the report; ``layout``, when given, receives the page of each expense row."""
    _register()
    w, v = report.written, report.variant
    font = FONTS[v.font]
    buffer = io.BytesIO()
    g = LANDSCAPE if v.landscape else PORTRAIT
    canvas = Canvas(buffer, pagesize=(g.page_w, g.page_h), invariant=True, encrypt=encrypt)
    canvas.setTitle(w.title)
    canvas.setLineWidth(0.6)
    pager = _Pager(canvas, font, v.faux_bold, g)
    canvas.setFont(font, 12)
    canvas.drawCentredString(g.page_w / 2, pager.y - 12, w.title)
    pager.y -= 36
    canvas.setFont(font, 10)
    canvas.drawString(LEFT, pager.y - 10, w.prefecture_line)
    pager.y -= 28
    for n in range(1, 12):
        heading = w.headings[n - 1]
        if n == 9:
            height = LEADING + 2 * PAD
            if pager.room() < height + 2 * _table_row(pager, w.table_header):
                pager.new_page()
            pager.text_cell(LEFT, g.right - LEFT, height, [heading], SIZE, LEADING)
            pager.y -= height
            header_h = _table_row(pager, w.table_header)
            _draw_table_row(pager, w.table_header, header_h)
            for row in w.rows:
                row_h = _table_row(pager, row)
                if pager.room() < row_h:
                    pager.new_page()
                    if v.repeat_table_header:
                        _draw_table_row(pager, w.table_header, header_h)
                _draw_table_row(pager, row, row_h, v.form_fields)
                if layout is not None:
                    layout.setdefault("row_pages", []).append(pager.page)
        elif n == 10:
            _section_row(pager, heading, w.contact)
        else:
            first_page = pager.page
            _section_row(pager, heading, w.bodies[n], min_lines=v.row_lines if 3 <= n <= 8 else 1)
            if layout is not None and pager.page != first_page:
                layout.setdefault("split_sections", []).append(n)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_image_pdf(report: Report) -> bytes:
    """A scanned report: the page is one picture, with no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(IPAEX), 28)
    y = 120
    for line in [report.written.title, report.written.prefecture_line, *report.written.headings]:
        draw.text((100, y), line, fill=0, font=font)
        y += 60
    png = io.BytesIO()
    image.save(png, format="PNG")
    png.seek(0)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=True)
    canvas.drawImage(ImageReader(png), 0, 0, PAGE_W, PAGE_H)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_flyer_pdf() -> bytes:
    """A PDF that is not the form: an event flyer."""
    _register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=True)
    canvas.setFont("IPAexGothic", 24)
    canvas.drawCentredString(PAGE_W / 2, 700, "女性のための相談会のご案内")
    canvas.setFont("IPAexGothic", 12)
    for i, line in enumerate(
        ["日時：毎月第2土曜日 10時～16時", "場所：県民交流センター", "相談無料・予約不要・秘密厳守"]
    ):
        canvas.drawCentredString(PAGE_W / 2, 620 - i * 24, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
