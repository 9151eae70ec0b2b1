import { isMap } from '../yamlNodes';
import { locate, valueAt } from '../ast';
import { removeMapEntry } from '../edits';
import { findingAt, spanAt } from '../metaValidation';
import type { Finding } from '../types';
import type { Rule } from './rule';

const PATH = ['spec', 'template', 'spec', 'activeDeadlineSeconds'];
const MAX_INT32 = 2147483647;

/**
 * pkg/apis/apps/validation/validation.go ValidateDaemonSetSpec:
 *   if spec.Template.Spec.ActiveDeadlineSeconds != nil →
 *     field.Forbidden(fldPath.Child("template", "spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in DaemonSet is not Supported")
 * Before it, pkg/apis/core/validation/validation.go ValidatePodSpec checks the range
 * (1..math.MaxInt32, validation.InclusiveRangeError), so 0 or a negative value gets both errors.
 */
export const activeDeadlineSeconds: Rule = {
  id: 'active-deadline-seconds',
  description: 'A DaemonSet pod template must not set activeDeadlineSeconds.',
  help: 'Upstream ValidateDaemonSetSpec forbids `spec.template.spec.activeDeadlineSeconds`: a deadline would kill the daemon pods, which must run for as long as the node does. Remove the field.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const v = valueAt(ds, PATH);
    // null is unset; a non-integer is a type error the schema reports.
    if (typeof v !== 'number' || !Number.isInteger(v)) return [];
    const out: Finding[] = [];
    if (v < 1 || v > MAX_INT32) {
      out.push(findingAt(activeDeadlineSeconds, ds, PATH, spanAt(ds, PATH, 'value'), 'Invalid', `must be between 1 and ${MAX_INT32}, inclusive`, v));
    }
    const f = findingAt(activeDeadlineSeconds, ds, PATH, spanAt(ds, PATH), 'Forbidden', 'activeDeadlineSeconds in DaemonSet is not Supported');
    // Not the pod spec's only entry: removing it must not leave `spec:` without a value.
    const podSpec = locate(ds, PATH.slice(0, -1)).node;
    const edits = isMap(podSpec) && podSpec.items.length > 1 ? removeMapEntry(ctx.model.text, ds, PATH) : [];
    if (edits.length) f.fixes = [{ title: 'Remove activeDeadlineSeconds', edits, isPreferred: true }];
    out.push(f);
    return out;
  },
};
