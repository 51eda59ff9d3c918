# Strata — one entry point. Every target installs what is missing first (pinned, offline-friendly).
SHELL := /bin/bash
export SOLCX_BINARY_PATH := $(CURDIR)/.solcx
export PATH := $(CURDIR)/.venv/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export PYTHONPATH := $(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))
# Where hardhat's node listens for `make test-hardhat` (ape-hardhat starts and stops it).
NETWORK ?= ethereum:local:foundry
PYTEST_ARGS ?=

.PHONY: help install compile demo test test-hardhat bench upgrade-check clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

install: ## Install the Python venv, npm packages and the solc bridge (skipped when up to date)
	@./tools/install.sh

compile: install ## Compile the contracts with ape (solc 0.8.28)
	ape compile

demo: compile ## Start Anvil, deploy the whole protocol, run the demo scenario, print the tables
	ape run demo --network $(NETWORK)

test: compile ## Run the whole pytest suite on a fresh Anvil (ape starts and stops it)
	$(call suite_part,main) ape test tests --network $(NETWORK) --ignore=tests/upgrades/pipeline $(PYTEST_ARGS) $(SUITE_TIMING)
	@# The pipeline's end-to-end upgrade tests run in a process of their own: after the rest of the suite,
	@# ape's snapshot isolation was seen to leave them a chain that no longer matches the session deployment.
	$(call suite_part,pipeline) ape test tests/upgrades/pipeline --network $(NETWORK) $(PYTEST_ARGS) $(SUITE_TIMING)

test-hardhat: compile ## Run the whole pytest suite on a Hardhat node (ape-hardhat starts it)
	@# Both parts always run (the whole takes ~1 h on Hardhat: a failure in the first must not hide the second's
	@# result); the target fails when either did.
	status=0; \
	ape test tests --network ethereum:local:hardhat --ignore=tests/upgrades/pipeline $(PYTEST_ARGS) || status=$$?; \
	ape test tests/upgrades/pipeline --network ethereum:local:hardhat $(PYTEST_ARGS) || status=$$?; \
	exit $$status

bench: compile ## Gas per operation vs Aave V3 and Morpho Blue, then harness timings (bench/results/); BENCH_SUITE=1 also times make test
	ape run bench --network ethereum:local:foundry
	python tools/upgrades/bench.py
	python -m strata.bench.harness $(if $(BENCH_SUITE),--suite)
	python -m strata.bench.readme

upgrade-check: compile ## Upgrade-safety check of every fixture pair and module (python -m strata.upgrades check-all)
	python -m strata.upgrades check-all

clean: ## Remove build outputs (keeps the venv and node_modules)
	rm -rf .build contracts/.cache

# ---- brownie (eth-brownie 1.22.2 in its own venv; README "Brownie") ------------------------------------------
# The same contracts and the same strata deployment plan as ape, through tools/brownie/brownie.sh (solc bridge,
# networks strata-anvil / strata-hardhat on a free port). Each brownie target starts and stops its own chain.
BROWNIE := ./tools/brownie/brownie.sh
BROWNIE_ARGS ?=

.PHONY: brownie-install brownie-compile brownie-deploy brownie-test brownie-test-hardhat

brownie-install: install ## Install .venv-brownie from requirements-brownie.lock (skipped when up to date)
	@./tools/brownie/install.sh

brownie-compile: brownie-install ## Compile contracts/ and interfaces/ with brownie (build in .build-brownie/)
	$(BROWNIE) compile

brownie-deploy: brownie-install ## Deploy the protocol with brownie on Anvil (writes deployments/local-brownie-anvil.json)
	$(BROWNIE) run deploy --network strata-anvil

brownie-test: brownie-install ## Brownie smoke suite (tests_brownie/) on a fresh Anvil that brownie starts and stops
	$(BROWNIE) test --network strata-anvil $(BROWNIE_ARGS)

brownie-test-hardhat: brownie-install ## Brownie smoke suite on a Hardhat node (prague, tools/brownie/hardhat.config.js)
	$(BROWNIE) test --network strata-hardhat $(BROWNIE_ARGS)
# ---- end brownie ---------------------------------------------------------------------------------------------

# --- Coverage and static analysis (docs/coverage.md, docs/static-analysis.md) ---------------------------------
.PHONY: install-audit coverage analyze

install-audit: install ## slither's own venv (.venv-audit from requirements-audit.lock); forge comes with npm ci
	@./tools/audit/install.sh

coverage: install ## Line/branch coverage of contracts/ by the forge suite (test/foundry): table + coverage/lcov.info
	@./tools/audit/coverage.sh

analyze: install-audit ## Slither over contracts/ -> reports/slither.{json,md}; fails on an untriaged High/Medium
	@./tools/audit/analyze.sh

# ---- harness: kept build-info, suite timing (one block; `make bench` and `make test` above use it) ----------------
.PHONY: build-info build-info-check bench-suite

build-info: install ## Keep every deployable contract's current build-info in build-info/ (the next upgrade's reference)
	python -m strata.upgrades record-all --replace

build-info-check: install ## Exit 1 when a kept build-info is missing or no longer matches its source
	python -m strata.upgrades record-all --check

bench-suite: ## make bench, timing the whole test suite now (~15-25 min) instead of reporting the last make test
	$(MAKE) bench BENCH_SUITE=1

# make test records its own duration in .cache/test-timing.json (read by make bench) through a pytest plugin that
# only observes (strata/bench/suite_timing.py): exit codes and output are pytest's.
export STRATA_SUITE_RUN := $(shell date +%s%N)
export STRATA_SUITE_ARGS = $(PYTEST_ARGS)
SUITE_TIMING = -p strata.bench.suite_timing
suite_part = STRATA_SUITE_PART=$(1) STRATA_SUITE_PARTS=main,pipeline STRATA_SUITE_STARTED=$$(date +%s.%N)
