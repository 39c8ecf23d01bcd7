import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/**
 * The honest baseline: the reference system written the way a cdk8s-plus-27 user writes it, with
 * its L2 constructs — per service a Deployment (probes, resources, security context, a PVC-backed
 * volume and /tmp), `exposeViaService` as a LoadBalancer, a 1Gi ReadWriteMany PVC, a CPU HPA, a
 * ServiceAccount, an ingress NetworkPolicy and a PodDisruptionBudget (L1: cdk8s-plus-27 has no L2
 * one); per system a Namespace, a default-deny and an allow-DNS NetworkPolicy. Synthesized by
 * cdk8s's own `app.synth()`. Not byte-identical to the library's output (cdk8s-plus-27 chooses its
 * own labels and defaults): the benchmark checks it emits the same kinds, as many of each.
 */
const [services, outdir] = [Number(process.argv[2]), process.argv[3]];
const app = new App({ outdir });
const chart = new Chart(app, 'bench', { namespace: 'bench' });
new kplus.Namespace(chart, 'namespace', { metadata: { name: 'bench' } });
const everyPod = kplus.Pods.all(chart, 'every-pod');
new kplus.NetworkPolicy(chart, 'default-deny', {
  metadata: { name: 'default-deny' },
  selector: everyPod,
  ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
});
const dns = new kplus.NetworkPolicy(chart, 'allow-dns', { metadata: { name: 'allow-dns' }, selector: everyPod });
dns.addEgressRule(
  kplus.Pods.select(chart, 'kube-dns', {
    labels: { 'k8s-app': 'kube-dns' },
    namespaces: kplus.Namespaces.select(chart, 'kube-system', { names: ['kube-system'] }),
  }),
  [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)],
);

for (let i = 0; i < services; i++) {
  const name = `svc-${i}`;
  const serviceAccount = new kplus.ServiceAccount(chart, `${name}-sa`, { metadata: { name }, automountToken: false });
  const claim = new kplus.PersistentVolumeClaim(chart, `${name}-data`, {
    metadata: { name: `${name}-data` },
    storage: Size.gibibytes(1),
    accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_MANY],
  });
  const deployment = new kplus.Deployment(chart, name, {
    metadata: { name },
    serviceAccount,
    automountServiceAccountToken: false,
    securityContext: { user: 10001, group: 10001, fsGroup: 10001, ensureNonRoot: true },
  });
  const container = deployment.addContainer({
    name,
    image: 'ghcr.io/acme/svc:1.0.0',
    portNumber: 8080,
    resources: {
      cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
      memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
      ephemeralStorage: { limit: Size.gibibytes(1) }, // cdk8s-plus-27 writes it in whole Gi
    },
    readiness: kplus.Probe.fromTcpSocket({
      port: 8080,
      periodSeconds: Duration.seconds(10),
      failureThreshold: 2,
      timeoutSeconds: Duration.seconds(2),
    }),
    startup: kplus.Probe.fromTcpSocket({
      port: 8080,
      periodSeconds: Duration.seconds(2),
      failureThreshold: 60,
      timeoutSeconds: Duration.seconds(2),
    }),
    securityContext: {
      user: 10001,
      group: 10001,
      ensureNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
    },
  });
  container.mount('/tmp', kplus.Volume.fromEmptyDir(chart, `${name}-tmp`, 'tmp'));
  container.mount(
    '/data',
    kplus.Volume.fromPersistentVolumeClaim(chart, `${name}-data-volume`, claim, { name: 'data' }),
  );
  deployment.exposeViaService({
    name,
    serviceType: kplus.ServiceType.LOAD_BALANCER,
    ports: [{ port: 8080, targetPort: 8080, name: 'http' }],
  });
  new kplus.HorizontalPodAutoscaler(chart, `${name}-hpa`, {
    metadata: { name },
    target: deployment,
    minReplicas: 2,
    maxReplicas: 5,
    metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
  });
  const policy = new kplus.NetworkPolicy(chart, `${name}-policy`, { metadata: { name }, selector: deployment });
  policy.addIngressRule(kplus.Pods.all(chart, `${name}-any-pod`), [kplus.NetworkPolicyPort.tcp(8080)]);
  new kplus.k8s.KubePodDisruptionBudget(chart, `${name}-pdb`, {
    metadata: { name },
    spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: deployment.matchLabels } },
  });
}
app.synth();
