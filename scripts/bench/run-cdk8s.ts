import { ApiObject, App, Chart } from 'cdk8s';
import { referenceObjects } from './equivalents';

/**
 * The same objects with plain cdk8s: ApiObjects in a Chart (the layer cdk8s-plus-27's constructs
 * render into), synthesized by cdk8s's own `app.synth()` with its `yaml` serializer. cdk8s-plus-27's
 * L2 constructs cannot emit exactly these objects without escape hatches on every field, and its
 * typed L1 classes drop plain values where they expect Quantity/IntOrString objects.
 */
const [services, outdir] = [Number(process.argv[2]), process.argv[3]];
const app = new App({ outdir });
const chart = new Chart(app, 'bench');
for (const object of referenceObjects(services)) {
  new ApiObject(chart, `${object.kind}-${object.metadata.name}`, object);
}
app.synth();
