/** cdk8s value types used in props, re-exported so apps need one import. */
export { Duration, Size } from 'cdk8s';
export * from './dependency';
export * from './env';
export * from './errors';
export * from './exposure';
export * from './labels';
export * from './microservice';
export * from './pod-security';
export * from './probe';
export * from './storage';
export * from './synth';
export * from './system';
export * from './targets/profile';
export * from './targets/target';
export * from './deploy';
export * from './testing';
export type { ClusterDns } from './network';
export { toYaml } from './yaml-writer';
