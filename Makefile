# Two commands set everything up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PROJECT ?= demo.annotator

.PHONY: run test install install-test lint fuzz bench bench-import bench-big-import bench-open bench-paint bench-export bench-agreement bench-search bench-server clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/annotator-gui corpora/demo

test: install-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

fuzz: install-test
	HYPOTHESIS_PROFILE=fuzz QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m fuzz -p no:cacheprovider

lint: install-test
	$(BIN)/ruff check .

bench-import: install
	$(BIN)/python bench/bench_import.py

bench-big-import: install
	$(BIN)/python bench/bench_big_import.py

bench-open: install
	$(BIN)/python bench/bench_open.py

bench-paint: install
	$(BIN)/python bench/bench_paint.py

bench-export: install
	$(BIN)/python bench/bench_export.py

bench-agreement: install
	$(BIN)/python bench/bench_agreement.py

bench-search: install
	$(BIN)/python bench/bench_search.py

bench-server: install
	$(BIN)/python bench/bench_server.py

bench: bench-import bench-open bench-paint bench-export bench-agreement bench-search bench-server

clean:
	rm -rf $(VENV) build *.egg-info
