# The few verbs a newcomer needs. `make run` and `make test` work on a fresh machine with
# Python 3.11: they create .venv, install, migrate and compile translations as needed.
PYTHON ?= python3
PORT ?= 8000
# Test processes (pytest-xdist); each has its own test database and Redis cache database (8+).
TEST_PROCESSES ?= 2
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: help install idp setup run test fuzz e2e lint format messages compilemessages worker beat release check-deploy bench backup restore

help:
	@echo "make run      set up and serve the demo on http://127.0.0.1:$(PORT)"
	@echo "make test     run the whole test suite"
	@echo "make fuzz     every form with 200 generated inputs (make test gives each 30)"
	@echo "make e2e      browser journeys in Chromium, screenshots in e2e-artifacts/"
	@echo "make worker   a Celery worker (REDIS_URL's broker, else the folder var/celery/)"
	@echo "make beat     the Celery beat scheduler (run exactly one; \`make run\` starts both)"
	@echo "make release  migrate the database, once per deploy before the new instances start"
	@echo "make lint     ruff, formatting and missing migrations"
	@echo "make messages update the translation catalogues after changing strings"
	@echo "make bench    national-scale data, gunicorn and timings (needs DATABASE_URL, REDIS_URL)"
	@echo "make backup   dump the PostgreSQL database to var/backups/ (or FILE=…)"
	@echo "make restore  FILE=… restore a dump, replacing the database's contents"

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Triad needs Python 3.11"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)

compilemessages: install
	$(PY) manage.py compilemessages --ignore='.venv/*' -v0

setup: install compilemessages
	$(PY) manage.py migrate --noinput -v0

# The demo as production runs it: the web server, a Celery worker and beat. Without REDIS_URL
# the broker is a folder (var/celery/, config/settings/local.py) and e-mail lands in var/mail/.
# PORT is exported, so links in e-mails and calendar files point here. Ctrl-C (or any exit)
# stops the worker and beat with the server.
run: setup
	mkdir -p var/mail var/celery
	PORT=$(PORT) $(PY) manage.py seed_demo
	@echo "E-mail is written to var/mail/ (set EMAIL_URL to send it elsewhere)."
	@export PORT=$(PORT); \
	trap 'kill $$worker $$beat 2>/dev/null; wait $$worker $$beat 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/celery -A config worker --pool=solo --loglevel=WARNING & worker=$$!; \
	$(VENV)/bin/celery -A config beat --loglevel=WARNING --schedule=var/celerybeat-schedule & beat=$$!; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install compilemessages idp
	$(PY) -m pytest -n $(TEST_PROCESSES) --dist loadgroup

# Every form with 200 generated inputs (issue 7's promise; `make test` gives each 30, drawn
# anew every run): about 24,000 requests, 5 minutes on two cores.
fuzz: install compilemessages
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-200} $(PY) -m pytest -n $(TEST_PROCESSES) -m fuzz tests/test_forms_fuzz.py

# Browser journeys (marked e2e, left out of `make test`) in Debian's Chromium: Playwright
# cannot download its own browser here. Its Swedish locale (chromium-l10n) makes date fields
# read as a Swedish user's do. Screenshots and timings land in e2e-artifacts/.
CHROMIUM_SV := /usr/lib/chromium/locales/sv.pak
$(CHROMIUM_SV):
	apt-get update
	apt-get install -y chromium chromium-l10n

# The identity providers the federated sign-in tests start on loopback (tests/idp/): Debian's
# SimpleSAMLphp with PHP for SAML, and npm's oidc-provider (tests/idp/oidc/package-lock.json)
# on Node.js for OpenID Connect. Installed when missing.
IDP_OIDC := tests/idp/oidc/node_modules/.installed-stamp
$(IDP_OIDC): tests/idp/oidc/package-lock.json
	cd tests/idp/oidc && npm ci --no-audit --no-fund
	touch $@
idp: $(IDP_OIDC)
	@test -d /usr/share/simplesamlphp/www && php -m | grep -qx dom || { apt-get update -qq && \
	  apt-get install -y -qq --no-install-recommends simplesamlphp php-cli php-xml php-mbstring; }

# Two processes (each its own live server and database): the journeys take half the time.
e2e: install compilemessages idp $(CHROMIUM_SV)
	rm -rf e2e-artifacts
	$(PY) -m pytest tests/e2e -m e2e -rs -n 2 --dist loadfile

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Update every catalogue: each app keeps its own; templates/ and config/ use locale/.
# demo/ holds no interface text (its data is Swedish as written).
CATALOGUE_APPS := infra pilots accounts cases workshops dashboards exchange
messages: install
	for app in $(CATALOGUE_APPS); do (cd $$app && ../$(PY) ../manage.py makemessages -l sv --no-obsolete -v0); done
	$(PY) manage.py makemessages -l sv --no-obsolete -v0 --ignore='.venv/*' --ignore='tests/*' --ignore='demo/*' $(foreach app,$(CATALOGUE_APPS),--ignore='$(app)/*')

worker: setup
	$(VENV)/bin/celery -A config worker --loglevel=INFO

beat: setup
	mkdir -p var
	$(VENV)/bin/celery -A config beat --loglevel=INFO --schedule=var/celerybeat-schedule

# The release step: once per deploy, from one place, before the new web, worker and beat
# instances start (docker compose's `release` service runs the same migrate). Instances never
# migrate on start: replicas starting together would race over the same tables, and every
# restart or added replica would run it again. /healthz answers 503 while a migration of the
# code waits. collectstatic and compilemessages are no part of it: each instance serves its own
# static files (whitenoise) and translations, built with it (the image, `make setup`).
release: install
	$(PY) manage.py migrate --noinput

# What production settings say about themselves, given throwaway values for their secrets.
check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/triad} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	DJANGO_ALLOWED_HOSTS=triad.example.org \
	$(PY) manage.py check --deploy --fail-level WARNING

# National-scale data in its own databases (<name>_scale, <name>_scale10), served by gunicorn
# with production settings on loopback and measured; the last line printed is one JSON object.
bench: install compilemessages
	$(PY) bench/run.py

# Backups of the PostgreSQL database in DATABASE_URL (pg_dump/pg_restore, custom format).
backup: install
	$(PY) manage.py backup_database $(if $(FILE),--file "$(FILE)")

restore: install
	@test -n "$(FILE)" || { echo "Say which dump: make restore FILE=var/backups/triad-….dump"; exit 2; }
	$(PY) manage.py restore_database "$(FILE)"
