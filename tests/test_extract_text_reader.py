from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract import read_document, source_info
from extract.errors import NotAReport, UnreadableFile
from extract.model import Document
from extract.text_reader import decode_text, read_text, records


def _read(text: str | bytes, name: str = "r.txt") -> Document:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_text(data, source_info(name, data))


MINIMAL = (
    "実績報告書\n都道府県名: 山口県\n"
    "1. 事業名\t事業A\t\t\n"
    "2. 実施期間\t令和3年4月1日 ~ 令和4年3月31日\n"
    "9. 経費の内訳 (単位:円)\t\t\n"
    "事業番号\t個別事業名\t公募要領の取組例\t予算措置年度\t交付決定事業\t総事業費(A=B+C+D)"
    "\t本交付金(B)\t他の寄付金等(C)\t自己資金(D)\t備考\n"
    "①\t事業A\t1\t3年度当初予算\t3年度当初予算\t100\t100\t\t\t\n"
    "\t合計\t\t\t\t100\t100\t0\t0\t\n"
    "10. 担当者名及び連絡先\t<p>氏名: 見本</p>\n"
    "11. 事業実施及び連携工程\t様式4-1-1に記載\n"
    "\n注1)記入上の注意。\n"
)


def test_real_report_sections_tables_and_notes(real_report_bytes: bytes) -> None:
    doc = read_document(real_report_bytes, source_info("real.txt", real_report_bytes))
    assert doc.title == "地域女性活躍推進交付金実績報告書(都道府県分)"
    assert doc.prefecture_line == "都道府県名: 山口県"
    assert [s.number for s in doc.sections] == list(range(1, 12))
    assert doc.section(9).heading == "経費の内訳 (単位:円)"  # type: ignore[union-attr]
    table = doc.table(9)
    assert table is not None and len(table.header) == 10
    assert [r.cells[1] for r in table.rows] == ["つながりサポート事業", "合計"]
    assert table.rows[0].cells[7] == ""  # the blank column C, kept blank
    assert len(doc.notes) == 6
    assert all("注" not in s.body[:2] for s in doc.sections)
    assert "<p>" not in "".join(s.body for s in doc.sections)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_encodings_are_told_apart(encoding: str, real_report_bytes: bytes) -> None:
    text = real_report_bytes.decode("utf-8")
    assert decode_text(text.encode(encoding)) == text


def test_undecodable_bytes_are_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="UTF-8 でも Shift_JIS"):
        decode_text(b"\x81\x00\xff\xfe\x80\x81" * 10)


@pytest.mark.parametrize("data", [b"", b"  \r\n\t"])
def test_empty_files_are_unreadable(data: bytes) -> None:
    with pytest.raises(UnreadableFile, match="空のファイル"):
        _read(data)


@pytest.mark.parametrize(
    ("first_heading", "second_heading"),
    [("1. 事業名", "2. 実施期間"), ("１．事業名", "２．実施期間"), ("1 事業名", "2 実施期間")],
)
def test_heading_styles(first_heading: str, second_heading: str) -> None:
    text = MINIMAL.replace("1. 事業名", first_heading).replace("2. 実施期間", second_heading)
    doc = _read(text)
    assert [(s.number, s.heading) for s in doc.sections[:2]] == [(1, "事業名"), (2, "実施期間")]


def test_paragraphs_and_bullets_become_lines() -> None:
    doc = _read(
        MINIMAL.replace("事業A\t\t\n", "<p>○一つ目。 ○二つ目。</p> <p>三つ目&amp;</p>\t\n", 1)
    )
    assert doc.section(1).body == "○一つ目。\n○二つ目。\n三つ目&"  # type: ignore[union-attr]


def test_provenance_is_the_line_number() -> None:
    doc = _read(MINIMAL)
    assert doc.section(1).provenance.line == 3  # type: ignore[union-attr]
    assert doc.table(9).rows[0].provenance.describe() == "7行目"  # type: ignore[union-attr]


def test_notes_and_trailing_tabs_are_not_content() -> None:
    doc = _read(MINIMAL)
    assert doc.notes == ("注1)記入上の注意。",)
    assert doc.section(11).body == "様式4-1-1に記載"  # type: ignore[union-attr]
    assert all(len(r.cells) == 10 for r in doc.table(9).rows)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    ["これはチラシです。\n参加者募集！\n", "都道府県名: 山口県\nほかには何もない\n"],
)
def test_files_that_are_not_the_form(text: str) -> None:
    with pytest.raises(NotAReport):
        _read(text)


def test_nul_bytes_are_not_text() -> None:
    with pytest.raises(UnreadableFile):
        _read("都道府県名\x00".encode())


# Every character str.splitlines() breaks at besides CR and LF: vertical tab, form feed, the
# C0 file/group/record separators, NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR.
LINE_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"
CELL = st.text(
    alphabet=st.sampled_from(list(LINE_BREAKS) + list("相談事業abc 123")), min_size=1, max_size=12
).filter(lambda t: t.strip() != "")


@given(st.lists(st.tuples(CELL, CELL), min_size=1, max_size=4), st.sampled_from(["\n", "\r\n"]))
def test_rows_split_only_at_cr_and_lf(rows: list[tuple[str, str]], newline: str) -> None:
    lines = MINIMAL.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("①"))
    body = [
        f"{n}\t{name}\t1\t3年度当初予算\t3年度当初予算\t100\t100\t\t\t{remark}"
        for n, (name, remark) in enumerate(rows, start=1)
    ]
    text = newline.join(lines[:at] + body + lines[at + 1 :]) + newline
    table = _read(text).table(9)
    assert table is not None
    read = [r for r in table.rows if "合計" not in r.cells]
    assert [(r.cells[1], r.cells[9]) for r in read] == [
        (name.strip(), remark.strip()) for name, remark in rows
    ]


def test_records_end_at_cr_lf_and_crlf_only() -> None:
    assert records("a\u2028b\rc\r\nd\x85e\tg\nf\n") == [
        (1, ["a\u2028b"]),
        (2, ["c"]),
        (3, ["d\x85e", "g"]),
        (4, ["f"]),
    ]


def test_excel_quoted_cells_hold_line_breaks_tabs_and_quotes() -> None:
    text = 'a\t"two\r\nlines"\tb\r\n"say ""hi""\tthere"\tc\r\n"open\td\r\n'
    assert records(text) == [
        (1, ["a", "two\r\nlines", "b"]),
        (3, ['say "hi"\tthere', "c"]),
        (4, ['"open', "d"]),  # a quote that never closes is a plain character
    ]


def _unicode_text(text: str) -> bytes:
    """As Excel saves 「Unicode テキスト」: UTF-16 LE with a BOM, CRLF, quoted cells."""
    return "\ufeff".encode("utf-16-le") + text.replace("\n", "\r\n").encode("utf-16-le")


def test_excels_unicode_text_is_read() -> None:
    lines = MINIMAL.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("①"))
    lines[at] = '①\t"事業\nA"\t1\t3年度当初予算\t3年度当初予算\t100\t100\t\t\t"備考 ""注"""'
    at = next(i for i, line in enumerate(lines) if line.startswith("2."))
    lines.insert(at + 1, '3. 事業の趣旨・目的\t"<p>○一つ目</p>\n<p>○二つ目</p>"')
    data = _unicode_text("\n".join(lines) + "\n")
    doc = read_text(data, source_info("unicode.txt", data))
    table = doc.table(9)
    assert table is not None
    assert (table.rows[0].cells[1], table.rows[0].cells[9]) == ("事業A", '備考 "注"')
    assert doc.section(3).body == "○一つ目\n○二つ目"  # type: ignore[union-attr]
    assert doc.section(9).provenance.line is not None  # type: ignore[union-attr]


def test_a_header_of_two_rows() -> None:
    from tests.test_extract_xlsx_reader import TWO_ROW_HEADER

    lines = MINIMAL.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("事業番号"))
    lines[at : at + 1] = TWO_ROW_HEADER
    table = _read("\n".join(lines)).table(9)
    assert table is not None
    assert table.header[5] == "経費総事業費(A=B+C+D)" and table.header[6] == "本交付金(B)"
    assert [r.cells[5] for r in table.rows] == ["100", "100"]  # the row and the 合計


def test_a_covering_letter_before_the_form() -> None:
    letter = (
        "見本第123号\n令和4年4月28日\n内閣府男女共同参画局長 殿\n見本県知事 見本 太郎\n"
        "地域女性活躍推進交付金に係る実績報告について\n標記について、下記のとおり報告します。\n記\n"
    )
    doc = _read(letter + MINIMAL)
    assert doc.title == "実績報告書"
    assert doc.prefecture_line == "都道府県名: 山口県"
    assert [s.number for s in doc.sections] == [1, 2, 9, 10, 11]


def test_two_forms_one_after_another_are_two_documents() -> None:
    second = MINIMAL.replace("山口県", "広島県").replace("事業A", "事業B")
    doc = _read(MINIMAL + "\n" + second)
    first, other = doc.forms
    assert (first.form, other.form) == (1, 2)
    assert first.prefecture_line.endswith("山口県") and other.prefecture_line.endswith("広島県")
    assert other.title == "実績報告書"
    assert [s.number for s in first.sections] == [s.number for s in other.sections]
    assert first.section(11).body == "様式4-1-1に記載"  # type: ignore[union-attr]
    assert _read(MINIMAL).forms == (_read(MINIMAL),)


@pytest.mark.parametrize("margin", [1, 2])
def test_a_sheets_blank_margin_exported_as_leading_tabs_is_dropped(margin: int) -> None:
    plain = _read(MINIMAL)
    shifted = _read("\n".join("\t" * margin + line for line in MINIMAL.split("\n")))
    assert [(s.number, s.heading, s.body) for s in shifted.sections] == [
        (s.number, s.heading, s.body) for s in plain.sections
    ]
    assert shifted.table(9).header == plain.table(9).header  # type: ignore[union-attr]
    assert [r.cells for r in shifted.table(9).rows] == [  # type: ignore[union-attr]
        r.cells
        for r in plain.table(9).rows  # type: ignore[union-attr]
    ]
    # the total row keeps its blank 事業番号: only the margin common to every line goes
    assert shifted.table(9).rows[-1].cells[:2] == ("", "合計")  # type: ignore[union-attr]


def test_the_same_export_with_commas_reads_the_same() -> None:
    """Excel's 「CSV（コンマ区切り）」: cells split at commas, a cell holding a comma quoted."""
    import csv
    import io

    text = MINIMAL.replace("①\t事業A", "①\t事業A, 広報").replace("\t100\t100\t", "\t1,000\t1,000\t")
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(line.split("\t") for line in text.split("\n"))
    as_csv, as_tsv = _read(out.getvalue(), "r.csv"), _read(text, "r.txt")
    assert [(s.number, s.heading, s.body) for s in as_csv.sections] == [
        (s.number, s.heading, s.body) for s in as_tsv.sections
    ]
    assert as_csv.table(9).header == as_tsv.table(9).header  # type: ignore[union-attr]
    rows = [r.cells for r in as_csv.table(9).rows]  # type: ignore[union-attr]
    assert rows == [r.cells for r in as_tsv.table(9).rows]  # type: ignore[union-attr]
    assert rows[0][1] == "事業A, 広報" and rows[0][5] == "1,000"
    # saved as .txt, a file without a single tab is that CSV too
    assert _read(out.getvalue(), "r.txt").sections == as_csv.sections


def test_a_first_row_whose_remark_names_the_donation_is_a_row_not_a_header(
    real_report_bytes: bytes,
) -> None:
    """注5 asks offices to write the donor in 備考 (「寄付金(民間企業)」); 寄付金 is also a
    header word, and the table's first row carrying it was once taken for a second header row
    and dropped (19 of 48 files of the independent tester's corpus)."""
    text = real_report_bytes.decode("utf-8")
    row = next(line for line in text.splitlines() if line.startswith("①"))
    with_remark = row.rstrip("\t") + "\t" * (row.endswith("\t")) + "寄付金(民間企業)"
    before = read_document(real_report_bytes, source_info("real.txt", real_report_bytes))
    changed = text.replace(row, with_remark).encode("utf-8")
    after = read_document(changed, source_info("real.txt", changed))
    rows_before = before.tables[0].rows
    rows_after = after.tables[0].rows
    assert len(rows_after) == len(rows_before)
    assert rows_after[0].cells[0] == "①"
    assert "寄付金(民間企業)" in rows_after[0].cells[-1]
