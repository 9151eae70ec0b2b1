import { formatKeyPath, POD_SPEC } from '../podTemplate';
import { formatPath, type Finding } from '../types';
import type { Rule } from './rule';
import { placementOf } from './placementOf';

/**
 * The RuntimeClass admission plugin (plugin/pkg/admission/runtimeclass/admission.go) refuses the pods
 * the controller creates: the class the template names is not in the cluster file, the template's
 * overhead differs from the class's, its nodeSelector conflicts with the class's, or it sets an
 * overhead no class defines. Only with RuntimeClasses in the cluster file (placement/runtimeClass.ts).
 */
export const runtimeClassRejected: Rule = {
  id: 'runtime-class-rejected',
  description: 'With RuntimeClasses in the cluster file: the RuntimeClass admission plugin would refuse every pod of this DaemonSet (missing class, overhead or nodeSelector conflict).',
  help: 'The DaemonSet controller decides where pods go from the template, then asks the API server to create them. The RuntimeClass admission plugin refuses a pod that names a RuntimeClass that does not exist, whose `overhead` differs from the class\'s `overhead.podFixed`, whose nodeSelector gives a key of the class\'s `scheduling.nodeSelector` another value, or that sets `overhead` without a class that defines one. No pod is ever created: the controller records FailedCreate events and retries. Create the RuntimeClass, or drop `overhead` from the template (the plugin sets it) and the conflicting nodeSelector key. Checked only when the cluster file holds RuntimeClass objects (`kubectl get runtimeclass -o yaml`).',
  defaultSeverity: 'error',
  // A Kustomize patch is merged into a base whose runtimeClassName, overhead and nodeSelector it does not show.
  needsCompleteObject: true,
  check(ds, ctx) {
    const placement = placementOf(ctx, ds);
    if (!placement) return [];
    const refused = placement.nodes.filter((v) => v.shouldRun && v.created === false);
    if (refused.length === 0) return [];
    const reason = refused[0].reasons[0];
    if (!reason?.span) return [];
    const out: Finding[] = [{
      code: this.id,
      severity: this.defaultSeverity,
      message: `${reason.message[0].toUpperCase()}${reason.message.slice(1)}, on ${refused.length === 1 ? 'the 1 node' : `all ${refused.length} nodes`} the controller would run it on.`,
      path: causePath(reason.code, ctx.model.text.slice(reason.span.start, reason.span.end)),
      span: reason.span,
      data: { nodes: refused.map((v) => v.node), reason: reason.code },
    }];
    return out;
  },
};

/** The field the refusal is about: the class name, the overhead, or the conflicting nodeSelector key. */
function causePath(code: string, spanText: string): string {
  if (code === 'runtime-class-node-selector-conflict' && spanText && spanText !== 'runtimeClassName') {
    return formatKeyPath([...POD_SPEC, 'nodeSelector'], spanText.replace(/^["']|["']$/g, ''));
  }
  if (code === 'runtime-class-not-found') return formatPath([...POD_SPEC, 'runtimeClassName']);
  return formatPath([...POD_SPEC, 'overhead']);
}
