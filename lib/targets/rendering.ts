import { AccessMode } from '../pod/storage';
import { IdentityMechanism, LoadBalancerSupport } from './profile';
import { Target } from './target';

/**
 * Everything a target decides about rendered objects, in one place: Service types and
 * annotations, Ingress classes, identity annotations, StorageClasses and node selectors.
 */

/** Cloud identities of a workload; the target uses the one for its cloud and ignores the rest. */
export interface WorkloadIdentity {
  /** IAM role ARN for IRSA on EKS. @default - none */
  readonly awsRoleArn?: string;
  /** Google service account e-mail for GKE Workload Identity. @default - none */
  readonly gcpServiceAccount?: string;
  /** Client id of the Azure managed identity for AKS Workload Identity. @default - none */
  readonly azureClientId?: string;
}

/** `type` (and `loadBalancerClass`) of a Service exposed through a load balancer, or not. */
export function serviceType(target: Target, loadBalancer: boolean): { [key: string]: string } {
  const distribution: { [key: string]: string } = target.trafficDistribution
    ? { trafficDistribution: target.trafficDistribution }
    : {};
  if (!loadBalancer) return { type: 'ClusterIP', ...distribution };
  const lb = target.props.loadBalancer;
  if (lb.support !== LoadBalancerSupport.AVAILABLE) return { type: 'NodePort', ...distribution };
  return {
    type: 'LoadBalancer',
    ...(lb.loadBalancerClass ? { loadBalancerClass: lb.loadBalancerClass } : {}),
    ...distribution,
  };
}

/** Annotations of a Service behind a load balancer (`loadBalancer`) or an Ingress (`ingress`). */
export function serviceAnnotations(
  target: Target,
  exposure: { loadBalancer: boolean; ingress: boolean; internal: boolean },
): { [key: string]: string } {
  if (exposure.ingress) return { ...target.props.ingress.backendServiceAnnotations };
  if (!exposure.loadBalancer) return {};
  const lb = target.props.loadBalancer;
  if (lb.support !== LoadBalancerSupport.AVAILABLE) return {};
  return { ...(exposure.internal ? lb.internalAnnotations : lb.publicAnnotations) };
}

/** Class name and annotations of an Ingress. */
export function ingressClass(
  target: Target,
  internal: boolean,
): { className?: string; annotations: { [key: string]: string } } {
  const profile = target.props.ingress;
  const classAnnotation = internal
    ? (profile.internalClassAnnotation ?? profile.classAnnotation)
    : profile.classAnnotation;
  return {
    className: internal ? (profile.internalClassName ?? profile.className) : profile.className,
    annotations: {
      ...(classAnnotation ? { 'kubernetes.io/ingress.class': classAnnotation } : {}),
      ...(internal ? (profile.internalAnnotations ?? profile.publicAnnotations) : profile.publicAnnotations),
    },
  };
}

/** ServiceAccount annotations for the target's identity mechanism. */
export function identityAnnotations(target: Target, identity: WorkloadIdentity | undefined): { [key: string]: string } {
  switch (target.identity) {
    case IdentityMechanism.AWS_IRSA:
      return identity?.awsRoleArn ? { 'eks.amazonaws.com/role-arn': identity.awsRoleArn } : {};
    case IdentityMechanism.GCP_WORKLOAD_IDENTITY:
      return identity?.gcpServiceAccount ? { 'iam.gke.io/gcp-service-account': identity.gcpServiceAccount } : {};
    case IdentityMechanism.AZURE_WORKLOAD_IDENTITY:
      return identity?.azureClientId ? { 'azure.workload.identity/client-id': identity.azureClientId } : {};
    default:
      return {};
  }
}

/** Pod labels the identity mechanism needs (Azure's webhook only mutates labelled pods). */
export function identityPodLabels(target: Target, identity: WorkloadIdentity | undefined): { [key: string]: string } {
  return target.identity === IdentityMechanism.AZURE_WORKLOAD_IDENTITY && identity?.azureClientId
    ? { 'azure.workload.identity/use': 'true' }
    : {};
}

/** Whether the workload lacks the identity the target would use. */
export function identityMissing(target: Target, identity: WorkloadIdentity): boolean {
  const wanted = {
    [IdentityMechanism.AWS_IRSA]: identity.awsRoleArn,
    // Pod Identity needs nothing in the manifest, but the role names the association to create.
    [IdentityMechanism.AWS_POD_IDENTITY]: identity.awsRoleArn,
    [IdentityMechanism.GCP_WORKLOAD_IDENTITY]: identity.gcpServiceAccount,
    [IdentityMechanism.AZURE_WORKLOAD_IDENTITY]: identity.azureClientId,
  };
  return target.identity !== IdentityMechanism.NONE && !wanted[target.identity];
}

/** The StorageClass a volume of `accessMode` names, unless it names its own. */
export function storageClassFor(target: Target, accessMode: AccessMode): string | undefined {
  const storage = target.props.storage;
  return accessMode === AccessMode.READ_WRITE_MANY ? storage.readWriteManyClass : storage.storageClass;
}

/** Node selector every pod gets: Linux nodes, and the target's architecture. */
export function nodeSelector(target: Target, extra: { [key: string]: string }): { [key: string]: string } {
  return {
    'kubernetes.io/os': 'linux',
    ...(target.props.architecture ? { 'kubernetes.io/arch': target.props.architecture } : {}),
    ...extra,
  };
}
