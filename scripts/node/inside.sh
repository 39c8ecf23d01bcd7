#!/usr/bin/env bash
# The init of test-node.sh's PID namespace: mounts the node's scratch file systems, sets the
# network namespace's sysctls and runs the test. It stays the parent (bash reaps the orphans
# containerd's shims leave), and when it exits the kernel ends every process of the namespace.
set -euo pipefail
run=$1 node_ip=$2
# Paths containerd, its shims, CNI and the kubelet use whatever they are told: tmpfs here, gone
# with the mount namespace. /var/log holds the kubelet's /var/log/containers links.
for dir in /run/containerd /run/netns /var/lib/cni /var/log; do
  mkdir -p "$dir"
  mount -t tmpfs "$run" "$dir"
done
# The test's scratch dir (TMPDIR): a tmpfs too, so containers' overlay and shm mounts in it go
# with the namespace even if the test could not unmount them.
scratch=/tmp/$run
mkdir -p "$scratch"
mount -t tmpfs "$run" "$scratch"
export TMPDIR=$scratch
sysctl -q -w net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1
node build/scripts/node/test-node.js "$run" "$node_ip" &
wait $!
