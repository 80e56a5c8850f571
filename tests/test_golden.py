"""Golden cases: each folder under tests/golden holds one report file and expected.json.

expected.json is every row the report puts in every warehouse table (timestamps and the
pipeline version left out). ``pytest --update-golden`` rewrites them from the current code;
review the diff before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import compare_golden, dump_warehouse, load_into, pipeline

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if p.is_dir())


def _input(case: Path) -> Path:
    (found,) = [p for p in case.iterdir() if p.name != "expected.json"]
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(case: Path, tmp_path: Path, update_golden: bool) -> None:
    db = tmp_path / "golden.duckdb"
    load_into(db, pipeline(_input(case)))
    compare_golden(dump_warehouse(db), case / "expected.json", update_golden)


def test_every_case_has_expected_json() -> None:
    assert CASES, "no golden cases found"
    missing = [c.name for c in CASES if not (c / "expected.json").exists()]
    assert not missing
