import { TaintNodeNetworkUnavailable, TAINT_EFFECT_NO_SCHEDULE } from '../placement/tolerations';
import type { Taint } from '../placement/types';
import { formatPath, type Finding } from '../types';
import type { Rule } from './rule';
import {
  daemonPodToleratesTaint, isHostNetwork, listText, networkAgentSignals, ruleFixes, tolerationAnchor, tolerationFixes,
  TOLERATIONS_PATH,
} from './tolerationSupport';

const TAINT: Taint = { key: TaintNodeNetworkUnavailable, effect: TAINT_EFFECT_NO_SCHEDULE };

/**
 * A network plugin agent must start on nodes whose network is not up yet. The controller adds the
 * `node.kubernetes.io/network-unavailable:NoSchedule` toleration only to host-network pods
 * (pkg/controller/daemon/util/daemonset_util.go AddOrUpdateDaemonPodTolerations).
 */
export const missingNetworkUnavailableToleration: Rule = {
  id: 'missing-network-unavailable-toleration',
  description: 'A network plugin agent that is not hostNetwork must tolerate node.kubernetes.io/network-unavailable:NoSchedule.',
  help: 'AddOrUpdateDaemonPodTolerations adds the network-unavailable toleration only when `hostNetwork: true`. A CNI agent without it never starts on a new node, whose NetworkUnavailable condition (and taint) only the agent itself would clear. Add the toleration, or run the agent with hostNetwork.',
  defaultSeverity: 'warning',
  // A Kustomize patch is merged into a base whose tolerations, selectors and containers it does not show.
  needsCompleteObject: true,
  check(ds, ctx) {
    if (isHostNetwork(ds)) return [];
    const signals = networkAgentSignals(ds);
    if (!signals.length) return [];
    if (daemonPodToleratesTaint(ds, TAINT, ctx)) return [];
    const span = tolerationAnchor(ds);
    const text = ctx.model.text;
    const f: Finding = {
      code: this.id,
      severity: this.defaultSeverity,
      message: `This looks like a network plugin agent (it ${listText(signals, 3)}) but it does not tolerate ${TAINT.key}:${TAINT.effect} and is not hostNetwork: it will not start on a node whose network is not configured yet, so that node never becomes ready.`,
      path: formatPath(TOLERATIONS_PATH),
      span,
      data: { taints: [TAINT], signals },
      fixes: ruleFixes(ctx, ds, span, this.id, () => tolerationFixes(text, ds, [TAINT], 'Add the network-unavailable toleration')),
    };
    return [f];
  },
};
