"""Zip bundles as e-mail attachments arrive (issue 22), written by Python's zipfile the way
Windows' Explorer writes them: member names in CP932 without the UTF-8 flag, folders
inside, a bundle inside the bundle, a covering letter beside the report. The reports are the
sample's own files (with their truth in ``data/sample/truth``). ``python -m tests.corpus
--bundles`` writes ``tests/bundles/``; the tests read the committed files.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

SAMPLE = Path(__file__).parent.parent.parent / "data" / "sample"
BUNDLES = Path(__file__).parent.parent / "bundles"

COVER_LETTER = "送付状\n\n内閣府男女共同参画局 御中\n\n実績報告書を送付します。ご査収ください。\n"


class _CP932Name(zipfile.ZipInfo):
    """A member whose name is written in CP932 without the UTF-8 flag (bit 11), as Explorer
    on a Japanese Windows writes it (zipfile itself would write UTF-8 and set the flag)."""

    __slots__ = ()

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("cp932"), self.flag_bits & ~0x800


def cp932_member(bundle: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = _CP932Name(name, date_time=(2023, 4, 28, 9, 30, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    bundle.writestr(info, data)


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as bundle:
        for name, data in members:
            cp932_member(bundle, name, data)
    return out.getvalue()


def attachments() -> tuple[bytes, dict[str, str]]:
    """The bundle, and which sample file each report member is (member path → file name)."""
    reports = {
        "令和3年度実績報告/岩手県_実績報告書.xlsx": "03_iwate_fy2021.xlsx",
        "令和3年度実績報告/表計算ソフト控え/能登表.txt": "06_yamagata_fy2019.txt",
        "秋田県/実績報告書（秋田県）.docx": "05_akita_fy2023.docx",
    }
    inner = _zip([("福島県_実績報告書.pdf", (SAMPLE / "07_fukushima_fy2020.pdf").read_bytes())])
    members = [(name, (SAMPLE / file).read_bytes()) for name, file in reports.items()]
    members += [
        ("送付状.txt", COVER_LETTER.encode("cp932")),
        ("令和3年度実績報告/メモ.json", b"{}"),
        ("添付（福島県）.zip", inner),
    ]
    reports["添付（福島県）.zip/福島県_実績報告書.pdf"] = "07_fukushima_fy2020.pdf"
    return _zip(members), reports


def write_bundles(out: Path = BUNDLES) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    data, reports = attachments()
    (out / "attachments_cp932.zip").write_bytes(data)
    (out / "attachments_cp932.json").write_text(
        json.dumps(reports, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return ["attachments_cp932.zip"]
