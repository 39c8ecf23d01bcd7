import { message, Worded } from './message';

/** Field rules: names, numbers, durations, ports, quantities, hosts, paths, schedules, images, JavaScript types. */

const DNS_LABEL_CHARS = "lowercase letters, digits or '-'";

export const FIELD_MESSAGES = {
  // Names (k8s.io/apimachinery/pkg/util/validation and pkg/api/validate/content).
  'name.dns-label': message<{ limit: number; dotted: boolean; suggestion: string }>(
    (f) =>
      `a DNS-1123 label: 1-${f.limit} ${DNS_LABEL_CHARS}, starting and ending with a letter or digit${f.dotted ? ' (no dots)' : ''}`,
    (f) => `try ${JSON.stringify(f.suggestion)}`,
  ),
  'name.dns-subdomain': message<{ limit: number; suggestion: string }>(
    (f) =>
      `a DNS-1123 subdomain: 1-${f.limit} characters, dot-separated parts of ${DNS_LABEL_CHARS}, each starting and ending with a letter or digit`,
    (f) => `try ${JSON.stringify(f.suggestion)}`,
  ),
  'name.dns-1035-label': message<{ limit: number; suggestion: string }>(
    (f) =>
      `a DNS-1035 label: 1-${f.limit} ${DNS_LABEL_CHARS}, starting with a letter and ending with a letter or digit`,
    (f) => `try ${JSON.stringify(f.suggestion)}`,
  ),
  'name.path-segment': message<{ suggestion: string }>(
    () => "a path segment name: not empty, not '.' or '..', without '/' or '%'",
    (f) => `try ${JSON.stringify(f.suggestion)}`,
  ),
  'name.port-name': message(
    () => "an IANA service name: 1-15 lowercase letters, digits or single '-', with at least one letter",
    () => 'use a short protocol name such as "http", "grpc" or "metrics"',
  ),
  'name.label-value': message<{ limit: number; excess: number }>(
    (f) =>
      `a label value: at most ${f.limit} letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    (f) => (f.excess > 0 ? `shorten it by ${f.excess} characters` : 'replace other characters with "-"'),
  ),
  'name.composed-label-value': message<{ labelKey: string; composed: string; limit: number }>(
    (f) =>
      `a value that keeps the label ${f.labelKey} a valid label value (at most ${f.limit} characters, alphanumeric at both ends); it would be ${JSON.stringify(f.composed)} (${f.composed.length} characters)`,
    (f) =>
      f.composed.length > f.limit
        ? `shorten it by at least ${f.composed.length - f.limit} characters`
        : 'use only letters, digits, "-", "_" or "."',
  ),
  'name.reserved-namespace': message<{ suggestion: string }>(
    () => 'a namespace of your own: not default, kube-*, openshift or openshift-* (they belong to the cluster)',
    (f) =>
      `the system would apply its restricted policy and default-deny network policy there; use a name such as ${JSON.stringify(f.suggestion)}`,
  ),
  'name.config-key': message<{ suggestion: string }>(
    () =>
      "a ConfigMap key: 1-253 letters, digits, '-', '_' or '.', not '.' and not starting with '..' (no '/': keys are file names, not paths)",
    (f) => `try ${JSON.stringify(f.suggestion)}`,
  ),
  'name.env-name': message<{ suggestion: string }>(
    () => "an environment variable name: 1 or more printable ASCII characters other than '='",
    (f) => `try ${JSON.stringify(f.suggestion)}`,
  ),
  'name.qualified-name': message<{ what: string; suggestion: string }>(
    (f) =>
      `a ${f.what}: an optional DNS subdomain prefix and "/", then 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    (f) => `try ${JSON.stringify(f.suggestion)}`,
  ),
  'metadata.annotations-too-large': message<{ limit: number }>(
    (f) => `annotations of at most ${f.limit / 1024} KiB in all (keys and values)`,
    () => 'move large data into a ConfigMap (Storage.config) and keep annotations short',
  ),
  'toleration.key-without-exists': message(
    () => 'operator Exists when the toleration has no key (it then tolerates every taint)',
    () => 'name the taint key it tolerates, or set operator: TolerationOperator.EXISTS to tolerate every taint',
  ),
  'toleration.value-with-exists': message(
    () => 'no value with operator Exists (it matches any value of the key)',
    () => 'drop value, or use operator: TolerationOperator.EQUAL to match this value only',
  ),
  'identity.format': message<{ key: string; example: string }>(
    (f) =>
      f.key === 'awsRoleArn'
        ? 'an IAM role ARN: arn:aws:iam::<12-digit account id>:role/<name>'
        : f.key === 'gcpServiceAccount'
          ? 'a Google service account e-mail: <name>@<project>.iam.gserviceaccount.com'
          : 'an Azure client id: a GUID (8-4-4-4-12 hexadecimal digits)',
    (f) => `copy it from the cloud console or CLI; it looks like ${JSON.stringify(f.example)}`,
  ),
  'name.derived-too-long': message<{ object: string; derived: string; limit: number; excess: number; ways: string }>(
    (f) =>
      `a name that leaves room for the suffix the library appends: it names the ${f.object} ${JSON.stringify(f.derived)} (${f.derived.length} characters), and an object name is at most ${f.limit}`,
    (f) => `shorten it by ${f.excess} characters: ${f.ways}`,
  ),

  // Numbers, durations and ports (IsInRange, IsValidPortNum, IsValidPercent, int32 fields).
  'number.integer-range': message<Worded & { min: number; max: number }>(
    (f) => (f.max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${f.min}` : `an integer from ${f.min} to ${f.max}`),
    (f) => f.hint,
  ),
  'number.count': message<Worded & { minimum: number }>(
    (f) => `an integer ≥ ${f.minimum}`,
    (f) => f.hint,
  ),
  'number.port': message(
    () => 'an integer from 1 to 65535',
    () => 'use the port the container listens on, e.g. 8080',
  ),
  'number.count-or-percent': message<Worded & { maxPercent: number }>(
    (f) => `an integer ≥ 0, or a percentage from "0%" to "${f.maxPercent}%"`,
    (f) => f.hint,
  ),
  'duration.type': message<Worded>(
    () => 'a Duration, e.g. Duration.seconds(30)',
    (f) => f.hint,
  ),
  'duration.whole-seconds': message<Worded & { range: string }>(
    (f) => `a whole number of seconds, ${f.range}`,
    (f) => f.hint,
  ),
  'port.duplicate-name': message(
    () => 'port names unique within the service',
    () => 'give each port its own name',
  ),
  'port.duplicate-number': message(
    () => 'each port number once per protocol (53/TCP and 53/UDP may both appear)',
    () => 'remove the duplicate',
  ),

  // Quantities and sizes (k8s.io/apimachinery/pkg/api/resource).
  'quantity.syntax': message<{ example: string }>(
    // Exponents (1e3) and the P, E, Pi, Ei suffixes are accepted too.
    () => 'a Kubernetes quantity: a number with an optional suffix m, k, M, G, T, Ki, Mi, Gi, Ti',
    (f) => `write it like ${JSON.stringify(f.example)}`,
  ),
  'quantity.negative': message<{ example: string }>(
    () => 'a quantity of at least 0',
    (f) => `write it like ${JSON.stringify(f.example)}`,
  ),
  'quantity.fractional-bytes': message<{ suggestion: string }>(
    () => 'a whole number of bytes (the suffix m means thousandths, not mebibytes)',
    (f) => `write ${JSON.stringify(f.suggestion)}`,
  ),
  'quantity.request-above-limit': message(
    () => 'a request no larger than the limit',
    () => 'raise the limit or lower the request',
  ),
  'size.type': message<{ example: string }>(
    () => 'a Size, e.g. Size.gibibytes(10)',
    (f) => `write it like ${f.example}`,
  ),
  'size.not-positive': message<{ example: string }>(
    () => 'a size above zero (a finite number)',
    (f) => `write it like ${f.example}`,
  ),

  // Hosts and paths (pkg/apis/networking/validation).
  'host.ingress-host': message<Worded>(
    () =>
      'a host name: a lowercase DNS-1123 subdomain (e.g. "shop.example.com"), optionally starting with "*.", not an IP address, without scheme, port or path',
    (f) => f.hint,
  ),
  'path.not-absolute': message<{ suggestion: string }>(
    () => 'an absolute path starting with "/"',
    (f) => `write ${JSON.stringify(f.suggestion)}`,
  ),
  'path.not-normalized': message<{ sequence: string; suggestion: string }>(
    () => `a normalized path (no "//", "/./", "/../" or "%2F", not ending in "/." or "/..")`,
    (f) => `found ${JSON.stringify(f.sequence)}; write ${JSON.stringify(f.suggestion)}`,
  ),
  'path.characters': message(
    () => "a path of RFC 3986 path characters (letters, digits and -._~!$&'()*+,;=:@/%)",
    () => 'percent-encode other characters; a query (?) or fragment (#) is never part of a route',
  ),
  'host.external-host': message<{ bare?: string }>(
    () => 'a host: a DNS name such as "db.example.com" or an IP address, without scheme, port or path',
    (f) =>
      f.bare !== undefined
        ? `write ${JSON.stringify(f.bare)} and pass the port and scheme separately`
        : 'pass the name the service is reached at, e.g. "api.stripe.com"',
  ),
  'mount.not-absolute': message<{ suggestion: string }>(
    () => 'an absolute path',
    (f) => `use ${JSON.stringify(f.suggestion)}`,
  ),
  'mount.duplicate': message<{ earlier: string }>(
    (f) => `a mount path used once (${JSON.stringify(f.earlier)} is the same directory)`,
    () => 'mount each volume at its own directory',
  ),
  'route.host-path-taken': message<{ claimedBy: string; fix: string }>(
    (f) => `a host and path no other route claims (${f.claimedBy} already does)`,
    (f) => `give ${f.fix} its own host or path`,
  ),

  // Schedules and time zones (the CronJob controller's parser, tzdata).
  'cron.schedule': message<Worded>(
    () =>
      'a cron schedule of five fields (minute hour day-of-month month day-of-week, e.g. "*/15 * * * *" or "0 3 * * MON-FRI"), or @hourly, @daily, @weekly, @monthly, @yearly, "@every 1h"',
    (f) => f.hint,
  ),
  'cron.time-zone': message<Worded & { tzdata: string }>(
    (f) =>
      `an IANA time zone name from tzdata ${f.tzdata}, e.g. "Europe/Paris", "America/New_York" or "UTC" (not "Local")`,
    (f) => f.hint,
  ),

  // Images.
  'image.unpinned': message<Worded>(
    () => 'an image pinned by a tag other than "latest" (repo:1.4.2) or by a digest (repo@sha256:<64 hex>)',
    (f) => f.hint,
  ),

  // JavaScript types (from untyped callers).
  'type.wrong': message<{ expected: string; actual: string; example: string }>(
    (f) => `${f.expected} (received ${f.actual})`,
    (f) => `write it like ${f.example}`,
  ),
  'type.enum': message<{ values: readonly string[]; example: string }>(
    (f) => `one of ${f.values.map((v) => JSON.stringify(v)).join(', ')}`,
    (f) => `write it like ${f.example} (the values are case-sensitive)`,
  ),
  'type.unknown-prop': message<{ closest?: string }>(
    (f) =>
      f.closest === undefined
        ? 'a prop of the TypeScript interface (this one is ignored)'
        : `a prop of the TypeScript interface (this one is ignored): did you mean ${f.closest}?`,
    () =>
      'remove it or correct its name; TypeScript reports one written in an object literal when it type-checks the app (npm test, tsc), not one that arrives through a spread or a variable, and the synth command does not type-check',
  ),
  'type.record-values': message<{ expected: string; actual: string; example: string }>(
    (f) => `an object of ${f.expected} values (received ${f.actual})`,
    (f) => `write it like { KEY: ${f.example} }`,
  ),
} as const;
