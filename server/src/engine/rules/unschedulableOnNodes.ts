import { reportSpan } from '../ast';
import type { Finding } from '../types';
import type { Rule } from './rule';
import { placementOf } from './placementOf';
import { ruleFixes } from './tolerationSupport';

/**
 * Nodes where the controller creates a daemon pod that the scheduler cannot place: NodeResourcesFit
 * (cpu, memory, pods, extended resources) and NodePorts still apply to daemon pods (section c of the
 * semantics notes; pkg/scheduler/framework/plugins/noderesources/fit.go, nodeports/node_ports.go).
 */
export const unschedulableOnNodes: Rule = {
  id: 'unschedulable-on-nodes',
  description: 'Daemon pods would stay Pending on some nodes of the cluster file (resources or host ports).',
  help: 'The DaemonSet controller ignores resources and host ports; the scheduler does not. On these nodes the daemon pod is created but stays Pending. Lower the requests, free the port, or give the DaemonSet a higher priority class so it can preempt.',
  defaultSeverity: 'warning',
  // A Kustomize patch is merged into a base whose tolerations, selectors and containers it does not show.
  needsCompleteObject: true,
  check(ds, ctx) {
    const placement = placementOf(ctx, ds);
    if (!placement) return [];
    const stuck = placement.nodes.filter((v) => v.shouldRun && v.schedulable === false);
    if (!stuck.length) return [];
    const shown = stuck.slice(0, 5).map((v) => `${v.node} (${v.reasons.map((r) => r.message).join('; ')})`);
    const more = stuck.length - shown.length;
    const span = reportSpan(ds, ['metadata', 'name'], 'value');
    const fixes = ruleFixes(ctx, ds, span, this.id);
    const f: Finding = {
      code: this.id,
      severity: this.defaultSeverity,
      message: `Daemon pods would stay Pending on ${shown.join(', ')}${more > 0 ? ` and ${more} more node${more === 1 ? '' : 's'}` : ''}.`,
      path: 'metadata.name',
      span,
      data: { nodes: stuck.map((v) => v.node), reasons: Object.fromEntries(stuck.map((v) => [v.node, v.reasons.map((r) => r.code)])) },
      fixes,
    };
    return [f];
  },
};
