"""Golden cases: each folder under tests/golden holds one report file and expected.json.

expected.json is every row the report puts in every warehouse table (timestamps and the
pipeline version left out). ``pytest --update-golden`` rewrites them from the current code;
review the diff before committing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.accuracy import score, snapshot
from tests.recorded import RECORDED, recorded_conversion
from tests.support import compare_golden, dump_warehouse, load_into, pipeline

GOLDEN = Path(__file__).parent / "golden"
# scans/ holds the OCR reader's frozen scans (tests/test_extract_ocr.py), not cases of this kind
CASES = sorted(p for p in GOLDEN.iterdir() if p.is_dir() and p.name != "scans")


def _input(case: Path) -> Path:
    (found,) = [
        p for p in case.iterdir() if p.name not in ("expected.json", "truth.json", RECORDED)
    ]
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(case: Path, tmp_path: Path, update_golden: bool) -> None:
    db = tmp_path / "golden.duckdb"
    with recorded_conversion(case):
        load_into(db, pipeline(_input(case)))
    compare_golden(dump_warehouse(db), case / "expected.json", update_golden)


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if (c / "truth.json").exists()],
    ids=[c.name for c in CASES if (c / "truth.json").exists()],
)
def test_generated_cases_match_their_truth_field_by_field(case: Path, tmp_path: Path) -> None:
    """A golden file only records output; the generator's truth says the output is right."""
    db = tmp_path / "case.duckdb"
    with recorded_conversion(case):
        load_into(db, pipeline(_input(case)))
    truth = json.loads((case / "truth.json").read_text(encoding="utf-8"))
    result = score([truth], snapshot(db))
    assert result.mismatches == []
    assert result.formats[truth["format"]].fields > 50


def test_every_case_has_expected_json() -> None:
    assert CASES, "no golden cases found"
    missing = [c.name for c in CASES if not (c / "expected.json").exists()]
    assert not missing
