# The two commands of README.md: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint lock clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

## Set everything up on SQLite with demo data, then serve the site and the worker (Ctrl-C stops).
demo: install
	$(BIN)/lapor demo

## Lint, type-check, and run the suite on SQLite, then on PostgreSQL when DATABASE_URL is set.
test: install
	scripts/test

lint: install
	$(BIN)/ruff check lapor tests bench
	$(BIN)/ruff format --check lapor tests bench
	$(BIN)/mypy lapor

## Re-pin after changing pyproject.toml (needs uv: pip install uv): requirements.lock for
## development and CI (with the dev extra), requirements-prod.lock for production (without it).
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock
	uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -o requirements-prod.lock

clean:
	rm -rf $(VENV) var/test.sqlite3 .mypy_cache .ruff_cache
