/**
 * What the RuntimeClass admission plugin does to a pod the DaemonSet controller creates, mirroring
 * plugin/pkg/admission/runtimeclass/admission.go: Admit (prepareObjects, setOverhead, setScheduling),
 * then Validate (validateOverhead). It runs on pods only, at creation: the DaemonSet and its template
 * are stored as written, and the controller decides where pods go from the template alone
 * (NodeShouldRunDaemonPod builds the pod with NewPod from the template), never seeing what this plugin
 * adds. Applied only when the cluster file holds RuntimeClasses: without any, which exist is unknown.
 */
import { isPlainObject } from '../model';
import type { CompiledDaemonSet } from './compile';
import { NONE } from './controller';
import { formatRequirement, requirementMatches, type LabelRequirement } from './nodeAffinity';
import { computePodResourceRequest, readResourceList } from './resources';
import { formatTaint, scalarText as str, tolerationsTolerateTaint } from './tolerations';
import type { ClusterNode, ClusterRuntimeClass, Reason, Toleration } from './types';

/** The plugin refuses the pod (admission.NewForbidden): the API server never creates it. */
export interface RuntimeClassRejection {
  /** Which check: the class is missing, the overheads differ, a nodeSelector key conflicts, or an overhead has no class overhead. */
  code: 'runtime-class-not-found' | 'runtime-class-overhead-mismatch' | 'runtime-class-node-selector-conflict' | 'runtime-class-overhead-without-class';
  /** The plugin's own error text (`pod rejected: RuntimeClass "gvisor" not found`). */
  message: string;
  /** For a nodeSelector conflict: the key. */
  key?: string;
}

/** The pod after the plugin, or why it refuses it. */
export interface RuntimeClassAdmission {
  /** The pod's `runtimeClassName`, when set. */
  runtimeClassName?: string;
  /** The RuntimeClass the pod names, when the cluster file has it. */
  runtimeClass?: ClusterRuntimeClass;
  rejection?: RuntimeClassRejection;
  /** setOverhead: the pod's `spec.overhead` (the class's `overhead.podFixed`), when the class sets one. */
  overhead?: Record<string, string>;
  /** setScheduling: the class's nodeSelector entries the template's nodeSelector does not already have. */
  addedNodeSelector?: Record<string, string>;
  /** setScheduling: the pod's tolerations after MergeTolerations(pod's, class's). */
  tolerations?: Toleration[];
}


/**
 * apiequality.Semantic.DeepEqual over two resource lists: the same names, each quantity equal by
 * Quantity.Cmp (`1` equals `1000m`); nil and empty are equal.
 */
function semanticEqualOverhead(a: unknown, b: unknown): boolean {
  const ka = isPlainObject(a) ? Object.keys(a) : [];
  const kb = isPlainObject(b) ? Object.keys(b) : [];
  if (ka.length !== kb.length) return false;
  if (ka.length === 0) return true;
  const ra = readResourceList(a);
  const rb = readResourceList(b);
  for (const k of ka) {
    if (!kb.includes(k)) return false;
    const x = ra.get(k);
    const y = rb.get(k);
    // An entry that is no quantity never reaches admission (validation rejects it); compare it as written.
    if (x === undefined || y === undefined) {
      if (String((a as Record<string, unknown>)[k]) !== String((b as Record<string, unknown>)[k])) return false;
    } else if (x !== y) return false;
  }
  return true;
}

/** apiequality.Semantic.DeepEqual over two tolerations (an unset field is the empty value). */
function sameToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '')
    && (a.effect ?? '') === (b.effect ?? '') && a.tolerationSeconds === b.tolerationSeconds;
}

/** pkg/util/tolerations isSuperset: whether `ss` tolerates every taint `t` tolerates. */
function isSuperset(ss: Toleration, t: Toleration): boolean {
  if (sameToleration(t, ss)) return true;
  // An empty key with Exists matches every key.
  if ((t.key ?? '') !== (ss.key ?? '') && ((ss.key ?? '') !== '' || ss.operator !== 'Exists')) return false;
  // An empty effect matches every effect.
  if ((t.effect ?? '') !== (ss.effect ?? '') && (ss.effect ?? '') !== '') return false;
  if (ss.effect === 'NoExecute' && ss.tolerationSeconds !== undefined) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds > ss.tolerationSeconds) return false;
  }
  switch (ss.operator ?? '') {
    case 'Equal':
    case '':
      return t.operator === 'Equal' && (t.value ?? '') === (ss.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/**
 * pkg/util/tolerations MergeTolerations(first, second): the tolerations of both lists in order, less
 * each one that a toleration already kept, or a different one later in the lists, is a superset of
 * (of equal ones the first is kept).
 */
export function mergeTolerations(first: readonly Toleration[], second: readonly Toleration[]): Toleration[] {
  const all = [...first, ...second];
  const merged: Toleration[] = [];
  next: for (let i = 0; i < all.length; i++) {
    const t = all[i];
    for (const t2 of merged) if (isSuperset(t2, t)) continue next;
    for (let j = i + 1; j < all.length; j++) {
      if (!sameToleration(t, all[j]) && isSuperset(all[j], t)) continue next;
    }
    merged.push(t);
  }
  return merged;
}

/**
 * The RuntimeClass admission of a pod with `podSpec` (the template's spec, tolerations as the
 * controller sets them) against the cluster's RuntimeClasses. Undefined when the cluster file holds
 * none (nothing is known), or when the pod names no class and sets no overhead (the plugin does nothing).
 */
export function runtimeClassAdmission(
  podSpec: Record<string, unknown>,
  podTolerations: readonly Toleration[],
  runtimeClasses: readonly ClusterRuntimeClass[] | undefined,
): RuntimeClassAdmission | undefined {
  if (!runtimeClasses || runtimeClasses.length === 0) return undefined;
  const name = typeof podSpec.runtimeClassName === 'string' && podSpec.runtimeClassName !== '' ? podSpec.runtimeClassName : undefined;
  const podOverhead = isPlainObject(podSpec.overhead) ? podSpec.overhead : undefined;
  const hasPodOverhead = podOverhead !== undefined && Object.keys(podOverhead).length > 0;
  if (name === undefined && !hasPodOverhead) return undefined;
  const out: RuntimeClassAdmission = {};
  if (name !== undefined) out.runtimeClassName = name;
  // prepareObjects: a class the lister and a live lookup do not find.
  const rc = name === undefined ? undefined : runtimeClasses.find((r) => r.name === name);
  if (name !== undefined && !rc) {
    out.rejection = { code: 'runtime-class-not-found', message: `pod rejected: RuntimeClass "${name}" not found` };
    return out;
  }
  if (rc) out.runtimeClass = rc;
  // setOverhead: a class with an overhead sets the pod's; one the pod already sets must equal it.
  if (rc?.overhead) {
    if (hasPodOverhead && !semanticEqualOverhead(rc.overhead.podFixed, podOverhead)) {
      out.rejection = { code: 'runtime-class-overhead-mismatch', message: "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead" };
      return out;
    }
    out.overhead = { ...(rc.overhead.podFixed ?? {}) };
  }
  // setScheduling: the class's nodeSelector merged into the pod's (a differing value is a conflict),
  // its tolerations merged with the pod's.
  if (rc?.scheduling) {
    const podSelector = isPlainObject(podSpec.nodeSelector) ? podSpec.nodeSelector : undefined;
    const added: Record<string, string> = {};
    for (const [key, rcValue] of Object.entries(rc.scheduling.nodeSelector ?? {})) {
      if (podSelector && Object.prototype.hasOwnProperty.call(podSelector, key)) {
        const podValue = str(podSelector[key]) ?? '';
        if (podValue !== rcValue) {
          out.rejection = {
            code: 'runtime-class-node-selector-conflict',
            message: `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${rcValue}; pod.spec.nodeSelector[${key}] = ${podValue}`,
            key,
          };
          return out;
        }
        continue;
      }
      added[key] = rcValue;
    }
    if (Object.keys(added).length > 0) out.addedNodeSelector = added;
    out.tolerations = mergeTolerations(podTolerations, rc.scheduling.tolerations ?? []);
  }
  // validateOverhead: after Admit, a pod overhead needs a class that defines one.
  const overheadAfter = out.overhead ?? (hasPodOverhead ? podOverhead : undefined);
  if (overheadAfter && Object.keys(overheadAfter).length > 0 && !rc?.overhead) {
    out.rejection = { code: 'runtime-class-overhead-without-class', message: 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead' };
  }
  return out;
}

/**
 * The compiled DaemonSet with what the plugin sets on its pods: `requests` counting the class's
 * overhead (the scheduler's NodeResourcesFit adds `spec.overhead`, computePodResourceRequest).
 * The template's own fields stay: the controller decides from them.
 */
export function withRuntimeClass(c: CompiledDaemonSet, rca: RuntimeClassAdmission): CompiledDaemonSet {
  const out: CompiledDaemonSet = { ...c, runtimeClass: rca };
  if (!rca.rejection && rca.overhead) {
    out.requests = computePodResourceRequest({ ...c.podSpec, overhead: rca.overhead }, { skipPodLevelResources: !c.podLevelResources });
  }
  return out;
}

const classLabel = (rca: RuntimeClassAdmission) => `RuntimeClass \`${rca.runtimeClassName ?? ''}\``;

/**
 * The reason on a node where the controller creates a pod the plugin refuses: the API server answers
 * Forbidden, no pod exists, and the controller records FailedCreate and tries again on later syncs.
 */
export function runtimeClassRejectionReason(c: CompiledDaemonSet): Reason[] {
  const rca = c.runtimeClass;
  const r = rca?.rejection;
  if (!rca || !r) return NONE as Reason[];
  let why: string;
  let span = c.spans.runtimeClassName;
  switch (r.code) {
    case 'runtime-class-not-found':
      why = `the cluster file has no ${classLabel(rca)}`;
      break;
    case 'runtime-class-overhead-mismatch':
      why = `the template's overhead is not the ${classLabel(rca)} overhead.podFixed (${formatResources(rca.runtimeClass?.overhead?.podFixed)})`;
      span = c.spans.overhead;
      break;
    case 'runtime-class-node-selector-conflict':
      why = `the template's nodeSelector \`${r.key}\` differs from the ${classLabel(rca)} scheduling.nodeSelector`;
      span = c.spans.nodeSelector.get(r.key ?? '') ?? c.spans.runtimeClassName;
      break;
    default:
      why = rca.runtimeClassName === undefined
        ? 'the template sets overhead without a runtimeClassName'
        : `the template sets overhead and ${classLabel(rca)} defines none`;
      span = c.spans.overhead;
  }
  return [{
    code: r.code,
    message: `the API server refuses to create the pod (RuntimeClass admission: ${r.message}): ${why}; the controller retries and no pod runs`,
    span,
  }];
}

function formatResources(list: Readonly<Record<string, string>> | undefined): string {
  const entries = Object.entries(list ?? {});
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}: ${v}`).join(', ');
}

/**
 * The scheduler's NodeAffinity filter over the nodeSelector keys the class added: the controller chose
 * the node from the template, which does not have them, and bound the pod to it with the
 * `metadata.name` affinity; a node without the class's labels leaves the pod Pending for good (the
 * filter's status is UnschedulableAndUnresolvable: preemption cannot help).
 */
export function runtimeClassSelectorReasons(c: CompiledDaemonSet, node: Pick<ClusterNode, 'labels'>): Reason[] {
  const rca = c.runtimeClass;
  const added = rca?.addedNodeSelector;
  if (!rca || rca.rejection || !added) return NONE as Reason[];
  let reasons: Reason[] | undefined;
  for (const [key, value] of Object.entries(added)) {
    const req: LabelRequirement = { key, operator: 'Equals', values: [value] };
    if (requirementMatches(req, node.labels)) continue;
    const has = Object.prototype.hasOwnProperty.call(node.labels, key);
    (reasons ??= []).push({
      code: 'runtime-class-node-selector-mismatch',
      message: `${classLabel(rca)} adds nodeSelector \`${formatRequirement(req)}\` to the pod, which the node does not match (${has ? `node has \`${node.labels[key]}\`` : `node has no label \`${key}\``}): the controller creates the pod from its template, which does not select the node, and it stays Pending`,
      span: c.spans.runtimeClassName,
      schedulerReason: "node(s) didn't match Pod's node affinity/selector",
    });
  }
  return reasons ?? (NONE as Reason[]);
}

/**
 * An untolerated-taint reason on a node the controller skips, when the class's tolerations would
 * tolerate the taint: the controller reads the template's tolerations only (NodeShouldRunDaemonPod),
 * so no pod is created there and the class's toleration never comes into play.
 */
export function withRuntimeClassTolerationNote(c: CompiledDaemonSet, reasons: Reason[]): Reason[] {
  const rca = c.runtimeClass;
  const tols = rca?.tolerations;
  if (!rca || rca.rejection || !tols || !reasons.some((r) => r.taint)) return reasons;
  return reasons.map((r) => {
    if (!r.taint || !tolerationsTolerateTaint(tols, r.taint, c.enableComparisonOperators)) return r;
    return { ...r, message: `${r.message}; ${classLabel(rca)} tolerates \`${formatTaint(r.taint)}\`, but the controller decides from the template's tolerations, so no pod is created here` };
  });
}

/** What the RuntimeClass admission plugin did to the pod shown (or that it refuses it). */
export function runtimeClassPodNote(rca: RuntimeClassAdmission | undefined): string | undefined {
  if (!rca) return undefined;
  if (rca.rejection) return `The RuntimeClass admission plugin refuses this pod (${rca.rejection.message}): the API server never creates it.`;
  const rc = rca.runtimeClass;
  if (!rc) return undefined;
  const did: string[] = [];
  if (rc.overhead) did.push('spec.overhead (its overhead.podFixed)');
  if (rca.addedNodeSelector) did.push(`nodeSelector ${Object.entries(rca.addedNodeSelector).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  if (rc.scheduling?.tolerations?.length) did.push('its scheduling.tolerations');
  return did.length > 0 ? `From RuntimeClass ${rc.name}, the RuntimeClass admission plugin sets ${did.join(', ')}; the controller chose the node from the template alone.` : undefined;
}
