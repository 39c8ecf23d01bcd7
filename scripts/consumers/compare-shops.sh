#!/usr/bin/env bash
# The check every language consumer test ends with: the example shop of apps/shop.ts, written in
# another language, must synthesize the same bytes as the TypeScript shop on every built-in target.
#
#   scripts/consumers/compare-shops.sh LANGUAGE OUT_DIR SHOP_COMMAND...
#
# Runs `SHOP_COMMAND... OUT_DIR/LANGUAGE TARGET_ID...` once for all targets (the language's shop
# writes OUT_DIR/LANGUAGE/TARGET_ID.yaml for each: one process, so the jsii runtime starts once),
# writes the TypeScript shop's YAML to OUT_DIR/ts/, and compares them with cmp. Prints a line per
# target and "LANGUAGE consumer: N passed, M failed"; exits non-zero on any difference.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
language=$1 out=$2
shift 2
cd "$repo"
npx tsc -p .
rm -rf "$out/ts" "$out/$language"
mkdir -p "$out/ts" "$out/$language"
targets=$(node -e 'process.stdout.write(require("./build/lib").Target.BUILT_IN_IDS.join(" "))')
node -e '
  const { App } = require("cdk8s");
  const { buildShop } = require("./build/apps/shop");
  const { exampleTarget } = require("./build/apps/targets");
  const [dir, ...ids] = process.argv.slice(1);
  for (const id of ids) {
    const app = new App();
    buildShop(app, exampleTarget(id));
    require("fs").writeFileSync(`${dir}/${id}.yaml`, app.synthYaml());
  }
' "$out/ts" $targets
# shellcheck disable=SC2086 # one argument per target id
"$@" "$out/$language" $targets
failed=0
for id in $targets; do
  ts="$out/ts/$id.yaml" other="$out/$language/$id.yaml"
  if [ -f "$other" ] && cmp -s "$ts" "$other"; then
    echo "ok: $id: $language and TypeScript shops are byte-identical ($(wc -l <"$other") lines)"
  else
    echo "FAIL: $id: the $language shop differs from the TypeScript shop:"
    diff -u "$ts" "$other" | head -40 || true
    failed=$((failed + 1))
  fi
done
count=$(wc -w <<<"$targets")
echo "$language consumer: $((count - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
