#!/usr/bin/env bash
# npm run test:java: the library from Java, through jsii. Builds the Maven package of this library
# (and, cached by build-tools.sh, those of cdk8s and cdk8s-plus-27, which Maven Central does not
# serve at these versions), builds examples/java-shop (the example shop of apps/shop.ts written in
# Java; jsii-runtime and constructs come from Maven Central) and compares its YAML with the
# TypeScript shop's, byte for byte, for every built-in target.
set -euo pipefail
. "$(dirname "$0")/common.sh"
check_pins examples/java-shop/pom.xml jsii-runtime '<artifactId>%s</artifactId><version>%s</version>'

bash scripts/cluster/build-tools.sh java
bindings=$(bash scripts/cluster/build-tools.sh --print-dir java)
m2="$bindings/m2"
# Maven never fetches again a release its local repository holds: drop the last run's copy of this
# library, so the shop compiles and runs against the jar built now.
rm -rf "$m2/local/cdk8s-msa"
bash scripts/jsii.sh --java "$m2" "$bindings/java"
# Maven's quiet mode still prints colour codes: its output is shown only when it fails.
(cd examples/java-shop &&
  mvn -q -B -Dmaven.repo.local="$m2" compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
    >"$repo/build/java-shop-mvn.log" 2>&1) || { cat "$repo/build/java-shop-mvn.log"; exit 1; }
classpath="examples/java-shop/target/classes:$(cat examples/java-shop/target/classpath.txt)"
bash scripts/consumers/compare-shops.sh Java "$repo/build/consumers" java -cp "$classpath" shop.Shop
