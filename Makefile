# Two commands: `make run` starts the portal with demo data, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VNU_JAR := frontend/node_modules/vnu-jar/build/dist/vnu.jar
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test bench install system-packages lint check-messages clean

$(BIN)/uv:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==0.13.8

$(VENV)/.installed: $(BIN)/uv pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --quiet
	touch $@

install: $(VENV)/.installed

# The W3C Nu HTML checker the browser tests run over every page, from the npm package
# pinned in frontend/package-lock.json and run with Debian's JRE. --ignore-scripts:
# vnu-jar's install script would download a Java runtime of its own.
$(VNU_JAR): frontend/package-lock.json
	npm ci --prefix frontend --ignore-scripts --no-audit --no-fund
	touch $@

run: install
	scripts/system-packages runtime
	$(BIN)/sjalvservice migrate --no-input
	$(BIN)/sjalvservice demo
	$(BIN)/sjalvservice run

system-packages:
	scripts/system-packages test

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: install system-packages $(VNU_JAR) lint
	$(BIN)/sjalvservice makemigrations --check --dry-run
	$(BIN)/pytest

# Benchmarks at a realistic size (long; not part of `make test`). PostgreSQL by default:
# DATABASE_URL names the server, the benchmarks make their own databases on it.
# `make bench PAGES="--quick"` passes options to bench/pages.py (see README, "Benchmarks").
PAGES ?=
bench: install
	scripts/system-packages runtime
	$(BIN)/python bench/notifications.py
	$(BIN)/python bench/pages.py $(PAGES)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
