# Fulcrum — the two commands: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
DEMO_ENV := env -u DATABASE_URL -u CELERY_BROKER_URL DJANGO_SETTINGS_MODULE=config.settings.local
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo demo-seed test lint typecheck check lock clean-demo

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

## demo: set up (venv, SQLite, seeded realistic book) and serve on http://$(HOST):$(PORT)
demo: demo-seed
	$(DEMO_ENV) FULCRUM_SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

demo-seed: $(VENV)/.installed
	$(DEMO_ENV) $(PY) manage.py migrate --noinput -v 0
	$(DEMO_ENV) FULCRUM_SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py demo_seed

## test: the whole suite (SQLite + eager Celery here; PostgreSQL + Redis when DATABASE_URL /
## CELERY_BROKER_URL are set, as CI does)
test: $(VENV)/.installed
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy .

check: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=check-only-$$(head -c 32 /dev/urandom | base64) \
		DJANGO_ALLOWED_HOSTS=fulcrum.example $(PY) manage.py check --deploy --fail-level WARNING

## lock: re-resolve requirements.lock from pyproject.toml
lock: $(VENV)/.installed
	$(VENV)/bin/pip-compile --quiet --extra dev --strip-extras --generate-hashes --allow-unsafe \
		-o requirements.lock pyproject.toml

clean-demo:
	rm -f var/fulcrum.sqlite3
