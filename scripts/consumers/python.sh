#!/usr/bin/env bash
# npm run test:python: the library from Python, through jsii. Builds the wheel (npm run
# jsii:python), installs it with examples/python-shop/requirements.txt (pinned, from PyPI) into a
# virtual environment under build/, runs the README's Python quick start, and compares the YAML of
# examples/python-shop (the example shop of apps/shop.ts written in Python) with the TypeScript
# shop's, byte for byte, for every built-in target.
set -euo pipefail
. "$(dirname "$0")/common.sh"
requirements=examples/python-shop/requirements.txt
check_pins "$requirements" jsii '%s==%s'

bash scripts/jsii.sh --python
# The venv is rebuilt only when the requirements or the Python change; the wheel is reinstalled each run.
venv="$repo/build/python-venv"
key="$(python3 --version) $(sha256sum "$requirements" | cut -d' ' -f1)"
if [ "$(cat "$venv/.key" 2>/dev/null)" != "$key" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  echo "$key" >"$venv/.key"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall build/jsii/dist/wheels/*.whl

# The README's quick start, as a reader would save it: main.py, run in an empty folder.
quick=$(mktemp -d)
trap 'rm -rf "$quick"' EXIT
awk '/^### Other languages/ { section = 1 } /^## / && section { exit }
  section && /^```python$/ { code = 1; next } code && /^```$/ { exit } code' README.md >"$quick/main.py"
[ -s "$quick/main.py" ] || { echo "README.md: no python block under 'Other languages'" >&2; exit 1; }
(cd "$quick" && "$venv/bin/python" main.py)
grep -q '^kind: Deployment$' "$quick/dist/shop.k8s.yaml" || { echo "the README's main.py wrote no Deployment" >&2; exit 1; }
echo "ok: the README's Python quick start wrote $(grep -c '^kind: ' "$quick/dist/shop.k8s.yaml") objects"

bash scripts/consumers/compare-shops.sh Python "$repo/build/consumers" "$venv/bin/python" examples/python-shop/shop.py
