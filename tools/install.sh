#!/usr/bin/env bash
# Installs everything Strata needs into the project itself, from pinned versions:
#   .venv/         Python venv (requirements.lock + the strata package, editable)
#   node_modules/  npm packages (package-lock.json): solc, anvil, OpenZeppelin, hardhat, upgrades-core
#   .solcx/        the solc executable py-solc-x/ape-solidity look for (native if present, else solcjs bridge)
#   .venv/bin/anvil  the real anvil binary, so ape-foundry finds it on PATH
# Each step is skipped when its stamp is newer than its inputs; safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SOLC_VERSION="$(node -p 'require("./package.json").dependencies.solc')"
PYTHON="${PYTHON:-python3}"

step() { printf '==> %s\n' "$*"; }

# Stamps hold a hash of the inputs (not mtimes: a fresh clone or a worktree has new mtimes, same content).
PY_HASH="$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)"
NPM_HASH="$(sha256sum package-lock.json | cut -d' ' -f1)"

if [ "$(cat .venv/.stamp 2>/dev/null)" != "$PY_HASH" ]; then
  step "Python venv (.venv) from requirements.lock"
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  # (pipefail keeps pip's exit status; the grep only hides this machine's pip.conf noise)
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.lock 2>&1 | { grep -v "^WARNING: Location" || true; }
  .venv/bin/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null \
    || .venv/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
  echo "$PY_HASH" > .venv/.stamp
fi

if [ "$(cat node_modules/.stamp 2>/dev/null)" != "$NPM_HASH" ]; then
  step "npm packages (node_modules) from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$NPM_HASH" > node_modules/.stamp
fi

# ape unpacks every dependency into contracts/.cache and then lists at most 500 files under contracts/
# (ape.utils.os.get_all_files_in_directory): OpenZeppelin's npm packages bring 300 JSON artifacts that would
# push our own sources out of that list. The dependencies therefore point at .sol-only copies in .deps/.
if [ "$(cat .deps/.stamp 2>/dev/null)" != "$NPM_HASH" ]; then
  step "Solidity-only copies of the OpenZeppelin packages (.deps)"
  rm -rf .deps contracts/.cache
  for pkg in contracts contracts-upgradeable; do
    (cd "node_modules/@openzeppelin/$pkg" && find . -name '*.sol' -not -path './build/*' -print0 \
      | xargs -0 -I{} install -D -m 644 {} "$ROOT/.deps/openzeppelin-$pkg/{}")
  done
  echo "$NPM_HASH" > .deps/.stamp
fi

# ape-foundry starts `anvil` from PATH; link the real binary (not npm's node wrapper, which would
# leave an orphaned node process behind when ape stops the chain).
ANVIL_BIN="$(find node_modules/@foundry-rs -path '*anvil-linux-*/bin/anvil' -type f | head -n1)"
if [ -n "$ANVIL_BIN" ]; then ln -sf "$ROOT/$ANVIL_BIN" .venv/bin/anvil; else ln -sf "$ROOT/node_modules/.bin/anvil" .venv/bin/anvil; fi

mkdir -p .solcx
SOLC_TARGET=".solcx/solc-v$SOLC_VERSION"
NATIVE_SOLC="$(command -v solc || true)"
if [ -n "$NATIVE_SOLC" ] && "$NATIVE_SOLC" --version 2>/dev/null | grep -q "Version: $SOLC_VERSION+"; then
  ln -sf "$NATIVE_SOLC" "$SOLC_TARGET"
elif [ ! -x "$SOLC_TARGET" ] || [ -L "$SOLC_TARGET" ]; then
  rm -f "$SOLC_TARGET"
  printf '#!/bin/sh\nexec node "%s/tools/solc/solc-bridge.js" "$@"\n' "$ROOT" > "$SOLC_TARGET"
  chmod +x "$SOLC_TARGET"
fi
