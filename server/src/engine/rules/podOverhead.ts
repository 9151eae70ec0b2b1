import { valueAt } from '../ast';
import { canonicalQuantity, compareQuantities, parseQuantity, quantityError } from '../quantity';
import { formatKeyPath, isHugePageResourceName, isRecord, POD_SPEC } from '../podTemplate';
import { formatPath, type Finding } from '../types';
import { isExtendedResourceName, isHugePageValueDivisible, validateContainerResourceName } from './resourceQuantities';
import { apiFinding, type Rule } from './rule';

const OVERHEAD = [...POD_SPEC, 'overhead'];

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
    const out: Finding[] = [];
    let cpuOrMemory = false;
    let hugePages = false;
    for (const [name, value] of Object.entries(overhead)) {
      const path = [...OVERHEAD, name];
      const invalid = (detail: string, badValue: unknown, on: 'key' | 'value'): Finding => {
        const f = apiFinding(podOverhead, ds, path, 'Invalid', detail, badValue, on);
        f.path = formatKeyPath([...OVERHEAD, 'limits'], name);
        return f;
      };
      for (const msg of validateContainerResourceName(name)) out.push(invalid(msg, name, 'key'));
      if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
      const parseError = quantityError(value);
      if (parseError !== undefined) {
        const f = invalid('', value, 'value');
        f.message = parseError;
        out.push(f);
        continue;
      }
      const canonical = canonicalQuantity(value)!;
      if (compareQuantities(value, 0) === -1) out.push(invalid('must be greater than or equal to 0', canonical, 'value'));
      if (isExtendedResourceName(name) && !Number.isInteger(parseQuantity(value)!)) out.push(invalid('must be an integer', canonical, 'value'));
      if (isHugePageResourceName(name)) {
        hugePages = true;
        if (!isHugePageValueDivisible(name, value)) out.push(invalid(`${canonical} is not positive integer multiple of ${name}`, canonical, 'value'));
      }
    }
    if (hugePages && !cpuOrMemory) out.push({ ...apiFinding(podOverhead, ds, OVERHEAD, 'Forbidden', 'HugePages require cpu or memory'), path: formatPath(OVERHEAD) });
    return out;
  },
};
