# dxday — two commands: `make run` (set up and serve on SQLite with demo data), `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install secrets serve lint format bench bench-full clean

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "dxday needs Python 3.11 or newer")'
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

var:
	mkdir -p var

# Secrets generated once (mode 600) and reused: settings read var/secret_key, var/household_salt
# and var/signing_key when SECRET_KEY / HOUSEHOLD_SALT / SIGNING_KEY are not set (docs/deployment.md).
VAR ?= var
secrets:
	@mkdir -p $(VAR)
	@for f in secret_key household_salt signing_key; do \
	  test -s $(VAR)/$$f || (umask 077; $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' >$(VAR)/$$f); \
	done

run: install var secrets
	$(BIN)/dxday compile_translations
	$(BIN)/dxday migrate --noinput -v0
	$(BIN)/dxday collectstatic --noinput -v0
	$(BIN)/dxday demo
	@$(MAKE) --no-print-directory serve

# The background worker (Django Tasks, database backend) runs beside gunicorn, is started again
# if it dies, and stops with it. gunicorn reads dxday/gunicorn_conf.py (access log without
# query strings, worker recycling), as the systemd units in deploy/ do.
serve:
	@echo "dxday: http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	@( while :; do $(BIN)/dxday db_worker --interval 2 >>var/worker.log 2>&1; \
	     echo "dxday: worker exited ($$?), restarting in 2 s" >>var/worker.log; sleep 2; done ) & sup=$$!; \
	trap 'kids=$$(pgrep -P $$sup); kill $$sup $$kids 2>/dev/null' EXIT INT TERM; \
	DXDAY_BIND=127.0.0.1:$(PORT) $(BIN)/gunicorn -c python:dxday.gunicorn_conf dxday.wsgi:application

test: install
	DXDAY_TESTING=1 $(BIN)/dxday compile_translations
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
