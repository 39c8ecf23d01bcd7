import { MicroserviceSystem } from './system';
import { renderSystem, validateTree } from './synth';
import { toYaml } from './yaml-writer';

/**
 * Helpers for users' tests: a system's manifests as deterministic YAML for `toMatchSnapshot()`,
 * and its objects for targeted assertions. Both validate the whole app first, like synth does.
 *
 * ```ts
 * expect(ManifestTesting.yaml(shop)).toMatchSnapshot();
 * expect(ManifestTesting.find(shop, 'Deployment', 'catalog')[0].spec.replicas).toBeUndefined();
 * ```
 */
export class ManifestTesting {
  /** The system's manifests as multi-document YAML, in apply order. */
  public static yaml(system: MicroserviceSystem): string {
    return toYaml(ManifestTesting.objects(system));
  }

  /** The system's objects as JSON, in apply order. */
  public static objects(system: MicroserviceSystem): any[] {
    validateTree(system.node.root);
    return renderSystem(system);
  }

  /** The system's objects of `kind`, optionally only the one named `name`. */
  public static find(system: MicroserviceSystem, kind: string, name?: string): any[] {
    return ManifestTesting.objects(system).filter(
      (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
    );
  }

  private constructor() {}
}
