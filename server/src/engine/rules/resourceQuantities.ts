import { canonicalQuantity, compareQuantities, parseQuantity, quantityError } from '../quantity';
import { isQualifiedName } from '../k8sNames';
import type { ManifestObject } from '../model';
import { allContainers, isHugePageResourceName, isNativeResource, printedPath, resourceEntries, type ContainerRef, type ResourceEntry } from '../podTemplate';
import { formatPath, type Finding } from '../types';
import { apiFinding, type Rule } from './rule';

/** pkg/apis/core/helper standardResources (IsStandardResourceName, with quota huge pages). */
const STANDARD_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage',
  'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
  'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'persistentvolumeclaims',
  'configmaps', 'services.nodeports', 'services.loadbalancers', 'requests.storage',
]);
/** pkg/apis/core/helper standardContainerResources. */
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

/**
 * pkg/apis/core/validation/validation.go ValidateContainerResourceRequirements for every
 * container and init container: resource names (validateContainerResourceName →
 * validateResourceName), quantities that parse (resource.ParseQuantity, a decoding error
 * upstream), ValidateResourceQuantityValue (non-negative; extended resources are integers),
 * huge pages (a multiple of the page size, and only next to cpu or memory).
 */
export const resourceQuantities: Rule = {
  id: 'resource-quantities',
  description: 'Container resource names must be valid and their quantities valid, non-negative amounts.',
  help: 'The API server rejects a quantity that does not parse (`quantities must match the regular expression …`, e.g. `100 m` or `1GB`), a negative amount (`must be greater than or equal to 0`), an unknown unprefixed resource name (`must be a standard resource type or fully qualified`, `must be a standard resource for containers`), a fractional extended resource (`must be an integer`) and huge pages that are not a multiple of the page size or come without cpu/memory.',
  defaultSeverity: 'error',
  check(ds) {
    const out: Finding[] = [];
    for (const c of allContainers(ds)) validateResourceRequirements(ds, c, out);
    return out;
  },
};

function invalidAt(ds: ManifestObject, e: ResourceEntry, detail: string, badValue: unknown, on: 'key' | 'value'): Finding {
  const f = apiFinding(resourceQuantities, ds, e.path, 'Invalid', detail, badValue, on);
  f.path = printedPath(e);
  return f;
}

function validateResourceRequirements(ds: ManifestObject, c: ContainerRef, out: Finding[]): void {
  let cpuOrMemory = false;
  let hugePages = false;
  for (const e of resourceEntries(c)) {
    for (const msg of validateContainerResourceName(e.name)) out.push(invalidAt(ds, e, msg, e.name, 'key'));
    if (e.name === 'cpu' || e.name === 'memory') cpuOrMemory = true;
    const parseError = quantityError(e.value);
    if (parseError !== undefined) {
      const f = invalidAt(ds, e, '', e.value, 'value');
      f.message = parseError;
      out.push(f);
      continue;
    }
    const canonical = canonicalQuantity(e.value)!;
    // ValidateNonnegativeQuantity
    if (compareQuantities(e.value, 0) === -1) out.push(invalidAt(ds, e, 'must be greater than or equal to 0', canonical, 'value'));
    // ValidateResourceQuantityValue: IsIntegerResourceName covers extended resources.
    if (isExtendedResourceName(e.name) && !Number.isInteger(parseQuantity(e.value)!)) {
      out.push(invalidAt(ds, e, 'must be an integer', canonical, 'value'));
    }
    if (isHugePageResourceName(e.name)) {
      hugePages = true;
      // validateResourceQuantityHugePageValue → IsHugePageResourceValueDivisible
      if (!isHugePageValueDivisible(e.name, e.value)) {
        out.push(invalidAt(ds, e, `${canonical} is not positive integer multiple of ${e.name}`, canonical, 'value'));
      }
    }
  }
  if (hugePages && !cpuOrMemory) {
    const path = [...c.path, 'resources'];
    out.push({ ...apiFinding(resourceQuantities, ds, path, 'Forbidden', 'HugePages require cpu or memory'), path: formatPath(path) });
  }
}

/** validateContainerResourceName (which starts with validateResourceName). */
export function validateContainerResourceName(name: string): string[] {
  // cpu, memory and ephemeral-storage, nearly every entry: qualified, standard, for containers.
  if (STANDARD_CONTAINER_RESOURCES.has(name)) return [];
  const errs = isQualifiedName(name);
  if (errs.length) return errs;
  const unprefixed = !name.includes('/');
  if (unprefixed) {
    if (!STANDARD_RESOURCES.has(name) && !isQuotaHugePageResourceName(name)) errs.push('must be a standard resource type or fully qualified');
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePageResourceName(name)) errs.push('must be a standard resource for containers');
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errs.push("doesn't follow extended resource name standard");
  }
  return errs;
}

function isQuotaHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');
}

/** pkg/apis/core/helper IsExtendedResourceName: prefixed, outside kubernetes.io, valid as a quota name. */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** pkg/apis/core/helper IsHugePageResourceValueDivisible: Value() is a multiple of the page size. */
export function isHugePageValueDivisible(name: string, value: unknown): boolean {
  const pageSize = parseQuantity(name.slice('hugepages-'.length));
  if (pageSize === undefined || pageSize <= 0 || !Number.isInteger(pageSize)) return false;
  const bytes = Math.ceil(parseQuantity(value)!);
  return bytes % pageSize === 0;
}
