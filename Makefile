# Two commands on a fresh machine: `make run` (the pipeline on bundled data) and
# `make test`. Both create .venv and install the pinned packages when needed.
PYTHON ?= python3
VENV ?= .venv
# Superset conflicts with Airflow's pins: it gets a venv of its own (bi/superset/).
SUPERSET_VENV ?= .superset-venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export DO_NOT_TRACK := 1
export AIRFLOW__CORE__LOAD_EXAMPLES := False

.PHONY: install run test test-fast test-reliability lint format airflow clean chromium superset-venv bench

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/hiring-signals run

# The report test needs a real Chromium (Debian's package; installed here when root).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "install Chromium first: sudo apt-get install chromium" >&2; exit 1; fi; }

# Superset's venv for tests/bi (idempotent: a no-op when it is up to date).
superset-venv:
	SUPERSET_VENV="$(SUPERSET_VENV)" PYTHON="$(PYTHON)" bash bi/superset/install.sh

# pytest exits 5 when it collects nothing: that is a failure here, not a pass.
test: $(STAMP) chromium superset-venv
	$(BIN)/pytest -q; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$status

# The kill / determinism / network-fault suite with the full kill matrix (20 points).
KILL_POINTS ?= 20
test-reliability: $(STAMP)
	KILL_POINTS=$(KILL_POINTS) $(BIN)/pytest -q tests/reliability

test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not slow"

# Benchmarks on synthetic postings (benchmarks/run.py); results in benchmarks/results/.
BENCH_POSTINGS ?= 1000000
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --postings $(BENCH_POSTINGS)

lint: $(STAMP)
	$(BIN)/ruff check include dags tests sample_data benchmarks
	$(BIN)/ruff format --check include dags tests sample_data benchmarks
	cd dbt_project && HS_LANDING_COLUMNS="$$(../$(BIN)/python -m hiring_signals.sources.registry)" \
	  ../$(BIN)/sqlfluff lint models

format: $(STAMP)
	$(BIN)/ruff check --fix include dags tests sample_data benchmarks
	$(BIN)/ruff format include dags tests sample_data benchmarks

# Local Airflow for a laptop: SQLite metadata, low parallelism, the project's DAGs.
airflow: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" AIRFLOW_HOME="$(CURDIR)/.airflow" \
	AIRFLOW__CORE__DAGS_FOLDER="$(CURDIR)/dags" AIRFLOW__CORE__PARALLELISM=4 \
	AIRFLOW__SCHEDULER__PARSING_PROCESSES=1 sh -c '\
	  airflow db migrate >/dev/null && \
	  airflow pools set duckdb_writer 1 "single DuckDB writer" >/dev/null && \
	  exec airflow standalone'

clean:
	rm -rf data dbt_project/target dbt_project/logs .airflow
