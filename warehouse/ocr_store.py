"""Scans' OCR records in the warehouse (``ocr_reads``, ``ocr_fields``), and the hold on a
scan awaiting review: its file is recorded as quarantined (``needs_review``) with what to
check, and none of its rows reach reports, the marts or the exports."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import duckdb

from extract.errors import ReasonCode
from transform.records import NormalizedReport
from warehouse.db import insert_frame
from warehouse.rows import frame

NEEDS_REVIEW: ReasonCode = "needs_review"
OCR_TABLES = ("ocr_reads", "ocr_fields")


def review_reason(nr: NormalizedReport) -> str:
    """The quarantine reason of a scan awaiting review: what to check and how to confirm."""
    assert nr.ocr is not None
    shown = "、".join(nr.ocr.evidence[:4]) + (" …" if len(nr.ocr.evidence) > 4 else "")
    return (
        "スキャンを OCR で読みました。確かめるまで集計には入れません"
        f"（{shown}）。`jokatsu review` の確認画面でスキャンと見比べ、訂正ファイルに "
        "confirm = true と、誤りがあれば [[fix]] を書いてください。"
    )


def ocr_rows(reports: Sequence[NormalizedReport], now: datetime) -> dict[str, list[dict[str, Any]]]:
    reads: list[dict[str, Any]] = []
    fields: list[dict[str, Any]] = []
    for nr in reports:
        if nr.ocr is None:
            continue
        row = {f.name: getattr(nr.ocr, f.name) for f in dataclasses.fields(nr.ocr)}
        row.pop("fields")
        row["preprocessing"] = list(row["preprocessing"])
        row["evidence"] = list(row["evidence"])
        row["read_at"] = now
        reads.append(row)
        for field in nr.ocr.fields:
            columns = {f.name: getattr(field, f.name) for f in dataclasses.fields(field)}
            columns["bbox"] = list(field.bbox)
            columns["corrections"] = list(field.corrections)
            fields.append(columns)
    return {"ocr_reads": reads, "ocr_fields": fields}


def store_ocr(
    conn: duckdb.DuckDBPyConnection, reports: Sequence[NormalizedReport], now: datetime
) -> None:
    """Replace the OCR records of these reports' files with theirs."""
    shas = sorted({nr.source.sha256 for nr in reports})
    if not shas:
        return
    for table in OCR_TABLES:
        conn.execute(
            f"delete from {table} where source_sha256 in (select unnest(?::varchar[]))", [shas]
        )
    for table, rows in ocr_rows(reports, now).items():
        if rows:
            insert_frame(conn, table, frame(conn, table, rows))
