import { replaceScalar } from '../edits';
import type { ManifestObject } from '../model';
import { allContainers, isOvercommitAllowed, isRecord, resourceEntries, type ResourcesOwner } from '../podTemplate';
import { canonicalQuantity, compareQuantities, quantityError } from '../quantity';
import { formatPath, type Finding, type Fix } from '../types';
import { apiFinding, type Rule } from './rule';

/**
 * pkg/apis/core/validation/validation.go ValidateContainerResourceRequirements, the request ↔
 * limit part: a request may not exceed its limit; resources that cannot be overcommitted
 * (extended resources, huge pages) need a limit, equal to the request. Upstream reports these
 * on `…resources.requests` (or `…resources.limits`), without the resource key.
 */
export const requestsWithinLimits: Rule = {
  id: 'requests-within-limits',
  description: 'A container request must not exceed its limit; extended resources need equal requests and limits.',
  help: 'Upstream ValidateContainerResourceRequirements rejects a request above its limit (`must be less than or equal to cpu limit of 500m`), and for resources that cannot be overcommitted (for example `nvidia.com/gpu` or hugepages) requires a limit (`Limit must be set for non overcommitable resources`) equal to the request (`must be equal to nvidia.com/gpu limit of 1`).',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const out: Finding[] = [];
    for (const c of allContainers(ds)) validateRequestsWithinLimits(requestsWithinLimits, ds, ctx.model.text, c, out);
    return out;
  },
};

/**
 * validateResourceRequirements, its request ↔ limit part, for the `resources` of `owner` (a
 * container, or the pod), each finding with a fix either way.
 */
export function validateRequestsWithinLimits(rule: Pick<Rule, 'id' | 'defaultSeverity'>, ds: ManifestObject, text: string, owner: ResourcesOwner, out: Finding[]): void {
  const resources = owner.value.resources;
  if (!isRecord(resources)) return;
  const limits = isRecord(resources.limits) ? resources.limits : {};
  const reqPath = [...owner.path, 'resources', 'requests'];
  const limPath = [...owner.path, 'resources', 'limits'];
  for (const e of resourceEntries(owner)) {
    if (e.list !== 'requests' || quantityError(e.value) !== undefined) continue;
    const overcommit = isOvercommitAllowed(e.name);
    if (!(e.name in limits)) {
      // A Kustomize patch's limits merge into its base's, which may hold this one.
      if (!overcommit && !ds.partial) {
        const f = apiFinding(rule, ds, e.path, 'Required', 'Limit must be set for non overcommitable resources');
        f.path = formatPath(limPath);
        out.push(f);
      }
      continue;
    }
    const limit = limits[e.name];
    const cmp = compareQuantities(e.value, limit);
    if (cmp === undefined) continue; // an unparsable limit is resource-quantities' finding
    const request = canonicalQuantity(e.value)!;
    const limitText = canonicalQuantity(limit)!;
    let detail: string | undefined;
    if (cmp !== 0 && !overcommit) detail = `must be equal to ${e.name} limit of ${limitText}`;
    else if (cmp > 0) detail = `must be less than or equal to ${e.name} limit of ${limitText}`;
    if (!detail) continue;
    const f = apiFinding(rule, ds, e.path, 'Invalid', detail, request, 'value');
    f.path = formatPath(reqPath);
    const fixes: Fix[] = [];
    const lower = scalar(limit) === undefined ? [] : replaceScalar(text, ds, e.path, scalar(limit)!);
    if (lower.length) fixes.push({ title: `Set the ${e.name} request to the limit (${limitText})`, edits: lower });
    const raise = scalar(e.value) === undefined ? [] : replaceScalar(text, ds, [...limPath, e.name], scalar(e.value)!);
    if (raise.length) fixes.push({ title: `Set the ${e.name} limit to the request (${request})`, edits: raise });
    if (fixes.length) f.fixes = fixes;
    out.push(f);
  }
}

function scalar(v: unknown): string | number | undefined {
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}
