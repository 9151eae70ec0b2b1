import { canonicalQuantity, compareQuantities, parseQuantity, quantityError } from '../quantity';
import { isQualifiedName } from '../k8sNames';
import type { ManifestObject } from '../model';
import { allContainers, isHugePageResourceName, isNativeResource, printedPath, resourceEntries, type ResourceEntry, type ResourcesOwner } from '../podTemplate';
import type { FieldErrorType } from '../fieldErrors';
import { formatPath, type FieldPath, type Finding } from '../types';
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
    for (const c of allContainers(ds)) validateResourceQuantities(resourceQuantities, ds, c, validateContainerResourceName, out);
    return out;
  },
};

/** validateResourceRequirements' resourceNameFn: the errors of one resource name, reported on its key. */
export type ResourceNameFn = (name: string) => Array<{ type: 'Invalid' | 'NotSupported'; detail: string }>;

type RuleId = Pick<Rule, 'id' | 'defaultSeverity'>;

function invalidAt(rule: RuleId, ds: ManifestObject, e: ResourceEntry, detail: string, badValue: unknown, on: 'key' | 'value', type: FieldErrorType = 'Invalid'): Finding {
  const f = apiFinding(rule, ds, e.path, type, detail, badValue, on);
  f.path = printedPath(e);
  return f;
}

/** An entry whose quantity does not parse: the decoder's error (resource.ParseQuantity), before any validation. */
export function quantityParseFinding(rule: RuleId, ds: ManifestObject, e: ResourceEntry): Finding | undefined {
  const parseError = quantityError(e.value);
  if (parseError === undefined) return undefined;
  const f = invalidAt(rule, ds, e, '', e.value, 'value');
  f.message = parseError;
  return f;
}

/**
 * validateResourceRequirements without its request ↔ limit part (requests-within-limits): for the
 * `resources` of `owner` (a container, or the pod), each name (`resourceNameFn`) and quantity, huge
 * pages a multiple of their page size and only beside cpu or memory.
 */
export function validateResourceQuantities(rule: RuleId, ds: ManifestObject, owner: ResourcesOwner, resourceNameFn: ResourceNameFn, out: Finding[]): void {
  validateResourceEntries(rule, ds, resourceEntries(owner), [...owner.path, 'resources'], resourceNameFn, out);
}

/** The same for any entries (limits then requests), whose requirements are at `resourcesPath`. */
export function validateResourceEntries(rule: RuleId, ds: ManifestObject, entries: readonly ResourceEntry[], resourcesPath: FieldPath, resourceNameFn: ResourceNameFn, out: Finding[]): void {
  let cpuOrMemory = false;
  let hugePages = false;
  for (const e of entries) {
    for (const err of resourceNameFn(e.name)) out.push(invalidAt(rule, ds, e, err.detail, e.name, 'key', err.type));
    if (e.name === 'cpu' || e.name === 'memory') cpuOrMemory = true;
    const parseError = quantityParseFinding(rule, ds, e);
    if (parseError) {
      out.push(parseError);
      continue;
    }
    const canonical = canonicalQuantity(e.value)!;
    // ValidateNonnegativeQuantity
    if (compareQuantities(e.value, 0) === -1) out.push(invalidAt(rule, ds, e, 'must be greater than or equal to 0', canonical, 'value'));
    // ValidateResourceQuantityValue: IsIntegerResourceName covers extended resources.
    if (isExtendedResourceName(e.name) && !Number.isInteger(parseQuantity(e.value)!)) {
      out.push(invalidAt(rule, ds, e, 'must be an integer', canonical, 'value'));
    }
    if (isHugePageResourceName(e.name)) {
      hugePages = true;
      // validateResourceQuantityHugePageValue → IsHugePageResourceValueDivisible
      if (!isHugePageValueDivisible(e.name, e.value)) {
        out.push(invalidAt(rule, ds, e, `${canonical} is not positive integer multiple of ${e.name}`, canonical, 'value'));
      }
    }
  }
  // A Kustomize patch's resources merge key by key into its base's, which may hold the cpu or memory.
  if (hugePages && !cpuOrMemory && !ds.partial) {
    out.push({ ...apiFinding(rule, ds, resourcesPath, 'Forbidden', 'HugePages require cpu or memory'), path: formatPath(resourcesPath) });
  }
}

/** validateResourceName: a qualified name, and a standard one unless it has a prefix. */
export function validateResourceName(name: string): string[] {
  const errs = isQualifiedName(name);
  if (errs.length) return errs;
  if (!name.includes('/') && !STANDARD_RESOURCES.has(name) && !isQuotaHugePageResourceName(name)) errs.push('must be a standard resource type or fully qualified');
  return errs;
}

/** validateContainerResourceName (which starts with validateResourceName). */
export function validateContainerResourceName(name: string): Array<{ type: 'Invalid'; detail: string }> {
  // cpu, memory and ephemeral-storage, nearly every entry: qualified, standard, for containers.
  if (STANDARD_CONTAINER_RESOURCES.has(name)) return [];
  const errs = validateResourceName(name);
  // Upstream goes on after validateResourceName's errors: a malformed name gets these too.
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePageResourceName(name)) errs.push('must be a standard resource for containers');
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errs.push("doesn't follow extended resource name standard");
  }
  return errs.map((detail) => ({ type: 'Invalid', detail }));
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
