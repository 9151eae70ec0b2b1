import { valueSpan } from '../ast';
import { ROLLING_UPDATE, defaultedStrategy, intOrStringText, intValue, type IntOrString } from '../daemonSetDefaults';
import { setMapEntries } from '../edits';
import { GoValue, findingAt, spanAt } from '../metaValidation';
import type { ManifestObject } from '../model';
import type { Finding, Span } from '../types';
import type { Rule } from './rule';

const PERCENT_RE = /^[0-9]+%$/;
/** validation.IsValidPercent's message (apimachinery/pkg/util/validation/validation.go). */
const PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

type Field = 'maxUnavailable' | 'maxSurge';

/**
 * pkg/apis/apps/validation/validation.go ValidateRollingUpdateDaemonSet, on the values after
 * SetDefaults_DaemonSet (maxUnavailable 1, maxSurge 0):
 *   ValidatePositiveIntOrPercent on both (int ≥ 0, or a string matching [0-9]+%),
 *   IsNotMoreThan100Percent on both,
 *   exactly one non-zero (getIntOrPercentValue: a percent's number, else IntValue(), which is
 *   strconv.Atoi of a string and 0 when that fails):
 *     both non-zero → field.Invalid(maxSurge, maxSurge, "may not be set when maxUnavailable is non-zero")
 *     both zero     → field.Required(maxUnavailable, "cannot be 0 when maxSurge is 0")
 * IntOrString bad values print through their String() method, unquoted.
 */
export const rollingUpdateValues: Rule = {
  id: 'rolling-update-values',
  description: 'maxUnavailable and maxSurge must be ≥ 0 or a percentage ≤ 100%, and exactly one of them non-zero.',
  help: 'Upstream ValidateRollingUpdateDaemonSet: each of `maxUnavailable` and `maxSurge` is an integer ≥ 0 or a percentage like `25%` (at most 100%), and exactly one of them must be non-zero after defaulting (maxUnavailable defaults to 1, maxSurge to 0). So `maxSurge: 1` alone is invalid: set `maxUnavailable: 0` with it.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const s = defaultedStrategy(ds);
    if (!s || s.type !== 'RollingUpdate' || !s.maxUnavailable || !s.maxSurge) return [];
    const out: Finding[] = [];
    const values: Record<Field, IntOrString> = { maxUnavailable: s.maxUnavailable, maxSurge: s.maxSurge };
    for (const field of ['maxUnavailable', 'maxSurge'] as const) out.push(...validatePositiveIntOrPercent(ds, field, values[field]));
    for (const field of ['maxUnavailable', 'maxSurge'] as const) out.push(...isNotMoreThan100Percent(ds, field, values[field]));
    const hasUnavailable = getIntOrPercentValue(s.maxUnavailable) !== 0;
    const hasSurge = getIntOrPercentValue(s.maxSurge) !== 0;
    if (hasUnavailable && hasSurge) {
      const f = findingAt(rollingUpdateValues, ds, [...ROLLING_UPDATE, 'maxSurge'], spanOf(ds, 'maxSurge'), 'Invalid', 'may not be set when maxUnavailable is non-zero', new GoValue(intOrStringText(s.maxSurge)));
      if (!s.maxUnavailableGiven) f.data = { maxUnavailableDefaulted: true };
      const edits = setMapEntries(ctx.model.text, ds, [...ROLLING_UPDATE], { maxUnavailable: 0 });
      if (edits.length) f.fixes = [{ title: 'Set maxUnavailable: 0 (surge new pods instead of taking old ones down first)', edits, isPreferred: true }];
      out.push(f);
    } else if (!hasUnavailable && !hasSurge) {
      const f = findingAt(rollingUpdateValues, ds, [...ROLLING_UPDATE, 'maxUnavailable'], spanOf(ds, 'maxUnavailable'), 'Required', 'cannot be 0 when maxSurge is 0');
      const edits = setMapEntries(ctx.model.text, ds, [...ROLLING_UPDATE], { maxUnavailable: 1 });
      if (edits.length) f.fixes = [{ title: 'Set maxUnavailable: 1', edits, isPreferred: true }];
      out.push(f);
    }
    return out;
  },
};

function spanOf(ds: ManifestObject, field: Field): Span {
  const path = [...ROLLING_UPDATE, field];
  return valueSpan(ds, path) ?? spanAt(ds, path);
}

/** ValidatePositiveIntOrPercent. */
function validatePositiveIntOrPercent(ds: ManifestObject, field: Field, v: IntOrString): Finding[] {
  const path = [...ROLLING_UPDATE, field];
  if (v.type === 'string') {
    if (PERCENT_RE.test(v.strVal)) return [];
    return [findingAt(rollingUpdateValues, ds, path, spanOf(ds, field), 'Invalid', PERCENT_MSG, new GoValue(v.strVal))];
  }
  if (v.intVal >= 0) return [];
  // ValidateNonnegativeField(int64(intOrPercent.IntValue()), fldPath): an int64 prints bare.
  return [findingAt(rollingUpdateValues, ds, path, spanOf(ds, field), 'Invalid', 'must be greater than or equal to 0', v.intVal)];
}

/** getPercentValue: the number of a valid percent string. */
function getPercentValue(v: IntOrString): number | undefined {
  if (v.type !== 'string' || !PERCENT_RE.test(v.strVal)) return undefined;
  const n = Number(v.strVal.slice(0, -1));
  // strconv.Atoi fails beyond int64 and gives 0 with the error ignored.
  return Number.isSafeInteger(n) ? n : 0;
}

function getIntOrPercentValue(v: IntOrString): number {
  return getPercentValue(v) ?? intValue(v);
}

/** IsNotMoreThan100Percent. */
function isNotMoreThan100Percent(ds: ManifestObject, field: Field, v: IntOrString): Finding[] {
  const pct = getPercentValue(v);
  if (pct === undefined || pct <= 100) return [];
  return [findingAt(rollingUpdateValues, ds, [...ROLLING_UPDATE, field], spanOf(ds, field), 'Invalid', 'must not be greater than 100%', new GoValue(intOrStringText(v)))];
}
