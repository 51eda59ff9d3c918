#!/usr/bin/env bash
# Installs eth-brownie for Strata into its own venv, from exact pins:
#   .venv-brownie/            Python venv from requirements-brownie.lock (brownie's pins conflict with ape's .venv)
#   .venv-brownie/bin/anvil   the real anvil binary from node_modules (brownie launches `anvil` from PATH)
# Needs what tools/install.sh installs (node_modules: OpenZeppelin, anvil, hardhat, solc; .solcx: the solc bridge);
# `make brownie-install` runs that first. Skipped when the stamp matches the lock's content hash; safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
PYTHON="${PYTHON:-python3}"
VENV=.venv-brownie

LOCK_HASH="$(sha256sum requirements-brownie.lock | cut -d' ' -f1)"
if [ "$(cat "$VENV/.stamp" 2>/dev/null)" != "$LOCK_HASH" ]; then
  printf '==> %s\n' "brownie venv ($VENV) from requirements-brownie.lock"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  # (pipefail keeps pip's exit status; the grep only hides this machine's pip.conf noise)
  # (no PYTHONPATH: the Makefile puts the repo on it, and pip would then check strata's ape requirements too)
  PYTHONPATH= "$VENV/bin/pip" install --quiet --disable-pip-version-check -r requirements-brownie.lock 2>&1 \
    | { grep -v "^WARNING: Location" || true; }
  echo "$LOCK_HASH" > "$VENV/.stamp"
fi

# The real binary, not npm's node wrapper (which would leave its child running when brownie kills the chain).
ANVIL_BIN="$(find node_modules/@foundry-rs -path '*anvil-linux-*/bin/anvil' -type f 2>/dev/null | head -n1)"
if [ -n "$ANVIL_BIN" ]; then ln -sf "$ROOT/$ANVIL_BIN" "$VENV/bin/anvil"; else ln -sf "$ROOT/node_modules/.bin/anvil" "$VENV/bin/anvil"; fi

# brownie drives solc through py-solc-x, which finds solc-v<version> in $SOLCX_BINARY_PATH (tools/brownie/brownie.sh
# sets it to .solcx): our bridge, never a download.
SOLC_VERSION="$(node -p 'require("./package.json").dependencies.solc')"
[ -x ".solcx/solc-v$SOLC_VERSION" ] || { echo "missing .solcx/solc-v$SOLC_VERSION: run tools/install.sh (make install)" >&2; exit 1; }
