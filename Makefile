# Cloud Portal — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := tests/node/node_modules/.installed-stamp
PYTEST_ARGS ?=
# ariadne-codegen pins graphql-core < 3.3 and an older ruff than ours: a venv of its own.
CODEGEN_VENV := .venv-codegen
CODEGEN_STAMP := $(CODEGEN_VENV)/.installed-stamp

.PHONY: install run test test-deps lint typecheck check schema bench bench-growth clean console-client

## install: a .venv with the server and everything its tests need
install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

## run: install, then serve on http://127.0.0.1:8000 (SQLite, mail to the console and var/mail/)
run: install
	$(PY) server.py serve

## test-deps: what the tests drive besides the server (node tools, Debian's chromium, the console's
##            client generator)
test-deps: $(NODE_STAMP) $(CODEGEN_STAMP)
	scripts/ensure-chromium.sh

$(NODE_STAMP): tests/node/package.json tests/node/package-lock.json
	cd tests/node && npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

## test: install and run the whole suite (SQLite, and PostgreSQL when reachable)
test: install test-deps
	$(PY) -m pytest -n 2 --dist worksteal $(PYTEST_ARGS)

## lint: ruff, the import contracts (pyproject.toml's tool.importlinter: which way layers import),
##       and no unannounced breaking change to schema.graphql (scripts/breaking_changes.py)
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	$(PY) -m scripts.breaking_changes

## typecheck: mypy --strict over the sources
typecheck: install
	$(VENV)/bin/mypy .

check: lint typecheck test

## schema: rewrite schema.graphql, the checked-in SDL, from the live schema (a test compares them)
schema: install
	$(PY) -m scripts.sdl dump

## bench: every benchmark under bench/ in its quick mode (a few minutes), each judging one ratio or
##        rate against a baseline measured in alternating rounds; fails when a goal is missed, and
##        writes docs/benchmarks-sqlite.md; one of them: `$(PY) -m bench NAME [--postgres]`
bench: install
	$(PY) -m bench --quick

## bench-growth: the growth benchmarks at full size (100,000 customers and 1,000,000 devices
##               against 1,000 and 10,000; seeded once under var/bench/, then reused)
bench-growth: install
	$(PY) -m bench partner_landing devices

## console-client: regenerate the console's typed GraphQL client (console/api) from the live schema
##                 and console/queries/*.graphql. ariadne-codegen pins graphql-core < 3.3 and an
##                 older ruff than ours, so it lives in a venv of its own (.venv-codegen).

$(CODEGEN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(CODEGEN_VENV)
	$(CODEGEN_VENV)/bin/pip install --quiet --disable-pip-version-check 'ariadne-codegen>=0.19,<0.20'
	touch $(CODEGEN_STAMP)

console-client: schema $(CODEGEN_STAMP)
	rm -rf console/api
	$(CODEGEN_VENV)/bin/ariadne-codegen --config console/codegen.toml client

clean:
	rm -rf $(VENV) $(CODEGEN_VENV) tests/node/node_modules var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
