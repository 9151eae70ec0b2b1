import { reportSpan } from '../ast';
import { formatTaint } from '../placement/tolerations';
import type { Taint } from '../placement/types';
import { countOf } from '../text';
import type { Finding } from '../types';
import type { Rule } from './rule';
import { placementOf } from './placementOf';
import { osRejectingNodes, ruleFixes, tolerationFixes } from './tolerationSupport';
import { SELECTION_MISMATCH } from './untoleratedTaint';

/** Why nodes are skipped, as [one node of one, several nodes, all of several]: "1 has taints…", "2 have taints…", "none matches…". */
const WHY: Record<string, readonly [string, string, string]> = {
  'node-name-mismatch': ['is not the node named by nodeName', 'are not the node named by nodeName', 'none is the node named by nodeName'],
  'node-selector-mismatch': ["doesn't match the nodeSelector", "don't match the nodeSelector", 'none matches the nodeSelector'],
  'node-affinity-mismatch': ["doesn't match the required node affinity", "don't match the required node affinity", 'none matches the required node affinity'],
  'untolerated-taint': ['has taints it does not tolerate', 'have taints it does not tolerate', 'all have taints it does not tolerate'],
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
    const what = detail(ds.value);
    const why = [...counts].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([code, k]) => {
      const words = WHY[code];
      const said = !words ? `${k} ${code}` : k === n && n > 1 ? words[2] : `${k === n ? 'it' : k} ${words[k === 1 ? 0 : 1]}`;
      return what[code] ? `${said} (${what[code]})` : said;
    });
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

/** What the nodes are matched against, for the message: the nodeSelector's labels, the nodeName. */
function detail(value: unknown): Record<string, string> {
  const spec = (value as { spec?: { template?: { spec?: { nodeSelector?: unknown; nodeName?: unknown } } } } | undefined)?.spec?.template?.spec;
  const out: Record<string, string> = {};
  const sel = spec?.nodeSelector;
  if (sel && typeof sel === 'object' && !Array.isArray(sel)) {
    // A null value (`key:`) decodes as "" into the API's map[string]string (encoding/json leaves it zero).
    const pairs = Object.entries(sel as Record<string, unknown>).map(([k, v]) => `${k}=${typeof v === 'string' ? v : v == null ? '' : String(v)}`);
    if (pairs.length) out['node-selector-mismatch'] = pairs.join(', ');
  }
  if (typeof spec?.nodeName === 'string') out['node-name-mismatch'] = spec.nodeName;
  return out;
}
