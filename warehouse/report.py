"""``jokatsu report``: one self-contained HTML page of charts for people to look at.

Everything is inline: charts are SVG drawn by matplotlib with the glyphs as paths, the tile
map and tables are plain HTML/SVG, and the page's own text uses a subset of IPAexGothic
embedded as a data URL. The page runs no script and fetches nothing, so it opens offline and
its Japanese renders on a machine with no Japanese font.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import io
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt
import matplotlib_fontja
from matplotlib import colormaps
from matplotlib.colors import Normalize, to_hex

FONT_FILE = Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"
plt.rcParams["font.family"] = "IPAexGothic"
plt.rcParams["svg.fonttype"] = "path"
plt.rcParams["svg.hashsalt"] = "jokatsu"  # stable ids: the same data gives the same page

TILE = 46


def _rows(conn: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = conn.execute(sql)
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _man_yen(value: float) -> str:
    return f"{value / 10_000:,.0f}万円"


def chart_totals_by_year(years: list[dict[str, Any]]) -> str:
    figure, axis = plt.subplots(figsize=(7, 3.2))
    labels = [f"{r['fiscal_year']}年度" for r in years]
    bottom = [0.0] * len(years)
    for key, label, colour in (
        ("grant_amount", "本交付金(B)", "#2f6db5"),
        ("other_funds", "他の寄付金等(C)", "#f2a541"),
        ("own_funds", "自己資金(D)", "#8fbf6a"),
    ):
        values = [float(r[key]) / 1e8 for r in years]
        axis.bar(labels, values, bottom=bottom, label=label, color=colour)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axis.set_ylabel("億円")
    axis.set_title("全国の総事業費（年度別）")
    axis.legend(frameon=False, fontsize=8)
    return _svg(figure)


def chart_grant_share(regions: list[dict[str, Any]]) -> str:
    figure, axis = plt.subplots(figsize=(7, 3.2))
    names = sorted({r["region"] for r in regions})
    shares = []
    for name in names:
        rows = [r for r in regions if r["region"] == name]
        total = sum(float(r["total_cost"]) for r in rows)
        shares.append(100 * sum(float(r["grant_amount"]) for r in rows) / total if total else 0)
    axis.barh(names, shares, color="#2f6db5")
    axis.set_xlim(0, 100)
    axis.set_xlabel("総事業費に占める本交付金の割合（%）")
    axis.set_title("地方別の交付金割合（全年度）")
    axis.invert_yaxis()
    return _svg(figure)


def chart_activity_heatmap(activity: list[dict[str, Any]]) -> str:
    labels = sorted({r["activity_label"] for r in activity})
    years = sorted({r["fiscal_year"] for r in activity})
    grid = [[0] * len(years) for _ in labels]
    for r in activity:
        grid[labels.index(r["activity_label"])][years.index(r["fiscal_year"])] += r["reports"]
    figure, axis = plt.subplots(figsize=(7, 0.35 * len(labels) + 1.2))
    image = axis.imshow(grid, cmap="Blues", aspect="auto")
    axis.set_xticks(range(len(years)), [f"{y}年度" for y in years])
    axis.set_yticks(range(len(labels)), labels)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            axis.text(
                j,
                i,
                str(value),
                ha="center",
                va="center",
                fontsize=7,
                color="white" if value > max(map(max, grid)) / 2 else "black",
            )
    figure.colorbar(image, ax=axis, label="報告書数")
    axis.set_title("取組内容（報告書数）")
    return _svg(figure)


def tile_map(spending: list[dict[str, Any]], prefectures: list[dict[str, Any]]) -> str:
    """Japan as 47 tiles coloured by cost per head (yen) in the latest fiscal year."""
    text = resources.files("warehouse").joinpath("seeds", "japan_tiles.csv").read_text("utf-8")
    tiles = {
        int(r["prefecture_code"]): (int(r["col"]), int(r["row"]))
        for r in csv.DictReader(io.StringIO(text))
    }
    values = {r["prefecture_code"]: float(r["cost_per_head"]) for r in spending}
    scale = Normalize(vmin=0, vmax=max(values.values(), default=1) or 1)
    colours = colormaps["YlOrRd"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="tilemap" '
        f'viewBox="0 0 {14 * TILE} {11 * TILE}" width="{14 * TILE}" height="{11 * TILE}">'
    ]
    for p in prefectures:
        col, row = tiles[p["prefecture_code"]]
        value = values.get(p["prefecture_code"])
        fill = to_hex(colours(scale(value))) if value is not None else "#e6e6e6"
        tip = f"{p['name_ja']}: " + (f"{value:.1f}円/人" if value is not None else "報告なし")
        parts.append(
            f"<g><title>{html.escape(tip)}</title>"
            f'<rect x="{col * TILE + 1}" y="{row * TILE + 1}" width="{TILE - 2}" '
            f'height="{TILE - 2}" rx="4" fill="{fill}" stroke="#888"/>'
            f'<text x="{col * TILE + TILE / 2}" y="{row * TILE + TILE / 2 + 4}" '
            f'text-anchor="middle" font-size="11">{html.escape(_short(p["name_ja"]))}'
            "</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(name: str) -> str:
    """東京都 → 東京, 京都府 → 京都; 北海道 stays."""
    return name if name == "北海道" else name[:-1]


def _table(header: list[str], rows: list[list[Any]], css: str = "") -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def coverage_matrix(coverage: list[dict[str, Any]]) -> str:
    years = sorted({r["fiscal_year"] for r in coverage})
    by_prefecture: dict[str, dict[int, bool]] = {}
    for r in coverage:
        by_prefecture.setdefault(r["prefecture_name"], {})[r["fiscal_year"]] = r["has_reported"]
    header = "".join(f"<th>{y}</th>" for y in years)
    body = "".join(
        f"<tr><th>{html.escape(name)}</th>"
        + "".join(
            f'<td class="{"yes" if seen[y] else "no"}">{"○" if seen[y] else "－"}</td>'
            for y in years
        )
        + "</tr>"
        for name, seen in by_prefecture.items()
    )
    return (
        f'<table class="coverage"><thead><tr><th>都道府県</th>{header}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _font_face(page_text: str) -> str:
    """IPAexGothic cut down to the characters of this page, as a data URL."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = None
    font = subset.load_font(str(FONT_FILE), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=page_text + "0123456789,.%()（）：:-－○")
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    data = base64.b64encode(buffer.getvalue()).decode()
    return (
        "@font-face{font-family:'IPAexGothicSubset';"
        f"src:url(data:font/ttf;base64,{data}) format('truetype');}}"
    )


CSS = """
body{font-family:'IPAexGothicSubset',sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;border-bottom:2px solid #2f6db5;padding-bottom:4px}
section{margin-bottom:32px} .kpi{display:flex;gap:16px;flex-wrap:wrap}
.kpi div{background:#f3f6fb;padding:10px 14px;border-radius:6px}
.kpi b{display:block;font-size:20px} table{border-collapse:collapse;font-size:12px}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}
.coverage td{text-align:center;width:40px}.coverage .yes{background:#cfe3c4}
.coverage .no{background:#f6d5d5} .legend{font-size:12px;color:#555}
"""


def build_report(conn: duckdb.DuckDBPyConnection) -> str:
    """The whole page, from the analyst views of an open warehouse."""
    years = _rows(conn, "select * from mart_spending_by_year")
    regions = _rows(conn, "select * from mart_spending_by_region_year")
    latest = max((r["fiscal_year"] for r in years), default=None)
    spending = _rows(
        conn, f"select * from mart_spending_by_prefecture_year where fiscal_year = {latest or 0}"
    )
    prefectures = _rows(conn, "select prefecture_code, name_ja from prefectures order by 1")
    activity = _rows(conn, "select * from mart_activities_by_prefecture_year")
    coverage = _rows(conn, "select * from mart_coverage")
    quarantined = _rows(conn, "select path, reason from mart_quarantined_files")
    issues = _rows(
        conn,
        "select rule, severity, sum(issues) as issues from mart_issues_by_rule_prefecture "
        "group by all order by 1",
    )
    total = sum(float(r["total_cost"]) for r in years)
    grant = sum(float(r["grant_amount"]) for r in years)
    kpis = [
        ("総事業費（全年度）", _man_yen(total)),
        ("本交付金", _man_yen(grant)),
        ("交付金割合", f"{100 * grant / total:.1f}%" if total else "－"),
        ("報告書（現行）", f"{sum(r['projects'] for r in years)}件"),
        ("読込不可ファイル", f"{len(quarantined)}件"),
    ]
    sections = [
        ("全国の推移", chart_totals_by_year(years) if years else "<p>報告書がありません。</p>"),
        (
            f"人口一人当たり事業費（{latest}年度）",
            tile_map(spending, prefectures)
            + '<p class="legend">色が濃いほど人口一人当たりの総事業費が大きい（灰色は報告なし）。'
            "タイルにカーソルを合わせると金額を表示します。</p>",
        ),
        ("交付金割合", chart_grant_share(regions) if regions else ""),
        ("取組内容", chart_activity_heatmap(activity) if activity else ""),
        ("提出状況", coverage_matrix(coverage)),
        (
            "データ品質",
            _table(
                ["規則", "重大度", "件数"],
                [[r["rule"], r["severity"], r["issues"]] for r in issues],
            )
            + "<h3>読込不可のファイル</h3>"
            + _table(["ファイル", "理由"], [[r["path"], r["reason"]] for r in quarantined]),
        ),
    ]
    body = (
        "<h1>地域女性活躍推進交付金 実績報告 集計</h1>"
        f'<p class="legend">作成 {dt.date.today().isoformat()}・現行の報告書のみ集計</p>'
        '<div class="kpi">'
        + "".join(f"<div>{html.escape(k)}<b>{html.escape(v)}</b></div>" for k, v in kpis)
        + "</div>"
        + "".join(f"<section><h2>{html.escape(t)}</h2>{c}</section>" for t, c in sections)
    )
    font = _font_face(html.unescape(body))
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        "<title>地域女性活躍推進交付金 実績報告 集計</title>"
        f"<style>{font}{CSS}</style></head><body>{body}</body></html>"
    )
