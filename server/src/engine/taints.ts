/**
 * The catalogue of well-known taints and node labels, for hovers, completion and rule messages.
 * Keys are the constants of api/core/v1/well_known_taints.go, cloud-provider/api/well_known_taints.go
 * and api/core/v1/well_known_labels.go; the default DaemonSet tolerations are those of
 * pkg/controller/daemon/util/daemonset_util.go AddOrUpdateDaemonPodTolerations.
 */

export const DOCS_BASE = 'https://kubernetes.io/docs/reference/labels-annotations-taints/';
export const TAINTS_CONCEPT_URL = 'https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/';
export const DAEMONSET_TAINTS_URL = 'https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#taints-and-tolerations';
export const POD_OS_URL = 'https://kubernetes.io/docs/concepts/workloads/pods/#pod-os';

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export const TOLERATION_OPERATORS = ['Equal', 'Exists'] as const;
/** Toleration operators behind the alpha gate TaintTolerationComparisonOperators (1.35). */
export const COMPARISON_OPERATORS = ['Lt', 'Gt'] as const;
export const NODE_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const;

export interface WellKnownTaint {
  key: string;
  /** The effects this taint is applied with. */
  effects: string[];
  /** A typical value, when the taint has one. */
  value?: string;
  /** What it means, one or two sentences. */
  meaning: string;
  /** Who sets it and when. */
  setBy: string;
  /** The effect the DaemonSet controller tolerates by default; `hostNetwork` when only for host-network pods. */
  daemonSetDefault?: { effect: string; onlyHostNetwork?: boolean };
  docs: string;
  deprecated?: boolean;
  /** For taints that come and go with the node's state: when (for messages). */
  transient?: string;
  /** Set by a node autoscaler, not by Kubernetes itself (AUTOSCALER_TAINTS). */
  autoscaler?: boolean;
}

const doc = (anchor: string) => `${DOCS_BASE}#${anchor}`;

/** Well-known taints, in the order a reader meets them. */
export const WELL_KNOWN_TAINTS: readonly WellKnownTaint[] = [
  {
    key: 'node.kubernetes.io/not-ready',
    transient: 'while the node is NotReady',
    effects: ['NoSchedule', 'NoExecute'],
    meaning: "The node's Ready condition is False.",
    setBy: 'The node lifecycle controller (kube-controller-manager) adds it with NoSchedule and NoExecute while the node is NotReady; the TaintNodesByCondition admission plugin puts the NoSchedule variant on every new node at registration. Removed when the node becomes Ready. Ordinary pods tolerate the NoExecute variant for 300 s (DefaultTolerationSeconds).',
    daemonSetDefault: { effect: 'NoExecute' },
    docs: doc('node-kubernetes-io-not-ready'),
  },
  {
    key: 'node.kubernetes.io/unreachable',
    transient: 'while the node is unreachable',
    effects: ['NoSchedule', 'NoExecute'],
    meaning: "The node controller lost contact with the node: its Ready condition is Unknown (the kubelet stopped posting status).",
    setBy: 'The node lifecycle controller adds it with NoSchedule and NoExecute; removed when the node reports again.',
    daemonSetDefault: { effect: 'NoExecute' },
    docs: doc('node-kubernetes-io-unreachable'),
  },
  {
    key: 'node.kubernetes.io/unschedulable',
    effects: ['NoSchedule'],
    meaning: 'The node is cordoned (`spec.unschedulable: true`, `kubectl cordon` / `kubectl drain`). DaemonSet pods still land on cordoned nodes.',
    setBy: 'The node lifecycle controller, while `spec.unschedulable` is true.',
    daemonSetDefault: { effect: 'NoSchedule' },
    docs: doc('node-kubernetes-io-unschedulable'),
  },
  {
    key: 'node.kubernetes.io/memory-pressure',
    transient: 'while the node is under memory pressure',
    effects: ['NoSchedule'],
    meaning: 'The kubelet reports MemoryPressure=True: available memory is below its eviction threshold.',
    setBy: 'The node lifecycle controller, from the node condition.',
    daemonSetDefault: { effect: 'NoSchedule' },
    docs: doc('node-kubernetes-io-memory-pressure'),
  },
  {
    key: 'node.kubernetes.io/disk-pressure',
    transient: 'while the node is under disk pressure',
    effects: ['NoSchedule'],
    meaning: 'The kubelet reports DiskPressure=True: nodefs or imagefs is running low.',
    setBy: 'The node lifecycle controller, from the node condition.',
    daemonSetDefault: { effect: 'NoSchedule' },
    docs: doc('node-kubernetes-io-disk-pressure'),
  },
  {
    key: 'node.kubernetes.io/pid-pressure',
    transient: 'while the node is short of PIDs',
    effects: ['NoSchedule'],
    meaning: 'The kubelet reports PIDPressure=True: the node is running out of process IDs.',
    setBy: 'The node lifecycle controller, from the node condition.',
    daemonSetDefault: { effect: 'NoSchedule' },
    docs: doc('node-kubernetes-io-pid-pressure'),
  },
  {
    key: 'node.kubernetes.io/network-unavailable',
    transient: "until the node's network is configured",
    effects: ['NoSchedule'],
    meaning: "The node's NetworkUnavailable condition is True: the pod network (CNI) or the cloud routes are not configured yet. A network plugin's own agent must tolerate it, or no node ever gets a network.",
    setBy: 'The node lifecycle controller, from the NetworkUnavailable condition (set by the cloud route controller or the network plugin).',
    daemonSetDefault: { effect: 'NoSchedule', onlyHostNetwork: true },
    docs: doc('node-kubernetes-io-network-unavailable'),
  },
  {
    key: 'node-role.kubernetes.io/control-plane',
    effects: ['NoSchedule'],
    meaning: 'Keeps ordinary workloads off control-plane nodes. DaemonSets that must run there (network plugins, log and metrics agents, CSI node plugins) need an explicit toleration.',
    setBy: 'kubeadm (since v1.24) on the control-plane nodes it manages; many other installers do the same.',
    docs: doc('node-role-kubernetes-io-control-plane-taint'),
  },
  {
    key: 'node-role.kubernetes.io/master',
    effects: ['NoSchedule'],
    meaning: 'Legacy control-plane taint. Deprecated since 1.20; kubeadm stopped applying it in v1.25 (KEP-2067), but older or non-kubeadm clusters may still carry it: tolerate both keys to be safe.',
    setBy: 'kubeadm before v1.25, and some other installers.',
    docs: doc('node-role-kubernetes-io-master-taint'),
    deprecated: true,
  },
  {
    key: 'node.cloudprovider.kubernetes.io/uninitialized',
    transient: 'until the cloud controller manager initialises the node',
    effects: ['NoSchedule'],
    value: 'true',
    meaning: 'The node is waiting for the cloud controller manager to initialise it (addresses, zone labels). Cloud-controller-manager and network-plugin DaemonSets must tolerate it.',
    setBy: 'The kubelet, when started with `--cloud-provider=external`; removed by cloud-controller-manager once the node is initialised.',
    docs: doc('node-cloudprovider-kubernetes-io-uninitialized'),
  },
  {
    key: 'node.kubernetes.io/out-of-service',
    effects: ['NoExecute', 'NoSchedule'],
    value: 'nodeshutdown',
    meaning: 'The node is shut down or unrecoverable (non-graceful node shutdown, GA in 1.28): pods without a matching toleration are force-deleted and their volumes detached so they can fail over.',
    setBy: 'An operator, by hand (`kubectl taint nodes <node> node.kubernetes.io/out-of-service=nodeshutdown:NoExecute`).',
    docs: doc('node-kubernetes-io-out-of-service'),
  },
  {
    key: 'CriticalAddonsOnly',
    effects: ['NoExecute', 'NoSchedule'],
    value: 'true',
    meaning: 'A convention, not a Kubernetes API constant: keeps everything but critical cluster add-ons (DNS, network, storage agents) off the node.',
    setBy: 'Installers and managed offerings (k3s servers with `--node-taint CriticalAddonsOnly=true:NoExecute`, some EKS/GKE/AKS system pools); add-on manifests tolerate it with `operator: Exists`.',
    docs: TAINTS_CONCEPT_URL,
  },
  {
    key: 'node.cloudprovider.kubernetes.io/shutdown',
    effects: ['NoSchedule'],
    meaning: "The node's virtual machine is shut down according to the cloud provider.",
    setBy: 'The cloud node lifecycle controller (cloud-controller-manager).',
    docs: doc('node-cloudprovider-kubernetes-io-shutdown'),
  },
];

const KARPENTER_DISRUPTION_URL = 'https://karpenter.sh/docs/concepts/disruption/';
const CLUSTER_AUTOSCALER_FAQ_URL = 'https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md';

/**
 * Taints the node autoscalers put on nodes they launch or remove (Karpenter v1, the cluster
 * autoscaler's utils/taints). A snapshot of the nodes rarely shows them, since they come and go, so a
 * DaemonSet's toleration of one is no useless toleration; where a node does carry one, messages say
 * why it is there. They are not Kubernetes' own: the preview's list of well-known taints leaves them out.
 */
export const AUTOSCALER_TAINTS: readonly WellKnownTaint[] = [
  {
    key: 'karpenter.sh/unregistered',
    transient: 'until Karpenter registers the node',
    effects: ['NoExecute'],
    meaning: 'The node was launched by Karpenter and is not registered yet: Karpenter removes the taint once it has given the node the labels and taints of its NodePool.',
    setBy: 'The kubelet (`--register-with-taints`), on nodes Karpenter launches; removed by Karpenter.',
    docs: KARPENTER_DISRUPTION_URL,
    autoscaler: true,
  },
  {
    key: 'karpenter.sh/disrupted',
    transient: 'while Karpenter drains and removes the node',
    effects: ['NoSchedule'],
    meaning: 'Karpenter is disrupting the node (consolidation, drift, expiry or an interruption): it drains the node and deletes it.',
    setBy: 'Karpenter, when it starts to disrupt the node.',
    docs: KARPENTER_DISRUPTION_URL,
    autoscaler: true,
  },
  {
    key: 'ToBeDeletedByClusterAutoscaler',
    transient: 'while the cluster autoscaler removes the node',
    effects: ['NoSchedule'],
    meaning: 'The cluster autoscaler is scaling the node down: it drains the node and deletes it. The value is the time it marked the node.',
    setBy: 'The cluster autoscaler.',
    docs: CLUSTER_AUTOSCALER_FAQ_URL,
    autoscaler: true,
  },
  {
    key: 'DeletionCandidateOfClusterAutoscaler',
    transient: 'while the cluster autoscaler considers removing the node',
    effects: ['PreferNoSchedule'],
    meaning: 'The cluster autoscaler found the node unneeded and may remove it; until then the scheduler prefers other nodes.',
    setBy: 'The cluster autoscaler.',
    docs: CLUSTER_AUTOSCALER_FAQ_URL,
    autoscaler: true,
  },
];

const BY_KEY = new Map([...WELL_KNOWN_TAINTS, ...AUTOSCALER_TAINTS].map((t) => [t.key, t]));

/** The catalogue entry for a taint key, if it is well known (Kubernetes' own, or a node autoscaler's). */
export function wellKnownTaint(key: string): WellKnownTaint | undefined {
  return BY_KEY.get(key);
}

/** Whether the DaemonSet controller tolerates the taint key/effect by default (AddOrUpdateDaemonPodTolerations). */
export function toleratedByDefault(key: string, effect: string | undefined, hostNetwork: boolean): boolean {
  const d = BY_KEY.get(key)?.daemonSetDefault;
  if (!d) return false;
  if (d.onlyHostNetwork && !hostNetwork) return false;
  return effect === undefined || effect === '' ? false : d.effect === effect;
}

/** One line on the controller's default toleration for a taint key. */
export function defaultTolerationText(key: string, ofToleration = false): string {
  const t = BY_KEY.get(key);
  const d = t?.daemonSetDefault;
  if (!d) {
    // Said of a toleration the manifest has, the advice to add one would be out of place.
    return ofToleration
      ? 'The DaemonSet controller does **not** tolerate it by default: this toleration is what lets the pods onto nodes that carry it.'
      : 'The DaemonSet controller does **not** tolerate it by default: add a toleration if the DaemonSet must run on such nodes.';
  }
  if (d.onlyHostNetwork) return `The DaemonSet controller adds \`${key}:${d.effect}\` (operator Exists) **only to \`hostNetwork: true\` pods**.`;
  const other = t!.effects.filter((e) => e !== d.effect);
  return `The DaemonSet controller tolerates \`${key}:${d.effect}\` by default (operator Exists, forever)` +
    (other.length ? `, but **not** ${other.map((e) => `\`${e}\``).join(' or ')}.` : '.');
}

export interface WellKnownLabel {
  key: string;
  meaning: string;
  setBy: string;
  /** Typical values, for completion when no cluster file is known. */
  values?: string[];
  docs: string;
  deprecated?: boolean;
}

/** Well-known node labels, for nodeSelector / node affinity hovers and completion. */
export const WELL_KNOWN_NODE_LABELS: readonly WellKnownLabel[] = [
  { key: 'kubernetes.io/os', meaning: 'Operating system of the node, from Go `runtime.GOOS`.', setBy: 'The kubelet.', values: ['linux', 'windows'], docs: doc('kubernetes-io-os') },
  { key: 'kubernetes.io/arch', meaning: 'CPU architecture of the node, from Go `runtime.GOARCH`.', setBy: 'The kubelet.', values: ['amd64', 'arm64', 'arm', 'ppc64le', 's390x'], docs: doc('kubernetes-io-arch') },
  { key: 'kubernetes.io/hostname', meaning: "The node's hostname (may differ from the node name when `--hostname-override` is used).", setBy: 'The kubelet.', docs: doc('kubernetesiohostname') },
  { key: 'node-role.kubernetes.io/control-plane', meaning: 'Marks a control-plane node (the value is empty).', setBy: 'kubeadm and most installers.', values: [''], docs: doc('node-role-kubernetes-io-control-plane') },
  { key: 'node.kubernetes.io/instance-type', meaning: "The cloud provider's instance type (machine size) of the node.", setBy: 'The kubelet or cloud-controller-manager, from the cloud provider.', docs: doc('nodekubernetesioinstance-type') },
  { key: 'topology.kubernetes.io/zone', meaning: 'The failure zone the node runs in.', setBy: 'The kubelet or cloud-controller-manager, from the cloud provider.', docs: doc('topologykubernetesiozone') },
  { key: 'topology.kubernetes.io/region', meaning: 'The region the node runs in.', setBy: 'The kubelet or cloud-controller-manager, from the cloud provider.', docs: doc('topologykubernetesioregion') },
  { key: 'node.kubernetes.io/exclude-from-external-load-balancers', meaning: 'Excludes the node from the backends of external load balancers.', setBy: 'kubeadm on control-plane nodes, or an operator.', docs: doc('node-kubernetes-io-exclude-from-external-load-balancers') },
  { key: 'beta.kubernetes.io/os', meaning: 'Deprecated form of `kubernetes.io/os`.', setBy: 'The kubelet (older releases).', values: ['linux', 'windows'], docs: doc('kubernetes-io-os'), deprecated: true },
  { key: 'beta.kubernetes.io/arch', meaning: 'Deprecated form of `kubernetes.io/arch`.', setBy: 'The kubelet (older releases).', values: ['amd64', 'arm64'], docs: doc('kubernetes-io-arch'), deprecated: true },
  { key: 'failure-domain.beta.kubernetes.io/zone', meaning: 'Deprecated form of `topology.kubernetes.io/zone`.', setBy: 'Older cloud providers.', docs: doc('topologykubernetesiozone'), deprecated: true },
  { key: 'failure-domain.beta.kubernetes.io/region', meaning: 'Deprecated form of `topology.kubernetes.io/region`.', setBy: 'Older cloud providers.', docs: doc('topologykubernetesioregion'), deprecated: true },
];

const LABEL_BY_KEY = new Map(WELL_KNOWN_NODE_LABELS.map((l) => [l.key, l]));

/** The catalogue entry for a node label key, if it is well known. */
export function wellKnownNodeLabel(key: string): WellKnownLabel | undefined {
  return LABEL_BY_KEY.get(key);
}

/** What each taint effect means, for hovers and completion. */
export const EFFECT_DOCS: Readonly<Record<string, string>> = {
  NoSchedule: 'No new pod is scheduled on the node unless it tolerates the taint; pods already running stay. For a DaemonSet: no daemon pod is created there, an existing one is kept (and counted as misscheduled).',
  PreferNoSchedule: 'The scheduler tries to avoid the node (scoring only). The DaemonSet controller ignores PreferNoSchedule taints entirely.',
  NoExecute: 'No new pod is scheduled, and running pods that do not tolerate the taint are evicted (after `tolerationSeconds` if set). For a DaemonSet: an untolerated NoExecute taint deletes the daemon pod on that node.',
};

/** What each toleration operator means. */
export const OPERATOR_DOCS: Readonly<Record<string, string>> = {
  Equal: 'Tolerates a taint with this key whose value equals `value` (the default when `operator` is omitted).',
  Exists: 'Tolerates a taint with this key whatever its value; `value` must be empty. With no `key`, tolerates every taint (of `effect`, or of every effect).',
  Lt: 'Alpha (gate TaintTolerationComparisonOperators, off by default in 1.35): tolerates when the taint value, an integer, is less than `value`.',
  Gt: 'Alpha (gate TaintTolerationComparisonOperators, off by default in 1.35): tolerates when the taint value, an integer, is greater than `value`.',
};
