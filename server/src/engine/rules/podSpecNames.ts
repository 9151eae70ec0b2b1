import { valueAt } from '../ast';
import { isDNS1123Label, isDNS1123Subdomain } from '../k8sNames';
import { POD_SPEC } from '../podTemplate';
import type { Finding } from '../types';
import { apiFinding, type Rule } from './rule';

/**
 * pkg/apis/core/validation/validation.go ValidatePodSpec: serviceAccountName
 * (ValidateServiceAccountName), priorityClassName (ValidatePriorityClassName) and
 * runtimeClassName (ValidateRuntimeClassName) are DNS-1123 subdomains; hostname and subdomain
 * are DNS-1123 labels (ValidateDNS1123Label).
 */
const FIELDS: Array<{ field: string; check: (v: string) => string[]; emptyAllowed: boolean }> = [
  { field: 'serviceAccountName', check: isDNS1123Subdomain, emptyAllowed: true },
  { field: 'hostname', check: isDNS1123Label, emptyAllowed: true },
  { field: 'subdomain', check: isDNS1123Label, emptyAllowed: true },
  { field: 'priorityClassName', check: isDNS1123Subdomain, emptyAllowed: true },
  // A set runtimeClassName pointer is validated even when empty.
  { field: 'runtimeClassName', check: isDNS1123Subdomain, emptyAllowed: false },
];

export const podSpecNames: Rule = {
  id: 'pod-spec-names',
  description: 'serviceAccountName, priorityClassName, runtimeClassName, hostname and subdomain must be valid names.',
  help: 'Upstream ValidatePodSpec checks `serviceAccountName`, `priorityClassName` and `runtimeClassName` as lowercase RFC 1123 subdomains and `hostname`/`subdomain` as RFC 1123 labels, reporting `Invalid value` on the field.',
  defaultSeverity: 'error',
  check(ds) {
    const out: Finding[] = [];
    for (const { field, check, emptyAllowed } of FIELDS) {
      const path = [...POD_SPEC, field];
      const v = valueAt(ds, path);
      if (typeof v !== 'string') continue;
      if (v.length === 0 && emptyAllowed) continue;
      for (const msg of check(v)) out.push(apiFinding(podSpecNames, ds, path, 'Invalid', msg, v, 'value'));
    }
    return out;
  },
};
