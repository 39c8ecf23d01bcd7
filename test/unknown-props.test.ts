import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { Exposure, Manifests, MicroserviceProps, MicroserviceSystem, Target } from '../lib';
import { closestWord } from '../lib/checks';
import { SYSTEM_PROPS } from '../lib/system-shape';
import { TARGET_OPTIONS } from '../lib/targets/option-shapes';
import { WORKLOAD_PROPS } from '../lib/workloads/prop-types';
import { App } from 'cdk8s';

/** Every interface of lib/ by name: its own members and the interfaces it extends (read from the sources, not compiled). */
function interfacesOfLib(): Map<string, { members: string[]; extends: string[] }> {
  const found = new Map<string, { members: string[]; extends: string[] }>();
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
      );
  for (const file of walk(path.join(__dirname, '../lib'))) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
    for (const statement of source.statements) {
      if (!ts.isInterfaceDeclaration(statement)) continue;
      found.set(statement.name.text, {
        members: statement.members.flatMap((m) => (m.name && ts.isIdentifier(m.name) ? [m.name.text] : [])),
        extends: (statement.heritageClauses ?? []).flatMap((h) => h.types.map((t) => t.expression.getText(source))),
      });
    }
  }
  return found;
}

describe('a prop no TypeScript interface has (a misspelling from JavaScript or the untyped synth path)', () => {
  const interfaces = interfacesOfLib();
  const propsOf = (name: string): string[] => {
    const declared = interfaces.get(name)!;
    return [...declared.members, ...declared.extends.flatMap(propsOf)];
  };
  const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

  test.each([
    ['a workload', WORKLOAD_PROPS, ['MicroserviceProps', 'CronJobProps', 'ScaledJobProps']],
    ['a system', SYSTEM_PROPS, ['MicroserviceSystemProps']],
    ["a built-in target's options", TARGET_OPTIONS, ['TargetOptions']],
  ])("the props %s is checked for are exactly its interfaces'", (_what, shapes, names) => {
    expect(sorted(Object.keys(shapes))).toEqual(sorted(names.flatMap(propsOf)));
  });

  test('draws a warning naming the prop, with the one it most likely meant; the value is ignored', () => {
    const app = new App();
    const system = new MicroserviceSystem(app, 'shop', {
      target: Target.kind({ gatewayClas: 'eg' } as object),
      secret: ['db'],
    } as object);
    system.addService('api', {
      image: 'ghcr.io/acme/api:1.0.0',
      port: 8080,
      autoscalling: { minReplicas: 2, maxReplicas: 4 },
      exposee: Exposure.route(),
      zzz: 1,
    } as Partial<MicroserviceProps> as MicroserviceProps);
    const synthesis = Manifests.synthesize(app);
    expect(synthesis.warnings.filter((w) => w.includes('TypeScript interface'))).toEqual([
      expect.stringMatching(/^\[shop\] secret: received \["db"\]; allowed: .*: did you mean secrets\?/),
      expect.stringMatching(/^\[shop\] target\.gatewayClas: received "eg"; allowed: .*: did you mean gatewayClass\?/),
      expect.stringMatching(/^\[shop\/api\] autoscalling: .*did you mean autoscaling\?/),
      expect.stringMatching(/^\[shop\/api\] exposee: .*did you mean expose\?/),
      expect.stringMatching(
        /^\[shop\/api\] zzz: received 1; allowed: a prop of the TypeScript interface \(this one is ignored\)\. Hint/,
      ),
    ]);
    expect(synthesis.systems[0].objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });

  test.each([
    ['autoscalling', 'autoscaling'],
    ['Replicas', 'replicas'],
    ['dependOn', 'dependsOn'],
    ['port', 'port'],
    ['zzz', undefined],
    ['env', 'env'],
    ['ev', 'env'],
    ['evn', 'env'],
    ['prot', 'port'],
    ['constructor', undefined],
    ['xyz', undefined],
  ])('%s: closest %s', (word, closest) => {
    expect(closestWord(word, ['autoscaling', 'replicas', 'dependsOn', 'port', 'ports', 'env', 'envFrom'])).toBe(
      closest,
    );
  });
});
