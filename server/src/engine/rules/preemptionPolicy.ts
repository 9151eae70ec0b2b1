import { valueAt } from '../ast';
import { POD_SPEC } from '../podTemplate';
import { apiFinding, type Rule } from './rule';
import { unsupportedValue } from './unsupportedValue';

const PATH = [...POD_SPEC, 'preemptionPolicy'];
const POLICIES = ['PreemptLowerPriority', 'Never'];

/**
 * pkg/apis/core/validation/validation.go ValidatePreemptionPolicy, for a set preemptionPolicy: an
 * empty one is Required (nothing defaults it in a template; the Priority admission plugin fills it
 * from the PriorityClass only on pods), any other value but PreemptLowerPriority and Never NotSupported.
 */
export const preemptionPolicy: Rule = {
  id: 'preemption-policy',
  description: 'preemptionPolicy must be PreemptLowerPriority or Never.',
  help: 'Upstream ValidatePreemptionPolicy rejects an empty `preemptionPolicy` (`Required value`) and any other value than PreemptLowerPriority or Never (`Unsupported value`). Leave it out to take the PriorityClass\'s policy.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const v = valueAt(ds, PATH);
    // null is unset; a non-string does not decode (the schema reports it).
    if (typeof v !== 'string' || POLICIES.includes(v)) return [];
    if (v === '') return [apiFinding(preemptionPolicy, ds, PATH, 'Required', undefined, undefined, 'value')];
    return [unsupportedValue(preemptionPolicy, ds, ctx, PATH, v, POLICIES)];
  },
};
