# Two commands for a newcomer: `make run` and `make test`. Everything else is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEPS := $(VENV)/.deps-installed
VENDOR := web/static/vendor/.installed
CATALOGS := $(patsubst %.po,%.mo,$(wildcard web/translations/*/LC_MESSAGES/messages.po))

.PHONY: run test assets clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(DEPS): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,prod]'
	touch $@

# Browser assets come from npm (package-lock.json), copied into web/static/vendor (ignored by git).
$(VENDOR): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf web/static/vendor
	mkdir -p web/static/vendor/bootstrap web/static/vendor/bpmn-js
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
	   web/static/vendor/bootstrap/
	cp -r node_modules/bpmn-js/dist/assets/. web/static/vendor/bpmn-js/
	cp node_modules/bpmn-js/dist/bpmn-navigated-viewer.production.min.js \
	   node_modules/bpmn-js/dist/bpmn-modeler.production.min.js web/static/vendor/bpmn-js/
	touch $@

%.mo: %.po $(DEPS)
	$(BIN)/pybabel compile -i $< -o $@ >/dev/null

assets: $(VENDOR) $(CATALOGS)

run: $(DEPS) assets
	$(BIN)/pingyi db upgrade
	$(BIN)/pingyi deploy
	$(BIN)/pingyi demo
	$(BIN)/pingyi run --host 127.0.0.1 --port 5000

test: $(DEPS) assets
	$(BIN)/pytest

clean:
	rm -rf $(VENV) instance .pytest_cache node_modules web/static/vendor
