# tencentcloud.cloud - quick start: `make demo`, then `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION ?= 3.12
PYTHON ?= $(shell tools/find-python $(PYTHON_VERSION))
VENV ?= .venv
BIN := $(CURDIR)/$(VENV)/bin
# ansible-test finds pythonX.Y on PATH: the virtualenv's comes first.
IN_TREE := PATH="$(BIN):$$PATH" tools/in-collection-tree
ANSIBLE_TEST := ansible-test
TEST_FLAGS := --python $(PYTHON_VERSION) --color no

.PHONY: help venv test units sanity integration demo clean

help:
	@echo "make demo   - start the local CVM emulator and run docs/examples/wait_until_running.yml"
	@echo "make test   - every check CI runs: unit tests, ansible-test sanity, integration tests"
	@echo "make clean  - remove the virtualenv and build leftovers"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt tools/requirements-test.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -r tools/requirements-test.txt
	touch $@

test: units sanity integration

units: venv
	$(IN_TREE) $(ANSIBLE_TEST) units $(TEST_FLAGS)

sanity: venv
	tools/ansible-test-pip-bootstrap $(BIN)/python
	$(IN_TREE) $(ANSIBLE_TEST) sanity $(TEST_FLAGS)

integration: venv
	$(IN_TREE) $(ANSIBLE_TEST) integration $(TEST_FLAGS)

demo: venv
	PATH="$(BIN):$$PATH" tools/demo

clean:
	rm -rf $(VENV) tests/output
