# Two commands a newcomer needs: `make demo` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# python3-venv: Debian's python3 cannot make a venv without it; libgomp1: the vosk wheel needs it.
SYSPKGS_DEMO := python3-venv espeak-ng redis-server libgomp1
SYSPKGS_TEST := $(SYSPKGS_DEMO) chromium sox

.PHONY: demo test bench eval lint sysdeps sysdeps-test venv clean serve

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

sysdeps:
	@scripts/sysdeps.sh $(SYSPKGS_DEMO)

sysdeps-test:
	@scripts/sysdeps.sh $(SYSPKGS_TEST)

demo: sysdeps venv
	$(BIN)/ivr demo

test: sysdeps-test venv
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check ivr tests bench

bench: sysdeps-test venv
	$(BIN)/python -m bench

# Issue 16: how the flows understand the held-out and dev corpus (tests/understanding/);
# issue 20: then how they read slot answers, and qualified customers declined.
eval: venv
	$(BIN)/python -m ivr.analytics.understanding
	$(BIN)/python -m ivr.analytics.slots

serve: venv
	$(BIN)/ivr serve

lint: venv
	$(BIN)/ruff check ivr tests bench

clean:
	rm -rf $(VENV) var .pytest_cache
