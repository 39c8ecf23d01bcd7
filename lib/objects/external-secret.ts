import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { checkConfigMapKey, checkDnsSubdomain, checkWholeSeconds, MAX_INT32, problems } from '../checks';
import { findSystem } from '../contracts';
import { addChecks, atPath, Findings, formatProblem, MsaConfigError, Problem } from '../errors';
import { LABEL, MANAGED_BY } from '../labels';
import { problem } from '../messages';
import { markProduces } from '../pod/kplus';
import { later, newApiObject } from './api-object';

/** Which kind of store the platform's External Secrets Operator reads. */
export enum SecretStoreKind {
  /** A `SecretStore` in the system's namespace. */
  SECRET_STORE = 'SecretStore',
  /** A cluster-wide `ClusterSecretStore`. */
  CLUSTER_SECRET_STORE = 'ClusterSecretStore',
}

/** One key of the Secret, copied from the secret store. */
export interface ExternalSecretKey {
  /** Key in the Secret (what `EnvVar.fromSecret(name, key)` reads). */
  readonly secretKey: string;
  /** The secret in the store: its name or path, as the store names it (`prod/shop/db`). */
  readonly remoteKey: string;
  /** The property of a structured (JSON) remote secret. @default - the whole value */
  readonly property?: string;
  /** Version of the remote secret. @default - the current one */
  readonly version?: string;
}

/** Props of an ExternalSecret. */
export interface ExternalSecretProps {
  /** Name of the Secret it writes, and of the ExternalSecret. @default - the construct id */
  readonly name?: string;
  /** Name of the SecretStore or ClusterSecretStore the platform provides. */
  readonly store: string;
  /** Kind of that store. @default SecretStoreKind.CLUSTER_SECRET_STORE */
  readonly storeKind?: SecretStoreKind;
  /** The keys of the Secret and where each comes from. */
  readonly keys: ExternalSecretKey[];
  /** How often the operator copies the values again. @default Duration.hours(1) */
  readonly refreshInterval?: Duration;
}

/**
 * A Secret synced from a secret store by the External Secrets Operator (external-secrets.io/v1):
 * the `ExternalSecret` names the platform's store and the keys to copy, and the operator writes
 * the Secret of `secretName` into the system's namespace. Workloads read it by that name as a
 * Secret this app writes: it need not be listed in the system's `secrets`.
 */
export class ExternalSecret extends Construct {
  /** Name of the Secret the operator writes. */
  public readonly secretName: string;
  /** The ExternalSecret object. */
  public readonly externalSecretObject: ApiObject;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    const system = findSystem(scope);
    if (!system)
      throw new MsaConfigError([
        atPath(this, formatProblem(problem('external-secret.outside-system', 'scope', scope.node.path || 'the app'))),
      ]);
    this.secretName = props.name ?? id;
    this.externalSecretObject = newApiObject(
      this,
      'ExternalSecret',
      { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret' },
      {
        name: this.secretName,
        labels: { [LABEL.PART_OF]: system.systemName, [LABEL.MANAGED_BY]: MANAGED_BY },
      },
      {
        // Rendered at synth, after the checks: a bad interval is a problem, not a crash.
        spec: later(() => ({
          refreshInterval: `${(props.refreshInterval ?? Duration.hours(1)).toSeconds()}s`,
          secretStoreRef: { name: props.store, kind: props.storeKind ?? SecretStoreKind.CLUSTER_SECRET_STORE },
          target: { name: this.secretName, creationPolicy: 'Owner' },
          data: (props.keys ?? []).map((k) => ({
            secretKey: k.secretKey,
            remoteRef: {
              key: k.remoteKey,
              ...(k.property === undefined ? {} : { property: k.property }),
              ...(k.version === undefined ? {} : { version: k.version }),
            },
          })),
        })),
      },
    );
    markProduces(this.externalSecretObject, 'Secret', this.secretName);
    addChecks(this, () => externalSecretFindings(this.secretName, props));
  }
}

/** What is wrong with an ExternalSecret's props. */
function externalSecretFindings(name: string, props: ExternalSecretProps): Findings {
  const found: Problem[] = problems(
    checkDnsSubdomain(props.name === undefined ? 'id' : 'name', name),
    checkDnsSubdomain('store', props.store),
    props.refreshInterval === undefined
      ? undefined
      : checkWholeSeconds('refreshInterval', props.refreshInterval, 0, MAX_INT32, 'e.g. Duration.hours(1)'),
  );
  const keys = Array.isArray(props.keys) ? props.keys : [];
  if (keys.length === 0) found.push(problem('external-secret.no-keys', 'keys', props.keys));
  const seen = new Set<string>();
  keys.forEach((key, i) => {
    found.push(...problems(checkConfigMapKey(`keys[${i}].secretKey`, key.secretKey)));
    if (seen.has(key.secretKey))
      found.push(problem('external-secret.duplicate-key', `keys[${i}].secretKey`, key.secretKey));
    seen.add(key.secretKey);
    if (typeof key.remoteKey !== 'string' || key.remoteKey.trim() === '')
      found.push(problem('external-secret.remote-key', `keys[${i}].remoteKey`, key.remoteKey));
  });
  return { problems: found, warnings: [] };
}
