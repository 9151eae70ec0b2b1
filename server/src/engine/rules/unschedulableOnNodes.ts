import { reportSpan } from '../ast';
import type { NodeVerdict } from '../placement/types';
import type { Finding } from '../types';
import { countOf } from '../text';
import type { Rule } from './rule';
import { placementOf } from './placementOf';
import { ruleFixes } from './tolerationSupport';

const SHOWN = 5;

function nodeList(items: string[], total: number, sep = ', '): string {
  const more = total - items.length;
  return `${items.join(sep)}${more > 0 ? ` and ${more} more node${more === 1 ? '' : 's'}` : ''}`;
}

/**
 * Nodes where the controller creates a daemon pod that the scheduler cannot place: NodeResourcesFit
 * (cpu, memory, pods, extended resources) and NodePorts still apply to daemon pods (section c of the
 * semantics notes; pkg/scheduler/framework/plugins/noderesources/fit.go, nodeports/node_ports.go).
 * Where the pod outranks pods on the node, DefaultPreemption evicts them instead (placement/preemption.ts):
 * the pod runs, and the finding says which pods of other workloads go.
 */
export const unschedulableOnNodes: Rule = {
  id: 'unschedulable-on-nodes',
  description: 'Daemon pods would stay Pending on some nodes of the cluster file (resources or host ports), or would run there only by preempting other pods.',
  help: 'The DaemonSet controller ignores resources and host ports; the scheduler does not. On these nodes the daemon pod is created but stays Pending. Lower the requests, free the port, or give the DaemonSet a higher priority class so it can preempt. When the pod\'s priority is above that of pods on the node (with a pods file), the scheduler evicts as few of them as it needs and the pod runs: the finding then lists those pods, as information.',
  defaultSeverity: 'warning',
  // A Kustomize patch is merged into a base whose tolerations, selectors and containers it does not show.
  needsCompleteObject: true,
  check(ds, ctx) {
    const placement = placementOf(ctx, ds);
    if (!placement) return [];
    const stuck = placement.nodes.filter((v) => v.shouldRun && v.schedulable === false);
    const preempting = placement.nodes.filter((v) => v.shouldRun && v.preemption?.outcome === 'preempts');
    if (!stuck.length && !preempting.length) return [];
    const span = reportSpan(ds, ['metadata', 'name'], 'value');
    const fixes = ruleFixes(ctx, ds, span, this.id);
    const out: Finding[] = [];
    if (stuck.length) {
      const shown = stuck.slice(0, SHOWN).map((v) => `${v.node} (${v.reasons.map((r) => r.message).join('; ')}${mayPreemptText(v)})`);
      const unknownClass = stuck.find((v) => v.preemption?.outcome === 'may-preempt')?.preemption?.priorityClassName;
      const classNote = unknownClass === undefined ? '' : ` Priority class \`${unknownClass}\` is not in the cluster or pods file: if its value is above the priority of the pods named, the scheduler evicts them and the daemon pod runs there.`;
      out.push({
        code: this.id,
        severity: this.defaultSeverity,
        message: `Daemon pods would stay Pending on ${nodeList(shown, stuck.length)}.${classNote}`,
        path: 'metadata.name',
        span,
        data: { nodes: stuck.map((v) => v.node), reasons: Object.fromEntries(stuck.map((v) => [v.node, v.reasons.map((r) => r.code)])) },
        fixes,
      });
    }
    if (preempting.length) {
      const p = preempting[0].preemption!;
      const who = p.priorityClassName ? `priority class \`${p.priorityClassName}\`, ${p.priority}` : `priority ${p.priority}`;
      const shown = preempting.slice(0, SHOWN).map((v) => {
        const pre = v.preemption!;
        return `${v.node} the scheduler evicts ${pre.victims.join(', ')} (${pre.reasons.map((r) => r.message).join('; ')})`;
      });
      const victims = preempting.reduce((sum, v) => sum + v.preemption!.victims.length, 0);
      out.push({
        code: this.id,
        severity: 'information',
        message: `Daemon pods preempt ${countOf(victims, 'pod')} of lower priority (${who}): on ${nodeList(shown, preempting.length, '; on ')}.`,
        path: 'metadata.name',
        span,
        data: { preempts: Object.fromEntries(preempting.map((v) => [v.node, v.preemption!.victims])) },
        fixes,
      });
    }
    return out;
  },
};

/** For a pod whose class the input does not define: what it would evict if the class outranks those pods. */
function mayPreemptText(v: NodeVerdict): string {
  const p = v.preemption;
  return p?.outcome === 'may-preempt' ? `; may preempt ${p.victims.join(', ')}` : '';
}
