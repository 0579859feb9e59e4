# Phan Thiet IOC. `make dev` runs the whole system locally; `make test` passes every test.
# Both start from nothing: a fresh Debian machine with Python 3.11 and no AWS account.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := .stamps
PORT ?= 8000
AWS_PORT ?= 4566
DEV_ARGS ?=
PYTEST_WORKERS ?= 2

export PYTHONDONTWRITEBYTECODE := 1
export POWERTOOLS_LOG_LEVEL ?= WARNING

.PHONY: dev test test-fast test-room lint unit integration api e2e bench install frontend chromium clean help layers synth infra deploy

help:
	@echo "make dev    - set up and run the local stack with demo data (http://127.0.0.1:$(PORT));"
	@echo "              DEV_ARGS=--access-log / --metrics adds request lines / Lambda metrics to its log"
	@echo "make test   - set up and run every test (lint, unit, integration, API, end-to-end), timed by tier"
	@echo "make test-fast - the same without the slow (benchmark) tests and without end-to-end"
	@echo "make test-room ROOM=cameras - the tests of one room (tests/*/<room>/)"
	@echo "make bench  - benchmarks, one JSON line each"
	@echo "make synth  - the CDK app offline: every stage, cdk-nag (AwsSolutions), cfn-lint"
	@echo "make deploy STAGE=dev - deploy a stage to AWS (credentials, bootstrapped account)"

# The virtualenv is rebuilt only when the dependencies change: a second `make dev` is quick.
$(STAMP)/venv: pyproject.toml
	@mkdir -p $(STAMP)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP)/venv

# The console (/console/) and the resident app (/app/): `npm ci` from the committed lock, then
# a Vite build of each into frontend/<app>/dist, redone only when a source or the lock changes.
FRONTEND_SOURCES := $(shell find frontend -type f -not -path '*/node_modules/*' -not -path '*/dist/*' 2>/dev/null)
FRONTEND_BUILT := frontend/console/dist/index.html frontend/resident/dist/index.html
$(FRONTEND_BUILT) &: $(FRONTEND_SOURCES)
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build
	@touch $(FRONTEND_BUILT)

frontend: $(FRONTEND_BUILT)

# The browser tests drive Debian's Chromium (Playwright's own browser download needs a CDN).
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
chromium:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

dev: install frontend
	$(BIN)/ioc dev --port $(PORT) --aws-port $(AWS_PORT) $(DEV_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -q -m unit

# tests/tiers.py runs lint, frontend and synth (make targets), then each pytest tier (unit,
# integration, api, infra, e2e) as its own process, times each, and ends with a table and the
# line "N passed, N failed" summed over the tiers.
TIERS := IOC_CDK_OUT=$(CURDIR)/cdk.out $(BIN)/python tests/tiers.py --make "$(MAKE)" -n $(PYTEST_WORKERS)

test: install chromium
	$(TIERS)

test-fast: install
	$(TIERS) --skip frontend,e2e -m "not slow"

# One room's tests at every level that has it: tests/unit/<room>/, tests/integration/<room>/…
ROOMS := $(sort $(filter-out browser,$(notdir $(patsubst %/,%,$(dir $(wildcard tests/*/*/test_*.py))))))
ROOM_DIRS := $(if $(ROOM),$(sort $(dir $(wildcard tests/*/$(ROOM)/test_*.py))))
test-room: install
	@test -n "$(ROOM)" || { echo "usage: make test-room ROOM=<room>, one of: $(ROOMS)"; exit 2; }
	@test -n "$(ROOM_DIRS)" || { echo "no tests/*/$(ROOM)/; rooms: $(ROOMS)"; exit 2; }
	IOC_CDK_OUT=$(CURDIR)/cdk.out $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile $(ROOM_DIRS)

# --- AWS (the CDK app in infra/) ----------------------------------------------------------
# The CDK CLI comes from the committed package-lock.json; synth needs no account and no network.
STAGE ?= dev
CDK := node_modules/.bin/cdk
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION := 1
export CDK_DISABLE_CLI_TELEMETRY := true
CDK_OFFLINE := -u AWS_PROFILE -u AWS_SESSION_TOKEN AWS_DEFAULT_REGION=ap-southeast-1 \
	AWS_ACCESS_KEY_ID=offline AWS_SECRET_ACCESS_KEY=offline AWS_EC2_METADATA_DISABLED=true CI=true

$(CDK): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Layers without Docker (manylinux wheels); third-party packages reinstall only when their
# requirements change, so a second run takes seconds.
layers: install
	$(BIN)/python layers/build.py core identity media vision analytics documents

synth: install layers $(CDK)
	rm -rf cdk.out chalice.out
	env $(CDK_OFFLINE) $(CDK) synth --quiet
	$(BIN)/cfn-lint -i W3005 -- cdk.out/*.template.json
	rm -rf chalice.out

infra: synth
	IOC_CDK_OUT=$(CURDIR)/cdk.out $(BIN)/pytest -q -m infra tests/infra

deploy: install layers frontend $(CDK)
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-ap-southeast-1} $(CDK) deploy --all -c stages=$(STAGE) --require-approval broadening
	$(BIN)/python -m infra.publish --stage $(STAGE)

bench: install
	$(BIN)/python tests/bench/run.py

clean:
	rm -rf $(VENV) $(STAMP) chalice.out cdk.out build node_modules frontend/node_modules frontend/console/dist frontend/resident/dist
