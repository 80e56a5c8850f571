"""Deterministic corpus generation: report files plus one truth JSON per file."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flows.accuracy import ITEM_FIELDS as ACCURACY_ITEM_FIELDS
from flows.accuracy import REPORT_FIELDS
from tests.corpus.bank import PROJECTS
from tests.corpus.model import Format, Report, Variant, make_report
from tests.corpus.render_office import render_docx, render_xlsx
from tests.corpus.render_pdf import render_flyer_pdf, render_image_pdf, render_pdf
from tests.corpus.render_txt import render_txt
from transform.prefectures import PREFECTURES, Prefecture
from transform.records import Rule

FORMATS_BY_INDEX: tuple[Format, ...] = ("txt", "pdf", "xlsx", "docx")
RENDERERS: dict[str, Callable[[Report], bytes]] = {
    "txt": render_txt,
    "pdf": render_pdf,
    "xlsx": render_xlsx,
    "docx": render_docx,
}
# Formats as offices send them: PDF most often.
FORMAT_CYCLE: tuple[Format, ...] = ("pdf", "pdf", "xlsx", "pdf", "docx", "txt", "pdf", "xlsx")
BROKEN_RULES: tuple[Rule, ...] = (
    "amount_identity",
    "total_mismatch",
    "period",
    "budget_label",
    "budget_label_not_allowed",
    "other_funds_remarks",
)
TRUTH_DIR = "truth"


def draw_variant(rng: random.Random, fmt: Format, index: int) -> Variant:
    """Spread the written variations over the corpus (every one occurs several times)."""
    encoding = ("utf-8", "utf-8-sig", "cp932", "utf-16")[index % 4]
    separators = [" ~ ", "～", "から"] if encoding == "cp932" else [" ~ ", "～", "〜", "から"]
    office = fmt in ("txt", "xlsx", "docx")  # what our PDF renderer does not draw
    variant = Variant(
        heading_style=rng.choice(
            ["dot", "fullwidth", "space", "paren", "paren_ascii", "dai", "colon"]
        ),
        prefecture_sep=rng.choice([": ", "：", "\u3000", ": ", "short"]),
        period_sep=rng.choice(separators),
        fullwidth_digits=rng.random() < 0.25,
        gannen=rng.random() < 0.7,
        thousand_yen=rng.random() < 0.15,
        yen_suffix=rng.random() < 0.15,
        encoding=encoding,  # type: ignore[arg-type]
        long_sections=rng.random() < 0.3,
        contact_lines=rng.random() < 0.5,
        repeat_table_header=rng.random() < 0.5,
        font=("ttf", "cid-gothic", "cid-mincho")[index % 3],
        instructions_sheet=rng.random() < 0.4,
        numbers_as_text=rng.random() < 0.3,
        docx_layout=rng.choice(["table", "paragraphs"]),
        offset=rng.choice([0, 0, 1, 2]),
        zero_dash=rng.random() < 0.3,
        ditto=rng.random() < 0.3,
        period_style=rng.choice(["era", "era", "weekday", "western"]),
        total_label=rng.choice(["合計", "合計", "合　計", "計", "総計"]),
        unused_rows=rng.choice([0, 0, 0, 2, 3]),
        contact_layout=rng.choice(["labels", "labels", "table"]),
        cover_letter=office and rng.random() < 0.25,
        header_rows=2 if office and rng.random() < 0.3 else 1,
        content_controls=fmt == "docx" and rng.random() < 0.4,
        landscape=fmt == "pdf" and index % 4 == 1,  # no draw: the rest of the sample stays
        word_numbering=fmt == "docx" and index % 3 == 2,  # no draw either
    )
    if variant.contact_layout == "table":
        variant.contact_lines = True  # one label or value a line
    if index % 11 == 5:  # headings without their numbers, chosen by index: no draw moved
        variant.heading_style = "none"
    if index % 13 == 7:  # the period's dates shortened (「R3.4.1」), by index too
        variant.period_style = "short"
    return variant


def _name(prefecture: Prefecture, fiscal_year: int, fmt: str, tag: str = "") -> str:
    return f"{prefecture.code:02d}_{prefecture.name_en.lower()}_fy{fiscal_year}{tag}.{fmt}"


def _write(out: Path, report: Report) -> None:
    (out / report.file).write_bytes(RENDERERS[report.format](report))
    _write_truth(out, report.file, report.truth)


def _write_truth(out: Path, file: str, truth: dict[str, Any]) -> None:
    folder = out / TRUTH_DIR
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (folder / f"{file}.json").write_text(text, encoding="utf-8")


def _report(
    rng: random.Random, prefecture: Prefecture, fy: int, fmt: Format, index: int, tag: str = ""
) -> Report:
    variant = draw_variant(rng, fmt, index)
    project = PROJECTS[(prefecture.code + fy) % len(PROJECTS)]
    return make_report(rng, prefecture, fy, fmt, variant, _name(prefecture, fy, fmt, tag), project)


def write_sample(out: Path, seed: int = 2021) -> int:
    """data/sample/: one report per prefecture, reports breaking each check, bad files."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for index, prefecture in enumerate(PREFECTURES):
        fy = 2019 + index % 5
        fmt = FORMAT_CYCLE[index % len(FORMAT_CYCLE)]
        report = _report(rng, prefecture, fy, fmt, index)
        if prefecture.code == 35:  # beside the real FY2021 Yamaguchi report
            report = _report(rng, prefecture, 2022, fmt, index)
        _write(out, report)
        written += 1
    for index, rule in enumerate(BROKEN_RULES):
        prefecture = PREFECTURES[(index * 7 + 3) % 47]
        fmt = FORMATS_BY_INDEX[index % 4]
        variant = draw_variant(rng, fmt, index)
        variant.broken = rule
        report = make_report(
            rng, prefecture, 2018, fmt, variant, _name(prefecture, 2018, fmt, f"_broken_{rule}")
        )
        _write(out, report)
        written += 1
    written += write_bad_files(out, rng)
    write_real_report_truth(out)
    return written


REAL_REPORT = "000_b75168460d201e43.txt"
REAL_GOLDEN = Path(__file__).parent.parent / "golden" / "real_yamaguchi_fy2021" / "expected.json"


def write_real_report_truth(out: Path) -> None:
    """The truth of the real report, taken from its reviewed golden file."""
    golden = json.loads(REAL_GOLDEN.read_text(encoding="utf-8"))
    keep = set(REPORT_FIELDS)
    (report,) = golden["reports"]
    (contact,) = golden["contacts"]
    truth = {
        "file": REAL_REPORT,
        "format": "txt",
        "expected_status": "loaded",
        "report": {k: v for k, v in report.items() if k in keep},
        "sections": [
            {k: s[k] for k in ("section_no", "heading", "body")} for s in golden["report_sections"]
        ],
        "expense_items": [
            {k: v for k, v in item.items() if k in ITEM_FIELDS} for item in golden["expense_items"]
        ],
        "contact": {k: v for k, v in contact.items() if k != "report_id"},
        "expected_rules": sorted({i["rule"] for i in golden["validation_issues"]}),
    }
    _write_truth(out, REAL_REPORT, truth)


ITEM_FIELDS = {"line_no", *ACCURACY_ITEM_FIELDS}


BAD_FILES: dict[str, str] = {
    "bad_empty.pdf": "空のファイル",
    "bad_truncated.pdf": "壊れています",
    "bad_encrypted.pdf": "パスワードが設定されています",
    "bad_flyer.pdf": "実績報告書の様式ではありません",
    "bad_random_bytes.pdf": "PDF ではありません",
    "bad_scanned.pdf": "スキャンした画像",
    "bad_random_bytes.xlsx": "xlsx ファイルとして開けません",
    "bad_zip_not_workbook.xlsx": "xlsx ブックとして開けません",
    "bad_empty.txt": "空のファイル",
}


def write_bad_files(out: Path, rng: random.Random) -> int:
    import io
    import zipfile

    some = _report(rng, PREFECTURES[0], 2020, "pdf", 0)
    valid_pdf = render_pdf(some)
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        info = zipfile.ZipInfo("readme.txt", date_time=(2022, 4, 1, 0, 0, 0))
        archive.writestr(info, "this zip holds no workbook")
    contents = {
        "bad_empty.pdf": b"",
        "bad_truncated.pdf": valid_pdf[: len(valid_pdf) // 2],
        "bad_encrypted.pdf": render_pdf(some, encrypt="himitsu"),
        "bad_flyer.pdf": render_flyer_pdf(),
        "bad_random_bytes.pdf": rng.randbytes(4096),
        "bad_scanned.pdf": render_image_pdf(some),
        "bad_random_bytes.xlsx": rng.randbytes(4096),
        "bad_zip_not_workbook.xlsx": zipped.getvalue(),
        # blank lines only: an empty file would be a duplicate of bad_empty.pdf
        "bad_empty.txt": b"\r\n \t\r\n",
    }
    for name, data in contents.items():
        (out / name).write_bytes(data)
        _write_truth(
            out,
            name,
            {
                "file": name,
                "format": name.rsplit(".", 1)[1],
                "expected_status": "quarantined",
                "reason_contains": BAD_FILES[name],
            },
        )
    return len(contents)


def write_corpus(out: Path, count: int = 470, seed: int = 2021) -> int:
    """A larger corpus: every prefecture, consecutive fiscal years from FY2015, mixed formats."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        prefecture = PREFECTURES[index % 47]
        fy = 2015 + index // 47
        fmt = FORMAT_CYCLE[index % len(FORMAT_CYCLE)]
        _write(out, _report(rng, prefecture, fy, fmt, index))
    return count


def _truth_of(folder: Path, path: Path) -> dict[str, Any]:
    truth: dict[str, Any] = json.loads(
        (folder / TRUTH_DIR / f"{path.name}.json").read_text("utf-8")
    )
    return truth


def _sweep_forms(
    folder: Path, count: int, seed: int, *, skip: Callable[[dict[str, Any]], bool] | None = None
) -> list[Path]:
    """``count`` Word files and workbooks drawn from a corpus generated into ``folder``
    (every variation drawn at random), leaving out those whose truth ``skip`` names."""
    write_corpus(folder, count=max(4 * count, 47), seed=seed)
    office = sorted(
        p
        for p in folder.iterdir()
        if p.suffix in (".docx", ".xlsx") and not (skip and skip(_truth_of(folder, p)))
    )
    return random.Random(seed).sample(office, min(count, len(office)))


def write_printed_sweep(out: Path, count: int = 60, seed: int = 2021) -> int:
    """``count`` Word files and workbooks of a generated corpus (every variation drawn at
    random), printed to PDF by LibreOffice as offices print them, each with its truth: the
    readers measured on a renderer they were not built around (``jokatsu accuracy OUT``).
    Workbooks are set up as offices do before printing (ruled, wrapped, fit to width),
    alternately A4 portrait and landscape. One LibreOffice call prints them all."""
    import tempfile

    from tests.corpus.print_office import convert, office_style_xlsx

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        forms = folder / "forms"
        picked = _sweep_forms(forms, count, seed)
        staged, printed = folder / "staged", folder / "printed"
        staged.mkdir()
        for index, path in enumerate(picked):
            data = path.read_bytes()
            if path.suffix == ".xlsx":
                data = office_style_xlsx(data, landscape=index % 2 == 1)
            (staged / path.name).write_bytes(data)
        convert([staged / p.name for p in picked], "pdf", printed, folder / "profile")
        out.mkdir(parents=True, exist_ok=True)
        for path in picked:
            name = f"{path.stem}_{path.suffix[1:]}.pdf"
            (out / name).write_bytes((printed / f"{path.stem}.pdf").read_bytes())
            _write_truth(out, name, {**_truth_of(forms, path), "file": name, "format": "pdf"})
    return len(picked)


def write_resaved_sweep(out: Path, count: int = 60, seed: int = 2021) -> int:
    """``count`` Word files and workbooks of a generated corpus saved again by LibreOffice, as
    an office using LibreOffice sends them: Word files re-saved as docx by Writer, workbooks
    re-saved as xlsx by Calc and exported by Calc as tab-separated UTF-8 text and as CSV (the
    form's sheet only, as a clerk exports it). Each with its truth, for ``jokatsu accuracy
    OUT`` (a CSV counts as a text export).

    Word forms built from content controls are left out: LibreOffice 7.4 writes them back as
    FILLIN fields with their text repeated (LibreOffice's own text export of the re-saved file
    shows 「都道府県名　神奈川県都道府県名　神奈川県…」), so no reader could read them right."""
    import tempfile

    from openpyxl import load_workbook

    from tests.corpus.print_office import convert

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        forms = folder / "forms"
        picked = _sweep_forms(forms, count, seed, skip=lambda t: t["variant"]["content_controls"])
        docx = [p for p in picked if p.suffix == ".docx"]
        xlsx = [p for p in picked if p.suffix == ".xlsx"]
        sheets = folder / "form_sheet"
        sheets.mkdir()
        for path in xlsx:  # the form's sheet alone: Calc exports the first sheet as text
            book = load_workbook(path)
            for sheet in book.worksheets[:-1]:
                book.remove(sheet)
            book.save(sheets / path.name)
        made: list[tuple[Path, Path, str]] = []
        for paths, to, fmt in (
            (docx, "docx:MS Word 2007 XML", "docx"),
            (xlsx, "xlsx:Calc MS Excel 2007 XML", "xlsx"),
            ([sheets / p.name for p in xlsx], "txt:Text - txt - csv (StarCalc):9,34,76,1", "txt"),
            ([sheets / p.name for p in xlsx], "csv:Text - txt - csv (StarCalc):44,34,76,1", "csv"),
        ):
            if not paths:
                continue
            outdir = folder / f"saved_{fmt}"
            convert(paths, to, outdir, folder / "profile")
            made += [(forms / p.name, outdir / f"{p.stem}.{fmt}", fmt) for p in paths]
        out.mkdir(parents=True, exist_ok=True)
        for original, saved, fmt in made:
            name = f"{original.stem}_libreoffice.{fmt}"
            (out / name).write_bytes(saved.read_bytes())
            truth = {**_truth_of(forms, original), "file": name}
            _write_truth(out, name, {**truth, "format": "txt" if fmt == "csv" else fmt})
    return len(made)


def _find(
    make: Callable[[random.Random], Report], wanted: Callable[[dict[str, list[int]]], bool]
) -> tuple[Report, bytes]:
    """The first seeded report whose printed layout shows the problem wanted."""
    for seed in range(500):
        report = make(random.Random(seed))
        layout: dict[str, list[int]] = {}
        data = render_pdf(report, layout=layout)
        if wanted(layout):
            return report, data
    raise RuntimeError("no seed gives that layout")


def write_regression_pdfs(golden: Path) -> list[str]:
    """PDFs for each layout problem the reader had to solve, one golden case folder each."""
    tokyo, osaka = PREFECTURES[12], PREFECTURES[26]

    def make(variant: Variant, prefecture: Prefecture = tokyo) -> Callable[[random.Random], Report]:
        def build(rng: random.Random) -> Report:
            drawn = Variant(**vars(variant))
            drawn.row_lines = rng.randrange(3, 16)
            return make_report(rng, prefecture, 2021, "pdf", drawn, "report.pdf")

        return build

    def split_table(layout: dict[str, list[int]]) -> bool:
        return len(set(layout.get("row_pages", []))) > 1

    cases: dict[str, tuple[Report, bytes]] = {
        "pdf_table_split_across_pages_header_repeated": _find(
            make(Variant(long_sections=True, repeat_table_header=True)), split_table
        ),
        "pdf_table_split_across_pages_header_not_repeated": _find(
            make(Variant(long_sections=True, repeat_table_header=False, font="cid-gothic")),
            split_table,
        ),
        "pdf_total_row_alone_on_next_page": _find(
            make(Variant(repeat_table_header=False, landscape=True, yen_suffix=True)),
            lambda layout: len(set(layout.get("row_pages", [])[-2:])) == 2,
        ),
        "pdf_section_continues_on_next_page": _find(
            make(Variant(long_sections=True)), lambda layout: bool(layout.get("split_sections"))
        ),
        "pdf_cid_mincho_wave_dash_and_fullwidth_digits": _find(
            make(Variant(font="cid-mincho", period_sep="〜", fullwidth_digits=True), osaka),
            lambda layout: True,
        ),
        "pdf_faux_bold_doubled_glyphs": _find(make(Variant(faux_bold=True)), lambda layout: True),
        "pdf_embedded_font_thousand_yen_yen_suffix": _find(
            make(Variant(thousand_yen=True, yen_suffix=True, heading_style="fullwidth")),
            lambda layout: True,
        ),
    }

    def paragraph_without_bullet(rng: random.Random) -> Report:
        report = make(Variant())(rng)
        extra = "市町の相談窓口にチラシを置くよう依頼した。"
        report.written.bodies[8].append(extra)
        for section in report.truth["sections"]:
            if section["section_no"] == 8:
                section["body"] += "\n" + extra
        return report

    cases["pdf_paragraph_without_bullet"] = _find(paragraph_without_bullet, lambda layout: True)
    for name, (report, data) in cases.items():
        folder = golden / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "report.pdf").write_bytes(data)
        truth = {**report.truth, "file": "report.pdf"}
        (folder / "truth.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
    return list(cases)


def write_printed_cases(golden: Path) -> list[str]:
    """Workbooks and Word files printed to PDF by LibreOffice (the second rendering path),
    one golden case folder each, with the generator's truth (needs soffice)."""
    from tests.corpus.print_office import office_style_xlsx, print_to_pdf
    from tests.corpus.render_office import render_docx, render_xlsx

    cases: dict[str, tuple[Report, bytes]] = {}
    for name, layout, code, seed, borders in (
        ("pdf_libreoffice_docx_one_table", "table", 5, 11, True),
        ("pdf_libreoffice_docx_headed_paragraphs", "paragraphs", 44, 4, True),
        ("pdf_libreoffice_docx_table_without_borders", "paragraphs", 13, 7, False),
        ("pdf_libreoffice_docx_expense_table_split_into_grids", "paragraphs", 22, 9, True),
    ):
        variant = Variant(
            docx_layout=layout,  # type: ignore[arg-type]
            long_sections=borders and "split" not in name,
            table_borders=borders,
            split_table="split" in name,
        )
        report = make_report(
            random.Random(seed), PREFECTURES[code - 1], 2022, "pdf", variant, "report.pdf"
        )
        cases[name] = (report, print_to_pdf(render_docx(report), ".docx"))
    for name, landscape, code, seed in (
        ("pdf_libreoffice_xlsx_a4_portrait", False, 3, 3),
        ("pdf_libreoffice_xlsx_a4_landscape", True, 27, 8),
    ):
        variant = Variant(instructions_sheet=landscape, offset=1 if landscape else 0)
        report = make_report(
            random.Random(seed), PREFECTURES[code - 1], 2021, "pdf", variant, "report.pdf"
        )
        styled = office_style_xlsx(render_xlsx(report), landscape=landscape)
        cases[name] = (report, print_to_pdf(styled, ".xlsx"))
    for name, (report, data) in cases.items():
        folder = golden / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "report.pdf").write_bytes(data)
        truth = {**report.truth, "file": "report.pdf", "format": "pdf"}
        (folder / "truth.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
    return list(cases)


# One golden case per way an office fills the form (issue #13), each in the format where the
# variation is most at home, with the generator's truth.
VARIATION_CASES: dict[str, tuple[Format, dict[str, Any]]] = {
    "txt_excel_unicode_text": ("txt", {"encoding": "utf-16", "long_sections": True}),
    "xlsx_heading_parenthesised_fullwidth": ("xlsx", {"heading_style": "paren"}),
    "pdf_heading_parenthesised": ("pdf", {"heading_style": "paren_ascii"}),
    "docx_heading_dai": ("docx", {"heading_style": "dai"}),
    "txt_heading_colon": ("txt", {"heading_style": "colon"}),
    "txt_prefecture_line_without_colon": ("txt", {"prefecture_sep": "\u3000"}),
    "xlsx_zero_written_as_dash": ("xlsx", {"zero_dash": True, "numbers_as_text": True}),
    "docx_ditto_marks": ("docx", {"ditto": True}),
    "pdf_period_with_weekdays": ("pdf", {"period_style": "weekday"}),
    "xlsx_period_in_western_years": ("xlsx", {"period_style": "western"}),
    "pdf_total_label_spaced": ("pdf", {"total_label": "合\u3000計"}),
    "docx_total_label_kei": ("docx", {"total_label": "計"}),
    "txt_total_label_soukei": ("txt", {"total_label": "総計"}),
    "xlsx_unused_numbered_rows": ("xlsx", {"unused_rows": 3}),
    "pdf_contact_as_small_table": ("pdf", {"contact_layout": "table", "contact_lines": True}),
    "docx_covering_letter": ("docx", {"cover_letter": True}),
    "xlsx_header_of_two_rows": ("xlsx", {"header_rows": 2}),
    "docx_header_of_two_rows": ("docx", {"header_rows": 2, "docx_layout": "paragraphs"}),
    "docx_content_controls": ("docx", {"content_controls": True}),
    "xlsx_period_as_date_cells": ("xlsx", {"period_cells": True}),
    "xlsx_notes_inside_the_grid": ("xlsx", {"notes_in_grid": True}),
    "docx_notes_inside_the_grid": ("docx", {"notes_in_grid": True}),
    "docx_expense_table_split_into_grids": (
        "docx",
        {"split_table": True, "docx_layout": "paragraphs"},
    ),
    "pdf_a4_landscape": ("pdf", {"landscape": True, "long_sections": True}),
    "txt_sheet_margin_as_leading_tabs": ("txt", {"offset": 2}),
    "docx_headings_numbered_by_word": ("docx", {"word_numbering": True}),
    "xlsx_headings_without_numbers": ("xlsx", {"heading_style": "none"}),
    "pdf_headings_without_numbers": ("pdf", {"heading_style": "none"}),
    "txt_headings_without_numbers": ("txt", {"heading_style": "none"}),
    "docx_headed_paragraphs_numbered_by_word": (
        "docx",
        {"word_numbering": True, "docx_layout": "paragraphs"},
    ),
    "xlsx_period_in_shortened_era_dates": ("xlsx", {"period_style": "short"}),
    # a ministry's fillable PDF filled in: the amounts are form fields' values (/V), not
    # the page's text (loaded every amount as 0 with no issue before)
    "pdf_amounts_in_fillable_form_fields": ("pdf", {"form_fields": True}),
}


def write_variation_cases(golden: Path) -> list[str]:
    """One golden case folder per variation: the file and its truth."""
    for index, (name, (fmt, fields)) in enumerate(VARIATION_CASES.items()):
        rng = random.Random(1000 + index)
        variant = Variant(**fields)
        prefecture = PREFECTURES[(index * 5 + 2) % 47]
        file = f"report.{fmt}"
        marker = "〃" if variant.ditto else "－" if variant.zero_dash else ""
        seed = 1000 + index
        report = make_report(rng, prefecture, 2021, fmt, variant, file)
        while marker and not any(marker in cell for row in report.written.rows for cell in row):
            seed += 100  # a draw that shows the variation (two rows with one label, a zero)
            report = make_report(random.Random(seed), prefecture, 2021, fmt, variant, file)
        folder = golden / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / file).write_bytes(RENDERERS[fmt](report))
        (folder / "truth.json").write_text(
            json.dumps(report.truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    return list(VARIATION_CASES)
