#!/usr/bin/env bash
# npm run jsii: compiles lib/ with jsii (pinned to the TypeScript minor) into a jsii assembly, and
# with `--pacmak` also builds the language packages of package.json's `jsii.targets` (Python).
# Fails on any jsii warning as on an error.
#
# jsii finds its entry point from package.json's `types` and compiles in its own layout, while the
# npm package and every other script use tsc's build/ (`types` = build/lib/index.d.ts). So it runs
# in a staging folder, build/jsii/ (gitignored, rebuilt each run): lib/ copied in, README/LICENSE,
# and this package.json with `main`/`types` pointing at the sources' in-place output and js-yaml
# bundled (jsii needs every non-jsii dependency bundled; the npm package keeps it a plain
# dependency). Output: build/jsii/.jsii, and with --pacmak build/jsii/dist/python/*.whl.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
stage="$repo/build/jsii"
# The machine runs Node 20 (the engines floor): jsii's banner about its support window is no build result.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=1

rm -rf "$stage"
mkdir -p "$stage"
cp -r "$repo/lib" "$repo/README.md" "$repo/LICENSE" "$stage/"
ln -s "$repo/node_modules" "$stage/node_modules"
node -e '
  const [from, to] = process.argv.slice(1);
  const pkg = require(from);
  for (const field of ["exports", "bin", "scripts"]) delete pkg[field];
  Object.assign(pkg, {
    main: "lib/index.js",
    types: "lib/index.d.ts",
    files: ["lib/**/*.js", "lib/**/*.d.ts", ".jsii", "README.md", "LICENSE"],
    bundledDependencies: Object.keys(pkg.dependencies ?? {}),
  });
  require("fs").writeFileSync(to, JSON.stringify(pkg, null, 2) + "\n");
' "$repo/package.json" "$stage/package.json"
cd "$stage"
"$repo/node_modules/.bin/jsii" --fail-on-warnings
if [ "${1:-}" = "--pacmak" ]; then
  "$repo/node_modules/.bin/jsii-pacmak"
fi
