import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Lazy } from 'cdk8s';
import {
  EnvVar,
  Exposure,
  Manifests,
  MicroserviceSystem,
  MsaApp,
  MsaConfigError,
  MsaEnvironments,
  HealthCheck,
  Target,
} from '../lib';
import { nodeFlagsOf, synthNodeFlags } from '../scripts/synth-flags';
import { apiShop } from './helpers';

const shopApp = (image?: string): App => apiShop(new App(), { image });

describe('synthesis', () => {
  test('several problems are reported together in one run', () => {
    const app = new App();
    const shop = new MicroserviceSystem(app, 'shop', { target: Target.openshift() });
    shop.addService('a', { image: 'x/a:1', port: 80, expose: Exposure.ingress(), security: { runAsUser: 20000 } });
    shop.addService('b', { name: 'a', image: 'x/b:1', port: 80, expose: Exposure.loadBalancer() });
    new MicroserviceSystem(app, 'shop2', { namespace: 'shop', target: Target.openshift() });
    let error: MsaConfigError | undefined;
    try {
      Manifests.synthesize(app);
    } catch (e) {
      error = e as MsaConfigError;
    }
    expect(error?.messages.map((m) => m.split(':')[0])).toEqual([
      '[shop] namespace',
      '[shop] services',
      '[shop/a] security.runAsUser',
      '[shop/a] expose.host',
      '[shop2] namespace',
    ]);
    expect(error?.message.split('\n')[0]).toBe('5 problems:');
  });

  test('warnings are collected once and strict mode turns them into errors', () => {
    expect(Manifests.synthesize(shopApp()).warnings).toEqual([
      '[shop/api] expose: received "loadBalancer"; allowed: a LoadBalancer stays pending on target "kind". Hint: emitted as NodePort instead; for HTTP use Exposure.ingress(), or install cloud-provider-kind or MetalLB for a real LoadBalancer',
    ]);
    expect(() => Manifests.synthesize(shopApp(), { strict: true })).toThrow('(strict mode: warnings are errors)');
    // Each keeps its code, as a problem does.
    let codes: string[] = [];
    try {
      Manifests.synthesize(shopApp(), { strict: true });
    } catch (e) {
      codes = (e as MsaConfigError).codes;
    }
    expect(codes).toEqual(['load-balancer.pending']);
    const app = shopApp();
    Manifests.synthesize(app);
    expect(Manifests.synthesize(app).warnings).toHaveLength(1);
  });

  test('objects come in apply order: Namespace first', () => {
    const kinds = Manifests.synthesize(shopApp()).systems[0].objects.map((o) => o.kind);
    expect(kinds[0]).toBe('Namespace');
    expect(kinds.indexOf('ServiceAccount')).toBeLessThan(kinds.indexOf('Deployment'));
  });

  describe('writing', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msa-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    test('writes manifests, the diagram and a completion marker', () => {
      const out = path.join(dir, 'kind');
      expect(Manifests.write(Manifests.synthesize(shopApp()), out)).toEqual(['shop.k8s.yaml', 'shop.md']);
      expect(fs.readdirSync(out).sort()).toEqual([Manifests.OUTPUT_MARKER, 'shop.k8s.yaml', 'shop.md']);
      const digest = (file: string) =>
        `sha256:${createHash('sha256')
          .update(fs.readFileSync(path.join(out, file)))
          .digest('hex')}`;
      expect(JSON.parse(fs.readFileSync(path.join(out, Manifests.OUTPUT_MARKER), 'utf8'))).toEqual({
        generator: 'cdk8s-msa',
        version: 1,
        target: 'kind',
        systems: [{ name: 'shop', namespace: 'shop', file: 'shop.k8s.yaml', objects: 8 }],
        files: { 'shop.k8s.yaml': digest('shop.k8s.yaml'), 'shop.md': digest('shop.md') },
      });
    });

    test('a failed synth leaves the previous output intact and no partial directory', () => {
      const out = path.join(dir, 'kind');
      Manifests.write(Manifests.synthesize(shopApp('a/api:1.0.0')), out);
      const before = fs.readFileSync(path.join(out, 'shop.k8s.yaml'), 'utf8');
      expect(() => Manifests.write(Manifests.synthesize(shopApp('a/api:latest')), out)).toThrow(MsaConfigError);
      expect(fs.readFileSync(path.join(out, 'shop.k8s.yaml'), 'utf8')).toBe(before);
      expect(fs.readdirSync(dir)).toEqual(['kind']);
    });

    test('a write that fails half way, after validation, leaves the previous output intact and no partial directory', () => {
      const out = path.join(dir, 'kind');
      Manifests.write(Manifests.synthesize(shopApp('a/api:1.0.0')), out);
      const before = fs.readFileSync(path.join(out, 'shop.k8s.yaml'), 'utf8');
      const app = shopApp('a/api:2.0.0');
      let armed = false;
      // The last object fails only when rendered, so the files before it are already being written.
      new ApiObject(
        app.node.findAll().find((c) => c instanceof MicroserviceSystem)!,
        'late',
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          data: Lazy.any({
            produce: () => {
              if (armed) throw new Error('disk full');
              return { a: '1' };
            },
          }),
        },
      );
      const synthesis = Manifests.synthesize(app);
      armed = true;
      expect(() => Manifests.write(synthesis, out)).toThrow('disk full');
      expect(fs.readFileSync(path.join(out, 'shop.k8s.yaml'), 'utf8')).toBe(before);
      expect(fs.readdirSync(dir)).toEqual(['kind']);
    });

    test('a new synth replaces the previous output as a whole', () => {
      const out = path.join(dir, 'kind');
      fs.mkdirSync(out);
      fs.writeFileSync(path.join(out, 'stale.k8s.yaml'), 'kind: Stale\n');
      Manifests.write(Manifests.synthesize(shopApp('a/api:2.0.0')), out);
      expect(fs.readdirSync(out)).not.toContain('stale.k8s.yaml');
      expect(fs.readFileSync(path.join(out, 'shop.k8s.yaml'), 'utf8')).toContain('image: a/api:2.0.0');
    });
  });
});

describe('MsaApp: the one synth path', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msa-app-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const shopIn = (app: MsaApp, image?: string, target?: Target) => apiShop(app, { image, target });
  const read = (out: string) =>
    Object.fromEntries(
      fs
        .readdirSync(out)
        .sort()
        .map((f) => [f, fs.readFileSync(path.join(out, f), 'utf8')]),
    );

  test('app.synth() writes what Manifests writes, byte for byte, and reports each warning once', () => {
    const warnings: string[] = [];
    shopIn(new MsaApp({ outdir: path.join(dir, 'app'), reporter: { warn: (w) => warnings.push(w) } })).synth();
    Manifests.write(Manifests.synthesize(shopIn(new MsaApp())), path.join(dir, 'manifests'));
    expect(read(path.join(dir, 'app'))).toEqual(read(path.join(dir, 'manifests')));
    expect(warnings).toEqual([expect.stringMatching(/^⚠ \[shop\/api\] expose: received "loadBalancer"/)]);
  });

  test('synthYaml() is the same objects in the same order', () => {
    const app = shopIn(new MsaApp());
    expect(app.synthYaml()).toBe(Manifests.synthesize(app).systems[0].yaml);
  });

  test('strict mode fails the synth and writes nothing', () => {
    const app = shopIn(
      new MsaApp({ outdir: path.join(dir, 'out'), strict: true, reporter: { warn: () => undefined } }),
    );
    expect(() => app.synth()).toThrow('(strict mode: warnings are errors)');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('one target per app, on app.synth() too', () => {
    const app = shopIn(new MsaApp({ outdir: path.join(dir, 'out') }));
    new MicroserviceSystem(app, 'billing', { target: Target.eks() });
    expect(() => app.synth()).toThrow('[app] target: received kind, eks; allowed: one target per app.');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a chart outside every system is an error, not silently dropped', () => {
    const app = shopIn(new MsaApp({ outdir: path.join(dir, 'out') }));
    new Chart(app, 'extras');
    expect(() => app.synth()).toThrow('[extras] chart: received "Chart"; allowed: charts inside a MicroserviceSystem.');
  });

  test('an environment is written to <outdir>/<environment>/ and named in the marker', () => {
    const app = shopIn(new MsaApp({ outdir: dir, environment: 'dev', reporter: { warn: () => undefined } }));
    app.synth();
    expect(app.outputDirectory).toBe(path.join(dir, 'dev'));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'dev', Manifests.OUTPUT_MARKER), 'utf8'))).toMatchObject({
      environment: 'dev',
      target: 'kind',
    });
  });

  describe('MsaEnvironments', () => {
    const environments = (prodSecret?: string) => {
      const warnings: string[] = [];
      const envs = new MsaEnvironments({ outdir: dir, reporter: { warn: (w) => warnings.push(w) } });
      shopIn(envs.add('dev'), 'a/api:1.1.0');
      shopIn(envs.add('staging'), 'a/api:1.1.0', Target.eks());
      const prod = new MicroserviceSystem(envs.add('prod'), 'shop', { target: Target.eks() });
      prod.addService('api', {
        image: 'a/api:1.0.0',
        port: 8080,
        healthCheck: HealthCheck.http('/healthz'),
        expose: Exposure.loadBalancer(),
        env: prodSecret ? { TOKEN: EnvVar.fromSecret(prodSecret, 'token') } : {},
      });
      return { envs, warnings };
    };

    test('writes every environment to its own folder, each warning once with its environment', () => {
      const { envs, warnings } = environments();
      envs.synth();
      expect(fs.readdirSync(dir).sort()).toEqual(['dev', 'prod', 'staging']);
      expect(fs.readFileSync(path.join(dir, 'prod', 'shop.k8s.yaml'), 'utf8')).toContain('image: a/api:1.0.0');
      expect(fs.readFileSync(path.join(dir, 'staging', 'shop.k8s.yaml'), 'utf8')).toContain(
        'service.beta.kubernetes.io/aws-load-balancer-scheme',
      );
      expect(warnings).toEqual([
        expect.stringMatching(/^⚠ environment dev: \[shop\/api\] expose: received "loadBalancer"/),
      ]);
    });

    test('a problem in one environment writes none and names the environment', () => {
      environments().envs.synth();
      const before = read(path.join(dir, 'dev'));
      expect(() => environments('undeclared').envs.synth()).toThrow(
        /^environment prod: \[shop\/api\] env.TOKEN: received "secret undeclared"/,
      );
      // The warnings come with the problems, so that fixing the problems brings no second round of surprises.
      let error: MsaConfigError | undefined;
      try {
        environments('undeclared').envs.synth();
      } catch (e) {
        error = e as MsaConfigError;
      }
      expect(error?.warnings).toEqual([
        expect.stringMatching(/^environment dev: \[shop\/api\] expose: received "loadBalancer"/),
      ]);
      expect(error?.message).toMatch(
        /\n1 warning\(s\) as well:\n  ⚠ environment dev: \[shop\/api\] expose: received "loadBalancer"/,
      );
      expect(read(path.join(dir, 'dev'))).toEqual(before);
      expect(fs.readdirSync(dir).sort()).toEqual(['dev', 'prod', 'staging']);
    });

    test('a mistake or warning the environments share is reported once, naming where it occurs', () => {
      const warnings: string[] = [];
      const envs = new MsaEnvironments({ outdir: dir, reporter: { warn: (w) => warnings.push(w) } });
      for (const name of ['dev', 'kind-2']) shopIn(envs.add(name));
      envs.synth();
      expect(warnings).toEqual([
        expect.stringMatching(/^⚠ every environment: \[shop\/api\] expose: received "loadBalancer"/),
      ]);
      const broken = new MsaEnvironments({ outdir: dir });
      for (const [name, target] of [
        ['dev', Target.kind()],
        ['staging', Target.eks()],
        ['prod', Target.eks()],
      ] as const) {
        const system = new MicroserviceSystem(broken.add(name), 'shop', { target });
        system.addService('api', {
          image: 'a/api:1.0.0',
          port: 8080,
          healthCheck: HealthCheck.http('/healthz'),
          env: { TOKEN: EnvVar.fromSecret('undeclared', 'token') },
        });
        if (name !== 'dev')
          system.addService('Admin', { image: 'a/admin:1.0.0', port: 8080, healthCheck: HealthCheck.http('/healthz') });
      }
      let error: MsaConfigError | undefined;
      try {
        broken.synth();
      } catch (e) {
        error = e as MsaConfigError;
      }
      expect(error?.messages.map((m) => m.replace(/; allowed.*/, ''))).toEqual([
        'every environment: [shop/api] env.TOKEN: received "secret undeclared"',
        'environments staging, prod: [shop/Admin] id: received "Admin"',
      ]);
      // Each message keeps its stable code, as a single MsaApp reports it.
      expect(error?.codes).toEqual(['reference.secret-unlisted', 'name.dns-label']);
    });

    test('environment names are unique DNS labels', () => {
      const envs = new MsaEnvironments({ outdir: dir });
      envs.add('dev');
      expect(() => envs.add('dev')).toThrow(
        '[environments] environment: received "dev"; allowed: a name not used yet.',
      );
      expect(() => shopIn(envs.add('Prod')).synth()).toThrow(
        'environment: received "Prod"; allowed: a DNS-1123 label.',
      );
    });
  });
});

describe("scripts/build-if-stale.mjs (the synth path's build)", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msa-build-'));
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'ES2022' } }),
    );
    fs.writeFileSync(path.join(dir, 'package-lock.json'), '{}');
    for (const root of ['lib', 'cli', 'apps']) fs.mkdirSync(path.join(dir, root));
    fs.writeFileSync(path.join(dir, 'lib', 'a.ts'), 'export const a: number = 1;\n');
    fs.writeFileSync(path.join(dir, 'apps', 'main.ts'), "import { a } from '../lib/a';\nconsole.log(`a=${a}`);\n");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const build = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(__dirname, '../scripts/build-if-stale.mjs'), ...args], {
      cwd: dir,
      encoding: 'utf8',
    });
  const later = (file: string) => {
    const t = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dir, file), t, t);
  };

  test('transpiles what is missing or older than its source, once: a touch no longer means a rebuild on every run', () => {
    expect(build().stderr).toBe('transpiled 2 file(s) (no type check: npm test does that)\n');
    expect(build().stderr).toBe('');
    later('lib/a.ts');
    expect(build().stderr).toBe('transpiled 1 file(s) (no type check: npm test does that)\n');
    expect(build().stderr).toBe('');
    later('tsconfig.json');
    expect(build().stderr).toBe('transpiled 2 file(s) (no type check: npm test does that)\n');
  });

  test('runs the entry in the same process, and does not type-check', () => {
    fs.writeFileSync(
      path.join(dir, 'lib', 'a.ts'),
      'export const a: number = "not a number" as any as number;\nconst unused: string = 1 as any;\n',
    );
    const run = build('build/apps/main.js');
    expect([run.status, run.stdout]).toEqual([0, 'a=not a number\n']);
  });

  test('a syntax error fails the build', () => {
    fs.writeFileSync(path.join(dir, 'lib', 'a.ts'), 'export const a = ;\n');
    const run = build('build/apps/main.js');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('lib/a.ts');
  });
});

describe('the synth commands', () => {
  const repo = path.join(__dirname, '..');
  const synthScript: string = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).scripts.synth;
  const appCommand = (file: string) => /^app: (.*)$/m.exec(fs.readFileSync(path.join(repo, file), 'utf8'))?.[1];

  test('cdk8s synth runs what npm run synth runs', () => {
    expect(appCommand('cdk8s.yaml')).toBe(synthScript);
  });

  test('npm run synth, cdk8s.yaml and the app-repo template run the app through the bundled synth path', () => {
    expect(synthScript).toMatch(/ build\/cli\/bundled-synth\.js apps\/main\.ts$/);
    expect(appCommand('examples/app/cdk8s.yaml')).toMatch(
      / node_modules\/cdk8s-msa\/build\/cli\/bundled-synth\.js main\.ts$/,
    );
  });

  test('the example app repo runs node with the node flags the benchmark measured', () => {
    expect(synthNodeFlags(repo)).toEqual(expect.arrayContaining([expect.stringMatching(/^--interrupt-budget=/)]));
    expect(nodeFlagsOf(appCommand('examples/app/cdk8s.yaml') ?? '')).toEqual(synthNodeFlags(repo));
  });
});

describe('problems and warnings together', () => {
  test('a failing synth shows the warnings too, after the problems', () => {
    const app = new App();
    const shop = new MicroserviceSystem(app, 'shop', { target: Target.kind() });
    const web = shop.addService('web', {
      image: 'a/web:1.0.0',
      port: 8080,
      healthCheck: HealthCheck.http('/healthz'),
      env: { TOKEN: EnvVar.fromSecret('undeclared', 'token') },
    });
    shop.addService('api', {
      image: 'a/api:1.0.0',
      port: 8080,
      healthCheck: HealthCheck.http('/healthz'),
      expose: Exposure.loadBalancer(),
      dependsOn: [web],
    });
    let error: MsaConfigError | undefined;
    try {
      Manifests.synthesize(app);
    } catch (e) {
      error = e as MsaConfigError;
    }
    expect(error?.messages).toEqual([expect.stringMatching(/^\[shop\/web\] env.TOKEN: received "secret undeclared"/)]);
    expect(error?.warnings).toEqual([expect.stringMatching(/^\[shop\/api\] expose: received "loadBalancer"/)]);
    expect(error?.message).toMatch(
      /^\[shop\/web\] env.TOKEN: [^\n]*\n1 warning\(s\) as well:\n  ⚠ \[shop\/api\] expose: received "loadBalancer"/,
    );
  });
});
