# Two commands: `make demo` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install catalogues bench messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,planet]'
	touch $(STAMP)

install: $(STAMP) catalogues

catalogues: $(STAMP)
	$(BIN)/sinfronteras compilecatalogues

demo: install
	mkdir -p var
	$(BIN)/sinfronteras migrate --noinput
	$(BIN)/sinfronteras loaddemo
	@echo
	@echo "  sinfronteras demo: http://$(HOST):$(PORT)/"
	@echo "  log in as ana (coordinator) or luz (member); password: sinfronteras-demo"
	@echo "  coordinators use two factors: get ana's current code with .venv/bin/sinfronteras democode ana"
	@echo
	$(BIN)/sinfronteras db_worker --interval 1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/sinfronteras runserver --insecure $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/bench_planner.py

# For developers (needs GNU gettext): refresh the Spanish catalogues after adding strings.
# The apps with a locale/ folder of their own keep their own catalogue; the rest share
# src/sinfronteras/locale.
OWN_CATALOGUES := $(patsubst src/sinfronteras/%/locale,%,$(wildcard src/sinfronteras/*/locale))
messages: $(STAMP)
	cd src/sinfronteras && ../../$(BIN)/django-admin makemessages -l es --no-obsolete \
	  --settings=sinfronteras.web.settings --ignore 'planning/*' --ignore 'choice/*' \
	  --ignore 'economy/*' $(foreach app,$(OWN_CATALOGUES),--ignore '$(app)/*')
	for app in $(OWN_CATALOGUES); do (cd src/sinfronteras/$$app && \
	  ../../../$(BIN)/django-admin makemessages -l es --no-obsolete \
	  --settings=sinfronteras.web.settings) || exit 1; done
