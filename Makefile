# The README's two commands: `make demo` (build and publish the demo warehouse; the build renders the report) and
# `make test` (run every test).
# Each does its own set-up: a Python 3.11 virtualenv in .venv with the pinned dependencies.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: demo test setup simulate benchmark clean report-screenshots

$(BIN)/oncoduck: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $(BIN)/oncoduck

setup: $(BIN)/oncoduck

demo: setup
	$(BIN)/oncoduck build

# Two test processes (pytest-xdist), one per core: a dbt build is bound to one core by Python. Each module
# runs whole in one process (--dist loadscope), so a module's fixture warehouse is built once; modules start in
# the order tests/python/conftest.py gives them (--no-loadscope-reorder), the longest first.
test: setup
	$(BIN)/python -m pytest -q -n 2 --dist loadscope --no-loadscope-reorder

# A PNG of every section of the demo report (serving/report/screenshots/), for review: needs Debian's chromium
# (apt-get install chromium) and a report (make demo).
report-screenshots: setup
	$(BIN)/python -m oncoduck.report.screenshots

simulate: setup
	$(BIN)/oncoduck simulate --demo

benchmark: setup
	$(BIN)/python benchmarks/run_build_benchmark.py --portion full

clean:
	rm -rf target warehouse logs

# The spark target (issues 8, 22): builds the demo's studies and an edge-value study with dbt-spark in local
# mode (Java 17), the statistics and every data and unit test included, and compares every table's types and
# rows with the DuckDB build; and the edge-value study on a standalone cluster, by a session and through a Spark
# Thrift Server. Slow (about half an hour; last results in benchmarks/RESULTS.md), so not part of `make test`.
# Its own virtualenv, .venv-spark, holds the `spark` extra (pyspark, dbt-spark[session,PyHive]).
SPARK_VENV := .venv-spark

.PHONY: test-spark test-kill

# All-or-nothing builds (python/oncoduck/atomic.py): kill -9 a build at five random points; each time the
# warehouse must be the previous build or the new one. A few minutes, so not part of `make test`.
test-kill: setup
	$(BIN)/python -m pytest -q -m kill tests/python/test_atomic_build.py

$(SPARK_VENV)/.installed: pyproject.toml constraints.txt
	test -x $(SPARK_VENV)/bin/python || $(PYTHON) -m venv $(SPARK_VENV) || python3 -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install --quiet --upgrade pip
	$(SPARK_VENV)/bin/pip install --quiet -c constraints.txt -e ".[test,spark]"
	touch $@

test-spark: $(SPARK_VENV)/.installed
	$(SPARK_VENV)/bin/python -m pytest -q -m spark tests/python/spark
