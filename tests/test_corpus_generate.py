"""The sample-corpus generator: deterministic, in step with data/sample, privacy-safe."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from tests.conftest import SAMPLE
from tests.corpus.bank import PROJECTS
from tests.corpus.generate import write_corpus, write_sample


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_committed_sample_is_what_the_generator_writes(tmp_path: Path) -> None:
    out = tmp_path / "sample"
    out.mkdir()
    (out / "000_b75168460d201e43.txt").write_bytes(
        (SAMPLE / "000_b75168460d201e43.txt").read_bytes()
    )
    write_sample(out)
    assert _digests(out) == _digests(SAMPLE), "run: .venv/bin/python -m tests.corpus --sample"


def test_larger_corpus_is_deterministic_and_spans_fiscal_years(tmp_path: Path) -> None:
    write_corpus(tmp_path / "a", count=60, seed=7)
    write_corpus(tmp_path / "b", count=60, seed=7)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    years = {
        json.loads(p.read_text())["report"]["fiscal_year"]
        for p in (tmp_path / "a" / "truth").glob("*.json")
    }
    assert years == {2015, 2016}


def test_bank_has_fifteen_projects_and_only_example_mail_domains() -> None:
    assert len(PROJECTS) >= 15
    for path in (SAMPLE / "truth").glob("*.json"):
        truth = json.loads(path.read_text(encoding="utf-8"))
        if path.name.startswith("000_"):  # the real report
            continue
        email = truth.get("contact", {}).get("email")
        if email:
            assert re.fullmatch(r"[\w.]+@example\.(jp|org|com)", email), email


def test_landscape_reports_are_printed_on_a4_landscape() -> None:
    """The sample's landscape PDFs (and the golden case) are A4 on its side, the grid
    widened to the page, so the reader meets them as offices print them."""
    import pdfplumber

    landscape = [
        path
        for path in sorted(SAMPLE.glob("*.pdf"))
        if json.loads((SAMPLE / "truth" / f"{path.name}.json").read_text(encoding="utf-8"))
        .get("variant", {})
        .get("landscape")
    ]
    assert len(landscape) >= 4
    for path in [*landscape, Path(__file__).parent / "golden" / "pdf_a4_landscape" / "report.pdf"]:
        with pdfplumber.open(path) as pdf:
            page = pdf.pages[0]
            assert (round(page.width), round(page.height)) == (842, 595), path.name
            assert max(edge["x1"] for edge in page.edges) > 600, path.name  # the grid is wide
