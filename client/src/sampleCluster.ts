/**
 * A small cluster file, written by "DaemonSet Lens: Create Sample Cluster File": the shape of
 * `kubectl get nodes -o yaml`, with the node kinds that decide where DaemonSets land.
 */
export const SAMPLE_CLUSTER_FILE_NAME = 'cluster.yaml';

export const SAMPLE_CLUSTER = `# A sample cluster for DaemonSet Lens, in the shape of \`kubectl get nodes -o yaml\`.
# Replace it with your own nodes:   kubectl get nodes -o yaml > cluster.yaml
# Add pods to see the next sync:    kubectl get nodes,pods -A -o yaml > cluster.yaml
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata:
    name: cp-1
    labels:
      kubernetes.io/hostname: cp-1
      kubernetes.io/os: linux
      node-role.kubernetes.io/control-plane: ""
  spec:
    taints:
    - key: node-role.kubernetes.io/control-plane
      effect: NoSchedule
  status:
    allocatable: {cpu: "4", memory: 8Gi, pods: "110"}
    conditions:
    - {type: Ready, status: "True"}
- apiVersion: v1
  kind: Node
  metadata:
    name: worker-1
    labels:
      kubernetes.io/hostname: worker-1
      kubernetes.io/os: linux
      node.kubernetes.io/pool: general
  status:
    allocatable: {cpu: "8", memory: 32Gi, pods: "110"}
    conditions:
    - {type: Ready, status: "True"}
- apiVersion: v1
  kind: Node
  metadata:
    name: worker-2
    labels:
      kubernetes.io/hostname: worker-2
      kubernetes.io/os: linux
      node.kubernetes.io/pool: general
  spec:
    unschedulable: true
    taints:
    - key: node.kubernetes.io/unschedulable
      effect: NoSchedule
  status:
    allocatable: {cpu: "8", memory: 32Gi, pods: "110"}
    conditions:
    - {type: Ready, status: "True"}
- apiVersion: v1
  kind: Node
  metadata:
    name: worker-3
    labels:
      kubernetes.io/hostname: worker-3
      kubernetes.io/os: linux
      node.kubernetes.io/pool: general
  spec:
    taints:
    - key: node.kubernetes.io/not-ready
      effect: NoSchedule
    - key: node.kubernetes.io/not-ready
      effect: NoExecute
  status:
    allocatable: {cpu: "8", memory: 32Gi, pods: "110"}
    conditions:
    - {type: Ready, status: "False"}
- apiVersion: v1
  kind: Node
  metadata:
    name: gpu-1
    labels:
      kubernetes.io/hostname: gpu-1
      kubernetes.io/os: linux
      node.kubernetes.io/pool: gpu
  spec:
    taints:
    - key: nvidia.com/gpu
      value: present
      effect: NoSchedule
  status:
    allocatable: {cpu: "16", memory: 64Gi, nvidia.com/gpu: "4", pods: "110"}
    conditions:
    - {type: Ready, status: "True"}
- apiVersion: v1
  kind: Node
  metadata:
    name: win-1
    labels:
      kubernetes.io/hostname: win-1
      kubernetes.io/os: windows
  spec:
    taints:
    - key: os
      value: windows
      effect: NoSchedule
  status:
    allocatable: {cpu: "4", memory: 16Gi, pods: "110"}
    conditions:
    - {type: Ready, status: "True"}
`;
