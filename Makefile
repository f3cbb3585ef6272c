# Two commands on a fresh machine: `make run` (chat UI on the demo catalog, offline) and
# `make test` (lint + tests). Both set everything up first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup run test lint format chromium eval bench clean

# pip 23 cannot resolve this set (chainlit's telemetry pins vs chromadb's): upgrade first.
# torch goes in before sentence-transformers, pinned, so pip takes the CPU wheel and never
# pulls a multi-GB CUDA build to satisfy a loose range.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/shop demo
	$(BIN)/shop ui --widget-demo

# Browser tests drive Debian's Chromium; install it when missing and we may (CI runs as root).
chromium:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || \
	  { if [ "$$(id -u)" = 0 ]; then \
	      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	        >/dev/null) || echo "chromium install failed: browser tests will skip"; \
	    else echo "chromium missing (apt-get install chromium): browser tests will skip"; fi; }

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: setup chromium lint
	$(BIN)/pytest

eval: setup
	$(BIN)/shop eval

bench: setup
	$(BIN)/python bench/catalog_bench.py
	$(BIN)/python bench/retrieval_quality.py
	$(BIN)/python bench/agent_overhead.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
