import { formatTaint, TaintNodeNotReady } from '../placement/tolerations';
import type { Taint } from '../placement/types';
import { wellKnownTaint } from '../taints';
import { formatPath, type Finding } from '../types';
import type { Rule } from './rule';
import { placementOf } from './placementOf';
import { missingControlPlaneTaints } from './missingControlPlaneToleration';
import { missesNotReadyToleration } from './missingNotReadyToleration';
import { nodesOfAnotherOS, ruleFixes, tolerationAnchor, tolerationFixes, TOLERATIONS_PATH } from './tolerationSupport';

/** Reasons that stop the controller before taints matter: on these nodes a toleration would not help. */
export const SELECTION_MISMATCH = new Set(['node-name-mismatch', 'node-selector-mismatch', 'node-affinity-mismatch']);

/** Node names for a message: all of them up to `max`, then "and N more". */
export function nodeList(names: readonly string[], max = 5): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/**
 * Nodes the DaemonSet selects (nodeName, nodeSelector, required affinity) but whose NoSchedule or
 * NoExecute taints it does not tolerate: NodeShouldRunDaemonPod → predicates → fitsTaints
 * (pkg/controller/daemon/daemon_controller.go).
 */
export const untoleratedTaint: Rule = {
  id: 'untolerated-taint',
  description: 'Nodes of the cluster file that the DaemonSet selects but whose taints it does not tolerate.',
  help: 'NodeShouldRunDaemonPod creates no daemon pod on a node with an untolerated NoSchedule or NoExecute taint (and deletes it for NoExecute). The message names the nodes missed and the taints that block them; the fixes add the tolerations, one per taint or all at once. Nodes of another OS than the pods are written for are left out: a taint such as `os=windows:NoSchedule` keeps Linux agents off Windows nodes on purpose. The pods are for the OS that os.name or the template\'s kubernetes.io/os label names, else the one the nodeSelector or required node affinity on kubernetes.io/os lets in alone, else Windows when the template sets windowsOptions or runs a Windows image, else Linux.',
  defaultSeverity: 'warning',
  // A Kustomize patch is merged into a base whose tolerations, selectors and containers it does not show.
  needsCompleteObject: true,
  check(ds, ctx) {
    const placement = placementOf(ctx, ds);
    if (!placement) return [];
    // A node agent's control-plane taints are reported, with their own fix, by missing-control-plane-toleration.
    const leftToOther = new Set(missingControlPlaneTaints(ds, ctx).map((t) => t.key));
    // A network plugin's not-ready taint, which never clears without it, by missing-not-ready-toleration.
    if (missesNotReadyToleration(ds, ctx)) leftToOther.add(TaintNodeNotReady);
    // On a node of another OS the kubelet rejects the pods, or admits pods whose containers cannot
    // start: a taint that keeps them off it is no loss, and a toleration would only send them there.
    const wrongOS = nodesOfAnotherOS(ds, ctx.cluster);
    const groups = new Map<string, { taints: Taint[]; nodes: string[] }>();
    const unique = new Map<string, Taint>();
    for (const v of placement.nodes) {
      if (v.shouldRun || wrongOS.has(v.node) || v.reasons.some((r) => SELECTION_MISMATCH.has(r.code))) continue;
      const taints = v.reasons.filter((r) => r.code === 'untolerated-taint' && r.taint && !leftToOther.has(r.taint.key)).map((r) => r.taint!);
      if (!taints.length) continue;
      const key = taints.map(formatTaint).sort().join('\u0000');
      const g = groups.get(key) ?? { taints, nodes: [] };
      g.nodes.push(v.node);
      groups.set(key, g);
      for (const t of taints) unique.set(formatTaint(t), t);
    }
    if (!groups.size) return [];
    const describe = (t: Taint) => {
      const when = wellKnownTaint(t.key)?.transient;
      return when ? `${formatTaint(t)} (${when})` : formatTaint(t);
    };
    const parts = [...groups.values()].map((g, i) =>
      `${i === 0 ? '' : 'on '}${nodeList(g.nodes)}: ${g.taints.length > 1 ? 'taints' : 'taint'} ${g.taints.map(describe).join(', ')}` +
      (g.taints.some((t) => t.effect === 'NoExecute') ? ' (NoExecute: running daemon pods are evicted)' : ''));
    const span = tolerationAnchor(ds);
    const text = ctx.model.text;
    const taints = [...unique.values()];
    const fixes = ruleFixes(ctx, ds, span, this.id, () => tolerationFixes(text, ds, taints, `Add all ${taints.length} blocking tolerations`));
    const f: Finding = {
      code: this.id,
      severity: this.defaultSeverity,
      message: `Won't run on ${parts.join('; ')}`,
      path: formatPath(TOLERATIONS_PATH),
      span,
      data: { nodes: [...groups.values()].flatMap((g) => g.nodes), taints },
      fixes,
    };
    return [f];
  },
};
