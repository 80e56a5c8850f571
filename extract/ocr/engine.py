"""Tesseract, Debian's OCR program, run over many cell images at once.

Starting tesseract and loading a model costs about half a second, so each batch of cells
(one model, one page-segmentation mode) is one run over a list of image files; its TSV
output names each image by its place in the list (``page_num``) and gives every word its
box and confidence. Two models are used: ``jpn`` (tesseract-ocr-jpn) and the ``Japanese``
script model (tesseract-ocr-script-jpan), so that amounts can be read twice, independently.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2

from extract.errors import QuarantineError, ReasonCode
from extract.ocr.pages import Pixels

PROGRAM = "tesseract"
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-jpn tesseract-ocr-script-jpan"
MODELS = {"jpn": "jpn", "Japanese": "Japanese"}
# Page segmentation mode: a block of lines (cells, and lines outside the grid).
BLOCK = 6
DIGITS = "0123456789,.-△▲"


class OcrUnavailable(QuarantineError):
    """The OCR program or one of its models is not installed on this machine."""

    code: ReasonCode = "ocr_unavailable"


@dataclass(frozen=True)
class Word:
    text: str
    box: tuple[int, int, int, int]  # x0, top, x1, bottom within the cell image
    confidence: float  # 0-100, tesseract's
    line: int  # the line's number within the cell (block, paragraph, line)


@dataclass(frozen=True)
class Reading:
    """What one model read in one image: its words, in reading order."""

    words: tuple[Word, ...]

    @property
    def confidence(self) -> float:
        return min((w.confidence for w in self.words), default=0.0)


@cache
def engine_version() -> str:
    """``tesseract 5.3.0`` and the models' names, or raise :class:`OcrUnavailable`."""
    if shutil.which(PROGRAM) is None:
        raise OcrUnavailable(
            "スキャンした画像の報告書です。文字を読み取る OCR プログラム tesseract がこの"
            f"機械にありません（管理者が `{INSTALL}` で入れると読めます）。ファイルは隔離"
            "したまま保管し、入れた後に読み直します。"
        )
    listed = subprocess.run(
        [PROGRAM, "--list-langs"], capture_output=True, text=True, check=False, timeout=60
    ).stdout.split()
    missing = [m for m in MODELS.values() if m not in listed]
    if missing:
        raise OcrUnavailable(
            f"スキャンした画像の報告書です。OCR の日本語モデル（{'・'.join(missing)}）がこの"
            f"機械にありません（管理者が `{INSTALL}` で入れると読めます）。ファイルは隔離"
            "したまま保管し、入れた後に読み直します。"
        )
    version = subprocess.run(
        [PROGRAM, "--version"], capture_output=True, text=True, check=False, timeout=60
    ).stdout.splitlines()
    return (version[0].strip() if version else PROGRAM) + " (jpn, Japanese)"


class Batch:
    """One tesseract run over a list of images, started at once and awaited by
    :meth:`readings` (two runs side by side use both cores: tesseract itself is held to one
    thread, which is faster for small images)."""

    def __init__(
        self, images: Sequence[Pixels], model: str, psm: int, whitelist: str | None = None
    ) -> None:
        self.count = len(images)
        self._process: subprocess.Popen[bytes] | None = None
        if not images:
            return
        engine_version()
        self._tmp = tempfile.TemporaryDirectory(prefix="jokatsu-ocr-")
        folder = Path(self._tmp.name)
        paths = []
        for index, image in enumerate(images):
            path = folder / f"{index:05d}.pgm"  # uncompressed: nothing to encode or decode
            cv2.imwrite(str(path), image)
            paths.append(str(path))
        listing = folder / "list.txt"
        listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
        command = [PROGRAM, str(listing), "stdout", "-l", MODELS[model], "--psm", str(psm)]
        command += ["--dpi", "300"]
        if whitelist:
            command += ["-c", f"tessedit_char_whitelist={whitelist}"]
        command.append("tsv")
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        self._process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )

    def readings(self) -> list[Reading]:
        if self._process is None:
            return []
        try:
            out, err = self._process.communicate(timeout=600)
        finally:
            if self._process.poll() is None:
                self._process.kill()
                self._process.wait()
            self._tmp.cleanup()
        if self._process.returncode != 0:
            raise OcrUnavailable(
                "OCR プログラム tesseract が読み取りの途中で止まりました"
                f"（{err.decode('utf-8', 'replace').strip()[:200]}）。"
                "ファイルは隔離したまま保管し、読み直します。",
                "ocr_failed",
            )
        return _parse_tsv(out.decode("utf-8", "replace"), self.count)


def read_images(
    images: Sequence[Pixels], model: str, psm: int, whitelist: str | None = None
) -> list[Reading]:
    """Each image read by ``model`` in mode ``psm``; one tesseract run for them all."""
    return Batch(images, model, psm, whitelist).readings()


def _parse_tsv(text: str, count: int) -> list[Reading]:
    words: list[list[Word]] = [[] for _ in range(count)]
    rows = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in rows:
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        index = int(row["page_num"]) - 1
        if not 0 <= index < count:
            continue
        x, y = int(row["left"]), int(row["top"])
        box = (x, y, x + int(row["width"]), y + int(row["height"]))
        line = int(row["block_num"]) * 10000 + int(row["par_num"]) * 100 + int(row["line_num"])
        words[index].append(Word(row["text"].strip(), box, float(row["conf"]), line))
    return [Reading(tuple(w)) for w in words]
