"""The review page: every scan awaiting a clerk's review, its cells beside the values read.

For each report read by OCR and held (``needs_review``), one section: the scan's file and
why it was held, then each field with the picture of its cell (cut from the scan again,
turned straight as the reader turned it), the value read, both models' raw readings and
the corrections made; uncertain fields are highlighted and come first. Below, a
corrections file ready to edit: ``confirm = true`` and, commented out, a ``[[fix]]`` for
each uncertain field with the value read. One self-contained HTML page (pictures inline).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import jinja2

from warehouse.report import _rows

CONTACT_FIELD = "10"  # 担当者名及び連絡先
DECIDING = ("amount", "prefecture", "period", "budget", "example", "number")


@dataclass
class ReviewField:
    field: str
    kind: str
    value: str
    readings: list[tuple[str, str]]
    corrections: list[str]
    uncertain: bool
    confidence: float
    image: str | None  # data: URI of the cell's picture, None when the scan is not at hand


@dataclass
class ReviewReport:
    report_id: str
    path: str
    sha256: str
    evidence: list[str]
    engine: str
    dpi: int
    preprocessing: list[str]
    fields: list[ReviewField] = field(default_factory=list)
    missing_scan: str = ""

    @property
    def corrections_file(self) -> str:
        lines = [
            f"# 確認画面（jokatsu review）で見比べた {Path(self.path).name} の訂正ファイル",
            f'sha256 = "{self.sha256}"',
            'corrected_by = ""          # 確認した人（氏名と課）',
            'reason = ""                # 何と見比べたか（例: スキャンと見比べた）',
            "confirm = true             # すべての値をスキャンと見比べた",
        ]
        for f in self.fields:
            if f.uncertain:
                lines += [
                    "",
                    "# 読み取りが確かでない欄: 正しければそのまま、誤りなら # を外して直す",
                    "# [[fix]]",
                    f'# field = "{f.field}"',
                    f'# value = "{f.value}"',
                ]
        return "\n".join(lines) + "\n"


def _pages(path: Path) -> dict[int, Any]:
    """The scan's pages as the reader prepared them (grey, straightened), by number."""
    from extract.ocr.pages import load_image_pages, render_pdf_pages
    from extract.ocr.preprocess import prepare

    data = path.read_bytes()
    pages = render_pdf_pages(data) if path.suffix.lower() == ".pdf" else load_image_pages(data)
    return {page.number: prepare(page) for page in pages}


def _crop(page: Any, bbox: list[float], kind: str) -> str:
    import cv2

    scale = page.dpi / 72
    x0, top, x1, bottom = (round(v * scale) for v in bbox)
    pad = 6
    part = page.grey[max(0, top - pad) : bottom + pad, max(0, x0 - pad) : x1 + pad]
    shrink = 0.4 if kind in ("body", "text", "remarks", "label") else 0.6
    part = cv2.resize(part, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
    ok, png = cv2.imencode(".png", part)
    return "data:image/png;base64," + base64.b64encode(png.tobytes()).decode() if ok else ""


def reports_awaiting_review(conn: duckdb.DuckDBPyConnection) -> list[ReviewReport]:
    reads = _rows(
        conn,
        "select * from stg_ocr_reads where review_status = 'needs_review' order by path",
    )
    out = []
    for read in reads:
        report = ReviewReport(
            read["report_id"],
            read["path"] or "",
            read["source_sha256"],
            list(read["evidence"]),
            read["engine"],
            read["dpi"],
            list(read["preprocessing"]),
        )
        fields = _rows(
            conn,
            "select * from stg_ocr_fields where report_id = ? order by page, bbox[2], bbox[1]",
            [read["report_id"]],
        )
        pages: dict[int, Any] = {}
        try:
            pages = _pages(Path(report.path))
        except Exception as exc:  # the page still serves without pictures
            report.missing_scan = f"スキャンを開けません（{type(exc).__name__}）: 値だけを示します"
        for f in fields:
            if f["field"] == CONTACT_FIELD:
                continue  # personal data: the contact block is not shown (nor needed for money)
            page = pages.get(f["page"])
            report.fields.append(
                ReviewField(
                    f["field"],
                    f["kind"],
                    f["value"],
                    [
                        (m, r)
                        for m, r in (("jpn", f["reading_jpn"]), ("Japanese", f["reading_japanese"]))
                        if r is not None
                    ],
                    list(f["corrections"]),
                    bool(f["uncertain"]),
                    float(f["confidence"]),
                    _crop(page, list(f["bbox"]), f["kind"]) if page is not None else None,
                )
            )
        report.fields.sort(key=lambda f: (not f.uncertain, f.kind not in DECIDING))
        out.append(report)
    return out


def build_review(conn: duckdb.DuckDBPyConnection) -> str:
    """The review page for every report awaiting review, from an open warehouse."""
    text = resources.files("warehouse").joinpath("templates", "review.html.j2").read_text("utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(text).render(reports=reports_awaiting_review(conn))


def awaiting_review(conn: duckdb.DuckDBPyConnection) -> int:
    """How many reports read by OCR await a clerk's review."""
    row = conn.execute(
        "select count(*) from stg_ocr_reads where review_status = 'needs_review'"
    ).fetchone()
    return int(row[0]) if row else 0
