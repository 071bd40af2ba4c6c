# Two commands for a fresh clone: `make run` and `make test`.
# Everything lives in .venv; constraints.txt pins the exact set we test with.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
# Stamps record what was installed, so re-running make is instant.
RUN_STAMP  := $(VENV)/.installed-run
DEV_STAMP  := $(VENV)/.installed-dev
# The real LiteLLM proxy, for its slow tests and benchmark, in a venv of its own:
# litellm[proxy] pins rich<14 where we pin rich 15 (measured: ~2.5 min to build).
# Defined up here: make expands a rule's prerequisites as it reads the rule.
PROXY_VENV  := .venv-proxy
PROXY_STAMP := $(PROXY_VENV)/.installed

.PHONY: run test lint unit venv proxy-venv screenshots bench clean

run: $(RUN_STAMP)
	$(BIN)/roundtable

# The two venvs are built side by side (the proxy's takes ~2.5 min, mostly waiting
# on downloads and unpacking); then the checks and the suite.
test:
	$(MAKE) -j2 $(DEV_STAMP) $(PROXY_STAMP)
	$(MAKE) lint unit

lint: $(DEV_STAMP)
	$(BIN)/ruff check roundtable tests benchmarks tools packaging
	$(BIN)/ruff format --check roundtable tests benchmarks tools packaging
	$(BIN)/lint-imports
	$(BIN)/mypy roundtable

unit: $(DEV_STAMP) $(PROXY_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# PNGs of the real window and its parts under Xvfb, into screenshots/ (not tests: nothing
# is asserted; a person looks at them). Debian: apt-get install xvfb xauth libxcb-cursor0.
XVFB := xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb
screenshots: $(DEV_STAMP)
	$(XVFB) $(BIN)/python tools/screenshots/first_session.py screenshots
	$(XVFB) $(BIN)/python tools/screenshots/debate_view.py screenshots/debate_view
	$(XVFB) $(BIN)/python tools/screenshots/history_and_replay.py --out screenshots/history
	$(XVFB) $(BIN)/python tools/screenshots/setup_and_settings.py screenshots/setup
	$(XVFB) $(BIN)/python tools/screenshots/long_debate.py screenshots/long_debate

bench: $(DEV_STAMP) $(PROXY_STAMP)
	$(BIN)/python benchmarks/fanout.py
	$(BIN)/python benchmarks/proxy_overhead.py
	$(BIN)/python benchmarks/chunk_cost.py
	$(BIN)/python benchmarks/eval_throughput.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/startup.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/gui_stall.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/long_debate.py
	$(BIN)/python benchmarks/cli_startup.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/search_scale.py
	$(BIN)/python benchmarks/bulk_import.py
	$(BIN)/python benchmarks/postgres_store.py

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install -c constraints.txt -e .
	@touch $@

$(DEV_STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install -c constraints.txt -e '.[dev]'
	@touch $@ $(RUN_STAMP)

proxy-venv: $(PROXY_STAMP)

$(PROXY_STAMP): constraints-proxy.txt
	$(PYTHON) -m venv $(PROXY_VENV)
	$(PROXY_VENV)/bin/python -m pip --disable-pip-version-check -q install \
		-c constraints-proxy.txt 'litellm[proxy]'
	@touch $@

clean:
	rm -rf $(VENV) $(PROXY_VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

include packaging/app.mk
