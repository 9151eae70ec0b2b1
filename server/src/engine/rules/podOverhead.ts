import { valueAt } from '../ast';
import { formatKeyPath, isRecord, POD_SPEC, type ResourceEntry } from '../podTemplate';
import type { Finding } from '../types';
import { validateContainerResourceName, validateResourceEntries } from './resourceQuantities';
import type { Rule } from './rule';

const OVERHEAD = [...POD_SPEC, 'overhead'];
const LIMITS = [...OVERHEAD, 'limits'];

/**
 * pkg/apis/core/validation/validation.go validateOverhead: the overhead is checked as the limits of a
 * container (ValidateContainerResourceRequirements(&ResourceRequirements{Limits: overhead})), so
 * upstream prints its entries as `…overhead.limits[cpu]` and the huge-pages error on `…overhead`.
 */
export const podOverhead: Rule = {
  id: 'pod-overhead',
  description: 'overhead entries must be container resources with valid, non-negative quantities.',
  help: 'Upstream validateOverhead checks `overhead` as container limits: names must be cpu, memory, ephemeral-storage, huge pages or extended resources, quantities must parse and not be negative, extended resources must be integers and huge pages a multiple of the page size (and only beside cpu or memory). The errors name `overhead.limits[<resource>]`, as the API server prints them. The RuntimeClass admission plugin usually sets overhead; a template rarely needs it.',
  defaultSeverity: 'error',
  check(ds) {
    const overhead = valueAt(ds, OVERHEAD);
    if (!isRecord(overhead)) return [];
    const entries: ResourceEntry[] = Object.entries(overhead).map(([name, value]) => ({
      list: 'limits', name, value, path: [...OVERHEAD, name], printed: formatKeyPath(LIMITS, name),
    }));
    const out: Finding[] = [];
    validateResourceEntries(podOverhead, ds, entries, OVERHEAD, validateContainerResourceName, out);
    return out;
  },
};
