#!/usr/bin/env bash
# `brownie` for Strata: its own venv (.venv-brownie, `make brownie-install`), our solc bridge, our devchains.
#   tools/brownie/brownie.sh compile | run deploy [--network strata-hardhat] | test [--network …] | console
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
# py-solc-x (brownie's solc driver) looks for solc-v<version> here: the solcjs bridge, never a download.
export SOLCX_BINARY_PATH="$ROOT/.solcx"
# anvil (the real binary, linked by tools/brownie/install.sh) and npx/hardhat.
export PATH="$ROOT/.venv-brownie/bin:$ROOT/node_modules/.bin:$PATH"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
exec "$ROOT/.venv-brownie/bin/python" "$ROOT/tools/brownie/launcher.py" "$@"
