import { valueAt } from '../ast';
import { findingAt, spanAt } from '../metaValidation';
import type { Rule } from './rule';

const PATH = ['spec', 'revisionHistoryLimit'];

/**
 * pkg/apis/apps/validation/validation.go ValidateDaemonSetSpec:
 *   if spec.RevisionHistoryLimit != nil { // zero is a valid RevisionHistoryLimit
 *     apivalidation.ValidateNonnegativeField(int64(*spec.RevisionHistoryLimit), fldPath.Child("revisionHistoryLimit")) }
 */
export const revisionHistoryLimit: Rule = {
  id: 'revision-history-limit',
  description: 'spec.revisionHistoryLimit must not be negative.',
  help: 'Upstream ValidateDaemonSetSpec checks `spec.revisionHistoryLimit` with ValidateNonnegativeField. It is how many old ControllerRevisions are kept for rollback (default 10); 0 keeps none.',
  defaultSeverity: 'error',
  check(ds) {
    const v = valueAt(ds, PATH);
    if (typeof v !== 'number' || !Number.isInteger(v) || v >= 0) return [];
    return [findingAt(revisionHistoryLimit, ds, PATH, spanAt(ds, PATH, 'value'), 'Invalid', 'must be greater than or equal to 0', v)];
  },
};
