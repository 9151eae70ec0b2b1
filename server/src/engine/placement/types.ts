import type { DocumentModel, ManifestObject } from '../model';
import type { Finding, Span } from '../types';

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

/** The cluster file, parsed: nodes, pods and the problems found in it (at its own ranges). */
export interface ClusterModel {
  uri: string;
  model: DocumentModel;
  nodes: ClusterNode[];
  pods: ClusterPod[];
  findings: Finding[];
}

/** Why a node does not get (or keep) a pod, or why the pod stays Pending. */
export interface Reason {
  /** Machine code: untolerated-taint, node-selector-mismatch, node-affinity-mismatch, node-name-mismatch, insufficient-resource, too-many-pods, host-port-conflict, … */
  code: string;
  /** Human sentence: "taint `dedicated=gpu:NoSchedule` is not tolerated". */
  message: string;
  /** Span in the DaemonSet manifest that causes it (the tolerations list, the nodeSelector, …). */
  span?: Span;
  /** The taint involved, for untolerated-taint. */
  taint?: Taint;
  /** For scheduler reasons: the scheduler's own wording (`Insufficient memory`, `Too many pods`, …). */
  schedulerReason?: string;
}

/** The controller's and the scheduler's verdict for one node. Empty lists may be one shared frozen array: copy before mutating. */
export interface NodeVerdict {
  node: string;
  shouldRun: boolean;
  shouldContinueRunning: boolean;
  /** Scheduler filters: true/false where evaluated, null where the controller would not create a pod. */
  schedulable: boolean | null;
  reasons: Reason[];
  /** Notes that explain but do not block (PreferNoSchedule taints, cordon, NotReady condition). */
  notes: string[];
  /** Daemon pods of this DaemonSet on the node (from the cluster file). */
  daemonPods: string[];
  /** Pods the next sync creates on this node (0 or 1). */
  create: number;
  /** Pods the next sync deletes on this node. */
  delete: string[];
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
}

export interface PlacementOptions {
  featureGates?: Readonly<Record<string, boolean>>;
  /** "Now", for availability (minReadySeconds); defaults to the current time. */
  now?: Date;
  /** The controller-revision-hash that counts as the new template. */
  currentRevision?: string;
}
