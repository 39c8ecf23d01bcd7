// The example shop of apps/shop.ts, written in Go against the jsii-generated bindings, so that
// `npm run test:go` can compare its YAML with the TypeScript app's byte for byte.
//
//	go run . OUT_DIR TARGET_ID...   (writes OUT_DIR/TARGET_ID.yaml for each target)
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"

	msa "cdk8s-msa.local/go/cdk8smsa"
)

func buildShop(app cdk8s.App, target msa.Target) msa.MicroserviceSystem {
	// A Gateway API route where the target has an implementation (the recommended way in); an Ingress elsewhere.
	publicHttp := func(host string) msa.Exposure {
		if target.GatewayClass(jsii.Bool(false)) != nil {
			return msa.Exposure_Route(&msa.RouteExposureOptions{Host: jsii.String(host)})
		}
		return msa.Exposure_Ingress(&msa.IngressExposureOptions{Host: jsii.String(host)})
	}
	shop := msa.NewMicroserviceSystem(app, jsii.String("shop"), &msa.MicroserviceSystemProps{Target: target, Secrets: jsii.Strings("postgres-credentials")})
	health := msa.HealthCheck_Http(jsii.String("/healthz"), nil)

	postgres := shop.AddService(jsii.String("postgres"), &msa.MicroserviceProps{
		Image: jsii.String("postgres:16.4-alpine"), Port: jsii.Number(5432), PortName: jsii.String("postgres"), Component: jsii.String("database"),
		HealthCheck: msa.HealthCheck_Command(jsii.Strings("pg_isready", "-U", "shop"), nil),
		Env: &map[string]msa.EnvVar{
			"POSTGRES_USER":          msa.EnvVar_FromValue(jsii.String("shop")),
			"POSTGRES_PASSWORD_FILE": msa.EnvVar_FromValue(jsii.String("/etc/postgres-credentials/password")),
			"PGDATA":                 msa.EnvVar_FromValue(jsii.String("/var/lib/postgresql/data/pgdata")),
		},
		Resources: &msa.Resources{
			Cpu:    &msa.ResourceQuantities{Request: jsii.String("250m"), Limit: jsii.String("1")},
			Memory: &msa.ResourceQuantities{Request: jsii.String("512Mi"), Limit: jsii.String("1Gi")},
		},
		Volumes: &[]msa.Storage{
			msa.Storage_Persistent(jsii.String("data"), &msa.PersistentStorageOptions{MountPath: jsii.String("/var/lib/postgresql/data"), Size: cdk8s.Size_Gibibytes(jsii.Number(10))}),
			msa.Storage_Ephemeral(jsii.String("run"), &msa.EphemeralStorageOptions{MountPath: jsii.String("/var/run/postgresql"), SizeLimit: cdk8s.Size_Mebibytes(jsii.Number(16))}),
			msa.Storage_Secret(jsii.String("credentials"), &msa.SecretStorageOptions{SecretName: jsii.String("postgres-credentials"), MountPath: jsii.String("/etc/postgres-credentials")}),
		},
	})
	catalog := shop.AddService(jsii.String("catalog"), &msa.MicroserviceProps{
		Image: jsii.String("ghcr.io/acme/catalog:1.4.2"), Port: jsii.Number(8080), HealthCheck: health, DependsOn: &[]msa.IDependency{postgres},
		Autoscaling: &msa.AutoscalingOptions{MinReplicas: jsii.Number(2), MaxReplicas: jsii.Number(10), CpuUtilization: jsii.Number(70)},
	})
	payments := shop.AddService(jsii.String("payments"), &msa.MicroserviceProps{
		Image: jsii.String("ghcr.io/acme/payments:3.1.0"), Port: jsii.Number(8080), HealthCheck: health,
		DependsOn: &[]msa.IDependency{msa.Dependency_External(jsii.String("payment-provider"), &msa.ExternalDependencyOptions{Host: jsii.String("api.payments.example.com"), Port: jsii.Number(443)})},
		Identity:  &msa.WorkloadIdentity{AwsRoleArn: jsii.String("arn:aws:iam::123456789012:role/shop-payments"), GcpServiceAccount: jsii.String("shop-payments@acme-shop.iam.gserviceaccount.com"), AzureClientId: jsii.String("00000000-0000-0000-0000-000000000001")},
	})
	orders := shop.AddService(jsii.String("orders"), &msa.MicroserviceProps{
		Image: jsii.String("ghcr.io/acme/orders:2.0.1"), Port: jsii.Number(8080), HealthCheck: health, DependsOn: &[]msa.IDependency{postgres, payments},
		Volumes: &[]msa.Storage{msa.Storage_Config(jsii.String("config"), &msa.ConfigStorageOptions{MountPath: jsii.String("/etc/orders"), Files: &map[string]*string{"orders.yaml": jsii.String("currency: EUR\nmaxItems: 50\n")}})},
	})
	// A LoadBalancer where the target provisions one; elsewhere a route, or an Ingress without a Gateway API implementation.
	expose := publicHttp("api.shop.example.com")
	if target.LoadBalancerSupport() == msa.LoadBalancerSupport_AVAILABLE {
		expose = msa.Exposure_LoadBalancer(nil)
	}
	gateway := shop.AddService(jsii.String("gateway"), &msa.MicroserviceProps{
		Image: jsii.String("ghcr.io/acme/gateway:1.0.3"), Port: jsii.Number(8080), Component: jsii.String("gateway"), HealthCheck: health,
		DependsOn: &[]msa.IDependency{catalog, orders}, Expose: expose,
	})
	shop.AddService(jsii.String("web"), &msa.MicroserviceProps{
		Image: jsii.String("ghcr.io/acme/web:2.3.0"), Port: jsii.Number(8080), Component: jsii.String("frontend"), HealthCheck: health,
		DependsOn: &[]msa.IDependency{gateway}, Expose: publicHttp("shop.example.com"),
	})
	return shop
}

// exampleTarget mirrors apps/targets.ts: the options the examples name where a profile needs them.
func exampleTarget(id string) msa.Target {
	switch id {
	case "kubeadm":
		return msa.Target_Kubeadm(&msa.TargetOptions{StorageClass: jsii.String("local-path"), IngressClass: jsii.String("traefik"), IngressControllerNamespace: jsii.String("traefik"), GatewayClass: jsii.String("traefik"), GatewayProxyNamespace: jsii.String("traefik"), GatewayListenerPorts: &msa.GatewayListenerPorts{Http: jsii.Number(8000), Https: jsii.Number(8443)}})
	case "docker-desktop", "kind", "minikube":
		return msa.Target_FromId(jsii.String(id), &msa.TargetOptions{GatewayClass: jsii.String("eg"), GatewayProxyNamespace: jsii.String("envoy-gateway-system")})
	case "rke2":
		return msa.Target_Rke2(&msa.TargetOptions{StorageClass: jsii.String("longhorn")})
	}
	return msa.Target_FromId(jsii.String(id), nil)
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: go-shop OUT_DIR TARGET_ID...")
		os.Exit(2)
	}
	// One process for every target: the jsii runtime starts once.
	for _, id := range os.Args[2:] {
		app := cdk8s.NewApp(nil)
		buildShop(app, exampleTarget(id))
		if err := os.WriteFile(filepath.Join(os.Args[1], id+".yaml"), []byte(*app.SynthYaml()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
