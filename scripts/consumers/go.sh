#!/usr/bin/env bash
# npm run test:go: the library from Go, through jsii. Generates the Go bindings (this library's,
# and cdk8s', cdk8s-plus-27's and constructs' from their npm packages), builds examples/go-shop (the
# example shop of apps/shop.ts written in Go; jsii-runtime-go comes from the Go module proxy), and
# compares its YAML with the TypeScript shop's, byte for byte, for every built-in target.
set -euo pipefail
. "$(dirname "$0")/common.sh"
bash scripts/jsii.sh --go
out="$repo/build/consumers"
mkdir -p "$out"
(cd examples/go-shop && go build -o "$out/go-shop" .)
bash scripts/consumers/compare-shops.sh Go "$out" "$out/go-shop"
