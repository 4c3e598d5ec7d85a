# Ruamkan: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test check worker setup setup-dev translations migrate seed clean extract-messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), "Python 3.11 or newer is needed"'
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): on Debian run 'apt-get install python3-venv' first."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

setup: $(VENV)/.runtime translations
setup-dev: $(VENV)/.dev translations

translations: $(VENV)/.runtime
	$(BIN)/pybabel compile -d app/translations

extract-messages: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

migrate: setup
	$(BIN)/flask db upgrade

seed: migrate
	$(BIN)/flask seed-demo

run: seed
	@echo "Ruamkan is serving on http://$(HOST):$(PORT) with the outbox worker  (Ctrl+C stops both)"
	@$(BIN)/flask worker & worker=$$!; trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(BIN)/flask run --host $(HOST) --port $(PORT)

worker: migrate
	$(BIN)/flask worker

test: setup-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Static checks: lint, security lint (no medium or high findings), known-vulnerable dependencies.
check: setup-dev
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r app config.py wsgi.py bench .ci/audit_latest.py --severity-level medium
	bash .ci/audit

clean:
	rm -rf $(VENV) instance .pytest_cache
