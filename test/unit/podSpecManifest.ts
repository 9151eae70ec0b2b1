/** Test manifests: a DaemonSet around a pod spec written at column 0. */

export interface PodSpecManifestOptions {
  name: string;
  namespace: string;
  /** The label key the selector and the template labels use (`app`, `k8s-app`). */
  labelKey?: string;
}

/** A DaemonSet whose pod spec is `podSpec` (written at column 0; a leading blank line is dropped). */
export function podSpecManifest(podSpec: string, { name, namespace, labelKey = 'app' }: PodSpecManifestOptions): string {
  const body = podSpec.replace(/^\n/, '').replace(/^(?=.)/gm, '      ');
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector:
    matchLabels:
      ${labelKey}: ${name}
  template:
    metadata:
      labels:
        ${labelKey}: ${name}
    spec:
${body}`;
}
