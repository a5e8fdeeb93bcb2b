# Two commands do everything on a machine with nothing but python3:
#   make demo   creates .venv if missing, installs paymatch, runs the example job
#   make test   creates .venv if missing, installs paymatch with its test tools, runs all tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job on the example shop: two statements (CAMT.053, MT940) and its open items ->
# DATEV export, match report and ledger dump in demo-out/, and a summary on the terminal.
demo: $(STAMP)
	COLUMNS=120 $(BIN)/paymatch reconcile examples/data/statement.camt053.xml \
		examples/data/statement.mt940 --open-items examples/data/open_items.json \
		--config examples/data/paymatch.toml --as-of 2026-03-31 --out demo-out
	$(BIN)/python examples/ledger_demo.py

# pytest exits with 5 when it collected no tests: that is a failure, not a pass.
test: $(STAMP)
	$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; \
	exit $$status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict src
	$(BIN)/lint-imports

# Figures, not tests; the slow ones (parse.py, match_scale.py and export.py up to 1,000,000,
# reconcile.py at 100,000) are run by hand.
bench: $(STAMP)
	$(BIN)/python benchmarks/cli_startup.py
	$(BIN)/python benchmarks/ledger.py
	$(BIN)/python benchmarks/match_quality.py
	$(BIN)/python benchmarks/match_providers.py
	$(BIN)/python benchmarks/export.py 200000
	$(BIN)/python benchmarks/reconcile.py 20000
	$(BIN)/python benchmarks/shell_store.py 20000

clean:
	rm -rf $(VENV) demo-out .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache
