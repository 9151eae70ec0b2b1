import { valueAt, valueSpan } from '../ast';
import { replaceScalar, setMapEntries } from '../edits';
import { featureEnabled } from '../featureGates';
import { supportedValues } from '../fieldErrors';
import { isLabelValue } from '../k8sNames';
import { goQuote } from '../securityValidation';
import { firstKeySpan, firstValueSpan, isRecord, POD_SPEC, str } from '../podTemplate';
import type { FieldPath, Finding, Fix } from '../types';
import { apiFinding, type Rule, type RuleContext } from './rule';
import { unsupportedValue } from './unsupportedValue';
import type { ManifestObject } from '../model';

const EQUAL_EXISTS = ['Equal', 'Exists'];
// The list 1.35 prints for Lt/Gt while its gate is off: the four operators the API knows.
const WITH_COMPARISON = ['Equal', 'Exists', 'Lt', 'Gt'];
// strconv.ParseInt(s, 10, 64): optional sign, decimal digits, int64 range.
const INT64_RE = /^[+-]?[0-9]+$/;
const INT64_MAX = 2n ** 63n - 1n;
// k8s.io/apimachinery/pkg/api/validate/content IsDecimalInteger.
const DECIMAL_INTEGER_RE = /^(0|-?[1-9][0-9]*)$/;

/**
 * pkg/apis/core/validation/validation.go ValidateTolerations, the operator/value part:
 * an empty key needs `operator: Exists`; `Equal` (or no operator) needs a label-valued `value`;
 * `Exists` takes no value; anything else is NotSupported. Errors about the value are reported on
 * `.operator`, as upstream does.
 *
 * Kubernetes 1.35 (ValidateTolerations with PodValidationOptions, validation-1.35.go) gave `Lt` and
 * `Gt` a case of their own: while the alpha gate TaintTolerationComparisonOperators is off (the
 * default) they are NotSupported with the list "Equal", "Exists", "Lt", "Gt"; with it on, `value`
 * must be a decimal integer in canonical form (content.IsDecimalInteger) that strconv.ParseInt
 * reads, and those errors are reported on `.value`. Any other operator still lists "Equal", "Exists".
 * Before 1.35 `Lt` and `Gt` were unknown operators like any other.
 */
export const tolerationOperator: Rule = {
  id: 'toleration-operator',
  description: 'A toleration operator must be Equal or Exists and agree with its key and value.',
  help: 'Upstream ValidateTolerations: an empty `key` requires `operator: Exists` (tolerate every taint); `operator: Equal` (the default) requires `value` to be a valid label value; `operator: Exists` requires `value` to be empty; other operators are rejected with `supported values: "Equal", "Exists"`. The value errors are reported on `.operator`. From 1.35, `Lt` and `Gt` are rejected with `supported values: "Equal", "Exists", "Lt", "Gt"` unless the alpha gate TaintTolerationComparisonOperators is on; with it, their `value` must be an integer written without a plus sign or leading zeros (`must be a valid decimal integer in canonical form`).',
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

  // The Lt/Gt case exists from 1.35 (the release that added the gate).
  const comparisonCase = ctx.kubernetesMinor >= 35;
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
      if (comparisonCase) {
        if (!featureEnabled(ctx, 'TaintTolerationComparisonOperators')) {
          out.push(apiFinding(tolerationOperator, ds, opPath, 'NotSupported', supportedValues(WITH_COMPARISON), operator, 'value'));
          break;
        }
        const valueErr = (detail: string) => {
          const f = apiFinding(tolerationOperator, ds, valuePath, 'Invalid', detail, value, 'value');
          f.span = valueSpan(ds, valuePath) ?? firstKeySpan(ds, base, t) ?? f.span;
          out.push(f);
        };
        const decimal = decimalIntegerError(value);
        if (decimal) valueErr(decimal);
        const parse = parseIntError(value);
        if (parse) valueErr(parse);
        break;
      }
      out.push(unsupportedValue(tolerationOperator, ds, ctx, opPath, operator, EQUAL_EXISTS));
      break;
    default:
      out.push(unsupportedValue(tolerationOperator, ds, ctx, opPath, operator, EQUAL_EXISTS));
  }
  return out;
}

/** content.IsDecimalInteger: "0", or an optional minus then digits without a leading zero. */
function decimalIntegerError(v: string): string | undefined {
  if (v.length === 0) return 'must be non-empty';
  return DECIMAL_INTEGER_RE.test(v) ? undefined : 'must be a valid decimal integer in canonical form';
}

/** The error strconv.ParseInt(v, 10, 64) returns, as err.Error() prints it. */
function parseIntError(v: string): string | undefined {
  if (!INT64_RE.test(v)) return `strconv.ParseInt: parsing ${goQuote(v)}: invalid syntax`;
  return isInt64(v) ? undefined : `strconv.ParseInt: parsing ${goQuote(v)}: value out of range`;
}

function isInt64(v: string): boolean {
  if (!INT64_RE.test(v)) return false;
  const n = BigInt(v);
  return n <= INT64_MAX && n >= -INT64_MAX - 1n;
}

