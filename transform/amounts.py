"""Amounts of money as written on the form, to whole yen."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Literal

from extract.personal import quoted
from extract.text import to_fullwidth_digits
from transform.errors import AmountError

AmountUnit = Literal["円", "千円"]
UNIT_FACTOR: dict[AmountUnit, int] = {"円": 1, "千円": 1000}

# The warehouse stores money as BIGINT: a value outside this range cannot be kept.
BIGINT_MAX = 2**63 - 1
# A single expense row above this is possible in law but not for this grant (its whole
# national budget is a few billion yen a year): the check `amount_implausible` warns.
PLAUSIBLE_ROW_MAX = 1_000_000_000

# Minus signs a person reads as such before an amount (after NFKC: full-width － is "-").
# The katakana prolonged-sound mark ー and the dashes ― ‐ — are not minus signs.
_NEGATIVE = ("△", "▲", "-", "−")
# One amount: optional minus, optional yen sign, digits (commas between them), optional
# decimals (千円 tables), optional 円 at the end. Nothing else: 「12円34」 is no amount.
_AMOUNT = re.compile(
    r"(?P<minus>[△▲\-−])?\s?[¥]?\s?"
    r"(?P<digits>[0-9]{1,30}(?:,[0-9]{1,30}){0,12}(?:\.[0-9]{1,12})?)\s?円?"
)


# A cell holding only a dash means nothing spent, as offices write zero: － ― ‐ ー — − (and
# their NFKC forms). A dash *before* digits is a minus sign only for - and −.
ZERO_DASHES = frozenset("-－―‐ー—−–")


def unit_of(text: str) -> AmountUnit:
    """The unit a heading declares: 「(単位:千円)」 means thousands of yen, else yen."""
    return "千円" if "千円" in unicodedata.normalize("NFKC", text) else "円"


def parse_amount(raw: str | None, unit: AmountUnit = "円") -> int | None:
    """Read an amount cell into whole yen; a blank cell is None.

    Accepts commas, full-width digits, a leading ``¥`` and a trailing 円, and ``△``/``▲``/
    ``-``/``−`` for negative numbers; a dash alone (``－ ― ‐ ー — −``) is zero. In a 千円
    table the value is multiplied by 1,000 (「1,234.5」 千円 is 1,234,500 yen). A value that
    is not a whole number of yen, that is not written as one amount (「12円34」, 「ー500」),
    or that does not fit the warehouse's BIGINT raises :class:`AmountError`.
    """
    if raw is None:
        return None
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return None
    if text in ZERO_DASHES:
        return 0
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise AmountError(f"「{_short(raw)}」は金額として読めません")
    value = Decimal(match["digits"].replace(",", "")) * UNIT_FACTOR[unit]
    if value != value.to_integral_value():
        raise AmountError(f"「{_short(raw)}」{unit}は1円単位の金額になりません")
    result = -int(value) if match["minus"] else int(value)
    if abs(result) > BIGINT_MAX:
        raise AmountError(f"「{_short(raw)}」は金額として大きすぎます（{BIGINT_MAX:,}円超）")
    return result


def _short(raw: str) -> str:
    """A cell's text for a message: without contact details, cut (extract.personal.quoted)."""
    return quoted(raw)


def format_amount(
    value: int,
    *,
    commas: bool = True,
    fullwidth: bool = False,
    yen_suffix: bool = False,
    negative_mark: str = "△",
) -> str:
    """Write whole yen the ways the form's cells do (the inverse of :func:`parse_amount`)."""
    text = f"{abs(value):,}" if commas else str(abs(value))
    if value < 0:
        text = negative_mark + text
    if yen_suffix:
        text += "円"
    if fullwidth:
        text = to_fullwidth_digits(text).replace(",", "，")
    return text
