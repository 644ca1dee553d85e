# Bridges: `make run` serves the site, `make test` runs the suite. Both set themselves up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

# Development defaults; production sets its own environment (see README).
export DJANGO_DEBUG ?= 1

.PHONY: install run test lint format checks ci bench lock clean screenshots

$(INSTALLED): pyproject.toml requirements.lock
	test -x $(VENV)/bin/pip || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev,prod]"
	touch $(INSTALLED)

install: $(INSTALLED)

run: install
	$(PY) scripts/run_dev.py

# axe-core, which the look test runs in every page (tests/e2e/test_look.py), from npm.
AXE := tests/e2e/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/axe/package-lock.json
	npm ci --prefix tests/e2e/axe
	touch $(AXE)

test: install $(AXE)
	$(PY) -m pytest

# ruff, then the apps' one-way dependencies (the import contract in pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Migrations committed, and the deployment checklist clean with production-like settings.
checks: install
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=0 SECRET_KEY=ci-only-$$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n') \
	ALLOWED_HOSTS=bridges.example.com CSRF_TRUSTED_ORIGINS=https://bridges.example.com \
	$(PY) manage.py check --deploy --fail-level WARNING

ci: lint checks test

# Server-time benchmarks: the pipeline pages on PostgreSQL (a database of its own,
# bridges_bench), message rendering and its courtesy check, then the reminder sweep with a
# million follow-ups and delivery through a real worker to an SMTP sink, a 10,000-row CSV
# import, the recruiter's admin with 100,000 applications, one poll of a 10,000-message
# mailbox (a private Dovecot); last, the pages under load from gunicorn, written with the
# reminder figures to benchmarks/RESULTS.md.
bench: install
	$(PY) -m benchmarks.pipeline
	$(PY) -m benchmarks.messaging
	$(PY) -m benchmarks.reminders
	$(PY) -m benchmarks.admin
	$(PY) -m benchmarks.importing
	$(PY) -m benchmarks.inbox
	$(PY) -m benchmarks.load

# Every page of the demo (the candidate's and the recruiter's admin) at 1366 and 390 px wide,
# light and dark, saved into var/screenshots/ by the look test (which checks them with axe).
screenshots: install $(AXE)
	rm -rf var/screenshots
	LOOK_SCREENSHOTS=var/screenshots $(PY) -m pytest -q -p no:cacheprovider tests/e2e/test_look.py

# Re-pin every dependency after a change to pyproject.toml.
lock: install
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --extra prod \
		--python-version 3.11 --quiet -o requirements.lock

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache .ruff_cache
