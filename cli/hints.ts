/**
 * Hints for the refusals a deploy meets in practice, added to kubectl's own message: the server
 * says what is wrong, not what to do about it.
 */
const HINTS: ReadonlyArray<{
  readonly pattern: RegExp;
  readonly hint: (match: RegExpExecArray, namespace: string) => string;
}> = [
  {
    // First: a webhook's own service refusing connections is not the cluster failing to answer.
    pattern: /failed calling webhook "([^"]+)"/,
    hint: ([, webhook]) =>
      `the admission webhook ${webhook} did not answer: the controller serving it (the AWS Load Balancer Controller for *.elbv2.k8s.aws, ` +
      'cert-manager, …) is not ready yet. Check its pods, then deploy again',
  },
  {
    // Before the general conflict: a StorageClass cannot change, so --force-conflicts would not help.
    // One conflict reads `conflict with "m": .field`, several `conflicts with "m" using v1:\n- .field`.
    pattern:
      /Apply failed with \d+ conflicts?: conflicts? with "[^"]+"[^]*?(?:: |\n- )\.(parameters|reclaimPolicy|provisioner|volumeBindingMode)\b|StorageClass[^"]*"[^"]+" is invalid/,
    hint: () =>
      'a StorageClass of this name exists already with other settings, and a StorageClass cannot change once created. ' +
      'Use the cluster\'s class instead (Target options storageClass: "<its name>" and provisionStorageClass: false), or delete it if no volume uses it',
  },
  {
    pattern: /Apply failed with \d+ conflicts?: conflicts? with "([^"]+)"/,
    hint: ([, manager]) =>
      `another field manager ("${manager}": a kubectl scale, edit or patch, or a controller) changed these fields since the last deploy. ` +
      "Put the values in the app and synthesize again, or pass --force-conflicts to set them back to the output's",
  },
  {
    pattern: /The StatefulSet "([^"]+)" is invalid: spec(\.volumeClaimTemplates)?: (Invalid value|Forbidden)/,
    hint: ([, name], namespace) =>
      "a StatefulSet's volume claim templates, service name, selector and pod management policy cannot change once it exists. " +
      `Delete the StatefulSet alone, keeping its pods and claims (kubectl delete statefulset ${name} --cascade=orphan${namespace}), then deploy again; ` +
      'existing claims keep their size until you expand them (kubectl patch pvc, where the StorageClass allows expansion)',
  },
  {
    pattern: /The (Deployment|StatefulSet) "([^"]+)" is invalid: spec\.selector: [^\n]*field is immutable/,
    hint: ([, kind, name], namespace) =>
      `a ${kind}'s pod selector cannot change, and it derives from the system and service names: a system renamed in place cannot take over ` +
      `the old system's ${kind}s. Keep the old system name, or delete the old ${kind} first (kubectl delete ${kind.toLowerCase()} ${name}${namespace})`,
  },
  {
    pattern:
      /connection to the server \S+ was refused|dial tcp [^\n]*(connection refused|i\/o timeout|no such host)|Unable to connect to the server/,
    hint: () =>
      'the cluster does not answer: check that it runs (kind get clusters, minikube status, the cloud console) and that the context is the one you mean (--context)',
  },
];

/** kubectl's failure message, followed by a hint when the failure is a known one; `namespace` is the call's `-n`. */
export function withHint(message: string, namespace?: string): string {
  for (const { pattern, hint } of HINTS) {
    const match = pattern.exec(message);
    if (match) return `${message}\nHint: ${hint(match, namespace ? ` -n ${namespace}` : '')}`;
  }
  return message;
}
