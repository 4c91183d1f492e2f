# Kith: `make run` serves the Derby demo; `make test` runs every test, browser tests included;
# `make bench` measures the county-scale world (`make bench SCALE=0.1` for a quick run).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SCALE  ?= 1
export KITH_DATA_DIR ?= $(CURDIR)/.kith-data

.PHONY: install run test lint format browser bench clean lock audit

# Exactly the locked versions, then Kith itself on top without touching them.
$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found; run 'make PYTHON=python3 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $(STAMP)

# Re-pin every dependency (after a change to pyproject.toml).
lock: $(STAMP)
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra test --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file requirements.lock pyproject.toml

# Known vulnerabilities in the locked dependencies (needs PyPI's JSON API or OSV).
audit: $(STAMP)
	$(BIN)/pip install --quiet pip-audit
	$(BIN)/pip-audit --strict --requirement requirements.lock

# The pages' browser code (Leaflet) and its checker (axe-core), from the npm registry.
NODE_STAMP := web/node_modules/.package-lock.json

$(NODE_STAMP): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { \
		echo "Installing Debian's npm for the pages' map library..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm ci --prefix web --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

# `kith demo` prints the demo coordinator's and prescriber's sign-ins (new passwords each run).
run: install
	$(BIN)/kith demo
	@echo "Open http://127.0.0.1:8000/sign-in and sign in with the name and password above."
	$(BIN)/kith serve

# Debian's Chromium for the browser tests, installed when it is missing.
browser:
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser tests..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: install browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

# Loads a fresh store in a temporary directory and serves it on loopback; writes bench/results.json.
bench: $(STAMP)
	$(BIN)/python -m bench.run --scale $(SCALE)

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .kith-data .pytest_cache .ruff_cache
