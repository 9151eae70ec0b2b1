import { formatTaint, TAINT_EFFECT_NO_SCHEDULE } from '../placement/tolerations';
import type { Taint } from '../placement/types';
import { formatPath, type Finding } from '../types';
import type { Rule } from './rule';
import { placementOf } from './placementOf';
import { nodeList, SELECTION_MISMATCH } from './untoleratedTaint';
import {
  addTolerationsFix, clusterTaints, daemonPodToleratesTaint, excludesControlPlane, listText, networkAgentSignals, nodeAgentSignals, ruleFixes,
  tolerationAnchor, tolerationFor, TOLERATIONS_PATH,
} from './tolerationSupport';

export const CONTROL_PLANE_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: TAINT_EFFECT_NO_SCHEDULE };
export const LEGACY_MASTER_TAINT: Taint = { key: 'node-role.kubernetes.io/master', effect: TAINT_EFFECT_NO_SCHEDULE };

/**
 * Node agents (log shippers, node exporters, CSI node plugins, network plugins) usually must run on
 * control-plane nodes too. The DaemonSet controller adds no toleration for the control-plane taint
 * (AddOrUpdateDaemonPodTolerations), so without one they silently skip those nodes.
 */
export const missingControlPlaneToleration: Rule = {
  id: 'missing-control-plane-toleration',
  description: 'A node agent does not tolerate node-role.kubernetes.io/control-plane:NoSchedule (and the legacy master taint where it applies).',
  help: 'kubeadm taints control-plane nodes node-role.kubernetes.io/control-plane:NoSchedule (and node-role.kubernetes.io/master before v1.25). The DaemonSet controller does not tolerate either by default, so a node agent without these tolerations skips every control-plane node; for a network plugin that means those nodes stay NotReady. Add both tolerations, or keep the agent off the control plane explicitly (a required node affinity with `DoesNotExist` or `NotIn [""]` on the role label). Windows-only DaemonSets (`os.name: windows`, or a nodeSelector or required node affinity on Windows nodes) are not reported: the control plane runs on Linux. With a cluster file, only the control-plane nodes the DaemonSet otherwise selects are named, and none means no finding.',
  defaultSeverity: 'information',
  // A Kustomize patch is merged into a base whose tolerations, selectors and containers it does not show.
  needsCompleteObject: true,
  check(ds, ctx) {
    const signals = nodeAgentSignals(ds);
    // A node is NotReady while its network plugin is not running (nodestatus ReadyCondition ← runtime network errors).
    const network = networkAgentSignals(ds);
    const missing = missingControlPlaneTaints(ds, ctx);
    if (!missing.length) return [];
    const carried = ctx.cluster?.nodes.length ? true : undefined;
    const span = tolerationAnchor(ds);
    const text = ctx.model.text;
    const fixes = ruleFixes(ctx, ds, span, this.id, () => {
      const out = [];
      const both = [CONTROL_PLANE_TAINT, LEGACY_MASTER_TAINT].filter((t) => !daemonPodToleratesTaint(ds, t, ctx));
      const bothFix = addTolerationsFix(text, ds, both.map(tolerationFor), 'Add both control-plane tolerations (control-plane and legacy master)', true);
      if (bothFix && both.length > 1) out.push(bothFix);
      for (const t of missing) {
        const f = addTolerationsFix(text, ds, [tolerationFor(t)], `Add toleration ${formatTaint(t)}`, !(bothFix && both.length > 1) && missing.length === 1);
        if (f) out.push(f);
      }
      return out;
    });
    const names = missing.map(formatTaint);
    const f: Finding = {
      code: this.id,
      severity: this.defaultSeverity,
      message: (network.length
        ? `This looks like a network plugin agent (it ${listText(network, 3)}) but it does not tolerate ${listText(names)}: it will not run on ${missedNodes(ds, ctx, missing)}, and without their network plugin those nodes stay NotReady.`
        : `This looks like a node agent (it ${listText(signals, 3)}) but it does not tolerate ${listText(names)}: it will not run on ${missedNodes(ds, ctx, missing)}.`) +
        (missing.includes(LEGACY_MASTER_TAINT) && !carried ? ` (Kubernetes 1.${ctx.kubernetesMinor} clusters may still carry the legacy master taint.)` : ''),
      path: formatPath(TOLERATIONS_PATH),
      span,
      data: { taints: missing, signals },
      fixes,
    };
    return [f];
  },
};

/**
 * The control-plane role taints a node agent does not tolerate: with a cluster file, those its nodes
 * carry; without one, those the target version's kubeadm applies. Empty for other workloads, and
 * for agents kept off the control plane on purpose. untolerated-taint leaves these taints to this rule.
 */
export function missingControlPlaneTaints(ds: Parameters<Rule['check']>[0], ctx: Parameters<Rule['check']>[1]): Taint[] {
  // Asked by this rule and by untolerated-taint, with the same context: computed once per validation.
  let byDs = missingMemo.get(ctx);
  if (!byDs) missingMemo.set(ctx, (byDs = new WeakMap()));
  let missing = byDs.get(ds);
  if (!missing) byDs.set(ds, (missing = readMissingControlPlaneTaints(ds, ctx)));
  return missing.slice();
}

const missingMemo = new WeakMap<object, WeakMap<object, Taint[]>>();

function readMissingControlPlaneTaints(ds: Parameters<Rule['check']>[0], ctx: Parameters<Rule['check']>[1]): Taint[] {
  if (!nodeAgentSignals(ds).length || excludesControlPlane(ds)) return [];
  const carried = ctx.cluster?.nodes.length ? clusterTaints(ctx.cluster).keys : undefined;
  // With a cluster file, only the role taints its nodes carry matter; without one, the version decides.
  const candidates: Taint[] = carried
    ? [CONTROL_PLANE_TAINT, LEGACY_MASTER_TAINT].filter((t) => carried.has(t.key))
    : ctx.kubernetesMinor < 25 ? [CONTROL_PLANE_TAINT, LEGACY_MASTER_TAINT] : [CONTROL_PLANE_TAINT];
  const missing = candidates.filter((t) => !daemonPodToleratesTaint(ds, t, ctx));
  if (!missing.length || !carried) return missing;
  // With a cluster file, a role taint matters only on nodes the DaemonSet otherwise selects: where the
  // nodeSelector or required affinity already fails, a toleration changes nothing (NodeShouldRunDaemonPod).
  const keys = new Set(selectedControlPlaneNodes(ds, ctx, missing).flatMap((n) => n.taints));
  return missing.filter((t) => keys.has(t.key));
}

/** Nodes of the cluster file that `ds` selects (nodeName, nodeSelector, required affinity) but whose role taints in `missing` block it. */
function selectedControlPlaneNodes(ds: Parameters<Rule['check']>[0], ctx: Parameters<Rule['check']>[1], missing: Taint[]): Array<{ node: string; taints: string[] }> {
  const placement = placementOf(ctx, ds);
  if (!placement) return [];
  const keys = new Set(missing.map((t) => t.key));
  const out: Array<{ node: string; taints: string[] }> = [];
  for (const v of placement.nodes) {
    if (v.shouldRun || v.reasons.some((r) => SELECTION_MISMATCH.has(r.code))) continue;
    const taints = v.reasons.filter((r) => r.code === 'untolerated-taint' && r.taint && keys.has(r.taint.key)).map((r) => r.taint!.key);
    if (taints.length) out.push({ node: v.node, taints });
  }
  return out;
}

/** "control-plane nodes", or with a cluster file the nodes themselves: "cp-1, cp-2 (control-plane nodes …)". */
function missedNodes(ds: Parameters<Rule['check']>[0], ctx: Parameters<Rule['check']>[1], missing: Taint[]): string {
  const nodes = ctx.cluster?.nodes.length ? selectedControlPlaneNodes(ds, ctx, missing).map((n) => n.node) : [];
  return nodes.length ? `${nodeList(nodes)} (control-plane nodes of the cluster file)` : 'control-plane nodes';
}
