# Developer entry points. `make run` for the demo, `make test` for the whole suite.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Reinstall only when requirements.txt is newer than this stamp.
STAMP := $(VENV)/.installed
# Extra pytest arguments: make test ARGS="-k foo"
ARGS ?=
# Settings refuse to load without a secret when DEBUG is off; build-only commands get a dummy.
BUILD_ENV := SECRET_KEY="$${SECRET_KEY:-build-only-not-a-secret}"

# Browsers come from Debian (/usr/bin/chromium); Playwright must never download its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: help venv run test fuzz lint fmt migrations-check bench chromium services messages

help:
	@echo "make run               demo on http://127.0.0.1:8000 (SQLite, in-process Celery)"
	@echo "make test [ARGS=...]   full suite on PostgreSQL + Redis + headless Chromium"
	@echo "make fuzz              schemathesis over the served API as admin, agent and customer"
	@echo "make lint | fmt | migrations-check | bench"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

venv: $(STAMP)

# Compile translations when there are any and gettext is installed (.mo files are build output).
messages: $(STAMP)
	@if [ -d locale ]; then \
	  if command -v msgfmt >/dev/null; then \
	    $(BUILD_ENV) $(PY) manage.py compilemessages --ignore=$(VENV) >/dev/null; \
	  else echo "warning: msgfmt (gettext) not found; translations not compiled" >&2; fi; \
	fi

# Demo: no DATABASE_URL/REDIS_URL set here, so SQLite and eager Celery unless the caller set them.
run: export DEBUG := 1
run: $(STAMP) messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else echo "warning: /usr/bin/chromium missing; run: sudo apt-get install chromium" >&2; fi; \
	fi

services:
	@bash scripts/services-up.sh

# Defaults only: a caller's environment or `make test DATABASE_URL=...` wins.
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/helpdesk
test: export REDIS_URL ?= redis://127.0.0.1:6379/0
test: $(STAMP) chromium services messages
	@rc=0; $(VENV)/bin/pytest $(ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests (exit 5): failing" >&2; fi; \
	exit $$rc

# The API fuzzed (scripts/fuzz_api.py): a throwaway database on DATABASE_URL's server, a
# fixed seed (FUZZ_SEED) and FUZZ_SECONDS per role; any 5xx or off-schema answer fails.
fuzz: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/helpdesk
fuzz: $(STAMP) services
	$(PY) scripts/fuzz_api.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

fmt: $(STAMP)
	$(VENV)/bin/ruff check --select I --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(STAMP)
	$(BUILD_ENV) $(PY) manage.py makemigrations --check --dry-run

bench: $(STAMP)
	$(PY) bench/run.py
