import { keySpan, valueAt } from '../ast';
import { LABEL_SELECTOR_OPERATORS, findingAt, spanAt, validateLabels } from '../metaValidation';
import { isLabelValue, isQualifiedName } from '../k8sNames';
import type { Finding } from '../types';
import type { Rule } from './rule';

const SELECTOR = ['spec', 'selector'];

/**
 * pkg/apis/apps/validation/validation.go ValidateDaemonSetSpec → apimachinery
 * pkg/apis/meta/v1/validation ValidateLabelSelector(spec.selector): matchLabels through
 * ValidateLabels, each matchExpressions entry through ValidateLabelSelectorRequirement (operator,
 * values for the operator, key as a label key, values as label values; on create
 * AllowInvalidLabelValueInSelector is false).
 */
export const selectorSyntax: Rule = {
  id: 'selector-syntax',
  description: 'spec.selector must use valid label keys, values and operators.',
  help: 'Upstream ValidateLabelSelector: `matchLabels` keys are label keys (an optional DNS subdomain prefix and `/`, then at most 63 characters of alphanumerics, `-`, `_` and `.`) and values are label values; a `matchExpressions` operator is one of In, NotIn, Exists, DoesNotExist; In and NotIn need `values`, Exists and DoesNotExist must not have any.',
  defaultSeverity: 'error',
  check(ds) {
    const selector = valueAt(ds, SELECTOR);
    if (!selector || typeof selector !== 'object' || Array.isArray(selector)) return [];
    const out: Finding[] = validateLabels(selectorSyntax, ds, [...SELECTOR, 'matchLabels'], [...SELECTOR, 'matchLabels']);
    const exprs = (selector as Record<string, unknown>).matchExpressions;
    if (!Array.isArray(exprs)) return out;
    exprs.forEach((e, i) => {
      if (!e || typeof e !== 'object' || Array.isArray(e)) return;
      out.push(...validateLabelSelectorRequirement(ds, e as Record<string, unknown>, [...SELECTOR, 'matchExpressions', i]));
    });
    return out;
  },
};

/** ValidateLabelSelectorRequirement; values that do not decode (wrong types) are the schema's. */
function validateLabelSelectorRequirement(ds: Parameters<Rule['check']>[0], sr: Record<string, unknown>, path: Array<string | number>): Finding[] {
  const out: Finding[] = [];
  const operator = sr.operator === undefined || sr.operator === null ? '' : sr.operator;
  const key = sr.key === undefined || sr.key === null ? '' : sr.key;
  const rawValues = sr.values === undefined || sr.values === null ? [] : sr.values;
  const values = Array.isArray(rawValues) ? rawValues : undefined;
  const valuesPath = [...path, 'values'];
  // A missing `values` is reported on the operator that needs it.
  const valuesSpan = keySpan(ds, valuesPath) ?? spanAt(ds, [...path, 'operator'], 'value');
  if (typeof operator === 'string') {
    switch (operator) {
      case 'In':
      case 'NotIn':
        if (values && values.length === 0) out.push(findingAt(selectorSyntax, ds, valuesPath, valuesSpan, 'Required', "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values && values.length > 0) out.push(findingAt(selectorSyntax, ds, valuesPath, valuesSpan, 'Forbidden', "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default: {
        const f = findingAt(selectorSyntax, ds, [...path, 'operator'], spanAt(ds, [...path, 'operator'], 'value'), 'Invalid', 'not a valid selector operator', operator);
        f.data = { supported: [...LABEL_SELECTOR_OPERATORS] };
        out.push(f);
      }
    }
  }
  if (typeof key === 'string') {
    for (const msg of isQualifiedName(key)) out.push(findingAt(selectorSyntax, ds, [...path, 'key'], spanAt(ds, [...path, 'key'], 'value'), 'Invalid', msg, key));
  }
  values?.forEach((v, j) => {
    const value = v === null ? '' : v;
    if (typeof value !== 'string') return;
    for (const msg of isLabelValue(value)) out.push(findingAt(selectorSyntax, ds, [...valuesPath, j], spanAt(ds, [...valuesPath, j], 'value'), 'Invalid', msg, value));
  });
  return out;
}
