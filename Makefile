# Ward Profiles: `make help` lists what you can do.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := service
HOST ?= 127.0.0.1
PORT ?= 5000

.DEFAULT_GOAL := help
.PHONY: help install db demo run test lint bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) ## Create the virtualenv and install the pinned packages

db: install ## Create the database (instance/wardprofiles.sqlite unless configured)
	$(BIN)/flask init-db

demo: db ## Load the synthetic demo force if no wards are stored yet
	$(BIN)/flask demo --if-empty

run: demo ## Set up, load the demo if the database is empty, serve on http://127.0.0.1:5000
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: install ## Set up, then run the linters and the whole test suite
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

lint: install ## Ruff (lint and format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: install ## Import benchmark (see scripts/README.md)
	$(BIN)/python scripts/bench_import.py
