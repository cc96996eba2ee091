# regioledger: `make run` and `make test` do all set-up themselves on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench soak audit lint migrate install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/regioledger db upgrade

run: migrate
	$(BIN)/regioledger demo
	$(BIN)/regioledger serve --demo-users

lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python tools/sizes.py

test: migrate lint
	$(BIN)/pytest

bench: install
	$(BIN)/python -m tests.benchmarks.run

soak: migrate
	REGIOLEDGER_SOAK_SECONDS=60 $(BIN)/pytest tests/faults/test_load.py -k soak

audit: install
	$(BIN)/python tools/audit.py

clean:
	rm -rf $(VENV) regioledger.db regioledger.db-wal regioledger.db-shm .pytest_cache .hypothesis
