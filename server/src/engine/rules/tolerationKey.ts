import { isLabelKey } from '../k8sNames';
import { isRecord, POD_SPEC, str } from '../podTemplate';
import type { Finding } from '../types';
import { valueAt } from '../ast';
import { apiFinding, type Rule } from './rule';

/**
 * pkg/apis/core/validation/validation.go ValidateTolerations: a non-empty toleration `key` must
 * be a label key (unversionedvalidation.ValidateLabelName → IsQualifiedName).
 */
export const tolerationKey: Rule = {
  id: 'toleration-key',
  description: 'A toleration key must be a valid label key.',
  help: 'Upstream ValidateTolerations checks a non-empty `key` with ValidateLabelName: an optional DNS subdomain prefix and `/`, then a name of at most 63 alphanumeric characters, `-`, `_` or `.`, starting and ending with an alphanumeric character. Use the exact key of the taint to tolerate (for example `node-role.kubernetes.io/control-plane`).',
  defaultSeverity: 'error',
  check(ds) {
    const out: Finding[] = [];
    const tolerations = valueAt(ds, [...POD_SPEC, 'tolerations']);
    if (!Array.isArray(tolerations)) return out;
    tolerations.forEach((t, i) => {
      if (!isRecord(t)) return;
      const key = str(t.key);
      if (!key) return;
      const path = [...POD_SPEC, 'tolerations', i, 'key'];
      for (const msg of isLabelKey(key)) out.push(apiFinding(tolerationKey, ds, path, 'Invalid', msg, key, 'value'));
    });
    return out;
  },
};
