#!/usr/bin/env bash
# Builds, from their Go modules, the binaries the cluster tests and manifest linters need, into a
# cache directory keyed by every version and the Go version. A warm cache skips the build entirely.
#
#   scripts/cluster/build-tools.sh [kube|etcd|kwok|linters|trivy|checkov|java|node|gateway-api|operator-crds|all] ...   (default: all)
#   scripts/cluster/build-tools.sh --print-dir <kube-version|etcd|kwok|linters|trivy|checkov|java|node-kube|node-addons|gateway-api|operator-crds>
#
# `linters` builds kube-score and Trivy and installs Checkov; `--print-dir linters` is kube-score's
# folder. Two entries are no Go modules: Checkov is installed from PyPI into a virtual
# environment, and `java` (for npm run test:java) generates the Java bindings of cdk8s and
# cdk8s-plus-27 from their npm packages, with the Maven repository its builds download into.
# `node` builds what the real-node test (npm run test:node) adds to the control plane: the kubelet
# and kube-proxy of the first pinned Kubernetes version, CoreDNS, kube-router and Traefik.
#
# k8s.io/kubernetes cannot be `go install`ed (replace lines, staging modules at v0.0.0), so each
# build happens in a throwaway wrapper module that pins the staging modules to their v0.X.Y tags.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.sh"

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-trimpath
go_version=$(go env GOVERSION)
cache_root=${CDK8S_MSA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-msa}

kube_dir() { echo "$cache_root/kube-$1-$go_version"; }
etcd_dir() { echo "$cache_root/etcd-$ETCD_VERSION-$go_version"; }
kwok_dir() { echo "$cache_root/kwok-$KWOK_VERSION-$go_version"; }
linters_dir() { echo "$cache_root/linters-ks$KUBE_SCORE_VERSION-$go_version"; }
trivy_dir() { echo "$cache_root/trivy-$TRIVY_VERSION-$go_version"; }
node_kube_dir() { echo "$cache_root/kube-node-$NODE_KUBE_VERSION-$go_version"; }
node_addons_dir() { echo "$cache_root/node-addons-coredns$COREDNS_VERSION-kr$KUBE_ROUTER_VERSION-traefik$TRAEFIK_VERSION-$go_version"; }
checkov_dir() { echo "$cache_root/checkov-$CHECKOV_VERSION-py$(python3 -c 'import platform; print(platform.python_version())')"; }
java_dir() {
  local versions
  versions=$(cd "$here/../.." && node -p '["cdk8s", "cdk8s-plus-27", "jsii-pacmak"].map((p) => require(`${p}/package.json`).version).join("-")')
  echo "$cache_root/java-$versions-jdk$(javac -version 2>&1 | cut -d' ' -f2)"
}
gateway_api_dir() { echo "$cache_root/gateway-api-$GATEWAY_API_VERSION"; }
operator_crds_dir() { echo "$cache_root/operator-crds-keda$KEDA_VERSION-po$PROMETHEUS_OPERATOR_VERSION-eso$EXTERNAL_SECRETS_VERSION"; }

log() { printf '[build-tools %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# step NAME DIR CMD...: runs CMD unless DIR/.complete exists; times it; marks DIR complete.
step() {
  local name=$1 dir=$2; shift 2
  if [ -f "$dir/.complete" ]; then log "$name: cached in $dir"; return; fi
  local started=$SECONDS tmp="$dir.partial.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  log "$name: building into $dir"
  "$@" "$tmp"
  touch "$tmp/.complete"
  rm -rf "$dir"; mv "$tmp" "$dir"
  log "$name: done in $((SECONDS - started))s"
}

# build_kube VERSION OUT [CMD...]: the commands (default: the control plane's and kubectl) of
# k8s.io/kubernetes at VERSION.
build_kube() {
  local v=$1 out=$2 minor work
  shift 2
  local cmds=("$@")
  [ ${#cmds[@]} -gt 0 ] || cmds=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
  minor=$(echo "$v" | cut -d. -f2)
  work=$(mktemp -d)
  local modfile
  modfile=$(go mod download -json "k8s.io/kubernetes@$v" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  (
    cd "$work"
    go mod init cdk8s-msa-kube-wrapper >/dev/null 2>&1
    local godebug
    godebug=$(sed -n 's/^godebug default=\(.*\)$/\1/p' "$modfile")
    [ -n "$godebug" ] && go mod edit -godebug="default=$godebug"
    # Every staging module the release requires at v0.0.0 maps to its v0.<minor>.<patch> tag. The
    # module proxy withholds a few staging tags (k8s.io/endpointslice@v0.32.13): those take the
    # newest patch of the same minor it serves, and the build says so.
    local staging=${v/v1./v0.} m mv
    for m in $(awk '$2 == "v0.0.0" && $1 ~ /^k8s.io\// {print $1}' "$modfile" | sort -u); do
      mv=$staging
      if ! go mod download "$m@$mv" >/dev/null 2>&1; then
        mv=$(go list -m -versions "$m" | tr ' ' '\n' | grep "^v0\.$minor\." | sort -V | tail -1)
        [ -n "$mv" ] || { echo "no v0.$minor.x of $m is served" >&2; return 1; }
        log "  $m@$staging is not served; using $m@$mv"
      fi
      go mod edit -replace="$m=$m@$mv"
    done
    local pkgs=() ld="" pkg
    for pkg in "${cmds[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$pkg"); done
    go get "${pkgs[@]/%/@$v}"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
    done
    go build -ldflags "-s -w$ld" -o "$out/" "${pkgs[@]}"
  )
  rm -rf "$work"
}

build_etcd() {
  local out=$1 work
  work=$(mktemp -d)
  (cd "$work" && go mod init cdk8s-msa-etcd-wrapper >/dev/null 2>&1 &&
    go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >/dev/null 2>&1 &&
    go build -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3)
  rm -rf "$work"
}

build_kwok() { GOBIN=$1 go install -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"; }

# kube-linter (golang.stackrox.io/kube-linter) and Polaris (github.com/fairwindsops/polaris) are
# refused by the Go module proxy this project's machines reach (403 on every version), so only
# kube-score and Trivy can be built here; lint-manifests.ts reports the other two as unavailable.
build_linters() {
  GOBIN=$1 go install -ldflags "-s -w" "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION"
}

# Trivy's release build sets GOEXPERIMENT=jsonv2 (pkg/rpc imports encoding/json/v2) and stamps the
# version without its "v". Its Kubernetes misconfiguration checks are embedded in the binary.
build_trivy() {
  GOBIN=$1 GOEXPERIMENT=jsonv2 go install \
    -ldflags "-s -w -X github.com/aquasecurity/trivy/pkg/version/app.ver=${TRIVY_VERSION#v}" \
    "github.com/aquasecurity/trivy/cmd/trivy@$TRIVY_VERSION"
}

build_node_kube() { build_kube "$NODE_KUBE_VERSION" "$1" kubelet kube-proxy; }

# kube-router v2.1.0 is the only version the module proxy serves: the test runs it offline in
# firewall-only mode inside its own network namespace. Traefik's go.mod has replace directives,
# which `go install pkg@version` refuses: it builds as the main module, from a copy of its source.
build_node_addons() {
  GOBIN=$1 go install -ldflags "-s -w" "github.com/coredns/coredns@$COREDNS_VERSION"
  GOBIN=$1 go install -ldflags "-s -w" "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router@$KUBE_ROUTER_VERSION"
  local src work
  src=$(go mod download -json "github.com/traefik/traefik/v3@$TRAEFIK_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [ -n "$src" ] || { echo "github.com/traefik/traefik/v3@$TRAEFIK_VERSION could not be downloaded" >&2; return 1; }
  work=$(mktemp -d)
  cp -r "$src/." "$work"
  chmod -R u+w "$work"
  (cd "$work" && go build -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" -o "$1/traefik" ./cmd/traefik)
  rm -rf "$work"
}

# Checkov (Python) into a virtual environment of its own, every dependency pinned by
# scripts/lint/checkov-constraints.txt. step() renames the folder into place, which breaks the
# venv's console-script shebangs, so it runs as `venv/bin/python -m checkov.main`.
install_checkov() {
  python3 -m venv "$1/venv"
  "$1/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -c "$here/../lint/checkov-constraints.txt" "checkov==$CHECKOV_VERSION"
}

# Maven Central serves neither org.cdk8s:cdk8s at the npm package's version (its newest there is
# 2.70.47) nor org.cdk8s:cdk8s-plus-27 at all, so jsii-pacmak builds both from the npm packages'
# jsii assemblies, as it does for Go, into $1/java (a Maven repository). $1/m2 is the Maven local
# repository of this and every later Java build (jsii-runtime, constructs and Maven's plugins from
# Maven Central). javadoc is skipped: nobody reads it here, and it is the slowest step.
build_java_bindings() {
  local repo
  repo=$(cd "$here/../.." && pwd)
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 "$repo/node_modules/.bin/jsii-pacmak" --targets java -o "$1" \
    --maven-local-repository "$1/m2" --mvn-define maven.javadoc.skip=true \
    "$repo/node_modules/cdk8s" "$repo/node_modules/cdk8s-plus-27"
}

# module_dir MODULE@VERSION: where the Go module cache holds a module's source.
module_dir() {
  local dir
  dir=$(go mod download -json "$1" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [ -n "$dir" ] || { echo "$1 could not be downloaded" >&2; return 1; }
  echo "$dir"
}

# The Gateway API standard-channel CRDs ship in the Go module itself: nothing to build, only to copy.
fetch_gateway_api() {
  local src
  src=$(module_dir "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION")
  cp "$src"/config/crd/standard/*.yaml "$1/"
  chmod u+w "$1"/*.yaml
}

# The CRDs of the kinds the library emits for KEDA, the Prometheus Operator and External Secrets,
# as each project generates them into its Go module (the files its release installs).
fetch_operator_crds() {
  local keda prom eso
  keda=$(module_dir "github.com/kedacore/keda/v2@$KEDA_VERSION")
  prom=$(module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")
  eso=$(module_dir "github.com/external-secrets/external-secrets@$EXTERNAL_SECRETS_VERSION")
  cp "$keda"/config/crd/bases/keda.sh_{scaledobjects,scaledjobs,triggerauthentications}.yaml "$1/"
  cp "$prom"/example/prometheus-operator-crd/monitoring.coreos.com_{servicemonitors,podmonitors}.yaml "$1/"
  cp "$eso"/config/crds/bases/external-secrets.io_externalsecrets.yaml "$1/"
  chmod u+w "$1"/*.yaml
}

if [ "${1:-}" = "--print-dir" ]; then
  case "$2" in
    node-kube) node_kube_dir ;; node-addons) node_addons_dir ;;
    etcd) etcd_dir ;; kwok) kwok_dir ;; linters) linters_dir ;; trivy) trivy_dir ;; checkov) checkov_dir ;; java) java_dir ;;
    gateway-api) gateway_api_dir ;; operator-crds) operator_crds_dir ;; *) kube_dir "$2" ;;
  esac
  exit 0
fi

what=("$@"); [ ${#what[@]} -eq 0 ] && what=(all)
total=$SECONDS
for w in "${what[@]}"; do
  case "$w" in
    etcd) step "etcd $ETCD_VERSION" "$(etcd_dir)" build_etcd ;;
    kwok) step "kwok $KWOK_VERSION" "$(kwok_dir)" build_kwok ;;
    linters)
      step "linters" "$(linters_dir)" build_linters
      step "trivy $TRIVY_VERSION" "$(trivy_dir)" build_trivy
      step "checkov $CHECKOV_VERSION" "$(checkov_dir)" install_checkov ;;
    checkov) step "checkov $CHECKOV_VERSION" "$(checkov_dir)" install_checkov ;;
    java) step "java bindings of cdk8s and cdk8s-plus-27" "$(java_dir)" build_java_bindings ;;
    trivy) step "trivy $TRIVY_VERSION" "$(trivy_dir)" build_trivy ;;
    node)
      step "kubelet and kube-proxy $NODE_KUBE_VERSION" "$(node_kube_dir)" build_node_kube
      step "coredns $COREDNS_VERSION, kube-router $KUBE_ROUTER_VERSION, traefik $TRAEFIK_VERSION" "$(node_addons_dir)" build_node_addons ;;
    gateway-api) step "gateway-api CRDs $GATEWAY_API_VERSION" "$(gateway_api_dir)" fetch_gateway_api ;;
    operator-crds)
      step "operator CRDs: KEDA $KEDA_VERSION, Prometheus Operator $PROMETHEUS_OPERATOR_VERSION, External Secrets $EXTERNAL_SECRETS_VERSION" \
        "$(operator_crds_dir)" fetch_operator_crds ;;
    kube) for v in $KUBE_VERSIONS; do step "kubernetes $v" "$(kube_dir "$v")" build_kube "$v"; done ;;
    v1.*) step "kubernetes $w" "$(kube_dir "$w")" build_kube "$w" ;;
    all)
      step "etcd $ETCD_VERSION" "$(etcd_dir)" build_etcd
      step "kwok $KWOK_VERSION" "$(kwok_dir)" build_kwok
      for v in $KUBE_VERSIONS; do step "kubernetes $v" "$(kube_dir "$v")" build_kube "$v"; done ;;
    *) echo "unknown tool set: $w (expected kube, etcd, kwok, linters, trivy, checkov, java, node, gateway-api, operator-crds, all or a vX.Y.Z)" >&2; exit 2 ;;
  esac
done
log "all requested tools ready in $((SECONDS - total))s"
