# Ledarskapsportalen. `make run` for a first look, `make test` for everything CI runs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
OIDC_PROVIDER := tests/oidc_provider/node_modules/.installed
HTML_CHECKER := tests/html_checker/node_modules/.installed

# Test configuration: PostgreSQL and Redis on loopback, production-like settings.
TEST_ENV := DEBUG=false \
	SECRET_KEY=test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG \
	ALLOWED_HOSTS=localhost,127.0.0.1,testserver \
	SECURE_SSL_REDIRECT=false \
	DATABASE_URL=$${TEST_DATABASE_URL:-postgres://kungsor_ledarskap:kungsor_ledarskap@127.0.0.1:5432/kungsor_ledarskap} \
	CELERY_BROKER_URL=$${TEST_REDIS_URL:-redis://127.0.0.1:6379/15} \
	EMAIL_URL=smtp://127.0.0.1:1 \
	LOG_LEVEL=WARNING

# Production-like variables for `check --deploy`; the security settings keep their
# production defaults even if the calling shell has test values set.
DEPLOY_ENV := env -u SECURE_SSL_REDIRECT -u SESSION_COOKIE_SECURE -u CSRF_COOKIE_SECURE \
	-u SECURE_HSTS_SECONDS -u SECURE_HSTS_PRELOAD -u SECURE_HSTS_INCLUDE_SUBDOMAINS \
	DEBUG=false \
	SECRET_KEY=deploy-check-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-XYZ \
	ALLOWED_HOSTS=ledarskap.kungsor.se \
	SITE_URL=https://ledarskap.kungsor.se \
	DATABASE_URL=postgres://kungsor_ledarskap:kungsor_ledarskap@127.0.0.1:5432/kungsor_ledarskap \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
	CACHE_URL=redis://127.0.0.1:6379/1 \
	EMAIL_URL=smtp://smtp.kungsor.se:587

# The production arrangement end to end (`make prod-check`, below), at most 5 minutes.
PROD_CHECK := DATABASE_URL=$${TEST_DATABASE_URL:-postgres://kungsor_ledarskap:kungsor_ledarskap@127.0.0.1:5432/kungsor_ledarskap} \
	timeout 300 $(PY) scripts/prod_check.py

# Test processes (pytest-xdist): each gets its own PostgreSQL database (test_…_gw0, _gw1) and
# Redis database (15, 13: tests/conftest.py). loadgroup keeps the tests that share a Redis
# database on one process; each process runs its transactional tests last, as Django does.
PYTEST_PARALLEL ?= -n auto --maxprocesses=2 --dist loadgroup

.PHONY: run test chaos bench prod-check restore-drill audit lock lock-upgrade sbom install \
	install-test messages messages-update lint clean

# Installs exactly what the lock files in requirements/ name, each file checked against its
# hash (--require-hashes; --no-deps: nothing the lock does not list). pyproject.toml names the
# direct dependencies; `make lock` derives the lock files from it (see the README).
LOCK := requirements/portal.txt
TEST_LOCK := requirements/test.txt

$(VENV)/.installed: $(LOCK)
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	scripts/ensure_venv_module.sh $(PYTHON)
	test -x $(BIN)/pip || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip check
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed $(TEST_LOCK)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(TEST_LOCK)
	$(BIN)/pip check
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test $(OIDC_PROVIDER) $(HTML_CHECKER)

# The tests' OpenID Connect provider (panva's oidc-provider on Node.js; tests/support/oidc.py),
# installed from its lock file.
$(OIDC_PROVIDER): tests/oidc_provider/package-lock.json
	command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm; }
	scripts/check_node.sh tests/oidc_provider/package.json
	npm ci --prefix tests/oidc_provider --no-audit --no-fund --loglevel=error
	touch $@

# The Nu Html Checker for the browser walk (tests/support/html_checker.py): vnu.jar from npm,
# installed from its lock file, on Debian's Java.
$(HTML_CHECKER): tests/html_checker/package-lock.json
	command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq default-jre-headless; }
	command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm; }
	npm ci --prefix tests/html_checker --no-audit --no-fund --loglevel=error
	touch $@

.env:
	$(PY) scripts/write_env.py

messages: $(VENV)/.installed
	$(BIN)/pybabel compile --domain=django --directory=locale --statistics

# After changing user-facing strings: extract them, then translate the new ones in
# locale/sv/LC_MESSAGES/django.po (needs gettext's xgettext).
messages-update: $(VENV)/.installed .env
	$(PY) manage.py makemessages -l sv --no-location --no-obsolete --ignore=.venv \
		--ignore=staticfiles --ignore=static --ignore=tests --ignore=build --ignore=dist

run: $(VENV)/.installed .env messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo
	@echo "Ledarskapsportalen: http://127.0.0.1:8000  (Ctrl-C stops web, worker and beat)"
	@echo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev -e .env start

test: $(VENV)/.installed-test $(OIDC_PROVIDER) $(HTML_CHECKER) messages
	scripts/check_node.sh tests/oidc_provider/package.json
	scripts/ensure_services.sh
	command -v nginx >/dev/null || test -x /usr/sbin/nginx || { apt-get update -qq && apt-get install -y -qq nginx-light; }
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(TEST_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@# prod-check spends most of its 80 s waiting for beat's schedule: it runs beside the
	@# tests (its own database, Redis and ports; the prerequisites above are done, so
	@# nothing is rebuilt under the tests), its output printed when both are done. An
	@# interrupt stops it too.
	@log=$$(mktemp /tmp/prod-check.XXXXXX.log); \
	$(PROD_CHECK) >"$$log" 2>&1 & check=$$!; \
	trap 'kill $$check 2>/dev/null; wait $$check; rm -f "$$log"; exit 130' INT TERM; \
	echo "make prod-check runs beside the tests; its output follows them"; \
	$(TEST_ENV) $(BIN)/pytest --create-db -p no:playwright -m "not browser" $(PYTEST_PARALLEL); \
	tests=$$?; wait $$check; checked=$$?; cat "$$log"; rm -f "$$log"; \
	test $$tests -eq 0 -a $$checked -eq 0
	$(TEST_ENV) DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest --create-db -m browser $(PYTEST_PARALLEL) tests/browser

# 2,000 reminders drained by two workers while one is killed and Redis restarts (loopback,
# own database and Redis, at most 10 minutes); prints the counts, fails on any loss or repeat.
chaos: $(VENV)/.installed-test
	scripts/ensure_services.sh
	$(TEST_ENV) timeout 600 $(PY) scripts/chaos_reminders.py

# The portal at national scale, then at Kungsör's own size (scripts/bench.py;
# docs/benchmarks.md keeps the latest tables beside the run before, docs/benchmarks-baseline.json).
# BENCH_SCALE picks the runs: "1.0 kungsor" by default; a number is national scale times it,
# kungsor is 60 managers, one coach and ten years of data (scripts/bench_seed.py). Both runs
# take about 17 minutes on 2 cores; production-like settings, loopback only, bounded to 45.
bench: $(VENV)/.installed-test messages
	scripts/ensure_services.sh
	command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(DEPLOY_ENV) timeout 2700 $(PY) scripts/bench.py

# The portal as in production, end to end on loopback (scripts/prod_check.py): gunicorn
# (deploy/gunicorn.conf.py, two workers), two Celery workers and beat on PostgreSQL and a Redis
# of its own (deploy/redis.conf), production settings; signs in, schedules a session, checks
# /healthz, waits for the reminder at an SMTP sink, then runs the restore drill on its
# database. Its own database, dropped afterwards; at most 4 minutes.
prod-check: $(VENV)/.installed-test messages
	scripts/ensure_services.sh
	$(PROD_CHECK)

# Backup and restore drill (scripts/restore_drill.py; docs/deploy.md): pg_dump the database in
# DATABASE_URL, restore it into a new database, check it and serve it with gunicorn, compare
# row counts, drop it. Options through DRILL_ARGS, e.g. DRILL_ARGS="--dump backup.dump --keep".
restore-drill: $(VENV)/.installed
	timeout 600 $(PY) scripts/restore_drill.py $(DRILL_ARGS)

# Security lint (bandit: no finding of medium severity or higher) and known vulnerabilities in
# every locked dependency (pip-audit on the test lock, which holds the portal's lock and the
# test tools; --strict: a package it cannot check fails the run, so an unreachable
# vulnerability database never passes as "nothing found").
audit: $(VENV)/.installed-test
	$(BIN)/bandit -c pyproject.toml -r . --severity-level medium --quiet
	$(BIN)/pip-audit --strict --progress-spinner off --disable-pip --require-hashes -r $(TEST_LOCK)

# The lock files from pyproject.toml, keeping every version that still fits (run after
# changing a dependency in pyproject.toml); `make lock-upgrade` moves every package to its
# newest release that fits (monthly, or for a security fix). Then `make test`, and commit
# pyproject.toml and requirements/ together. Resolved for Python 3.11 and newer on any platform
# (--universal), with the hashes of every file PyPI has for each version.
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" --quiet

lock: $(VENV)/.installed-test
	$(UV_COMPILE) $(LOCK_FLAGS) -o $(LOCK)
	$(UV_COMPILE) $(LOCK_FLAGS) --extra test -c $(LOCK) -o $(TEST_LOCK)
	$(BIN)/uv pip compile requirements/sbom.in --universal --python-version 3.11 \
		--generate-hashes --custom-compile-command "make lock" --quiet $(LOCK_FLAGS) -o $(SBOM_LOCK)

lock-upgrade:
	$(MAKE) --no-print-directory lock LOCK_FLAGS=--upgrade

# A CycloneDX bill of materials (JSON) of what production installs: the portal's lock file
# installed into a fresh virtual environment of its own, then read by cyclonedx-py, which has
# a virtual environment of its own too (requirements/sbom.txt). Keep the file with each
# release (docs/deploy.md says how to check it for known vulnerabilities).
SBOM ?= dist/ledarskapsportalen-sbom.cdx.json
SBOM_LOCK := requirements/sbom.txt
SBOM_VENV := build/sbom-venv
SBOM_TOOL := build/sbom-tool

$(SBOM_TOOL)/.installed: $(SBOM_LOCK)
	rm -rf $(SBOM_TOOL)
	$(PYTHON) -m venv $(SBOM_TOOL)
	$(SBOM_TOOL)/bin/pip install --quiet --require-hashes --no-deps -r $(SBOM_LOCK)
	touch $@

sbom: $(VENV)/.installed $(SBOM_TOOL)/.installed
	rm -rf $(SBOM_VENV)
	$(PYTHON) -m venv --without-pip $(SBOM_VENV)
	$(BIN)/pip --python $(SBOM_VENV)/bin/python install --quiet --require-hashes --no-deps -r $(LOCK)
	mkdir -p $(dir $(SBOM))
	$(SBOM_TOOL)/bin/cyclonedx-py environment --pyproject pyproject.toml --output-reproducible \
		--output-format JSON --output-file $(SBOM) $(SBOM_VENV)/bin/python
	rm -rf $(SBOM_VENV)
	@echo "SBOM: $(SBOM)"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache build dist
