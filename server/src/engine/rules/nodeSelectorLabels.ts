import { isMap } from '../yamlNodes';
import { keySpan, locate, valueAt, valueSpan } from '../ast';
import { isPlainObject } from '../model';
import { isLabelKey, isLabelValue } from '../k8sNames';
import { POD_SPEC } from '../podTemplate';
import type { Finding } from '../types';
import { apiFinding, type Rule } from './rule';

const PATH = [...POD_SPEC, 'nodeSelector'];

/**
 * pkg/apis/core/validation/validation.go ValidatePodSpec → unversionedvalidation.ValidateLabels:
 * nodeSelector keys are label keys and values label values; errors carry the map's path.
 */
export const nodeSelectorLabels: Rule = {
  id: 'node-selector-labels',
  description: 'nodeSelector keys and values must be valid label keys and values.',
  help: 'Upstream ValidateLabels checks every nodeSelector key with IsQualifiedName and every value with IsValidLabelValue, reporting on `spec.template.spec.nodeSelector`. A selector that cannot be a label never matches a node.',
  defaultSeverity: 'error',
  check(ds) {
    const out: Finding[] = [];
    const loc = locate(ds, PATH);
    if (loc.depth !== PATH.length || !isMap(loc.node)) return out;
    // The plain value, not the map's entries: keys merged in with `<<` count, `<<` itself does not.
    const selector = valueAt(ds, PATH);
    if (!isPlainObject(selector)) return out;
    for (const [key, v] of Object.entries(selector)) {
      const raw: unknown = v ?? '';
      for (const msg of isLabelKey(key)) {
        const f = apiFinding(nodeSelectorLabels, ds, PATH, 'Invalid', msg, key);
        f.span = keySpan(ds, [...PATH, key]) ?? f.span;
        out.push(f);
      }
      // Non-string values are type errors the schema reports.
      if (typeof raw !== 'string') continue;
      const value = raw;
      for (const msg of isLabelValue(value)) {
        const f = apiFinding(nodeSelectorLabels, ds, PATH, 'Invalid', msg, value);
        f.span = valueSpan(ds, [...PATH, key]) ?? f.span;
        out.push(f);
      }
    }
    return out;
  },
};
