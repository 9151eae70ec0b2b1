import { formatTaint, TaintNodeNotReady, TAINT_EFFECT_NO_SCHEDULE } from '../placement/tolerations';
import type { Taint } from '../placement/types';
import { formatPath, type Finding } from '../types';
import type { Rule } from './rule';
import { placementOf } from './placementOf';
import { nodeList, SELECTION_MISMATCH } from './untoleratedTaint';
import {
  daemonPodToleratesTaint, listText, networkAgentSignals, ruleFixes, tolerationAnchor, tolerationFixes, TOLERATIONS_PATH,
} from './tolerationSupport';

export const NOT_READY_NO_SCHEDULE: Taint = { key: TaintNodeNotReady, effect: TAINT_EFFECT_NO_SCHEDULE };

/**
 * A network plugin agent must start on nodes that are NotReady because it is not running yet:
 * - the kubelet reports Ready=False while the runtime's NetworkReady condition is false
 *   (pkg/kubelet/kubelet.go updateRuntimeUp → runtimeState.setNetworkState, read by
 *   pkg/kubelet/nodestatus/setters.go ReadyCondition through networkErrorsFunc);
 * - a node is created with `not-ready:NoSchedule` (plugin/pkg/admission/nodetaint, initTaints) and
 *   keeps it while Ready=False (pkg/controller/nodelifecycle nodeConditionToTaintKeyStatusMap,
 *   doNoScheduleTaintingPass);
 * - the DaemonSet controller tolerates not-ready only as NoExecute
 *   (pkg/controller/daemon/util/daemonset_util.go AddOrUpdateDaemonPodTolerations).
 * hostNetwork does not help here: unlike network-unavailable, no not-ready:NoSchedule toleration is added for it.
 */
export const missingNotReadyToleration: Rule = {
  id: 'missing-not-ready-toleration',
  description: 'A network plugin agent must tolerate node.kubernetes.io/not-ready:NoSchedule.',
  help: 'A node is NotReady until its network plugin runs (the kubelet reports Ready=False while the container runtime network is not ready), and a NotReady node carries node.kubernetes.io/not-ready:NoSchedule from the moment it registers. AddOrUpdateDaemonPodTolerations tolerates not-ready only as NoExecute, hostNetwork or not, so a CNI agent without a NoSchedule toleration never starts on a new node, and the node never becomes Ready. Add the toleration (network plugins commonly tolerate every NoSchedule taint with `operator: Exists`, `effect: NoSchedule`).',
  defaultSeverity: 'warning',
  // A Kustomize patch is merged into a base whose tolerations, selectors and containers it does not show.
  needsCompleteObject: true,
  check(ds, ctx) {
    if (!missesNotReadyToleration(ds, ctx)) return [];
    const signals = networkAgentSignals(ds);
    const span = tolerationAnchor(ds);
    const text = ctx.model.text;
    // With a cluster file: the nodes that carry the taint now (untolerated-taint leaves this taint to this rule).
    const now = notReadyNodes(ds, ctx);
    const f: Finding = {
      code: this.id,
      severity: this.defaultSeverity,
      message: `This looks like a network plugin agent (it ${listText(signals, 3)}) but it does not tolerate ${formatTaint(NOT_READY_NO_SCHEDULE)}: a new node carries that taint until it is Ready, and it is not Ready until its network plugin runs, so the agent never starts there and the node stays NotReady (the DaemonSet controller tolerates not-ready only as NoExecute).` +
        (now.length ? ` In the cluster file, ${nodeList(now)} ${now.length === 1 ? 'carries' : 'carry'} it now: the agent does not run there.` : ''),
      path: formatPath(TOLERATIONS_PATH),
      span,
      data: { taints: [NOT_READY_NO_SCHEDULE], signals, ...(now.length ? { nodes: now } : {}) },
      fixes: ruleFixes(ctx, ds, span, this.id, () => tolerationFixes(text, ds, [NOT_READY_NO_SCHEDULE], 'Add the not-ready toleration')),
    };
    return [f];
  },
};

/** Whether missing-not-ready-toleration reports this DaemonSet (then other rules leave the taint to it). */
export function missesNotReadyToleration(ds: Parameters<Rule['check']>[0], ctx: Parameters<Rule['check']>[1]): boolean {
  return networkAgentSignals(ds).length > 0 && !daemonPodToleratesTaint(ds, NOT_READY_NO_SCHEDULE, ctx);
}

/** Nodes of the cluster file the DaemonSet selects that the not-ready NoSchedule taint keeps it off now. */
function notReadyNodes(ds: Parameters<Rule['check']>[0], ctx: Parameters<Rule['check']>[1]): string[] {
  const placement = ctx.cluster?.nodes.length ? placementOf(ctx, ds) : undefined;
  if (!placement) return [];
  return placement.nodes
    .filter((v) => !v.shouldRun && !v.reasons.some((r) => SELECTION_MISMATCH.has(r.code)) &&
      v.reasons.some((r) => r.code === 'untolerated-taint' && r.taint?.key === TaintNodeNotReady && r.taint.effect === TAINT_EFFECT_NO_SCHEDULE))
    .map((v) => v.node);
}
