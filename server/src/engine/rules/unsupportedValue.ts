import { replaceScalar } from '../edits';
import { supportedValues } from '../fieldErrors';
import type { ManifestObject } from '../model';
import { closestValue } from '../podTemplate';
import { formatPath, type FieldPath, type Finding } from '../types';
import { apiFinding, type Rule, type RuleContext } from './rule';

/**
 * field.NotSupported for the string at `path`, reported on its value, with the quick fix
 * "Change <field> to <closest supported value>" (editing only that scalar) when one is close enough.
 * `printedPath` is the path upstream prints when it is not the value's own (a list, for instance).
 */
export function unsupportedValue(
  rule: Pick<Rule, 'id' | 'defaultSeverity'>,
  ds: ManifestObject,
  ctx: Pick<RuleContext, 'model' | 'fixes'>,
  path: FieldPath,
  value: string,
  supported: readonly string[],
  printedPath?: FieldPath,
): Finding {
  const f = apiFinding(rule, ds, path, 'NotSupported', supportedValues(supported), value, 'value');
  if (printedPath) f.path = formatPath(printedPath);
  if (ctx.fixes === false) return f;
  const best = closestValue(value, supported);
  if (best) {
    const edits = replaceScalar(ctx.model.text, ds, path, best);
    const field = [...path].reverse().find((seg) => typeof seg === 'string');
    if (edits.length) f.fixes = [{ title: `Change ${field} to ${best}`, edits, isPreferred: true }];
  }
  return f;
}
