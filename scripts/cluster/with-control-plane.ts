import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ControlPlane, ToolDirs } from './control-plane';
import { controlPlaneTools, pinnedKubeVersions } from './tools';

/**
 * Runs one command against a fresh control plane and stops it afterwards:
 *
 *   node build/scripts/cluster/with-control-plane.js [--context <name>] -- <command> [args...]
 *
 * The command gets KUBECONFIG (one context, named `--context`, default `kind-msa` so that kind
 * output passes deploy's context check), KUBECTL and a PATH whose kubectl matches the server.
 * Exits with the command's status; 4 when the control-plane tools are not built (run
 * `bash scripts/cluster/build-tools.sh etcd kwok <version>`; the first pinned version is used).
 */
function builtToolDirs(): ToolDirs | undefined {
  const tools = controlPlaneTools(pinnedKubeVersions()[0]);
  return Object.values(tools).every((d) => fs.existsSync(path.join(d, '.complete'))) ? tools : undefined;
}

async function main(argv: string[]): Promise<number> {
  const separator = argv.indexOf('--');
  if (separator < 0 || separator === argv.length - 1)
    throw new Error('usage: with-control-plane.js [--context <name>] -- <command> [args...]');
  const options = argv.slice(0, separator);
  const contextName = options[0] === '--context' && options[1] ? options[1] : 'kind-msa';
  const [command, ...args] = argv.slice(separator + 1);
  const tools = builtToolDirs();
  if (!tools) {
    process.stderr.write('control-plane tools are not built: run bash scripts/cluster/build-tools.sh all\n');
    return 4;
  }
  const cluster = new ControlPlane(tools, { contextName });
  try {
    await cluster.start();
    const run = spawnSync(command, args, {
      stdio: 'inherit',
      env: {
        ...process.env,
        KUBECONFIG: cluster.kubeconfig,
        KUBECTL: cluster.kubectlPath,
        PATH: `${tools.kube}${path.delimiter}${process.env.PATH}`,
      },
    });
    return run.status ?? 1;
  } finally {
    cluster.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`${e instanceof Error ? e.message : e}\n`);
    process.exitCode = 1;
  },
);
