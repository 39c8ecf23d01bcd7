export type { ClusterDns } from './policy';
export { KUBE_DNS } from './policy';
