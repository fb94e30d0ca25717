# Ward Profiles: `make help` lists what you can do.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := service
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))

.DEFAULT_GOAL := help
.PHONY: help install db demo run serve test lint bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

ASSETS := service/static/vendor/.installed

$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	rm -rf service/static/vendor && mkdir -p service/static/vendor/leaflet service/static/vendor/markercluster service/static/vendor/heat service/static/vendor/jquery
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css service/static/vendor/leaflet/
	cp -r node_modules/leaflet/dist/images service/static/vendor/leaflet/images
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/MarkerCluster.css node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css service/static/vendor/markercluster/
	cp node_modules/leaflet.heat/dist/leaflet-heat.js service/static/vendor/heat/
	cp node_modules/jquery/dist/jquery.min.js service/static/vendor/jquery/
	touch $@

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) $(ASSETS) ## Create the virtualenv, install the pinned packages and the map libraries (npm)

db: install ## Create or upgrade the database (instance/wardprofiles.sqlite unless configured)
	$(BIN)/flask init-db

demo: db ## Load the synthetic demo force (2024 and 2025) if no wards are stored yet, and a first user
	$(BIN)/flask demo --if-empty --years 2
	$(BIN)/flask create-user admin --role admin --name "First administrator" --if-none

run: demo ## Set up, load the demo if the database is empty, serve on http://127.0.0.1:5000
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) 'service:create_app()'

serve: db ## Serve with gunicorn: WORKERS (2 x CPUs + 1), HOST and PORT; see README "Deploy"
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --forwarded-allow-ips 127.0.0.1 'service:create_app()'

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
