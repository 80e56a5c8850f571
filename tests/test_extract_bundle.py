"""Zip bundles: member names as their writers wrote them, folders and inner bundles, and the
bundle's limits (members, size after unpacking, depth, zip bombs, encrypted members)."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.bundle import BundleRefused, member_name, unpack
from extract.errors import QuarantineError
from extract.limits import BundleLimits
from extract.model import sha256_hex
from tests.corpus.bundles import BUNDLES, SAMPLE, cp932_member

ATTACHMENTS = BUNDLES / "attachments_cp932.zip"


def _zip(*members: tuple[str, bytes], cp932: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in members:
            if cp932:
                cp932_member(bundle, name, data)
            else:
                bundle.writestr(name, data)
    return out.getvalue()


def test_explorers_bundle_gives_every_file_with_its_folders_and_inner_bundle() -> None:
    reports: dict[str, str] = json.loads(
        ATTACHMENTS.with_suffix(".json").read_text(encoding="utf-8")
    )
    unpacked = unpack(ATTACHMENTS.read_bytes())
    held = {m.path: sha256_hex(m.data) for m in unpacked.members}
    for path, file in reports.items():
        assert held[path] == sha256_hex((SAMPLE / file).read_bytes()), path
    # names whose CP932 bytes hold 0x5C (表, ソ) are not split at a 「\」
    assert "令和3年度実績報告/表計算ソフト控え/能登表.txt" in held
    assert {"送付状.txt", "令和3年度実績報告/メモ.json"} <= set(held)
    assert unpacked.refused == ()
    assert all(
        not info.flag_bits & 0x800 for info in zipfile.ZipFile(ATTACHMENTS).infolist()
    )  # the committed bundle is as Explorer writes it: no UTF-8 flag


@given(st.text(alphabet="報告書表ソ能申請㈱①～ｱｲ　-_ abc123（）", min_size=1, max_size=30))
def test_any_name_explorer_writes_in_cp932_reads_back(name: str) -> None:
    with zipfile.ZipFile(io.BytesIO(_zip((name + ".txt", b"x"), cp932=True))) as bundle:
        assert member_name(bundle.infolist()[0]) == name + ".txt"


def test_utf8_names_with_the_flag_or_without_it_as_macos_writes_them() -> None:
    flagged = _zip(("フォルダ/報告書.xlsx", b"x"))
    assert [m.path for m in unpack(flagged).members] == ["フォルダ/報告書.xlsx"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as bundle:

        class Raw(zipfile.ZipInfo):
            __slots__ = ()

            def _encodeFilenameFlags(self) -> tuple[bytes, int]:
                return self.filename.encode("utf-8"), 0

        bundle.writestr(Raw("報告書.docx"), b"x")
    assert [m.path for m in unpack(out.getvalue()).members] == ["報告書.docx"]


def test_the_info_zip_unicode_path_field_names_the_member() -> None:
    raw = b"hokoku.xlsx"
    field = struct.pack("<B I", 1, zlib.crc32(raw)) + "報告書.xlsx".encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as bundle:
        info = zipfile.ZipInfo("hokoku.xlsx")
        info.extra = struct.pack("<HH", 0x7075, len(field)) + field
        bundle.writestr(info, b"x")
    assert [m.path for m in unpack(out.getvalue()).members] == ["報告書.xlsx"]


def _encrypted(data: bytes, name: str) -> bytes:
    """The bundle with ``name``'s entries flagged as encrypted (bit 0), as a zip made with a
    password has them (the member is refused before any of it is unpacked)."""
    blob = bytearray(data)
    raw = name.encode()
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = blob.find(signature)
        while at != -1:
            if blob[at + name_at : at + name_at + len(raw)] == raw:
                blob[at + flag_at] |= 0x01
            at = blob.find(signature, at + 4)
    return bytes(blob)


def test_an_encrypted_member_is_refused_with_a_reason_and_the_others_are_read() -> None:
    data = _encrypted(_zip(("a.txt", b"report"), ("secret.xlsx", b"x" * 100)), "secret.xlsx")
    unpacked = unpack(data)
    assert [m.path for m in unpacked.members] == ["a.txt"]
    (refused,) = unpacked.refused
    assert (refused.path, refused.code) == ("secret.xlsx", "bundle_member_encrypted")
    assert "パスワードを付けずに送り直して" in refused.reason


def test_a_zip_bomb_is_refused_as_one() -> None:
    data = _zip(("zeros.txt", b"\0" * (8 * 1024 * 1024)))
    with pytest.raises(BundleRefused) as refused:
        unpack(data, BundleLimits(bomb_floor=1024 * 1024, max_ratio=100))
    assert refused.value.code == "bundle_bomb"


def test_the_size_after_unpacking_counts_every_member_and_inner_bundle() -> None:
    inner = _zip(("b.txt", b"y" * 600))
    with pytest.raises(BundleRefused) as refused:
        unpack(
            _zip(("a.txt", b"x" * 600), ("inner.zip", inner)), BundleLimits(max_total_bytes=1200)
        )
    assert refused.value.code == "bundle_too_large"


def test_too_many_members_refuse_the_bundle() -> None:
    data = _zip(*((f"{n}.txt", b"x") for n in range(11)))
    with pytest.raises(BundleRefused) as refused:
        unpack(data, BundleLimits(max_members=10))
    assert refused.value.code == "bundle_too_many_members"


def test_bundles_nested_deeper_than_the_limit_are_refused_inside() -> None:
    data = _zip(("r.txt", b"x"))
    for depth in range(3):
        data = _zip((f"level{depth}.zip", data))
    unpacked = unpack(data, BundleLimits(max_depth=3))
    assert unpacked.members == ()
    (refused,) = unpacked.refused
    assert refused.path == "level2.zip/level1.zip/level0.zip"
    assert refused.code == "bundle_too_deep"
    assert [m.path for m in unpack(data).members] == ["level2.zip/level1.zip/level0.zip/r.txt"]


def test_macos_metadata_and_a_damaged_inner_bundle_are_refused_alone() -> None:
    data = _zip(("__MACOSX/._r.xlsx", b"x"), ("r.xlsx", b"y"), ("broken.zip", b"PK not a zip"))
    unpacked = unpack(data)
    assert [m.path for m in unpacked.members] == ["r.xlsx"]
    assert {(r.path, r.code) for r in unpacked.refused} == {
        ("__MACOSX/._r.xlsx", "bundle_member_os_metadata"),
        ("broken.zip", "bundle_damaged"),
    }


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_a_file_that_is_no_zip_is_refused(data: bytes) -> None:
    with pytest.raises(QuarantineError) as refused:
        unpack(data)
    assert refused.value.code in ("bundle_damaged", "empty_file")


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError):
        BundleLimits(max_depth=0)


def test_the_committed_bundle_is_what_the_generator_writes(tmp_path: Path) -> None:
    from tests.corpus.bundles import write_bundles

    write_bundles(tmp_path)
    assert (tmp_path / ATTACHMENTS.name).read_bytes() == ATTACHMENTS.read_bytes()
