"""Personal data recognised by its shape, and the one gate every text people read passes.

A contact's phone number, e-mail address and name are personal data: they belong in the
``contacts`` table and nowhere else. Whatever text is built for people to read (a quarantine
reason, an issue's message, a field stored outside section 10) passes :func:`redact`, which
replaces each contact detail by a placeholder naming what it was:

- **phone numbers** (:data:`PHONE_PLACEHOLDER`) as a Japanese office writes them: half- or
  full-width digits; any dash as the hyphen (``- ‐ ‑ ‒ – — ― − ー － ｰ ﹣``), dots, spaces
  (also U+3000) or parentheses between the groups (``(083)933-2630``, ``090 1234 5678``);
  ``+81`` (``+81-90-…``, ``+81 (0)3 …``) or ``0`` first; 10 digits (a fixed line, 0120 …),
  or 11 for 050/070/080/090/020/0800 numbers; an extension after it (``内線123``,
  ``ext. 12``, ``(内線 4567)``) goes with it, and an extension alone is one too;
- **e-mail addresses** (:data:`EMAIL_PLACEHOLDER`), half- or full-width (``＠``, ``．``);
- **names** (:data:`NAME_PLACEHOLDER`): the ones a report's contact block gives, however
  they are spaced (a name cannot be told by its shape).

Amounts, dates, era years, JIS codes, 事業番号 and report ids are not phone numbers: a
phone starts with 0 (or +81), is not glued to letters or other digits, and has the length
of one. Everything here runs in time linear in the text's length (a hostile cell can be
megabytes long): phone candidates are one pass of an unambiguous pattern, e-mail addresses
are only looked for around an ``@``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable

from extract.text import shown

PHONE_PLACEHOLDER = "〔電話番号〕"
EMAIL_PLACEHOLDER = "〔メールアドレス〕"
NAME_PLACEHOLDER = "〔氏名〕"

_DIGIT = "0-9０-９"
# Every dash a Japanese office types between the groups of a phone number (after NFKC the
# full-width ones become ASCII, the others stay: ‐ ‑ ‒ – — ― − ー ｰ→ー ﹣→-).
DASHES = "-‐‑‒–—―−ー－ｰ﹣"
_SEP = f"{DASHES}.．()（） \u3000\u00a0"
# A run of digits and separators that starts at a digit, a 「+」 or a 「(」: separators are
# at most three characters between two digit groups (unambiguous, hence linear).
_CANDIDATE = re.compile(
    rf"(?<![{_DIGIT}A-Za-zＡ-Ｚａ-ｚ.,，．])[+＋(（]?[{_DIGIT}]"
    rf"(?:[{_DIGIT}]|[{_SEP}]{{1,3}}(?=[{_DIGIT}]))*"
)
_EXT = (
    rf"(?:内線|ext\.?|EXT\.?|Ext\.?|ｅｘｔ．?)[ \u3000]{{0,2}}[:：.．]?[ \u3000]{{0,2}}"
    rf"[{_DIGIT}]{{1,6}}"
)
_EXTENSION = re.compile(
    rf"[ \u3000]{{0,2}}(?:[(（][ \u3000]{{0,2}}{_EXT}[ \u3000]{{0,2}}[)）]|{_EXT})"
)
_EXTENSION_ALONE = re.compile(
    rf"(?:内線|(?<![A-Za-z])(?:ext|EXT|Ext)\.?)[ \u3000]{{0,2}}[:：.．]?[ \u3000]{{0,2}}"
    rf"[{_DIGIT}]{{2,6}}(?![{_DIGIT}])"
)
_GROUP = re.compile(r"[0-9]+")
_DIGITS = re.compile(rf"[{_DIGIT}]+")
_GLUED = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ0-9０-９]")
_MOBILE_PREFIXES = ("020", "050", "060", "070", "080", "090", "0800")

_LOCAL = "A-Za-z0-9._%+\\-Ａ-Ｚａ-ｚ０-９．＿％＋－"
_LABEL = "A-Za-z0-9\\-Ａ-Ｚａ-ｚ０-９－"
_AT = re.compile("[@＠]")
_LOCAL_CHAR = re.compile(rf"[{_LOCAL}]")
_EMAIL_AROUND_AT = re.compile(
    rf"[{_LOCAL}]{{1,64}}[ \u3000]?[@＠][ \u3000]?[{_LABEL}]{{1,63}}"
    rf"(?:[.．][{_LABEL}]{{1,63}}){{1,8}}"
)


def _is_phone(candidate: str) -> bool:
    """Whether a run of digits and separators is one Japanese phone number."""
    flat = unicodedata.normalize("NFKC", candidate)
    groups = _GROUP.findall(flat)
    if flat.startswith("+"):
        if not groups or groups[0] != "81":
            return False
        groups = groups[1:]
        if groups and groups[0] == "0":  # 「+81 (0)3 …」
            groups = groups[1:]
        if not groups or groups[0].startswith("0"):
            return False
        groups = ["0" + groups[0], *groups[1:]]
    if not 1 <= len(groups) <= 4:
        return False
    number = "".join(groups)
    if not number.startswith("0") or number.startswith("00"):
        return False
    if len(groups) > 1 and (len(groups[0]) > 5 or len(groups[-1]) < 3):
        return False
    if len(number) == 10:
        return True
    return len(number) == 11 and number.startswith(_MOBILE_PREFIXES)


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Where the phone numbers (with an extension after them) and lone extensions are."""
    spans: list[tuple[int, int]] = []
    for match in _CANDIDATE.finditer(text):
        found = _longest_phone(text, match.start(), match.end())
        if found is None:
            continue
        start, end = found
        extension = _EXTENSION.match(text, end)
        spans.append((start, extension.end() if extension else end))
    for match in _EXTENSION_ALONE.finditer(text):
        if not any(a <= match.start() < b for a, b in spans):
            spans.append(match.span())
    return sorted(spans)


def _longest_phone(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The longest phone number inside a candidate run: a run may hold a phone and more
    digits after a space (「090-1234-5678 2021年」), or digits before it. Only digit groups
    are tried as its ends, at most six groups apart, so this stays linear. A run glued to a
    letter after it (a report id 「R-0123456789abcdef」) ends in no phone number."""
    glued = _GLUED.match(text, end) is not None
    head = _DIGITS.match(text, start + (text[start] in "+＋(（"))
    area_code = head and len(head[0]) <= 5 and text[head.end() : head.end() + 1] in ")）"
    if text[start] in "(（" and not area_code:
        start += 1  # a phone number in brackets (「(0120-000-000)」): the bracket is no part of it
    if not glued and _is_phone(text[start:end]):
        return start, end
    bounds = [(m.start(), m.end()) for m in _DIGITS.finditer(text, start, end)]
    before = list(itertools.accumulate((b - a for a, b in bounds), initial=0))
    for i, (first, _) in enumerate(bounds):
        last = min(len(bounds) - 1, i + 5)
        if (i and text[first] not in "0０") or before[last + 1] - before[i] < 10:
            continue  # a phone number starts with its 0 (or +81, only at the run's start)
        begin = start if i == 0 else first - (text[first - 1] in "(（")
        for j in range(last, i - 1, -1):
            stop = bounds[j][1]
            if not 10 <= before[j + 1] - before[i] <= 13:  # 13: 「+81 (0)90 1234 5678」
                continue
            if text[begin] in "(（" and text[stop : stop + 1] in (")", "）"):
                stop += 1
            if stop >= end and glued:
                continue
            if _is_phone(text[begin:stop]):
                return begin, stop
    return None


def _email_spans(text: str) -> list[tuple[int, int]]:
    """Each address is matched from the start of the local part right before an ``@``
    (found by stepping back at most 64 characters), so a text with many ``@`` or a long
    line without an address takes time linear in its length."""
    spans: list[tuple[int, int]] = []
    for at_sign in _AT.finditer(text):
        at = at_sign.start()
        if spans and at < spans[-1][1]:
            continue
        local_end = at - 1 if at and text[at - 1] in " \u3000" else at
        begin = local_end
        while begin > 0 and local_end - begin < 64 and _LOCAL_CHAR.match(text[begin - 1]):
            begin -= 1
        match = _EMAIL_AROUND_AT.match(text, begin) if begin < local_end else None
        if match is not None and match.end() > at:
            spans.append(match.span())
    return spans


def find_email(text: str) -> str | None:
    """The first e-mail address in a text (half- or full-width), as written."""
    spans = _email_spans(text)
    return text[spans[0][0] : spans[0][1]] if spans else None


def find_phone(text: str) -> str | None:
    """The first phone number in a text (any separator or script), as written."""
    for match in _CANDIDATE.finditer(text):
        found = _longest_phone(text, match.start(), match.end())
        if found is not None:
            return text[found[0] : found[1]]
    return None


def _name_pattern(name: str) -> re.Pattern[str] | None:
    """A name however it is spaced: 「見本 花子」 also matches 「見本花子」 and 「見本　花子」."""
    chars = [c for c in unicodedata.normalize("NFKC", name) if not c.isspace()]
    if len(chars) < 2:  # one character is no name to look for
        return None
    return re.compile(r"[ \u3000]{0,2}".join(re.escape(c) for c in chars))


def _name_spans(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    flat = unicodedata.normalize("NFKC", text)
    if len(flat) != len(text):  # NFKC changed the length: match the text as written
        flat = text
    spans = []
    for name in names:
        pattern = _name_pattern(name)
        if pattern is not None:
            spans += [m.span() for m in pattern.finditer(flat)]
    return spans


def _spans(text: str, names: Iterable[str]) -> list[tuple[int, int, str]]:
    tagged = (
        [(a, b, EMAIL_PLACEHOLDER) for a, b in _email_spans(text)]
        + [(a, b, PHONE_PLACEHOLDER) for a, b in _phone_spans(text)]
        + [(a, b, NAME_PLACEHOLDER) for a, b in _name_spans(text, names)]
    )
    merged: list[tuple[int, int, str]] = []
    for start, end, tag in sorted(tagged):
        if merged and start < merged[-1][1]:  # overlapping: the first one found covers both
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, tag))
    return merged


def looks_personal(text: str | None, names: Iterable[str] = ()) -> bool:
    """Whether a text holds a phone number, an e-mail address or one of ``names``."""
    return bool(text) and bool(_spans(text or "", tuple(names)))


def redact(text: str, names: Iterable[str] = ()) -> str:
    """The text with every phone number, e-mail address and name in ``names`` replaced by
    its placeholder (〔電話番号〕, 〔メールアドレス〕, 〔氏名〕); unchanged when there is none."""
    spans = _spans(text, tuple(names))
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for start, end, tag in spans:
        out += [text[last:start], tag]
        last = end
    out.append(text[last:])
    return "".join(out)


def quoted(text: str, limit: int = 40) -> str:
    """A cell's text as a message quotes it: contact details replaced first, then cut to
    ``limit`` characters (a hostile cell can be megabytes long). Cutting first could leave
    part of a phone number that the gate no longer recognises."""
    clean = redact(text[: limit * 4 + 200])
    return clean if len(clean) <= limit else clean[:limit] + "…"


def gated(message: str) -> str:
    """A message as every reason and issue is kept: contact details replaced
    (:func:`redact`), then control characters and line breaks shown escaped
    (:func:`extract.text.shown`: a sheet name quoted in it cannot break or drive a line)."""
    return shown(redact(message))
