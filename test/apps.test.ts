import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { Manifests, Target } from '../lib';
import { buildChat } from '../apps/chat';
import { buildLedger } from '../apps/ledger';
import { buildShop } from '../apps/shop';
import { exampleTarget } from '../apps/targets';
import { manifestDiff } from './helpers';

/**
 * The example apps for every target. The base target's YAML is snapshotted whole; every other
 * target is snapshotted as its differences from the base, so a reviewer sees exactly what a
 * profile changes, and a test checks that nothing else differs.
 */
const BASE = 'docker-desktop';
const EXAMPLES = [
  {
    name: 'shop',
    build: buildShop,
    kinds: [
      'Namespace',
      'Deployment',
      'Service',
      'ServiceAccount',
      'PersistentVolumeClaim',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'NetworkPolicy',
    ],
  },
  {
    name: 'ledger',
    build: buildLedger,
    kinds: [
      'Namespace',
      'StatefulSet',
      'Deployment',
      'Job',
      'CronJob',
      'Service',
      'ServiceAccount',
      'PodDisruptionBudget',
      'NetworkPolicy',
    ],
  },
  {
    name: 'chat',
    build: buildChat,
    kinds: [
      'Namespace',
      'StatefulSet',
      'Deployment',
      'Service',
      'ServiceAccount',
      'PodDisruptionBudget',
      'NetworkPolicy',
    ],
  },
];
const synthOf = (build: (scope: App, target: Target) => unknown) => (id: string) =>
  Manifests.synthesize(
    (() => {
      const app = new App();
      build(app, exampleTarget(id));
      return app;
    })(),
  );
const synthFor = synthOf(buildShop);

/** Every container of a pod template: init containers (and native sidecars) and the main ones. */
const containersOf = (o: any): any[] => {
  const pod = o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
  return pod ? [...(pod.initContainers ?? []), ...pod.containers] : [];
};

describe.each(EXAMPLES)('example $name', ({ build, kinds }) => {
  const synth = synthOf(build);
  const base = synth(BASE);

  test(`${BASE}: full manifests`, () => {
    expect(base.systems[0].yaml).toMatchSnapshot();
  });

  test.each(Target.BUILT_IN_IDS.filter((id) => id !== BASE))('%s: differences from docker-desktop', (id) => {
    expect(manifestDiff(base.systems[0].objects, synth(id).systems[0].objects).join('\n')).toMatchSnapshot();
  });

  test.each(Target.BUILT_IN_IDS)('%s: differs from the base only in fields a profile decides', (id) => {
    const decided =
      /(imagePullPolicy|topologySpreadConstraints|storageClassName|StorageClass\/|annotations|loadBalancerClass|\.type: "(LoadBalancer|NodePort)|spec\.type: "ClusterIP" → "LoadBalancer"|ingressClassName|azure\.workload\.identity\/use|securityContext\.(runAsUser|runAsGroup|fsGroup)|resources\.limits|allow-dns|target [a-z-]+\)|NetworkPolicy\/[a-z-]+ spec\.ingress\[\d+\](\.from)?|Ingress\/(gateway|web|api)|Gateway\/|(HTTP|GRPC)Route\/|HealthCheckPolicy\/|NetworkPolicy\/default-deny spec\.podSelector|NetworkPolicy\/[a-z-]+ spec\.egress\[\d+\]: \(absent\) → \{"ports":\[[^\]]*\],"to":\[\{"ipBlock":\{"cidr":"(169\.254\.|fd00:ec2:)|Job\/[a-z]+-[0-9a-f]{8}\b)/;
    const undecided = manifestDiff(base.systems[0].objects, synth(id).systems[0].objects).filter(
      (line) => !decided.test(line),
    );
    expect(undecided).toEqual([]);
  });

  test.each(Target.BUILT_IN_IDS)(
    '%s: has its kinds; every container pinned, restricted, with requests and limits',
    (id) => {
      const objects = synth(id).systems[0].objects;
      expect([...new Set(objects.map((o) => o.kind))]).toEqual(expect.arrayContaining(kinds));
      for (const container of objects.flatMap(containersOf)) {
        expect(container.image).toMatch(/:[^:/]+$/);
        expect(container.image).not.toMatch(/:latest$/);
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
        expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
      }
    },
  );
});

test.each(Target.BUILT_IN_IDS)(
  '%s: the shop exposes web through a route exactly where the target has a Gateway API implementation',
  (id) => {
    const target = exampleTarget(id);
    const kinds = synthFor(id)
      .systems[0].objects.filter((o) => o.metadata.name === 'web')
      .map((o) => o.kind);
    expect(kinds).toContain(target.props.gateway?.className ? 'HTTPRoute' : 'Ingress');
    expect(kinds).not.toContain(target.props.gateway?.className ? 'Ingress' : 'HTTPRoute');
  },
);

describe('README', () => {
  test('shows the example shop diagram as synthesized', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../README.md'), 'utf8');
    const diagram = synthFor(BASE).systems[0].diagram.replace(/^# shop\n\n/, '');
    expect(readme).toContain(diagram.trim());
  });
});

describe('apps/main (npm run synth)', () => {
  const main = path.join(__dirname, '../build/apps/main.js');
  const run = (outdir: string, targets: string, locale: { [key: string]: string } = {}) =>
    spawnSync(process.execPath, [main], {
      env: { ...process.env, CDK8S_OUTDIR: outdir, CDK8S_MSA_TARGETS: targets, ...locale },
      encoding: 'utf8',
    });

  test('the output is the same bytes under any locale (Lithuanian and Danish sort letters differently)', () => {
    const [lt, da] = ['lt_LT.UTF-8', 'da_DK.UTF-8'].map((locale) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'msa-locale-'));
      expect(run(outdir, 'eks', { LANG: locale, LC_ALL: locale }).status).toBe(0);
      const files = ['shop.k8s.yaml', 'ledger.k8s.yaml'].map((f) =>
        fs.readFileSync(path.join(outdir, 'eks', f), 'utf8'),
      );
      fs.rmSync(outdir, { recursive: true });
      return files;
    });
    expect(lt).toEqual(da);
  });

  test('writes every requested target, each with its completion marker', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'msa-main-'));
    const result = run(outdir, 'kind,eks');
    expect(result.status).toBe(0);
    expect(fs.readdirSync(outdir).sort()).toEqual(['eks', 'kind']);
    expect(fs.readdirSync(path.join(outdir, 'eks')).sort()).toEqual([
      Manifests.OUTPUT_MARKER,
      'chat.k8s.yaml',
      'chat.md',
      'ledger.k8s.yaml',
      'ledger.md',
      'shop.k8s.yaml',
      'shop.md',
    ]);
    fs.rmSync(outdir, { recursive: true });
  });

  test('a failure in any target writes nothing and leaves earlier output intact', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'msa-main-'));
    expect(run(outdir, 'kind').status).toBe(0);
    const before = fs.readFileSync(path.join(outdir, 'kind', 'shop.k8s.yaml'), 'utf8');
    fs.writeFileSync(path.join(outdir, 'kind', 'shop.k8s.yaml'), `${before}# marker of the previous run\n`);
    const result = run(outdir, 'kind,eks,nope');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'cdk8s-msa: synth failed, 1 problem(s); nothing was written:\n  ✗ target nope: target: received "nope"; allowed: one of docker-desktop',
    );
    expect(fs.readdirSync(outdir)).toEqual(['kind']);
    expect(fs.readFileSync(path.join(outdir, 'kind', 'shop.k8s.yaml'), 'utf8')).toBe(
      `${before}# marker of the previous run\n`,
    );
    fs.rmSync(outdir, { recursive: true });
  });
});
