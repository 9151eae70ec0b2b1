/**
 * How a node's verdict is read and counted, shared by the code lens (server), the preview (client)
 * and the CLI's `place`, so that they agree. No LSP here: the CLI bundle does not carry it.
 */
import type { NodeVerdict } from './engine/placement/types';

/**
 * runs: a pod is created, scheduled and admitted; pending: created but a scheduler filter fails;
 * rejected: created and scheduled, then rejected by the kubelet (the pod's OS); refused: the controller
 * asks for a pod and the API server refuses to create it (RuntimeClass admission); excluded: no pod.
 */
export type Verdict = 'runs' | 'pending' | 'rejected' | 'refused' | 'excluded';

export function verdictOf(v: Pick<NodeVerdict, 'shouldRun' | 'schedulable' | 'admitted' | 'created'>): Verdict {
  if (!v.shouldRun) return 'excluded';
  if (v.created === false) return 'refused';
  if (v.schedulable === false) return 'pending';
  return v.admitted === false ? 'rejected' : 'runs';
}

export interface PlacementCounts {
  nodes: number;
  desired: number;
  runs: number;
  pending: number;
  /** Created and scheduled, then rejected by the kubelet. */
  rejected: number;
  /** Asked for by the controller, refused by the API server (never created); absent when none. */
  refused?: number;
  excluded: number;
  /** Excluded nodes whose only reasons are untolerated taints (a toleration would make them run). */
  blockedByTaints: number;
  /** Nodes counted in `runs` where the pod runs only by preempting lower-priority pods. */
  preempting?: number;
}

export function countVerdicts(desired: number, nodes: ReadonlyArray<Pick<NodeVerdict, 'shouldRun' | 'schedulable' | 'admitted' | 'created' | 'preemption'> & { reasons: ReadonlyArray<{ code: string }> }>): PlacementCounts {
  const c: PlacementCounts = { nodes: nodes.length, desired, runs: 0, pending: 0, rejected: 0, excluded: 0, blockedByTaints: 0 };
  for (const n of nodes) {
    const v = verdictOf(n);
    if (v === 'refused') c.refused = (c.refused ?? 0) + 1;
    else c[v]++;
    if (v === 'runs' && n.preemption?.outcome === 'preempts') c.preempting = (c.preempting ?? 0) + 1;
    if (v === 'excluded' && n.reasons.length > 0 && n.reasons.every((r) => r.code === 'untolerated-taint')) c.blockedByTaints++;
  }
  return c;
}

/** "runs on 7 of 9 nodes · 1 by preempting other pods · 1 pending · 2 blocked by taints" (code lens, preview summary, `place`). */
export function placementLine(c: Pick<PlacementCounts, 'nodes' | 'runs' | 'pending' | 'excluded' | 'blockedByTaints' | 'preempting'> & Partial<Pick<PlacementCounts, 'rejected' | 'refused'>>): string {
  if (c.nodes === 0) return 'the cluster file has no nodes';
  const parts = [`runs on ${c.runs} of ${c.nodes} node${c.nodes === 1 ? '' : 's'}`];
  if (c.preempting) parts.push(`${c.preempting} by preempting other pods`);
  if (c.pending > 0) parts.push(`${c.pending} pending`);
  if (c.rejected) parts.push(`${c.rejected} rejected by the kubelet`);
  if (c.refused) parts.push(`${c.refused} refused by the API server`);
  if (c.blockedByTaints > 0) parts.push(`${c.blockedByTaints} blocked by taints`);
  const other = c.excluded - c.blockedByTaints;
  if (other > 0) parts.push(`${other} excluded by selector or affinity`);
  return parts.join(' · ');
}

/** Why the DaemonSet controller does nothing with a DaemonSet (`DaemonSetPlacement.ignored`: syncDaemonSet returns early). */
export const IGNORED_REASON = {
  'selects-all': 'the controller ignores this DaemonSet, whose selector selects all pods',
  'bad-selector': 'the controller ignores this DaemonSet, whose spec.selector cannot be parsed',
  deleting: 'the controller ignores this DaemonSet, which is being deleted',
} as const;

/** The line of a placement (code lens, preview summary, `place`): placementLine, or that no pod is made anywhere. */
export function placementSummary(p: { ignored?: keyof typeof IGNORED_REASON; desiredNumberScheduled: number; nodes: Parameters<typeof countVerdicts>[1] }): string {
  return p.ignored ? `no pod on any node: ${IGNORED_REASON[p.ignored]}` : placementLine(countVerdicts(p.desiredNumberScheduled, p.nodes));
}
