"""Hostile and unusual inputs, each with what a run must do with it (issue #12).

Every case writes its file(s) into a folder of its own and says what must happen to them:
quarantined with a reason, not read (reported, tried again next run), or loaded (with the
issues it must raise and a check of what was stored). ``tests/test_robustness.py`` runs all
of them together with the sample through the real flow; ``python -m tests.hostile`` times
each case alone through the guarded pipeline and prints the table of the closing note.

Names are invented; e-mail addresses are on example.*.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from tests.support import decompression_bomb_pdf, minimal_pdf

Outcome = Literal["quarantined", "not_read", "loaded"]
DEEP_CASE = "nested_1500_folders"

HEADER = (
    "事業番号\t個別事業名\t公募要領の取組例\t予算措置年度\t交付決定事業\t総事業費(A=B+C+D)"
    "\t本交付金(B)\t他の寄付金等(C)\t自己資金(D)\t備考"
)
ROWS = (
    "①\t相談事業\t5\t3年度当初予算\t2年度補正予算\t1,000,000\t700,000\t\t300,000\t",
    "②\t居場所づくり\t1\t3年度当初予算\t2年度補正予算\t500,000\t400,000\t\t100,000\t",
)
TOTAL = "\t合計\t\t\t\t1,500,000\t1,100,000\t0\t400,000\t"
CONTACT = (
    "所属部署: 見本県 男女共同参画課 氏名: 見本 花子 電話番号: 083-000-0000 "
    "電子メールアドレス: hanako@example.jp"
)


def form(
    *,
    prefecture: str = "山口県",
    title: str = "見本つながり事業",
    period: str = "令和3年4月1日 ~ 令和4年3月31日",
    unit: str = "(単位:円)",
    rows: tuple[str, ...] = ROWS,
    total: str = TOTAL,
    section8: str = "<p>県とNPOの協働</p>",
    heading10: str = "10. 担当者名及び連絡先",
    contact: str = CONTACT,
) -> str:
    """The text export of one report, with the parts a case changes."""
    return "\n".join(
        [
            "地域女性活躍推進交付金実績報告書(都道府県分)",
            f"都道府県名: {prefecture}",
            f"1. 事業名\t{title}",
            f"2. 実施期間\t{period}",
            "3. 事業の趣旨・目的\t<p>○孤立する女性の支援</p>",
            "4. 事業内容\t<p>○相談と居場所づくり</p>",
            "8. 事業の実施体制\t" + section8,
            f"9. 経費の内訳 {unit}",
            HEADER,
            *rows,
            total,
            f"{heading10}\t<p>{contact}</p>",
            "11. 事業実施及び連携工程\t様式4-1-1に記載",
        ]
    )


def _text(name: str, text: str, encoding: str = "utf-8") -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        path = folder / name
        path.write_bytes(text.encode(encoding))
        return []

    return build


def _bytes(name: str, data: Callable[[], bytes]) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        (folder / name).write_bytes(data())
        return []

    return build


def cyclic_pdf() -> bytes:
    """A page tree whose Pages node lists itself as its own kid."""
    return minimal_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def no_pages_pdf() -> bytes:
    """A catalog whose page tree points at nothing."""
    return minimal_pdf(
        [b"<< /Type /Catalog /Pages 9 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    )


def _billion_laughs() -> bytes:
    entities = [b'<!ENTITY lol "lol">']
    for n in range(2, 10):
        previous = b"lol" if n == 2 else b"lol%d" % (n - 1)
        entities.append(b'<!ENTITY lol%d "%s">' % (n, (b"&" + previous + b";") * 10))
    return b'<?xml version="1.0"?><!DOCTYPE lolz [' + b"".join(entities) + b"]>"


_LOL = _billion_laughs()


def _office_with(part: str, xml: bytes, kind: Literal["docx", "xlsx"]) -> bytes:
    """A real Word or Excel package whose main part is replaced by ``xml``."""
    buffer = io.BytesIO()
    if kind == "docx":
        import docx

        docx.Document().save(buffer)
    else:
        import openpyxl

        openpyxl.Workbook().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for item in source.infolist():
            package.writestr(item, xml if item.filename == part else source.read(item.filename))
    return out.getvalue()


def docx_entity_bomb() -> bytes:
    body = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    body += b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    return _office_with("word/document.xml", _LOL + body, "docx")


def docx_external_entity() -> bytes:
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
    )
    return _office_with("word/document.xml", xml, "docx")


def xlsx_entity_bomb() -> bytes:
    body = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    body += b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    body += b"</sheetData></worksheet>"
    return _office_with("xl/worksheets/sheet1.xml", _LOL + body, "xlsx")


def _fifo(folder: Path) -> list[Path]:
    os.mkfifo(folder / "pipe.txt")
    return []


def _link(name: str, target: str) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        (folder / name).symlink_to(target)
        return []

    return build


def _sparse(folder: Path) -> list[Path]:
    with open(folder / "huge.pdf", "wb") as handle:
        handle.truncate(100 * 1024**3)  # 100 GiB, no block written
    return []


def _deep(folder: Path) -> list[Path]:
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(1500):  # one level at a time, by descriptor: no path gets long
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        report = os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(report, form(title="深すぎる階層").encode("utf-8"))
        os.close(report)
    finally:
        os.close(fd)
    return []


def _non_utf8_name(folder: Path) -> list[Path]:
    name = os.fsdecode(b"report_\xff\xfe.txt")
    (folder / name).write_text(form(title="名前がUTF-8でない"), encoding="utf-8")
    return []


def _named_twice(folder: Path) -> list[Path]:
    path = folder / "twice.txt"
    path.write_text(form(title="二度指定された報告"), encoding="utf-8")
    return [path, folder]  # the file and its folder are also named on the command line


def _dir_loop(folder: Path) -> list[Path]:
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    return []


def _rows_with(mark: str) -> tuple[str, ...]:
    return (
        f"①\t相談{mark}事業\t5\t3年度当初予算\t2年度補正予算\t1,000,000\t700,000\t\t300,000\t",
        f"②\t居場所{mark}づくり\t1\t3年度当初予算\t2年度補正予算\t500,000\t400,000\t\t100,000\t",
    )


Check = Callable[[duckdb.DuckDBPyConnection, str], None]


def _expense_names(conn: duckdb.DuckDBPyConnection, report_id: str) -> list[str]:
    rows = conn.execute(
        "select item_name from expense_items where report_id = ? order by row_order", [report_id]
    ).fetchall()
    return [r[0] for r in rows]


def _two_rows_intact(mark: str) -> Check:
    def check(conn: duckdb.DuckDBPyConnection, report_id: str) -> None:
        assert _expense_names(conn, report_id) == [f"相談{mark}事業", f"居場所{mark}づくり"]

    return check


def _contact_kept_apart(conn: duckdb.DuckDBPyConnection, report_id: str) -> None:
    (phone,) = conn.execute(
        "select phone from contacts where report_id = ?", [report_id]
    ).fetchone() or (None,)
    assert phone == "083-000-0000"
    everywhere = conn.execute(
        "select string_agg(coalesce(item_name, '') || coalesce(remarks, ''), '') "
        "from expense_items where report_id = ?",
        [report_id],
    ).fetchone()
    assert "083-000-0000" not in (everywhere[0] or "") if everywhere else True
    assert _expense_names(conn, report_id) == ["相談事業", "居場所づくり"]


def _section8_withheld(conn: duckdb.DuckDBPyConnection, report_id: str) -> None:
    from transform.privacy import WITHHELD

    (body,) = conn.execute(
        "select body from report_sections where report_id = ? and section_no = 8", [report_id]
    ).fetchone() or (None,)
    assert body == WITHHELD


def _first_item_withheld(conn: duckdb.DuckDBPyConnection, report_id: str) -> None:
    from transform.privacy import WITHHELD

    rows = conn.execute(
        "select item_name, remarks from expense_items where report_id = ? order by row_order",
        [report_id],
    ).fetchall()
    assert rows == [(WITHHELD, WITHHELD), ("居場所づくり", None)]


def _period_is(start: str) -> Check:
    def check(conn: duckdb.DuckDBPyConnection, report_id: str) -> None:
        (found,) = conn.execute(
            "select period_start::varchar from reports where report_id = ?", [report_id]
        ).fetchone() or (None,)
        assert found == start

    return check


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    build: Callable[[Path], list[Path]]
    outcome: Outcome
    reason: str = ""  # a pattern the quarantine / not-read reason must match
    rules: frozenset[tuple[str, str]] = frozenset()  # (rule, severity) a loaded one raises
    check: Check | None = None
    slow: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def _rules(*pairs: str) -> frozenset[tuple[str, str]]:
    return frozenset(tuple(p.split(":")) for p in pairs)  # type: ignore[misc]


EM = "\u2003"
CASES: tuple[Case, ...] = (
    # -- amounts -----------------------------------------------------------------------
    Case(
        "amount_over_bigint",
        "a row amount of 23 digits",
        _text(
            "big.txt",
            form(
                rows=(
                    "①\t相談\t5\t3年度当初予算\t2年度補正予算\t99999999999999999999999\t0\t\t0\t",
                )
            ),
        ),
        "quarantined",
        r"金額として大きすぎます",
    ),
    Case(
        "thousand_yen_overflow",
        "a 千円 table whose yen value overflows BIGINT",
        _text(
            "big_sen.txt",
            form(
                unit="(単位:千円)",
                rows=("①\t相談\t5\t3年度当初予算\t2年度補正予算\t9223372036854776\t0\t\t0\t",),
            ),
        ),
        "quarantined",
        r"金額として大きすぎます",
    ),
    Case(
        "total_overflows",
        "rows that fit and a 合計 that does not",
        _text("big_total.txt", form(total="\t合計\t\t\t\t99999999999999999999\t0\t0\t0\t")),
        "quarantined",
        r"合計.*大きすぎます",
    ),
    Case(
        "amount_yen_inside",
        "「12円34」",
        _text(
            "yen_inside.txt",
            form(rows=("①\t相談\t5\t3年度当初予算\t2年度補正予算\t12円34\t12円34\t\t0\t",)),
        ),
        "quarantined",
        r"「12円34」は金額として読めません",
    ),
    Case(
        "amount_katakana_minus",
        "「ー500」 (katakana prolonged-sound mark as a minus)",
        _text(
            "katakana_minus.txt",
            form(rows=("①\t相談\t5\t3年度当初予算\t2年度補正予算\tー500\tー500\t\t0\t",)),
        ),
        "quarantined",
        r"「ー500」は金額として読めません",
    ),
    Case(
        "line_no_over_integer",
        "事業番号 99999999999",
        _text(
            "line_no.txt",
            form(rows=("99999999999\t相談\t5\t3年度当初予算\t2年度補正予算\t10\t10\t\t0\t",)),
        ),
        "quarantined",
        r"事業番号「99999999999」: 行番号（1～999）として読めません",
    ),
    Case(
        "implausible_row",
        "one row of 20億円 (fits, but not this grant)",
        _text(
            "implausible.txt",
            form(
                rows=(
                    "①\t相談\t5\t3年度当初予算\t2年度補正予算\t2,000,000,000\t2,000,000,000\t\t0\t",
                ),
                total="\t合計\t\t\t\t2,000,000,000\t2,000,000,000\t0\t0\t",
            ),
        ),
        "loaded",
        rules=_rules("amount_implausible:warning"),
    ),
    Case(
        "thousand_yen_under_a_yen_heading",
        "amounts in 千円 under (単位:円): a whole report of 1,500 yen",
        _text(
            "sen_as_yen.txt",
            form(
                rows=(
                    "①\t相談\t5\t3年度当初予算\t2年度補正予算\t1,000\t700\t\t300\t",
                    "②\t居場所づくり\t1\t3年度当初予算\t2年度補正予算\t500\t400\t\t100\t",
                ),
                total="\t合計\t\t\t\t1,500\t1,100\t0\t400\t",
            ),
        ),
        "loaded",
        rules=_rules("total_implausibly_small:warning"),
    ),
    # -- dates -------------------------------------------------------------------------
    Case(
        "meiji_period",
        "明治元年4月1日～明治2年3月31日 (a real date, long before the grant)",
        _text("meiji.txt", form(period="明治元年4月1日～明治2年3月31日")),
        "loaded",
        rules=_rules("period:warning"),
        check=_period_is("1868-04-01"),
    ),
    Case(
        "reiwa_year_zero",
        "令和0年4月1日",
        _text("reiwa0.txt", form(period="令和0年4月1日 ~ 令和1年3月31日")),
        "quarantined",
        r"令和に0年はありません",
    ),
    Case(
        "reiwa_before_it_began",
        "令和元年1月4日 (令和 began on 2019-05-01)",
        _text("reiwa_jan.txt", form(period="令和元年1月4日 ~ 令和2年3月31日")),
        "quarantined",
        r"令和は2019-05-01に始まりました",
    ),
    Case(
        "reiwa_99",
        "令和99年 (fiscal 2117)",
        _text("reiwa99.txt", form(period="令和99年4月1日 ~ 令和100年3月31日")),
        "loaded",
        rules=_rules("period:warning"),
    ),
    Case(
        "heisei_32",
        "平成32年 for 2020 (a form printed before the change of era)",
        _text("heisei32.txt", form(period="平成32年4月1日 ~ 平成33年3月31日")),
        "loaded",
        rules=_rules("period:warning"),
        check=_period_is("2020-04-01"),
    ),
    Case(
        "period_padded_with_em_spaces",
        "a 実施期間 padded with 300,000 EM SPACEs",
        _text("em_spaces.txt", form(period="令和3年4月1日" + EM * 300_000 + "~ 令和4年3月31日")),
        "loaded",
        check=_period_is("2021-04-01"),
    ),
    # -- text ------------------------------------------------------------------------
    Case(
        "contact_one_long_line",
        "a 3 MB contact block on one line (once quadratic in the e-mail pattern)",
        _text("long_contact.txt", form(contact="連絡先 " + "a." * 1_500_000 + " 以上")),
        "loaded",
        rules=_rules("contact_missing:warning"),
    ),
    Case(
        "u2028_in_a_cell",
        "LINE SEPARATOR inside expense cells",
        _text("u2028.txt", form(rows=_rows_with("\u2028"))),
        "loaded",
        check=_two_rows_intact("\u2028"),
    ),
    Case(
        "nel_in_a_cell",
        "NEL (U+0085) and a form feed inside expense cells",
        _text("nel.txt", form(rows=_rows_with("\u0085\u000c"))),
        "loaded",
        check=_two_rows_intact("\u0085\u000c"),
    ),
    Case(
        "nul_bytes",
        "a text export with NUL bytes",
        _text("nul.txt", "実績報告書\x00\x00" * 10),
        "quarantined",
        r"NUL 文字",
    ),
    Case(
        "neither_utf8_nor_cp932",
        "bytes valid in no encoding a text export uses",
        _bytes("garbage.txt", lambda: bytes(range(128, 256)) * 40),
        "quarantined",
        r"UTF-8 でも Shift_JIS",
    ),
    # -- personal data -----------------------------------------------------------------
    *(
        Case(
            f"contact_heading_{slug}",
            f"section 10's heading written 「{heading}」",
            _text(f"heading_{slug}.txt", form(heading10=heading)),
            "loaded",
            check=_contact_kept_apart,
        )
        for slug, heading in (
            ("fullwidth_colon", "10：担当者名及び連絡先"),
            ("fullwidth_digits", "１０．担当者名及び連絡先"),
            ("space", "10 担当者名及び連絡先"),
            ("parenthesised", "(10)担当者名及び連絡先"),
            ("toiawase", "10. 問い合わせ先"),  # issue 24: became expense item ③
            ("shoukai_unnumbered", "照会先"),
            ("renrakusaki_bracketed", "【連絡先】"),
        )
    ),
    Case(
        "phone_in_an_amount_cell",
        "「090ー1234ー5678」 (katakana dashes) as 総事業費: the reason must not quote it",
        _text(
            "phone_amount.txt",
            form(rows=("①\t相談\t5\t3年度当初予算\t2年度補正予算\t090ー1234ー5678\t0\t\t0\t",)),
        ),
        "quarantined",
        r"^(?!.*1234).*「〔電話番号〕」は金額として読めません",
    ),
    Case(
        "e_mail_as_the_period",
        "a full-width e-mail address as 実施期間",
        _text("mail_period.txt", form(period="ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ")),
        "quarantined",
        r"^(?!.*ｈａｎａｋｏ)実施期間: 「〔メールアドレス〕」",
    ),
    *(
        Case(
            f"phone_in_item_name_{slug}",
            f"a phone written 「{phone}」 in 個別事業名 and 備考",
            _text(
                f"phone_item_{slug}.txt",
                form(
                    rows=(
                        f"①\t相談 {phone}\t5\t3年度当初予算\t2年度補正予算\t1,000,000\t700,000"
                        f"\t\t300,000\t問合せ {phone}",
                        ROWS[1],
                    )
                ),
            ),
            "loaded",
            rules=_rules("personal_data_misplaced:error"),
            check=_first_item_withheld,
        )
        for slug, phone in (
            ("katakana_dash", "090ー1234ー5678"),
            ("minus_sign", "090−1234−5678"),
            ("en_dash", "090–1234–5678"),
            ("hyphen", "090‐1234‐5678"),
            ("plus81", "+81-90-1234-5678"),
            ("spaces", "090 1234 5678"),
        )
    ),
    Case(
        "contact_name_in_section8",
        "the contact's own name (without its space) in section 8",
        _text("name_in_8.txt", form(section8="<p>担当: 見本花子</p>")),
        "loaded",
        rules=_rules("personal_data_misplaced:error"),
        check=_section8_withheld,
    ),
    # -- names are data ---------------------------------------------------------------
    Case(
        "name_with_an_html_tag",
        "a report named 「<img src=x onerror=alert(1)>.txt」 (escaped in the artifact)",
        _text("<img src=x onerror=alert(1)>.txt", form(title="名前にタグ")),
        "loaded",
    ),
    Case(
        "name_with_esc_and_bel",
        "a broken file whose name clears the screen and rings the bell",
        _text("bell\x07\x1b[2J.txt", "実績報告書\x00"),
        "quarantined",
        r"NUL 文字",
    ),
    Case(
        "name_forging_summary_lines",
        "a report whose name holds 「\\nloaded: 999\\nquarantined: 0\\n」",
        _text("r\nloaded: 999\nquarantined: 0\nr.txt", form(title="行を偽る名前")),
        "loaded",
    ),
    Case(
        "contact_block_misplaced",
        "the contact block pasted into section 8",
        _text("misplaced.txt", form(section8=f"<p>{CONTACT}</p>")),
        "loaded",
        rules=_rules("personal_data_misplaced:error"),
        check=_section8_withheld,
    ),
    # -- formats -----------------------------------------------------------------------
    Case(
        "pdf_decompression_bomb",
        "a one-page PDF whose stream inflates to 1.2 GB",
        _bytes("bomb.pdf", lambda: decompression_bomb_pdf(1200)),
        "quarantined",
        r"メモリ|制限時間",  # whichever limit trips first: both stop it
        slow=True,
    ),
    Case(
        "pdf_cyclic_page_tree",
        "a page tree that lists itself as a kid",
        _bytes("cyclic.pdf", cyclic_pdf),
        "quarantined",
        r"ページの構造|壊れています|入れ子が深すぎ|文字がまったくありません",
    ),
    Case(
        "pdf_broken_page_tree",
        "a catalog whose page tree points at nothing",
        _bytes("no_pages.pdf", no_pages_pdf),
        "quarantined",
        r"読めるページがありません",
    ),
    Case(
        "docx_entity_bomb",
        "a Word document declaring a billion laughs",
        _bytes("lol.docx", docx_entity_bomb),
        "quarantined",
        r"際限なく展開される定義",
    ),
    Case(
        "docx_external_entity",
        "a Word document pulling in /etc/passwd (XXE)",
        _bytes("xxe.docx", docx_external_entity),
        "quarantined",
        r"実績報告書の様式ではありません|XML",
    ),
    Case(
        "xlsx_entity_bomb",
        "a workbook declaring a billion laughs",
        _bytes("lol.xlsx", xlsx_entity_bomb),
        "quarantined",
        r"際限なく展開される定義",
    ),
    # -- the file system ---------------------------------------------------------------
    Case("fifo", "a FIFO named like a report", _fifo, "not_read", r"通常のファイルではありません"),
    Case(
        "link_out_of_the_inbox",
        "a link to /etc/shadow",
        _link("shadow.txt", "/etc/shadow"),
        "not_read",
        r"フォルダの外",
    ),
    Case(
        "link_to_dev_zero",
        "a link to /dev/zero",
        _link("zero.pdf", "/dev/zero"),
        "not_read",
        r"フォルダの外|通常のファイルではありません",
    ),
    Case(
        "sparse_100_gib",
        "a sparse file of 100 GiB",
        _sparse,
        "not_read",
        r"ファイルが大きすぎます",
    ),
    Case(
        DEEP_CASE,
        "a report 1,500 folders deep",
        _deep,
        "not_read",
        r"フォルダの階層が深すぎます",
    ),
    Case(
        "name_not_utf8",
        "a file name that is not UTF-8",
        _non_utf8_name,
        "not_read",
        r"UTF-8 ではない",
    ),
    Case(
        "folder_link_loop",
        "a link from a folder to itself",
        _dir_loop,
        "not_read",
        r"フォルダへのリンク",
    ),
    Case(
        "named_twice",
        "a file named on the command line, in a folder also named twice",
        _named_twice,
        "loaded",
    ),
)


# -- the warehouse through an analyst's connection (issue #24, item 6) ----------------------
@dataclass(frozen=True)
class Escape:
    """Statements an analyst might run to get past the read-only connection; ``{out}`` is a
    file it must not create, ``{other}`` a database it must not create, ``{db}`` the live
    warehouse. ``refused`` is what ``jokatsu sql`` must say."""

    name: str
    sql: str
    refused: str


ESCAPES: tuple[Escape, ...] = (
    Escape("copy_contacts_to_a_file", "copy (select * from contacts) to '{out}'", "writes no file"),
    Escape("copy_table_to_a_file", "copy contacts to '{out}' (header)", "writes no file"),
    Escape("export_database", "export database '{out}'", "writes no file"),
    Escape("read_text_passwd", "select * from read_text('/etc/passwd')", "no file but"),
    Escape("read_csv_passwd", "select * from read_csv('/etc/passwd')", "no file but"),
    Escape("glob_etc", "select * from glob('/etc/*')", "no file but"),
    Escape("attach_another_database", "attach '{other}' as other", "attaches"),
    Escape(
        "detach_attach_delete",
        "use memory; detach warehouse; attach '{db}' as live; delete from live.expense_items",
        "changes no setting",  # its first statement (use) is refused: nothing runs
    ),
    Escape("set_external_access_on", "set enable_external_access = true", "changes no setting"),
    Escape("reset_the_lock", "reset lock_configuration", "changes no setting"),
    Escape("pragma_a_setting", "pragma enable_profiling", "changes no setting"),
    Escape("install_an_extension", "install fts", "extension"),
    Escape("load_an_extension", "load fts", "extension"),
    Escape("delete_rows", "delete from expense_items", "changes no table"),
    Escape("create_a_table", "create table x as select 1", "changes no table"),
)


def escape_sql(escape: Escape, db: Path, scratch: Path) -> str:
    """An escape's statements aimed at this warehouse and a scratch folder."""
    return escape.sql.format(out=scratch / "out.csv", other=scratch / "other.duckdb", db=db)


def escape_left_no_trace(db: Path, scratch: Path, items_before: int) -> None:
    """Nothing written beside the scratch folder, the live warehouse unchanged."""
    assert not (scratch / "out.csv").exists() and not (scratch / "other.duckdb").exists()
    with duckdb.connect(str(db), read_only=True) as conn:
        assert conn.execute("select count(*) from expense_items").fetchone() == (items_before,)


def remove_deep(root: Path) -> None:
    """Remove a tree that may hold the 1,500-level chain (``shutil.rmtree`` recurses once
    per level and fails there, and so would pytest's own clean-up of its temporary folders:
    the suite builds the cases outside them). The chain is first flattened level by level."""
    import shutil

    if not root.exists():
        return
    for top in [root / DEEP_CASE, *(p / DEEP_CASE for p in root.iterdir() if p.is_dir())]:
        if not top.is_dir():
            continue
        level, number = top / "d", 0
        while (level / "d").is_dir():
            number += 1
            os.rename(level / "d", top / f"level{number}")
            level = top / f"level{number}"
    shutil.rmtree(root, ignore_errors=True)


def build_all(root: Path, cases: tuple[Case, ...] = CASES) -> dict[str, tuple[Path, list[Path]]]:
    """Write every case into ``root/<case>/``; returns each case's folder and extra paths."""
    built = {}
    for case in cases:
        folder = root / case.name
        folder.mkdir(parents=True)
        built[case.name] = (folder, case.build(folder))
    return built


def matches(case: Case, reason: str) -> bool:
    return re.search(case.reason, reason) is not None


def _table(root: Path) -> None:
    """Each case alone through the scan and the guarded pipeline: outcome and seconds."""
    from flows.guard import GuardedReader
    from flows.limits import Limits
    from flows.planning import hash_files
    from flows.stages import Rejected, process_batch

    built = build_all(root)
    print("| case | input | outcome | reason or issues | seconds |")
    print("| --- | --- | --- | --- | --- |")
    with GuardedReader(Limits(seconds=60, memory_mb=768)) as reader:
        for case in CASES:
            folder, extra = built[case.name]
            started = time.perf_counter()
            scan = hash_files([folder, *extra])
            outcomes = process_batch(reader, scan.sources, reader.today)
            seconds = time.perf_counter() - started
            if scan.refused:
                got, detail = "not_read", scan.refused[0].reason
            elif outcomes and isinstance(outcomes[0], Rejected):
                first = outcomes[0]
                got = "quarantined" if first.recorded else "not_read"
                detail = first.reason
            elif outcomes:
                report = outcomes[0]
                got = "loaded"
                issues = getattr(report, "issues", ())
                detail = ", ".join(sorted({f"{i.rule} ({i.severity})" for i in issues})) or "-"
            else:
                got, detail = "none", "-"
            ok = "ok" if got == case.outcome else f"EXPECTED {case.outcome}"
            detail = detail.replace("|", "/")[:90]
            print(f"| {case.name} | {case.what} | {got} ({ok}) | {detail} | {seconds:.2f} |")
    for scenario in SCENARIOS:
        try:
            detail, seconds = run_scenario(scenario, root / "scenarios")
            got = f"{scenario.expected} (ok)"
        except AssertionError as exc:
            detail, seconds, got = str(exc), 0.0, f"FAILED: expected {scenario.expected}"
        detail = detail.replace("|", "/").replace("\n", " ")[:90]
        what = scenario.what.replace("|", "/")
        print(f"| {scenario.name} | {what} | {got} | {detail} | {seconds:.2f} |")


# -- cases beyond the inbox (issue #24): the warehouse, corrections, revisions, the lock -----
@dataclass(frozen=True)
class Scenario:
    """A case that is no file in the inbox: ``run`` builds it in a scratch folder, does what
    the attacker or careless user did, and returns what happened (raising AssertionError
    when the outcome is not ``expected``)."""

    name: str
    what: str
    expected: str
    run: Callable[[Path], str]


def _loaded_warehouse(scratch: Path) -> tuple[Path, int]:
    from tests.support import load_into, pipeline

    report = scratch / "r.txt"
    report.write_text(form(), encoding="utf-8")
    db = scratch / "w.duckdb"
    load_into(db, pipeline(report))
    with duckdb.connect(str(db), read_only=True) as conn:
        (items,) = conn.execute("select count(*) from expense_items").fetchone() or (0,)
    return db, items


def _sql_escape(escape: Escape) -> Callable[[Path], str]:
    def run(scratch: Path) -> str:
        import contextlib

        from jokatsu.cli import main

        db, items = _loaded_warehouse(scratch)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["sql", escape_sql(escape, db, scratch), "--db", str(db)])
        message = err.getvalue().strip()
        assert code == 1 and escape.refused in message and "\n" not in message, message
        escape_left_no_trace(db, scratch, items)
        return message.removeprefix("jokatsu: ")

    return run


def _stale_wal(scratch: Path) -> str:
    import subprocess

    from tests.support import load_into, pipeline
    from warehouse.db import open_read_only, wal_path

    db, _ = _loaded_warehouse(scratch)
    script = (
        "import duckdb, os, sys; c = duckdb.connect(sys.argv[1]); "
        "c.execute('create table x(a int)'); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", script, str(db)], check=True)
    (scratch / "s.txt").write_text(form(title="二つ目の事業"), encoding="utf-8")
    load_into(db, pipeline(scratch / "s.txt"))  # the next night publishes
    assert not wal_path(db).exists()
    with open_read_only(db) as conn:
        (reports,) = conn.execute("select count(*) from reports").fetchone() or (0,)
    assert reports == 2
    return "set aside before the publish; the next reader opens the new file"


def _late_original(scratch: Path) -> str:
    from tests.support import load_into, pipeline

    db = scratch / "w.duckdb"
    (scratch / "a_修正版.txt").write_text(form(rows=_rows_with("改")), encoding="utf-8")
    (scratch / "a.txt").write_text(form(), encoding="utf-8")
    load_into(db, pipeline(scratch / "a_修正版.txt"))
    load_into(db, pipeline(scratch / "a.txt"))  # the original, a night later
    with duckdb.connect(str(db), read_only=True) as conn:
        current = conn.execute(
            "select s.path from reports r join source_files s on s.sha256 = r.source_sha256 "
            "where r.is_current"
        ).fetchall()
        issues = conn.execute(
            "select rule from validation_issues where rule = 'revision_order'"
        ).fetchall()
    assert current == [("a_修正版.txt",)] and issues == [("revision_order",)]
    return "修正版 stays current; revision_order (warning) on the original"


def _correction(build: Callable[[Path], None], reason: str) -> Callable[[Path], str]:
    def run(scratch: Path) -> str:
        from flows.planning import load_corrections

        folder = scratch / "corrections"
        folder.mkdir()
        build(folder)
        found, refused = load_corrections(folder)
        assert found == {} and len(refused) == 1 and re.search(reason, refused[0].reason)
        return refused[0].reason

    return run


def _fix_of_5000_digits(folder: Path) -> None:
    (folder / "long.toml").write_text(
        f'sha256 = "{"ab" * 32}"\ncorrected_by = "見本"\nreason = "確認"\n'
        f'form = {"7" * 5000}\n[[fix]]\nfield = "1"\nvalue = "x"\n',
        encoding="utf-8",
    )


def _sparse_toml(folder: Path) -> None:
    with open(folder / "big.toml", "wb") as handle:
        handle.truncate(300 * 1024 * 1024)


def _outside_link(folder: Path) -> None:
    (folder.parent / "elsewhere.toml").write_text("x = 1", encoding="utf-8")
    (folder / "out.toml").symlink_to(folder.parent / "elsewhere.toml")


def _lock_link(scratch: Path) -> str:
    from warehouse.errors import WarehouseError
    from warehouse.publish import write_lock

    precious = scratch / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    (scratch / "w.duckdb.lock").symlink_to(precious)
    try:
        with write_lock(scratch / "w.duckdb"):
            raise AssertionError("the lock was taken through a link")
    except WarehouseError as exc:
        assert precious.read_text(encoding="utf-8") == "keep me"
        return str(exc).split(":")[0] + ": refused, target untouched"


def _recursion(scratch: Path) -> str:
    from extract import source_info
    from flows.guard import GuardedReader
    from flows.limits import Limits
    from flows.stages import Rejected, guard
    from tests.support import recursing_reader

    path = scratch / "r.txt"
    path.write_text(form(), encoding="utf-8")
    source = source_info(str(path), path.read_bytes())
    with GuardedReader(Limits(seconds=60, memory_mb=768, workers=1)) as reader:
        outcome = guard(source, lambda: reader.read(source, recursing_reader))
    assert isinstance(outcome, Rejected) and outcome.code == "nested_too_deeply"
    return f"quarantined: {outcome.code}"


SCENARIOS: tuple[Scenario, ...] = (
    *(
        Scenario(f"sql_{e.name}", f"jokatsu sql «{e.sql}»", "refused", _sql_escape(e))
        for e in ESCAPES
    ),
    Scenario(
        "stale_wal", "an analyst's WAL beside the live file, then a run", "set aside", _stale_wal
    ),
    Scenario(
        "late_original", "a 修正版 one night, its original the next", "loaded", _late_original
    ),
    Scenario(
        "corrections_fifo",
        "a FIFO named x.toml in the corrections folder",
        "not_read",
        _correction(lambda f: os.mkfifo(f / "x.toml"), "通常のファイルではありません"),
    ),
    Scenario(
        "corrections_dev_zero",
        "a corrections file linked to /dev/zero",
        "not_read",
        _correction(lambda f: (f / "zero.toml").symlink_to("/dev/zero"), "フォルダの外"),
    ),
    Scenario(
        "corrections_link_out",
        "a corrections file linked out of the folder",
        "not_read",
        _correction(_outside_link, "フォルダの外"),
    ),
    Scenario(
        "corrections_300_mb",
        "a 300 MB corrections file",
        "not_read",
        _correction(_sparse_toml, "ファイルが大きすぎます"),
    ),
    Scenario(
        "corrections_5000_digits",
        "form = a 5,000-digit number",
        "not_read",
        _correction(_fix_of_5000_digits, "TOML として読めません"),
    ),
    Scenario("lock_file_a_link", "the lock file a link to another file", "refused", _lock_link),
    Scenario("reader_recursion", "a reader that recurses without end", "quarantined", _recursion),
)


def run_scenario(scenario: Scenario, root: Path) -> tuple[str, float]:
    """One scenario in a scratch folder of its own: what happened and its seconds."""
    scratch = root / scenario.name
    scratch.mkdir(parents=True)
    started = time.perf_counter()
    detail = scenario.run(scratch)
    return detail, time.perf_counter() - started


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--table", action="store_true", help="time each case alone")
    parser.add_argument("--out", type=Path, help="folder to build the cases in")
    args = parser.parse_args()
    import tempfile

    root = args.out or Path(tempfile.mkdtemp(prefix=f"jokatsu-hostile-{os.getpid()}-"))
    try:
        if args.table:
            _table(root)
        else:
            build_all(root)
            print(f"{len(CASES)} cases in {root}")
    finally:
        if args.out is None:
            remove_deep(root)
    sys.exit(0)
