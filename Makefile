# Set-up is part of every target: a fresh machine needs only python3 and network to PyPI.
.PHONY: sample test lint setup
PY := .venv/bin/python

.venv/.synced: pyproject.toml uv.lock
	python3 -m pip install --quiet --disable-pip-version-check "uv>=0.5"
	python3 -m uv sync --frozen --compile-bytecode
	touch $@

setup: .venv/.synced

## Run the main job on the bundled sample and print its summary.
sample: .venv/.synced
	.venv/bin/jokatsu ingest

## Lint, type-check and run the whole test suite.
test: .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/pytest
