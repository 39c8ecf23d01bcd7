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
# The namespace's own sysctls: pods forward through the bridge, and bridged traffic passes
# iptables (kube-proxy's Service rules, kube-router's policies).
echo 1 > /proc/sys/net/ipv4/ip_forward
echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables
node build/scripts/node/test-node.js "$run" "$node_ip" &
wait $!
