#!/usr/bin/env bash
# `make coverage`: runs the forge suite (test/foundry) under `forge coverage` and prints the per-contract table of
# contracts/ (mocks excluded) from coverage/lcov.info; exits 1 below the targets (lines 95%, branches 90%).
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p coverage
# Excluded from the figures: OpenZeppelin (node_modules), test-only mocks and the tests themselves.
./tools/audit/forge.sh coverage \
  --no-match-coverage '(node_modules/|contracts/mocks/|test/)' \
  --report lcov --report-file coverage/lcov.info
python3 tools/audit/coverage_table.py coverage/lcov.info --markdown coverage/summary.md \
  --min-lines "${COVERAGE_MIN_LINES:-95}" --min-branches "${COVERAGE_MIN_BRANCHES:-90}"
