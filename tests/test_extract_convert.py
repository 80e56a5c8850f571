"""Word 97-2003 files (.doc): converted by LibreOffice in a guarded process, read by the
Word reader; without LibreOffice, refused with a reason that names it and how to install it."""

from __future__ import annotations

import dataclasses
import stat
from pathlib import Path

import pytest

from extract import convert, read_document, source_info
from extract.docx_reader import read_docx
from extract.errors import FileLimitExceeded, UnreadableFile
from extract.ooxml import OLE_MAGIC
from tests.recorded import RECORDED, recorded_conversion

GOLDEN = Path(__file__).parent / "golden"
DOC_CASES = sorted(p for p in GOLDEN.glob("doc_*") if (p / RECORDED).exists())


def test_without_libreoffice_a_doc_is_refused_naming_the_program_and_its_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(convert, "libreoffice_writer", lambda: None)
    data = (DOC_CASES[0] / "report.doc").read_bytes()
    with pytest.raises(convert.ConverterMissing) as refused:
        read_document(data, source_info("r.doc", data))
    assert refused.value.code == "converter_missing"
    assert "LibreOffice Writer（soffice）" in str(refused.value)
    assert "apt-get install libreoffice-writer-nogui" in str(refused.value)


def test_a_conversion_past_its_time_limit_is_stopped_with_its_process_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 600 &\nsleep 600\n")  # never done, and a helper too
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(convert, "libreoffice_writer", lambda: str(fake))
    with pytest.raises(FileLimitExceeded) as stopped:
        convert.convert_with_libreoffice(OLE_MAGIC + b"\0" * 512, ".doc", "docx", seconds=0.5)
    assert stopped.value.code == "conversion_timeout"


def test_a_file_libreoffice_cannot_open_is_quarantined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 1\n")  # writes nothing, as LibreOffice on a broken file
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(convert, "libreoffice_writer", lambda: str(fake))
    with pytest.raises(UnreadableFile) as refused:
        convert.read_doc(OLE_MAGIC + b"\0" * 512, source_info("r.doc", b""))
    assert refused.value.code == "doc_damaged"


@pytest.mark.parametrize("data", [b"not a word file", b"\x00" * 64])
def test_bytes_that_are_no_word_97_file_are_refused_before_any_conversion(data: bytes) -> None:
    with pytest.raises(UnreadableFile) as refused:
        convert.read_doc(data, source_info("r.doc", data))
    assert refused.value.code == "doc_damaged"


def test_a_docx_named_doc_is_read_as_the_docx_it_is() -> None:
    data = (GOLDEN / "docx_heading_dai" / "report.docx").read_bytes()
    document = read_document(data, source_info("r.doc", data))
    assert document.read_path == "doc: a docx named .doc"
    assert document.sections == read_docx(data, source_info("r.docx", data)).sections


@pytest.mark.parametrize("case", DOC_CASES, ids=[c.name for c in DOC_CASES])
def test_the_recorded_conversion_is_what_libreoffice_makes_of_the_doc_now(case: Path) -> None:
    """The golden .doc cases replay LibreOffice's conversion where it is missing; where it is
    installed, its conversion today reads the same as the recorded one."""
    if convert.libreoffice_writer() is None:
        pytest.skip("LibreOffice Writer is not installed (make test installs it)")
    data = (case / "report.doc").read_bytes()
    live = read_document(data, source_info("report.doc", data))
    with recorded_conversion(case, force=True) as used:
        assert used
        recorded = read_document(data, source_info("report.doc", data))
    assert live.read_path == recorded.read_path == "doc: LibreOffice → docx"
    assert dataclasses.replace(live, read_path="") == dataclasses.replace(recorded, read_path="")
