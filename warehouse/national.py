"""The Cabinet Office's published figures for the grant's budget line (seeds/national/), read
into rows for the warehouse's reference tables: one row per published figure, the amount in
yen beside the value and unit as published, the sheet it came from and its source address.

Pure: text in, rows out (the loading is :func:`warehouse.migrations.seed_national`). Nothing is
estimated: an empty cell is no row.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

from transform.errors import PrefectureError
from transform.prefectures import prefecture_code

BUDGET_FIGURES = (
    "要求額",
    "当初予算",
    "補正予算",
    "前年度から繰越し",
    "翌年度へ繰越し",
    "予備費等",
    "予算計",
    "執行額",
)
UNIT_YEN = {"百万円": Decimal(1_000_000), "円": Decimal(1)}


def _rows(text: str) -> list[dict[str, str]]:
    """A seed's rows (its leading ``#`` lines are its documentation)."""
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def sheet_order(sheet: str) -> int:
    """Sheets in publication order: 2015 … 2023, then RS2024, RS2025 (the latest wins)."""
    return int(re.sub(r"\D", "", sheet))


def to_yen(value: str, unit: str) -> int:
    """A published value in yen (百万円 values carry float noise: 147.51600000000008)."""
    return int((Decimal(value) * UNIT_YEN[unit]).quantize(Decimal(1)))


def tolerance_yen(value: str, unit: str) -> int:
    """Half of the last digit the value was published to, in yen (19.3 百万円 → 50,000)."""
    decimals = len(value.split(".", 1)[1]) if "." in value else 0
    decimals = min(decimals, 3)  # float noise (147.51600000000008) is no precision
    return int(UNIT_YEN[unit] / Decimal(10) ** decimals / 2)


def budget_rows(text: str) -> list[dict[str, Any]]:
    out = []
    for row in _rows(text):
        for figure in BUDGET_FIGURES:
            value = (row.get(figure) or "").strip()
            if not value:
                continue
            out.append(
                {
                    "sheet": row["sheet"],
                    "sheet_order": sheet_order(row["sheet"]),
                    "fiscal_year": int(row["fiscal_year"]),
                    "figure": figure,
                    "amount_yen": to_yen(value, row["unit"]),
                    "published_value": value,
                    "published_unit": row["unit"],
                    "note": row.get("note") or None,
                    "source_url": row["source_url"],
                }
            )
    return out


def participation_rows(text: str) -> list[dict[str, Any]]:
    return [
        {
            "sheet": row["sheet"],
            "sheet_order": sheet_order(row["sheet"]),
            "indicator": row["活動指標"],
            "unit": row["単位"],
            "fiscal_year": int(row["fiscal_year"]),
            "actual": float(row["活動実績"]) if row["活動実績"] else None,
            "forecast": float(row["当初見込み"]) if row["当初見込み"] else None,
            "source_url": row["source_url"],
        }
        for row in _rows(text)
    ]


def _prefecture(recipient: str) -> int | None:
    if not recipient.endswith(("都", "道", "府", "県")):
        return None  # a city, a foundation, 「その他」
    try:
        return prefecture_code(recipient)
    except PrefectureError:
        return None


def payment_rows(text: str) -> list[dict[str, Any]]:
    return [
        {
            "sheet": row["sheet"],
            "sheet_order": sheet_order(row["sheet"]),
            "payment_fiscal_year": int(row["payment_fiscal_year"]),
            "payment_group": row["group"],
            "rank": int(row["rank"]),
            "recipient": row["recipient"],
            "prefecture_code": _prefecture(row["recipient"]),
            "corporate_number": row.get("corporate_number") or None,
            "description": row.get("description") or None,
            "amount_yen": to_yen(row["amount"], row["unit"]),
            "published_value": row["amount"],
            "published_unit": row["unit"],
            "tolerance_yen": tolerance_yen(row["amount"], row["unit"]),
            "source_url": row["source_url"],
        }
        for row in _rows(text)
    ]
