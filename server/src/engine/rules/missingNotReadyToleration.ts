import { formatTaint, TaintNodeNotReady, TAINT_EFFECT_NO_SCHEDULE } from '../placement/tolerations';
import type { Taint } from '../placement/types';
import { formatPath, type Finding } from '../types';
import type { Rule } from './rule';
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
    const signals = networkAgentSignals(ds);
    if (!signals.length) return [];
    if (daemonPodToleratesTaint(ds, NOT_READY_NO_SCHEDULE, ctx)) return [];
    const span = tolerationAnchor(ds);
    const text = ctx.model.text;
    const f: Finding = {
      code: this.id,
      severity: this.defaultSeverity,
      message: `This looks like a network plugin agent (it ${listText(signals, 3)}) but it does not tolerate ${formatTaint(NOT_READY_NO_SCHEDULE)}: a new node carries that taint until it is Ready, and it is not Ready until its network plugin runs, so the agent never starts there and the node stays NotReady (the DaemonSet controller tolerates not-ready only as NoExecute).`,
      path: formatPath(TOLERATIONS_PATH),
      span,
      data: { taints: [NOT_READY_NO_SCHEDULE], signals },
      fixes: ruleFixes(ctx, ds, span, this.id, () => tolerationFixes(text, ds, [NOT_READY_NO_SCHEDULE], 'Add the not-ready toleration')),
    };
    return [f];
  },
};
