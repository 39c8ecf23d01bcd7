# Versions of the tools the cluster tests and manifest linters build from Go modules.
# Pinned in one place: build-tools.sh keys its cache directory on every value here.
# KUBE_VERSIONS: newest minor release that builds with the machine's Go first, then the oldest
# minor still in (extended) support on EKS/GKE/AKS.
KUBE_VERSIONS="v1.37.2 v1.32.13"
ETCD_VERSION="v3.5.21"
KWOK_VERSION="v0.7.0"
KUBE_SCORE_VERSION="v1.20.0"
# Gateway API standard-channel CRDs (Gateway, HTTPRoute, GRPCRoute, ReferenceGrant, ...), taken
# from the Go module sigs.k8s.io/gateway-api, installed before routes are applied.
GATEWAY_API_VERSION="v1.6.3"
# CRDs of the operators whose objects the library emits on request, taken from each project's Go
# module and installed before the outputs are applied: KEDA (ScaledObject, ScaledJob,
# TriggerAuthentication; v2.21.1 needs Go 1.27.4 to download, so the newest this Go takes is
# v2.21.0), the Prometheus Operator (ServiceMonitor, PodMonitor; the module proxy serves v0.85.0
# only) and External Secrets (ExternalSecret).
KEDA_VERSION="v2.21.0"
PROMETHEUS_OPERATOR_VERSION="v0.85.0"
EXTERNAL_SECRETS_VERSION="v1.3.2"
TRIVY_VERSION="v0.74.0"
# Checkov, from PyPI (build-tools.sh checkov); its dependencies are pinned in
# scripts/lint/checkov-constraints.txt, regenerated with it.
CHECKOV_VERSION="3.3.30"
# The real-node test (npm run test:node): kubelet and kube-proxy of the first Kubernetes version
# above, CoreDNS as the cluster DNS, kube-router (firewall only) enforcing NetworkPolicies, and
# Traefik as the Gateway API implementation of the kubeadm/k3s/RKE2 outputs. Traefik v3.7 does not
# build from the module proxy (its dynamic/ext module and three DNS-provider SDKs lego v5 imports
# are refused), v3.6 does.
NODE_KUBE_VERSION=${KUBE_VERSIONS%% *}
COREDNS_VERSION="v1.15.0"
KUBE_ROUTER_VERSION="v2.1.0"
TRAEFIK_VERSION="v3.6.12"
