# The two ways in: `make serve` and `make test`. Everything they need comes from
# requirements/lock.txt into .venv; system packages come from scripts/system-packages.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
BIN     := $(VENV)/bin
PYTHON  ?= python3
SERVE_ADDR ?= 127.0.0.1:8000
# Keyed on the lock and the project metadata: a second run installs nothing.
STAMP   := $(VENV)/.installed-$(shell cat requirements/lock.txt pyproject.toml | sha256sum | cut -c1-16)

export NO_MKDOCS_2_WARNING := 1

.PHONY: help install system-packages serve serve-zensical site test bench lock clean

help:
	@echo "make serve            build and serve the guide on http://127.0.0.1:8000"
	@echo "make serve-zensical   the same, built by Zensical instead of MkDocs"
	@echo "make test             run the whole suite (installs what it needs)"
	@echo "make bench            print the benchmark report"
	@echo "make lock             re-pin requirements/lock.txt from pyproject.toml"

install: $(STAMP)

$(STAMP): requirements/lock.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	rm -f $(VENV)/.installed-*
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

system-packages:
	@scripts/system-packages

# MkDocs with Material: the reference build, the one published (`make site`).
serve: install
	$(BIN)/mkdocs serve --dev-addr $(SERVE_ADDR)

# The same mkdocs.yml built by Zensical, to look at before a switch. It writes site/
# and its build cache .cache/ here.
serve-zensical: install
	$(BIN)/zensical serve --dev-addr $(SERVE_ADDR)

site: install
	$(BIN)/mkdocs build --strict

test: install system-packages
	$(BIN)/python -m pytest

bench: install system-packages
	@scripts/bench-packages
	$(BIN)/python -m bench

lock:
	@test -x $(BIN)/pip-compile || $(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --extra fake --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links -o requirements/lock.txt pyproject.toml

clean:
	rm -rf $(VENV) site .cache .pytest_cache build
