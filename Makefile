# coldgrid: `make run` runs the default scenario, `make test` runs ruff and the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: run test test-slow test-all test-fast bench lint typecheck mutation docs validation-report wheel clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# the package and its runtime dependencies
$(VENV)/.stamp-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

# the package with the dev extras (tests, lint, notebooks, docs)
$(VENV)/.stamp-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.stamp-run

run: $(VENV)/.stamp-run
	$(BIN)/coldgrid $(ARGS)

# the suite a change must pass (about 7 minutes on 2 cores, on one worker per core up to 4: TEST_WORKERS=0
# runs it in this process); the long checks marked `slow` (wheel install, Ray cluster, sweeps end to end,
# compliance checker, eight weeks) are `make test-slow`, which CI runs too
TEST_WORKERS ?= auto
test: $(VENV)/.stamp-dev
	$(BIN)/ruff check sim tests benchmarks docs/scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -m "not slow" -n $(TEST_WORKERS) --maxprocesses 4 --dist loadfile; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

test-slow: $(VENV)/.stamp-dev
	$(BIN)/python -m pytest -m slow; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no slow tests"; exit 1; fi; exit $$rc

test-all: test test-slow

test-fast: $(VENV)/.stamp-dev
	$(BIN)/python -m pytest -m "not slow" -x -q

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check sim tests benchmarks docs/scripts

# mypy in default mode over sim/ ([tool.mypy] in pyproject.toml); `make test` runs it too
typecheck: $(VENV)/.stamp-dev
	$(BIN)/mypy

# mutation testing ([tool.mutmut] in pyproject.toml): `make mutation` runs every mutant of sim.stats,
# sim.exposure, sim.needs, sim.keyfigures and sim.report.content (about 6,500; hours on 2 cores);
# `make mutation ARGS='sim.needs.*'` runs a subset, `ARGS='sim.stats.x_summarize*'` one function (a pattern
# also reruns mutants that have a result). `mutmut results` lists the survivors, `mutmut show NAME` one.
# mutmut runs from the repository root: it copies sim/ and tests/ into mutants/ and puts mutants/ first on
# sys.path, so no PYTHONPATH is needed (an editable install elsewhere is only a fallback for sim.configs).
# NUMBA_THREADING_LAYER=workqueue: mutmut forks a process per mutant, and numba's OpenMP layer ends a forked
# child that uses it with SIGTERM ("fork() called from a process already using GNU OpenMP"), which mutmut
# reports as "suspicious" for every mutant whose tests run the building stage; the workqueue layer is fork-safe.
mutation: $(VENV)/.stamp-dev
	NUMBA_THREADING_LAYER=workqueue $(BIN)/mutmut run --max-children 2 $(ARGS)
	$(BIN)/mutmut results

bench: $(VENV)/.stamp-dev
	$(BIN)/python benchmarks/headline.py $(ARGS)

docs: $(VENV)/.stamp-dev
	$(BIN)/mkdocs build --strict

# regenerates docs/validation.md and its figures from sim.validation (the computations the tests check)
validation-report: $(VENV)/.stamp-dev
	$(BIN)/python docs/scripts/make_validation_report.py $(ARGS)

# the wheel (configs and py.typed inside) in dist/
wheel: | $(BIN)/python
	$(BIN)/python -m pip wheel -q --no-deps -w dist .

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache site build dist *.egg-info
