import { valueAt, valueSpan } from '../ast';
import { replaceScalar, setMapEntries } from '../edits';
import { isLabelValue } from '../k8sNames';
import { firstKeySpan, firstValueSpan, isRecord, POD_SPEC, str } from '../podTemplate';
import type { FieldPath, Finding, Fix } from '../types';
import { apiFinding, type Rule, type RuleContext } from './rule';
import { unsupportedValue } from './unsupportedValue';
import type { ManifestObject } from '../model';

const EQUAL_EXISTS = ['Equal', 'Exists'];
const WITH_COMPARISON = ['Equal', 'Exists', 'Lt', 'Gt'];
// strconv.ParseInt(s, 10, 64): optional sign, decimal digits, int64 range.
const INT64_RE = /^[+-]?[0-9]+$/;
const INT64_MAX = 2n ** 63n - 1n;

/**
 * pkg/apis/core/validation/validation.go ValidateTolerations, the operator/value part:
 * an empty key needs `operator: Exists`; `Equal` (or no operator) needs a label-valued `value`;
 * `Exists` takes no value; anything else is NotSupported. With the alpha gate
 * TaintTolerationComparisonOperators, `Lt`/`Gt` are accepted and take an integer value
 * (KEP-5471 wording). Errors about the value are reported on `.operator`, as upstream does.
 */
export const tolerationOperator: Rule = {
  id: 'toleration-operator',
  description: 'A toleration operator must be Equal or Exists and agree with its key and value.',
  help: 'Upstream ValidateTolerations: an empty `key` requires `operator: Exists` (tolerate every taint); `operator: Equal` (the default) requires `value` to be a valid label value; `operator: Exists` requires `value` to be empty; other operators are rejected with `supported values: "Equal", "Exists"`. The value errors are reported on `.operator`.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const out: Finding[] = [];
    const tolerations = valueAt(ds, [...POD_SPEC, 'tolerations']);
    if (!Array.isArray(tolerations)) return out;
    tolerations.forEach((t, i) => {
      if (isRecord(t)) out.push(...checkToleration(ds, ctx, t, [...POD_SPEC, 'tolerations', i]));
    });
    return out;
  },
};

function checkToleration(ds: ManifestObject, ctx: RuleContext, t: Record<string, unknown>, base: FieldPath): Finding[] {
  const out: Finding[] = [];
  const key = str(t.key);
  const operator = str(t.operator);
  const value = str(t.value);
  if (key === undefined || operator === undefined || value === undefined) return out; // wrong types: the schema reports them
  const opPath = [...base, 'operator'];
  const valuePath = [...base, 'value'];
  const text = ctx.model.text;

  if (key.length === 0 && operator !== 'Exists') {
    const f = apiFinding(tolerationOperator, ds, opPath, 'Invalid', 'operator must be Exists when `key` is empty, which means "match all values and all keys"', operator, 'value');
    f.span = firstValueSpan(ds, opPath, [...base, 'key']) ?? firstKeySpan(ds, base, t) ?? f.span;
    const edits = 'operator' in t && t.operator !== null ? replaceScalar(text, ds, opPath, 'Exists') : setMapEntries(text, ds, base, { operator: 'Exists' });
    if (edits.length) f.fixes = [{ title: 'Set operator: Exists (tolerate every taint)', edits }];
    out.push(f);
  }

  const comparison = ctx.featureGates.TaintTolerationComparisonOperators === true;
  switch (operator) {
    case 'Equal':
    case '': {
      const errs = isLabelValue(value);
      if (errs.length) {
        const f = apiFinding(tolerationOperator, ds, opPath, 'Invalid', errs.join(';'), value, 'value');
        f.span = valueSpan(ds, valuePath) ?? f.span;
        out.push(f);
      }
      break;
    }
    case 'Exists':
      if (value.length > 0) {
        const f = apiFinding(tolerationOperator, ds, opPath, 'Invalid', "value must be empty when `operator` is 'Exists'", value, 'value');
        f.span = valueSpan(ds, valuePath) ?? f.span;
        const fixes: Fix[] = [];
        const clear = replaceScalar(text, ds, valuePath, '');
        if (clear.length) fixes.push({ title: 'Clear value (Exists matches any value)', edits: clear });
        const equal = 'operator' in t ? replaceScalar(text, ds, opPath, 'Equal') : [];
        if (equal.length && key.length > 0 && isLabelValue(value).length === 0) fixes.push({ title: `Change operator to Equal (match value ${value})`, edits: equal });
        if (fixes.length) f.fixes = fixes;
        out.push(f);
      }
      break;
    case 'Lt':
    case 'Gt':
      if (comparison) {
        if (!isInt64(value)) out.push(apiFinding(tolerationOperator, ds, valuePath, 'Invalid', 'value must be a valid integer for numeric operators', value, 'value'));
        break;
      }
      out.push(unsupportedValue(tolerationOperator, ds, ctx, opPath, operator, EQUAL_EXISTS));
      break;
    default:
      out.push(unsupportedValue(tolerationOperator, ds, ctx, opPath, operator, comparison ? WITH_COMPARISON : EQUAL_EXISTS));
  }
  return out;
}

function isInt64(v: string): boolean {
  if (!INT64_RE.test(v)) return false;
  const n = BigInt(v);
  return n <= INT64_MAX && n >= -INT64_MAX - 1n;
}

