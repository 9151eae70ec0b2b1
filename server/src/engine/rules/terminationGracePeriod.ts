import { reportSpan, valueAt } from '../ast';
import { POD_SPEC } from '../podTemplate';
import { formatPath } from '../types';
import type { Rule } from './rule';

const PATH = [...POD_SPEC, 'terminationGracePeriodSeconds'];

/**
 * ValidatePodSpec only requires terminationGracePeriodSeconds, which SetDefaults_PodSpec always fills
 * in (30), and accepts a negative value; pkg/api/pod/warnings.go (GetWarningsForPodTemplate, which the
 * DaemonSet strategy returns on create and update) warns about it instead:
 * "must be >= 0; negative values are invalid and will be treated as 1".
 */
export const terminationGracePeriod: Rule = {
  id: 'termination-grace-period',
  description: 'terminationGracePeriodSeconds must not be negative (the API server warns and treats it as 1).',
  help: 'The API server accepts a negative `terminationGracePeriodSeconds` in a pod template but answers with the warning `must be >= 0; negative values are invalid and will be treated as 1`: the pods get one second to stop. Use 0 to stop at once, or a positive number of seconds (the default is 30).',
  defaultSeverity: 'warning',
  check(ds) {
    const v = valueAt(ds, PATH);
    // A non-integer does not decode: the schema reports it.
    if (typeof v !== 'number' || !Number.isInteger(v) || v >= 0) return [];
    return [{
      code: terminationGracePeriod.id,
      severity: terminationGracePeriod.defaultSeverity,
      message: 'must be >= 0; negative values are invalid and will be treated as 1',
      path: formatPath(PATH),
      span: reportSpan(ds, PATH, 'value'),
    }];
  },
};
