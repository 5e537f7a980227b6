# The two commands a new machine needs: `make run` and `make test` (README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export ZAYAVKY_INSECURE_DEV ?= 1

.PHONY: run test test-fast bench lint messages migrate demo browser-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

messages: $(STAMP)
	$(BIN)/python -m zayavky.i18n compile

migrate: $(STAMP) messages
	$(BIN)/zayavky migrate --noinput

demo: migrate
	$(BIN)/zayavky demo

# Environment, migrations, the demo district (only into an empty database), server on SQLite.
run: migrate
	DEBUG=1 $(BIN)/zayavky demo --if-empty --print-users
	DEBUG=1 $(BIN)/zayavky runserver 127.0.0.1:8000

# Debian's Chromium for the browser tests (Playwright's own browser download does not work here).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core) >/dev/null; \
	  else echo "chromium is missing: install Debian's chromium package (browser tests need it)"; exit 1; fi; }

# The whole suite: SQLite by default, PostgreSQL when DATABASE_URL points to one.
test: $(STAMP) messages browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Without the browser tests, for a quick loop.
test-fast: $(STAMP) messages
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

bench: $(STAMP) messages
	$(BIN)/python -m zayavky.bench

lint: $(STAMP)
	$(BIN)/ruff check zayavky
	$(BIN)/ruff format --check zayavky

clean:
	rm -rf $(VENV) var
