# Jembatan — two commands for a fresh machine with Python 3.11+ and make:
#   make demo   set up, load demo data, serve on http://127.0.0.1:8000
#   make test   set up, then lint, type-check, Django checks and the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PARTICIPANTS ?= 2000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: demo test install lint typecheck checks pytest bench serve seed lock messages clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Jembatan needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	mkdir -p var
	$(BIN)/jembatan migrate --no-input
	$(BIN)/jembatan collectstatic --no-input -v0
	$(BIN)/jembatan seed --participants $(PARTICIPANTS) --if-empty
	@# The task worker beside the server: imports and matching runs work in the background.
	@# The server runs with debug off (config/settings/demo.py): Jembatan's own error pages.
	DJANGO_SETTINGS_MODULE=config.settings.demo $(BIN)/jembatan worker --no-reload -v0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DJANGO_SETTINGS_MODULE=config.settings.demo $(BIN)/jembatan serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

checks: install
	mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/jembatan check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/jembatan makemigrations --check --dry-run
	$(BIN)/python scripts/check_messages.py

pytest: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest

test: lint typecheck checks pytest

bench: install
	$(BIN)/python bench/run.py

messages: install
	cd jembatan && ../$(BIN)/jembatan makemessages --locale id --no-obsolete --no-location
	$(BIN)/python scripts/check_messages.py --compile

lock: install
	{ echo "# Exact versions of every package (direct and transitive) that make install uses."; \
	  echo "# Regenerate with: make lock"; \
	  $(BIN)/python -m pip freeze --exclude-editable; } > constraints.txt

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
