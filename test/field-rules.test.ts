import { Duration } from 'cdk8s';
import { Dependency, HealthCheck, Target, TolerationOperator } from '../lib';
import {
  checkAnnotations,
  checkIdentity,
  checkLabelMap,
  checkTolerations,
  checkWholeBytes,
  isQualifiedName,
  TOTAL_ANNOTATION_SIZE_LIMIT,
} from '../lib/checks';
import { codesOf, newSystem } from './helpers';

/** The rule families issue #27 added; each is cross-checked against the API server by npm run test:rules-oracle. */

const codes = (found: Array<{ code: string }>) => found.map((p) => p.code);

describe('label and annotation keys, label maps', () => {
  test.each([
    ['team', true],
    ['app.kubernetes.io/name', true],
    ['example.com/a_b.c', true],
    ['/name', false],
    ['Example.com/x', false],
    ['a/b/c', false],
    ['-team', false],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['', false],
  ])('qualified name %j → %s', (key, valid) => expect(isQualifiedName(key)).toBe(valid));

  test('a label map checks keys and values', () => {
    expect(codes(checkLabelMap('nodeSelector', { pool: 'general' }))).toEqual([]);
    expect(codes(checkLabelMap('nodeSelector', { 'Pool Name': 'a b' }))).toEqual([
      'name.qualified-name',
      'name.label-value',
    ]);
  });

  test('annotation keys are read in lower case; 256 KiB of annotations in all', () => {
    expect(codes(checkAnnotations('annotations', { 'Example.com/Owner': 'x' }))).toEqual([]);
    expect(codes(checkAnnotations('annotations', { 'a b': 'x' }))).toEqual(['name.qualified-name']);
    expect(codes(checkAnnotations('annotations', { big: 'x'.repeat(TOTAL_ANNOTATION_SIZE_LIMIT) }))).toEqual([
      'metadata.annotations-too-large',
    ]);
  });
});

describe('tolerations', () => {
  test.each([
    [{ key: 'pool', value: 'spot' }, []],
    [{ operator: 'Exists' }, []],
    [{ value: 'spot' }, ['toleration.key-without-exists']],
    [{}, ['toleration.key-without-exists']],
    [{ key: 'pool', operator: 'Exists', value: 'spot' }, ['toleration.value-with-exists']],
    [{ key: 'pool', value: 'a b' }, ['name.label-value']],
    [{ key: 'bad key', operator: 'Exists' }, ['name.qualified-name']],
  ])('%j → %j', (toleration, expected) =>
    expect(codes(checkTolerations('tolerations', [toleration]))).toEqual(expected),
  );
});

describe('identities in the formats their clouds issue', () => {
  test('valid ones pass', () => {
    expect(
      checkIdentity('identity', {
        awsRoleArn: 'arn:aws:iam::111111111111:role/team/shop-orders',
        gcpServiceAccount: 'orders@acme-shop.iam.gserviceaccount.com',
        azureClientId: '11111111-2222-3333-4444-555555555555',
      }),
    ).toEqual([]);
  });
  test.each([
    ['awsRoleArn', 'arn:aws:iam::role/x'],
    ['awsRoleArn', 'arn:aws:iam::11111111111:role/x'],
    ['awsRoleArn', 'shop-orders'],
    ['gcpServiceAccount', 'orders@acme-shop'],
    ['azureClientId', 'client-1'],
  ])('a malformed %s %j is refused (the server would write any annotation value)', (key, value) => {
    const [found] = checkIdentity('identity', { [key]: value });
    expect(found).toMatchObject({ code: 'identity.format', prop: `identity.${key}` });
  });
});

test('memory is a whole number of bytes; 128m reads as 0.128 bytes and the hint says 128Mi', () => {
  expect(checkWholeBytes('resources.memory.request', '128Mi')).toBeUndefined();
  expect(checkWholeBytes('resources.memory.request', '0.5Gi')).toBeUndefined();
  expect(checkWholeBytes('resources.memory.request', '128m')?.hint).toBe('write "128Mi"');
  expect(checkWholeBytes('resources.memory.request', '1.5')?.hint).toBe('write "2"');
});

describe('in a service', () => {
  const service = (props: object) => () => {
    const { app, system } = newSystem();
    system.addService('api', { image: 'a/api:1.0.0', port: 8080, ...props });
    return app;
  };
  test.each([
    ['labels', { labels: { 'Team Name': 'shop' } }, 'name.qualified-name'],
    ['annotations', { annotations: { 'a b': 'x' } }, 'name.qualified-name'],
    ['podAnnotations', { podAnnotations: { 'a b': 'x' } }, 'name.qualified-name'],
    ['nodeSelector', { nodeSelector: { pool: 'a b' } }, 'name.label-value'],
    ['tolerations', { tolerations: [{ value: 'spot' }] }, 'toleration.key-without-exists'],
    [
      'tolerations',
      { tolerations: [{ key: 'pool', operator: TolerationOperator.EXISTS, value: 'x' }] },
      'toleration.value-with-exists',
    ],
    ['priorityClassName', { priorityClassName: 'Bad_Name' }, 'name.dns-subdomain'],
    ['identity', { identity: { awsRoleArn: 'arn:aws:iam::role/x' } }, 'identity.format'],
    ['an empty probe command', { healthCheck: HealthCheck.command([]) }, 'probe.command-empty'],
    ['a blank probe program', { healthCheck: HealthCheck.command(['', '-x']) }, 'probe.command-empty'],
    ['a fractional-byte memory request', { resources: { memory: { request: '128m' } } }, 'quantity.fractional-bytes'],
  ])('%s', (_what, props, code) => expect(codesOf(service(props))).toEqual([code]));

  test('a service that depends on itself', () => {
    const build = () => {
      const { app, system } = newSystem();
      const api = system.addService('api', { image: 'a/api:1.0.0', port: 8080 });
      api.addDependency(api);
      return app;
    };
    expect(codesOf(build)).toEqual(['dependency.self']);
  });

  test('system labels are label maps too', () => {
    const build = () => {
      const { app, system } = newSystem({ labels: { 'a b': 'x' } });
      system.addService('api', { image: 'a/api:1.0.0', port: 8080 });
      return app;
    };
    expect(codesOf(build)).toEqual(['name.qualified-name']);
  });

  test('allowFromNamespace pod labels', () => {
    const build = () => {
      const { app, system } = newSystem();
      system
        .addService('api', {
          image: 'a/api:1.0.0',
          port: 8080,
          dependsOn: [Dependency.external('x', { host: 'x.example.com', port: 443 })],
        })
        .allowFromNamespace('monitoring', { podLabels: { 'app name': 'prometheus' } });
      return app;
    };
    expect(codesOf(build)).toEqual(['name.qualified-name']);
  });

  test('a probe timing that is fine stays fine', () => {
    expect(() =>
      codesOf(service({ healthCheck: HealthCheck.command(['true'], { period: Duration.seconds(5) }) })),
    ).toThrow('expected a MsaConfigError');
  });
});

describe('names the library passes through to fields the server checks', () => {
  test("a Service port's appProtocol is a qualified name", () => {
    const build = () => {
      const { app, system } = newSystem();
      system.addService('api', {
        image: 'a/api:1.0.0',
        port: 8080,
        ports: [{ name: 'x', port: 81, appProtocol: 'my proto' }],
      });
      return app;
    };
    expect(codesOf(build)).toEqual(['name.qualified-name']);
  });

  test.each([
    ['ingressClass', 'Traefik_Ingress', 'name.dns-subdomain'],
    ['gatewayClass', 'EG', 'name.dns-subdomain'],
    ['storageClass', 'Fast SSD', 'name.dns-subdomain'],
    ['gatewayProxyNamespace', 'Envoy', 'name.dns-label'],
    ['clusterDomain', 'cluster local', 'name.dns-subdomain'],
  ])('target option %s %j', (option, value, code) => {
    const build = () => {
      const { app, system } = newSystem({ target: Target.kind({ [option]: value }) });
      system.addService('api', { image: 'a/api:1.0.0', port: 8080 });
      return app;
    };
    expect(codesOf(build)).toEqual([code]);
  });
});
