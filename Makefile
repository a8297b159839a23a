# The two ways in: `make serve` and `make test`. Everything they need comes from
# requirements/lock.txt into .venv, installed by uv with every hash checked (pip only
# bootstraps uv, itself hash-pinned in requirements/uv.txt); system packages come from
# scripts/system-packages.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
BIN     := $(VENV)/bin
PYTHON  ?= python3
UV      := $(BIN)/uv
# The lock is resolved for the interpreter CI and these machines run (3.11 patch releases
# before 3.11.5 miss some of its packages).
LOCK_PYTHON := 3.11.7
SERVE_ADDR ?= 127.0.0.1:8000
# Keyed on the lock and the project metadata: a second run installs nothing.
STAMP   := $(VENV)/.installed-$(shell cat requirements/lock.txt pyproject.toml | sha256sum | cut -c1-16)

export NO_MKDOCS_2_WARNING := 1
# Python caches compiled modules, as on a developer's machine: with this set (some CI
# images set it), every process of the suite and the benchmarks compiles each of the
# project's modules (and of its tests, rewritten by pytest) that it imports, again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help install system-packages serve serve-zensical site test bless bench lock clean

help:
	@echo "make serve            build and serve the guide on http://127.0.0.1:8000"
	@echo "make serve-zensical   the same, built by Zensical instead of MkDocs"
	@echo "make test             run the whole suite (installs what it needs)"
	@echo "make bless            rewrite the guide's expected output where the commands' changed"
	@echo "make bench            print the benchmark report"
	@echo "make lock             re-pin requirements/lock.txt (and action.txt) from pyproject.toml"

install: $(STAMP)

# Exactly the lock, every file checked against its hash; anything else is removed.
# Compiled at install, on every core, as pip does: otherwise the suite's first run has
# each of its processes compile what it imports.
$(STAMP): requirements/lock.txt pyproject.toml $(UV)
	rm -f $(VENV)/.installed-*
	$(UV) pip sync --quiet --compile-bytecode --python $(BIN)/python --require-hashes \
		requirements/lock.txt
	$(UV) pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	touch $@

# uv is also in the lock (so that a sync keeps it), at the version requirements/uv.txt pins.
$(UV): requirements/uv.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		--no-deps -r requirements/uv.txt
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

# The guide's pages only; under pytest-xdist each worker hands its rewrites to the
# controller, which writes every page once at the end (guidetools/bless.py).
bless: install system-packages
	$(BIN)/python -m pytest docs README.md --update-docs

bench: install system-packages
	@scripts/bench-packages
	$(BIN)/python -m bench

lock: $(UV)
	$(UV) pip compile --quiet --generate-hashes --extra dev --extra fake \
		--python-version $(LOCK_PYTHON) -o requirements/lock.txt pyproject.toml
	$(UV) pip compile --quiet --generate-hashes --python-version $(LOCK_PYTHON) \
		-c requirements/lock.txt -o requirements/action.txt pyproject.toml requirements/action.in

clean:
	rm -rf $(VENV) site .cache .pytest_cache build
