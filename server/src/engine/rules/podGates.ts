import { valueAt } from '../ast';
import { featureEnabled } from '../featureGates';
import { isQualifiedName } from '../k8sNames';
import { firstKeySpan, isRecord, POD_SPEC, str } from '../podTemplate';
import { formatPath, type Finding } from '../types';
import { apiFinding, type Rule } from './rule';

/**
 * pkg/apis/core/validation/validation.go validateReadinessGates (each conditionType a qualified
 * name, ValidateQualifiedName) and validateSchedulingGates (each name a qualified name, reported on
 * the item, and no name twice). A DaemonSet template may carry scheduling gates: neither
 * ValidateDaemonSetSpec nor the DaemonSet strategy forbids them, so its pods wait, unscheduled,
 * until something removes the gates.
 */
export const podGates: Rule = {
  id: 'pod-gates',
  description: 'readinessGates condition types and schedulingGates names must be qualified names; scheduling gates must be unique.',
  help: 'Upstream validateReadinessGates checks each `conditionType` and validateSchedulingGates each scheduling gate `name` as a qualified name (an optional DNS subdomain prefix and `/`, then at most 63 characters of alphanumerics, `-`, `_` and `.`); a scheduling gate named twice is a `Duplicate value`. The API server accepts scheduling gates in a DaemonSet template, but each daemon pod then stays Pending (SchedulingGated) until a controller removes its gates.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const out: Finding[] = [];
    const readinessGates = valueAt(ds, [...POD_SPEC, 'readinessGates']);
    if (Array.isArray(readinessGates)) {
      readinessGates.forEach((g, i) => {
        if (!isRecord(g)) return;
        const conditionType = str(g.conditionType);
        if (conditionType === undefined) return;
        const itemPath = [...POD_SPEC, 'readinessGates', i];
        for (const msg of isQualifiedName(conditionType)) {
          const f = apiFinding(podGates, ds, [...itemPath, 'conditionType'], 'Invalid', msg, conditionType, 'value');
          if (g.conditionType === undefined || g.conditionType === null) f.span = firstKeySpan(ds, itemPath, g) ?? f.span;
          out.push(f);
        }
      });
    }
    // Dropped before validation while PodSchedulingReadiness is off (1.26 and earlier by default).
    const schedulingGates = valueAt(ds, [...POD_SPEC, 'schedulingGates']);
    if (!Array.isArray(schedulingGates) || !featureEnabled(ctx, 'PodSchedulingReadiness')) return out;
    const seen = new Set<string>();
    schedulingGates.forEach((g, i) => {
      if (!isRecord(g)) return;
      const name = str(g.name);
      if (name === undefined) return;
      const itemPath = [...POD_SPEC, 'schedulingGates', i];
      const at = (f: Finding): Finding => {
        f.path = formatPath(itemPath);
        if (g.name === undefined || g.name === null) f.span = firstKeySpan(ds, itemPath, g) ?? f.span;
        return f;
      };
      for (const msg of isQualifiedName(name)) out.push(at(apiFinding(podGates, ds, [...itemPath, 'name'], 'Invalid', msg, name, 'value')));
      if (seen.has(name)) out.push(at(apiFinding(podGates, ds, [...itemPath, 'name'], 'Duplicate', undefined, name, 'value')));
      seen.add(name);
    });
    return out;
  },
};
