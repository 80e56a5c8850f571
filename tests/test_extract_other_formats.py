"""The .xls, .ods and .odt readers give the very Document the xlsx and docx readers give for
the same form (the golden cases, saved by LibreOffice from the generator's files), and refuse
what they cannot read with a reason."""

from __future__ import annotations

import dataclasses
import io
import random
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from extract import read_document, source_info
from extract.errors import FileLimitExceeded, UnreadableFile
from extract.model import Document, SourceInfo
from extract.odf import NS, paragraph_text
from extract.ooxml import OLE_MAGIC
from tests.corpus.convert_office import CASES, with_hidden_copy_and_example
from tests.corpus.model import make_report
from tests.corpus.render_office import render_docx, render_xlsx
from transform.prefectures import PREFECTURES

GOLDEN = Path(__file__).parent / "golden"
PURE = {name: case for name, case in CASES.items() if case[1] != "doc"}
SAME = SourceInfo("0" * 64, "form", 0, "pdf")


def _plain(document: Document) -> Document:
    return dataclasses.replace(
        document, source=SAME, read_path="", following=tuple(map(_plain, document.following))
    )


@pytest.mark.parametrize("name", sorted(PURE))
def test_a_converted_file_reads_as_the_office_file_it_was_saved_from(name: str) -> None:
    source_fmt, target, code, seed, variant, extra = PURE[name]
    report = make_report(
        random.Random(seed),
        PREFECTURES[code - 1],
        2022,
        source_fmt,
        variant,
        "report",
    )
    original = render_xlsx(report) if source_fmt == "xlsx" else render_docx(report)
    if extra:
        original = with_hidden_copy_and_example(original)
    converted = (GOLDEN / name / f"report.{target}").read_bytes()
    expected = read_document(original, source_info(f"r.{source_fmt}", original))
    read = read_document(converted, source_info(f"r.{target}", converted))
    assert _plain(read) == _plain(expected)
    assert (
        read.read_path
        == {
            "xls": "xls: xlrd → xlsx",
            "ods": "ods: OpenDocument → xlsx",
            "odt": "odt: OpenDocument",
        }[target]
    )


def _package(content: str, manifest: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", content)
        if manifest:
            package.writestr("META-INF/manifest.xml", manifest)
    return out.getvalue()


_HEAD = (
    f'<office:document-content xmlns:office="{NS["office"]}" xmlns:table="{NS["table"]}" '
    f'xmlns:text="{NS["text"]}"><office:body><office:spreadsheet>'
)
_TAIL = "</office:spreadsheet></office:body></office:document-content>"


def test_a_password_protected_ods_is_refused_as_such() -> None:
    data = _package(_HEAD + _TAIL, manifest="<manifest:encryption-data/>")
    with pytest.raises(UnreadableFile) as refused:
        read_document(data, source_info("r.ods", data))
    assert refused.value.code == "password_protected"


def test_rows_repeated_a_million_times_with_text_are_refused_not_laid_out() -> None:
    row = (
        '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell office:value-type="string"><text:p>1. 事業名</text:p>'
        "</table:table-cell></table:table-row>"
    )
    data = _package(_HEAD + f'<table:table table:name="S">{row}</table:table>' + _TAIL)
    with pytest.raises(FileLimitExceeded) as refused:
        read_document(data, source_info("r.ods", data))
    assert refused.value.code == "too_many_cells"


@pytest.mark.parametrize(
    ("suffix", "data", "code"),
    [
        ("xls", b"PK\x03\x04 not an OLE file", "xls_damaged"),
        ("xls", OLE_MAGIC + b"\0" * 1024, "xls_damaged"),
        ("xls", b"", "empty_file"),
        ("ods", b"not a zip", "ods_damaged"),
        ("odt", b"", "empty_file"),
        ("odt", OLE_MAGIC + b"\0" * 64, "odt_damaged"),
    ],
)
def test_bytes_that_are_not_the_format_are_refused_with_a_code(
    suffix: str, data: bytes, code: str
) -> None:
    with pytest.raises(UnreadableFile) as refused:
        read_document(data, source_info(f"r.{suffix}", data))
    assert refused.value.code == code


def test_paragraph_text_follows_the_white_space_rules_and_sets_comments_aside() -> None:
    xml = (
        f'<text:p xmlns:text="{NS["text"]}" xmlns:office="{NS["office"]}">  都道府県名'
        '<text:s text:c="2"/>大阪府\n  <text:tab/>注<text:line-break/>次'
        "<office:annotation><text:p>下書き</text:p></office:annotation>の行</text:p>"
    )
    assert paragraph_text(etree.fromstring(xml)) == "都道府県名  大阪府 \t注\n次の行"
