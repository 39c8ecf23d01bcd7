/** Pod Security Standards level a system's namespace enforces, warns and audits. */
export enum PodSecurityLevel {
  /** Hardened: non-root, no privilege escalation, capabilities dropped, seccomp. The default. */
  RESTRICTED = 'restricted',
  /** Prevents known privilege escalations; allows e.g. root users and added capabilities. */
  BASELINE = 'baseline',
  /** Unrestricted. */
  PRIVILEGED = 'privileged',
}
