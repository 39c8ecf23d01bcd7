import { Exposure, EnvVar, PodCount } from '../lib';
import { codesOf, find, newSystem, objectsOf, oneService, problemsOf } from './helpers';

describe('what Kubernetes accepts, the library accepts (issue #27)', () => {
  test('env var names with dots or dashes (printable ASCII but "=", Kubernetes 1.32+)', () => {
    const objects = oneService({
      env: { 'spring.profiles.active': EnvVar.fromValue('prod'), 'LOG-LEVEL': EnvVar.fromValue('debug') },
    });
    expect(find(objects, 'Deployment', 'api').spec.template.spec.containers[0].env).toEqual(
      expect.arrayContaining([
        { name: 'spring.profiles.active', value: 'prod' },
        { name: 'LOG-LEVEL', value: 'debug' },
      ]),
    );
  });

  test('maxSurge above 100 %', () => {
    const objects = oneService({ rollout: { maxSurge: PodCount.percent(200) } });
    expect(find(objects, 'Deployment', 'api').spec.strategy.rollingUpdate.maxSurge).toBe('200%');
  });

  test('an HPA utilization above 100 (a percentage of the request)', () => {
    const objects = oneService({ autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 150 } });
    expect(find(objects, 'HorizontalPodAutoscaler', 'api').spec.metrics[0].resource.target.averageUtilization).toBe(
      150,
    );
  });
});

describe("a name limit the library's own suffix causes says so and offers a way out", () => {
  const long = `s${'a'.repeat(56)}`; // 57 characters: a valid name, too long for a StatefulSet or with "-cluster"
  const build = (props: object, name?: string) => () => {
    const { app, system } = newSystem();
    system.addService(long, { image: 'a/db:1.0.0', port: 5432, ...(name ? { name } : {}), ...props });
    return app;
  };

  test("a StatefulSet's revision label <name>-<hash> on each pod (the headless Service <name>-headless fits then)", () => {
    const [message] = problemsOf(build({ statefulSet: {} }));
    expect(codesOf(build({ statefulSet: {} }))).toEqual(['stateful.name-too-long']);
    expect(message).toContain(`id: received "${long}"; allowed: a StatefulSet name of at most 52 characters`);
    expect(message).toContain(
      `Hint: shorten it by 5 characters: pass name: "${long.slice(0, 52)}" (the construct id may stay as it is)`,
    );
    // The way out the hint names works; one character more does not (its pods would never be created).
    expect(() => objectsOf(build({ statefulSet: {} }, long.slice(0, 52))())).not.toThrow();
    expect(codesOf(build({ statefulSet: {} }, long.slice(0, 53)))).toEqual(['stateful.name-too-long']);
  });

  test('the ClusterIP Service beside a load balancer', () => {
    const props = { ports: [{ name: 'admin', port: 9000 }], expose: Exposure.loadBalancer() };
    expect(codesOf(build(props))).toEqual(['name.derived-too-long']);
    expect(problemsOf(build(props))[0]).toContain(`"${long}-cluster" (65 characters)`);
  });

  test("a further way in's objects: the port name is part of the name", () => {
    const props = {
      ports: [{ name: 'metrics', port: 9000 }],
      alsoExpose: [Exposure.loadBalancer({ portName: 'metrics' })],
    };
    const [message] = problemsOf(build(props));
    expect(message).toContain('alsoExpose[0].portName: received "metrics"');
    expect(message).toContain('Hint: shorten it by 2 characters: shorten the port name or the service name');
  });
});
