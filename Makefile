# dxday — two commands: `make run` (set up and serve on SQLite with demo data), `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install serve lint format bench bench-full clean

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "dxday needs Python 3.11 or newer")'
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

var:
	mkdir -p var

run: install var
	$(BIN)/dxday compile_translations
	$(BIN)/dxday migrate --noinput -v0
	$(BIN)/dxday collectstatic --noinput -v0
	$(BIN)/dxday demo
	@$(MAKE) --no-print-directory serve

# The background worker (Django Tasks, database backend) runs beside gunicorn and stops with it.
serve:
	@echo "dxday: http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	@$(BIN)/dxday db_worker --interval 2 >var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn dxday.wsgi:application --bind 127.0.0.1:$(PORT) \
	  --workers 2 --threads 4 --worker-class gthread --timeout 60 --access-logfile -

test: install
	$(BIN)/dxday compile_translations
	$(BIN)/pytest -q -rs

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m bench.run

bench-full: install
	$(BIN)/python -m bench.run --full

clean:
	rm -rf $(VENV) var
