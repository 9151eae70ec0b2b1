import { reportSpan } from '../ast';
import { formatTaint } from '../placement/tolerations';
import type { Taint } from '../placement/types';
import { countOf } from '../text';
import type { Finding } from '../types';
import type { Rule } from './rule';
import { placementOf } from './placementOf';
import { osRejectingNodes, ruleFixes, tolerationFixes } from './tolerationSupport';
import { SELECTION_MISMATCH } from './untoleratedTaint';

/** Why nodes are skipped, as [one node, several nodes]: "1 has taints…", "2 have taints…". */
const WHY: Record<string, readonly [string, string]> = {
  'node-name-mismatch': ['is not the node named by nodeName', 'are not the node named by nodeName'],
  'node-selector-mismatch': ["doesn't match the nodeSelector", "don't match the nodeSelector"],
  'node-affinity-mismatch': ["doesn't match the required node affinity", "don't match the required node affinity"],
  'untolerated-taint': ['has taints it does not tolerate', 'have taints it does not tolerate'],
};

/** The controller would create no pod at all: desiredNumberScheduled is 0 (updateDaemonSetStatus). */
export const noEligibleNodes: Rule = {
  id: 'no-eligible-nodes',
  description: 'No node of the cluster file would run this DaemonSet.',
  help: 'NodeShouldRunDaemonPod is false on every node of the cluster file, so desiredNumberScheduled is 0. The message counts the nodes by reason (nodeName, nodeSelector, required node affinity, taints).',
  defaultSeverity: 'warning',
  // A Kustomize patch is merged into a base whose tolerations, selectors and containers it does not show.
  needsCompleteObject: true,
  check(ds, ctx) {
    const placement = placementOf(ctx, ds);
    if (!placement || placement.nodes.length === 0 || placement.desiredNumberScheduled > 0) return [];
    const counts = new Map<string, number>();
    const taints = new Map<string, Taint>();
    let onlyTaints = true;
    // A toleration for these nodes' taints would only get the pods rejected there (the pod's OS).
    const wrongOS = osRejectingNodes(ds, ctx.cluster);
    for (const v of placement.nodes) {
      // The first reason the controller meets decides (nodeName, then affinity, then taints).
      const code = Object.keys(WHY).find((c) => v.reasons.some((r) => r.code === c));
      if (!code) continue;
      counts.set(code, (counts.get(code) ?? 0) + 1);
      if (SELECTION_MISMATCH.has(code)) onlyTaints = false;
      else if (!wrongOS.has(v.node)) for (const r of v.reasons) if (r.code === 'untolerated-taint' && r.taint) taints.set(formatTaint(r.taint), r.taint);
    }
    const n = placement.nodes.length;
    const order = Object.keys(WHY);
    const why = [...counts].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([code, k]) => `${k === n ? (n === 1 ? 'it' : 'all') : k} ${WHY[code]?.[k === 1 ? 0 : 1] ?? code}`);
    const span = reportSpan(ds, ['metadata', 'name'], 'value');
    const text = ctx.model.text;
    const fixes = ruleFixes(ctx, ds, span, this.id, () =>
      onlyTaints && taints.size ? tolerationFixes(text, ds, [...taints.values()], `Add all ${taints.size} blocking tolerations`) : []);
    const f: Finding = {
      code: this.id,
      severity: this.defaultSeverity,
      message: `No node of the cluster file (${countOf(n, 'node')}) would run this DaemonSet${why.length ? `: ${why.join(', ')}` : ''}.`,
      path: 'metadata.name',
      span,
      data: { counts: Object.fromEntries(counts) },
      fixes,
    };
    return [f];
  },
};
