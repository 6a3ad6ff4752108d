# ChangeProg. `make run` and `make test` set everything up from the lock file on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first Python 3.12+ on the PATH.
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults for `make run`; production sets its own environment.
RUN_ENV := DEBUG=$${DEBUG:-1}

.PHONY: help venv run migrate demo test lint lock collectstatic clean bench load

help:
	@echo "make run    set up, migrate SQLite, load the demo programme and serve at http://$(HOST):$(PORT)"
	@echo "make test   set up and run the whole test suite"
	@echo "make lint   ruff, bandit and makemigrations --check"
	@echo "make lock   re-resolve requirements.lock from pyproject.toml"
	@echo "make bench  build the demo and large databases (SQLite, and PostgreSQL if it answers) and time every key page"
	@echo "make load   the load scenario on the large portfolio: 50 users against two gunicorn instances behind nginx"

$(STAMP): requirements.lock
	@test -n "$(PYTHON)" || { echo "ChangeProg needs Python 3.12 or newer on the PATH (python3.12, python3.13 or python3)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $(STAMP)

venv: $(STAMP)

migrate: $(STAMP)
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(RUN_ENV) $(BIN)/python manage.py load_demo

run: demo
	@echo ""
	@echo "ChangeProg is starting at http://$(HOST):$(PORT)/"
	@echo "Sign in as pmo (programme office), lead (leads Force Control Room), viewer, or admin (superuser);"
	@echo "the password is $${DEMO_PASSWORD:-changeprog-demo}."
	@echo ""
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs on every core (pytest-xdist); PYTEST_ARGS="-n 0" runs it in one process.
PYTEST_ARGS ?= -n auto
test: $(STAMP)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/bandit -c pyproject.toml -r . -q
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# Needs uv (pip install uv); the lock file holds hashes for every platform's wheels.
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.12 -o requirements.lock

bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

load: $(STAMP)
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { echo "make load needs nginx (apt-get install nginx-light) and redis-server."; exit 1; }
	bash scripts/postgres-setup.sh
	bash scripts/redis-setup.sh
	$(BIN)/python scripts/load.py $(LOAD_ARGS)

collectstatic: $(STAMP)
	$(BIN)/python manage.py collectstatic --noinput

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
