/**
 * What the scheduler's DefaultPreemption plugin does for a daemon pod the filters reject on its node:
 * - the pod's priority as the Priority admission plugin resolves it (plugin/pkg/admission/priority/admission.go
 *   admitPod, getDefaultPriority; built-in classes from pkg/apis/scheduling/types.go);
 * - a victim's priority (component-helpers/scheduling/corev1 PodPriority);
 * - PodEligibleToPreemptOthers (preemptionPolicy Never), isPreemptionAllowed (strictly lower priority),
 *   SelectVictimsOnNode (remove every lower-priority pod, check the pod fits, reprieve as many as
 *   possible, PDB-violating ones first, most important first) and filterPodsWithPDBViolation
 *   (pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go);
 * - MoreImportantPod / GetPodStartTime (pkg/scheduler/util/utils.go).
 * The daemon pod can only go to one node, so there is one candidate and no node to pick.
 */
import { isPlainObject } from '../model';
import { labelsMatch } from './nodeAffinity';
import type { ClusterModel, ClusterPod, ClusterPodDisruptionBudget, ClusterPriorityClass } from './types';

/** scheduling.HighestUserDefinablePriority: a user-created PriorityClass has at most this value. */
export const HighestUserDefinablePriority = 1_000_000_000;
/** scheduling.SystemCriticalPriority. */
export const SystemCriticalPriority = 2 * HighestUserDefinablePriority;
/** scheduling.DefaultPriorityWhenNoDefaultClassExists. */
export const DefaultPriorityWhenNoDefaultClassExists = 0;

/** scheduling.SystemPriorityClasses: the classes every cluster has. */
export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-node-critical': SystemCriticalPriority + 1000,
  'system-cluster-critical': SystemCriticalPriority,
};

export const PreemptNever = 'Never';

/** The daemon pod's priority after admission; `priority` undefined when its class is not in the input. */
export interface ResolvedPriority {
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy: string;
}

function findClass(name: string, classes: readonly ClusterPriorityClass[]): ClusterPriorityClass | undefined {
  return classes.find((c) => c.name === name);
}

/** getDefaultPriorityClass: the global default with the lowest value, if any. */
function defaultPriorityClass(classes: readonly ClusterPriorityClass[]): ClusterPriorityClass | undefined {
  let best: ClusterPriorityClass | undefined;
  for (const c of classes) if (c.globalDefault && (!best || best.value > c.value)) best = c;
  return best;
}

/**
 * admitPod for a pod created from `podSpec`: no class → the global default class (or 0); a class →
 * its value (input PriorityClass objects first, then the built-in system classes). Admission refuses
 * a pod whose own `priority` or `preemptionPolicy` disagree with the class, so a template that states
 * them for a class the input does not define tells us the class's values.
 */
export function resolvePodPriority(podSpec: Record<string, unknown>, classes: readonly ClusterPriorityClass[] = []): ResolvedPriority {
  const name = typeof podSpec.priorityClassName === 'string' && podSpec.priorityClassName ? podSpec.priorityClassName : undefined;
  const ownPolicy = typeof podSpec.preemptionPolicy === 'string' && podSpec.preemptionPolicy ? podSpec.preemptionPolicy : undefined;
  const ownPriority = typeof podSpec.priority === 'number' && Number.isInteger(podSpec.priority) ? podSpec.priority : undefined;
  let pc: ClusterPriorityClass | undefined;
  let priority: number | undefined;
  if (!name) {
    pc = defaultPriorityClass(classes);
    priority = pc ? pc.value : DefaultPriorityWhenNoDefaultClassExists;
  } else {
    pc = findClass(name, classes);
    priority = pc ? pc.value : SYSTEM_PRIORITY_CLASSES[name] ?? ownPriority;
  }
  const out: ResolvedPriority = { preemptionPolicy: ownPolicy ?? pc?.preemptionPolicy ?? 'PreemptLowerPriority' };
  const className = name ?? pc?.name;
  if (className) out.priorityClassName = className;
  if (priority !== undefined) out.priority = priority;
  return out;
}

/**
 * corev1helpers.PodPriority: `spec.priority`, else 0. A pod written without `spec.priority` (a
 * hand-written pods file; admitted pods always carry it) gets the value its class would give it.
 */
export function podPriority(pod: ClusterPod, classes: readonly ClusterPriorityClass[] = []): number {
  const spec = isPlainObject(pod.value.spec) ? pod.value.spec : {};
  if (typeof spec.priority === 'number' && Number.isFinite(spec.priority)) return spec.priority;
  if (typeof spec.priorityClassName !== 'string' || !spec.priorityClassName) return 0;
  return resolvePodPriority(spec, classes).priority ?? 0;
}

/** GetPodStartTime: `status.startTime`, else now (a pod not started yet is the newest). */
function podStartTime(pod: ClusterPod): number {
  const status = isPlainObject(pod.value.status) ? pod.value.status : {};
  const t = typeof status.startTime === 'string' ? Date.parse(status.startTime) : NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** MoreImportantPod as a sort comparator: higher priority first, then the earlier start time. */
function byImportance(priorities: ReadonlyMap<ClusterPod, number>): (a: ClusterPod, b: ClusterPod) => number {
  return (a, b) => {
    const pa = priorities.get(a)!;
    const pb = priorities.get(b)!;
    if (pa !== pb) return pb - pa;
    const ta = podStartTime(a);
    const tb = podStartTime(b);
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  };
}

/**
 * filterPodsWithPDBViolation: splits `pods` (order kept) into those whose eviction would take a
 * matching budget below zero and the others.
 */
export function filterPodsWithPDBViolation(pods: readonly ClusterPod[], pdbs: readonly ClusterPodDisruptionBudget[]): { violating: ClusterPod[]; nonViolating: ClusterPod[] } {
  const allowed = pdbs.map((p) => p.disruptionsAllowed);
  const violating: ClusterPod[] = [];
  const nonViolating: ClusterPod[] = [];
  for (const pod of pods) {
    let violated = false;
    // A pod with no labels will not match any PDB.
    if (Object.keys(pod.labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        if (pdb.namespace !== pod.namespace || !pdb.selector || !labelsMatch(pdb.selector, pod.labels)) return;
        // Already in DisruptedPods: the API server has processed it, not a violation.
        if (pdb.disruptedPods.includes(pod.name)) return;
        allowed[i]--;
        if (allowed[i] < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}

/**
 * SelectVictimsOnNode over the pods of one node. `fits(remaining)` runs the filters with only the
 * `remaining` pods on the node. Returns the victims (most important first), or undefined when the
 * pod does not fit even without every lower-priority pod, or no pod has a lower priority.
 */
export function selectVictimsOnNode(
  pods: readonly ClusterPod[],
  preemptorPriority: number,
  fits: (remaining: ReadonlySet<ClusterPod>) => boolean,
  cluster: Pick<ClusterModel, 'priorityClasses' | 'podDisruptionBudgets'>,
): ClusterPod[] | undefined {
  const classes = cluster.priorityClasses ?? [];
  const priorities = new Map<ClusterPod, number>();
  for (const p of pods) priorities.set(p, podPriority(p, classes));
  // isPreemptionAllowed: strictly lower priority.
  const potentialVictims = pods.filter((p) => priorities.get(p)! < preemptorPriority);
  if (potentialVictims.length === 0) return undefined;
  const remaining = new Set(pods);
  for (const p of potentialVictims) remaining.delete(p);
  if (!fits(remaining)) return undefined;
  // Reprieve the most important pods first.
  potentialVictims.sort(byImportance(priorities));
  const { violating, nonViolating } = filterPodsWithPDBViolation(potentialVictims, cluster.podDisruptionBudgets ?? []);
  const victims: ClusterPod[] = [];
  const reprieve = (p: ClusterPod) => {
    remaining.add(p);
    if (!fits(remaining)) {
      remaining.delete(p);
      victims.push(p);
    }
  };
  violating.forEach(reprieve);
  nonViolating.forEach(reprieve);
  if (violating.length > 0 && nonViolating.length > 0) {
    victims.sort(byImportance(priorities));
  }
  return victims;
}
