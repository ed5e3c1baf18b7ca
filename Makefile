# Two commands do all set-up on a fresh machine (Python 3.11+, Java 17, Maven, the package registries):
#   make run   installs, starts Neo4j, initialises the schema, loads seeds/, serves the API
#   make test  installs, assembles Neo4j, runs the test suite against a server of its own
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
KL     := $(BIN)/klaster
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test lint neo4j-start neo4j-stop clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(KL) neo4j start
	$(KL) init
	$(KL) load seeds/
	$(KL) serve --host $(HOST) --port $(PORT)

test: install
	$(KL) neo4j assemble
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .

neo4j-start: install
	$(KL) neo4j start

neo4j-stop: install
	$(KL) neo4j stop

clean:
	-$(KL) neo4j stop
	rm -rf $(VENV) .state
