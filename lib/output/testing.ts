import { MicroserviceSystem } from '../system';
import { toYaml } from '../yaml-writer';
import { synthesize } from './synthesis';

/**
 * Helpers for users' tests: a system's manifests as deterministic YAML for `toMatchSnapshot()`,
 * and its objects for targeted assertions. Each validates the whole app first: the same synth path as
 * `MsaApp`, without writing.
 *
 * ```ts
 * expect(ManifestTesting.yaml(shop)).toMatchSnapshot();
 * expect(ManifestTesting.find(shop, 'Deployment', 'catalog')[0].spec.replicas).toBeUndefined();
 * ```
 */
export class ManifestTesting {
  /** The system's manifests as multi-document YAML, in apply order. */
  public static yaml(system: MicroserviceSystem): string {
    return toYaml(ManifestTesting.synth(system));
  }

  /** The system's objects as JSON, in apply order, validated with its whole app as synth does (cdk8s's `Testing.synth`). */
  public static synth(system: MicroserviceSystem): any[] {
    return synthesize(system.node.root)
      .systems.filter((manifest) => manifest.system === system)
      .flatMap((manifest) => manifest.objects);
  }

  /** The same as `synth`. @deprecated use `ManifestTesting.synth` */
  public static objects(system: MicroserviceSystem): any[] {
    return ManifestTesting.synth(system);
  }

  /** The system's objects of `kind`, optionally only the one named `name`. */
  public static find(system: MicroserviceSystem, kind: string, name?: string): any[] {
    return ManifestTesting.synth(system).filter(
      (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
    );
  }

  private constructor() {}
}
