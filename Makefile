# Sociala: `make run` serves the demo city, `make test` runs everything CI runs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
export UV_LINK_MODE := copy
# uv: on the PATH, else pip's --user install, else the module pip put into the running Python.
UV_STAMP := var/.uv-ok
RUN_UV = $$(command -v uv || { [ -x $(HOME)/.local/bin/uv ] && echo $(HOME)/.local/bin/uv; } || echo python3 -m uv)
PY := .venv/bin/python
MANAGE := $(PY) manage.py
APT_STAMP := var/.apt-ok

.PHONY: help setup run test lint test-sqlite test-postgres test-e2e bench messages clean

help:
	@echo "make run    set up, migrate, load the demo city, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   set up, lint, the whole suite on SQLite and PostgreSQL, the browser suite"
	@echo "make bench  benchmarks (figures in bench/results/latest.json)"

$(UV_STAMP):
	@mkdir -p var
	@command -v uv >/dev/null 2>&1 || [ -x $(HOME)/.local/bin/uv ] || python3 -m uv --version >/dev/null 2>&1 || \
	  python3 -m pip install --quiet --user uv 2>/dev/null || \
	  python3 -m pip install --quiet --user --break-system-packages uv 2>/dev/null || \
	  python3 -m pip install --quiet uv
	@$(RUN_UV) --version >/dev/null
	@touch $@

# System packages: Chromium for the browser suite, Pango for WeasyPrint, gettext for translations,
# and PostgreSQL's server binaries (initdb, pg_ctl) for the throw-away cluster of `make test-postgres`.
APT_PACKAGES := chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 gettext xmlsec1
$(APT_STAMP): Makefile
	@mkdir -p var
	@missing=""; \
	for pkg in $(APT_PACKAGES); do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	need_pg=""; \
	command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_pg=1; \
	if [ -n "$$missing$$need_pg" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q >/dev/null || exit 1; \
	  if [ -n "$$need_pg" ]; then \
	    if apt-cache show postgresql-15 >/dev/null 2>&1; then missing="$$missing postgresql-15"; \
	    else missing="$$missing postgresql"; fi; \
	  fi; \
	  echo "Installing system packages:$$missing"; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing || exit 1; \
	fi
	@touch $@

.venv/.synced: pyproject.toml uv.lock | $(UV_STAMP)
	@$(RUN_UV) sync --frozen --quiet
	@touch $@

node_modules/.synced: package.json package-lock.json
	@npm ci --no-audit --no-fund --silent
	@touch $@

messages: .venv/.synced | $(APT_STAMP)
	@cd sociala && SOCIALA_DEMO_MODE=1 ../$(PY) ../manage.py compilemessages -v0

setup: $(APT_STAMP) .venv/.synced node_modules/.synced messages

run: setup
	@SOCIALA_DEMO_MODE=1 $(MANAGE) migrate --noinput -v0
	@SOCIALA_DEMO_MODE=1 $(MANAGE) seed_demo --if-empty
	@SOCIALA_DEMO_MODE=1 $(MANAGE) demo_banner --port $(PORT)
	@SOCIALA_DEMO_MODE=1 .venv/bin/gunicorn sociala.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - --log-level warning

lint: .venv/.synced
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@.venv/bin/lint-imports --no-cache >/dev/null || .venv/bin/lint-imports --no-cache
	@SOCIALA_DEMO_MODE=1 $(MANAGE) makemigrations --check --dry-run -v0

test-sqlite: setup
	@echo "== Suite on SQLite =="
	@SOCIALA_DEMO_MODE=1 .venv/bin/pytest -q -m "not e2e" -p no:randomly

test-postgres: setup
	@echo "== Suite on PostgreSQL =="
	@SOCIALA_DEMO_MODE=1 SOCIALA_TEST_DB=postgres .venv/bin/pytest -q -m "not e2e"

# The browser suite's live server answers from several threads at once: an in-memory SQLite database
# (shared cache) fails such overlaps at once with "database table is locked", so it uses a file in WAL
# mode, where the busy timeout lets a writer wait as it does in `make run`.
test-e2e: setup
	@echo "== Browser suite (Chromium) =="
	@SOCIALA_DEMO_MODE=1 SOCIALA_TEST_SQLITE=$(CURDIR)/var/test-e2e.sqlite3 .venv/bin/pytest -q -m e2e tests/e2e

test: setup lint test-sqlite test-postgres test-e2e

bench: setup
	@SOCIALA_DEMO_MODE=1 $(PY) -m bench

clean:
	rm -rf var .venv node_modules
