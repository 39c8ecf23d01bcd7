import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { EnvFrom, EnvVar, MicroserviceSystem, HealthCheck, Storage, Target } from '../lib';
import { find, objectsOf, problemsOf } from './helpers';

/** cdk8s-plus-27 objects where the library takes names, and our workloads where cdk8s-plus takes pods. */
describe('beside cdk8s-plus-27', () => {
  const image = 'ghcr.io/acme/api:1.0.0';
  const newShop = () => {
    const app = new App();
    return { app, system: new MicroserviceSystem(app, 'shop', { target: Target.kind() }) };
  };

  test('env, envFrom and secret volumes take cdk8s-plus ConfigMaps and Secrets the app creates, unlisted', () => {
    const { app, system } = newShop();
    const config = new kplus.ConfigMap(system, 'config', { data: { mode: 'fast' } });
    const secret = new kplus.Secret(system, 'credentials', { stringData: { token: 'dev-only' } });
    system.addService('api', {
      image,
      port: 8080,
      healthCheck: HealthCheck.http('/healthz'),
      env: { MODE: EnvVar.fromConfigMap(config, 'mode'), TOKEN: EnvVar.fromSecret(secret, 'token') },
      envFrom: [EnvFrom.configMap(config, 'CONFIG_'), EnvFrom.secret(secret)],
      volumes: [Storage.secret('credentials', { mountPath: '/etc/credentials', secretName: secret })],
    });
    const pod = find(objectsOf(app), 'Deployment', 'api').spec.template.spec;
    const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.valueFrom]));
    expect(env.MODE).toEqual({ configMapKeyRef: { name: config.name, key: 'mode' } });
    expect(env.TOKEN).toEqual({ secretKeyRef: { name: secret.name, key: 'token' } });
    expect(pod.containers[0].envFrom).toEqual([
      { configMapRef: { name: config.name }, prefix: 'CONFIG_' },
      { secretRef: { name: secret.name } },
    ]);
    expect(pod.volumes.find((v: any) => v.name === 'credentials').secret.secretName).toBe(secret.name);
  });

  test('a cdk8s-plus Secret that is only imported, or written to another namespace, must still be listed', () => {
    const messages = problemsOf(() => {
      const { app, system } = newShop();
      const imported = kplus.Secret.fromSecretName(system, 'imported', 'db-credentials');
      const elsewhere = new kplus.Secret(new Chart(app, 'other', { namespace: 'other' }), 'elsewhere', {
        stringData: { token: 'x' },
      });
      system.addService('api', {
        image,
        port: 8080,
        healthCheck: HealthCheck.http('/healthz'),
        env: { PASSWORD: EnvVar.fromSecret(imported, 'password'), TOKEN: EnvVar.fromSecret(elsewhere, 'token') },
      });
      return app;
    });
    expect(messages.map((m) => m.replace(/; allowed.*/, ''))).toEqual([
      '[shop/api] env.PASSWORD: received "secret db-credentials"',
      expect.stringMatching(/^\[shop\/api\] env.TOKEN: received "secret other-elsewhere-c8[0-9a-f]+"$/),
    ]);
  });

  test('a microservice is a cdk8s-plus pod selector and network policy peer', () => {
    const { app, system } = newShop();
    const api = system.addService('api', { image, port: 8080, healthCheck: HealthCheck.http('/healthz') });
    const worker = system.addService('worker', {
      image: 'ghcr.io/acme/worker:1.0.0',
      port: 9090,
      healthCheck: HealthCheck.http('/healthz'),
      dependsOn: [api],
    });
    const policy = new kplus.NetworkPolicy(system, 'scrape', { selector: api });
    policy.addIngressRule(worker, [kplus.NetworkPolicyPort.tcp(9100)]);
    const out = new kplus.NetworkPolicy(system, 'scrape-out', { selector: worker });
    out.addEgressRule(api, [kplus.NetworkPolicyPort.tcp(9100)]);
    const objects = objectsOf(app);
    const rendered = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === policy.name);
    expect(objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === out.name).spec).toMatchObject({
      podSelector: { matchLabels: worker.selectorLabels },
      egress: [
        { to: [{ podSelector: { matchLabels: api.selectorLabels } }], ports: [{ port: 9100, protocol: 'TCP' }] },
      ],
    });
    expect(rendered.spec.podSelector).toEqual({ matchLabels: api.selectorLabels });
    expect(rendered.spec.ingress).toEqual([
      {
        from: [
          {
            podSelector: { matchLabels: worker.selectorLabels },
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
          },
        ],
        ports: [{ port: 9100, protocol: 'TCP' }],
      },
    ]);
  });
});
