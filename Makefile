# 邻里 Linli — two commands from a bare clone:
#   make demo   set up, load the demo scenario, serve http://127.0.0.1:8000
#   make test   set up, run every test on SQLite (at a daytime and at a Beijing New Year's Eve night instant),
#               then on PostgreSQL (New Year's night) when one is reachable or can be started

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export LINLI_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test setup lint serve openapi bench-intake clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	mkdir -p $(LINLI_DATA_DIR)
	$(BIN)/linli migrate --noinput -v 0
	$(BIN)/linli demo
	$(BIN)/linli serve --host 127.0.0.1 --port 8000

serve: $(STAMP)
	$(BIN)/linli serve

test: $(STAMP)
	bash scripts/test.sh

lint: $(STAMP)
	$(BIN)/ruff check linli bench
	$(BIN)/ruff format --check linli bench
	$(BIN)/lint-imports
	$(BIN)/mypy

openapi: $(STAMP)
	$(BIN)/linli openapi

clean:
	rm -rf $(VENV) var artifacts
