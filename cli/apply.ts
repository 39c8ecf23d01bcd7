import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLUSTER_SCOPED_KINDS } from '../lib/output/contract';
import { toYaml } from '../lib/yaml-writer';
import { DeployError, ExitCode } from './errors';
import { withHint } from './hints';
import { Kubectl } from './kubectl';
import { OutputSystem } from './output';

/** Field manager of every apply the deploy command makes. */
export const FIELD_MANAGER = 'cdk8s-msa';

/**
 * Existing namespace a dry run validates a system in when the system's own namespace does not
 * exist yet (see `apply`).
 */
export const STAND_IN_NAMESPACE = 'default';

function withTempFile<T>(text: string, run: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-msa-deploy-'));
  try {
    const file = path.join(dir, 'objects.yaml');
    fs.writeFileSync(file, text);
    return run(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Name of the ApplySet (a Secret in the system's namespace) that scopes pruning to one system. */
export function applySetName(system: OutputSystem): string {
  return `cdk8s-msa-${system.name}`;
}

/**
 * The `applyset.kubernetes.io/part-of` value kubectl stamps on members of this system's ApplySet
 * (KEP-3659: base64url of sha256("<name>.<namespace>.Secret.")). `kubectl diff` knows no
 * ApplySets, so diff adds the label itself; otherwise every object would show it as removed.
 */
export function applySetId(system: OutputSystem): string {
  const digest = createHash('sha256')
    .update(`${applySetName(system)}.${system.namespace}.Secret.`)
    .digest('base64url');
  return `applyset-${digest}-v1`;
}

const applyArgs = (dryRun: boolean, forceConflicts: boolean) => [
  'apply',
  '--server-side',
  `--field-manager=${FIELD_MANAGER}`,
  ...(dryRun ? ['--dry-run=server'] : []),
  ...(forceConflicts ? ['--force-conflicts'] : []),
];
const pruneArgs = (system: OutputSystem) => ['--prune', `--applyset=${applySetName(system)}`];

const isClusterScoped = (o: any) => CLUSTER_SCOPED_KINDS.includes(o.kind);
/**
 * Whether deploy applies an object within its system's ApplySet, where pruning can delete it:
 * not cluster-scoped objects, and not claims, whose deletion would take their volume's data
 * (a dynamically provisioned volume's reclaim policy is Delete).
 */
const inApplySet = (o: any) => !isClusterScoped(o) && o.kind !== 'PersistentVolumeClaim';

/** Options of `apply`. */
export interface ApplyOptions {
  /** Server-side dry run only. */
  readonly dryRun: boolean;
  /** Prune within each system's ApplySet. */
  readonly prune: boolean;
  /** Take back fields another field manager changed instead of failing on the conflict. */
  readonly forceConflicts: boolean;
}

/**
 * Applies an output: cluster-scoped objects first, then each system's PersistentVolumeClaims,
 * then its other objects in its namespace with its ApplySet.
 *
 * A dry run changes nothing, so on a fresh cluster the Namespace exists only for the length of its
 * own dry-run request, and every object inside it would fail with "namespaces … not found". A
 * system whose namespace is missing is therefore dry-run in STAND_IN_NAMESPACE instead, with
 * `metadata.namespace` rewritten and no pruning: the server still checks schemas (strictly),
 * defaulting, immutable fields and admission, but not the Pod Security labels of the namespace
 * that does not exist yet, and a same-named object already in the stand-in namespace is merged
 * with. The log says so for each such system.
 */
export function apply(
  kubectl: Kubectl,
  systems: OutputSystem[],
  options: ApplyOptions,
  log: (line: string) => void,
): void {
  requireOutsideNamespaces(kubectl, systems);
  const base = applyArgs(options.dryRun, options.forceConflicts);
  const clusterScoped = systems.flatMap((s) => s.objects.filter(isClusterScoped));
  if (clusterScoped.length > 0) {
    log(`applying ${clusterScoped.length} cluster-scoped object(s) first${options.dryRun ? ' (server dry run)' : ''}`);
    log(
      withTempFile(toYaml(clusterScoped), (file) =>
        kubectl.check('apply of cluster-scoped objects', [...base, '-f', file]),
      ).trim(),
    );
  }
  for (const system of systems) {
    const namespaced = system.objects.filter((o) => !isClusterScoped(o));
    if (options.dryRun && !namespaceExists(kubectl, system.namespace)) {
      log(
        `namespace ${system.namespace} does not exist yet: server dry run of ${namespaced.length} object(s) of system ${system.name} in stand-in namespace ${STAND_IN_NAMESPACE} (schema, defaults and admission checked; ${system.namespace}'s Pod Security labels apply once it exists)`,
      );
      const moved = namespaced.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: STAND_IN_NAMESPACE } }));
      log(
        withTempFile(toYaml(moved), (file) =>
          kubectl.check(`dry run of system ${system.name}`, [
            ...applyArgs(true, true),
            '-n',
            STAND_IN_NAMESPACE,
            '-f',
            file,
          ]),
        ).trim(),
      );
      continue;
    }
    // Applied first, so a claim an earlier deploy put in the ApplySet loses its membership label before anything is pruned.
    const claims = namespaced.filter((o) => !inApplySet(o));
    if (claims.length > 0) {
      log(
        `applying ${claims.length} PersistentVolumeClaim(s) of system ${system.name} outside the ApplySet: a claim that leaves the output is kept, with its data (delete it yourself)${options.dryRun ? ' (server dry run)' : ''}`,
      );
      log(
        withTempFile(toYaml(claims), (file) =>
          kubectl.check(`apply of the claims of system ${system.name}`, [...base, '-n', system.namespace, '-f', file]),
        ).trim(),
      );
    }
    if (!options.dryRun) handOverReplicas(kubectl, system, log);
    const rest = namespaced.filter(inApplySet);
    const prune = options.prune ? pruneArgs(system) : [];
    log(
      `applying ${rest.length} object(s) of system ${system.name} to namespace ${system.namespace}${options.prune ? ` (prune within ApplySet secret/${applySetName(system)})` : ''}${options.dryRun ? ' (server dry run)' : ''}`,
    );
    const out = withTempFile(toYaml(rest), (file) =>
      kubectl.check(
        `apply of system ${system.name}`,
        [...base, '-n', system.namespace, ...prune, '-f', file],
        undefined,
        { KUBECTL_APPLYSET: 'true' },
      ),
    );
    log(out.trim());
  }
}

/** Field manager that keeps the replica count of a Deployment an HPA has taken over. */
const REPLICAS_HANDOVER_MANAGER = 'cdk8s-msa-handover-to-hpa';

/**
 * Server-side apply removes a field its manager stops sending when no other manager owns it: a
 * Deployment that gains an HPA, whose manifest then leaves `replicas` out, would drop to the
 * default of 1 pod until the HPA scales it up again. So before the apply, the live count of each
 * such Deployment still owned by the deploy command is applied by another field manager, which
 * keeps it (Kubernetes, server-side apply: "Transferring ownership").
 */
function handOverReplicas(kubectl: Kubectl, system: OutputSystem, log: (line: string) => void): void {
  for (const deployment of system.objects.filter((o) => o.kind === 'Deployment' && o.spec?.replicas === undefined)) {
    const { name } = deployment.metadata;
    const text = kubectl.check(`reading Deployment ${name}`, [
      'get',
      'deployment',
      name,
      '-n',
      system.namespace,
      '-o',
      'json',
      '--show-managed-fields',
      '--ignore-not-found',
    ]);
    const live = text.trim() === '' ? undefined : JSON.parse(text);
    const ours = (live?.metadata?.managedFields ?? []).some(
      (f: any) =>
        f.manager === FIELD_MANAGER && f.operation === 'Apply' && f.fieldsV1?.['f:spec']?.['f:replicas'] !== undefined,
    );
    if (!ours || live.spec?.replicas === undefined) continue;
    const keep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: system.namespace },
      spec: { replicas: live.spec.replicas },
    };
    kubectl.check(
      `handing Deployment ${name}'s replicas over`,
      ['apply', '--server-side', `--field-manager=${REPLICAS_HANDOVER_MANAGER}`, '-f', '-'],
      toYaml([keep]),
    );
    log(
      `Deployment ${name}: its HPA takes over the replica count; ${live.spec.replicas} replica(s) kept until it scales`,
    );
  }
}

/**
 * Refuses, before anything is applied, a system whose namespace the output does not create
 * (`createNamespace: false`) and the cluster does not have: every object of it would fail.
 */
function requireOutsideNamespaces(kubectl: Kubectl, systems: OutputSystem[]): void {
  const creates = (s: OutputSystem) => s.objects.some((o) => o.kind === 'Namespace' && o.metadata.name === s.namespace);
  const missing = systems.filter((s) => !creates(s) && !namespaceExists(kubectl, s.namespace));
  if (missing.length > 0) {
    throw new DeployError(
      missing
        .map(
          (s) =>
            `namespace ${s.namespace} does not exist, and system ${s.name} does not create it (createNamespace: false): ` +
            `have it created first (on OpenShift: oc new-project ${s.namespace})`,
        )
        .join('\n'),
      ExitCode.REFUSED,
    );
  }
}

function namespaceExists(kubectl: Kubectl, namespace: string): boolean {
  return (
    kubectl
      .check(`looking up namespace ${namespace}`, [
        'get',
        'namespace',
        namespace,
        '--ignore-not-found',
        '-o',
        'name',
        '--request-timeout=15s',
      ])
      .trim() !== ''
  );
}

/**
 * Shows what deploy would change; returns true when there are differences. A system whose
 * namespace does not exist yet cannot be diffed by the server (the same "namespaces … not found"
 * as a dry run), and needs no diff: every one of its objects is new, and is listed as such.
 */
export function diff(
  kubectl: Kubectl,
  systems: OutputSystem[],
  options: Omit<ApplyOptions, 'dryRun'>,
  log: (line: string) => void,
): boolean {
  const withApplySetLabel = (system: OutputSystem, o: any) =>
    !options.prune || !inApplySet(o)
      ? o
      : {
          ...o,
          metadata: {
            ...o.metadata,
            labels: { ...o.metadata.labels, 'applyset.kubernetes.io/part-of': applySetId(system) },
          },
        };
  const fresh = systems.filter((s) => !namespaceExists(kubectl, s.namespace));
  for (const system of fresh) {
    const namespaced = system.objects.filter((o) => !isClusterScoped(o));
    log(
      `namespace ${system.namespace} does not exist yet: all ${namespaced.length} object(s) of system ${system.name} are new:\n${namespaced.map((o) => `+ ${o.kind}/${o.metadata.name}`).join('\n')}`,
    );
  }
  const all = systems.flatMap((s) =>
    s.objects.filter((o) => !fresh.includes(s) || isClusterScoped(o)).map((o) => withApplySetLabel(s, o)),
  );
  const result = withTempFile(toYaml(all), (file) =>
    kubectl.run([
      'diff',
      '--server-side',
      `--field-manager=${FIELD_MANAGER}`,
      ...(options.forceConflicts ? ['--force-conflicts'] : []),
      '-f',
      file,
    ]),
  );
  if (result.status > 1)
    throw new DeployError(
      withHint(
        `kubectl diff failed:\n${result.stderr.trim()}`,
        systems.length === 1 ? systems[0].namespace : undefined,
      ),
      ExitCode.FAILED,
    );
  if (result.status === 1) log(result.stdout.trimEnd());
  const pruned = options.prune
    ? systems.filter((s) => !fresh.includes(s)).map((s) => listPruned(kubectl, s, options.forceConflicts, log))
    : [];
  const changed = result.status === 1 || fresh.length > 0 || pruned.some((n) => n > 0);
  if (!changed) log('no differences');
  return changed;
}

/**
 * Lists what deploy's prune would delete from a system, and returns how many: `kubectl diff`
 * knows no ApplySets, so it never shows the objects that left the output. kubectl's own pruning
 * decides, in a server dry run of the ApplySet apply. That dry run is authorized like the real
 * apply (patch, list and delete rights); an identity that may only diff gets a note instead of a
 * failed diff. A claim in the output is never pruned, though an older deploy may have labelled it
 * a member: deploy applies claims outside the ApplySet first.
 */
function listPruned(
  kubectl: Kubectl,
  system: OutputSystem,
  forceConflicts: boolean,
  log: (line: string) => void,
): number {
  const members = system.objects.filter(inApplySet);
  const result = withTempFile(toYaml(members), (file) =>
    kubectl.run(
      [...applyArgs(true, forceConflicts), '-n', system.namespace, ...pruneArgs(system), '-f', file],
      undefined,
      { KUBECTL_APPLYSET: 'true' },
    ),
  );
  if (result.status !== 0) {
    log(
      `note: could not list what deploy's prune would delete from system ${system.name} (a server dry run of deploy's apply, which needs deploy's rights): ${result.stderr.trim().split('\n').pop()}`,
    );
    return 0;
  }
  const kept = new Set(
    system.objects
      .filter((o) => o.kind === 'PersistentVolumeClaim')
      .map((o) => `persistentvolumeclaim/${o.metadata.name}`),
  );
  const pruned = result.stdout
    .split('\n')
    .filter((line) => line.endsWith(' pruned (server dry run)'))
    .map((line) => line.split(' ')[0])
    .filter((o) => !kept.has(o));
  if (pruned.length > 0) {
    log(
      `deploy would delete ${pruned.length} object(s) of system ${system.name} that left the output (prune within ApplySet secret/${applySetName(system)}):\n${pruned.map((o) => `- ${o}`).join('\n')}`,
    );
  }
  return pruned.length;
}
