#!/usr/bin/env bash
# Fails when docs/API.md no longer matches the TSDoc in lib/ (regenerate with `npm run docs`).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
npx typedoc --logLevel Warn --out "$tmp" >/dev/null
diff -u docs/API.md "$tmp/API.md" || { echo "docs/API.md is stale: run npm run docs and commit it"; exit 1; }
echo "docs/API.md is up to date"
npx tsc -p . >/dev/null
node build/scripts/docs/target-table.js --check
echo "the target tables in README.md and docs/targets.md are the profiles'"
