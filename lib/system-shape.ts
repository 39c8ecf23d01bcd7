import { Shape } from './checks';
import { PodSecurityLevel } from './pod/pod-security';

/** The JavaScript shape of each system prop. */
export const SYSTEM_PROPS: { readonly [prop: string]: Shape } = {
  namespace: 'a string',
  name: 'a string',
  target: 'a Target',
  podSecurity: { oneOf: Object.values(PodSecurityLevel), example: 'PodSecurityLevel.BASELINE' },
  createNamespace: 'a boolean',
  secrets: { items: 'a string' },
  imagePullSecrets: { items: 'a string' },
  configMaps: { items: 'a string' },
  labels: { values: 'a string' },
};
