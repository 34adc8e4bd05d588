# Ergebnisarchiv: `make run` serves the archive, `make test` runs the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := run
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Local, plain-HTTP serving on 127.0.0.1: no HTTPS redirect, no secure cookies.
LOCAL_ENV := DJANGO_HTTPS=0 DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
# A key made once per checkout (var/secret-key, never committed) unless
# DJANGO_SECRET_KEY is set.
KEY_ENV = DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret-key)}"

# The first Python >= 3.12 among python3.13, python3.12, python3; pyenv shims
# that exist but have no such version selected are skipped, and pyenv's own
# installations are tried last.
find_python = for c in python3.13 python3.12 python3 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then command -v "$$c"; exit 0; fi; \
	done; exit 1
no_python = { echo "No Python >= 3.12 found (tried python3.13, python3.12, python3 and pyenv's versions). Django 6 needs Python 3.12 or newer: install one and run make again." >&2; exit 1; }

.PHONY: setup run serve test test-postgres test-browser vnu lint bench bench-search wrk backup restore clean python

python:
	@py=$$($(find_python)) && echo "$$py" || $(no_python)

$(VENV)/.installed: pyproject.toml
	@py=$$($(find_python)) || $(no_python); \
	echo "Using $$py ($$($$py --version))"; \
	$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || "$$py" -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

var/secret-key: | $(VENV)/.installed
	mkdir -p var
	$(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

setup: $(VENV)/.installed var/secret-key
	$(KEY_ENV) $(MANAGE) migrate --noinput
	$(KEY_ENV) $(MANAGE) createcachetable
	$(KEY_ENV) $(MANAGE) load_conference fixtures/winnenden-2019.json

run: setup
	DJANGO_DEBUG=1 $(LOCAL_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

# Production-style on 127.0.0.1: gunicorn, DEBUG off, whitenoise, page cache.
serve: setup
	$(KEY_ENV) $(LOCAL_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(KEY_ENV) $(LOCAL_ENV) PORT=$(PORT) $(VENV)/bin/gunicorn --config gunicorn.conf.py

test: $(VENV)/.installed
	$(PY) -m pytest

# Only the browser tests (axe-core, keyboard, reflow) in Debian's headless Chromium.
test-browser: $(VENV)/.installed
	$(PY) -m pytest -m browser

# The Nu Html Checker for tests/test_html_valid.py (it needs Java too): npm's
# vnu-jar in var/node/, outside the repository. Without it that test skips.
VNU_VERSION := 26.9.27
VNU_JAR := var/node/node_modules/vnu-jar/build/dist/vnu.jar
vnu: $(VNU_JAR)
$(VNU_JAR):
	npm install --prefix var/node --no-audit --no-fund --no-save vnu-jar@$(VNU_VERSION)

test-postgres: $(VENV)/.installed
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/ergebnisarchiv $(MAKE) test

# Loopback only and bounded in time: see bench/README.md.
bench: $(VENV)/.installed wrk
	$(PY) bench/run.py

# The search at 1,000 demo conferences (about 490,000 cards; its own databases in var/ and
# PostgreSQL, filled once, long): speed on both engines, then relevance. CONFERENCES=100 for the smaller set.
CONFERENCES ?= 1000
bench-search: $(VENV)/.installed
	$(PY) bench/search.py speed --engine sqlite --conferences $(CONFERENCES)
	$(PY) bench/search.py speed --engine postgres --conferences $(CONFERENCES)
	$(PY) bench/search.py relevance --engine sqlite --conferences $(CONFERENCES) --no-fill
	$(PY) bench/search.py relevance --engine postgres --conferences $(CONFERENCES) --no-fill

# The load generator of bench/ (Debian's package), installed when missing.
wrk:
	@command -v wrk >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; } \
		|| { echo "The benchmarks need wrk: apt-get install -y wrk" >&2; exit 1; }

# One file with content, corrections, history, reports and users: backups/<time>.json.gz.
backup: $(VENV)/.installed var/secret-key
	$(KEY_ENV) $(MANAGE) backup

# Into a freshly migrated, empty database; FORCE=1 replaces what is there.
restore: $(VENV)/.installed var/secret-key
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/<time>.json.gz [FORCE=1]" >&2; exit 1; }
	$(KEY_ENV) $(MANAGE) migrate --noinput
	$(KEY_ENV) $(MANAGE) createcachetable
	$(KEY_ENV) $(MANAGE) restore "$(FILE)" $(if $(FORCE),--force)

lint: $(VENV)/.installed var/secret-key
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(KEY_ENV) $(MANAGE) makemigrations --check --dry-run

# What can be made again: the venv, collected static files, the HTML checker.
# Never the database or the secret key in var/ (they hold the editors' work).
clean:
	rm -rf $(VENV) var/staticfiles var/node
