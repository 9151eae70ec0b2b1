import type { Pair } from 'yaml';
import { isMap, isPair, isScalar } from '../yamlNodes';
import { keySpan, locate, valueSpan } from '../ast';
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
    for (const item of loc.node.items) {
      if (!isPair(item) || !isScalar((item as Pair).key)) continue;
      const rawKey = (item.key as { value: unknown }).value;
      const key = rawKey === null ? '' : String(rawKey);
      const raw: unknown = isScalar(item.value) ? (item.value.value ?? '') : item.value == null ? '' : undefined;
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
