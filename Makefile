# Two commands for a newcomer: `make run` and `make test`. Everything else is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEPS := $(VENV)/.deps-installed

.PHONY: run test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(DEPS): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,prod]'
	touch $@

run: $(DEPS)
	$(BIN)/pingyi db upgrade
	$(BIN)/pingyi deploy
	$(BIN)/pingyi demo
	$(BIN)/pingyi run --host 127.0.0.1 --port 5000

test: $(DEPS)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) instance .pytest_cache
