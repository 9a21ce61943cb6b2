# PIT: `make run` starts the app with demo data; `make test` runs every check. Both set themselves up.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: install run test lint format browser-deps java-deps bench clean-data clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt constraints.txt scripts/find-python
	@python=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "pit: creating $(VENV) with $$python"; rm -rf $(VENV); "$$python" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	@touch $(STAMP)

run: install
	@PORT=$(PORT) $(PY) -m pit.embedded run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

browser-deps:
	@scripts/ensure-chromium

java-deps:
	@scripts/ensure-java

test: install lint browser-deps java-deps
	$(PY) -m pit.embedded test -- $(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) -m pit.embedded test -- $(PY) bench/run.py

clean-data: install
	$(PY) -m pit.embedded clean-data

clean:
	[ ! -x $(PY) ] || $(PY) -m pit.embedded clean-data
	rm -rf $(VENV) var
