/** Pods a NetworkPolicy rule can name: by their labels, in their namespace. */
export interface PodPeer {
  /** Labels that select the pods. */
  readonly selectorLabels: { [key: string]: string };
  /** Namespace of the pods. */
  readonly namespace: string;
}
