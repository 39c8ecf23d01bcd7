import { Problem } from '../errors';
import { problem } from '../messages';

/**
 * Container image references: the library's policy that every image is pinned (a tag other
 * than `latest`, or a digest), on top of the reference grammar of the distribution spec.
 */

const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;
const IMAGE_REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

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
  const unpinned = (hint: string) => problem('image.unpinned', prop, image, { hint });
  const path = ref.repository.replace(/^[^/]+[.:][^/]*\//, '');
  if (!IMAGE_REPOSITORY.test(path)) {
    return unpinned('the repository part may hold only lowercase letters, digits, ".", "_", "-" and "/"');
  }
  if (ref.digest !== undefined && !IMAGE_DIGEST.test(ref.digest)) {
    return unpinned(
      'a digest is "sha256:" followed by 64 lowercase hex digits; copy it from `docker buildx imagetools inspect`',
    );
  }
  if (ref.tag !== undefined && !IMAGE_TAG.test(ref.tag)) {
    return unpinned('a tag is 1-128 letters, digits, "_", "." or "-"');
  }
  if (ref.digest === undefined && ref.tag === undefined) {
    return unpinned(`an untagged image means "latest" and changes under you: pin it, e.g. "${image}:1.0.0"`);
  }
  if (ref.tag === 'latest' && ref.digest === undefined) {
    return unpinned(
      'a "latest" tag makes rollouts unreproducible and defeats rollbacks: use the release tag or a digest',
    );
  }
  return undefined;
}
