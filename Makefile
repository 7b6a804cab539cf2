# Two commands: `make book` builds the site into _build/html; `make test` runs every test.
# Each creates .venv and installs the pinned dependencies on first use (and again only when
# requirements.txt or pyproject.toml change).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: install book test test-fast lint serve bench clean

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

book: $(STAMP)
	$(PY) -m minilat.site.build

# Everything: lint, data validation, unit and grader tests, the full book build (run by the
# test session itself) and the browser tests of every built page.
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

# Quick local loop: skip the book build and browser tests.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser and not book and not slow"

lint: $(STAMP)
	$(VENV)/bin/ruff check .

serve:
	cd _build/html && $(PYTHON) -m http.server 8000 --bind 127.0.0.1

bench: $(STAMP)
	$(PY) benchmarks/build.py
	$(PY) benchmarks/grading.py

clean:
	rm -rf _build _generated
