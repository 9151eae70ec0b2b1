import type { DocumentModel, ManifestObject } from '../model';
import type { Finding, Span } from '../types';
import type { LabelRequirement } from './nodeAffinity';

/** A taint as in `node.spec.taints`. */
export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** A toleration as in `pod.spec.tolerations`. */
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** One node of the cluster file, read leniently (hand-written files carry only a few fields). */
export interface ClusterNode {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  unschedulable: boolean;
  /** `status.allocatable` as quantity strings; undefined when the file does not say (unknown, not zero). */
  allocatable?: Record<string, string>;
  /** `status.conditions` type -> status, for explanations only (the controller reads taints, not conditions). */
  conditions: Record<string, string>;
  /**
   * The node's operating system as its kubelet knows it (runtime.GOOS): `status.nodeInfo.operatingSystem`,
   * else the `kubernetes.io/os` label the kubelet sets from it; undefined when the file says neither.
   */
  os?: string;
  /** The node object in the cluster file, for links and hovers. */
  source: ManifestObject;
  /** Span of `metadata.name` in the cluster file. */
  nameSpan: Span;
}

/** A pod from the cluster file (`kubectl get pods -A -o yaml`). */
export interface ClusterPod {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** `spec.nodeName`, else the target of an injected `metadata.name In [node]` affinity (util.GetTargetNodeName). */
  nodeName?: string;
  phase?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  /** Controller owner reference, if any. */
  owner?: { kind: string; name: string; uid?: string };
  /** Pod is Ready (Ready condition True) and since when. */
  ready: boolean;
  readySince?: string;
  source: ManifestObject;
  value: Record<string, unknown>;
}

/** A PriorityClass from the cluster or pods file (`kubectl get priorityclasses -o yaml`). */
export interface ClusterPriorityClass {
  name: string;
  value: number;
  globalDefault: boolean;
  /** `PreemptLowerPriority` (the default) or `Never`. */
  preemptionPolicy: string;
}

/** A PodDisruptionBudget from the cluster or pods file, as the scheduler's preemption reads it. */
export interface ClusterPodDisruptionBudget {
  name: string;
  namespace: string;
  /** `spec.selector` parsed; undefined when missing, empty or unparsable (it then matches no pod). */
  selector?: LabelRequirement[];
  disruptionsAllowed: number;
  /** `status.disruptedPods` names. */
  disruptedPods: string[];
}

/**
 * A RuntimeClass from the cluster file (node.k8s.io/v1, `kubectl get runtimeclass -o yaml`): what the
 * RuntimeClass admission plugin copies into the pods that name it.
 */
export interface ClusterRuntimeClass {
  name: string;
  handler?: string;
  /** `overhead`, when set: `podFixed` as quantity strings (undefined when the class sets none). */
  overhead?: { podFixed?: Record<string, string> };
  /** `scheduling`, when set. */
  scheduling?: { nodeSelector?: Record<string, string>; tolerations?: Toleration[] };
  source: ManifestObject;
}

/** The cluster file, parsed: nodes, pods and the problems found in it (at its own ranges). */
export interface ClusterModel {
  uri: string;
  model: DocumentModel;
  nodes: ClusterNode[];
  pods: ClusterPod[];
  /** PriorityClass objects in the input (absent: none given; the built-in system classes are always known). */
  priorityClasses?: ClusterPriorityClass[];
  /** PodDisruptionBudget objects in the input. */
  podDisruptionBudgets?: ClusterPodDisruptionBudget[];
  /** RuntimeClass objects in the input (absent: none given, and which exist is unknown). */
  runtimeClasses?: ClusterRuntimeClass[];
  findings: Finding[];
}

/** Why a node does not get (or keep) a pod, or why the pod stays Pending. */
export interface Reason {
  /** Machine code: untolerated-taint, node-selector-mismatch, runtime-class-not-found, node-affinity-mismatch, node-name-mismatch, insufficient-resource, too-many-pods, host-port-conflict, … */
  code: string;
  /** Human sentence: "taint `dedicated=gpu:NoSchedule` is not tolerated". */
  message: string;
  /** Span in the DaemonSet manifest that causes it (the tolerations list, the nodeSelector, …). */
  span?: Span;
  /** The taint involved, for untolerated-taint. */
  taint?: Taint;
  /** For scheduler reasons: the scheduler's own wording (`Insufficient memory`, `Too many pods`, …). */
  schedulerReason?: string;
  /** For kubelet admission reasons: the reason the rejected pod carries (`PodOSNotSupported`, …). */
  kubeletReason?: string;
}

/** The controller's and the scheduler's verdict for one node. Empty lists may be one shared frozen array: copy before mutating. */
export interface NodeVerdict {
  node: string;
  shouldRun: boolean;
  shouldContinueRunning: boolean;
  /** Scheduler filters: true/false where evaluated, null where the controller would not create a pod. */
  schedulable: boolean | null;
  /**
   * Kubelet admission of the scheduled pod (pkg/kubelet/lifecycle/predicate.go Admit, its OS checks):
   * false when the kubelet rejects it (the pod fails, the controller deletes and creates it again),
   * true when admitted, null where no pod reaches the kubelet (not created, or Pending). Absent in
   * verdicts built by hand: read as not rejected.
   */
  admitted?: boolean | null;
  /**
   * False when the API server refuses to create the pod the controller asks for (an admission plugin
   * rejects it, as RuntimeClass admission does): no pod exists, the controller retries on later syncs.
   * Absent otherwise.
   */
  created?: boolean;
  reasons: Reason[];
  /** Notes that explain but do not block (PreferNoSchedule taints, cordon, NotReady condition). */
  notes: string[];
  /** Daemon pods of this DaemonSet on the node (from the cluster file). */
  daemonPods: string[];
  /** Pods the next sync creates on this node (0 or 1). */
  create: number;
  /** Pods the next sync deletes on this node. */
  delete: string[];
  /**
   * Of `delete`, the outdated pods the update replaces: rollingUpdate's oldPodsToDelete, and the old pod
   * manage deletes in a surge once the new one is available; the rest are extra, failed or not wanted here.
   */
  replaced?: string[];
  /**
   * The scheduler's preemption for a daemon pod the filters reject (only with pods in the input):
   * `preempts` means the pod runs once the victims are evicted (`schedulable` is then true and the
   * failed filters move to `preemption.reasons`); `may-preempt` means it depends on a priority class
   * the input does not define (`schedulable` stays false).
   */
  preemption?: Preemption;
}

/** DefaultPreemption's answer for one node (SelectVictimsOnNode). */
export interface Preemption {
  outcome: 'preempts' | 'may-preempt';
  /** `namespace/name` of the pods evicted, most important first (as SelectVictimsOnNode returns them). */
  victims: string[];
  /** The scheduler filters that fail until the victims are gone. */
  reasons: Array<{ code: string; message: string; schedulerReason?: string }>;
  /** `spec.template.spec.priorityClassName`, when set. */
  priorityClassName?: string;
  /** The daemon pod's priority; undefined when its class is not in the input. */
  priority?: number;
}

/** One DaemonSet over one cluster. */
export interface DaemonSetPlacement {
  name: string;
  namespace: string;
  desiredNumberScheduled: number;
  nodes: NodeVerdict[];
  sync: { creates: number; deletes: number };
  rollingUpdate: { maxUnavailable: number; maxSurge: number };
  /**
   * `spec.updateStrategy.type` after the defaults of the manifest's API version (RollingUpdate in
   * apps/v1 and apps/v1beta2, OnDelete in extensions/v1beta1); `rollingUpdate` is 0/0 unless RollingUpdate.
   */
  updateStrategy: string;
  /** Unbound daemon pods whose target node is not in the cluster file; the next sync deletes them (counted in sync.deletes). */
  deletesWithoutNode?: string[];
  /** Why the controller would not act at all (selector selects everything, unparsable selector, bad update strategy). */
  warnings?: string[];
  /**
   * Set when pkg/controller/daemon/daemon_controller.go syncDaemonSet returns before updateDaemonSet
   * (manage, rollingUpdate) and updateDaemonSetStatus: the selector selects everything (SelectingAllReason),
   * cannot be parsed, or the DaemonSet is being deleted. No pod is created or deleted for it. `nodes` still
   * carries NodeShouldRunDaemonPod's answer, a property of node and template alone; `warnings` says why.
   */
  ignored?: 'selects-all' | 'bad-selector' | 'deleting';
}

export interface PlacementOptions {
  featureGates?: Readonly<Record<string, boolean>>;
  /**
   * Target Kubernetes minor (35 for 1.35), whose feature gate defaults apply where `featureGates`
   * does not name a gate (PodLevelResources); the engine's default target when unset.
   */
  kubernetesMinor?: number;
  /** "Now", for availability (minReadySeconds); defaults to the current time. */
  now?: Date;
  /** The controller-revision-hash that counts as the new template. */
  currentRevision?: string;
}
