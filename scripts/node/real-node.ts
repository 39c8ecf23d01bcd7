import * as fs from 'fs';
import * as path from 'path';
import { execFileSync, spawnSync } from 'child_process';
import { CLUSTER_CIDR, ControlPlane, SERVICE_CIDR, ToolDirs } from '../cluster/control-plane';

/** Where the node's binaries are, beside the control plane's. */
export interface NodeToolDirs extends ToolDirs {
  /** Directory with kubelet and kube-proxy. */
  readonly nodeKube: string;
  /** Directory with coredns, kube-router and traefik. */
  readonly addons: string;
}

/** Name the node registers under. */
export const NODE_NAME = 'msa-node';
/** The cluster DNS Service's address: kubelets write it into every pod's resolv.conf. */
export const CLUSTER_DNS = '10.96.0.10';
/** The node's pod range: the first /24 the node IPAM controller hands out of CLUSTER_CIDR. */
const POD_CIDR = '10.244.0.0/24';
/** The sandbox ("pause") image containerd starts every pod with; imported, never pulled. */
export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';

/**
 * A real single-node cluster inside the network namespace the process runs in (test-node.sh
 * makes it, with `nodeAddress` on a dummy interface and a default route into it, so nothing
 * leaves): the control plane, containerd and runc (Debian), the Debian CNI plugins (bridge,
 * host-local, portmap, loopback), a kubelet, kube-proxy in iptables mode and kube-router
 * enforcing NetworkPolicies. CoreDNS runs as a pod (`installDns`), so the outputs' DNS egress
 * policies meet a real `k8s-app: kube-dns` pod. Images are imported into containerd
 * (`importImage`), never pulled.
 */
export class RealNode extends ControlPlane {
  private readonly containerdSocket: string;

  constructor(
    private readonly nodeTools: NodeToolDirs,
    private readonly nodeAddress: string,
    /** The cgroup every pod lives under (per test run), so teardown finds exactly its own. */
    private readonly cgroupRoot: string,
  ) {
    super(nodeTools, { nodeAddress });
    // release() ends every other process of its PID namespace: only ever inside test-node.sh's.
    if (!fs.readFileSync('/proc/1/cmdline', 'utf8').includes('scripts/node/inside.sh'))
      throw new Error('RealNode runs only inside the namespaces of scripts/node/test-node.sh');
    this.containerdSocket = path.join(this.dir, 'containerd.sock');
  }

  /** Starts the control plane, then the node, and waits until the node is Ready. */
  public async start(): Promise<void> {
    await super.start();
    const started = Date.now();
    await this.startContainerd();
    this.startKubelet();
    await this.waitFor(
      `node ${NODE_NAME} registered`,
      () => this.kubectlQuiet(['get', 'node', NODE_NAME, '-o', 'name']) !== '',
      60_000,
    );
    await this.waitFor(
      `a pod range for ${NODE_NAME}`,
      () => this.kubectlQuiet(['get', 'node', NODE_NAME, '-o', 'jsonpath={.spec.podCIDR}']) !== '',
      60_000,
    );
    const podCidr = this.kubectl(['get', 'node', NODE_NAME, '-o', 'jsonpath={.spec.podCIDR}']).trim();
    if (podCidr !== POD_CIDR)
      throw new Error(`the node got pod range ${podCidr}; the CNI configuration uses ${POD_CIDR}`);
    this.startKubeProxy();
    this.startKubeRouter();
    await this.waitFor(
      `node ${NODE_NAME} Ready`,
      () =>
        this.kubectlQuiet([
          'get',
          'node',
          NODE_NAME,
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
        ]) === 'True',
      120_000,
    );
    process.stdout.write(`node ${NODE_NAME} ready in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  }

  /**
   * Ends what the process groups did not take along: containerd's shims and the containers, which
   * leave their parents' groups. In test-node.sh's PID namespace every process but its init and
   * this one was started by the test. Then unmounts what they mounted in the scratch dir.
   */
  protected release(): void {
    const others = () =>
      fs
        .readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .map(Number)
        .filter((pid) => pid !== 1 && pid !== process.pid);
    for (const pid of others()) signal(pid, 'SIGKILL');
    for (let i = 0; i < 50 && others().some(isAlive); i++) execFileSync('sleep', ['0.1']);
    const mounts = fs
      .readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[4])
      .filter((mountPoint) => mountPoint?.startsWith(`${this.dir}/`))
      .sort((a, b) => b.length - a.length);
    for (const mountPoint of mounts) spawnSync('umount', ['--lazy', mountPoint]);
  }

  /** Imports an OCI image layout tarball into containerd's Kubernetes namespace. */
  public importImage(tarball: string): void {
    execFileSync(
      'ctr',
      ['--address', this.containerdSocket, '--namespace', 'k8s.io', 'images', 'import', '--no-unpack', tarball],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 120_000,
      },
    );
  }

  /** A file of the node's scratch directory. */
  public file(name: string): string {
    return path.join(this.dir, name);
  }

  private async startContainerd(): Promise<void> {
    const cniConfDir = this.file('cni');
    fs.mkdirSync(cniConfDir, { recursive: true });
    fs.writeFileSync(
      path.join(cniConfDir, '10-msa.conflist'),
      JSON.stringify({
        cniVersion: '0.4.0',
        name: 'msa',
        plugins: [
          {
            type: 'bridge',
            bridge: 'cni0',
            isGateway: true,
            ipMasq: false,
            // A pod that reaches its own Service is sent back through the bridge.
            hairpinMode: true,
            ipam: {
              type: 'host-local',
              ranges: [[{ subnet: POD_CIDR }]],
              routes: [{ dst: '0.0.0.0/0' }],
              dataDir: this.file('cni-ipam'),
            },
          },
          { type: 'portmap', capabilities: { portMappings: true } },
        ],
      }),
    );
    fs.writeFileSync(
      this.file('containerd.toml'),
      [
        'version = 2',
        `root = "${this.file('containerd/root')}"`,
        `state = "${this.file('containerd/state')}"`,
        '[grpc]',
        `  address = "${this.containerdSocket}"`,
        '[plugins."io.containerd.grpc.v1.cri"]',
        `  sandbox_image = "${SANDBOX_IMAGE}"`,
        // The test runs without CAP_SYS_RESOURCE: containerd may not lower a sandbox's OOM score.
        '  restrict_oom_score_adj = true',
        '  [plugins."io.containerd.grpc.v1.cri".cni]',
        '    bin_dir = "/usr/lib/cni"',
        `    conf_dir = "${cniConfDir}"`,
        '  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]',
        '    runtime_type = "io.containerd.runc.v2"',
        '',
      ].join('\n'),
    );
    this.spawn('containerd', 'containerd', ['--config', this.file('containerd.toml')]);
    await this.waitFor('containerd', () => fs.existsSync(this.containerdSocket), 30_000);
  }

  private startKubelet(): void {
    fs.writeFileSync(
      this.file('kubelet.yaml'),
      JSON.stringify({
        apiVersion: 'kubelet.config.k8s.io/v1beta1',
        kind: 'KubeletConfiguration',
        // The machine runs cgroup v1, which kubelets since 1.35 refuse unless told otherwise.
        failCgroupV1: false,
        cgroupDriver: 'cgroupfs',
        cgroupsPerQOS: true,
        cgroupRoot: this.cgroupRoot,
        enforceNodeAllocatable: [],
        failSwapOn: false,
        containerRuntimeEndpoint: `unix://${this.containerdSocket}`,
        clusterDNS: [CLUSTER_DNS],
        clusterDomain: 'cluster.local',
        resolvConf: '',
        podLogsDir: this.file('pod-logs'),
        // kubectl exec and logs reach the kubelet from the API server inside this namespace only.
        authentication: { anonymous: { enabled: true }, webhook: { enabled: false } },
        authorization: { mode: 'AlwaysAllow' },
        address: this.nodeAddress,
        readOnlyPort: 0,
        healthzPort: 0,
        // Imported images cannot be pulled again: never collect them.
        imageGCHighThresholdPercent: 100,
        imageGCLowThresholdPercent: 99,
        evictionHard: { 'memory.available': '100Mi' },
        serializeImagePulls: false,
      }),
    );
    this.spawn('kubelet', path.join(this.nodeTools.nodeKube, 'kubelet'), [
      `--config=${this.file('kubelet.yaml')}`,
      `--kubeconfig=${this.kubeconfig}`,
      `--hostname-override=${NODE_NAME}`,
      `--node-ip=${this.nodeAddress}`,
      `--root-dir=${this.file('kubelet')}`,
      `--cert-dir=${this.file('kubelet-pki')}`,
    ]);
  }

  private startKubeProxy(): void {
    this.spawn('kube-proxy', path.join(this.nodeTools.nodeKube, 'kube-proxy'), [
      `--kubeconfig=${this.kubeconfig}`,
      `--hostname-override=${NODE_NAME}`,
      '--proxy-mode=iptables',
      `--cluster-cidr=${CLUSTER_CIDR}`,
      // Conntrack limits are the host's to set; a network namespace may not.
      '--conntrack-max-per-core=0',
      '--conntrack-tcp-timeout-established=0',
      '--conntrack-tcp-timeout-close-wait=0',
    ]);
  }

  private startKubeRouter(): void {
    this.spawn('kube-router', path.join(this.nodeTools.addons, 'kube-router'), [
      `--kubeconfig=${this.kubeconfig}`,
      `--hostname-override=${NODE_NAME}`,
      '--run-firewall=true',
      '--run-router=false',
      '--run-service-proxy=false',
      '--enable-cni=false',
      '--enable-ipv6=false',
      '--metrics-port=0',
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
    ]);
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    /* already gone */
  }
}

function isAlive(pid: number): boolean {
  try {
    // A zombie still has a /proc entry; its state letter says so.
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
