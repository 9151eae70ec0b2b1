/**
 * The rolling-update step of one sync, mirroring pkg/controller/daemon/update.go (rollingUpdate,
 * findUpdatedPodsOnNode, updatedDesiredNodeCounts). syncDaemonSet runs it only when the manage step
 * changed nothing (expectations satisfied) and the strategy is RollingUpdate.
 * Upstream walks nodes in Go map order (random); here they are walked in cluster-file order.
 */
import type { CompiledDaemonSet } from './compile';
import { isPodAvailable, isPodUpdated } from './sync';
import type { ClusterPod } from './types';

/** findUpdatedPodsOnNode: the node's new and old pod; ok false when there are several of either. */
export function findUpdatedPodsOnNode(c: CompiledDaemonSet, pods: readonly ClusterPod[]): { newPod?: ClusterPod; oldPod?: ClusterPod; ok: boolean } {
  let newPod: ClusterPod | undefined;
  let oldPod: ClusterPod | undefined;
  for (const pod of pods) {
    if (pod.deletionTimestamp) continue;
    if (isPodUpdated(pod, c)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

/** What rollingUpdate hands to syncNodes. */
export interface RollingUpdatePlan {
  /** Old pods deleted now. */
  oldPodsToDelete: string[];
  /** Nodes that get a new pod now (surge). */
  newNodesToCreate: string[];
}

/**
 * rollingUpdate: without surge, delete old pods within maxUnavailable (manage replaces them next
 * sync); with surge, create new pods beside available old ones within maxSurge and delete old pods
 * whose replacement is available. `nodes` are the cluster's nodes with their shouldRun verdict.
 */
export function rollingUpdate(
  c: CompiledDaemonSet,
  nodes: ReadonlyArray<{ name: string; shouldRun: boolean }>,
  nodeToDaemonPods: ReadonlyMap<string, ClusterPod[]>,
  maxSurge: number,
  maxUnavailable: number,
): RollingUpdatePlan {
  // updatedDesiredNodeCounts: nodes that should run a pod and have none count as (empty) entries.
  const entries: Array<[string, readonly ClusterPod[]]> = [];
  const seen = new Set<string>();
  let desiredNumberScheduled = 0;
  for (const n of nodes) {
    if (!n.shouldRun) continue;
    desiredNumberScheduled++;
    if (!nodeToDaemonPods.has(n.name)) {
      entries.push([n.name, []]);
      seen.add(n.name);
    }
  }
  for (const [name, pods] of nodeToDaemonPods) if (!seen.has(name)) entries.push([name, pods]);
  const order = new Map(nodes.map((n, i) => [n.name, i]));
  entries.sort((a, b) => (order.get(a[0]) ?? Infinity) - (order.get(b[0]) ?? Infinity));
  const shouldRunOf = new Map(nodes.map((n) => [n.name, n.shouldRun]));
  const available = (p: ClusterPod) => isPodAvailable(p, c.minReadySeconds, c.now);

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const allowedReplacementPods: string[] = [];
    const candidatePodsToDelete: string[] = [];
    for (const [, pods] of entries) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(c, pods);
      if (!ok) {
        numUnavailable++;
        continue;
      }
      if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) {
          allowedReplacementPods.push(oldPod.name);
          numUnavailable++;
        } else if (numUnavailable >= maxUnavailable) {
          continue;
        } else {
          candidatePodsToDelete.push(oldPod.name);
        }
      }
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidatePodsToDelete.length);
    return { oldPodsToDelete: [...allowedReplacementPods, ...candidatePodsToDelete.slice(0, remaining)], newNodesToCreate: [] };
  }

  const oldPodsToDelete: string[] = [];
  const shouldNotRunPodsToDelete: string[] = [];
  const candidateNewNodes: string[] = [];
  const allowedNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const [nodeName, pods] of entries) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(c, pods);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (oldPod) {
      if (available(oldPod)) numAvailable++;
    } else if (newPod && available(newPod)) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      const shouldRun = shouldRunOf.get(nodeName);
      // nodeLister.Get fails for a node that is gone: upstream returns an error and does nothing.
      if (shouldRun === undefined) return { oldPodsToDelete: [], newNodesToCreate: [] };
      if (!available(oldPod)) {
        if (!shouldRun) oldPodsToDelete.push(oldPod.name);
        else allowedNewNodes.push(nodeName);
      } else {
        if (!shouldRun) shouldNotRunPodsToDelete.push(oldPod.name);
        else if (numSurge < maxSurge) candidateNewNodes.push(nodeName);
      }
      continue;
    }
    if (!available(newPod)) {
      numSurge++;
      continue;
    }
    oldPodsToDelete.push(oldPod.name);
  }
  // Keep availability when scheduling constraints move the DaemonSet: delete on sunsetted nodes only as new pods become available.
  const deletable = Math.min(numAvailable - desiredNumberScheduled, shouldNotRunPodsToDelete.length);
  if (deletable > 0) oldPodsToDelete.push(...shouldNotRunPodsToDelete.slice(0, deletable));
  const remainingSurge = Math.min(Math.max(0, maxSurge - numSurge), candidateNewNodes.length);
  return { oldPodsToDelete, newNodesToCreate: [...allowedNewNodes, ...candidateNewNodes.slice(0, remainingSurge)] };
}
