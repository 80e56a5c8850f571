"""Every piece of text a file holds is read, set aside for a named reason, or reported.

Each construct below is planted in a generated form where a person sees it (or, for what
Word or Excel does not show, where a person would not): the reader must read it into the
section, set it aside with its reason, or leave it over so that ``unread_content`` is raised.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from lxml import etree
from openpyxl import load_workbook
from openpyxl.comments import Comment

from extract import read_document, source_info
from extract.docx_reader import read_docx
from extract.model import Document
from extract.personal import EMAIL_PLACEHOLDER
from extract.xlsx_reader import read_xlsx
from extract.xlsx_text import _string_item
from tests.corpus.model import Variant, make_report
from tests.corpus.render_office import render_docx, render_xlsx
from transform.pipeline import transform_document
from transform.prefectures import BY_CODE

ROOT = Path(__file__).parent.parent
NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
)
W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
W_TC = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tc"


def _report_docx(layout: str = "table") -> bytes:
    variant = Variant(docx_layout=layout)  # type: ignore[arg-type]
    return render_docx(make_report(random.Random(7), BY_CODE[13], 2022, "docx", variant, "r.docx"))


def _body_cell(document: object, words: str) -> object:
    """The cell (table layout) holding section 4's body, the one after its heading."""
    body = document.element.body  # type: ignore[attr-defined]
    for tc in body.iter(W_TC):
        text = "".join(tc.itertext())
        if words in text:
            heading_row = tc.getparent()
            return heading_row.findall(W_TC)[1]
    raise AssertionError(words)


def _plant(fragment: str, layout: str = "table") -> bytes:
    """The form with ``fragment`` (WordprocessingML blocks) at the end of section 4's body."""
    document = WordDocument(io.BytesIO(_report_docx(layout)))
    cell = _body_cell(document, "事業内容")
    blocks = etree.fromstring(f"<root {NS}>{fragment}</root>")
    last = cell.findall(W_P)[-1]  # type: ignore[attr-defined]
    for block in reversed(list(blocks)):
        last.addnext(block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _read(data: bytes, name: str = "r.docx") -> Document:
    return read_document(data, source_info(name, data))


def _body(doc: Document) -> str:
    section = doc.section(4)
    assert section is not None
    return section.body


def _run(text: str) -> str:
    return f"<w:r><w:t>{text}</w:t></w:r>"


TEXT_BOX = (
    "<w:p><w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wp:anchor>"
    "<a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>"
    f"<w:p>{_run('テキストボックスの文')}</w:p></w:txbxContent></wps:txbx></wps:wsp>"
    "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>"
    f"<v:shape><v:textbox><w:txbxContent><w:p>{_run('テキストボックスの文')}</w:p>"
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>"
    "</w:r></w:p>"
)

# (construct, fragment, text read into the section, text not in it, reason it is set aside)
READ_CASES = [
    ("text box (w:txbxContent, mc:Choice)", TEXT_BOX, "テキストボックスの文", None, "alternate"),
    (
        "nested table",
        f"<w:tbl><w:tr><w:tc><w:p>{_run('入れ子の左')}</w:p></w:tc>"
        f"<w:tc><w:p>{_run('入れ子の右')}</w:p></w:tc></w:tr></w:tbl><w:p/>",
        "入れ子の左 入れ子の右",
        None,
        None,
    ),
    (
        "tracked insertion (w:ins)",
        f"<w:p><w:ins w:id='1' w:author='a'>{_run('挿入された文')}</w:ins></w:p>",
        "挿入された文",
        None,
        None,
    ),
    (
        "tracked deletion (w:del)",
        f"<w:p>{_run('残る文')}<w:del w:id='2' w:author='a'><w:r>"
        "<w:delText>削除された文</w:delText></w:r></w:del></w:p>",
        "残る文",
        "削除された文",
        "deleted",
    ),
    (
        "tracked move (w:moveFrom, w:moveTo)",
        f"<w:p><w:moveFrom w:id='3' w:author='a'>{_run('移動前の文')}</w:moveFrom>"
        f"<w:moveTo w:id='4' w:author='a'>{_run('移動後の文')}</w:moveTo></w:p>",
        "移動後の文",
        "移動前の文",
        "deleted",
    ),
    (
        "hidden text (w:vanish)",
        f"<w:p>{_run('見える文')}<w:r><w:rPr><w:vanish/></w:rPr><w:t>隠された文</w:t></w:r></w:p>",
        "見える文",
        "隠された文",
        "hidden",
    ),
    (
        "simple field (w:fldSimple)",
        f"<w:p><w:fldSimple w:instr=' DATE '>{_run('フィールドの結果')}</w:fldSimple></w:p>",
        "フィールドの結果",
        None,
        None,
    ),
    (
        "complex field (w:fldChar, w:instrText)",
        "<w:p><w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r>"
        "<w:instrText> MERGEFIELD 事業 </w:instrText></w:r><w:r>"
        f"<w:fldChar w:fldCharType='separate'/></w:r>{_run('差し込みの結果')}"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r></w:p>",
        "差し込みの結果",
        "MERGEFIELD",
        "field_code",
    ),
    (
        "hyperlink and custom XML runs",
        f"<w:p><w:hyperlink w:anchor='x'>{_run('リンクの文')}</w:hyperlink>"
        f"<w:customXml w:element='x'>{_run('タグの文')}</w:customXml>"
        f"<w:smartTag w:element='y'>{_run('スマートタグの文')}</w:smartTag></w:p>",
        "リンクの文タグの文スマートタグの文",
        None,
        None,
    ),
    (
        "ruby (w:ruby)",
        "<w:p><w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>じょせい</w:t></w:r></w:rt>"
        "<w:rubyBase><w:r><w:t>女性</w:t></w:r></w:rubyBase></w:ruby></w:r>"
        f"{_run('の活躍')}</w:p>",
        "女性の活躍",
        "じょせい",
        "ruby",
    ),
    (
        "math (m:oMath)",
        "<w:p><m:oMath><m:r><m:t>参加者数×2</m:t></m:r></m:oMath></w:p>",
        "参加者数×2",
        None,
        None,
    ),
    (
        "content control showing its placeholder (w:sdt, w:showingPlcHdr)",
        f"<w:p>{_run('入力済みの文')}<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
        f"{_run('ここをクリックして入力')}</w:sdtContent></w:sdt></w:p>",
        "入力済みの文",
        "ここをクリック",
        "placeholder",
    ),
]


@pytest.mark.parametrize(
    ("construct", "fragment", "read", "not_read", "reason"),
    READ_CASES,
    ids=[c[0] for c in READ_CASES],
)
def test_docx_constructs_are_read_or_set_aside(
    construct: str, fragment: str, read: str, not_read: str | None, reason: str | None
) -> None:
    doc = _read(_plant(fragment))
    body = _body(doc)
    assert read in body
    assert body.count(read) == 1  # a text box's older copy (mc:Fallback) is not read again
    if not_read:
        assert not_read not in body
    if reason:
        assert reason in {p.reason for p in doc.set_aside}
        if not_read:
            assert any(not_read in p.text for p in doc.set_aside if p.reason == reason)
    assert doc.unread == ()


def test_docx_hidden_character_style_is_set_aside() -> None:
    document = WordDocument(io.BytesIO(_report_docx("paragraphs")))
    style = document.styles.add_style("秘密", WD_STYLE_TYPE.CHARACTER)
    style.font.hidden = True
    paragraph = document.add_paragraph("見える段落")
    paragraph.add_run("スタイルで隠した文").style = style
    out = io.BytesIO()
    document.save(out)
    doc = _read(out.getvalue())
    shown = " ".join(s.body for s in doc.sections)
    assert "見える段落" in shown and "スタイルで隠した文" not in shown
    assert [p.text for p in doc.set_aside if p.reason == "hidden"] == ["スタイルで隠した文"]


def test_docx_headers_and_footers_are_set_aside_as_page_header() -> None:
    document = WordDocument(io.BytesIO(_report_docx()))
    document.sections[0].header.paragraphs[0].text = "様式第4号"
    document.sections[0].footer.paragraphs[0].text = "男女共同参画課"
    out = io.BytesIO()
    document.save(out)
    doc = _read(out.getvalue())
    assert {(p.text, p.reason) for p in doc.set_aside} == {
        ("様式第4号", "page_header"),
        ("男女共同参画課", "page_footer"),
    }
    assert doc.unread == ()


def _with_parts(data: bytes, parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for name, text in parts.items():
            target.writestr(name, text)
    return out.getvalue()


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def test_docx_footnotes_and_comments_are_set_aside() -> None:
    data = _with_parts(
        _report_docx(),
        {
            "word/footnotes.xml": f'<w:footnotes xmlns:w="{W_NS}"><w:footnote w:id="1"><w:p>'
            "<w:r><w:t>脚注の文</w:t></w:r></w:p></w:footnote></w:footnotes>",
            "word/comments.xml": f'<w:comments xmlns:w="{W_NS}"><w:comment w:id="0"><w:p>'
            "<w:r><w:t>確認してください</w:t></w:r></w:p></w:comment></w:comments>",
        },
    )
    doc = _read(data)
    assert {(p.text, p.reason) for p in doc.set_aside} == {
        ("脚注の文", "footnote"),
        ("確認してください", "comment"),
    }
    assert doc.unread == ()


def _unread_issues(doc: Document) -> list[str]:
    report = transform_document(doc)
    return [i.message for i in report.issues if i.rule == "unread_content"]


def test_docx_text_the_reader_does_not_read_raises_unread_content() -> None:
    """A chart's text, an embedded object and a shape's DrawingML text (no text box): a person
    sees them, the reader does not read them, and says so."""
    shape = (
        "<w:p><w:r><w:drawing><a:graphic><a:graphicData><a:p><a:r><a:t>図形の中の文字</a:t>"
        "</a:r></a:p></a:graphicData></a:graphic></w:drawing></w:r></w:p>"
    )
    data = _with_parts(
        _plant(shape),
        {
            "word/charts/chart1.xml": f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}">'
            "<c:chart><c:title><c:tx><c:rich><a:p><a:r><a:t>参加者の推移</a:t></a:r></a:p>"
            "</c:rich></c:tx></c:title><c:plotArea><c:barChart><c:ser><c:val><c:numRef>"
            "<c:numCache><c:pt idx='0'><c:v>120</c:v></c:pt></c:numCache></c:numRef></c:val>"
            "</c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>",
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx": "PK",
        },
    )
    doc = _read(data)
    assert [(p.construct, p.text) for p in doc.unread] == [
        ("a:t", "図形の中の文字"),
        ("a:t in word/charts/chart1.xml", "参加者の推移"),
        ("c:v in word/charts/chart1.xml", "120"),
        ("word/embeddings", "Microsoft_Excel_Worksheet.xlsx"),
    ]
    messages = _unread_issues(doc)
    assert len(messages) == 4
    assert "本文" in messages[0] and "図形の中の文字" in messages[0]
    assert "word/charts/chart1.xml" in messages[1]


def test_unread_text_passes_the_personal_data_check() -> None:
    shape = (
        "<w:p><w:r><w:drawing><a:graphic><a:graphicData><a:p><a:r>"
        "<a:t>問合せ kanri@example.jp</a:t></a:r></a:p></a:graphicData></a:graphic>"
        "</w:drawing></w:r></w:p>"
    )
    (message,) = _unread_issues(_read(_plant(shape)))
    assert EMAIL_PLACEHOLDER in message and "example.jp" not in message


def test_long_unread_text_is_shortened() -> None:
    long_text = "長い文" * 100
    shape = (
        "<w:p><w:r><w:drawing><a:graphic><a:graphicData><a:p><a:r>"
        f"<a:t>{long_text}</a:t></a:r></a:p></a:graphicData></a:graphic></w:drawing></w:r></w:p>"
    )
    (message,) = _unread_issues(_read(_plant(shape)))
    assert long_text not in message and "長い文長い文" in message and "…" in message


def test_docx_text_boxes_in_headed_paragraphs_are_rows_of_their_own() -> None:
    document = WordDocument(io.BytesIO(_report_docx("paragraphs")))
    body = document.element.body
    heading = next(p for p in body.iter(W_P) if "事業内容" in "".join(p.itertext()))
    heading.addnext(etree.fromstring(TEXT_BOX.replace("<w:p>", f"<w:p {NS}>", 1)))
    out = io.BytesIO()
    document.save(out)
    doc = _read(out.getvalue())
    assert _body(doc).splitlines()[0] == "テキストボックスの文"
    assert doc.unread == ()


# xlsx ---------------------------------------------------------------------------------


def _report_xlsx(**fields: object) -> bytes:
    variant = Variant(**fields)  # type: ignore[arg-type]
    return render_xlsx(make_report(random.Random(3), BY_CODE[27], 2021, "xlsx", variant, "r.xlsx"))


def _book_bytes(edit: object, **fields: object) -> bytes:
    book = load_workbook(io.BytesIO(_report_xlsx(**fields)))
    edit(book)  # type: ignore[operator]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _form_sheet(book: object) -> object:
    return book["様式4-1-3"]  # type: ignore[index]


def test_xlsx_clean_workbook_accounts_for_every_value() -> None:
    doc = read_xlsx(data := _report_xlsx(instructions_sheet=True), source_info("r.xlsx", data))
    assert doc.unread == ()
    assert {p.reason for p in doc.set_aside} == {"other_sheet"}


def test_xlsx_value_left_of_the_form_raises_unread_content() -> None:
    def edit(book: object) -> None:
        _form_sheet(book)["A12"] = "欄外のメモ"  # type: ignore[index]

    doc = _read(_book_bytes(edit, offset=1), "r.xlsx")
    assert [(p.place, p.text) for p in doc.unread] == [("シート「様式4-1-3」A12", "欄外のメモ")]
    assert "欄外のメモ" in _unread_issues(doc)[0]


def test_xlsx_comments_hidden_rows_hidden_sheets_and_headers_are_set_aside() -> None:
    def edit(book: object) -> None:
        sheet = _form_sheet(book)
        last = sheet.max_row + 2  # type: ignore[attr-defined]
        sheet.cell(row=last, column=1, value="古い行の残り")  # type: ignore[attr-defined]
        sheet.row_dimensions[last].hidden = True  # type: ignore[attr-defined]
        sheet.oddHeader.center.text = "様式第4号"  # type: ignore[attr-defined]
        old = book.copy_worksheet(sheet)  # type: ignore[attr-defined]
        old.title = "旧版"
        old.sheet_state = "hidden"
        sheet["A1"].comment = Comment("ここを確認", "係")  # type: ignore[index]
        example = book.create_sheet("記入例")  # type: ignore[attr-defined]
        example["A1"] = "記入例の文"

    doc = _read(_book_bytes(edit), "r.xlsx")
    assert doc.unread == ()
    reasons = {p.reason for p in doc.set_aside}
    assert {"comment", "hidden_row", "hidden_sheet", "example_sheet", "page_header"} <= reasons
    assert "古い行の残り" not in str(doc.sections) + str(doc.tables)
    assert [p.text for p in doc.set_aside if p.reason == "comment"] == ["ここを確認"]


def _edit_part(data: bytes, name: str, edit: object) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == name:
                content = edit(content.decode()).encode()  # type: ignore[operator]
            target.writestr(item, content)
    return out.getvalue()


def test_xlsx_value_under_a_merged_cell_is_set_aside() -> None:
    data = _report_xlsx()
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    first = re.search(r'<mergeCell ref="([A-Z]+)([0-9]+):([A-Z]+)[0-9]+"', sheet_xml)
    assert first is not None
    row, covered = first[2], "C" + first[2]
    planted = _edit_part(
        data,
        "xl/worksheets/sheet1.xml",
        lambda x: re.sub(
            rf'(<row r="{row}"[^>]*>)',
            rf'\1<c r="{covered}" t="inlineStr"><is><t>結合で隠れた値</t></is></c>',
            x,
            count=1,
        ),
    )
    doc = _read(planted, "r.xlsx")
    assert doc.unread == ()
    assert [p.text for p in doc.set_aside if p.reason == "merged_cover"] == ["結合で隠れた値"]


def test_xlsx_text_box_on_the_sheet_raises_unread_content() -> None:
    drawing = (
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
        f' xmlns:a="{A_NS}"><xdr:twoCellAnchor><xdr:sp><xdr:txBody><a:p><a:r>'
        "<a:t>※金額は税込みです</a:t></a:r></a:p></xdr:txBody></xdr:sp></xdr:twoCellAnchor>"
        "</xdr:wsDr>"
    )
    doc = _read(_with_parts(_report_xlsx(), {"xl/drawings/drawing1.xml": drawing}), "r.xlsx")
    assert [(p.construct, p.text) for p in doc.unread] == [
        ("t in xl/drawings/drawing1.xml", "※金額は税込みです")
    ]


def test_xlsx_phonetic_readings_are_set_aside_and_rich_text_runs_read() -> None:
    """A string in rich text runs (「女」「性」) with its reading (rPh) stored (openpyxl
    writes inline strings; a shared string's parts are the same, checked below)."""

    def edit(book: object) -> None:
        _form_sheet(book)["M3"] = "女性"  # type: ignore[index]

    data = _book_bytes(edit)
    rich = "<is><r><t>女</t></r><r><t>性</t></r><rPh sb='0' eb='2'><t>ジョセイ</t></rPh></is>"
    part = "xl/worksheets/sheet1.xml"
    planted = _edit_part(data, part, lambda x: x.replace("<is><t>&#22899;&#24615;</t></is>", rich))
    assert b"rPh" in zipfile.ZipFile(io.BytesIO(planted)).read(part)
    doc = _read(planted, "r.xlsx")
    assert doc.unread == ()
    assert [p.text for p in doc.set_aside if p.reason == "phonetic"] == ["ジョセイ"]
    si = etree.fromstring(f"<si xmlns='{S_NS}'>{rich[4:-5]}</si>")
    assert _string_item(si) == ("女性", "ジョセイ")


# the sample and the golden cases ----------------------------------------------------

OFFICE_FILES = sorted(
    p
    for folder in (ROOT / "data" / "sample", ROOT / "tests" / "golden")
    for p in folder.rglob("*")
    if p.suffix in (".docx", ".xlsx") and not p.name.startswith("bad_")
)


@pytest.mark.parametrize(
    "path", OFFICE_FILES, ids=[p.parent.name + "/" + p.name for p in OFFICE_FILES]
)
def test_no_unread_content_on_the_sample_and_the_golden_cases(path: Path) -> None:
    data = path.read_bytes()
    reader = read_docx if path.suffix == ".docx" else read_xlsx
    doc = reader(data, source_info(path.name, data))
    assert doc.unread == ()


# PDF ------------------------------------------------------------------------------------


def _annotated_pdf() -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    out = io.BytesIO()
    canvas = Canvas(out, invariant=True)
    canvas.setFont("HeiseiKakuGo-W5", 10)
    canvas.drawString(72, 760, "本文の行")
    canvas.freeTextAnnotation("注記の文", DA="/Helv 10 Tf 0 g", Rect=(72, 700, 272, 720))
    canvas.textAnnotation("確認願います", Rect=(300, 700, 320, 720))
    canvas.acroForm.textfield(
        name="shown", value="1,234,567", x=72, y=640, width=120, height=18, borderWidth=0
    )
    canvas.acroForm.textfield(
        name="secret",
        value="old draft 999",
        x=72,
        y=600,
        width=120,
        height=18,
        borderWidth=0,
        annotationFlags="hidden",
    )
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_pdf_annotations_a_viewer_shows_are_read_and_comments_set_aside() -> None:
    import pdfplumber

    from extract.pdf_forms import annotation_text

    with pdfplumber.open(io.BytesIO(_annotated_pdf())) as pdf:
        page = pdf.pages[0]
        assert "".join(c["text"] for c in page.chars) == "本文の行"  # pdfminer sees no more
        shown, aside = annotation_text(page)
        by_line: dict[float, str] = {}
        for char in shown:
            by_line[round(char["top"])] = by_line.get(round(char["top"]), "") + char["text"]
        assert sorted(by_line.values()) == ["1,234,567", "注記の文"]
        field = next(c for c in shown if c["text"] == "1")
        assert 72 <= field["x0"] <= 192 and page.height - 658 <= field["top"] <= page.height - 640
        assert sorted(aside) == [
            ("comment", "確認願います", "/Text /Contents"),
            ("hidden", "old draft 999", "/Widget /Tx /V"),
        ]


def test_pdf_value_laid_in_its_box_fits_it() -> None:
    from extract.pdf_forms import laid_chars

    chars = laid_chars("12,345,678,901,234", (100, 50, 150, 62), 10, 2, 800, 0)
    assert min(c["x0"] for c in chars) >= 100 and max(c["x1"] for c in chars) <= 150
    assert "".join(c["text"] for c in chars) == "12,345,678,901,234"
    two = laid_chars("上の行\n下の行", (0, 0, 100, 40), 0, 0, 800, 0)
    assert len({c["top"] for c in two}) == 2


def test_pdf_glyphs_without_unicode_are_left_over() -> None:
    from extract.pdf_reader import _unmapped
    from extract.pdf_types import Char

    def char(text: str) -> Char:
        return Char(
            object_type="char", x0=0, x1=1, y0=0, y1=1, top=0, bottom=1, doctop=0,
            width=1, height=1, text=text, fontname="F", size=1, upright=True,
        )  # fmt: skip

    (passage,) = _unmapped([char("金"), char("(cid:1234)"), char("(cid:88)")], 2)
    assert (passage.text, passage.place, passage.reason) == ("(cid:1234)(cid:88)", "2ページ目", "")
    assert _unmapped([char("金")], 1) == []


def test_pdf_page_numbers_and_form_numbers_are_set_aside() -> None:
    path = ROOT / "data" / "sample" / "01_hokkaido_fy2019.pdf"
    doc = _read(path.read_bytes(), path.name)
    assert doc.unread == ()
    furniture = {p.text for p in doc.set_aside if p.reason == "page_number"}
    assert "- 1 -" in furniture and "様式4-1-3" in furniture


def test_pdf_filled_in_form_fields_are_read() -> None:
    """A ministry's fillable PDF filled in: every amount is a field's value. Before, every
    amount read as blank (0 yen) with no issue."""
    path = ROOT / "tests" / "golden" / "pdf_amounts_in_fillable_form_fields" / "report.pdf"
    doc = _read(path.read_bytes(), path.name)
    table = doc.table(9)
    assert table is not None
    amounts = [cell for row in table.rows for cell in row.cells[5:9]]
    assert sum(1 for cell in amounts if re.fullmatch(r"[0-9,]+", cell)) >= 6


def test_docx_vertically_merged_cells_stand_for_every_row_they_span() -> None:
    """A cell merged down (w:vMerge) shows its text once over several rows: each row reads
    it; text left inside a continuation cell, which Word does not show, is set aside."""
    fragment = (
        "<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val='restart'/></w:tcPr>"
        f"<w:p>{_run('結合した見出し')}</w:p></w:tc><w:tc><w:p>{_run('右1')}</w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>"
        f"<w:p>{_run('隠れた文字')}</w:p></w:tc><w:tc><w:p>{_run('右2')}</w:p></w:tc></w:tr>"
        "</w:tbl><w:p/>"
    )
    doc = _read(_plant(fragment))
    assert _body(doc).splitlines()[-2:] == ["結合した見出し 右1", "結合した見出し 右2"]
    assert [p.text for p in doc.set_aside if p.reason == "merged_cover"] == ["隠れた文字"]
    assert doc.unread == ()


def test_docx_text_direction_spacing_and_full_width_spaces_keep_their_characters() -> None:
    """Vertical text (w:textDirection), character spacing and width (w:spacing, w:w) change
    how the characters stand, not which: read as the same text; a full-width space (U+3000)
    reads as a space."""
    spaced = _run("全角\u3000空白")
    fragment = (
        "<w:p><w:pPr><w:textDirection w:val='tbRl'/></w:pPr><w:r><w:rPr>"
        "<w:spacing w:val='40'/><w:w w:val='150'/></w:rPr><w:t>縦書きの文</w:t></w:r>"
        f"{spaced}</w:p>"
    )
    body = _body(_read(_plant(fragment)))
    assert "縦書きの文全角 空白" in body


def test_docx_imported_part_raises_unread_content() -> None:
    """w:altChunk imports another file (HTML, RTF, text) into the document: Word shows its
    content, which is in no WordprocessingML part."""
    data = _with_parts(_report_docx(), {"word/afchunk.mht": "MIME-Version: 1.0\n\n<p>取込み</p>"})
    doc = _read(data)
    assert [(p.construct, p.text) for p in doc.unread] == [("w:altChunk part", "afchunk.mht")]


def _incrementally_updated_pdf() -> bytes:
    """A one-page PDF whose content an incremental update (ISO 32000-1 §7.5.6) replaced."""
    body = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]

    def stream(text: bytes) -> bytes:
        content = b"BT /F1 12 Tf 50 100 Td (" + text + b") Tj ET"
        return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"

    body[3] = stream(b"OLD TEXT")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(body, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + (obj or b"") + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 6\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    update = len(out)
    out += b"4 0 obj\n" + stream(b"NEW TEXT") + b"\nendobj\n"
    second = len(out)
    out += b"xref\n4 1\n%010d 00000 n \n" % update
    out += b"trailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (xref, second)
    return bytes(out)


def test_pdf_incremental_update_reads_the_latest_revision() -> None:
    """A viewer shows the last revision of an incrementally updated PDF; so does the reader
    (pdfminer follows the newest cross-reference section first)."""
    import pdfplumber

    from extract.pdf_objects import read_page
    from extract.pdf_settings import DEFAULT_SETTINGS

    data = _incrementally_updated_pdf()
    assert data.count(b"%%EOF") == 2
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        chars = read_page(pdf.pages[0], DEFAULT_SETTINGS).chars
    assert "".join(c["text"] for c in chars) == "NEW TEXT"
