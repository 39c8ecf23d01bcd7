import { Problem } from './errors';

/**
 * Input checks shared by the constructs. Each returns a `Problem` describing what is wrong,
 * or `undefined` when the value is fine, so callers can collect every problem before throwing.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const QUANTITY = /^([0-9]+(\.[0-9]+)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;
const IMAGE_REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/** Checks a name used as a Kubernetes object name and DNS label (RFC 1123 label, at most `maxLength`). */
export function checkDnsLabel(prop: string, value: string, maxLength = 63): Problem | undefined {
  if (DNS_LABEL.test(value) && value.length <= maxLength) return undefined;
  return {
    prop,
    received: value,
    allowed: `a DNS-1123 label: 1-${maxLength} lowercase letters, digits or '-', starting and ending with a letter or digit`,
    hint: `try ${JSON.stringify(suggestDnsLabel(value, maxLength))}`,
  };
}

function suggestDnsLabel(value: string, maxLength: number): string {
  const cleaned = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, maxLength).replace(/-+$/, '');
  return cleaned || 'my-service';
}

/** Checks a container/service port name (IANA_SVC_NAME: at most 15 characters, at least one letter). */
export function checkPortName(prop: string, value: string): Problem | undefined {
  if (IANA_SVC_NAME.test(value) && value.length <= 15 && /[a-z]/.test(value) && !value.includes('--')) return undefined;
  return {
    prop,
    received: value,
    allowed: "an IANA service name: 1-15 lowercase letters, digits or single '-', with at least one letter",
    hint: 'use a short protocol name such as "http", "grpc" or "metrics"',
  };
}

/** Checks a TCP/UDP port number. */
export function checkPortNumber(prop: string, value: number): Problem | undefined {
  if (Number.isInteger(value) && value >= 1 && value <= 65535) return undefined;
  return { prop, received: value, allowed: 'an integer from 1 to 65535', hint: 'use the port the container listens on, e.g. 8080' };
}

/** Checks an environment variable name. */
export function checkEnvName(prop: string, value: string): Problem | undefined {
  if (ENV_VAR_NAME.test(value)) return undefined;
  return {
    prop,
    received: value,
    allowed: "a C identifier: letters, digits and '_', not starting with a digit",
    hint: `try ${JSON.stringify(value.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([0-9])/, '_$1').toUpperCase())}`,
  };
}

/** Checks a non-negative integer such as replicas. */
export function checkCount(prop: string, value: number, minimum: number, hint: string): Problem | undefined {
  if (Number.isInteger(value) && value >= minimum) return undefined;
  return { prop, received: value, allowed: `an integer ≥ ${minimum}`, hint };
}

const SUFFIX_FACTOR: Record<string, number> = {
  '': 1, 'm': 1e-3, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
};

/** Parses a Kubernetes resource quantity ("250m", "1.5", "512Mi") into a number, or undefined if malformed. */
export function parseQuantity(value: string): number | undefined {
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * SUFFIX_FACTOR[match[3] ?? ''];
}

/** Checks a resource quantity string. */
export function checkQuantity(prop: string, value: string, example: string): Problem | undefined {
  if (parseQuantity(value) !== undefined) return undefined;
  return {
    prop,
    received: value,
    allowed: 'a Kubernetes quantity: a number with an optional suffix m, k, M, G, T, Ki, Mi, Gi, Ti',
    hint: `write it like ${JSON.stringify(example)}`,
  };
}

/** The parts of a container image reference. */
export interface ImageReference {
  /** Registry and repository, e.g. `ghcr.io/acme/catalog`. */
  readonly repository: string;
  /** Tag, e.g. `1.4.2`, if any. */
  readonly tag?: string;
  /** Digest, e.g. `sha256:…`, if any. */
  readonly digest?: string;
}

/** Splits an image reference into repository, tag and digest (a registry port is not a tag). */
export function parseImage(image: string): ImageReference {
  const [nameAndTag, digest] = image.split('@', 2);
  const lastSlash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', lastSlash + 1);
  if (colon < 0) return { repository: nameAndTag, digest };
  return { repository: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1), digest };
}

/** Checks that an image is pinned: a tag other than `latest`, or a well-formed sha256 digest. */
export function checkImage(prop: string, image: string): Problem | undefined {
  const ref = parseImage(image);
  const allowed = 'an image pinned by a tag other than "latest" (repo:1.4.2) or by a digest (repo@sha256:<64 hex>)';
  const path = ref.repository.replace(/^[^/]+[.:][^/]*\//, '');
  if (!IMAGE_REPOSITORY.test(path)) {
    return { prop, received: image, allowed, hint: 'the repository part may hold only lowercase letters, digits, ".", "_", "-" and "/"' };
  }
  if (ref.digest !== undefined && !IMAGE_DIGEST.test(ref.digest)) {
    return { prop, received: image, allowed, hint: 'a digest is "sha256:" followed by 64 lowercase hex digits; copy it from `docker buildx imagetools inspect`' };
  }
  if (ref.tag !== undefined && !IMAGE_TAG.test(ref.tag)) {
    return { prop, received: image, allowed, hint: 'a tag is 1-128 letters, digits, "_", "." or "-"' };
  }
  if (ref.digest === undefined && ref.tag === undefined) {
    return { prop, received: image, allowed, hint: `an untagged image means "latest" and changes under you: pin it, e.g. "${image}:1.0.0"` };
  }
  if (ref.tag === 'latest' && ref.digest === undefined) {
    return { prop, received: image, allowed, hint: 'a "latest" tag makes rollouts unreproducible and defeats rollbacks: use the release tag or a digest' };
  }
  return undefined;
}

/** Checks a label value (at most 63 characters, alphanumeric at both ends). */
export function checkLabelValue(prop: string, value: string): Problem | undefined {
  if (value === '' || (/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value) && value.length <= 63)) return undefined;
  return {
    prop,
    received: value,
    allowed: "a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
    hint: 'shorten it or replace other characters with "-"',
  };
}

/** Keeps the problems that are defined. */
export function problems(...found: Array<Problem | undefined>): Problem[] {
  return found.filter((p): p is Problem => p !== undefined);
}
