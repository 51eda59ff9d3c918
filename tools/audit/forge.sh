#!/usr/bin/env bash
# Runs the real forge binary that npm installed (@foundry-rs/forge, pinned in package.json), not npm's node wrapper.
set -euo pipefail
cd "$(dirname "$0")/../.."
FORGE="$(find node_modules/@foundry-rs -path '*forge-linux-*/bin/forge' -type f 2>/dev/null | head -n1)"
[ -n "$FORGE" ] || FORGE="node_modules/.bin/forge"
[ -x "$FORGE" ] || { echo "forge not found: run 'make install' (npm ci installs @foundry-rs/forge)" >&2; exit 1; }
exec "$FORGE" "$@"
