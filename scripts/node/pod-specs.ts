/**
 * The pod specs of an output, as the real-node test reads them: which containers run where, what
 * they listen on and what their probes check. Plain functions over the synthesized JSON, so the
 * test judges the output itself, not the library's idea of it.
 */

/** One pod template of an output. */
export interface PodTemplate {
  readonly namespace: string;
  /** `<kind>/<name>`, e.g. `Deployment/catalog`. */
  readonly workload: string;
  readonly kind: string;
  readonly name: string;
  /** The pod template's labels. */
  readonly labels: { [key: string]: string };
  readonly spec: any;
  /** Whether its pods run to completion (Jobs and CronJobs). */
  readonly completes: boolean;
}

/** One container of a pod template, with what a stand-in must do in its place. */
export interface ContainerRole {
  readonly template: PodTemplate;
  readonly container: any;
  /** "serve" (main containers, native sidecars) or "complete" (Job containers, init containers). */
  readonly mode: 'serve' | 'complete';
}

/** A port a container listens on. */
export interface ListenPort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly name?: string;
}

/** Every pod template of the objects. */
export function podTemplates(objects: any[]): PodTemplate[] {
  return objects.flatMap((o): PodTemplate[] => {
    const base = {
      namespace: o.metadata?.namespace ?? 'default',
      kind: o.kind,
      name: o.metadata?.name,
      workload: `${o.kind}/${o.metadata?.name}`,
    };
    const template = (t: any, completes: boolean): PodTemplate[] =>
      t ? [{ ...base, labels: t.metadata?.labels ?? {}, spec: t.spec, completes }] : [];
    switch (o.kind) {
      case 'Deployment':
      case 'StatefulSet':
      case 'DaemonSet':
      case 'ReplicaSet':
        return template(o.spec?.template, false);
      case 'Job':
        return template(o.spec?.template, true);
      case 'CronJob':
        return template(o.spec?.jobTemplate?.spec?.template, true);
      default:
        return [];
    }
  });
}

/** Every container of a template with its role: init containers complete, native sidecars serve. */
export function containerRoles(template: PodTemplate): ContainerRole[] {
  const spec = template.spec ?? {};
  return [
    ...(spec.initContainers ?? []).map((container: any): ContainerRole => ({
      template,
      container,
      mode: container.restartPolicy === 'Always' ? 'serve' : 'complete',
    })),
    ...(spec.containers ?? []).map((container: any): ContainerRole => ({
      template,
      container,
      mode: template.completes ? 'complete' : 'serve',
    })),
  ];
}

/** The argv a container starts with when the image's entrypoint is `entrypoint`. */
export function argvOf(container: any, entrypoint: string): string[] {
  return [...(container.command ?? [entrypoint]), ...(container.args ?? [])];
}

/** Declared container ports. */
export function declaredPorts(container: any): ListenPort[] {
  return (container.ports ?? []).map((p: any) => ({
    port: p.containerPort,
    protocol: p.protocol ?? 'TCP',
    name: p.name,
  }));
}

const PROBES = ['startupProbe', 'readinessProbe', 'livenessProbe'] as const;

/** The probes a container declares. */
export function probesOf(container: any): any[] {
  return PROBES.map((p) => container[p]).filter((p) => p !== undefined);
}

/** Resolves a probe's port (a number or a named container port) to a number. */
export function probePort(container: any, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return declaredPorts(container).find((p) => p.name === port)?.port;
}

/** TCP ports the container's probes connect to (HTTP, TCP and gRPC probes). */
export function probedPorts(container: any): number[] {
  return probesOf(container).flatMap((probe) => {
    const action = probe.httpGet ?? probe.tcpSocket ?? probe.grpc;
    const port = action ? probePort(container, action.port) : undefined;
    return port === undefined ? [] : [port];
  });
}

/** HTTP paths the container's probes ask for. */
export function probedPaths(container: any): string[] {
  return probesOf(container).flatMap((probe) => (probe.httpGet?.path ? [probe.httpGet.path] : []));
}

/** First words of exec probes (`pg_isready`): the image must answer to them. */
export function probeCommands(container: any): string[] {
  return probesOf(container).flatMap((probe) => (probe.exec?.command?.[0] ? [probe.exec.command[0]] : []));
}

/** Mount paths of volumes a container may write to (emptyDir, claims and claim templates, unless mounted read-only). */
export function writableMounts(template: PodTemplate, container: any): string[] {
  const volumes = new Map<string, any>((template.spec?.volumes ?? []).map((v: any) => [v.name, v]));
  return (container.volumeMounts ?? [])
    .filter((m: any) => !m.readOnly)
    .filter((m: any) => {
      const v = volumes.get(m.name);
      // No pod volume of that name: a StatefulSet's claim template.
      return (
        v === undefined ||
        v.emptyDir !== undefined ||
        v.persistentVolumeClaim !== undefined ||
        v.ephemeral !== undefined
      );
    })
    .map((m: any) => m.mountPath);
}

/**
 * The full name containerd stores an image under, as the kubelet asks for it: Docker Hub's
 * domain and `library/` are implied for short names (`postgres:16` is `docker.io/library/postgres:16`).
 */
export function fullImageName(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') return image;
  return slash < 0 ? `docker.io/library/${image}` : `docker.io/${image}`;
}
