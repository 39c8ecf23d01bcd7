#!/usr/bin/env bash
# npm run test:cluster: checks synthesized output on a real control plane (test-cluster.ts).
# This repository's example output is always synthesized afresh (a stale dist/ proves nothing);
# with CLUSTER_DIST=/path/to/your-app/dist it checks your app's output as it is, after verifying
# every file against the digests its cdk8s-msa.output.json records.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${CLUSTER_DIST:-}" ]; then
  node build/apps/main.js
fi
node build/scripts/cluster/test-cluster.js
# Generated props across the public API, accepted output strict-dry-run on the server (issue #16).
exec node build/scripts/cluster/differential.js
