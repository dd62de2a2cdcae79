# Two commands: `make demo` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: `make demo` installs what the product runs on; `make test` adds the test extras.
RUN_STAMP := $(VENV)/.run-stamp
TEST_STAMP := $(VENV)/.test-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install catalogues bench messages

$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,planet]'
	touch $(TEST_STAMP)

install: $(TEST_STAMP) catalogues

catalogues: $(RUN_STAMP)
	$(BIN)/sinfronteras compilecatalogues

# The demo's simulated SMS phone (docs/operators.md, "Try SMS without a phone"); the worker posts to it.
demo: export SMS_DEMO_PHONE ?= 1
demo: export SITE_URL ?= http://$(HOST):$(PORT)
demo: catalogues
	mkdir -p var
	$(BIN)/sinfronteras migrate --noinput
	$(BIN)/sinfronteras loaddemo --across-border
	@echo
	@echo "  sinfronteras demo: http://$(HOST):$(PORT)/"
	@echo "  log in as ana (coordinator) or luz (member); password: sinfronteras-demo"
	@echo "  across the border, Tijuana: rosa (coordinator) and tj-hogar-000 (member)"
	@echo "  coordinators use two factors: get ana's current code with .venv/bin/sinfronteras democode ana"
	@echo "  push notifications: 'Turn on notifications on this device' on the account page"
	@echo "  SMS without a phone: account page, SMS, 'open the demo phone'"
	@echo
	$(BIN)/sinfronteras db_worker --interval 1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/sinfronteras runserver --insecure $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/bench_planner.py
	$(BIN)/python bench/bench_web.py

# For developers (needs GNU gettext): refresh the Spanish catalogues after adding strings.
# The apps with a locale/ folder of their own keep their own catalogue; the rest share
# src/sinfronteras/locale.
OWN_CATALOGUES := $(patsubst src/sinfronteras/%/locale,%,$(wildcard src/sinfronteras/*/locale))
messages: $(TEST_STAMP)
	cd src/sinfronteras && ../../$(BIN)/django-admin makemessages -l es --no-obsolete \
	  --settings=sinfronteras.web.settings --ignore 'planning/*' --ignore 'choice/*' \
	  --ignore 'economy/*' $(foreach app,$(OWN_CATALOGUES),--ignore '$(app)/*')
	for app in $(OWN_CATALOGUES); do (cd src/sinfronteras/$$app && \
	  ../../../$(BIN)/django-admin makemessages -l es --no-obsolete \
	  --settings=sinfronteras.web.settings) || exit 1; done
