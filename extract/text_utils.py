"""Small pure helpers every reader shares: HTML cell bodies to plain text, headings."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extract.errors import QuarantineError

_BLOCK_TAGS = {"p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6"}
BULLETS = "○●◯・◆◇■□※"  # marks that start a paragraph of a section's text
EXPENSE_SECTION = 9  # 経費の内訳: the section that holds the expense table
_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


# WAVE DASH and FULLWIDTH TILDE are one character to Japanese writers, and PDFs set in CID
# fonts cannot tell them apart: both are kept as ～ (U+FF5E), as CP932 decodes 0x8160.
_LOOKALIKES = str.maketrans({"\u301c": "\uff5e"})


def canonical(text: str) -> str:
    """Fold look-alike characters that some formats cannot tell apart."""
    return text.translate(_LOOKALIKES)


def html_to_text(raw: str) -> str:
    """Turn a cell body into plain text, one paragraph or bullet per line.

    ``<p>`` and ``<br>`` end a line; a bullet (○ …) written after a space inside a paragraph
    starts a new line; runs of spaces fold to one; blank lines go. Text without HTML is
    treated the same way, so every format gives the same body.
    """
    collector = _TextCollector()
    collector.feed(raw)
    collector.close()
    text = canonical("".join(collector.parts))
    text = re.sub(rf"[ \t\u3000]+(?=[{BULLETS[:3]}])", "\n", text)
    lines = (re.sub(r"[ \t\u3000]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


_DIGITS = r"[0-9０-９]{1,2}"
_HEADING = re.compile(
    # 1. 事業名 / １．事業名 / 1 事業名 / 10：担当者… / 第1 事業名
    rf"^\s*(?:第\s*)?(?P<no>{_DIGITS})\s*(?:[.．、:：)）]\s*|[ \u3000]+)(?P<rest>\S.*)$"
    # (1) 事業名 / （１）事業名
    rf"|^\s*[(（]\s*(?P<pno>{_DIGITS})\s*[)）]\s*(?P<prest>\S.*)$",
    re.DOTALL,
)
# Words that a section's heading holds, however an office words or numbers it: a numbered
# line is a heading only when it names its section (「(5) 研修会の開催」 inside section 4's
# text is not section 5).
SECTION_WORDS: dict[int, tuple[str, ...]] = {
    1: ("事業名",),
    2: ("期間",),
    3: ("趣旨", "目的"),
    4: ("内容",),
    5: ("効果",),
    6: ("達成", "評価"),
    7: ("課題",),
    8: ("体制",),
    9: ("経費", "内訳"),
    10: ("担当", "連絡"),
    11: ("連携", "工程"),
}


# The form's own names of its sections: a heading cut by a page break keeps only the start.
SECTION_NAMES: dict[int, str] = {
    1: "事業名",
    2: "実施期間",
    3: "事業の趣旨・目的",
    4: "事業内容",
    5: "事業効果及び効果検証の概要",
    6: "目標達成度及び達成状況に対する評価",
    7: "今後の課題",
    8: "事業の実施体制",
    9: "経費の内訳",
    10: "担当者名及び連絡先",
    11: "事業実施及び連携工程",
}


def label_key(text: str) -> str:
    """A label as compared: NFKC (full-width to half-width, U+3000 to a space), no spaces."""
    return unicodedata.normalize("NFKC", text).replace(" ", "")


# The expense table's total row, however it is labelled or spaced (合計, 合　計, 計, 総計).
TOTAL_LABELS = ("合計", "計", "総計")
# Words that mark a total row inside a longer line (「計」 alone is part of too many words).
TOTAL_WORDS = ("合計", "総計")


def is_total_label(cell: str) -> bool:
    """Whether a cell is the total row's label."""
    return label_key(cell) in TOTAL_LABELS


def split_heading(cell: str) -> tuple[int, str] | None:
    """Read a section heading: ``1. 事業名``, ``１．事業名``, ``1 事業名``, ``10：担当者名…``,
    ``(1) 事業名``, ``（１）事業名`` or ``第1 事業名``.

    Returns the section number and the heading as written without its number, or None when
    the text is not numbered like a heading or does not name its section.
    """
    match = _HEADING.match(cell)
    if not match:
        return None
    number = int(unicodedata.normalize("NFKC", match["no"] or match["pno"]))
    rest = (match["rest"] or match["prest"]).strip()
    words = SECTION_WORDS.get(number)
    key = label_key(rest[:40])
    if words is None:
        return None
    cut = len(key) >= 2 and SECTION_NAMES[number].startswith(key)  # 「事業の実」 of a page break
    if not cut and not any(w in key for w in words):
        return None
    return number, rest


_UNIT = re.compile(r"^[(（]単位[:：]?(千円|円)[)）]$")


def named_heading(cell: str) -> tuple[int, str] | None:
    """A section heading written without its number, as a clerk still reads it: the label
    is the form's own name of a section and nothing else (「事業名」, 「今後の課題」,
    「経費の内訳（単位：円）」). Returns the section number and the label as written."""
    text = cell.strip()
    key = label_key(text)
    for number, name in SECTION_NAMES.items():
        if key == name or (
            number == EXPENSE_SECTION and key.startswith(name) and _UNIT.match(key[len(name) :])
        ):
            return number, text
    return None


def any_heading(cell: str) -> tuple[int, str] | None:
    """A section heading, numbered (:func:`split_heading`) or by its name alone."""
    return split_heading(cell) or named_heading(cell)


_NOTE = re.compile(r"^\s*注\s*[(（]?[0-9０-９]")


def is_note(line: str) -> bool:
    """True for the form's footnotes 注1) … 注6), which are instructions, not content."""
    return bool(_NOTE.match(line))


PREFECTURE_LABEL = "都道府県名"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def refuse_non_ooxml(data: bytes, kind: str, application: str, legacy: str) -> None:
    """Reasons a file named .xlsx/.docx is not one: empty, encrypted, legacy, not a zip.

    Office stores a password-protected file as an OLE container holding an
    ``EncryptedPackage`` stream; an unencrypted OLE container is the 97-2003 format.
    """
    import io
    import zipfile

    from extract.errors import UnreadableFile

    suffix = "xlsx" if kind == "workbook" else "docx"
    if not data:
        raise UnreadableFile("空のファイルです（0 バイト）。送り直してください。", "empty_file")
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise UnreadableFile(
                f"ファイルにパスワードが設定されています。{application} でパスワードを外して"
                "保存し直し、送り直してください。",
                "password_protected",
            )
        raise UnreadableFile(
            f"古い形式（{legacy}）のファイルに .{suffix} という名前が付いています。"
            f"{application} で開いて .{suffix} として保存し直し、送り直してください。",
            "legacy_format",
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableFile(
            f".{suffix} ファイルとして開けません（中身が {suffix} の形式ではありません）。"
            f"{application} で保存し直し、送り直してください。",
            f"{suffix}_damaged",
        )


def xml_problem(exc: Exception, kind: str) -> QuarantineError:
    """The quarantine reason for an Office package whose XML cannot be parsed."""
    from extract.errors import FileLimitExceeded, UnreadableFile

    text = str(exc)
    what = "ブック" if kind == "workbook" else "文書"
    if any(word in text.lower() for word in ("entity", "entities", "amplification")):
        return FileLimitExceeded(
            f"{what}の XML に際限なく展開される定義（エンティティ）があります（壊れたファイル"
            "か、読み手を止めるために作られたファイルです）。読まずに隔離しました。Office で"
            "保存し直し、送り直してください。",
            "xml_entity_expansion",
        )
    return UnreadableFile(
        f"{what}の XML が壊れています。Office で保存し直し、送り直してください。", "xml_damaged"
    )


def prefecture_from_line(line: str) -> str:
    """The value of the 都道府県名 line, whatever separates label and value."""
    _, _, rest = line.partition(PREFECTURE_LABEL)
    return rest.strip(" \t\u3000:：")


def to_fullwidth_digits(text: str) -> str:
    """Half-width digits to full-width ones (the reverse of NFKC for digits), as forms typed
    in a Japanese input mode write numbers and dates."""
    return text.translate(_FULLWIDTH_DIGITS)


def display_width(text: str) -> int:
    """Columns a text takes on a terminal or in a spreadsheet: East Asian wide characters
    (kanji, kana, full-width forms) count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
