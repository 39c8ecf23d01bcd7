import { DEFAULT_USER_ID } from '../defaults';
import { Problem } from '../errors';
import { problem } from '../messages';

/**
 * Relaxations of the restricted security defaults, per workload. Anything that breaks the
 * system's Pod Security level is rejected at synth.
 */
export interface SecurityOptions {
  /** Mount the root filesystem read-only (a writable emptyDir is mounted at /tmp). @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /** User id. @default 10001 (omitted on targets that assign ids, such as OpenShift) */
  readonly runAsUser?: number;
  /** Group id. @default 10001 (omitted on targets that assign ids) */
  readonly runAsGroup?: number;
  /** Group owning mounted volumes. @default 10001 (omitted on targets that assign ids) */
  readonly fsGroup?: number;
  /** Capabilities to add after dropping ALL; restricted allows only NET_BIND_SERVICE. @default - none */
  readonly addCapabilities?: string[];
  /** Allow privilege escalation (setuid binaries); not allowed under restricted. @default false */
  readonly allowPrivilegeEscalation?: boolean;
}

/** The securityContext of one container: restricted unless relaxed. */
export function containerSecurityContext(security: SecurityOptions, fixedIds: boolean): { [key: string]: unknown } {
  return {
    allowPrivilegeEscalation: security.allowPrivilegeEscalation ?? false,
    privileged: false,
    readOnlyRootFilesystem: security.readOnlyRootFilesystem ?? true,
    runAsNonRoot: true,
    ...(fixedIds
      ? { runAsUser: security.runAsUser ?? DEFAULT_USER_ID, runAsGroup: security.runAsGroup ?? DEFAULT_USER_ID }
      : {}),
    capabilities: { drop: ['ALL'], ...(security.addCapabilities ? { add: security.addCapabilities } : {}) },
  };
}

/** The pod-level securityContext. */
export function podSecurityContext(security: SecurityOptions, fixedIds: boolean): { [key: string]: unknown } {
  return {
    runAsNonRoot: true,
    ...(fixedIds
      ? {
          runAsUser: security.runAsUser ?? DEFAULT_USER_ID,
          runAsGroup: security.runAsGroup ?? DEFAULT_USER_ID,
          fsGroup: security.fsGroup ?? DEFAULT_USER_ID,
        }
      : {}),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Problems of security ids that need only the props. */
export function securityIdProblems(security: SecurityOptions, prefix = 'security'): Problem[] {
  const found: Problem[] = [];
  for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    const value = security[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      found.push(problem('security.id-range', `${prefix}.${key}`, value));
    }
  }
  return found;
}

/** Relaxations the Pod Security level "restricted" does not admit. */
export function restrictedViolations(security: SecurityOptions, prefix = 'security'): Problem[] {
  const found: Problem[] = [];
  if (security.allowPrivilegeEscalation) {
    found.push(problem('security.privilege-escalation', `${prefix}.allowPrivilegeEscalation`, true));
  }
  for (const cap of security.addCapabilities ?? []) {
    if (cap !== 'NET_BIND_SERVICE') {
      found.push(problem('security.capability', `${prefix}.addCapabilities`, cap));
    }
  }
  return found;
}
