"""The example shop of apps/shop.ts, written in Python against the cdk8s_msa wheel, so that
`npm run test:python` can compare its YAML with the TypeScript app's byte for byte.

    python shop.py OUT_DIR TARGET_ID...   (writes OUT_DIR/TARGET_ID.yaml for each target)
"""
import pathlib
import sys

from cdk8s import App, Size
from constructs import Construct

from cdk8s_msa import (
    Dependency,
    EnvVar,
    Exposure,
    GatewayListenerPorts,
    HealthCheck,
    LoadBalancerSupport,
    MicroserviceSystem,
    Storage,
    Target,
)


def build_shop(scope: Construct, target: Target) -> MicroserviceSystem:
    shop = MicroserviceSystem(scope, "shop", target=target, secrets=["postgres-credentials"])
    health = HealthCheck.http("/healthz")

    def public_http(host: str) -> Exposure:
        # A Gateway API route where the target has an implementation (the recommended way in); an Ingress elsewhere.
        gateway = target.props.gateway
        return Exposure.route(host=host) if gateway and gateway.class_name else Exposure.ingress(host=host)

    postgres = shop.add_service(
        "postgres",
        image="postgres:16.4-alpine", port=5432, port_name="postgres", component="database",
        health_check=HealthCheck.command(["pg_isready", "-U", "shop"]),
        env={
            "POSTGRES_USER": EnvVar.from_value("shop"),
            "POSTGRES_PASSWORD_FILE": EnvVar.from_value("/etc/postgres-credentials/password"),
            "PGDATA": EnvVar.from_value("/var/lib/postgresql/data/pgdata"),
        },
        resources={"cpu": {"request": "250m", "limit": "1"}, "memory": {"request": "512Mi", "limit": "1Gi"}},
        volumes=[
            Storage.persistent("data", mount_path="/var/lib/postgresql/data", size=Size.gibibytes(10)),
            Storage.ephemeral("run", mount_path="/var/run/postgresql", size_limit=Size.mebibytes(16)),
            Storage.secret("credentials", secret_name="postgres-credentials", mount_path="/etc/postgres-credentials"),
        ],
    )
    catalog = shop.add_service(
        "catalog",
        image="ghcr.io/acme/catalog:1.4.2", port=8080, health_check=health, depends_on=[postgres],
        autoscaling={"min_replicas": 2, "max_replicas": 10, "cpu_utilization": 70},
    )
    payments = shop.add_service(
        "payments",
        image="ghcr.io/acme/payments:3.1.0", port=8080, health_check=health,
        depends_on=[Dependency.external("payment-provider", host="api.payments.example.com", port=443)],
        identity={
            "aws_role_arn": "arn:aws:iam::123456789012:role/shop-payments",
            "gcp_service_account": "shop-payments@acme-shop.iam.gserviceaccount.com",
            "azure_client_id": "00000000-0000-0000-0000-000000000001",
        },
    )
    orders = shop.add_service(
        "orders",
        image="ghcr.io/acme/orders:2.0.1", port=8080, health_check=health, depends_on=[postgres, payments],
        volumes=[Storage.config("config", mount_path="/etc/orders", files={"orders.yaml": "currency: EUR\nmaxItems: 50\n"})],
    )
    # A LoadBalancer where the target provisions one; elsewhere a route, or an Ingress without a Gateway API implementation.
    gateway = shop.add_service(
        "gateway",
        image="ghcr.io/acme/gateway:1.0.3", port=8080, component="gateway", health_check=health,
        depends_on=[catalog, orders],
        expose=Exposure.load_balancer()
        if target.props.load_balancer.support == LoadBalancerSupport.AVAILABLE
        else public_http("api.shop.example.com"),
    )
    shop.add_service(
        "web",
        image="ghcr.io/acme/web:2.3.0", port=8080, component="frontend", health_check=health,
        depends_on=[gateway], expose=public_http("shop.example.com"),
    )
    return shop


def example_target(target_id: str) -> Target:
    """Mirrors apps/targets.ts: the options the examples name where a profile needs them."""
    if target_id == "kubeadm":
        return Target.kubeadm(
            storage_class="local-path", ingress_class="traefik", ingress_controller_namespace="traefik",
            gateway_class="traefik", gateway_proxy_namespace="traefik",
            gateway_listener_ports=GatewayListenerPorts(http=8000, https=8443),
        )
    if target_id in ("docker-desktop", "kind", "minikube"):
        return Target.from_id(target_id, gateway_class="eg", gateway_proxy_namespace="envoy-gateway-system")
    if target_id == "rke2":
        return Target.rke2(storage_class="longhorn")
    return Target.from_id(target_id)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: shop.py OUT_DIR TARGET_ID...")
    # One process for every target: the jsii runtime starts once.
    for target_id in sys.argv[2:]:
        app = App()
        build_shop(app, example_target(target_id))
        pathlib.Path(sys.argv[1], f"{target_id}.yaml").write_text(app.synth_yaml(), encoding="utf-8")
