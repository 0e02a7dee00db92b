# Sociala: `make run` serves the demo city, `make test` runs everything CI runs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
export UV_LINK_MODE := copy
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PY := .venv/bin/python
MANAGE := $(PY) manage.py
APT_STAMP := var/.apt-ok

.PHONY: help setup run test lint test-sqlite test-postgres test-e2e bench messages clean

help:
	@echo "make run    set up, migrate, load the demo city, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   set up, lint, the whole suite on SQLite and PostgreSQL, the browser suite"
	@echo "make bench  benchmarks (figures in bench/results/latest.json)"

$(UV):
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

# System packages: Chromium for the browser suite, Pango for WeasyPrint, gettext for translations.
$(APT_STAMP):
	@mkdir -p var
	@missing=""; \
	for pkg in chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 gettext; do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi
	@touch $@

.venv/.synced: pyproject.toml uv.lock | $(UV)
	@$$(command -v uv || echo $(HOME)/.local/bin/uv) sync --frozen --quiet
	@touch $@

node_modules/.synced: package.json package-lock.json
	@npm ci --no-audit --no-fund --silent
	@touch $@

messages: .venv/.synced
	@cd sociala && ../$(MANAGE) compilemessages -v0

setup: $(APT_STAMP) .venv/.synced node_modules/.synced messages

run: setup
	@SOCIALA_DEMO_MODE=1 $(MANAGE) migrate --noinput -v0
	@SOCIALA_DEMO_MODE=1 $(MANAGE) seed_demo --if-empty
	@SOCIALA_DEMO_MODE=1 $(MANAGE) demo_banner --port $(PORT)
	@SOCIALA_DEMO_MODE=1 .venv/bin/gunicorn sociala.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - --log-level warning

lint: .venv/.synced
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@.venv/bin/lint-imports --no-cache -q 2>/dev/null || .venv/bin/lint-imports --no-cache
	@SOCIALA_DEMO_MODE=1 $(MANAGE) makemigrations --check --dry-run -v0

test-sqlite: setup
	@echo "== Suite on SQLite =="
	@SOCIALA_DEMO_MODE=1 .venv/bin/pytest -q -m "not e2e" -p no:randomly

test-postgres: setup
	@echo "== Suite on PostgreSQL =="
	@SOCIALA_DEMO_MODE=1 SOCIALA_TEST_DB=postgres .venv/bin/pytest -q -m "not e2e"

test-e2e: setup
	@echo "== Browser suite (Chromium) =="
	@SOCIALA_DEMO_MODE=1 .venv/bin/pytest -q -m e2e tests/e2e

test: setup lint test-sqlite test-postgres test-e2e

bench: setup
	@SOCIALA_DEMO_MODE=1 $(PY) -m bench

clean:
	rm -rf var .venv node_modules
