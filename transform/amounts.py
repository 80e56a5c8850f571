"""Amounts of money as written on the form, to whole yen."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Literal

from transform.errors import AmountError

AmountUnit = Literal["円", "千円"]
UNIT_FACTOR: dict[AmountUnit, int] = {"円": 1, "千円": 1000}

_NEGATIVE = ("△", "▲", "-", "−", "ー")
_STRIP = re.compile(r"[\s,，、円¥￥]")


def unit_of(text: str) -> AmountUnit:
    """The unit a heading declares: 「(単位:千円)」 means thousands of yen, else yen."""
    return "千円" if "千円" in unicodedata.normalize("NFKC", text) else "円"


def parse_amount(raw: str | None, unit: AmountUnit = "円") -> int | None:
    """Read an amount cell into whole yen; a blank cell is None.

    Accepts commas, full-width digits, a trailing 円 and ``△``/``▲``/``-`` for negative
    numbers. In a 千円 table the value is multiplied by 1,000 (「1,234.5」 千円 is 1,234,500
    yen); a value that is not a whole number of yen raises :class:`AmountError`.
    """
    if raw is None:
        return None
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return None
    negative = text.startswith(_NEGATIVE)
    if negative:
        text = text[1:]
    digits = _STRIP.sub("", text)
    if not digits or not re.fullmatch(r"\d+(?:\.\d+)?", digits):
        raise AmountError(f"「{raw}」 is not an amount of money")
    try:
        value = Decimal(digits) * UNIT_FACTOR[unit]
    except InvalidOperation:  # pragma: no cover - the regex above admits only decimals
        raise AmountError(f"「{raw}」 is not an amount of money") from None
    if value != value.to_integral_value():
        raise AmountError(f"「{raw}」 {unit} is not a whole number of yen")
    return -int(value) if negative else int(value)


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
        text = text.translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    return text
