#!/usr/bin/env bash
# npm run test:go: the library from Go, through jsii. Generates the Go bindings (this library's,
# and cdk8s', cdk8s-plus-27's and constructs' from their npm packages), builds examples/go-shop (the
# example shop of apps/shop.ts written in Go; jsii-runtime-go comes from the Go module proxy), and
# compares its YAML with the TypeScript shop's, byte for byte, for every built-in target.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=20

bash scripts/jsii.sh --go
npx tsc -p .
out="$repo/build/jsii/go-shop-output"
mkdir -p "$out"
(cd examples/go-shop && go build -o "$out/go-shop" .)
targets=$(node -e 'process.stdout.write(require("./build/lib").Target.BUILT_IN_IDS.join(" "))')
failed=0
for id in $targets; do
  node -e '
    const { App } = require("cdk8s");
    const { buildShop } = require("./build/apps/shop");
    const { exampleTarget } = require("./build/apps/targets");
    const app = new App();
    buildShop(app, exampleTarget(process.argv[1]));
    process.stdout.write(app.synthYaml());
  ' "$id" > "$out/$id.ts.yaml"
  "$out/go-shop" "$id" > "$out/$id.go.yaml"
  if cmp -s "$out/$id.ts.yaml" "$out/$id.go.yaml"; then
    echo "ok: $id: Go and TypeScript shops are byte-identical ($(wc -l < "$out/$id.go.yaml") lines)"
  else
    echo "FAIL: $id: the Go shop differs from the TypeScript shop:"
    diff -u "$out/$id.ts.yaml" "$out/$id.go.yaml" | head -40
    failed=$((failed + 1))
  fi
done
count=$(wc -w <<<"$targets")
echo "go consumer: $((count - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
