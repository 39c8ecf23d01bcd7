// The public API: classes, interfaces and enums only (the jsii subset); helper functions stay internal.
export type { GraphEdge, GraphNode, GraphVolume, IEndpoint, ISystem, IWorkloadNode } from './contracts';
export type { PodPeer } from './pod/pods';
export { MsaConfigError } from './errors';
export type { Findings, Problem } from './errors';
export * from './network/dependency';
export * from './network/exposure';
export type { AutoscalingOptions, DisruptionBudgetOptions } from './objects/scaling';
export * from './objects/external-secret';
export { RabbitMqMode, ScaleTrigger } from './objects/keda';
export type {
  CronTriggerOptions,
  EventScalingOptions,
  KafkaTriggerOptions,
  NatsJetStreamTriggerOptions,
  PrometheusTriggerOptions,
  RabbitMqTriggerOptions,
  RedisListTriggerOptions,
  ScaleTriggerOptions,
  SqsTriggerOptions,
} from './objects/keda';
export type { MetricsOptions } from './objects/monitoring';
export * from './output/app';
export type { HelmChartOptions } from './output/helm';
export { ContainerRole, PortProtocol } from './pod/container';
export type {
  ContainerModel,
  ContainerMount,
  RenderedMount,
  ContainerProps,
  ResourceQuantities,
  Resources,
  NamedPort,
} from './pod/container';
export * from './pod/env';
export * from './pod/pod-security';
export * from './pod/health-check';
export type { SecurityOptions } from './pod/security';
export * from './pod/storage';
export { Manifests, SystemManifest } from './output/synthesis';
export type { SynthOptions, Synthesis } from './output/synthesis';
export * from './system';
export * from './targets/profile';
export type { WorkloadIdentity } from './targets/rendering';
export * from './targets/target';
export * from './output/testing';
export * from './workloads/job';
export * from './workloads/microservice';
export * from './workloads/microservice-props';
export * from './workloads/pod-count';
export * from './workloads/scaled-job';
export { ClaimRetention, PodManagementPolicy } from './workloads/stateful';
export type { StatefulSetOptions } from './workloads/stateful';
export * from './workloads/workload';
export * from './workloads/workload-props';
