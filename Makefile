# Haven: two commands. `make run` serves the demo; `make test` runs every test.
# Everything is installed into .venv (Python) and node_modules (npm); nothing by hand.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HAVEN  := $(VENV)/bin/haven
PORT   ?= 8000
BENCH_SCALE ?= large

.PHONY: run test bench lint install install-test assets migrate demo browser pdf-libs clean

## run: install, build assets, migrate the embedded SQLite database, load the demo partnership, serve
## (with the background worker beside it: KPI store and monthly scorecards; stopped with the server)
run: install assets pdf-libs
	$(HAVEN) migrate --no-input
	$(HAVEN) demo
	@$(HAVEN) worker --quiet & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  echo "Background worker started (pid $$worker): keeps the KPI store current, makes scorecards"; \
	  $(HAVEN) runserver 127.0.0.1:$(PORT)

## test: install what tests need (incl. Debian chromium) and run the whole suite
test: install-test assets browser
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## bench: seed (or reuse) a database at BENCH_SCALE and print benchmark figures.
## Without DATABASE_URL: its own SQLite file var/bench-$(BENCH_SCALE).sqlite3 (never the demo
## database). DATABASE_URL=postgres://… benchmarks that database (empty, or seeded at the same
## scale). BENCH_ARGS passes options, e.g. BENCH_ARGS="--reseed" (own SQLite file only), "--only people.search".
bench: install assets
	$(HAVEN) bench --scale $(BENCH_SCALE) $(BENCH_ARGS)

lint: install-test
	$(VENV)/bin/ruff check haven tests

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstall only when the pins or the project metadata change.
$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml requirements.lock
	$(PIP) install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml requirements.lock
	$(PIP) install --quiet -c requirements.lock -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json $(VENV)/.installed
	$(PY) scripts/build_assets.py

# Browser tests drive Debian's chromium; PDFs (WeasyPrint) need Debian's Pango. Install what is
# missing (root on these machines; sudo elsewhere).
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0
browser: SYSTEM_PACKAGES = chromium $(PDF_PACKAGES)
pdf-libs: SYSTEM_PACKAGES = $(PDF_PACKAGES)
browser pdf-libs:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; fi

clean:
	rm -rf $(VENV) node_modules haven/static/dist
