#!/usr/bin/env bash
# Installs what `make coverage` / `make analyze` need beyond `make install` (which brings forge through npm ci):
#   .venv-audit/   slither-analyzer and its closure (requirements-audit.lock), apart from ape's .venv because their
#                  eth-* pins clash. Skipped when its stamp matches the lock's hash; safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-python3}"
HASH="$(sha256sum requirements-audit.lock | cut -d' ' -f1)"
if [ "$(cat .venv-audit/.stamp 2>/dev/null)" != "$HASH" ]; then
  printf '==> %s\n' "slither venv (.venv-audit) from requirements-audit.lock"
  [ -x .venv-audit/bin/python ] || "$PYTHON" -m venv .venv-audit
  .venv-audit/bin/pip install --quiet --disable-pip-version-check -r requirements-audit.lock 2>&1 \
    | { grep -v "^WARNING: Location" || true; }
  echo "$HASH" > .venv-audit/.stamp
fi
