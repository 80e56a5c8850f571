"""Generate the sample corpus (``--sample``) or a larger one for benchmarks.

python -m tests.corpus --sample                 # data/sample/ (committed)
python -m tests.corpus --count 470 --out DIR    # 47 prefectures x 10 fiscal years
python -m tests.corpus --printed                # LibreOffice-printed PDFs in tests/golden/
python -m tests.corpus --converted              # .xls/.ods/.odt/.doc saved by LibreOffice
python -m tests.corpus --bundles                # zip bundles with CP932 names (tests/bundles/)
python -m tests.corpus --print-sweep 60 --out DIR  # random forms printed by LibreOffice
python -m tests.corpus --resave-sweep 60 --out DIR # saved again by LibreOffice (docx, xlsx, txt)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tests.corpus.generate import (
    write_corpus,
    write_printed_cases,
    write_printed_sweep,
    write_regression_pdfs,
    write_resaved_sweep,
    write_sample,
    write_variation_cases,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.corpus", description=__doc__)
    parser.add_argument("--sample", action="store_true", help="rewrite data/sample/")
    parser.add_argument("--count", type=int, default=470, help="reports to generate")
    parser.add_argument("--out", type=Path, help="output folder for --count")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument(
        "--regression",
        action="store_true",
        help="rewrite the regression PDFs and the variation cases in tests/golden/",
    )
    parser.add_argument(
        "--printed",
        action="store_true",
        help="print workbooks and Word files to PDF with LibreOffice into tests/golden/",
    )
    parser.add_argument(
        "--bundles", action="store_true", help="zip bundles with CP932 names (tests/bundles)"
    )
    parser.add_argument(
        "--converted",
        action="store_true",
        help="workbooks and Word files saved as .xls/.ods/.odt/.doc by LibreOffice (tests/golden)",
    )
    parser.add_argument(
        "--print-sweep",
        type=int,
        metavar="N",
        help="print N random Word files and workbooks with LibreOffice into --out, with truth",
    )
    parser.add_argument(
        "--resave-sweep",
        type=int,
        metavar="N",
        help="save N random Word files and workbooks again with LibreOffice into --out",
    )
    parser.add_argument(
        "--scan-sweep",
        type=int,
        metavar="N",
        help="print, stamp and scan N random PDFs into --out (colour/grey, 300/200 dpi, "
        "PDF/TIFF/JPEG/PNG), with truth",
    )
    parser.add_argument(
        "--scans", action="store_true", help="rewrite the frozen scans of tests/golden/scans"
    )
    args = parser.parse_args(argv)
    if args.scan_sweep:
        from tests.corpus.scan import write_scan_sweep

        if not args.out:
            parser.error("--scan-sweep needs --out DIR")
        written = write_scan_sweep(args.out, count=args.scan_sweep, seed=args.seed)
    elif args.scans:
        from tests.corpus.scan import write_golden_scans

        root = Path(__file__).parent.parent
        written = len(
            write_golden_scans(root.parent / "data" / "sample", root / "golden" / "scans")
        )
    elif args.resave_sweep:
        if not args.out:
            parser.error("--resave-sweep needs --out DIR")
        written = write_resaved_sweep(args.out, count=args.resave_sweep, seed=args.seed)
    elif args.print_sweep:
        if not args.out:
            parser.error("--print-sweep needs --out DIR")
        written = write_printed_sweep(args.out, count=args.print_sweep, seed=args.seed)
    elif args.bundles:
        from tests.corpus.bundles import write_bundles

        written = len(write_bundles())
    elif args.converted:
        from tests.corpus.convert_office import write_converted_cases

        written = len(write_converted_cases(Path(__file__).parent.parent / "golden"))
    elif args.printed:
        written = len(write_printed_cases(Path(__file__).parent.parent / "golden"))
    elif args.regression:
        golden = Path(__file__).parent.parent / "golden"
        written = len(write_regression_pdfs(golden)) + len(write_variation_cases(golden))
    elif args.sample:
        written = write_sample(Path("data/sample"), seed=args.seed)
    elif args.out:
        written = write_corpus(args.out, count=args.count, seed=args.seed)
    else:
        parser.error("give --sample or --out DIR")
    print(f"wrote {written} files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
