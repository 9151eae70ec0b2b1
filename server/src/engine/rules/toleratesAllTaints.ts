import { formatTaint, TaintTolerationComparisonOperators, tolerationsTolerateTaint, doNotScheduleTaintsFilter } from '../placement/tolerations';
import { formatPath, type Finding, type Fix } from '../types';
import type { Rule } from './rule';
import { daemonPodTolerations, itemSpan, networkAgentSignals, ruleFixes, TOLERATIONS_PATH, userTolerations } from './tolerationSupport';
import { nodeList } from './untoleratedTaint';

/**
 * A key-less `operator: Exists` toleration tolerates every taint of its effect (ToleratesTaint,
 * api/core/v1/toleration.go: empty key matches all keys, Exists matches all values).
 */
export const toleratesAllTaints: Rule = {
  id: 'tolerates-all-taints',
  description: 'A key-less Exists toleration tolerates every taint, NoExecute included.',
  help: 'With no key and `operator: Exists`, a toleration matches every taint (of its effect, or of every effect when it has none). The pods then run on control-plane and cordoned nodes and are never evicted by NoExecute taints: not by node.kubernetes.io/not-ready or unreachable, nor by node.kubernetes.io/out-of-service during a non-graceful shutdown. Network plugins do this on purpose and are not reported; other agents should list the taints they mean. A key-less toleration limited to NoSchedule is reported as a hint only.',
  defaultSeverity: 'information',
  check(ds, ctx) {
    const cluster = ctx.cluster;
    if (!cluster) return [];
    const all = userTolerations(ds);
    const hit = all.find(({ toleration: t }) => !t.key && t.operator === 'Exists');
    // Network plugins must run on every node, whatever its taints: that is the documented practice.
    if (!hit || networkAgentSignals(ds).length) return [];
    const t = hit.toleration;
    const path = [...TOLERATIONS_PATH, hit.index];
    const span = itemSpan(ctx.model.text, ds, path);
    const gate = !!ctx.featureGates[TaintTolerationComparisonOperators];
    // What this toleration alone lets through on the cluster's nodes.
    const without = daemonPodTolerations(ds).filter((x) => x !== t && !(x.key === undefined && x.operator === 'Exists' && x.effect === t.effect));
    const opened: string[] = [];
    for (const n of cluster.nodes) {
      const ts = n.taints.filter((taint) => doNotScheduleTaintsFilter(taint) && (!t.effect || t.effect === taint.effect) && !tolerationsTolerateTaint(without, taint, gate));
      if (ts.length) opened.push(`${n.name} (${ts.map(formatTaint).join(', ')})`);
    }
    let what: string;
    if (!t.effect) {
      what = 'tolerates every taint: the pods run on every node, control-plane and cordoned nodes included, and NoExecute taints never evict them, not even node.kubernetes.io/not-ready/unreachable or node.kubernetes.io/out-of-service (pods on a failed or shut-down node are not deleted).';
    } else if (t.effect === 'NoExecute') {
      what = t.tolerationSeconds !== undefined
        ? `tolerates every NoExecute taint for ${t.tolerationSeconds}s: the pods are evicted from tainted nodes only after that delay (the DaemonSet controller itself keeps them).`
        : 'tolerates every NoExecute taint: the pods are never evicted, not even by node.kubernetes.io/out-of-service (pods on a shut-down node are not deleted).';
    } else {
      what = `tolerates every ${t.effect} taint (control-plane and dedicated nodes included); NoExecute taints still evict the pods.`;
    }
    const fixes: Fix[] = ruleFixes(ctx, ds, span, this.id);
    const f: Finding = {
      code: this.id,
      // Only a toleration that covers NoExecute changes eviction; a NoSchedule-only one is a hint.
      severity: !t.effect || t.effect === 'NoExecute' ? this.defaultSeverity : 'hint',
      message: `This toleration (no key, operator Exists) ${what}` + (opened.length ? ` In the cluster file it lets the pods onto ${nodeList(opened, 4)}.` : ''),
      path: formatPath(path),
      span,
      data: { effect: t.effect ?? '' },
      fixes,
    };
    return [f];
  },
};
