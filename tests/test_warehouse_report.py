"""The HTML report: self-contained, charts drawn, tested in a real headless Chromium."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT
from tests.support import load_texts
from tests.test_warehouse_views import REPORTS
from warehouse.report import build_report

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = load_texts(tmp_path_factory.mktemp("report"), REPORTS)
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return build_report(conn)
    finally:
        conn.close()


def test_the_page_fetches_nothing(page: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert not re.search(r"url\((?!data:|#)", page)  # only inline data and in-page ids
    assert "<script" not in page
    assert "data:font/ttf;base64," in page  # its Japanese font travels with it


def test_the_page_has_its_charts_and_japanese_labels(page: str) -> None:
    assert page.count("<svg") >= 4
    assert page.count("<rect x=") >= 47  # the tile map
    for label in (
        "全国の推移",
        "人口一人当たり事業費",
        "交付金割合",
        "取組内容",
        "提出状況",
        "データ品質",
    ):
        assert label in page
    # the tile map shows the latest year (FY2022): only 山口県 reported then
    assert "<title>山口県: 0.2円/人</title>" in page
    assert "<title>東京都: 報告なし</title>" in page
    assert "amount_identity" in page  # the data-quality table


def test_every_prefecture_has_its_own_tile() -> None:
    text = resources.files("warehouse").joinpath("seeds", "japan_tiles.csv").read_text("utf-8")
    tiles = list(csv.DictReader(io.StringIO(text)))
    assert sorted(int(t["prefecture_code"]) for t in tiles) == list(range(1, 48))
    assert len({(t["col"], t["row"]) for t in tiles}) == 47


def _chromium(tmp_path: Path) -> tuple[str, list[str]]:
    """Debian's chromium and the flags of a headless run with a profile of its own."""
    browser = shutil.which("chromium")
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser test: make test installs Debian's chromium")
        pytest.skip("chromium is not installed (make test installs it on Debian as root)")
    flags = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    return browser, flags


def test_the_page_renders_in_headless_chromium(page: str, tmp_path: Path) -> None:
    browser, flags = _chromium(tmp_path)
    html_file = tmp_path / "report.html"
    html_file.write_text(page, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "report.png"
    screenshot.unlink(missing_ok=True)
    flags += ["--enable-logging=stderr", "--v=0", "--hide-scrollbars", "--window-size=1200,2400"]
    shot = subprocess.run(
        [browser, *flags, f"--screenshot={screenshot}", html_file.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    console = [line for line in shot.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console
    assert "Failed to load resource" not in shot.stderr
    assert screenshot.exists() and screenshot.stat().st_size > 30_000
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", html_file.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout
    assert dom.count("<svg") >= 4 and "人口一人当たり事業費" in dom
    from PIL import Image

    with Image.open(screenshot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 50  # charts were drawn, not a blank page


def test_drawing_leaves_matplotlib_as_it_found_it(page: str) -> None:
    """Charts are drawn with the Figure API under the report's own style: the glyphs are
    IPAexGothic paths, and nothing of that style is left in matplotlib's global settings."""
    import matplotlib

    assert 'id="IPAexGothic-' in page
    assert matplotlib.rcParams["svg.hashsalt"] is None
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []  # no figure was opened through pyplot


def test_text_from_files_is_escaped(tmp_path: Path) -> None:
    """A file name or a reason is text, never markup (the template autoescapes)."""
    import datetime as dt

    from extract.model import SourceInfo
    from warehouse.publish import publishing_writer, write_lock

    db = tmp_path / "w.duckdb"
    name = '<img src=x onerror="alert(1)">.pdf'
    with write_lock(db), publishing_writer(db) as warehouse:
        warehouse.quarantine(
            SourceInfo(path=name, sha256="0" * 64, size_bytes=1, format="pdf"),
            "理由 <b>太字</b> & more",
            "test",
            dt.datetime(2026, 1, 1),
        )
    conn = duckdb.connect(str(db), read_only=True)
    try:
        page = build_report(conn, today=dt.date(2026, 1, 2))
    finally:
        conn.close()
    assert "<img" not in page and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;.pdf" in page
    assert "理由 &lt;b&gt;太字&lt;/b&gt; &amp; more" in page
    assert "作成 2026-01-02" in page


def test_regions_run_north_to_south() -> None:
    from transform.prefectures import PREFECTURES
    from warehouse.report import region_order

    rows = [
        {"prefecture_code": p.code, "region": p.region, "name_ja": p.name_ja} for p in PREFECTURES
    ]
    assert region_order(rows) == [
        "北海道",
        "東北",
        "関東",
        "中部",
        "近畿",
        "中国",
        "四国",
        "九州・沖縄",
    ]


def test_the_tile_map_prints_its_values_a_legend_and_readable_labels() -> None:
    from warehouse.report import ink_on, tile_map

    prefectures = [
        {"prefecture_code": 35, "name_ja": "山口県", "region": "中国"},
        {"prefecture_code": 13, "name_ja": "東京都", "region": "関東"},
        {"prefecture_code": 1, "name_ja": "北海道", "region": "北海道"},
    ]
    spending = [
        {"prefecture_code": 35, "cost_per_head": 100.0},
        {"prefecture_code": 1, "cost_per_head": 5.0},
    ]
    tiles = {t.label: t for t in tile_map(spending, prefectures).tiles}
    assert (tiles["山口"].value, tiles["東京"].value, tiles["北海道"].value) == (
        "100.0",
        "－",
        "5.0",
    )
    assert tiles["山口"].ink == "#ffffff"  # the darkest tile: white text
    assert tiles["北海道"].ink == "#000000" and tiles["東京"].ink == "#000000"
    legend = tile_map(spending, prefectures).legend
    assert legend[0].label == "0.0" and legend[-2].label == "100.0"
    assert legend[-1].label == "報告なし"
    assert ink_on("#000000") == "#ffffff" and ink_on("#ffffff") == "#000000"


def test_the_page_reads_in_japanese_and_prints_whole(page: str) -> None:
    assert "人口一人当たり総事業費（円/人）" in page  # the legend
    assert 'class="value"' in page  # values printed on the tiles, not only on hover
    assert "チェックで見つかった問題（現行の報告書ごと）" in page
    assert '<td class="short">東京都</td>' in page and "エラー" in page
    assert "break-after:avoid" in page and "@media print" in page
    assert "@page{size:A4 portrait" in page  # Chromium printed US Letter without it


def test_issues_name_their_report_year_and_file(page: str) -> None:
    """A prefecture can have reports of several years: each issue row says which."""
    row = re.search(r"<tr><td class=\"short\">東京都</td>(.*?)</tr>", page)
    assert row is not None
    cells = re.findall(r"<td class=\"\w+\">(.*?)</td>", row.group(1))
    assert cells[:2] == ["2021", "r2.txt"]
    assert cells[-1] == "amount_identity"


def test_the_page_reconciles_with_the_published_figures(page: str) -> None:
    assert "内閣府の公表額との照合" in page
    assert "支払額と報告の差が大きい都道府県（上位10、報告書のあるものだけ）" in page
    assert "ゼロとはみなしません" in page


def _table(page: str, caption: str) -> list[list[str]]:
    """The body rows of the page's table with this caption, as cell texts."""
    start = page.index(f"<caption>{caption}</caption>")
    body = page[start : page.index("</table>", start)]
    return [
        re.findall(r"<td[^>]*>(.*?)</td>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1])
    ]


@pytest.fixture(scope="module")
def national_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    from tests.test_warehouse_national import REPORTS as NATIONAL

    db = load_texts(tmp_path_factory.mktemp("national_report"), NATIONAL)
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return build_report(conn)
    finally:
        conn.close()


def test_the_top_gaps_compare_only_what_was_reported(national_page: str) -> None:
    """FY2019: the largest 「gaps」 used to be the payments to prefectures with no report on
    file (a whole payment against 0). Only reported prefecture-years are compared now, and
    those without a report are counted apart."""
    gaps = _table(national_page, "支払額と報告の差が大きい都道府県（上位10、報告書のあるものだけ）")
    assert [row[1] for row in gaps] == ["岐阜県", "福岡県", "広島県", "京都府"]  # by |difference|
    assert {row[-1] for row in gaps} <= {"報告が支払額と一致", "報告が不足", "報告が超過"}
    missing = _table(
        national_page, "報告なし：支払額の公表があり、報告書がまだない都道府県（比べていません）"
    )
    (fy2019,) = [row for row in missing if row[0] == "2019"]
    assert fy2019[1:4] == ["10都道府県", "6都道府県", "62,700,000円"]
    assert fy2019[4] == "青森県、秋田県、茨城県、富山県、愛知県、滋賀県"


def _chromium_pdf(page: str, tmp_path: Path) -> Path:
    """The page printed to PDF by headless Chromium, as a reader prints it."""
    browser, flags = _chromium(tmp_path)
    html_file = tmp_path / "report.html"
    html_file.write_text(page, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [browser, *flags, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html_file.as_uri()],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert pdf.exists() and pdf.stat().st_size > 10_000
    return pdf


def test_the_page_prints_on_a4_without_breaking_words(national_page: str, tmp_path: Path) -> None:
    """Printed by headless Chromium: A4 pages (it printed US Letter); a table's narrow
    columns keep their words whole (「都道府/県」, 「エラ/ー」 before); a caption is printed on
    the page its table starts on."""
    import pdfplumber

    pdf = _chromium_pdf(national_page, tmp_path)
    with pdfplumber.open(pdf) as document:
        sizes = {(round(p.width), round(p.height)) for p in document.pages}
        lines = [
            (number, line)
            for number, p in enumerate(document.pages)
            for line in (p.extract_text() or "").splitlines()
        ]
    assert sizes == {(595, 842)}
    texts = [line for _, line in lines]
    header = next(line for line in texts if line.startswith("年度 都道府県 支払額（公表）"))
    assert header.split() == [
        "年度",
        "都道府県",
        "支払額（公表）",
        "報告の本交付金(B)",
        "差額",
        "照合結果",
    ]
    assert not [line for line in texts if line.strip() in ("都道府", "県", "エラ", "ー")]
    caption = next(n for n, line in lines if line.startswith("報告なし：支払額の公表があり"))
    first_row = next(n for n, line in lines if line.startswith("2014 "))
    assert caption == first_row  # the heading kept with its table


def test_a_quarantined_file_shows_the_sha256_a_correction_needs(tmp_path: Path) -> None:
    """Problem 6 of issue 23: the SHA-256 was in no report; a clerk had to ask for SQL."""
    import datetime as dt

    from extract.model import SourceInfo
    from warehouse.publish import publishing_writer, write_lock

    db, sha = tmp_path / "w.duckdb", "ab" * 32
    with write_lock(db), publishing_writer(db) as warehouse:
        source = SourceInfo(path="/inbox/bad.pdf", sha256=sha, size_bytes=1, format="pdf")
        warehouse.quarantine(source, "壊れています", "test", dt.datetime(2026, 1, 1))
    conn = duckdb.connect(str(db), read_only=True)
    try:
        page = build_report(conn, today=dt.date(2026, 1, 2))
    finally:
        conn.close()
    assert f"sha256 = &#34;{sha}&#34;" in page and "訂正ファイルのひな形" in page
