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

## Lint, type-check and run the whole test suite (installs Debian's chromium for the
## browser test of the HTML report when it is missing and this is a root Debian shell).
test: .venv/.synced
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
		|| echo "chromium is not installed: the browser test of the report will be skipped"
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/pytest
