#!/usr/bin/env bash
# npm run jsii: compiles lib/ with jsii (pinned to the TypeScript minor) into a jsii assembly, and
# with `--python` (npm run jsii:python) also builds the Python wheel, with `--go` the Go bindings
# (npm run test:go), with `--java MAVEN_REPO BINDINGS_REPO` the Java package (npm run test:java).
# Fails on any jsii warning as on an error.
#
# jsii finds its entry point from package.json's `types` and compiles in its own layout, while the
# npm package and every other script use tsc's build/ (`types` = build/lib/index.d.ts). So it runs
# in a staging folder, build/jsii/ (gitignored, rebuilt each run): lib/ copied in, README/LICENSE,
# and this package.json with `main`/`types` pointing at the sources' in-place output and js-yaml
# bundled (jsii needs every non-jsii dependency bundled; the npm package keeps it a plain
# dependency). Output: build/jsii/.jsii, and with --python build/jsii/dist/wheels/*.whl.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
stage="$repo/build/jsii"
# The machine runs Node 20 (the engines floor): jsii's banner about its support window is no build result.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=20

rm -rf "$stage"
mkdir -p "$stage"
cp -r "$repo/lib" "$repo/README.md" "$repo/LICENSE" "$stage/"
ln -s "$repo/node_modules" "$stage/node_modules"
node -e '
  const [from, to, mode] = process.argv.slice(1);
  const pkg = require(from);
  // Go bindings exist only for the Go consumer test: a module path under a local name, as the
  // package has no published Go module.
  if (mode === "--go") pkg.jsii.targets.go = { moduleName: "cdk8s-msa.local/go" };
  // Likewise Java, for the Java consumer test only: a local Maven group, nothing is published.
  if (mode === "--java") pkg.jsii.targets.java = { package: "local.cdk8smsa", maven: { groupId: "local.cdk8s-msa", artifactId: "cdk8s-msa" } };
  for (const field of ["exports", "bin", "scripts"]) delete pkg[field];
  Object.assign(pkg, {
    main: "lib/index.js",
    types: "lib/index.d.ts",
    files: ["lib/**/*.js", "lib/**/*.d.ts", ".jsii", "README.md", "LICENSE"],
    bundledDependencies: Object.keys(pkg.dependencies ?? {}),
  });
  require("fs").writeFileSync(to, JSON.stringify(pkg, null, 2) + "\n");
' "$repo/package.json" "$stage/package.json" "${1:-}"
cd "$stage"
"$repo/node_modules/.bin/jsii" --fail-on-warnings
if [ "${1:-}" = "--python" ]; then
  # jsii-pacmak's own build step makes a venv and pip-installs setuptools, build and twine (version
  # ranges) on every run: it generates the Python sources only, and the Debian python3's setuptools
  # and wheel (python3-setuptools, python3-wheel) build the wheel, with no network and in a second.
  "$repo/node_modules/.bin/jsii-pacmak" --targets python --code-only
  (cd dist/python && env -u PYTHONDONTWRITEBYTECODE /usr/bin/python3 -W ignore setup.py -q bdist_wheel --dist-dir ../wheels >/dev/null)
  wheel=$(ls dist/wheels/*.whl)
  contents=$(/usr/bin/python3 -m zipfile -l "$wheel")
  grep -q '_jsii/cdk8s-msa@.*\.jsii\.tgz' <<<"$contents" \
    || { echo "$wheel lacks the embedded jsii tarball"; exit 1; }
  echo "Python wheel: $wheel"
fi
if [ "${1:-}" = "--go" ]; then
  # Go bindings of this library and, generated from their npm packages' assemblies, of cdk8s,
  # cdk8s-plus-27 and constructs (the Go module proxy refuses the published cdk8s Go modules).
  "$repo/node_modules/.bin/jsii-pacmak" --targets go --code-only --recurse -o "$stage" .
  echo "Go bindings: $stage/go"
fi
if [ "${1:-}" = "--java" ]; then
  # The Maven package of this library, built against the Java bindings of cdk8s and cdk8s-plus-27
  # in BINDINGS_REPO (build-tools.sh java), copied into the output repository, which jsii-pacmak
  # hands Maven as a local repository; MAVEN_REPO is Maven's (cached) local repository.
  mkdir -p dist/java
  cp -r "$3/." dist/java/
  "$repo/node_modules/.bin/jsii-pacmak" --targets java -o dist --maven-local-repository "$2" \
    --mvn-define maven.javadoc.skip=true .
  echo "Java package: $stage/dist/java (a Maven repository)"
fi
