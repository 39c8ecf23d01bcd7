/**
 * The Kubernetes 1.27 L1 types the library renders with. They are imported from their own module
 * rather than the cdk8s-plus-27 index, which would load every L2 construct on each synth.
 */
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';

export { k8s };
