# Two commands for a fresh machine: `make example` and `make test` (what CI runs).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: example test install dev lint clean

$(BIN)/newsdesk: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	@touch $@

install: $(BIN)/newsdesk

$(VENV)/.dev: pyproject.toml $(BIN)/newsdesk
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

dev: $(VENV)/.dev

example: install
	$(BIN)/newsdesk brief examples/bridge-collapse

# PostgreSQL: .ci/postgres.sh installs it from Debian's packages if needed, starts it and
# exports NEWSDESK_TEST_PG, so the store tests run against it as well as SQLite.
test: dev
	if [ -f .ci/postgres.sh ]; then source .ci/postgres.sh; fi; $(BIN)/python -m pytest

lint: dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info
