"""Text a reader could not place (``Document.unread``) as warnings a clerk can act on.

Each reader accounts for all the text its file holds (:mod:`extract.accounting`); what it
neither read nor set aside for a named reason raises one ``unread_content`` warning per
place, with the text shortened after the personal-data gate
(:func:`extract.personal.redact`) has replaced every phone number and e-mail address in it.
"""

from __future__ import annotations

from extract.accounting import shorten
from extract.model import Document
from extract.personal import redact
from transform.records import IssueRecord


def unread_issues(doc: Document) -> tuple[IssueRecord, ...]:
    """One ``unread_content`` warning per passage of the file the reader left over."""
    issues = []
    for passage in doc.unread:
        shown = shorten(redact(passage.text))  # the gate first: a cut leaves no half number
        issues.append(
            IssueRecord(
                "unread_content",
                "warning",
                f"{passage.place}に、読み取っていない文字があります（{passage.construct}）:"
                f"「{shown}」。この部分は取り込まれていません。報告の内容であれば、本文の"
                "表や段落に書き直して送り直してください。",
            )
        )
    return tuple(issues)
