import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { ToolDirs } from './control-plane';

/**
 * The version-keyed tool cache that scripts/cluster/build-tools.sh fills, as the test scripts see
 * it: which Kubernetes versions are pinned, where a built tool lives, and building what is missing.
 */
const repo = path.resolve(__dirname, '../../..');
const buildToolsScript = path.join(repo, 'scripts/cluster/build-tools.sh');

/** The Kubernetes versions scripts/cluster/versions.sh pins, newest first. */
export function pinnedKubeVersions(): string[] {
  const versionsFile = fs.readFileSync(path.join(repo, 'scripts/cluster/versions.sh'), 'utf8');
  return /KUBE_VERSIONS="([^"]+)"/.exec(versionsFile)![1].split(/\s+/);
}

/** The versions an environment variable names (space- or comma-separated), else every pinned one. */
export function kubeVersionsFrom(value: string | undefined): string[] {
  return (value ?? pinnedKubeVersions().join(' ')).split(/[\s,]+/).filter(Boolean);
}

/** Builds (or finds in the cache) each named tool set, printing build-tools.sh's progress. */
export function buildTools(...what: string[]): void {
  execFileSync('bash', [buildToolsScript, ...what], { stdio: 'inherit' });
}

/** The cache directory of one tool set (`etcd`, `kwok`, `gateway-api`, a Kubernetes version, ...). */
export function toolDir(what: string): string {
  return execFileSync('bash', [buildToolsScript, '--print-dir', what], { encoding: 'utf8' }).trim();
}

/** The directories a control plane of `version` runs from. */
export function controlPlaneTools(version: string): ToolDirs {
  return { kube: toolDir(version), etcd: toolDir('etcd'), kwok: toolDir('kwok') };
}
