#!/usr/bin/env bash
# npm run test:cluster: synthesizes dist/ if needed, then checks it on a real control plane.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d dist ] || node build/apps/main.js
exec node build/scripts/cluster/test-cluster.js
