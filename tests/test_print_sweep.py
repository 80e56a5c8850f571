"""The readers on forms printed and saved again by LibreOffice, live (tests/corpus: the print
and re-save sweeps, at a small size). The frozen cases in tests/golden/pdf_printed_* run
everywhere; this runs the sweeps themselves where LibreOffice Writer and Calc are installed
(``make test`` installs them from Debian as root), and skips with a message elsewhere."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.accuracy import AccuracyReport, load_truths, score, snapshot
from flows.ingest import ingest
from tests.corpus.generate import write_printed_sweep, write_resaved_sweep


def _office_missing() -> str | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return "LibreOffice is not installed (make test installs it as root on Debian)"
    program = Path(soffice).resolve().parent
    missing = [name for name in ("libswlo.so", "libsclo.so") if not (program / name).exists()]
    if missing:
        return f"LibreOffice Writer or Calc is not installed ({', '.join(missing)} missing)"
    return None


pytestmark = [
    pytest.mark.skipif(_office_missing() is not None, reason=_office_missing() or ""),
    pytest.mark.usefixtures("prefect_harness"),
]


def accuracy_of(folder: Path) -> AccuracyReport:
    """The folder ingested through the real flow and scored against its truth files."""
    db = folder / "sweep.duckdb"
    ingest(paths=[folder], db=db)
    return score(load_truths(folder), snapshot(db))


def _assert_all_read(result: AccuracyReport) -> None:
    assert result.mismatches == [], result.mismatches[:10]
    assert sum(f.fields for f in result.formats.values()) > 500


def test_forms_printed_by_libreoffice_read_right(tmp_path: Path) -> None:
    forms = tmp_path / "printed"
    assert write_printed_sweep(forms, count=12, seed=2021) == 12
    _assert_all_read(accuracy_of(forms))


def test_forms_saved_again_by_libreoffice_read_right(tmp_path: Path) -> None:
    forms = tmp_path / "resaved"
    assert write_resaved_sweep(forms, count=12, seed=2021) >= 12
    result = accuracy_of(forms)
    _assert_all_read(result)
    assert {"docx", "xlsx", "txt"} <= set(result.formats)
