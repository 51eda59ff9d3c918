#!/usr/bin/env bash
# `make analyze`: slither over contracts/ (mocks, tests and OpenZeppelin excluded) through forge's build, then the
# triage check: every High/Medium finding must have a row in docs/static-analysis.md (exit 1 otherwise).
set -euo pipefail
cd "$(dirname "$0")/../.."
FORGE="$(find node_modules/@foundry-rs -path '*forge-linux-*/bin/forge' -type f 2>/dev/null | head -n1)"
[ -n "$FORGE" ] || { echo "forge not found: run 'make install' (npm ci installs @foundry-rs/forge)" >&2; exit 2; }
# crytic-compile calls `forge` from PATH; its own output folders (profile `slither` in foundry.toml) so that it
# never cleans the build of a coverage run.
export PATH="$PWD/$(dirname "$FORGE"):$PATH" FOUNDRY_PROFILE=slither
mkdir -p reports
rm -f reports/slither.json
if ! .venv-audit/bin/slither . \
    --filter-paths '(contracts/mocks/|node_modules/|test/)' --exclude-dependencies \
    --fail-none --json reports/slither.json > reports/slither.log 2>&1; then
  tail -n 30 reports/slither.log >&2
  echo "analyze: slither failed (full log: reports/slither.log)" >&2
  exit 2
fi
.venv-audit/bin/python tools/audit/slither_triage.py reports/slither.json docs/static-analysis.md reports/slither.md
