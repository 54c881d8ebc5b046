# The ILANCE Handbook: one entry point for building, previewing and testing.
# Each target installs what it needs, and no more, so `make html` works on a fresh clone:
# - Python packages into the virtual environment, from a lock file: the docs lock for the
#   builds (html, pdf), the dev lock (docs + tools) for everything else. The lock is installed
#   again when it is newer than the stamp the last install left in the environment.
# - System packages with tools/install-system-deps.sh and the target's list: html, pdf or test.

PYTHON      ?= python3
VENV        ?= .venv
BUILDDIR    ?= _build
SPHINXOPTS  ?=
# Nitpicky, warnings as errors, but keep going so one run reports every problem.
STRICT      := -n -W --keep-going -j auto
BIN         := $(VENV)/bin
DOCS_LOCK   := requirements/docs.txt
DEV_LOCK    := requirements/dev.txt
DOCS_STAMP  := $(VENV)/.installed-docs-lock
DEV_STAMP   := $(VENV)/.installed-dev-lock
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps
# --no-deps trusts the lock to be complete; pip check then proves that its versions agree, which
# matters when a lock was edited pin by pin (Dependabot) rather than resolved (make lock).
PIP_CHECK   := $(BIN)/python -m pip check --disable-pip-version-check
SYSTEM_DEPS := bash tools/install-system-deps.sh

# Translated builds: `make html LANG=fr` (or ja) writes _build/html/fr/, and `make pdf LANG=ja`
# the Japanese book. Only fr and ja count: a shell locale such as en_US.UTF-8 builds English.
HANDBOOK_LANG := $(filter fr ja,$(LANG))
LANG_SUFFIX   := $(if $(HANDBOOK_LANG),/$(HANDBOOK_LANG))
LANG_OPTS     := $(if $(HANDBOOK_LANG),-D language=$(HANDBOOK_LANG))
BOOK_NAME     := ilance-handbook$(if $(HANDBOOK_LANG),-$(HANDBOOK_LANG))
# LANG=fr is not a locale the tools can run in: give them a real one once it has been read.
ifneq ($(HANDBOOK_LANG),)
override LANG := C.UTF-8
export LANG
endif

.DEFAULT_GOAL := help
.PHONY: help venv html html-all gettext update-po pdf all test lint serve clean lock system-deps page-addresses new-page publications

help: ## List the targets with one line each
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-zA-Z_-]*:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(DOCS_STAMP): $(DOCS_LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r $(DOCS_LOCK)
	$(PIP_CHECK)
	@touch $@

# The dev lock pins every package of the docs lock at the same version (tests/test_foundation.py
# checks it), so installing it installs the docs lock too.
$(DEV_STAMP): $(DEV_LOCK) $(DOCS_LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r $(DEV_LOCK)
	$(PIP_CHECK)
	@touch $@ $(DOCS_STAMP)

venv: $(DEV_STAMP) ## Create or refresh the virtual environment from the dev lock (everything)

# Sphinx writes into a staging folder; only a build that passed replaces _build/html
# (tools/publish_build.py), so a failed build leaves the last good site whole.
STAGING := $(BUILDDIR)/.next/$(or $(HANDBOOK_LANG),en)
html: $(DOCS_STAMP) ## Build the website into _build/html (strict)
	@$(SYSTEM_DEPS) html
	HANDBOOK_PDF="$(wildcard $(BUILDDIR)/pdf/$(BOOK_NAME).pdf)" \
		HANDBOOK_ALL_LANGUAGES="$(HANDBOOK_ALL_LANGUAGES)" \
		$(BIN)/sphinx-build -b html $(STRICT) $(LANG_OPTS) $(SPHINXOPTS) . $(STAGING)
	@$(BIN)/python tools/publish_build.py $(STAGING) $(BUILDDIR)/html$(LANG_SUFFIX) \
		$(if $(HANDBOOK_LANG),,--keep fr --keep ja)
	@echo "The site is in $(BUILDDIR)/html$(LANG_SUFFIX)."

html-all: ## Build the site in English, French and Japanese (_build/html, /fr, /ja)
	$(MAKE) html HANDBOOK_ALL_LANGUAGES=1
	$(MAKE) html LANG=fr HANDBOOK_ALL_LANGUAGES=1
	$(MAKE) html LANG=ja HANDBOOK_ALL_LANGUAGES=1

# Sphinx extracts the pages' messages; pybabel extracts our extensions' own (the strings in _()
# and N_() under _ext/) into handbook.pot, which Sphinx's gettext builder cannot read.
gettext: $(DOCS_STAMP) ## Extract the English messages into _build/gettext (.pot files)
	$(BIN)/sphinx-build -b gettext -n -W --keep-going $(SPHINXOPTS) . $(BUILDDIR)/gettext
	$(BIN)/pybabel -q extract --no-default-keywords -k _ -k N_ --add-comments=Translators: \
		--add-location=file --project="ILANCE Handbook" \
		--copyright-holder="ILANCE Handbook contributors" \
		-o $(BUILDDIR)/gettext/handbook.pot _ext

update-po: $(DEV_STAMP) gettext ## Refresh locales/fr and locales/ja from the English pages
	$(BIN)/sphinx-intl update -p $(BUILDDIR)/gettext -d locales -l fr -l ja

pdf: $(DOCS_STAMP) ## Build the PDF book into _build/pdf/ilance-handbook.pdf
	@$(SYSTEM_DEPS) pdf
	$(BIN)/sphinx-build -b latex $(STRICT) $(LANG_OPTS) $(SPHINXOPTS) . $(BUILDDIR)/latex$(LANG_SUFFIX)
	$(MAKE) -C $(BUILDDIR)/latex$(LANG_SUFFIX) all-pdf LATEXMKOPTS="-interaction=nonstopmode -halt-on-error"
	@mkdir -p $(BUILDDIR)/pdf
	cp $(BUILDDIR)/latex$(LANG_SUFFIX)/ilance-handbook.pdf $(BUILDDIR)/pdf/$(BOOK_NAME).pdf

all: pdf ## Build the PDF, then the website in all languages, offering the PDF
	$(MAKE) html-all

new-page: $(DOCS_STAMP) ## Start a page: KIND=programme|institution|onboarding|general NAME=... TITLE="..."
	@$(BIN)/python tools/new_page.py "$(KIND)" --name "$(NAME)" --title "$(TITLE)" \
		$(if $(SECTION),--section "$(SECTION)") $(if $(CAPTION),--caption "$(CAPTION)")

page-addresses: html ## Record the addresses of new pages in tests/page-addresses.txt
	$(BIN)/python tools/page_addresses.py --write $(BUILDDIR)/html

# pre-commit keeps its small state in the venv, not in $HOME; every hook is local (offline).
lint: $(DEV_STAMP) ## Offline checks: whitespace, YAML, ruff, spelling, bibliographies, workflows
	PRE_COMMIT_HOME=$(abspath $(VENV))/pre-commit $(BIN)/pre-commit run --all-files

test: $(DEV_STAMP) lint ## Run the whole test suite (lint, builds, output checks)
	@$(SYSTEM_DEPS) test
	$(BIN)/python -m pytest

# Needs the network, so not part of `make test`; runs weekly in .github/workflows/linkcheck.yml.
# Not strict on purpose: the report, not Sphinx's warnings, decides (exit 1 if a link is broken).
.PHONY: linkcheck
linkcheck: $(DOCS_STAMP) ## Check every external link; report in _build/linkcheck/report.md
	$(BIN)/python tools/linkcheck_report.py . $(BUILDDIR)/linkcheck -- $(SPHINXOPTS)

# Needs the network, so not part of `make test`; runs weekly in .github/workflows/publications.yml.
# INSPIRE_API_URL and HAL_API_URL point it at other servers (the tests use a local one);
# PUBOPTS passes options, for example PUBOPTS="--programme t2k" (see tools/publications/).
publications: $(DOCS_STAMP) ## Harvest INSPIRE-HEP and HAL into bib/publications/ (snapshots, HAL report)
	PYTHONPATH=tools $(BIN)/python -m publications $(PUBOPTS)

# Takes about 20 minutes, so not part of `make test`. BENCHOPTS passes options, for example
# BENCHOPTS="--pages 50,200 --peers" (see `.venv/bin/python -m benchmarks --help`).
.PHONY: bench
bench: $(DEV_STAMP) ## Time builds of synthetic handbooks; report in benchmarks/results/
	@$(SYSTEM_DEPS) html
	$(BIN)/python -m benchmarks $(BENCHOPTS)

serve: $(DEV_STAMP) ## Live preview on http://127.0.0.1:8000, rebuilt on every save
	$(BIN)/python tools/preview.py --host 127.0.0.1 --port 8000 --site $(BUILDDIR)/serve \
		-b html $(STRICT) $(SPHINXOPTS) . $(BUILDDIR)/.next/serve

system-deps: ## Install every system package the builds and tests need (apt-get)
	@$(SYSTEM_DEPS) test

# The docs lock first; the dev lock is held to its versions, so both agree. An existing lock's
# versions are kept: `make lock UPGRADE=1` moves every package to its newest release.
lock: $(DEV_STAMP) ## Regenerate requirements/docs.txt and dev.txt from pyproject.toml (network)
	$(BIN)/uv pip compile pyproject.toml $(if $(UPGRADE),--upgrade) --generate-hashes \
		--python-version 3.11 --output-file $(DOCS_LOCK)
	$(BIN)/uv pip compile pyproject.toml --group dev --constraint $(DOCS_LOCK) \
		$(if $(UPGRADE),--upgrade) --generate-hashes --python-version 3.11 --output-file $(DEV_LOCK)

clean: ## Remove the build output (the virtual environment stays)
	rm -rf $(BUILDDIR)
