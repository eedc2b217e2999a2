# Sheber: `make run` serves the demo site, `make test` runs lint and the whole suite.

# Python >= 3.12: $PYTHON if given, else the first interpreter that is new enough
# (.python-version makes pyenv's python3.12 answer in this folder).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3 $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3); do \
	"$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v "$$p"; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PIP_VERSION := 26.3
PG_URL ?= postgres://postgres@127.0.0.1:5432/sheber
REDIS_TEST_URL ?= redis://127.0.0.1:6379/1
PG_BENCH_URL ?= postgres://postgres@127.0.0.1:5432/sheber_bench
REDIS_BENCH_URL ?= redis://127.0.0.1:6379/2

.PHONY: run setup test test-postgres bench lint messages system-deps clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "No Python >= 3.12 found: install one or set PYTHON=/path/to/python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check pip==$(PIP_VERSION)
	$(PY) -m pip install --quiet --group test
	@touch $@

# Debian packages the suite needs: msgfmt for the catalogues, chromium for the browser tests,
# wrk for the HTTP benchmarks.
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || $(MAKE) system-deps
	$(MANAGE) compilemessages --ignore=.venv -v 0

setup: messages
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_demo

run: setup
	$(MANAGE) runserver 127.0.0.1:8000

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: system-deps messages lint
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest

# The same suite on PostgreSQL with Redis for cache and sessions (pytest-django makes test_<db>).
test-postgres: system-deps messages
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(MANAGE) check --fail-level WARNING
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(VENV)/bin/pytest

# Benchmarks: SQLite locking, then drill answers under load on a temporary SQLite file and on
# PostgreSQL with Redis (the bench creates and drops its own database, never sheber); last, the
# learner pages under gunicorn with wrk on both (table in bench/README.md).
bench: system-deps $(VENV)/.installed
	$(PY) bench/sqlite_contention.py
	env -u DATABASE_URL -u REDIS_URL $(PY) bench/drill_concurrency.py
	DATABASE_URL=$(PG_BENCH_URL) REDIS_URL=$(REDIS_BENCH_URL) $(PY) bench/drill_concurrency.py
	env -u DATABASE_URL -u REDIS_URL $(PY) bench/reports_scale.py
	DATABASE_URL=$(PG_BENCH_URL) $(PY) bench/reports_scale.py
	env -u DATABASE_URL -u REDIS_URL PG_BENCH_URL=$(PG_BENCH_URL) REDIS_BENCH_URL=$(REDIS_BENCH_URL) \
		$(PY) bench/pages.py
	env -u DATABASE_URL -u REDIS_URL PG_BENCH_URL=$(PG_BENCH_URL) REDIS_BENCH_URL=$(REDIS_BENCH_URL) \
		$(PY) bench/write_safety.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis
