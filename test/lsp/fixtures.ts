/** Manifests and cluster files shared by the LSP tests. */

/** A log shipper (mounts /var/log) with no tolerations. */
export const NODE_AGENT = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-shipper
spec:
  selector:
    matchLabels: {app: log-shipper}
  template:
    metadata:
      labels: {app: log-shipper}
    spec:
      tolerations:
      - key: dedicated
        operator: Equal
        value: gpu
        effect: NoSchedule
      containers:
      - name: shipper
        image: fluent/fluent-bit:3.1
        volumeMounts:
        - {name: varlog, mountPath: /var/log}
      volumes:
      - name: varlog
        hostPath: {path: /var/log}
`;

export function clusterFile(opts: { controlPlaneTaint?: boolean; workers?: number } = {}): string {
  const cp = opts.controlPlaneTaint ?? true;
  const nodes = [`- apiVersion: v1
  kind: Node
  metadata:
    name: cp-1
    labels: {node-role.kubernetes.io/control-plane: "", kubernetes.io/os: linux}
  spec:
${cp ? '    taints:\n    - {key: node-role.kubernetes.io/control-plane, effect: NoSchedule}\n' : '    {}\n'}`];
  for (let i = 1; i <= (opts.workers ?? 2); i++) {
    nodes.push(`- apiVersion: v1
  kind: Node
  metadata:
    name: worker-${i}
    labels: {kubernetes.io/os: linux, pool: general}
  spec: {}
`);
  }
  return `apiVersion: v1\nkind: List\nitems:\n${nodes.join('')}`;
}
