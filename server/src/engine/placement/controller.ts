/**
 * The DaemonSet controller's per-node verdict, mirroring pkg/controller/daemon/daemon_controller.go
 * (NodeShouldRunDaemonPod, predicates), plus the human reasons and notes for a verdict.
 */
import type { ManifestObject } from '../model';
import { compileDaemonSet, type CompiledDaemonSet } from './compile';
import { formatRequirement, nodeSelectorMatches, requiredTermsMatch, requirementMatches, termMatches, type LabelRequirement } from './nodeAffinity';
import {
  doNotScheduleTaintsFilter,
  findMatchingUntoleratedTaint,
  formatTaint,
  noExecuteTaintsFilter,
  TAINT_EFFECT_NO_EXECUTE,
  TAINT_EFFECT_PREFER_NO_SCHEDULE,
  tolerationsTolerateTaint,
} from './tolerations';
import type { ClusterNode, PlacementOptions, Reason } from './types';

/** The subset of a node the controller reads. */
export type NodeLike = Pick<ClusterNode, 'name' | 'labels' | 'taints'>;

/** daemon_controller.go predicates: fitsNodeName, fitsNodeAffinity, fitsTaints for the daemon pod on `node`. */
export function predicates(c: CompiledDaemonSet, node: NodeLike): { fitsNodeName: boolean; fitsNodeAffinity: boolean; fitsTaints: boolean } {
  // NewPod sets pod.Spec.NodeName = node.Name, so fitsNodeName holds once the template nodeName check passed.
  const fitsNodeName = c.nodeName === undefined || c.nodeName === node.name;
  const fitsNodeAffinity = nodeSelectorMatches(c.affinity, node.labels) && requiredTermsMatch(c.affinity, node.labels, node.name);
  const fitsTaints = !findMatchingUntoleratedTaint(node.taints, c.tolerations, doNotScheduleTaintsFilter, c.enableComparisonOperators).untolerated;
  return { fitsNodeName, fitsNodeAffinity, fitsTaints };
}

/**
 * NodeShouldRunDaemonPod: shouldRun (create a pod if none is there) and shouldContinueRunning
 * (keep an existing pod). Untolerated NoSchedule keeps pods; untolerated NoExecute evicts them.
 */
export function nodeShouldRunDaemonPod(node: NodeLike, ds: ManifestObject | CompiledDaemonSet, options?: PlacementOptions): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const c = 'tolerations' in ds && 'affinity' in ds ? (ds as CompiledDaemonSet) : compileDaemonSet(ds as ManifestObject, options);
  if (c.nodeName !== undefined && c.nodeName !== node.name) return NO_NO;
  // predicates(), inlined: this runs for every node and DaemonSet.
  if (!nodeSelectorMatches(c.affinity, node.labels) || !requiredTermsMatch(c.affinity, node.labels, node.name)) return NO_NO;
  if (node.taints.length === 0) return YES_YES;
  if (findMatchingUntoleratedTaint(node.taints, c.tolerations, doNotScheduleTaintsFilter, c.enableComparisonOperators).untolerated) {
    const { untolerated } = findMatchingUntoleratedTaint(node.taints, c.tolerations, noExecuteTaintsFilter, c.enableComparisonOperators);
    return untolerated ? NO_NO : NO_YES;
  }
  return YES_YES;
}

// The three possible verdicts, shared (frozen) so that placing thousands of nodes allocates nothing here.
const NO_NO = Object.freeze({ shouldRun: false, shouldContinueRunning: false }) as { shouldRun: boolean; shouldContinueRunning: boolean };
const NO_YES = Object.freeze({ shouldRun: false, shouldContinueRunning: true }) as { shouldRun: boolean; shouldContinueRunning: boolean };
const YES_YES = Object.freeze({ shouldRun: true, shouldContinueRunning: true }) as { shouldRun: boolean; shouldContinueRunning: boolean };

function labelState(labels: Readonly<Record<string, string>>, key: string): string {
  return Object.prototype.hasOwnProperty.call(labels, key) ? `node has \`${labels[key] === '' ? '""' : labels[key]}\`` : `node has no label \`${key}\``;
}

function requirementFailure(r: LabelRequirement, labels: Readonly<Record<string, string>>): string {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  if (r.operator === 'DoesNotExist' || (r.operator === 'NotIn' && has)) return `\`${formatRequirement(r)}\` (node has \`${r.key}=${labels[r.key]}\`)`;
  if ((r.operator === 'Gt' || r.operator === 'Lt') && has) return `\`${formatRequirement(r)}\` (${labelState(labels, r.key)}${/^[+-]?[0-9]+$/.test(labels[r.key]) ? '' : ', not an integer'})`;
  return `\`${formatRequirement(r)}\` (${labelState(labels, r.key)})`;
}

/** Why the controller does not run (or keep) a pod of `c` on `node`; empty when shouldRun. */
export function explainShouldRun(c: CompiledDaemonSet, node: NodeLike): Reason[] {
  const reasons: Reason[] = [];
  if (c.nodeName !== undefined && c.nodeName !== node.name) {
    reasons.push({ code: 'node-name-mismatch', message: `template nodeName \`${c.nodeName}\` pins the pods to another node`, span: c.spans.nodeName });
    return reasons;
  }
  const a = c.affinity;
  if (a.nodeSelector) {
    for (const r of a.nodeSelector) {
      if (requirementMatches(r, node.labels)) continue;
      reasons.push({
        code: 'node-selector-mismatch',
        message: `nodeSelector \`${r.key}=${r.values[0]}\` does not match (${labelState(node.labels, r.key)})`,
        span: c.spans.nodeSelector.get(r.key) ?? c.spans.affinity,
      });
    }
  }
  if (a.terms && !requiredTermsMatch(a, node.labels, node.name)) {
    const parts: string[] = [];
    for (const t of a.terms) {
      if (t.parseErrors.length > 0) {
        parts.push(`term ${t.index + 1} is invalid and never matches (${t.parseErrors[0]})`);
        continue;
      }
      if (termMatches(t, node.labels, node.name)) continue;
      const failed = (t.matchExpressions ?? []).find((r) => !requirementMatches(r, node.labels));
      if (failed) parts.push(`${a.terms.length > 1 ? `term ${t.index + 1}: ` : ''}${requirementFailure(failed, node.labels)}`);
      else {
        const f = (t.matchFields ?? [])[0];
        parts.push(`${a.terms.length > 1 ? `term ${t.index + 1}: ` : ''}\`${f ? `${f.key} ${f.operator} [${f.value}]` : 'matchFields'}\` (node is \`${node.name}\`)`);
      }
    }
    if (a.terms.length === 0) parts.push('no term to match: empty terms match no node');
    reasons.push({ code: 'node-affinity-mismatch', message: `required node affinity does not match: ${parts.join('; ')}`, span: c.spans.affinity });
  }
  for (const taint of node.taints) {
    if (!doNotScheduleTaintsFilter(taint)) continue;
    if (tolerationsTolerateTaint(c.tolerations, taint, c.enableComparisonOperators)) continue;
    reasons.push({
      code: 'untolerated-taint',
      message: `taint \`${formatTaint(taint)}\` is not tolerated${taint.effect === TAINT_EFFECT_NO_EXECUTE ? ' (running daemon pods are evicted)' : ''}`,
      span: c.spans.tolerations,
      taint,
    });
  }
  return reasons;
}

/** Facts about a node that do NOT stop a daemon pod, said where they might surprise. */
export function explainNotes(c: CompiledDaemonSet, node: ClusterNode): string[] {
  let notes: string[] | undefined;
  for (const t of node.taints) {
    if (t.effect !== TAINT_EFFECT_PREFER_NO_SCHEDULE || tolerationsTolerateTaint(c.tolerations, t, c.enableComparisonOperators)) continue;
    (notes ??= []).push(`taint \`${formatTaint(t)}\` is PreferNoSchedule: it only lowers the node's score, the daemon pod still goes here`);
  }
  if (node.unschedulable) (notes ??= []).push('node is cordoned (spec.unschedulable): daemon pods still run here, they tolerate `node.kubernetes.io/unschedulable:NoSchedule`');
  const ready = node.conditions.Ready;
  if (ready !== undefined && ready !== 'True') {
    (notes ??= []).push(`node is ${ready === 'Unknown' ? 'unreachable (Ready=Unknown)' : 'NotReady (Ready=False)'}: the controller reads only taints, not conditions`);
  }
  return notes ?? (NONE as string[]);
}

/** The shared empty list verdicts use when there is nothing to say (frozen: never push into verdict lists). */
export const NONE = Object.freeze([]) as unknown as never[];
