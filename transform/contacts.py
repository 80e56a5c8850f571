"""The 担当者 block (section 10): department, name, phone and e-mail. Personal data."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from extract.personal import DASHES, find_email, find_phone

_LABELS: dict[str, tuple[str, ...]] = {
    "department": ("所属部署", "所属部局", "担当部署", "所属"),
    "person_name": ("担当者氏名", "担当者名", "氏名", "担当者"),
    "phone": ("電話番号", "電話", "TEL", "Tel"),
    "email": ("電子メールアドレス", "メールアドレス", "電子メール", "E-mail", "Email", "メール"),
}
_LABEL_TO_FIELD = {label: name for name, labels in _LABELS.items() for label in labels}
_LABEL_ALTERNATION = "|".join(sorted(map(re.escape, _LABEL_TO_FIELD), key=len, reverse=True))
_LABEL_RE = re.compile(r"(?P<label>" + _LABEL_ALTERNATION + r")\s{0,8}[:：]\s{0,8}")
# A block with no colon at all: labels stand right before their values (a small table
# printed to PDF reads back as 「所属部署栃木県 男女共同参画課氏名仮野 真理…」).
_BARE_LABEL_RE = re.compile(r"(?P<label>" + _LABEL_ALTERNATION + r")\s{0,8}")


@dataclass(frozen=True)
class Contact:
    department: str | None = None
    person_name: str | None = None
    phone: str | None = None
    email: str | None = None

    @property
    def is_empty(self) -> bool:
        return not any((self.department, self.person_name, self.phone, self.email))


_LABELS_LONGEST_FIRST = sorted(_LABEL_TO_FIELD, key=len, reverse=True)


def _as_labelled(body: str) -> str:
    """A contact given as a small table (a label cell, then its value in the next cell or
    on the next line) rewritten as 「label: value」 lines."""
    lines = [line.strip() for line in body.splitlines()]
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index].rstrip(":：").strip()
        label = next((lab for lab in _LABELS_LONGEST_FIRST if line == lab), None)
        if label and index + 1 < len(lines):
            out.append(f"{label}: {lines[index + 1]}")
            index += 2
            continue
        spaced = next(
            (
                lab
                for lab in _LABELS_LONGEST_FIRST
                if line.startswith(lab) and line[len(lab) : len(lab) + 1] in (" ", "\u3000", "\t")
            ),
            None,
        )
        out.append(f"{spaced}: {line[len(spaced) :].strip()}" if spaced else lines[index])
        index += 1
    return "\n".join(out)


def parse_contact(body: str) -> Contact:
    """Split 「所属部署: … 氏名: … 電話番号: … 電子メールアドレス: …」 into its fields.

    Labels may be separated by ``:`` or ``：`` and stand on one line or several, or the
    block may be a small table (a label, then its value beside it or below it). Phone and
    e-mail are taken by their shape when their label is missing. Spaces inside a value fold
    to one; full-width digits and letters in phone and e-mail become half-width.
    """
    values: dict[str, str] = {}
    body = _as_labelled(body)
    pattern = _LABEL_RE if re.search("[:：]", body) else _BARE_LABEL_RE
    matches = list(pattern.finditer(body))
    ends = [m.start() for m in matches[1:]] + ([len(body)] if matches else [])
    for match, end in zip(matches, ends, strict=True):
        value = re.sub(r"\s+", " ", body[match.end() : end]).strip()
        values.setdefault(_LABEL_TO_FIELD[match["label"]], value)
    flat = unicodedata.normalize("NFKC", body)
    phone = values.get("phone") or find_phone(flat)
    email = values.get("email") or find_email(flat)
    return Contact(
        department=values.get("department") or None,
        person_name=values.get("person_name") or None,
        phone=_phone_text(phone) if phone else None,
        email=unicodedata.normalize("NFKC", email) if email else None,
    )


_HYPHENS = str.maketrans(dict.fromkeys(DASHES, "-"))


def _phone_text(phone: str) -> str:
    """A phone number in half-width characters, any dash written as 「-」."""
    return unicodedata.normalize("NFKC", phone).translate(_HYPHENS)
