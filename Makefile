# The two commands a new machine needs: `make run` and `make test` (README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements.lock
STAMP := $(VENV)/.installed
PORT ?= 8000
# A developer's machine: the built-in secret key, `zayavky demo`, e-mails printed instead of sent.
export ZAYAVKY_INSECURE_DEV ?= 1

.PHONY: run test test-fast bench lint lock messages extract migrate demo browser-deps clean fuzz fuzz-long check-deploy

# The environment is installed from the lock (exact versions with their hashes), then the project itself
# without its dependencies. pip's own chatter goes to .venv/install.log and is shown only when it fails.
$(STAMP): pyproject.toml $(LOCK)
	@echo "Installing the dependencies into $(VENV) from $(LOCK) (about two minutes the first time)…"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@{ $(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK) \
	  && $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . ; } >$(VENV)/install.log 2>&1 \
	  || { cat $(VENV)/install.log; echo "Installing failed: the log above is in $(VENV)/install.log."; exit 1; }
	@touch $(STAMP)

# After adding or changing a dependency in pyproject.toml: resolve the whole set again, exact versions and
# hashes (pins already in the lock are kept unless pyproject.toml asks otherwise). Commit both files.
lock: $(STAMP)
	@echo "Resolving pyproject.toml into $(LOCK) (a minute or two)…"
	$(BIN)/pip-compile --quiet --extra dev --generate-hashes --allow-unsafe --all-build-deps --strip-extras \
	  --no-emit-index-url --no-emit-find-links --output-file $(LOCK) pyproject.toml

messages: $(STAMP)
	@$(BIN)/python -m zayavky.i18n compile

# New source strings into every app's Ukrainian catalogue (GNU gettext's xgettext/msgmerge needed). The
# project templates (zayavky/templates) are extracted with the web app's, through a link made for the run.
APPS := accounts api cases catalog contactcenter control demo documents routing web
extract: $(STAMP)
	@command -v xgettext >/dev/null || { echo "GNU gettext is missing: apt-get install gettext"; exit 1; }
	@ln -sfn ../templates zayavky/web/_project_templates
	@for app in $(APPS); do [ -d zayavky/$$app/locale ] || continue; \
	  (cd zayavky/$$app && ../../$(BIN)/zayavky makemessages -l uk --no-obsolete --symlinks -v 0) || exit 1; done; \
	  rc=$$?; rm -f zayavky/web/_project_templates; exit $$rc
	@$(BIN)/python -m zayavky.i18n check || echo "Translate the entries listed above, then: make messages"

migrate: $(STAMP) messages
	@echo "Creating or updating the database…"
	@$(BIN)/zayavky migrate --noinput -v 0

demo: migrate
	$(BIN)/zayavky demo

# Environment, migrations, the demo district (only into an empty database), server on SQLite. DEBUG stays
# off, so the pages, the 403 and 404 included, are the ones people see in service; `DEBUG=1 make run` gives
# Django's technical pages instead; `make run PORT=8001` another port.
run: migrate
	@echo "Loading the demo district if the database is empty (about half a minute the first time)…"
	@$(BIN)/zayavky demo --if-empty --print-users
	@echo "Serving http://127.0.0.1:$(PORT)/ — stop with Ctrl+C."
	@$(BIN)/zayavky runserver 127.0.0.1:$(PORT)

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

# The API fuzzed from its own OpenAPI document (schemathesis, every check) on PostgreSQL behind gunicorn with
# DEBUG=0, with the tokens of six roles: a few minutes. FUZZ_DATABASE_URL names the database it creates and
# drops (default postgres://postgres@127.0.0.1:5432/zayavky_fuzz); FUZZ_PORT the port (8500).
FUZZ_CASES ?= 1000
fuzz: $(STAMP) messages
	$(BIN)/python -m zayavky.tests.fuzz.run --cases $(FUZZ_CASES)

fuzz-long: $(STAMP) messages
	$(BIN)/python -m zayavky.tests.fuzz.run --cases 20000

# `zayavky check --deploy` with the production settings of the README: must report nothing.
check-deploy: $(STAMP)
	env -u ZAYAVKY_INSECURE_DEV -u DEBUG SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  ALLOWED_HOSTS=zayavky.example.gov.ua CSRF_TRUSTED_ORIGINS=https://zayavky.example.gov.ua \
	  SECURE_COOKIES=1 BEHIND_TLS_PROXY=1 $(BIN)/zayavky check --deploy --fail-level WARNING

bench: $(STAMP) messages
	$(BIN)/python -m zayavky.bench

# ruff; migrations that match the models; mypy with django-stubs (pyproject.toml); the apps' floors
# (.importlinter).
lint: $(STAMP)
	$(BIN)/ruff check zayavky
	$(BIN)/ruff format --check zayavky
	DATABASE_URL=sqlite://:memory: $(BIN)/zayavky makemigrations --check --dry-run
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) var
