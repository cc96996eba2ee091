# regioledger: `make run` and `make test` do all set-up themselves on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

LOCK := requirements.lock
PACKAGES := ledger sisa reports api migrations
#: One resolution for Python 3.11 and later (3.12 included), every file pinned by its hash.
COMPILE = pip compile pyproject.toml --extra dev --universal --python-version 3.11 --generate-hashes --quiet --custom-compile-command 'make lock'

.PHONY: run test bench soak audit lint migrate install clean lock lock-check openapi bytecode messages

# Installs exactly the lock: every package at its pinned version, checked against its hash;
# then the project itself, built with the locked setuptools.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(MAKE) --no-print-directory bytecode
	touch $(STAMP)

#: The project's bytecode, as pip writes it for every installed package: an editable install
#: has none, and where PYTHONDONTWRITEBYTECODE is set every start would compile the sources.
bytecode:
	$(BIN)/python -m compileall -q $(PACKAGES)

# Refresh the lock after pyproject.toml changed (keeps every pin that still fits).
lock: install
	$(BIN)/uv $(COMPILE) -o $(LOCK)

# Fails when pyproject.toml and the lock disagree, and when Python 3.12 does not resolve.
lock-check: install
	cp $(LOCK) $(VENV)/lock-check.txt
	$(BIN)/uv $(COMPILE) -o $(VENV)/lock-check.txt
	diff -u $(LOCK) $(VENV)/lock-check.txt || { echo "$(LOCK) does not match pyproject.toml: run make lock"; exit 1; }
	$(BIN)/uv $(subst 3.11,3.12,$(COMPILE)) -o $(VENV)/lock-check-312.txt

# The HTTP API's schema as a file for client generators (make test checks it is current).
openapi: install
	$(BIN)/python tools/openapi.py

#: The Dutch catalogues of the labels and of the refusals, compiled from their .po files (which
#: are kept in git).
CATALOGUES := reports/locale/nl/LC_MESSAGES/messages.mo ledger/locale/nl/LC_MESSAGES/problems.mo

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

install: $(STAMP) $(CATALOGUES)

# After a label (reports/messages.py) or a refusal (said(...)) changed: extract them and merge the
# new ones into the Dutch catalogues, where they wait for their translation (make test fails
# until then).
messages: install
	$(BIN)/pybabel extract -F babel.cfg --sort-output --no-location --no-wrap --omit-header -o reports/locale/messages.pot .
	$(BIN)/pybabel update -i reports/locale/messages.pot -d reports/locale -l nl --no-wrap --ignore-obsolete
	$(BIN)/pybabel extract --no-default-keywords -k said --sort-output --no-location --no-wrap --omit-header -o ledger/locale/problems.pot ledger sisa api
	$(BIN)/pybabel update -i ledger/locale/problems.pot -d ledger/locale -D problems -l nl --no-wrap --ignore-obsolete
	$(MAKE) --no-print-directory $(CATALOGUES)

migrate: install
	$(BIN)/regioledger db upgrade

#: `make run PORT=8080` serves elsewhere.
PORT ?= 8000

run: migrate
	$(BIN)/regioledger demo
	$(BIN)/regioledger serve --demo-users --port $(PORT)

lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python tools/sizes.py

#: `make test TEST_WORKERS=0` runs the suite in one process.
TEST_WORKERS ?= 2

test: migrate lint tests/oidc/node_modules
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --durations=15

#: The OpenID Provider the sign-in tests run (panva's oidc-provider), pinned in its lock file.
tests/oidc/node_modules: tests/oidc/package-lock.json
	npm ci --prefix tests/oidc --no-audit --no-fund
	touch $@

#: `make bench BENCH_ONLY="api postgresql,peers"` runs only the steps named (printed, not kept).
bench: install bytecode
	BENCH_ONLY="$(BENCH_ONLY)" $(BIN)/python -m tests.benchmarks.run

soak: migrate
	REGIOLEDGER_SOAK_SECONDS=60 $(BIN)/pytest tests/faults/test_load.py -k soak

audit: install
	$(BIN)/python tools/audit.py

clean:
	rm -rf $(VENV) regioledger.db regioledger.db-wal regioledger.db-shm .pytest_cache .hypothesis
