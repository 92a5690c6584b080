# Staffroom: `make run` serves the demo community; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test lint format typecheck bench install install-dev test-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Local links and URIs follow the port unless STAFFROOM_DOMAIN is set.
run: export STAFFROOM_DOMAIN ?= localhost:$(PORT)
run: install
	$(BIN)/staffroom migrate --noinput
	$(BIN)/staffroom demo --if-empty
	$(BIN)/staffroom serve --host $(HOST) --port $(PORT)

MASTO_JS := tests/contract/masto

# masto.js for the streaming contract test, exactly as locked; reinstalled when the lock changes.
$(MASTO_JS)/node_modules/.package-lock.json: $(MASTO_JS)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(MASTO_JS) --no-audit --no-fund --silent; \
	else echo "warning: npm is missing; the masto.js contract test will fail." >&2; fi

test-deps: install-dev $(MASTO_JS)/node_modules/.package-lock.json
	scripts/ensure-test-deps

# Timing budgets (`alone`) run after the rest, one process: a neighbour on the other core
# slows a measured run by half on this kind of machine. Exit 5 is "none selected".
test: test-deps
	$(BIN)/pytest -n 2 -m "not alone" $(PYTEST_ARGS)
	$(BIN)/pytest -m alone $(PYTEST_ARGS) || [ $$? -eq 5 ]

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy staffroom tests
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .cache
