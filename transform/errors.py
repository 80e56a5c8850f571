"""Errors of normalisation: a parser that cannot read a value, a report that cannot load."""

from __future__ import annotations

from extract.errors import JokatsuError, QuarantineError, ReasonCode


class ParseError(JokatsuError, ValueError):
    """A single value (date, amount, label, name) could not be read."""


class EraDateError(ParseError):
    """Not a Japanese-era (or Gregorian) date or period."""


class AmountError(ParseError):
    """Not an amount of money."""


class BudgetLabelError(ParseError):
    """Not a fiscal-year budget label such as 「3年度補正予算」."""


class PrefectureError(ParseError):
    """Not one of the 47 prefectures."""


class NormalizationError(QuarantineError):
    """The document is the form, but a field the warehouse needs cannot be read."""

    code: ReasonCode = "field_unreadable"
