# Kith: `make run` serves the Derby demo; `make test` runs every test, browser tests included,
# on the embedded store, then the graph and API tests again on a real Neo4j 5.26 server
# (`make test-neo4j` for that half alone); `make bench` measures the county-scale world
# (`make bench SCALE=0.1` for a quick run).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SCALE  ?= 1
export KITH_DATA_DIR ?= $(CURDIR)/.kith-data

.PHONY: install run test test-neo4j neo4j-server lint format browser bench bench-region clean lock audit

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

# The Neo4j test server (tests/neo4j): Neo4j's community engine from Maven Central, built once
# into a jar and its dependencies, which the tests run with plain `java` (tests/neo4j_server.py).
NEO4J_DIR     := tests/neo4j
NEO4J_STAMP   := $(NEO4J_DIR)/target/.built-stamp
NEO4J_VERSION := $(shell sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' $(NEO4J_DIR)/pom.xml)
# The peer `make bench` measures beside Kith (bench/peer.py): the Neo4j GraphQL Library on
# Node.js; the suite's Neo4j half checks it answers from Kith's graph.
PEER_STAMP    := bench/peer/node_modules/.package-lock.json
NEO4J_TESTS   := tests/graph tests/api tests/loaders/test_bench_peer.py

$(NEO4J_STAMP): $(NEO4J_DIR)/pom.xml $(shell find $(NEO4J_DIR)/src -name '*.java')
	@command -v mvn >/dev/null && command -v javac >/dev/null || { \
		echo "Installing Debian's Maven and JDK 17 for the Neo4j test server..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq maven openjdk-17-jdk-headless >/dev/null; }
	mvn --quiet --batch-mode -Dstyle.color=never --file $(NEO4J_DIR)/pom.xml clean package
	@touch $@

neo4j-server: $(NEO4J_STAMP)

# Both engines: lint, every test on the embedded store, then the graph and API tests (the
# scenarios among them) on Neo4j. Each half ends with pytest's own count; either failing fails.
test: install browser $(NEO4J_STAMP) $(PEER_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@echo "== engine: embedded ArcadeDB =="
	$(BIN)/pytest
	@echo "== engine: Neo4j $(NEO4J_VERSION) =="
	KITH_TEST_ENGINE=neo4j $(BIN)/pytest $(NEO4J_TESTS)

# The Neo4j half alone: a Neo4j server started for the run, on loopback, gone after it.
test-neo4j: $(STAMP) $(NEO4J_STAMP) $(PEER_STAMP)
	@echo "== engine: Neo4j $(NEO4J_VERSION) =="
	KITH_TEST_ENGINE=neo4j $(BIN)/pytest $(NEO4J_TESTS)

$(PEER_STAMP): bench/peer/package.json bench/peer/package-lock.json
	@command -v npm >/dev/null || { \
		echo "Installing Debian's npm for the bench's peer..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm ci --prefix bench/peer --no-audit --no-fund --loglevel=error
	@touch $(PEER_STAMP)

# Loads a fresh store in a temporary directory and serves it on loopback; writes bench/results.json.
# With the peer (the default; `make bench BENCH_FLAGS=--no-peer` skips it), the same world goes
# into the Neo4j test server too, and Kith on Neo4j and the peer are measured beside Kith.
bench: $(STAMP) $(NEO4J_STAMP) $(PEER_STAMP)
	$(BIN)/python -m bench.run --scale $(SCALE) $(BENCH_FLAGS)

# A region of a million people: ten counties side by side (bench/world.py `region`), the store
# with a 4 GB heap and a 2-minute command limit (reading a region's directory or volunteers whole,
# as a new app process does, takes longer than the default 10 s); the sheet, the growth and the
# peer left out, two answers of each workload checked against the brute-force baselines (each
# reads the whole region). Writes bench/results-region.json.
bench-region: $(STAMP)
	$(BIN)/python -m bench.run --scale 10 --heap 4g --query-timeout-ms 120000 --no-peer \
		--no-sheet --no-growth --baseline-samples 2 --buddy-samples 2 \
		--out bench/results-region.json $(BENCH_FLAGS)

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .kith-data .pytest_cache .ruff_cache $(NEO4J_DIR)/target
