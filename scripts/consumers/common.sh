# Sourced by the language consumer tests (go.sh, python.sh, java.sh): the repository root as the
# working directory, jsii's Node 20 end-of-life banner silenced (Node 20 is the engines floor), and
# check_pins.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=20

# check_pins FILE RUNTIME FORMAT: FILE, white space removed, must pin cdk8s, cdk8s-plus-27,
# constructs and the jsii runtime (named RUNTIME there; its version is jsii-pacmak's) at the
# versions the npm side builds and tests with, each written as printf FORMAT NAME VERSION.
check_pins() {
  local file=$1 runtime=$2 format=$3 pins name version
  pins=$(node -e 'for (const p of ["cdk8s", "cdk8s-plus-27", "constructs", "jsii-pacmak"])
    console.log(p, require(`${p}/package.json`).version)')
  while read -r name version; do
    [ "$name" = jsii-pacmak ] && name=$runtime
    # shellcheck disable=SC2059 # the format is the caller's
    tr -d ' \t\r\n' <"$file" | grep -qF "$(printf "$format" "$name" "$version")" \
      || { echo "$file: expected $name $version (package.json)" >&2; return 1; }
  done <<<"$pins"
}
