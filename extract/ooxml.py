"""Office packages (.xlsx, .docx) refused before they are opened, with a reason a clerk can
act on: empty, password-protected, the legacy 97-2003 format under a new name, not a zip,
or XML that cannot be parsed (entity bombs told apart)."""

from __future__ import annotations

import io
import zipfile

from extract.errors import FileLimitExceeded, QuarantineError, UnreadableFile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def refuse_non_ooxml(data: bytes, kind: str, application: str, legacy: str) -> None:
    """Reasons a file named .xlsx/.docx is not one: empty, encrypted, legacy, not a zip.

    Office stores a password-protected file as an OLE container holding an
    ``EncryptedPackage`` stream; an unencrypted OLE container is the 97-2003 format.
    """
    suffix = "xlsx" if kind == "workbook" else "docx"
    if not data:
        raise UnreadableFile("空のファイルです（0 バイト）。送り直してください。", "empty_file")
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise UnreadableFile(
                f"ファイルにパスワードが設定されています。{application} でパスワードを外して"
                "保存し直し、送り直してください。",
                "password_protected",
            )
        raise UnreadableFile(
            f"古い形式（{legacy}）のファイルに .{suffix} という名前が付いています。"
            f"{application} で開いて .{suffix} として保存し直し、送り直してください。",
            "legacy_format",
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableFile(
            f".{suffix} ファイルとして開けません（中身が {suffix} の形式ではありません）。"
            f"{application} で保存し直し、送り直してください。",
            "xlsx_damaged" if suffix == "xlsx" else "docx_damaged",
        )


def xml_problem(exc: Exception, kind: str) -> QuarantineError:
    """The quarantine reason for an Office package whose XML cannot be parsed."""
    text = str(exc)
    what = "ブック" if kind == "workbook" else "文書"
    if any(word in text.lower() for word in ("entity", "entities", "amplification")):
        return FileLimitExceeded(
            f"{what}の XML に際限なく展開される定義（エンティティ）があります（壊れたファイル"
            "か、読み手を止めるために作られたファイルです）。読まずに隔離しました。Office で"
            "保存し直し、送り直してください。",
            "xml_entity_expansion",
        )
    return UnreadableFile(
        f"{what}の XML が壊れています。Office で保存し直し、送り直してください。", "xml_damaged"
    )
