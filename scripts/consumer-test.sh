#!/usr/bin/env bash
# npm run test:consumer: proves the package from the outside, as a new user would. Packs the
# library, lays out examples/app in a fresh temporary directory (a `cdk8s init typescript-app`
# layout), installs the tarball and its peers from the registry, type-checks every export the
# README documents against the tarball, runs `npx cdk8s synth` (every environment), the app's jest
# snapshot test, and `npx cdk8s-msa deploy --env dev --dry-run` on a real control plane (when its
# tools are built; CONSUMER_DEPLOY=required makes their absence a failure, as in CI).
# Nothing here reads this repository's sources: only the tarball and examples/app (plus the
# compiled control-plane harness for the deploy).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cdk8s-msa-consumer-XXXXXX")
trap 'rm -rf "$work"' EXIT
step() { printf '[consumer %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

step "packing the library"
(cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball=$(ls "$work"/cdk8s-msa-*.tgz)
tar -tzf "$tarball" > "$work/contents"
grep -qv '^package/build/\(lib\|cli\)/\|^package/\(package.json\|README.md\|CHANGELOG.md\|LICENSE\)$' "$work/contents" \
  && { echo "tarball holds files besides compiled JS, types and docs:"; grep -v '^package/build/\(lib\|cli\)/' "$work/contents"; exit 1; }
grep -qx 'package/build/cli/cdk8s-msa.js' "$work/contents" || { echo "tarball lacks the cdk8s-msa command (build/cli/cdk8s-msa.js)"; exit 1; }

step "creating the app repo from examples/app"
cp -r "$repo/examples/app" "$work/app"
cd "$work/app"
# The tarball replaces the registry version the example names; peers and tools come from the registry.
npm install --no-audit --no-fund --loglevel=error "$tarball" >/dev/null

step "checking the README's documented exports against the tarball"
names=$(sed -n "s/^import {\(.*\)} from 'cdk8s-msa';$/\1/p" "$repo/README.md" | tr ',' '\n' | sed 's/ //g' | sort -u | grep -v '^$')
[ -n "$names" ] || { echo "no import from 'cdk8s-msa' found in README.md"; exit 1; }
list=$(echo $names | tr ' ' ',')
printf "import { %s } from 'cdk8s-msa';\nexport const documented = [%s];\n" "$list" "$list" > exports-check.ts
npx tsc -p . || { echo "type-checking the app and the README's imports ($list) against the tarball failed"; exit 1; }

step "npx cdk8s synth"
npx cdk8s synth --no-check-upgrade
for env in dev staging prod; do
  [ -f "dist/$env/cdk8s-msa.output.json" ] || { echo "dist/$env has no cdk8s-msa.output.json"; exit 1; }
  for kind in Namespace Deployment Service HorizontalPodAutoscaler PersistentVolumeClaim NetworkPolicy Ingress; do
    grep -q "^kind: $kind$" "dist/$env/shop.k8s.yaml" || { echo "dist/$env/shop.k8s.yaml has no $kind"; exit 1; }
  done
done
grep -q 'image: ghcr.io/acme/orders:2.0.1' dist/prod/shop.k8s.yaml || { echo "prod does not run its own release"; exit 1; }
ls node_modules/.cache/cdk8s-msa/main-*.js >/dev/null 2>&1 || { echo "cdk8s synth did not run the bundled synth path (no bundle in node_modules/.cache/cdk8s-msa)"; exit 1; }

step "jest: first run writes the snapshot, a second --ci run must match it"
npx jest --ci=false
npx jest --ci
grep -q 'kind: StorageClass' __snapshots__/main.test.ts.snap || { echo "the EKS snapshots lack the gp3 StorageClass"; exit 1; }

step "npx cdk8s-msa deploy --env dev --dry-run on a real control plane"
harness="$repo/build/scripts/cluster/with-control-plane.js"
[ -f "$harness" ] || (cd "$repo" && npx tsc -p .)
status=0
node "$harness" -- npx cdk8s-msa deploy --env dev --dry-run || status=$?
if [ "$status" = 4 ] && [ "${CONSUMER_DEPLOY:-}" != required ]; then
  step "skipped the deploy: control-plane tools are not built (bash scripts/cluster/build-tools.sh all)"
elif [ "$status" != 0 ]; then
  echo "the deploy dry run failed (exit $status)"; exit 1
fi
step "consumer app passed"
