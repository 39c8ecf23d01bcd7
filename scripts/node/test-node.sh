#!/usr/bin/env bash
# npm run test:node: runs the example apps' output on a real single-node cluster built on this
# machine (scripts/node/test-node.ts does the work; this script builds the namespaces it runs in
# and always takes them down).
#
# Isolation, so that nothing reaches or outlives anything else:
# - a network namespace made here, holding only lo and a bridge without ports that holds the node's address
#   and the default route: every address the test uses (node 10.250.0.2, pods 10.244.0.0/16,
#   Services 10.96.0.0/16) exists only inside it, and a packet to any other address is dropped;
# - a PID namespace: the test is its init's only child, so when the test ends, however it ends,
#   the kernel ends every process it started (containerd's shims and the containers included)
#   and nothing else;
# - a mount namespace: containerd's, the kubelet's and CNI's state lives on tmpfs mounts that
#   vanish with it;
# - a cgroup per run (the kubelet's cgroupRoot), removed here afterwards.
#
# Env: NODE_OUTPUTS (default kind,kubeadm), passed through to test-node.ts.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"

[ "$(id -u)" = 0 ] || { echo "test:node needs root (network namespaces, mounts, containerd)" >&2; exit 4; }
for tool in containerd runc ctr iptables ipset nsenter unshare ip mount openssl go; do
  command -v "$tool" >/dev/null || {
    echo "test:node needs $tool: apt-get install containerd runc iptables ipset containernetworking-plugins util-linux" >&2
    exit 4
  }
done
[ -x /usr/lib/cni/bridge ] || { echo "test:node needs the CNI plugins: apt-get install containernetworking-plugins" >&2; exit 4; }

. scripts/cluster/versions.sh
bash scripts/cluster/build-tools.sh etcd kwok "$NODE_KUBE_VERSION" node gateway-api
# The example output is synthesized afresh: a stale dist/ proves nothing.
node build/apps/main.js
run=msa-node-$$
netns=$run
node_ip=10.250.0.2

child=
teardown() {
  local status=$?
  # The test's init ends first (and with it every process of the PID namespace); then nothing
  # holds the network namespace or the cgroups.
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
    kill -TERM "$child" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$child" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$child" 2>/dev/null || true
  fi
  ip netns delete "$netns" 2>/dev/null || true
  rmdir "/tmp/$run" 2>/dev/null || true
  for dir in /sys/fs/cgroup/*/"$run"; do
    [ -d "$dir" ] && find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT TERM

ip netns add "$netns"
ip -n "$netns" link set lo up
ip -n "$netns" link add node0 type bridge
ip -n "$netns" addr add "$node_ip/24" dev node0
ip -n "$netns" link set node0 up
ip -n "$netns" route add default dev node0
for hierarchy in /sys/fs/cgroup/*/; do
  case "$hierarchy" in */unified/) continue ;; esac
  mkdir "$hierarchy$run"
done
cat /sys/fs/cgroup/cpuset/cpuset.cpus > "/sys/fs/cgroup/cpuset/$run/cpuset.cpus"
cat /sys/fs/cgroup/cpuset/cpuset.mems > "/sys/fs/cgroup/cpuset/$run/cpuset.mems"

# `nsenter --net` and not `ip netns exec`, which remounts /sys and hides the cgroup mounts the
# kubelet needs. --kill-child: if unshare itself is killed, the test's init goes with it.
nsenter --net="/run/netns/$netns" \
  unshare --pid --fork --kill-child --mount-proc --propagation private \
  bash scripts/node/inside.sh "$run" "$node_ip" &
child=$!
wait "$child"
