"""Golden cases of formats the pipeline converts with a program (a .doc, by LibreOffice):
the case keeps what the program made of the file when the case was written
(``converted.docx``), and the tests read that when the program is not installed, so that
they need none of it. With the program installed, the real conversion runs (and
``tests/test_extract_convert.py`` checks it reads the same as the recorded one)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from extract import convert

RECORDED = "converted.docx"


@contextmanager
def recorded_conversion(case: Path, *, force: bool = False) -> Iterator[bool]:
    """Within: LibreOffice's conversion of the case's file is the recorded one when
    LibreOffice is missing (or ``force``). Yields whether the recording is used."""
    recorded = case / RECORDED
    if not recorded.exists() or (convert.libreoffice_writer() is not None and not force):
        yield False
        return

    def replay(data: bytes, suffix: str, target: str, seconds: float = 0.0) -> bytes:
        assert target == "docx", target
        return recorded.read_bytes()

    with mock.patch.object(convert, "convert_with_libreoffice", replay):
        yield True
