# Two entry points for a fresh machine: `make run` (install + start the dashboard)
# and `make test` (install + lint + every test). Both build .venv from the pinned files.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
REPLICAS ?= 2

.PHONY: run serve test lint check coverage schema bench browser-deps axe-deps serve-deps slides-look look-deps clean

$(VENV)/.runtime-installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.runtime-installed requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Authoring, for one analyst: the review page and the working file, on 127.0.0.1 only
# (deploy/authoring.py; README: Two modes).
run: $(VENV)/.runtime-installed
	$(PY) -m dashboard check || true
	$(PY) -m deploy.authoring --port $(PORT)

# Public: REPLICAS read-only app processes behind a private nginx on http://localhost:$(PORT),
# serving the published vintage. On a fresh clone (no vintage yet) the shipped catalogue is
# published once first; after that only `python -m dashboard publish` changes what is served.
serve: $(VENV)/.runtime-installed serve-deps
	$(PY) -m dashboard publish --if-none
	$(PY) -m deploy.serve --replicas $(REPLICAS) --port $(PORT)

# nginx for `make serve` and its test (Debian package; root or sudo). Says how to install it
# where it cannot be installed; `make test` goes on without it (the replica test says why).
serve-deps:
	@if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then :; else \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		{ $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx >/dev/null; } \
		|| { echo "nginx could not be installed: install it yourself (Debian: apt-get install nginx)" >&2; exit 1; }; \
	fi

# Chromium and a CJK font for the browser tests (Debian packages; root or sudo).
browser-deps:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi 'wqy\|noto.*cjk'; then :; else \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	fi

# axe-core for the accessibility browser test (tests/browser/test_accessibility.py), from
# the npm registry at the exact version of tests/browser/axe/package-lock.json (`npm ci`
# checks its integrity hash); npm itself from Debian where it is missing (root or sudo).
AXE_DIR := tests/browser/axe
$(AXE_DIR)/node_modules/.installed: $(AXE_DIR)/package.json $(AXE_DIR)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; \
	}
	cd $(AXE_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

axe-deps: $(AXE_DIR)/node_modules/.installed

# To look at a deck as PowerPoint would show it: LibreOffice (Debian's libreoffice-impress,
# measured: about 40 s and 210 MB to install, 5 s to convert a 15-slide deck) renders it
# to PDF (with a private profile: a LibreOffice already running would swallow the job),
# pdftoppm to one PNG per slide in $(LOOK_DIR). Not part of `make test`: the tests
# open the deck with python-pptx instead. SLIDES picks the deck, e.g.
#   make slides-look SLIDES="--indicator ste_cumulative_trade_value --lang en"
SLIDES ?= --topic exchange
LOOK_DIR ?= test-artifacts/slides-look
look-deps:
	@if command -v libreoffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then :; else \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libreoffice-impress poppler-utils >/dev/null; \
	fi

slides-look: $(VENV)/.runtime-installed browser-deps look-deps
	rm -rf $(LOOK_DIR) && mkdir -p $(LOOK_DIR)
	$(PY) -m dashboard slides $(SLIDES) --out $(LOOK_DIR)/deck.pptx
	libreoffice -env:UserInstallation=file://$(abspath $(LOOK_DIR))/profile --headless \
		--convert-to pdf --outdir $(LOOK_DIR) $(LOOK_DIR)/deck.pptx >/dev/null
	pdftoppm -r 96 -png $(LOOK_DIR)/deck.pdf $(LOOK_DIR)/slide
	rm -rf $(LOOK_DIR)/profile
	@ls $(LOOK_DIR)/slide-*.png

# Style, the three layers (.importlinter) and types (pyproject's [tool.mypy]).
lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

check: $(VENV)/.runtime-installed
	$(PY) -m dashboard check --strict

coverage: $(VENV)/.runtime-installed
	$(PY) -m dashboard coverage

schema: $(VENV)/.runtime-installed
	$(PY) -m dashboard schema --out indicators.schema.json

test: $(VENV)/.dev-installed browser-deps axe-deps lint
	-@$(MAKE) --no-print-directory serve-deps
	$(PY) -m dashboard check --strict
	$(PY) -m dashboard coverage
	$(PY) -m pytest -n 2 --dist loadfile

bench: $(VENV)/.dev-installed browser-deps serve-deps
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts $(AXE_DIR)/node_modules
