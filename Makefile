# corridor: set-up, demo, tests and benchmarks. Every target creates .venv on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: all venv demo test lint format bench clean

all: test

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "corridor needs Python >= 3.11"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m corridor.demo --shared $(SHARED) --out demo-output

lint: $(STAMP)
	$(BIN)/ruff check corridor tests bench scenarios examples tools
	$(BIN)/ruff format --check corridor tests bench scenarios examples tools

format: $(STAMP)
	$(BIN)/ruff format corridor tests bench scenarios examples tools
	$(BIN)/ruff check --fix corridor tests bench scenarios examples tools

test: lint
	CORRIDOR_SHARED=$(SHARED) $(BIN)/python -m pytest -q

bench: $(STAMP)
	CORRIDOR_SHARED=$(SHARED) $(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) demo-output .pytest_cache .ruff_cache
