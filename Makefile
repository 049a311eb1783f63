# Two commands: `make run` opens the workbench, `make test` runs the whole suite headless; `make lint` runs
# ruff and mypy (strict on the engine, plain on the window).
# Both create .venv in the repo root when it is missing and install the project into it, at the exact
# versions of constraints.txt (refreshed on purpose with `make pins`), and compile the tree's modules to
# bytecode (`bytecode`): Python reads it even where PYTHONDONTWRITEBYTECODE=1 keeps it from writing any,
# which would otherwise cost every start ~0.4 s of compiling. `make clean` removes it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SOURCES := app core resources
CONSTRAINTS := constraints.txt

.PHONY: run test lint bench wheel-check pins icons clean bytecode

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[test]'
	$(BIN)/python -m compileall -q $(SOURCES)
	touch $(STAMP)

# Bytecode of the modules changed since (compileall skips the ones up to date: ~0.1 s).
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q $(SOURCES)

run: bytecode
	$(BIN)/backprop-workbench

test: bytecode
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/python -m ruff check app core tests benchmarks
	$(BIN)/python -m mypy --strict core
	$(BIN)/python -m mypy app

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run_all.py

# Build the wheel, install it into a fresh environment outside the checkout and use it from another folder.
wheel-check: $(STAMP)
	bash .ci/wheel_check

# Refresh constraints.txt: the newest versions pyproject.toml's ranges allow, installed into a scratch venv.
pins:
	rm -rf .venv-pins
	$(PYTHON) -m venv .venv-pins
	.venv-pins/bin/python -m pip install --quiet --upgrade pip
	.venv-pins/bin/python -m pip install --quiet '.[test]'
	{ sed -n '1,2p' $(CONSTRAINTS); .venv-pins/bin/python -m pip freeze --all --exclude backprop-workbench; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)
	rm -rf .venv-pins
	@echo "constraints.txt refreshed: run 'make test', look at 'git diff constraints.txt', commit"

# Render the shipped PNG icons from resources/icons/workbench.svg (after changing the SVG).
icons: $(STAMP)
	$(BIN)/python -m app.cli.icons

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
	find . -name __pycache__ -type d -not -path './.venv*' -prune -exec rm -rf {} +
