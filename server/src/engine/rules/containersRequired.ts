import { valueAt } from '../ast';
import { POD_SPEC } from '../podTemplate';
import { apiFinding, type Rule } from './rule';

/** pkg/apis/core/validation/validation.go validateContainers: a pod needs at least one container. */
export const containersRequired: Rule = {
  id: 'containers-required',
  description: 'A DaemonSet pod template needs at least one container.',
  help: 'Upstream validateContainers returns `Required value` on `spec.template.spec.containers` when the list is missing or empty. Add the container the DaemonSet runs on every node.',
  defaultSeverity: 'error',
  needsCompleteObject: true,
  check(ds) {
    const path = [...POD_SPEC, 'containers'];
    const v = valueAt(ds, path);
    if (Array.isArray(v) && v.length > 0) return [];
    // A non-list value is a type error the schema reports.
    if (v !== undefined && v !== null && !Array.isArray(v)) return [];
    return [apiFinding(containersRequired, ds, path, 'Required')];
  },
};
