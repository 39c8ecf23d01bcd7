import { App, Chart } from 'cdk8s';
import { Dependency, HealthCheck, MicroserviceSystem, MsaApp, Target } from '../lib';
import { MESSAGES, problem } from '../lib/messages';
import { codesOf } from './helpers';

/** The validation shape: checks return findings with stable codes, worded by one catalogue. */
describe('validation', () => {
  const shopWith = (add: (system: MicroserviceSystem) => void) => () => {
    const app = new App();
    add(new MicroserviceSystem(app, 'shop', { target: Target.kind() }));
    return app;
  };

  test('each problem carries the code of its rule, in the order of the messages', () => {
    const build = shopWith((shop) => {
      shop.addService('Bad_Name', { image: 'a/api:1.0.0', port: 70000 });
      shop.addService('api', { image: 'nginx', port: 8080, healthCheck: HealthCheck.http('/healthz') });
    });
    expect(codesOf(build)).toEqual(['number.port', 'name.dns-label', 'image.unpinned']);
  });

  test('a problem is worded by the catalogue from the facts its check passes', () => {
    expect(problem('number.port', 'port', 0)).toEqual({
      code: 'number.port',
      prop: 'port',
      received: 0,
      allowed: MESSAGES['number.port'].allowed({}),
      hint: MESSAGES['number.port'].hint({}),
    });
    expect(problem('name.env-name', 'env.1x', '1x', { suggestion: '_1X' }).hint).toBe('try "_1X"');
  });

  test('MsaApp#check() hands every language the problems, their codes and the warnings as data', () => {
    const app = new MsaApp();
    new MicroserviceSystem(app, 'shop', { target: Target.kind() }).addService('api', {
      image: 'a/api:1.0.0',
      port: 8080,
      dependsOn: [Dependency.external('bank', { host: 'https://bank.example.com', port: 443 })],
    });
    const check = app.check();
    expect(check.codes).toEqual(['host.external-host']);
    expect(check.problems).toEqual([expect.stringMatching(/^\[shop\/api\] dependsOn\[0\]\.host: received/)]);
    expect(check.warnings).toHaveLength(2);
    expect(new MsaApp().check()).toEqual({ problems: [], codes: [], warnings: [] });
  });

  test("the app's own cdk8s validations still count, beside the library's checks", () => {
    const build = () => {
      const app = new App();
      const shop = new MicroserviceSystem(app, 'shop');
      shop.node.addValidation({ validate: () => ['the app says no'] });
      new Chart(shop, 'extra').node.addValidation({ validate: () => ['nor here'] });
      return app;
    };
    expect(codesOf(build)).toEqual(['', '']);
  });
});
