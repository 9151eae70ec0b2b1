/**
 * One reconcile pass of the DaemonSet controller over known pods, mirroring
 * pkg/controller/daemon/daemon_controller.go (getDaemonPods, getNodesToDaemonPods, podsShouldBeOnNode,
 * manage, getUnscheduledPodsWithoutNode, podByCreationTimestampAndPhase), pkg/controller/controller_ref_manager.go
 * (ClaimPods: adopt orphans, release owned pods that stopped matching) and pkg/api/v1/pod/util.go (IsPodAvailable).
 */
import { isPlainObject } from '../model';
import type { CompiledDaemonSet } from './compile';
import { ControllerRevisionHashLabelKey, DaemonSetTemplateGenerationKey, templateGeneration } from './daemonPod';
import { labelsMatch } from './nodeAffinity';
import { surgeCount } from './update';
import type { ClusterPod } from './types';

/** `spec.nodeName` of a pod from the cluster file (bound pods only). */
export function specNodeName(pod: ClusterPod): string {
  const spec = isPlainObject(pod.value.spec) ? pod.value.spec : {};
  return typeof spec.nodeName === 'string' ? spec.nodeName : '';
}

const isTerminal = (p: ClusterPod) => p.phase === 'Succeeded' || p.phase === 'Failed';

/** metav1 time → epoch ms; an absent or bad time sorts as the zero time. */
function timeOf(t: string | undefined): number {
  if (!t) return 0;
  const v = Date.parse(t);
  return Number.isNaN(v) ? 0 : v;
}

/** podByCreationTimestampAndPhase.Less: scheduled pods first, then older, ties by name. */
export function podByCreationTimestampAndPhase(a: ClusterPod, b: ClusterPod): number {
  const an = specNodeName(a) !== '';
  const bn = specNodeName(b) !== '';
  if (an && !bn) return -1;
  if (!an && bn) return 1;
  const ta = timeOf(a.creationTimestamp);
  const tb = timeOf(b.creationTimestamp);
  if (ta === tb) return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  return ta < tb ? -1 : 1;
}

/** podutil.IsPodReady. */
export function isPodReady(pod: ClusterPod): boolean {
  return pod.ready;
}

/** podutil.IsPodAvailable: Ready, and Ready for longer than minReadySeconds (strictly before now). */
export function isPodAvailable(pod: ClusterPod, minReadySeconds: number, now: Date): boolean {
  if (!pod.ready) return false;
  if (minReadySeconds === 0) return true;
  const since = pod.readySince ? Date.parse(pod.readySince) : NaN;
  if (Number.isNaN(since)) return false;
  return since + minReadySeconds * 1000 < now.getTime();
}

/** daemon/util IsPodUpdated: the pod carries the current revision hash, or the current template generation. */
export function isPodUpdated(pod: ClusterPod, c: CompiledDaemonSet): boolean {
  const gen = templateGeneration(c.ds);
  const hashMatches = c.currentRevision !== undefined && c.currentRevision !== '' && pod.labels[ControllerRevisionHashLabelKey] === c.currentRevision;
  const genMatches = gen !== undefined && pod.labels[DaemonSetTemplateGenerationKey] === gen;
  return hashMatches || genMatches;
}

/** Who owns a pod with respect to this DaemonSet (ControllerRefManager.ClaimPods). */
export type PodClaim = 'owned' | 'adopted' | 'released' | 'other-owner' | 'not-selected';

export function claimPod(pod: ClusterPod, c: CompiledDaemonSet): PodClaim {
  if (pod.namespace !== c.namespace) return 'not-selected';
  const selected = c.selector !== undefined && labelsMatch(c.selector, pod.labels);
  const o = pod.owner;
  if (o) {
    const mine = o.kind === 'DaemonSet' && o.name === c.name && (c.uid === undefined || o.uid === undefined || o.uid === c.uid);
    if (!mine) return 'other-owner';
    return selected ? 'owned' : 'released';
  }
  if (!selected) return 'not-selected';
  // An orphan being deleted is not adopted (ClaimObject).
  if (pod.deletionTimestamp) return 'not-selected';
  return 'adopted';
}

/**
 * getNodesToDaemonPods: the claimed pods (owned and adopted) grouped by target node
 * (util.GetTargetNodeName); terminal pods with a deletionTimestamp are skipped.
 */
export function getNodesToDaemonPods(c: CompiledDaemonSet, pods: readonly ClusterPod[]): Map<string, ClusterPod[]> {
  const out = new Map<string, ClusterPod[]>();
  if (c.selector === undefined) return out;
  for (const pod of pods) {
    const claim = claimPod(pod, c);
    if (claim !== 'owned' && claim !== 'adopted') continue;
    if (isTerminal(pod) && pod.deletionTimestamp) continue;
    const node = pod.nodeName;
    if (node === undefined) continue;
    let list = out.get(node);
    if (!list) out.set(node, (list = []));
    list.push(pod);
  }
  return out;
}

/** What podsShouldBeOnNode decides for one node. */
export interface NodePlan {
  create: boolean;
  delete: string[];
  /** Of `delete`, the old pod a surge update replaces once the new one is available (or the old one is not ready). */
  replaced?: string[];
}

const NO_PODS: string[] = Object.freeze([]) as unknown as string[];
const CREATE: NodePlan = Object.freeze({ create: true, delete: NO_PODS });
const NOTHING: NodePlan = Object.freeze({ create: false, delete: NO_PODS });

/** daemon/util AllowsSurge: RollingUpdate with maxSurge resolving above 0 (against 1 node). */
export function allowsSurge(c: CompiledDaemonSet): boolean {
  const r = surgeCount(c, 1);
  return r.error === undefined && r.value > 0;
}

/**
 * podsShouldBeOnNode: create where a pod should run and none exists; delete failed/succeeded pods and
 * duplicates (keeping the oldest, or with surge the oldest new and oldest old pod); delete all where
 * the node no longer qualifies. Failed pods are assumed out of back-off.
 */
export function podsShouldBeOnNode(
  c: CompiledDaemonSet,
  nodeName: string,
  daemonPods: readonly ClusterPod[],
  shouldRun: boolean,
  shouldContinueRunning: boolean,
): NodePlan {
  const exists = daemonPods.length > 0;
  // The common cases allocate nothing: thousands of nodes go through here per DaemonSet.
  if (!exists) return shouldRun ? CREATE : NOTHING;
  const plan: NodePlan = { create: false, delete: [] };
  if (shouldRun && !exists) {
    plan.create = true;
  } else if (shouldContinueRunning) {
    const running: ClusterPod[] = [];
    for (const pod of daemonPods) {
      if (pod.deletionTimestamp) continue;
      if (pod.phase === 'Failed' || pod.phase === 'Succeeded') plan.delete.push(pod.name);
      else running.push(pod);
    }
    if (!allowsSurge(c)) {
      if (running.length > 1) {
        running.sort(podByCreationTimestampAndPhase);
        for (let i = 1; i < running.length; i++) plan.delete.push(running[i].name);
      }
    } else if (running.length < 1) {
      if (shouldRun) plan.create = true;
    } else if (running.length > 1) {
      running.sort(podByCreationTimestampAndPhase);
      let oldestNewPod: ClusterPod | undefined;
      let oldestOldPod: ClusterPod | undefined;
      const hash = c.currentRevision ?? '';
      for (const pod of running) {
        if ((pod.labels[ControllerRevisionHashLabelKey] ?? '') === hash) {
          if (!oldestNewPod) {
            oldestNewPod = pod;
            continue;
          }
        } else if (!oldestOldPod) {
          oldestOldPod = pod;
          continue;
        }
        plan.delete.push(pod.name);
      }
      if (oldestNewPod && oldestOldPod) {
        if (!isPodReady(oldestOldPod) || isPodAvailable(oldestNewPod, c.minReadySeconds, c.now)) {
          plan.delete.push(oldestOldPod.name);
          plan.replaced = [oldestOldPod.name];
        }
      }
    }
  } else if (exists) {
    for (const pod of daemonPods) if (!pod.deletionTimestamp) plan.delete.push(pod.name);
  }
  void nodeName;
  return plan;
}

/**
 * getUnscheduledPodsWithoutNode: daemon pods not yet bound (no spec.nodeName) whose target node is not
 * in the cluster; `manage` deletes them. Pods bound to a vanished node are left to the pod GC.
 */
export function getUnscheduledPodsWithoutNode(nodeNames: ReadonlySet<string>, nodeToDaemonPods: ReadonlyMap<string, ClusterPod[]>): string[] {
  const out: string[] = [];
  for (const [node, pods] of nodeToDaemonPods) {
    if (nodeNames.has(node)) continue;
    for (const pod of pods) if (specNodeName(pod) === '') out.push(pod.name);
  }
  return out;
}
