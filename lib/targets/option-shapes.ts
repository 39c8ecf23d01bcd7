import { Shape } from '../checks';
import { Architecture, IdentityMechanism } from './profile';

const S = 'a string';
/** The JavaScript shape of each built-in target's options. */
export const TARGET_OPTIONS: { readonly [option: string]: Shape } = {
  storageClass: S,
  readWriteManyClass: S,
  provisionStorageClass: 'a boolean',
  ingressClass: S,
  ingressControllerNamespace: S,
  internalIngressClass: S,
  gatewayClass: S,
  internalGatewayClass: S,
  gatewayProxyNamespace: S,
  gatewayListenerPorts: { fields: { http: 'a number', https: 'a number' }, required: ['http', 'https'] },
  awsIdentity: {
    oneOf: [IdentityMechanism.AWS_IRSA, IdentityMechanism.AWS_POD_IDENTITY],
    example: 'IdentityMechanism.AWS_POD_IDENTITY',
  },
  autopilotBursting: 'a boolean',
  internalByDefault: 'a boolean',
  clusterDomain: S,
  kubernetesVersion: S,
  architecture: { oneOf: Object.values(Architecture), example: 'Architecture.ARM64' },
};
