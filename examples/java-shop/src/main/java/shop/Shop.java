// The example shop of apps/shop.ts, written in Java against the jsii-generated Maven package, so
// that `npm run test:java` can compare its YAML with the TypeScript app's byte for byte.
//
//   java -cp ... shop.Shop OUT_DIR TARGET_ID...   (writes OUT_DIR/TARGET_ID.yaml for each target)
package shop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.cdk8s.App;
import org.cdk8s.Size;
import software.constructs.Construct;

import local.cdk8smsa.AutoscalingOptions;
import local.cdk8smsa.ConfigStorageOptions;
import local.cdk8smsa.Dependency;
import local.cdk8smsa.EnvVar;
import local.cdk8smsa.EphemeralStorageOptions;
import local.cdk8smsa.Exposure;
import local.cdk8smsa.ExternalDependencyOptions;
import local.cdk8smsa.GatewayListenerPorts;
import local.cdk8smsa.GatewayProfile;
import local.cdk8smsa.HealthCheck;
import local.cdk8smsa.IngressExposureOptions;
import local.cdk8smsa.LoadBalancerSupport;
import local.cdk8smsa.Microservice;
import local.cdk8smsa.MicroserviceProps;
import local.cdk8smsa.MicroserviceSystem;
import local.cdk8smsa.PersistentStorageOptions;
import local.cdk8smsa.ResourceQuantities;
import local.cdk8smsa.Resources;
import local.cdk8smsa.RouteExposureOptions;
import local.cdk8smsa.SecretStorageOptions;
import local.cdk8smsa.Storage;
import local.cdk8smsa.Target;
import local.cdk8smsa.TargetOptions;
import local.cdk8smsa.WorkloadIdentity;

public final class Shop {
    static MicroserviceSystem buildShop(Construct scope, Target target) {
        MicroserviceSystem shop = MicroserviceSystem.Builder.create(scope, "shop")
                .target(target).secrets(List.of("postgres-credentials")).build();
        HealthCheck health = HealthCheck.http("/healthz");
        // A Gateway API route where the target has an implementation (the recommended way in); an Ingress elsewhere.
        GatewayProfile gatewayProfile = target.getProps().getGateway();
        Function<String, Exposure> publicHttp = host -> gatewayProfile != null && gatewayProfile.getClassName() != null
                ? Exposure.route(RouteExposureOptions.builder().host(host).build())
                : Exposure.ingress(IngressExposureOptions.builder().host(host).build());

        Microservice postgres = shop.addService("postgres", MicroserviceProps.builder()
                .image("postgres:16.4-alpine").port(5432).portName("postgres").component("database")
                .healthCheck(HealthCheck.command(List.of("pg_isready", "-U", "shop")))
                .env(Map.of(
                        "POSTGRES_USER", EnvVar.fromValue("shop"),
                        "POSTGRES_PASSWORD_FILE", EnvVar.fromValue("/etc/postgres-credentials/password"),
                        "PGDATA", EnvVar.fromValue("/var/lib/postgresql/data/pgdata")))
                .resources(Resources.builder()
                        .cpu(ResourceQuantities.builder().request("250m").limit("1").build())
                        .memory(ResourceQuantities.builder().request("512Mi").limit("1Gi").build()).build())
                .volumes(List.of(
                        Storage.persistent("data", PersistentStorageOptions.builder()
                                .mountPath("/var/lib/postgresql/data").size(Size.gibibytes(10)).build()),
                        Storage.ephemeral("run", EphemeralStorageOptions.builder()
                                .mountPath("/var/run/postgresql").sizeLimit(Size.mebibytes(16)).build()),
                        Storage.secret("credentials", SecretStorageOptions.builder()
                                .secretName("postgres-credentials").mountPath("/etc/postgres-credentials").build())))
                .build());
        Microservice catalog = shop.addService("catalog", MicroserviceProps.builder()
                .image("ghcr.io/acme/catalog:1.4.2").port(8080).healthCheck(health).dependsOn(List.of(postgres))
                .autoscaling(AutoscalingOptions.builder().minReplicas(2).maxReplicas(10).cpuUtilization(70).build())
                .build());
        Microservice payments = shop.addService("payments", MicroserviceProps.builder()
                .image("ghcr.io/acme/payments:3.1.0").port(8080).healthCheck(health)
                .dependsOn(List.of(Dependency.external("payment-provider",
                        ExternalDependencyOptions.builder().host("api.payments.example.com").port(443).build())))
                .identity(WorkloadIdentity.builder()
                        .awsRoleArn("arn:aws:iam::123456789012:role/shop-payments")
                        .gcpServiceAccount("shop-payments@acme-shop.iam.gserviceaccount.com")
                        .azureClientId("00000000-0000-0000-0000-000000000001").build())
                .build());
        Microservice orders = shop.addService("orders", MicroserviceProps.builder()
                .image("ghcr.io/acme/orders:2.0.1").port(8080).healthCheck(health).dependsOn(List.of(postgres, payments))
                .volumes(List.of(Storage.config("config", ConfigStorageOptions.builder()
                        .mountPath("/etc/orders").files(Map.of("orders.yaml", "currency: EUR\nmaxItems: 50\n")).build())))
                .build());
        // A LoadBalancer where the target provisions one; elsewhere a route, or an Ingress without a Gateway API implementation.
        Exposure gatewayExposure = target.getProps().getLoadBalancer().getSupport() == LoadBalancerSupport.AVAILABLE
                ? Exposure.loadBalancer()
                : publicHttp.apply("api.shop.example.com");
        Microservice gateway = shop.addService("gateway", MicroserviceProps.builder()
                .image("ghcr.io/acme/gateway:1.0.3").port(8080).component("gateway").healthCheck(health)
                .dependsOn(List.of(catalog, orders)).expose(gatewayExposure)
                .build());
        shop.addService("web", MicroserviceProps.builder()
                .image("ghcr.io/acme/web:2.3.0").port(8080).component("frontend").healthCheck(health)
                .dependsOn(List.of(gateway)).expose(publicHttp.apply("shop.example.com"))
                .build());
        return shop;
    }

    /** Mirrors apps/targets.ts: the options the examples name where a profile needs them. */
    static Target exampleTarget(String id) {
        switch (id) {
            case "kubeadm":
                return Target.kubeadm(TargetOptions.builder()
                        .storageClass("local-path").ingressClass("traefik").ingressControllerNamespace("traefik")
                        .gatewayClass("traefik").gatewayProxyNamespace("traefik")
                        .gatewayListenerPorts(GatewayListenerPorts.builder().http(8000).https(8443).build()).build());
            case "docker-desktop":
            case "kind":
            case "minikube":
                return Target.fromId(id, TargetOptions.builder()
                        .gatewayClass("eg").gatewayProxyNamespace("envoy-gateway-system").build());
            case "rke2":
                return Target.rke2(TargetOptions.builder().storageClass("longhorn").build());
            default:
                return Target.fromId(id);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: Shop OUT_DIR TARGET_ID...");
            System.exit(2);
        }
        // One process for every target: the jsii runtime starts once.
        for (String id : List.of(args).subList(1, args.length)) {
            App app = new App();
            buildShop(app, exampleTarget(id));
            Files.writeString(Path.of(args[0], id + ".yaml"), app.synthYaml(), StandardCharsets.UTF_8);
        }
    }
}
