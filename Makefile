# Phan Thiet IOC. `make dev` runs the whole system locally; `make test` passes every test.
# Both start from nothing: a fresh Debian machine with Python 3.11 and no AWS account.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := .stamps
PORT ?= 8000
AWS_PORT ?= 4566
PYTEST_WORKERS ?= 2

export PYTHONDONTWRITEBYTECODE := 1
export POWERTOOLS_LOG_LEVEL ?= WARNING

.PHONY: dev test lint unit integration api e2e bench install clean help

help:
	@echo "make dev    - set up and run the local stack with demo data (http://127.0.0.1:$(PORT))"
	@echo "make test   - set up and run every test (lint, unit, integration, API, end-to-end)"
	@echo "make bench  - benchmarks, one JSON line each"

# The virtualenv is rebuilt only when the dependencies change: a second `make dev` is quick.
$(STAMP)/venv: pyproject.toml
	@mkdir -p $(STAMP)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP)/venv

dev: install
	$(BIN)/ioc dev --port $(PORT) --aws-port $(AWS_PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -q -m unit

test: install lint
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile

bench: install
	$(BIN)/python tests/bench/run.py

clean:
	rm -rf $(VENV) $(STAMP) chalice.out cdk.out
