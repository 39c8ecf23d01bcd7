#!/usr/bin/env bash
# npm run test:consumer: proves the package from the outside, as a new user would. Packs the
# library, lays out examples/app in a fresh temporary directory (a `cdk8s init typescript-app`
# layout), installs the tarball and its peers from the registry, type-checks every export the
# README documents against the tarball, runs `npx cdk8s synth` and the app's jest snapshot test.
# Nothing here reads this repository's sources: only the tarball and examples/app.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cdk8s-msa-consumer-XXXXXX")
trap 'rm -rf "$work"' EXIT
step() { printf '[consumer %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

step "packing the library"
(cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball=$(ls "$work"/cdk8s-msa-*.tgz)
tar -tzf "$tarball" | grep -qv '^package/build/\(lib\|bin\)/\|^package/\(package.json\|README.md\|CHANGELOG.md\|LICENSE\)$' \
  && { echo "tarball holds files besides compiled JS, types and docs:"; tar -tzf "$tarball" | grep -v '^package/build/\(lib\|bin\)/'; exit 1; }

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
CDK8S_CHECK_UPGRADE=false npx cdk8s synth --no-check-upgrade
for kind in Namespace Deployment Service HorizontalPodAutoscaler PersistentVolumeClaim NetworkPolicy Ingress; do
  grep -q "^kind: $kind$" dist/shop.k8s.yaml || { echo "dist/shop.k8s.yaml has no $kind"; exit 1; }
done

step "jest: first run writes the snapshot, a second --ci run must match it"
npx jest --ci=false
npx jest --ci
grep -q 'kind: StorageClass' __snapshots__/main.test.ts.snap || { echo "the EKS snapshot lacks the gp3 StorageClass"; exit 1; }
step "consumer app passed"
