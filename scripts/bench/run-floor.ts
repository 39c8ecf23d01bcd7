import * as fs from 'fs';
import * as path from 'path';
import { toYaml } from '../../lib/yaml-writer';
import { referenceObjects } from './equivalents';

/** The floor: the same objects as plain JS, serialized by the library's serializer. No constructs, no validation. */
const [services, outdir] = [Number(process.argv[2]), process.argv[3]];
fs.mkdirSync(outdir, { recursive: true });
const text = toYaml(referenceObjects(services));
fs.writeFileSync(path.join(outdir, 'bench.k8s.yaml'), text);
