# Set-up is part of every target: a fresh machine needs only python3 and network to PyPI.
.PHONY: sample test lint setup printed converted bundles print-sweep resave-sweep
PY := .venv/bin/python

.venv/.synced: pyproject.toml uv.lock
	@echo "setting up .venv (uv sync --frozen; the first time takes a minute or two) ..."
	@python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "uv>=0.5"
	@python3 -m uv sync --quiet --frozen --compile-bytecode
	@touch $@

setup: .venv/.synced

## Run the main job on the bundled sample and print its summary.
sample: .venv/.synced
	.venv/bin/jokatsu ingest
	@echo "next: .venv/bin/jokatsu export --format xlsx   (data/exports/)"
	@echo "      .venv/bin/jokatsu report                 (data/report.html)"
	@echo "      .venv/bin/jokatsu sql \"select * from mart_data_quality\""
	@echo "      .venv/bin/prefect server start            (the runs in Prefect's UI, docs/operations.md)"

## Lint, type-check and run the whole test suite (installs, when missing and this is a root
## Debian shell, chromium for the browser tests, LibreOffice Calc and Writer for the
## spreadsheet test and the live print and re-save sweeps, and tesseract with its two
## Japanese models for the OCR tests, and poppler's pdftotext for the independent reading of
## the PDFs).
test: .venv/.synced
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
		|| echo "chromium is not installed: the browser tests will be skipped"
	@{ command -v soffice >/dev/null && [ -e "$$(dirname "$$(readlink -f "$$(command -v soffice)")")/libswlo.so" ]; } \
		|| { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		libreoffice-calc-nogui libreoffice-writer-nogui fonts-ipaexfont-gothic fonts-ipaexfont-mincho >/dev/null; } \
		|| echo "LibreOffice is not installed: the spreadsheet test and the live sweeps will be skipped"
	@{ command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx Japanese \
		&& tesseract --list-langs 2>/dev/null | grep -qx jpn; } \
		|| { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		tesseract-ocr tesseract-ocr-jpn tesseract-ocr-script-jpan >/dev/null; } \
		|| echo "tesseract is not installed: the OCR tests will be skipped"
	@command -v pdftotext >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; } \
		|| echo "pdftotext is not installed: the independent reading of the PDFs will be skipped"
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/deptry .
	.venv/bin/pytest

## Print the golden LibreOffice cases again (tests/golden/pdf_libreoffice_*: workbooks and Word
## files printed to PDF by LibreOffice headless, as offices print); installs LibreOffice and
## Japanese fonts from Debian when missing. Tests use the committed PDFs and need none of it.
printed: .venv/.synced
	@command -v soffice >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		libreoffice-writer-nogui libreoffice-calc-nogui fonts-ipaexfont-gothic fonts-ipaexfont-mincho >/dev/null; }
	.venv/bin/python -m tests.corpus --printed
	.venv/bin/pytest -q tests/test_golden.py -k libreoffice --update-golden

## Save the golden cases in the formats offices still send again (tests/golden/xls_*, ods_*,
## odt_*, doc_*: the generator's workbooks and Word files saved by LibreOffice as .xls, .ods,
## .odt and .doc, and what LibreOffice converts each .doc back into); installs LibreOffice
## when missing. Tests use the committed files and need none of it.
converted: .venv/.synced
	@command -v soffice >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		libreoffice-writer-nogui libreoffice-calc-nogui fonts-ipaexfont-gothic fonts-ipaexfont-mincho >/dev/null; }
	.venv/bin/python -m tests.corpus --converted
	.venv/bin/pytest -q tests/test_golden.py -k "xls_ or ods_ or odt_ or doc_" --update-golden

## Write the zip bundle cases again (tests/bundles/: the sample's files zipped as Explorer
## zips them, names in CP932 without the UTF-8 flag, folders and a bundle inside).
bundles: .venv/.synced
	.venv/bin/python -m tests.corpus --bundles

## The print sweep: random Word files and workbooks of three generated corpora printed by
## LibreOffice and read back against their truth (run by hand; see docs/testing.md).
print-sweep: .venv/.synced
	@command -v soffice >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		libreoffice-writer-nogui libreoffice-calc-nogui fonts-ipaexfont-gothic fonts-ipaexfont-mincho >/dev/null; }
	@for seed in 11 23 31; do \
		rm -rf .sweep/$$seed && $(PY) -m tests.corpus --print-sweep 80 --seed $$seed --out .sweep/$$seed \
		&& .venv/bin/jokatsu accuracy .sweep/$$seed --show 10 | grep -E '^(format|pdf) |^  '; \
	done

## The re-save sweep: the same forms saved again by LibreOffice (docx, xlsx, and the form's
## sheet exported as tab-separated text) and read back against their truth (run by hand).
resave-sweep: .venv/.synced
	@command -v soffice >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		libreoffice-writer-nogui libreoffice-calc-nogui fonts-ipaexfont-gothic fonts-ipaexfont-mincho >/dev/null; }
	@for seed in 11 23 31; do \
		rm -rf .sweep/resaved-$$seed && $(PY) -m tests.corpus --resave-sweep 80 --seed $$seed --out .sweep/resaved-$$seed \
		&& .venv/bin/jokatsu accuracy .sweep/resaved-$$seed --show 10 | grep -E '^(format|docx|xlsx|txt) |^  '; \
	done
