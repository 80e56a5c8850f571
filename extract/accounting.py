"""The reader's ledger: every piece of text a file holds is read, set aside, or left over.

A reader first lists the file's text as the format's specification defines it (a Word
file's text nodes in every part, a workbook's cell values on every sheet, a PDF's
characters), then marks each piece as it reads it (:meth:`Ledger.take`) or sets it aside for
a named reason a person would accept (:meth:`Ledger.set_aside`: deleted text, a page header,
a hidden sheet). What is neither is left over and reported (``Document.unread``), so a
construct the reader does not know makes a warning instead of vanishing.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from extract.model import Passage

# Reasons for setting text aside: the code (``Passage.reason``) and what it means to a clerk.
SET_ASIDE_REASONS: dict[str, str] = {
    "deleted": "変更履歴で削除された文字",
    "hidden": "隠し文字（画面にも印刷にも出ない）",
    "field_code": "フィールドコード（表示されるのは結果）",
    "placeholder": "コンテンツコントロールの説明文（未入力）",
    "alternate": "代替表示（同じ内容を古い Word 向けに重ねて保存したもの）",
    "page_header": "ヘッダー",
    "page_footer": "フッター",
    "footnote": "脚注",
    "endnote": "文末脚注",
    "comment": "コメント",
    "ruby": "ルビ（ふりがな）",
    "glossary": "定型句（文書には表示されない）",
    "custom_xml": "文書に埋め込まれたデータ（表示されない）",
    "merged_cover": "結合されたセルに隠れた値（表示されない）",
    "hidden_sheet": "非表示のシート",
    "example_sheet": "記入例のシート",
    "other_sheet": "様式のないシート（記入上の注意など）",
    "hidden_row": "非表示の行・列",
    "phonetic": "ふりがな（セルに保存された読み）",
    "outside_page": "ページの外（印刷されない）",
    "page_number": "ページ番号・様式番号",
    "form_field": "フォームフィールドの値",
}


def shorten(text: str, limit: int = 40) -> str:
    """One line of at most ``limit`` characters, an ellipsis where cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass
class Ledger:
    """The pieces of one file's text (keys: a text node, a cell, a character) and what the
    reader did with each."""

    pieces: dict[Hashable, tuple[str, str, str]] = field(default_factory=dict)
    read: set[Hashable] = field(default_factory=set)
    aside: dict[Hashable, str] = field(default_factory=dict)

    def add(self, key: Hashable, text: str, place: str, construct: str) -> None:
        """List one piece of the file's text (blank pieces hold nothing to read)."""
        if text.strip():
            self.pieces[key] = (text, place, construct)

    def take(self, key: Hashable) -> None:
        self.read.add(key)

    def set_aside(self, keys: Iterable[Hashable], reason: str) -> None:
        assert reason in SET_ASIDE_REASONS, reason
        for key in keys:
            if key not in self.read:
                self.aside.setdefault(key, reason)

    def passages(self) -> tuple[tuple[Passage, ...], tuple[Passage, ...]]:
        """(set aside, left over): consecutive pieces of one place and kind joined."""
        aside: list[tuple[str, str, str, str]] = []
        unread: list[tuple[str, str, str, str]] = []
        for key, (text, place, construct) in self.pieces.items():
            if key in self.read:
                continue
            reason = self.aside.get(key, "")
            bucket = aside if reason else unread
            if bucket and bucket[-1][1:] == (place, construct, reason):
                bucket[-1] = (bucket[-1][0] + text, place, construct, reason)
            else:
                bucket.append((text, place, construct, reason))
        return (
            tuple(Passage(t, p, c, r) for t, p, c, r in aside),
            tuple(Passage(t, p, c, r) for t, p, c, r in unread),
        )
