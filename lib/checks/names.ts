import { Problem } from '../errors';
import { problem } from '../messages';

/**
 * Name rules, each taken from Kubernetes itself:
 * k8s.io/apimachinery/pkg/util/validation/validation.go and pkg/api/validate/content/{dns,kube,path,identifier}.go.
 * One checker per kind of name; each message names the rule it applies.
 */

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL}$`);
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);
const DNS1035_LABEL_RE = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE_RE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const RELAXED_ENV_NAME_RE = /^[\x20-\x3c\x3e-\x7e]+$/;
const CONFIG_KEY_RE = /^[-._a-zA-Z0-9]+$/;
const PORT_NAME_CHARS_RE = /^[-a-z0-9]+$/;

/** Longest DNS-1123 / DNS-1035 label (RFC 1123 §2.1). */
export const DNS_LABEL_MAX_LENGTH = 63;
/** Longest DNS-1123 subdomain, and longest ConfigMap key. */
export const DNS_SUBDOMAIN_MAX_LENGTH = 253;
/** Longest label value. */
export const LABEL_VALUE_MAX_LENGTH = 63;

/** `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`, at most 63 characters: the test behind {@link checkDnsLabel}. */
export function isDnsLabel(value: string): boolean {
  return value.length <= DNS_LABEL_MAX_LENGTH && DNS1123_LABEL_RE.test(value);
}

/** Dot-separated DNS-1123 labels, at most 253 characters: the test behind {@link checkDnsSubdomain}. */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= DNS_SUBDOMAIN_MAX_LENGTH && DNS1123_SUBDOMAIN_RE.test(value);
}

/**
 * Checks a name that must be a DNS-1123 label (Namespace, container, volume, most object names).
 * `maxLength` may tighten the 63 of the rule (for a name that gets a suffix appended). A
 * `maxLength` above 63 means the field takes a subdomain and is checked as one — kept for old
 * callers; call {@link checkDnsSubdomain} instead.
 */
export function checkDnsLabel(prop: string, value: string, maxLength = DNS_LABEL_MAX_LENGTH): Problem | undefined {
  if (maxLength > DNS_LABEL_MAX_LENGTH) return checkDnsSubdomain(prop, value);
  const limit = maxLength;
  if (typeof value === 'string' && value.length <= limit && DNS1123_LABEL_RE.test(value)) return undefined;
  return problem('name.dns-label', prop, value, {
    limit,
    dotted: typeof value === 'string' && DNS1123_SUBDOMAIN_RE.test(value) && value.includes('.'),
    suggestion: suggestDnsName(String(value), limit, false),
  });
}

/** Checks a name that must be a DNS-1123 subdomain (Secret, ConfigMap, StorageClass, Ingress names): dots allowed, at most 253. */
export function checkDnsSubdomain(prop: string, value: string): Problem | undefined {
  if (typeof value === 'string' && isDnsSubdomain(value)) return undefined;
  return problem('name.dns-subdomain', prop, value, {
    limit: DNS_SUBDOMAIN_MAX_LENGTH,
    suggestion: suggestDnsName(String(value), DNS_SUBDOMAIN_MAX_LENGTH, true),
  });
}

/** Checks a name that must be a DNS-1035 label (Service names): a DNS-1123 label that starts with a letter. */
export function checkDns1035Label(prop: string, value: string): Problem | undefined {
  if (typeof value === 'string' && value.length <= DNS_LABEL_MAX_LENGTH && DNS1035_LABEL_RE.test(value))
    return undefined;
  const suggestion = suggestDnsName(String(value), DNS_LABEL_MAX_LENGTH, false);
  return problem('name.dns-1035-label', prop, value, {
    limit: DNS_LABEL_MAX_LENGTH,
    suggestion: /^[a-z]/.test(suggestion)
      ? suggestion
      : `svc-${suggestion}`.slice(0, DNS_LABEL_MAX_LENGTH).replace(/-+$/, ''),
  });
}

/** Checks a name that only has to be a URL path segment (e.g. a custom resource name): not `.` or `..`, no `/` or `%`. */
export function checkPathSegmentName(prop: string, value: string): Problem | undefined {
  if (typeof value === 'string' && value !== '' && value !== '.' && value !== '..' && !/[/%]/.test(value))
    return undefined;
  return problem('name.path-segment', prop, value, {
    suggestion:
      String(value)
        .replace(/[/%]+/g, '-')
        .replace(/^\.{1,2}$/, 'name') || 'name',
  });
}

/** Checks a StorageClass name: a DNS-1123 subdomain (`fast-ssd`, not `Fast_SSD`). */
export function checkStorageClassName(prop: string, value: string): Problem | undefined {
  return checkDnsSubdomain(prop, value);
}

function suggestDnsName(value: string, maxLength: number, dots: boolean): string {
  const invalid = dots ? /[^a-z0-9.-]+/g : /[^a-z0-9-]+/g;
  const cleaned = value
    .toLowerCase()
    .replace(invalid, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-*\.-*/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, maxLength)
    .replace(/[-.]+$/, '');
  return cleaned || 'my-service';
}

/** Checks a container or service port name (IANA_SVC_NAME: at most 15 characters, at least one letter, no '--'). */
export function checkPortName(prop: string, value: string): Problem | undefined {
  const ok =
    typeof value === 'string' &&
    value.length <= 15 &&
    PORT_NAME_CHARS_RE.test(value) &&
    /[a-z]/.test(value) &&
    !value.includes('--') &&
    !value.startsWith('-') &&
    !value.endsWith('-');
  if (ok) return undefined;
  return problem('name.port-name', prop, value);
}

/** Checks a label value: empty, or at most 63 letters, digits, '-', '_' or '.', alphanumeric at both ends. */
export function checkLabelValue(prop: string, value: string): Problem | undefined {
  if (typeof value === 'string' && value.length <= LABEL_VALUE_MAX_LENGTH && LABEL_VALUE_RE.test(value))
    return undefined;
  return problem('name.label-value', prop, value, {
    limit: LABEL_VALUE_MAX_LENGTH,
    excess: String(value).length - LABEL_VALUE_MAX_LENGTH,
  });
}

/**
 * Checks a label value the library composes from the user's input, such as
 * `app.kubernetes.io/instance` = `<system>-<service>`. The problem is reported on `prop`
 * (what the user wrote, `received`) and names the label and the value it would get.
 */
export function checkComposedLabelValue(
  prop: string,
  received: string,
  labelKey: string,
  composed: string,
): Problem | undefined {
  if (composed.length <= LABEL_VALUE_MAX_LENGTH && LABEL_VALUE_RE.test(composed)) return undefined;
  return problem('name.composed-label-value', prop, received, { labelKey, composed, limit: LABEL_VALUE_MAX_LENGTH });
}

/**
 * Namespaces the library must not take over: the ones Kubernetes creates (`default`, `kube-system`,
 * `kube-public`, `kube-node-lease`), every `kube-*` (the prefix is reserved for Kubernetes), and
 * `openshift` / `openshift-*`: OpenShift refuses projects with these names and runs its platform there.
 * They are rejected on every target, so a system's namespace never depends on where it is deployed.
 */
export function checkNamespaceNotReserved(prop: string, value: string): Problem | undefined {
  if (!isReservedNamespace(value)) return undefined;
  return problem('name.reserved-namespace', prop, value, {
    suggestion: `${value.replace(/^(kube|openshift)-?/, '') || 'app'}-apps`,
  });
}

/** Whether a namespace name is reserved for the cluster (see {@link checkNamespaceNotReserved}). */
export function isReservedNamespace(value: string): boolean {
  return value === 'default' || value === 'openshift' || value.startsWith('kube-') || value.startsWith('openshift-');
}

/**
 * Checks a ConfigMap or Secret key (and so a config file name): `[-._a-zA-Z0-9]+`, at most 253
 * characters, not `.`, `..` or starting with `..` (IsConfigMapKey). `a/b` and `..` are rejected.
 */
export function checkConfigMapKey(prop: string, value: string): Problem | undefined {
  if (
    typeof value === 'string' &&
    value.length <= DNS_SUBDOMAIN_MAX_LENGTH &&
    CONFIG_KEY_RE.test(value) &&
    value !== '.' &&
    !value.startsWith('..')
  ) {
    return undefined;
  }
  const cleaned = String(value)
    .replace(/[^-._a-zA-Z0-9]+/g, '-')
    .replace(/^\.+/, '')
    .slice(0, DNS_SUBDOMAIN_MAX_LENGTH);
  return problem('name.config-key', prop, value, { suggestion: cleaned || 'config' });
}

/**
 * Checks an environment variable name as Kubernetes 1.32 and later do (RelaxedEnvironmentVariableValidation,
 * beta and on by default in 1.32, GA in 1.34; pkg/apis/core/validation IsRelaxedEnvVarName): not
 * empty, printable ASCII, no '='. `spring.profiles.active` and `MY-DB` pass; a shell cannot read them
 * as `$NAME`, but the program reads its environment directly.
 */
export function checkEnvName(prop: string, value: string): Problem | undefined {
  if (typeof value === 'string' && RELAXED_ENV_NAME_RE.test(value)) return undefined;
  return problem('name.env-name', prop, value, { suggestion: toEnvName(String(value)) });
}

/**
 * Checks a name the library derives from the user's by appending a suffix (`<name>-headless`,
 * `<name>-cluster`, `<name>-<port>`): the object's name must stay a DNS label of at most 63
 * characters. The problem is reported on what the user wrote, names the object and the suffix
 * that made it too long, and says how to shorten it. `ways` names the props that do.
 */
export function checkDerivedName(
  prop: string,
  received: string,
  derived: string,
  object: string,
  ways: string,
): Problem | undefined {
  if (typeof derived !== 'string' || derived.length <= DNS_LABEL_MAX_LENGTH) return undefined;
  return problem('name.derived-too-long', prop, received, {
    object,
    derived,
    limit: DNS_LABEL_MAX_LENGTH,
    excess: derived.length - DNS_LABEL_MAX_LENGTH,
    ways,
  });
}

/**
 * Turns any name into an environment variable name (or prefix) that {@link checkEnvName} accepts:
 * upper case, every other character as '_', a leading '_' before a digit. `my-db` → `MY_DB`,
 * `1password` → `_1PASSWORD`, `` → `_`.
 */
export function toEnvName(name: string): string {
  const upper = name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return /^[A-Z_]/.test(upper) ? upper : `_${upper}`;
}
