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
import functools
import html
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, ParamSpec

import duckdb
import jinja2
import matplotlib
import matplotlib_fontja
from matplotlib import colormaps
from matplotlib.colors import Normalize, to_hex
from matplotlib.figure import Figure

from extract.form import CONTACT_SECTION
from extract.personal import redact
from transform.corrections import corrections_skeleton, field_key
from transform.prefectures import short_name

FONT_FILE = Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"
# Set only while the report draws (no global matplotlib state is changed on import).
STYLE: dict[Any, Any] = {
    "font.family": "IPAexGothic",
    "svg.fonttype": "path",
    "svg.hashsalt": "jokatsu",  # stable ids: the same data gives the same page
}
P = ParamSpec("P")
TITLE = "地域女性活躍推進交付金 実績報告 集計"
TILE = 46


def _styled(draw: Callable[P, str]) -> Callable[P, str]:
    """Draw a chart under the report's style only (fonts are resolved as text is made)."""

    @functools.wraps(draw)
    def styled(*args: P.args, **kwargs: P.kwargs) -> str:
        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)

    return styled


def _rows(
    conn: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params or [])
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height))


def _man_yen(value: float) -> str:
    return f"{value / 10_000:,.0f}万円"


@_styled
def chart_totals_by_year(years: list[dict[str, Any]]) -> str:
    figure = _figure(7, 3.2)
    axis = figure.subplots()
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


def region_order(prefectures: list[dict[str, Any]]) -> list[str]:
    """Regions north to south, as JIS X 0401 numbers the prefectures (北海道 → 九州・沖縄)."""
    first: dict[str, int] = {}
    for p in prefectures:
        first[p["region"]] = min(first.get(p["region"], 99), p["prefecture_code"])
    return sorted(first, key=first.__getitem__)


@_styled
def chart_grant_share(
    regions: list[dict[str, Any]], order: list[str], coverage: dict[str, tuple[int, int]]
) -> str:
    """B/A per region over all years, each bar saying how many of the region's prefectures
    it covers (``coverage``: region → (prefectures that reported, prefectures in it))."""
    figure = _figure(7, 3.2)
    axis = figure.subplots()
    names = [name for name in order if any(r["region"] == name for r in regions)]
    shares = []
    for name in names:
        rows = [r for r in regions if r["region"] == name]
        total = sum(float(r["total_cost"]) for r in rows)
        shares.append(100 * sum(float(r["grant_amount"]) for r in rows) / total if total else 0)
    bars = axis.barh(names, shares, color="#2f6db5")
    labels = [
        f"{v:.0f}%（{coverage[n][0]}/{coverage[n][1]}都道府県）"
        for v, n in zip(shares, names, strict=True)
    ]
    axis.bar_label(bars, labels=labels, padding=3, fontsize=8)
    axis.set_xlim(0, 100)
    axis.set_xlabel("総事業費に占める本交付金の割合（%）")
    axis.set_title("地方別の交付金割合（全年度、北から南へ）")
    axis.invert_yaxis()
    return _svg(figure)


@_styled
def chart_reconciliation(years: list[dict[str, Any]]) -> str:
    """Executed amount of the budget line beside the reported 本交付金 (B), by fiscal year."""
    shown = [r for r in years if r["reports"] or r["executed_amount"]]
    figure = _figure(7, 3.2)
    axis = figure.subplots()
    labels = [f"{r['fiscal_year']}" for r in shown]
    positions = list(range(len(shown)))
    executed = [
        (p - 0.2, float(r["executed_amount"]) / 1e8)
        for p, r in zip(positions, shown, strict=True)
        if r["executed_amount"] is not None
    ]
    # a year without a report on file has no bar (and says so), never a bar of zero
    reported = [
        (p + 0.2, float(r["reported_grant_amount"]) / 1e8)
        for p, r in zip(positions, shown, strict=True)
        if r["reported_grant_amount"] is not None
    ]
    axis.bar(
        [x for x, _ in executed],
        [v for _, v in executed],
        width=0.4,
        label="執行額（内閣府）",
        color="#9aa7b8",
    )
    axis.bar(
        [x for x, _ in reported],
        [v for _, v in reported],
        width=0.4,
        label="報告の本交付金(B)",
        color="#2f6db5",
    )
    for p, r in zip(positions, shown, strict=True):
        if r["executed_amount"] is None:
            axis.text(p - 0.2, 0, "未公表", ha="center", va="bottom", fontsize=7, rotation=90)
        if r["reported_grant_amount"] is None:
            axis.text(p + 0.2, 0, "報告なし", ha="center", va="bottom", fontsize=7, rotation=90)
    axis.set_xticks(positions, labels, fontsize=8)
    axis.set_ylabel("億円")
    axis.set_title("執行額と報告された本交付金（年度別）")
    axis.legend(frameon=False, fontsize=8)
    return _svg(figure)


@_styled
def chart_activity_heatmap(activity: list[dict[str, Any]]) -> str:
    labels = sorted({r["activity_label"] for r in activity})
    years = sorted({r["fiscal_year"] for r in activity})
    grid = [[0] * len(years) for _ in labels]
    for r in activity:
        grid[labels.index(r["activity_label"])][years.index(r["fiscal_year"])] += r["reports"]
    figure = _figure(7, 0.35 * len(labels) + 1.2)
    axis = figure.subplots()
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


@dataclass(frozen=True)
class Tile:
    """One prefecture's square on the tile map (the template draws it): its name and its
    value printed on it (readable in print), the text white on dark fills."""

    x: int
    y: int
    cx: float
    cy: float
    fill: str
    label: str
    value: str
    ink: str
    tip: str
    size: int = TILE - 2


@dataclass(frozen=True)
class LegendStop:
    x: int
    fill: str
    label: str


@dataclass(frozen=True)
class TileMap:
    tiles: list[Tile]
    legend: list[LegendStop]
    unit: str = "円/人"
    width: int = 14 * TILE
    height: int = 12 * TILE


def tile_map(spending: list[dict[str, Any]], prefectures: list[dict[str, Any]]) -> TileMap:
    """Japan as 47 tiles coloured by cost per head (yen) in the latest fiscal year."""
    text = resources.files("warehouse").joinpath("seeds", "japan_tiles.csv").read_text("utf-8")
    places = {
        int(r["prefecture_code"]): (int(r["col"]), int(r["row"]))
        for r in csv.DictReader(io.StringIO(text))
    }
    values = {r["prefecture_code"]: float(r["cost_per_head"]) for r in spending}
    scale = Normalize(vmin=0, vmax=max(values.values(), default=1) or 1)
    colours = colormaps["YlOrRd"]
    tiles = []
    for p in prefectures:
        col, row = places[p["prefecture_code"]]
        value = values.get(p["prefecture_code"])
        fill = to_hex(colours(scale(value))) if value is not None else "#e6e6e6"
        tiles.append(
            Tile(
                x=col * TILE + 1,
                y=row * TILE + 1,
                cx=col * TILE + TILE / 2,
                cy=row * TILE + TILE / 2 - 2,
                fill=fill,
                label=short_name(p["name_ja"]),
                value=f"{value:.1f}" if value is not None else "－",
                ink=ink_on(fill),
                tip=f"{p['name_ja']}: {f'{value:.1f}円/人' if value is not None else '報告なし'}",
            )
        )
    top = scale.vmax if scale.vmax is not None else 1.0
    steps = 5
    legend = [
        LegendStop(
            x=TILE + i * 2 * TILE,
            fill=to_hex(colours(i / steps)),
            label=f"{top * i / steps:.1f}",
        )
        for i in range(steps + 1)
    ]
    legend.append(LegendStop(x=TILE + (steps + 1) * 2 * TILE, fill="#e6e6e6", label="報告なし"))
    return TileMap(tiles, legend)


def ink_on(fill: str) -> str:
    """Black or white text, whichever reads on the fill (WCAG relative luminance)."""
    from matplotlib.colors import to_rgb

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(fill))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    # contrast with black (L+0.05)/0.05 against white 1.05/(L+0.05): the larger wins
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


@dataclass(frozen=True)
class Coverage:
    years: list[int]
    rows: list[tuple[str, dict[int, bool]]]


def coverage_matrix(coverage: list[dict[str, Any]]) -> Coverage:
    years = sorted({r["fiscal_year"] for r in coverage})
    by_prefecture: dict[str, dict[int, bool]] = {}
    for r in coverage:
        by_prefecture.setdefault(r["prefecture_name"], {})[r["fiscal_year"]] = r["has_reported"]
    return Coverage(years, list(by_prefecture.items()))


CellKind = Literal["num", "short", "long", "names", "toml"]


@dataclass(frozen=True)
class HtmlTable:
    """A table of the page; ``kinds`` says how each column prints: ``num`` right-aligned on
    one line, ``short`` on one line (names, labels, codes: never broken inside a word),
    ``long`` wrapped (file names, messages), ``names`` a list of names wrapped only between
    them (after 「、」)."""

    header: list[str]
    rows: list[list[Any]]
    caption: str = ""
    kinds: list[CellKind] = field(default_factory=list)

    def kind(self, index: int) -> str:
        return self.kinds[index] if index < len(self.kinds) else "short"


@dataclass(frozen=True)
class Section:
    """One section of the page: a chart, the tile map, the coverage table or tables."""

    title: str
    svg: str = ""
    tiles: TileMap | None = None
    coverage: Coverage | None = None
    tables: list[HtmlTable] = field(default_factory=list)
    note: str = ""
    empty: str = ""
    review_link: tuple[str, str] | None = None  # (href, text): the OCR review page


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
@page{size:A4 portrait;margin:14mm 12mm}
body{font-family:'IPAexGothicSubset',sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;border-bottom:2px solid #2f6db5;padding-bottom:4px}
h2,h3{break-after:avoid;page-break-after:avoid}
section{margin-bottom:32px} .kpi{display:flex;gap:16px;flex-wrap:wrap}
.kpi div{background:#f3f6fb;padding:10px 14px;border-radius:6px}
.kpi b{display:block;font-size:20px}
table{border-collapse:collapse;font-size:12px;margin-bottom:12px}
caption{text-align:left;font-weight:bold;font-size:14px;padding:6px 0}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{white-space:nowrap;background:#f3f6fb}
td.num{text-align:right;white-space:nowrap}td.short{white-space:nowrap}
td.long{overflow-wrap:anywhere;min-width:12em}td.names{word-break:keep-all}
td.toml{white-space:pre-wrap;overflow-wrap:anywhere;font-family:monospace;font-size:11px;min-width:22em}
.coverage td{text-align:center;width:40px}.coverage .yes{background:#cfe3c4}
.coverage .no{background:#f6d5d5} .legend{font-size:12px;color:#555}
svg{max-width:100%;height:auto}
.figure{break-inside:avoid;page-break-inside:avoid}
@media print{body{margin:0;max-width:none}table{break-inside:auto;width:100%}
tr{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}
caption{break-after:avoid}.tilemap{width:460px;height:auto}}
"""


def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("warehouse", "templates"),
        autoescape=True,  # report text (file names, reasons) is never markup
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("report.html.j2")


# Compared only where both a payment is published and a report is on file (報告なし and
# 支払額の公表なし are shown apart, never as a gap of the whole payment).
GAPS_SQL = (
    "select * from mart_reconciliation_prefecture_year "
    "where paid_amount is not null and reported_grant_amount is not null "
    "order by abs(difference) desc, fiscal_year, prefecture_code limit 10"
)
NO_REPORT_SQL = (
    "select fiscal_year, count(*) as prefectures, sum(paid_amount)::bigint as paid, "
    "string_agg(prefecture_name, '、' order by prefecture_code) as names "
    "from mart_reconciliation_prefecture_year where status = '報告なし' "
    "group by fiscal_year order by fiscal_year"
)


def _yen(value: int | None) -> str:
    return "－" if value is None else f"{value:,}円"


def reconciliation_section(conn: duckdb.DuckDBPyConnection) -> Section:
    national = _rows(conn, "select * from mart_reconciliation_national_year")
    gaps = _rows(conn, GAPS_SQL)
    missing = _rows(conn, NO_REPORT_SQL)
    published = {r["fiscal_year"]: r["prefectures_paid_published"] for r in national}
    return Section(
        "内閣府の公表額との照合",
        svg=chart_reconciliation(national) if national else "",
        tables=[
            HtmlTable(
                ["年度", "都道府県", "支払額（公表）", "報告の本交付金(B)", "差額", "照合結果"],
                [
                    [
                        r["fiscal_year"],
                        r["prefecture_name"],
                        _yen(r["paid_amount"]),
                        _yen(r["reported_grant_amount"]),
                        f"{r['difference']:+,}円",
                        r["status"],
                    ]
                    for r in gaps
                ],
                caption="支払額と報告の差が大きい都道府県（上位10、報告書のあるものだけ）",
                kinds=["num", "short", "num", "num", "num", "short"],
            ),
            HtmlTable(
                ["年度", "支払の公表", "うち報告なし", "その支払額（公表）", "報告なしの都道府県"],
                [
                    [
                        r["fiscal_year"],
                        f"{published.get(r['fiscal_year']) or 0}都道府県",
                        f"{r['prefectures']}都道府県",
                        _yen(r["paid"]),
                        r["names"],
                    ]
                    for r in missing
                ],
                caption="報告なし：支払額の公表があり、報告書がまだない都道府県（比べていません）",
                kinds=["num", "num", "num", "num", "names"],
            ),
        ],
        note="執行額は交付金を含む予算事業全体の支出（繰越しや市町村への支出を含む）、支払額は"
        "内閣府が公表した上位10支出先のみ。支払額の公表がない年・都道府県も、報告書がない"
        "年・都道府県も比べていません（ゼロとはみなしません）。グラフの「報告なし」は報告書が"
        "1件もない年度です。",
    )


# The review page's place beside the report (both written to data/ by default).
REVIEW_PAGE = "review.html"


def corrected_value(name: str, value: str) -> str:
    """A value a clerk corrected, as the page shows it: through the personal-data gate, and
    never the contact section's (personal data, kept in ``contacts`` only)."""
    if field_key(name) == str(CONTACT_SECTION):
        return "〔連絡先のため表示しません〕"
    return redact(value)


def data_quality_section(conn: duckdb.DuckDBPyConnection) -> Section:
    issues = _rows(conn, "select * from mart_issues_by_report")
    quarantined = _rows(conn, "select path, sha256, reason from mart_quarantined_files")
    corrected = _rows(
        conn,
        "select c.prefecture_name, c.fiscal_year, c.project_title, c.field, c.value, "
        "c.corrections_file from mart_corrections c join stg_reports r using (report_id) "
        "order by all",
    )
    held = _rows(
        conn, "select count(*) as n from stg_ocr_reads where review_status = 'needs_review'"
    )[0]["n"]
    return Section(
        "データ品質",
        review_link=(REVIEW_PAGE, f"OCR の確認待ち {held} 件: 確認画面（jokatsu review）")
        if held
        else None,
        tables=[
            HtmlTable(
                ["都道府県", "年度", "ファイル", "チェック内容", "重大度", "件数", "コード"],
                [
                    [
                        r["prefecture_name"],
                        r["fiscal_year"],
                        r["source_path"],
                        r["rule_label"],
                        r["severity_label"],
                        r["issues"],
                        r["rule"],
                    ]
                    for r in issues
                ],
                caption="チェックで見つかった問題（現行の報告書ごと）",
                kinds=["short", "num", "long", "long", "short", "num", "short"],
            ),
            HtmlTable(
                ["ファイル", "理由", "訂正ファイルのひな形（sha256 はこのファイルの SHA-256）"],
                [[r["path"], r["reason"], corrections_skeleton(r["sha256"])] for r in quarantined],
                caption="読込不可のファイル（ひな形を訂正フォルダ data/corrections/ に .toml で保存"
                "して直せます）",
                kinds=["long", "long", "toml"],
            ),
            HtmlTable(
                ["都道府県", "年度", "事業名", "項目", "訂正後の値", "訂正ファイル"],
                [
                    [
                        r["prefecture_name"],
                        r["fiscal_year"],
                        r["project_title"],
                        r["field"],
                        corrected_value(r["field"], r["value"]),
                        r["corrections_file"],
                    ]
                    for r in corrected
                ],
                caption="手で訂正した値（事務担当者の訂正ファイルによる。この報告の数字は訂正後の"
                "もの）",
                kinds=["short", "num", "long", "short", "long", "long"],
            ),
        ],
    )


def build_report(conn: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> str:
    """The whole page, from the analyst views of an open warehouse."""
    from warehouse.export import require_current_definitions

    require_current_definitions(conn)
    years = _rows(conn, "select * from mart_spending_by_year")
    regions = _rows(conn, "select * from mart_spending_by_region_year")
    latest = max((r["fiscal_year"] for r in years), default=None)
    spending = _rows(
        conn,
        "select * from mart_spending_by_prefecture_year where fiscal_year = ?",
        [latest or 0],
    )
    prefectures = _rows(
        conn, "select prefecture_code, name_ja, region from stg_prefectures order by 1"
    )
    region_coverage = {
        region: (reported, of)
        for region, reported, of in conn.execute(
            "select p.region, count(distinct r.prefecture_code), count(distinct p.prefecture_code) "
            "from stg_prefectures p left join stg_reports r using (prefecture_code) group by all"
        ).fetchall()
    }
    activity = _rows(conn, "select * from mart_activities_by_prefecture_year")
    coverage = _rows(conn, "select * from mart_coverage")
    (quarantined,) = conn.execute("select count(*) from mart_quarantined_files").fetchone() or (0,)
    total = sum(float(r["total_cost"]) for r in years)
    grant = sum(float(r["grant_amount"]) for r in years)
    kpis = [
        ("総事業費（全年度）", _man_yen(total)),
        ("本交付金", _man_yen(grant)),
        ("交付金割合", f"{100 * grant / total:.1f}%" if total else "－"),
        ("報告書（現行）", f"{sum(r['projects'] for r in years)}件"),
        ("エラーのある報告書", f"{sum(r['reports_with_errors'] for r in years)}件"),
        ("読込不可ファイル", f"{quarantined}件"),
    ]
    sections = [
        Section(
            "全国の推移",
            svg=chart_totals_by_year(years) if years else "",
            empty="" if years else "報告書がありません。",
            note="報告書のある都道府県の合計（年度ごとの都道府県数: "
            + "、".join(f"{r['fiscal_year']}年度 {r['prefectures']}" for r in years)
            + "）。",
        ),
        Section(
            f"人口一人当たり事業費（{latest}年度）",
            tiles=tile_map(spending, prefectures),
            note="各タイルの数字は人口一人当たりの総事業費（円）。色が濃いほど大きく、灰色は"
            "報告なし（2020年国勢調査の人口による）。",
        ),
        Section(
            "交付金割合",
            svg=chart_grant_share(regions, region_order(prefectures), region_coverage)
            if regions
            else "",
            note="括弧内は報告書のある都道府県の数／地方の都道府県の数（全年度）。",
        ),
        Section("取組内容", svg=chart_activity_heatmap(activity) if activity else ""),
        reconciliation_section(conn),
        Section("提出状況", coverage=coverage_matrix(coverage)),
        data_quality_section(conn),
    ]
    context: dict[str, Any] = {
        "title": TITLE,
        "made_on": (today or dt.date.today()).isoformat(),
        "kpis": kpis,
        "sections": sections,
        "css": CSS,
    }
    template = _template()
    text_only = template.render(context, font_face="")
    return template.render(context, font_face=_font_face(html.unescape(text_only)))
