"""Word 97-2003 documents (.doc), converted to .docx by LibreOffice and read by the Word
reader.

The .doc format (MS-DOC: a piece table of text runs in an OLE container, tables as cell marks
in the text, numbering and fields in binary structures) has no well-kept Python reader;
LibreOffice Writer reads it as Word does. The conversion runs ``soffice --headless
--convert-to docx`` in a process of its own: a fresh user profile in a temporary folder
(LibreOffice refuses to run twice on one profile, and a profile left by a crash must not
stop the next file), a time limit (``convert_seconds`` of :class:`extract.limits.ReadLimits`,
a setting of the run, below the per-file limit, after which its whole process group is
killed), and a parent-death signal, so that a worker killed at its own limit takes
LibreOffice with it. The converted bytes are read by
:func:`extract.docx_reader.read_docx`: the same ``Document`` as the .docx Word would have
saved, with ``read_path`` 「doc: LibreOffice → docx」.

Without LibreOffice Writer the file is quarantined (``converter_missing``) with a reason
that names the program and how to install it; ``make sample`` needs no LibreOffice.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from extract.errors import FileLimitExceeded, ReasonCode, UnreadableFile, UnsupportedFormat
from extract.limits import DEFAULT_READ_LIMITS, ReadLimits
from extract.model import Document, SourceInfo
from extract.ooxml import OLE_MAGIC

# What installs the converter on Debian/Ubuntu (the Writer component, no desktop).
INSTALL_WRITER = "apt-get install libreoffice-writer-nogui"


class ConverterMissing(UnsupportedFormat):
    """The program a format needs is not installed; the file is read once it is."""

    code: ReasonCode = "converter_missing"


def libreoffice_writer() -> str | None:
    """The ``soffice`` program, when LibreOffice and its Writer component are installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        return None
    program = Path(os.path.realpath(found)).parent
    return found if (program / "libswlo.so").exists() else None


def _missing() -> ConverterMissing:
    return ConverterMissing(
        "Word 97-2003 形式（.doc）のファイルを読むには LibreOffice Writer（soffice）が必要ですが、"
        f"この機械に入っていません。管理者が `{INSTALL_WRITER}` で入れると、次の実行で"
        "読みます（または Word で開いて .docx として保存し直し、送り直してください）。"
    )


def _limit_child() -> None:  # pragma: no cover - runs in the child before exec
    """In the converter's process: killed if its parent (a reader's worker) dies."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def convert_with_libreoffice(
    data: bytes, suffix: str, target: str, seconds: float = DEFAULT_READ_LIMITS.convert_seconds
) -> bytes:
    """``data`` (a file named ``*suffix``) converted by LibreOffice to ``target`` ("docx"):
    the converted file's bytes. Raises :class:`ConverterMissing` without LibreOffice Writer,
    :class:`FileLimitExceeded` past ``seconds``, :class:`UnreadableFile` when LibreOffice
    cannot read the file."""
    program = libreoffice_writer()
    if program is None:
        raise _missing()
    with tempfile.TemporaryDirectory(prefix="jokatsu_lo_") as scratch:
        folder = Path(scratch)
        source = folder / f"form{suffix}"
        source.write_bytes(data)
        out = folder / "out"
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, killed whole
            preexec_fn=_limit_child,  # a worker process has one thread: safe here
            env={**os.environ, "HOME": scratch},
        )
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise FileLimitExceeded(
                f"LibreOffice での変換が {seconds:.0f} 秒で終わりませんでした。Word で開いて "
                ".docx として保存し直し、送り直してください。",
                "conversion_timeout",
            ) from None
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)  # helpers it may have left behind
        converted = out / f"form.{target}"
        if not converted.exists():
            raise UnreadableFile(
                "LibreOffice でも開けないファイルです（壊れているか、パスワードが設定されて"
                "います）。Word で開いて .docx として保存し直し、送り直してください。",
                "doc_damaged",
            )
        return converted.read_bytes()


def read_doc(data: bytes, source: SourceInfo, limits: ReadLimits = DEFAULT_READ_LIMITS) -> Document:
    """Read a Word 97-2003 document (.doc) of the form into a :class:`Document`, the
    conversion stopped after ``limits.convert_seconds``."""
    from extract.docx_reader import read_docx

    if not data:
        raise UnreadableFile("空のファイルです（0 バイト）。送り直してください。", "empty_file")
    if data.startswith(b"PK"):  # a .docx named .doc, which Word opens as it is
        return dataclasses.replace(read_docx(data, source), read_path="doc: a docx named .doc")
    if not data.startswith((OLE_MAGIC, b"{\\rtf")):
        raise UnreadableFile(
            ".doc 文書として開けません（中身が Word 97-2003 の形式ではありません）。Word で"
            "開いて .docx として保存し直し、送り直してください。",
            "doc_damaged",
        )
    if data.startswith(OLE_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data:
        raise UnreadableFile(
            "ファイルにパスワードが設定されています。Word でパスワードを外して保存し直し、"
            "送り直してください。",
            "password_protected",
        )
    converted = convert_with_libreoffice(data, ".doc", "docx", limits.convert_seconds)
    document = read_docx(converted, source)
    return dataclasses.replace(document, read_path="doc: LibreOffice → docx")
