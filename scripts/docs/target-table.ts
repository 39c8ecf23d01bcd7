/**
 * The README's and docs/targets.md's table of what each built-in target emits, rendered from the
 * profiles themselves, so the table cannot drift from the code. `npm run docs` writes it between
 * the markers; `npm run docs:check` (with `--check`) fails when a file holds another table.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GatewayDataPlane, IdentityMechanism, LoadBalancerSupport, RouteBackendObject, Target } from '../../lib';

const START = '<!-- target-table:start (generated from lib/targets/profiles.ts by npm run docs) -->';
const END = '<!-- target-table:end -->';
const FILES = ['README.md', 'docs/targets.md'];

const code = (text: string) => `\`${text}\``;

function storage(target: Target): string {
  const s = target.props.storage;
  if (s.storageClass) return `${code(s.storageClass)}${target.provisionedStorageClass ? ', StorageClass emitted' : ''}`;
  return s.classRequired ? 'none: name yours (`storageClass`)' : "the cluster's default class";
}

function readWriteMany(target: Target): string {
  const s = target.props.storage;
  return s.readWriteManyClass ? code(s.readWriteManyClass) : s.classRequired ? 'name yours' : 'no';
}

function loadBalancer(target: Target): string {
  const lb = target.props.loadBalancer;
  switch (lb.support) {
    case LoadBalancerSupport.AVAILABLE:
      return [
        lb.loadBalancerClass ? code(lb.loadBalancerClass) : 'yes',
        lb.publicAnnotations?.['service.beta.kubernetes.io/aws-load-balancer-nlb-target-type'] === 'ip'
          ? 'IP targets'
          : '',
        lb.internalAnnotations ? 'internal by annotation' : '',
      ]
        .filter(Boolean)
        .join(', ');
    case LoadBalancerSupport.NODE_PORT_FALLBACK:
      return 'NodePort + warning';
    default:
      return 'none: an error';
  }
}

function ingress(target: Target): string {
  const i = target.props.ingress;
  const name = i.classAnnotation
    ? `annotation ${code(`kubernetes.io/ingress.class: ${i.classAnnotation}`)}`
    : i.className
      ? code(i.className)
      : undefined;
  if (!name) return 'none: name yours (`ingressClass`)';
  return [
    name,
    i.healthCheckAnnotations ? 'readiness path as health check' : '',
    i.hostRequired ? 'host required' : '',
    i.schemeFromClass ? 'internal needs `internalIngressClass`' : '',
    i.onRequestOnly
      ? 'support ended: only named (`ingressClass`), with a warning'
      : i.retiredInFavourOf
        ? 'retiring: warning'
        : '',
  ]
    .filter(Boolean)
    .join(', ');
}

function gateway(target: Target): string {
  const className = target.gatewayClass(false);
  if (!className && target.gatewayDataPlane === undefined)
    return 'class you name (`gatewayClass`), or a platform Gateway';
  const plane = {
    [GatewayDataPlane.CLOUD_LOAD_BALANCER]: 'cloud load balancer to pod IPs',
    [GatewayDataPlane.BESIDE_GATEWAY]: 'proxies beside each Gateway',
    [GatewayDataPlane.SHARED_PROXIES]: 'shared proxies',
  }[target.gatewayDataPlane ?? GatewayDataPlane.CLOUD_LOAD_BALANCER];
  const ports = target.gatewayListenerPorts;
  const backend = {
    [RouteBackendObject.NONE]: '',
    [RouteBackendObject.AWS_TARGET_GROUP_CONFIGURATION]: 'a TargetGroupConfiguration per routed Service',
    [RouteBackendObject.GKE_HEALTH_CHECK_POLICY]: 'a HealthCheckPolicy per routed Service',
  }[target.routeBackendObject];
  return [
    className ? code(className) : 'a platform Gateway (`GatewayReference.shared`)',
    target.gatewayClass(true) ? `internal ${code(target.gatewayClass(true)!)}` : '',
    plane,
    ports.http === 80 && ports.https === 443 ? '' : `listeners on ${ports.http}/${ports.https}`,
    backend,
  ]
    .filter(Boolean)
    .join(', ');
}

function identity(target: Target): string {
  return {
    [IdentityMechanism.NONE]: '–',
    [IdentityMechanism.AWS_IRSA]: 'IRSA annotation',
    [IdentityMechanism.AWS_POD_IDENTITY]: 'Pod Identity (nothing in-cluster)',
    [IdentityMechanism.GCP_WORKLOAD_IDENTITY]: 'GSA annotation',
    [IdentityMechanism.AZURE_WORKLOAD_IDENTITY]: 'client-id annotation + pod label',
  }[target.identity];
}

function other(target: Target): string {
  const rules = target.props.resourceRules;
  return (
    [
      target.local ? 'IfNotPresent' : '',
      target.zones ? 'zone spread' : '',
      target.fixedUserIds ? '' : 'no fixed uid/gid/fsGroup',
      rules
        ? `resource rules (≥${rules.minCpuMillis}m, ≥${rules.minMemoryMebibytes}Mi, ${rules.minMemoryPerCpuGibibytes}–${rules.maxMemoryPerCpuGibibytes} GiB/vCPU)`
        : '',
      target.props.storage.minimumSize ? `volumes ≥${target.props.storage.minimumSize.asString()}` : '',
    ]
      .filter(Boolean)
      .join(', ') || '–'
  );
}

/** The table, one row per built-in target. */
export function targetTable(): string {
  const header = [
    'id',
    'PVC StorageClass',
    'RWX',
    'LoadBalancer',
    'Ingress',
    'Gateway API (`Exposure.route`)',
    'Identity',
    'Other',
  ];
  const rows = Target.all().map((t) => [
    code(t.id),
    storage(t),
    readWriteMany(t),
    loadBalancer(t),
    ingress(t),
    gateway(t),
    identity(t),
    other(t),
  ]);
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** `text` with the table between the markers replaced by `table`; throws where the markers are missing. */
export function withTable(text: string, table: string, file: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file}: the markers ${START} … ${END} are missing`);
  return `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`;
}

if (require.main === module) {
  const repo = path.resolve(__dirname, '../../..');
  const check = process.argv.includes('--check');
  const table = targetTable();
  let stale = false;
  for (const file of FILES) {
    const full = path.join(repo, file);
    const text = fs.readFileSync(full, 'utf8');
    const updated = withTable(text, table, file);
    if (updated === text) continue;
    if (check) {
      process.stderr.write(`${file}: the target table is not the profiles' (run npm run docs)\n`);
      stale = true;
    } else fs.writeFileSync(full, updated);
  }
  if (stale) process.exit(1);
}
