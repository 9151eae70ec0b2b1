import { valueAt } from '../ast';
import { featureEnabled } from '../featureGates';
import { isDNS1123Label, isDNS1123Subdomain } from '../k8sNames';
import type { ManifestObject } from '../model';
import { POD_SPEC } from '../podTemplate';
import { utf8Length } from '../text';
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
  help: 'Upstream ValidatePodSpec checks `serviceAccountName`, `priorityClassName` and `runtimeClassName` as lowercase RFC 1123 subdomains and `hostname`/`subdomain` as RFC 1123 labels, reporting `Invalid value` on the field. With the HostnameOverride gate (on by default from 1.35) validatePodHostName forbids `hostnameOverride` with `hostNetwork: true` or `setHostnameAsFQDN: true` and requires it to be a subdomain of at most 64 characters; without the gate (1.34) the API server drops the field.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const out: Finding[] = [];
    if (featureEnabled(ctx, 'HostnameOverride')) validatePodHostName(ds, out);
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

/**
 * validatePodHostName (validation-1.35.go), reached once the HostnameOverride gate keeps the field
 * (pkg/api/pod dropDisabledFields drops it while the gate is off: alpha in 1.34, beta and on in 1.35).
 * A set pointer is checked even when empty.
 */
function validatePodHostName(ds: ManifestObject, out: Finding[]): void {
  const path = [...POD_SPEC, 'hostnameOverride'];
  const v = valueAt(ds, path);
  if (typeof v !== 'string') return;
  if (valueAt(ds, [...POD_SPEC, 'setHostnameAsFQDN']) === true) {
    out.push(apiFinding(podSpecNames, ds, path, 'Forbidden', 'may not be specified when setHostnameAsFQDN is true'));
  }
  if (valueAt(ds, [...POD_SPEC, 'hostNetwork']) === true) {
    out.push(apiFinding(podSpecNames, ds, path, 'Forbidden', 'may not be specified when hostNetwork is true'));
  }
  // field.TooLong(…, "" /*unused*/, 64): "bytes" whatever the value is.
  if (utf8Length(v) > 64) out.push(apiFinding(podSpecNames, ds, path, 'TooLong', 'may not be more than 64 bytes', undefined, 'value'));
  for (const msg of isDNS1123Subdomain(v)) out.push(apiFinding(podSpecNames, ds, path, 'Invalid', msg, v, 'value'));
}
