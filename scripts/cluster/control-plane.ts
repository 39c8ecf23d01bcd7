import { ChildProcess, execFile, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/**
 * A real Kubernetes control plane on 127.0.0.1 for tests: etcd, kube-apiserver (token auth, RBAC,
 * service-account keys, Pod Security admission), kube-controller-manager, kube-scheduler, and
 * kwok managing three fake Nodes with hostname and zone labels; or, with `nodeAddress`, no fake
 * nodes and an API server that a real kubelet and pods reach on that address (`RealNode`). Every process it starts leads
 * its own process group, which `stop()` kills as a whole (children of children included); stop
 * also runs on exit and on SIGINT/SIGTERM. Ports are picked free and then bound by the processes,
 * so another process may take one in between: a start that fails on a taken port is retried with
 * new ports. Every kubectl call is bounded in time, so one hung call cannot outlive a deadline.
 */
export interface ToolDirs {
  /** Directory with kube-apiserver, kube-controller-manager, kube-scheduler and kubectl. */
  readonly kube: string;
  /** Directory with etcd. */
  readonly etcd: string;
  /** Directory with kwok. */
  readonly kwok: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long one kubectl call may take. */
const KUBECTL_TIMEOUT_MS = 150_000;
/** Starts tried before a port collision is reported as a failure. */
const START_ATTEMPTS = 3;

class PortCollision extends Error {}

/** How the control plane is reached and what runs the pods. */
export interface ControlPlaneOptions {
  /** Name of the kubeconfig's only context (deploy checks context names against targets). @default "test" */
  readonly contextName?: string;
  /**
   * An address of this network namespace that pods reach the API server on (the `kubernetes`
   * Service's endpoint) and a real node registers with. Without it, everything binds 127.0.0.1
   * and kwok runs three fake nodes.
   */
  readonly nodeAddress?: string;
}

/** The pod range the node IPAM controller hands out (a /24 per node); kwok uses it too. */
export const CLUSTER_CIDR = '10.244.0.0/16';
/** The Service range; the first address is the `kubernetes` Service, .10 the cluster DNS. */
export const SERVICE_CIDR = '10.96.0.0/16';

export class ControlPlane {
  /** kubeconfig for the admin user. */
  public readonly kubeconfig: string;
  /** Server version, e.g. v1.37.2. */
  public version = '';
  protected readonly dir: string;
  private readonly processes: Array<{ readonly name: string; readonly child: ChildProcess }> = [];
  private readonly onSignal = () => {
    this.stop();
    process.exit(130);
  };
  private stopped = false;

  constructor(
    protected readonly tools: ToolDirs,
    private readonly options: ControlPlaneOptions = {},
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-msa-cluster-'));
    this.kubeconfig = path.join(this.dir, 'kubeconfig');
    process.once('exit', () => this.stop());
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  /** Starts everything and waits until the API server is ready (and kwok's nodes are Ready). */
  public async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.startOnce();
      } catch (e) {
        if (!(e instanceof PortCollision) || attempt === START_ATTEMPTS) throw e;
        process.stdout.write(`${e.message}; retrying with new ports (attempt ${attempt + 1} of ${START_ATTEMPTS})\n`);
        this.killAll();
        for (const entry of fs.readdirSync(this.dir))
          fs.rmSync(path.join(this.dir, entry), { recursive: true, force: true });
      }
    }
  }

  private async startOnce(): Promise<void> {
    const started = Date.now();
    const [etcdClient, etcdPeer, apiserver, kcm, scheduler, kwokPort] = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(() => freePort()),
    );
    const file = (name: string) => path.join(this.dir, name);
    const realNode = this.options.nodeAddress;
    const contextName = this.options.contextName ?? 'test';
    execFileSync('openssl', ['genrsa', '-out', file('sa.key'), '2048'], { stdio: 'ignore' });
    execFileSync('openssl', ['rsa', '-in', file('sa.key'), '-pubout', '-out', file('sa.pub')], { stdio: 'ignore' });
    const token = `msa-${process.pid}-${Date.now()}`;
    fs.writeFileSync(file('tokens.csv'), `${token},admin,admin,system:masters\n`);

    this.spawn('etcd', path.join(this.tools.etcd, 'etcd'), [
      `--data-dir=${file('etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
      '--unsafe-no-fsync',
      '--log-level=error',
    ]);
    this.spawn('kube-apiserver', path.join(this.tools.kube, 'kube-apiserver'), [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      `--bind-address=${realNode ? '0.0.0.0' : '127.0.0.1'}`,
      `--advertise-address=${realNode ?? '127.0.0.1'}`,
      `--secure-port=${apiserver}`,
      `--cert-dir=${file('certs')}`,
      `--token-auth-file=${file('tokens.csv')}`,
      '--authorization-mode=RBAC',
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${file('sa.pub')}`,
      `--service-account-signing-key-file=${file('sa.key')}`,
      '--allow-privileged=false',
      ...(realNode
        ? // The node's name resolves nowhere: logs and exec reach the kubelet by its address.
          ['--kubelet-preferred-address-types=InternalIP']
        : [
            // The endpoint reconciler refuses loopback addresses; kwok's pods need no kubernetes Endpoints.
            '--endpoint-reconciler-type=none',
            // kwok nodes send no kubelet heartbeats: keep nodes untainted and out of the node lifecycle
            // controller's reach, or it marks them NotReady after its grace period and pods flap.
            '--disable-admission-plugins=TaintNodesByCondition',
          ]),
    ]);
    fs.writeFileSync(
      this.kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        `current-context: ${contextName}`,
        'clusters:',
        '- name: test',
        '  cluster:',
        `    server: https://127.0.0.1:${apiserver}`,
        '    insecure-skip-tls-verify: true',
        'users:',
        '- name: admin',
        '  user:',
        `    token: ${token}`,
        'contexts:',
        `- name: ${contextName}`,
        '  context:',
        '    cluster: test',
        '    user: admin',
        '',
      ].join('\n'),
    );
    await this.waitFor('kube-apiserver /readyz', () => this.kubectlQuiet(['get', '--raw', '/readyz']) === 'ok', 90_000);
    this.version = JSON.parse(this.kubectl(['version', '-o', 'json'])).serverVersion.gitVersion;

    this.spawn('kube-controller-manager', path.join(this.tools.kube, 'kube-controller-manager'), [
      `--kubeconfig=${this.kubeconfig}`,
      '--leader-elect=false',
      `--secure-port=${kcm}`,
      '--bind-address=127.0.0.1',
      `--service-account-private-key-file=${file('sa.key')}`,
      `--root-ca-file=${file('certs/apiserver.crt')}`,
      ...(realNode
        ? ['--allocate-node-cidrs', `--cluster-cidr=${CLUSTER_CIDR}`, '--node-cidr-mask-size=24']
        : ['--controllers=*,-nodeipam,-nodelifecycle']),
    ]);
    this.spawn('kube-scheduler', path.join(this.tools.kube, 'kube-scheduler'), [
      `--kubeconfig=${this.kubeconfig}`,
      '--leader-elect=false',
      `--secure-port=${scheduler}`,
      '--bind-address=127.0.0.1',
    ]);
    if (!realNode) await this.startKwok(kwokPort);
    await this.waitFor(
      'default ServiceAccount',
      () => this.kubectlQuiet(['get', 'serviceaccount', 'default', '-n', 'default', '-o', 'name']) !== '',
      60_000,
    );
    process.stdout.write(
      `control plane ${this.version} ready in ${((Date.now() - started) / 1000).toFixed(1)}s (${this.dir})\n`,
    );
  }

  private async startKwok(port: number): Promise<void> {
    this.spawn('kwok', path.join(this.tools.kwok, 'kwok'), [
      `--kubeconfig=${this.kubeconfig}`,
      '--manage-all-nodes=true',
      '--cidr=10.244.0.1/16',
      '--node-ip=127.0.0.1',
      `--server-address=127.0.0.1:${port}`,
    ]);
    this.apply(this.nodes());
    await this.waitFor(
      '3 Ready nodes',
      () =>
        this.kubectlQuiet([
          'get',
          'nodes',
          '-o',
          'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}',
        ]) === 'True True True',
      60_000,
    );
  }

  /** Runs kubectl against this cluster; throws with kubectl's stderr on failure. */
  public kubectl(args: string[], input?: string): string {
    return execFileSync(path.join(this.tools.kube, 'kubectl'), [`--kubeconfig=${this.kubeconfig}`, ...args], {
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
      timeout: KUBECTL_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
  }

  /** Runs kubectl without blocking, so several calls (execs into pods) overlap; rejects with stderr on failure. */
  public kubectlAsync(args: string[], input?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        path.join(this.tools.kube, 'kubectl'),
        [`--kubeconfig=${this.kubeconfig}`, ...args],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: KUBECTL_TIMEOUT_MS, killSignal: 'SIGKILL' },
        (error, stdout, stderr) => (error ? reject(Object.assign(error, { stderr })) : resolve(stdout)),
      );
      child.stdin?.end(input ?? '');
    });
  }

  /** Runs kubectl; returns stdout and the server's warnings, throws with stderr on failure. */
  public kubectlWarnings(args: string[], input?: string): { stdout: string; warnings: string[] } {
    const result = spawnSync(path.join(this.tools.kube, 'kubectl'), [`--kubeconfig=${this.kubeconfig}`, ...args], {
      input,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: KUBECTL_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    if (result.error)
      throw Object.assign(new Error(`kubectl ${args[0]}: ${result.error.message}`), {
        stderr: `kubectl ${args.join(' ')}: ${result.error.message}`,
      });
    if (result.status !== 0) throw Object.assign(new Error(result.stderr), { stderr: result.stderr });
    return { stdout: result.stdout, warnings: result.stderr.split('\n').filter((l) => l.startsWith('Warning: ')) };
  }

  /** Runs kubectl and returns stdout, or '' when it fails. */
  public kubectlQuiet(args: string[]): string {
    try {
      return this.kubectl(args).trim();
    } catch {
      return '';
    }
  }

  /** Path of the kubectl binary matching the server. */
  public get kubectlPath(): string {
    return path.join(this.tools.kube, 'kubectl');
  }

  /** Server-side applies YAML text. */
  public apply(yaml: string): string {
    return this.kubectl(['apply', '--server-side', '--field-manager=cdk8s-msa-test', '-f', '-'], yaml);
  }

  /**
   * Installs the CRDs the outputs need, as a platform would have them: the Gateway API
   * standard-channel CRDs in `gatewayApiDir`, and our own minimal CRDs of the objects the library
   * emits beside a route for a cloud's controller (`scripts/cluster/*-crd.yaml`: the AWS Load
   * Balancer Controller's TargetGroupConfiguration, GKE's HealthCheckPolicy). Waits until they
   * serve; returns the files installed, each reported to `each` first.
   */
  public installCrds(
    gatewayApiDir: string,
    each: (file: string, install: () => string) => void = (_f, install) => {
      install();
    },
  ): string[] {
    const ours = path.join(__dirname, '../../../scripts/cluster');
    const files = [
      ...fs
        .readdirSync(gatewayApiDir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => path.join(gatewayApiDir, f)),
      ...fs
        .readdirSync(ours)
        .filter((f) => f.endsWith('-crd.yaml'))
        .sort()
        .map((f) => path.join(ours, f)),
    ];
    for (const file of files) each(path.basename(file), () => this.apply(fs.readFileSync(file, 'utf8')));
    this.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
    return files.map((f) => path.basename(f));
  }

  /** Kills every process group started, newest first, and removes the temp dir. */
  public stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
    this.killAll();
    this.release();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Frees what the started processes left behind in the temp dir (mounts), before it is removed. */
  protected release(): void {}

  private killAll(): void {
    for (const { child } of [...this.processes].reverse()) {
      // Negative pid: the whole process group the child leads (spawned detached).
      if (child.pid)
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
    }
    this.processes.length = 0;
  }

  /** Starts a process in its own process group, logging to `<dir>/<name>.log`; stop() kills the group. */
  protected spawn(name: string, binary: string, args: string[], env?: NodeJS.ProcessEnv): void {
    const log = fs.openSync(path.join(this.dir, `${name}.log`), 'a');
    const child = spawn(binary, args, { stdio: ['ignore', log, log], detached: true, env: env ?? process.env });
    fs.closeSync(log);
    const entry = { name, child };
    child.once('exit', (code, signal) => {
      if (!this.stopped && this.processes.includes(entry))
        process.stderr.write(`${name} exited (${code ?? signal}); last log lines:\n${this.tail(name)}\n`);
    });
    this.processes.push(entry);
  }

  protected tail(name: string): string {
    try {
      return fs
        .readFileSync(path.join(this.dir, `${name}.log`), 'utf8')
        .split('\n')
        .slice(-15)
        .join('\n');
    } catch {
      return '';
    }
  }

  /** Polls `check` every 250 ms until it holds; fails at once when a started process has exited. */
  protected async waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (check()) return;
      const dead = this.processes.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
      if (dead && /address already in use/.test(this.tail(dead.name)))
        throw new PortCollision(`${dead.name} found its port taken`);
      if (dead) throw new Error(`${dead.name} exited while waiting for ${what}`);
      await sleep(250);
    }
    throw new Error(`timed out waiting for ${what}; apiserver log:\n${this.tail('kube-apiserver')}`);
  }

  private nodes(): string {
    return [1, 2, 3]
      .map((i) =>
        [
          'apiVersion: v1',
          'kind: Node',
          'metadata:',
          `  name: kwok-node-${i}`,
          '  annotations:',
          '    kwok.x-k8s.io/node: fake',
          '    node.alpha.kubernetes.io/ttl: "0"',
          '  labels:',
          `    kubernetes.io/hostname: kwok-node-${i}`,
          '    kubernetes.io/os: linux',
          '    kubernetes.io/arch: amd64',
          `    topology.kubernetes.io/zone: zone-${String.fromCharCode(96 + i)}`,
          '    type: kwok',
          'status:',
          '  allocatable: {cpu: "32", memory: 256Gi, pods: "110", ephemeral-storage: 1Ti}',
          '  capacity: {cpu: "32", memory: 256Gi, pods: "110", ephemeral-storage: 1Ti}',
        ].join('\n'),
      )
      .join('\n---\n');
  }
}
