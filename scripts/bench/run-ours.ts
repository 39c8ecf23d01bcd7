import { App } from 'cdk8s';
import { Manifests } from '../../lib';
import { buildReference } from './reference';

/** One benchmark run with the library: build, validate, render, write atomically. */
const [services, outdir] = [Number(process.argv[2]), process.argv[3]];
const app = new App();
buildReference(app, services);
Manifests.write(Manifests.synthesize(app), outdir);
