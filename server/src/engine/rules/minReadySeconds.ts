import { valueAt } from '../ast';
import { findingAt, spanAt } from '../metaValidation';
import type { Rule } from './rule';

const PATH = ['spec', 'minReadySeconds'];

/**
 * pkg/apis/apps/validation/validation.go ValidateDaemonSetSpec →
 * apivalidation.ValidateNonnegativeField(int64(spec.MinReadySeconds), fldPath.Child("minReadySeconds")):
 * field.Invalid(…, value, "must be greater than or equal to 0").
 */
export const minReadySeconds: Rule = {
  id: 'min-ready-seconds',
  description: 'spec.minReadySeconds must not be negative.',
  help: 'Upstream ValidateDaemonSetSpec checks `spec.minReadySeconds` with ValidateNonnegativeField. It is how long a new pod must be ready before it counts as available during a rolling update; 0 (the default) means as soon as it is ready.',
  defaultSeverity: 'error',
  check(ds) {
    const v = valueAt(ds, PATH);
    if (typeof v !== 'number' || !Number.isInteger(v) || v >= 0) return [];
    return [findingAt(minReadySeconds, ds, PATH, spanAt(ds, PATH, 'value'), 'Invalid', 'must be greater than or equal to 0', v)];
  },
};
