"""Scans of the generator's PDFs, as offices send them from a multifunction printer.

Each PDF page is rendered (pypdfium2) and degraded the way a printed, stamped, scanned page
is: a red seal (公印) over the prefecture line and another over the table, paper tone, a
turn of 0.5-1.5°, blur, noise, JPEG compression at quality 45-75, in colour or grey, at 300
or 200 dpi. The result is written as a PDF of pictures (no text layer), a TIFF (several
pages), a JPEG or a PNG; the PDF's truth goes with it unchanged.
"""

from __future__ import annotations

import io
import random
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from tests.corpus.render_pdf import IPAEX

Container = Literal["pdf", "tiff", "jpeg", "png"]


@dataclass(frozen=True)
class ScanStyle:
    """How one scan was degraded (written into the truth as ``scan``)."""

    dpi: int = 300
    colour: bool = True
    rotation: float = 0.8
    blur: float = 0.6
    noise: float = 6.0
    jpeg_quality: int = 60
    stamp_prefecture: bool = True
    stamp_table: bool = True
    container: Container = "pdf"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def draw_style(rng: random.Random, index: int) -> ScanStyle:
    """A scan style: containers, colour and resolution by index (each occurs), the rest
    drawn."""
    containers: tuple[Container, ...] = ("pdf", "tiff", "jpeg", "pdf", "png", "pdf")
    return ScanStyle(
        dpi=200 if index % 5 == 4 else 300,
        colour=index % 2 == 0,
        rotation=round(rng.uniform(0.5, 1.5) * rng.choice((-1, 1)), 2),
        blur=round(rng.uniform(0.3, 0.9), 2),
        noise=round(rng.uniform(3, 10), 1),
        jpeg_quality=rng.randint(45, 75),
        stamp_prefecture=rng.random() < 0.8,
        stamp_table=rng.random() < 0.6,
        container=containers[index % len(containers)],
    )


def render_pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(doc))]
    finally:
        doc.close()


def _seal(size: int, rng: random.Random) -> Image.Image:
    """A round vermilion seal (朱肉) with its kanji, on white (laid on the page as ink is:
    multiplied, so the print under it stays dark)."""
    seal = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(seal)
    red = (rng.randint(205, 235), rng.randint(45, 80), rng.randint(40, 70))
    width = max(3, size // 22)
    draw.ellipse((width, width, size - width, size - width), outline=red, width=width)
    font = ImageFont.truetype(str(IPAEX), size // 3)
    text = rng.choice(("知事之印", "県知事印", "公印"))
    if len(text) == 4:
        for i, ch in enumerate(text):
            x = size // 2 + (size // 6 if i < 2 else -size // 6) - size // 6
            y = size // 2 + (-size // 6 if i % 2 == 0 else size // 6) - size // 6
            draw.text((x - size // 12, y - size // 12), ch, fill=red, font=font)
    else:
        draw.text((size // 2 - size // 3, size // 2 - size // 6), text, fill=red, font=font)
    return seal.rotate(
        rng.uniform(-20, 20), resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255)
    )


def _stamp(page: Image.Image, seal: Image.Image, at: tuple[int, int]) -> None:
    from PIL import ImageChops

    box = (at[0], at[1], at[0] + seal.width, at[1] + seal.height)
    page.paste(ImageChops.multiply(page.crop(box), seal), box)


def degrade(pages: list[Image.Image], style: ScanStyle, rng: random.Random) -> list[Image.Image]:
    out = []
    for number, page in enumerate(pages, start=1):
        page = page.copy()
        w, h = page.size
        scale = style.dpi / 72
        if number == 1 and style.stamp_prefecture:
            size = int(60 * scale)
            seal = _seal(size, rng)
            _stamp(page, seal, (int(rng.uniform(90, 160) * scale), int(85 * scale) - size // 2))
        if style.stamp_table and number == len(pages):
            size = int(70 * scale)
            seal = _seal(size, rng)
            x = int(rng.uniform(300, 450) * scale)
            y = int(rng.uniform(0.25, 0.6) * h)
            _stamp(page, seal, (x, y))
        tone = np.array([rng.randint(236, 250), rng.randint(232, 246), rng.randint(222, 240)])
        pixels = np.asarray(page, dtype=np.float32) / 255.0
        pixels = pixels * tone[None, None, :]
        page = Image.fromarray(pixels.clip(0, 255).astype(np.uint8))
        page = page.rotate(
            style.rotation, resample=Image.Resampling.BICUBIC, fillcolor=tuple(int(t) for t in tone)
        )
        page = page.filter(ImageFilter.GaussianBlur(style.blur * scale / 4))
        noisy = np.asarray(page, dtype=np.float32)
        noisy += np.random.default_rng(rng.randrange(2**32)).normal(0, style.noise, noisy.shape)
        page = Image.fromarray(noisy.clip(0, 255).astype(np.uint8))
        if not style.colour:
            page = page.convert("L")
        buffer = io.BytesIO()
        page.save(buffer, format="JPEG", quality=style.jpeg_quality)
        buffer.seek(0)
        out.append(Image.open(buffer).convert(page.mode))
        del w
    return out


def scan(pdf: bytes, style: ScanStyle, rng: random.Random) -> bytes:
    """The PDF printed, stamped and scanned, in the style's container."""
    pages = degrade(render_pages(pdf, style.dpi), style, rng)
    buffer = io.BytesIO()
    dpi = (style.dpi, style.dpi)
    if style.container == "pdf":
        pages[0].save(
            buffer,
            format="PDF",
            save_all=True,
            append_images=pages[1:],
            resolution=style.dpi,
            quality=style.jpeg_quality,
        )
    elif style.container == "tiff":
        pages[0].save(
            buffer,
            format="TIFF",
            save_all=True,
            append_images=pages[1:],
            dpi=dpi,
            compression="tiff_jpeg",
        )
    elif style.container == "jpeg":  # one page a file is what a copier sends as JPEG: stack
        pages[0].save(buffer, format="JPEG", quality=style.jpeg_quality, dpi=dpi) if len(
            pages
        ) == 1 else _stacked(pages).save(buffer, format="JPEG", quality=style.jpeg_quality, dpi=dpi)
    else:
        _stacked(pages).save(buffer, format="PNG", dpi=dpi, optimize=True)
    return buffer.getvalue()


def _stacked(pages: list[Image.Image]) -> Image.Image:
    """The pages one under another (an image file holds one picture)."""
    width = max(p.width for p in pages)
    height = sum(p.height for p in pages)
    sheet = Image.new(pages[0].mode, (width, height), "white")
    y = 0
    for page in pages:
        sheet.paste(page, (0, y))
        y += page.height
    return sheet


SUFFIX: dict[Container, str] = {"pdf": ".pdf", "tiff": ".tif", "jpeg": ".jpg", "png": ".png"}


# The frozen scans of tests/golden/scans: (case, sample PDF, style). Committed, so that the
# OCR tests need no renderer; `python -m tests.corpus --scans` writes them again.
GOLDEN_SCANS: tuple[tuple[str, str, ScanStyle], ...] = (
    (
        "pdf_colour_300dpi_seals_on_prefecture_and_table",
        "01_hokkaido_fy2019.pdf",
        ScanStyle(rotation=0.8, jpeg_quality=55),
    ),
    (
        "tiff_grey_two_pages_turned",
        "12_chiba_fy2020.pdf",
        ScanStyle(colour=False, rotation=-1.2, container="tiff", jpeg_quality=60),
    ),
    (
        "jpeg_colour_200dpi",
        "23_aichi_fy2021.pdf",
        ScanStyle(dpi=200, rotation=1.1, container="jpeg", jpeg_quality=70, stamp_table=False),
    ),
)


def write_golden_scans(sample: Path, golden: Path, seed: int = 26) -> list[str]:
    """Scan the sample PDFs named in :data:`GOLDEN_SCANS` into ``golden/<case>/`` with the
    PDF's truth (``scan`` added: how it was degraded)."""
    import json

    written = []
    for case, name, style in GOLDEN_SCANS:
        rng = random.Random(f"{seed}-{case}")
        folder = golden / case
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("scan.*"):
            old.unlink()
        data = scan((sample / name).read_bytes(), style, rng)
        (folder / f"scan{SUFFIX[style.container]}").write_bytes(data)
        truth = json.loads((sample / "truth" / f"{name}.json").read_text(encoding="utf-8"))
        fmt = "pdf" if style.container == "pdf" else "image"
        truth = {**truth, "file": f"scan{SUFFIX[style.container]}", "format": fmt}
        truth["scan"] = style.as_dict()
        (folder / "truth.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8"
        )
        written.append(case)
    return written


def write_scan_sweep(out: Path, count: int = 12, seed: int = 2021) -> int:
    """``count`` PDFs of a generated corpus (every variation drawn at random) printed,
    stamped and scanned (:func:`draw_style`: colour and grey, 300 and 200 dpi, PDF, TIFF,
    JPEG, PNG), each with its truth (``scan`` added) and the ``format`` the file now has."""
    import json
    import tempfile

    from tests.corpus.generate import write_corpus

    with tempfile.TemporaryDirectory() as scratch:
        forms = Path(scratch)
        write_corpus(forms, count=max(6 * count, 47), seed=seed)
        pdfs = sorted(p for p in forms.iterdir() if p.suffix == ".pdf")
        rng = random.Random(seed)
        picked = rng.sample(pdfs, min(count, len(pdfs)))
        out.mkdir(parents=True, exist_ok=True)
        (out / "truth").mkdir(exist_ok=True)
        for index, path in enumerate(picked):
            style = draw_style(rng, index)
            name = f"{path.stem}_scan{SUFFIX[style.container]}"
            (out / name).write_bytes(scan(path.read_bytes(), style, rng))
            truth = json.loads((forms / "truth" / f"{path.name}.json").read_text("utf-8"))
            fmt = "pdf" if style.container == "pdf" else "image"
            truth = {**truth, "file": name, "format": fmt, "scan": style.as_dict()}
            (out / "truth" / f"{name}.json").write_text(
                json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8"
            )
    return len(picked)
