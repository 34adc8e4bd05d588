# Ergebnisarchiv: `make run` serves the archive, `make test` runs the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := run
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Local, plain-HTTP serving on 127.0.0.1: no HTTPS redirect, no secure cookies.
LOCAL_ENV := DJANGO_HTTPS=0 DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
# The settings read the checkout's key from var/secret-key (made by `make setup`,
# never committed) unless DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE is set.

# The first Python >= 3.12 among python3.13, python3.12, python3; pyenv shims
# that exist but have no such version selected are skipped, and pyenv's own
# installations are tried last.
find_python = for c in python3.13 python3.12 python3 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then command -v "$$c"; exit 0; fi; \
	done; exit 1
no_python = { echo "No Python >= 3.12 found (tried python3.13, python3.12, python3 and pyenv's versions). Django 6 needs Python 3.12 or newer: install one and run make again." >&2; exit 1; }

.PHONY: help setup run serve superuser test test-postgres test-browser vnu lighthouse lint bench bench-search bench-setup wrk backup restore clean python

help: ## this list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

python: ## print the Python this Makefile uses
	@py=$$($(find_python)) && echo "$$py" || $(no_python)

# The venv is kept while its Python is 3.12 or newer; the project is never
# installed into it, only its dependency groups (pyproject.toml, pip >= 25.1).
$(VENV)/.run-deps: pyproject.toml
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { \
	  py=$$($(find_python)) || $(no_python); \
	  echo "Creating $(VENV) with $$py ($$($$py --version))"; \
	  "$$py" -m venv --clear $(VENV); }
	@$(PY) -m pip install --quiet --disable-pip-version-check 'pip>=25.1'
	@echo "Installing what the archive needs to run ..."
	$(PY) -m pip install --disable-pip-version-check --progress-bar on --group run
	@touch $@

$(VENV)/.test-deps: pyproject.toml $(VENV)/.run-deps
	@echo "Installing the test tools ..."
	$(PY) -m pip install --disable-pip-version-check --progress-bar on --group test
	@touch $@

var/secret-key: | $(VENV)/.run-deps
	@mkdir -p var
	@$(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@
	@echo "Made a secret key for this checkout: $@"

setup: $(VENV)/.run-deps var/secret-key ## install, migrate, and load the conference when it is not there yet
	$(MANAGE) migrate --noinput
	$(MANAGE) load_conference fixtures/winnenden-2019.json

run: setup ## serve the archive with SQLite on http://127.0.0.1:8000/ (another port: PORT=8100), debug on
	DJANGO_DEBUG=1 $(LOCAL_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

# Production-style on 127.0.0.1: gunicorn, DEBUG off, whitenoise, page cache.
serve: setup ## the same, production-style: gunicorn, debug off, caching
	$(LOCAL_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(LOCAL_ENV) PORT=$(PORT) $(VENV)/bin/gunicorn --config gunicorn.conf.py

superuser: setup ## create an admin account (asks for name and password)
	$(MANAGE) createsuperuser

test: $(VENV)/.test-deps ## the whole test suite (SQLite)
	$(PY) -m pytest

# Only the browser tests (axe-core, keyboard, reflow) in Debian's headless Chromium.
test-browser: $(VENV)/.test-deps ## only the browser tests (axe-core, keyboard, reflow)
	$(PY) -m pytest -m browser

# The Nu Html Checker for tests/test_html_valid.py (it needs Java too): npm's
# vnu-jar in var/node/, outside the repository. Without it that test skips.
VNU_VERSION := 26.9.27
VNU_JAR := var/node/node_modules/vnu-jar/build/dist/vnu.jar
vnu: $(VNU_JAR) ## install the Nu Html Checker for the HTML validity test
$(VNU_JAR):
	npm install --prefix var/node --no-audit --no-fund --no-save vnu-jar@$(VNU_VERSION)

# Lighthouse 12 (13 needs Node 22; these machines have Node 20) for the browser test that
# scores every content page type: npm's lighthouse in var/node/lighthouse/. Without it that test skips.
LIGHTHOUSE_VERSION := 12.8.2
# Its own prefix: a second `npm install --no-save` into var/node would prune vnu-jar.
LIGHTHOUSE := var/node/lighthouse/node_modules/.bin/lighthouse
lighthouse: $(LIGHTHOUSE) ## install Lighthouse for the browser test of SEO, best practices and accessibility
$(LIGHTHOUSE):
	npm install --prefix var/node/lighthouse --no-audit --no-fund --no-save lighthouse@$(LIGHTHOUSE_VERSION)

test-postgres: $(VENV)/.test-deps ## the whole test suite on PostgreSQL at 127.0.0.1:5432
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/ergebnisarchiv $(MAKE) test

# Loopback only and bounded in time: see bench/README.md.
bench: $(VENV)/.test-deps wrk ## the benchmarks, printing ratios against a static file
	$(PY) bench/run.py

# The search at 1,000 demo conferences (about 490,000 cards; its own databases in var/ and
# PostgreSQL, filled once, long): speed on both engines, then relevance. CONFERENCES=100 for the smaller set.
CONFERENCES ?= 1000
bench-search: $(VENV)/.test-deps ## search speed and relevance at CONFERENCES=1000 demo conferences, both engines
	$(PY) bench/search.py speed --engine sqlite --conferences $(CONFERENCES)
	$(PY) bench/search.py speed --engine postgres --conferences $(CONFERENCES)
	$(PY) bench/search.py relevance --engine sqlite --conferences $(CONFERENCES) --no-fill
	$(PY) bench/search.py relevance --engine postgres --conferences $(CONFERENCES) --no-fill

# The load generator of bench/ (Debian's package), installed when missing.
wrk: ## install the load generator wrk when missing
	@command -v wrk >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; } \
		|| { echo "The benchmarks need wrk: apt-get install -y wrk" >&2; exit 1; }

# One file with content, corrections, history, reports and users: backups/<time>.json.gz.
backup: $(VENV)/.run-deps var/secret-key ## one file with content, corrections, history, reports and users
	$(MANAGE) backup

# Into a freshly migrated, empty database; FORCE=1 replaces what is there.
restore: $(VENV)/.run-deps var/secret-key ## FILE=backups/<time>.json.gz [FORCE=1]: back into the database
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/<time>.json.gz [FORCE=1]" >&2; exit 1; }
	$(MANAGE) migrate --noinput
	$(MANAGE) restore "$(FILE)" $(if $(FORCE),--force)

lint: $(VENV)/.test-deps var/secret-key ## ruff, and a check that no migration is missing
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(MANAGE) makemigrations --check --dry-run

# What can be made again: the venv, collected static files, the HTML checker.
# Never the database or the secret key in var/ (they hold the editors' work).
clean: ## remove what can be made again; never the database or the key
	rm -rf $(VENV) var/staticfiles var/node
