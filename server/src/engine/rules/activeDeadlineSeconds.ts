import type { Node } from 'yaml';
import { isMap } from '../yamlNodes';
import { locate, valueAt } from '../ast';
import { findingAt, spanAt } from '../metaValidation';
import type { ManifestObject } from '../model';
import type { Finding, Fix } from '../types';
import type { Rule } from './rule';

const PATH = ['spec', 'template', 'spec', 'activeDeadlineSeconds'];
const MAX_INT32 = 2147483647;

/**
 * pkg/apis/apps/validation/validation.go ValidateDaemonSetSpec:
 *   if spec.Template.Spec.ActiveDeadlineSeconds != nil →
 *     field.Forbidden(fldPath.Child("template", "spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in DaemonSet is not Supported")
 * Before it, pkg/apis/core/validation/validation.go ValidatePodSpec checks the range
 * (1..math.MaxInt32, validation.InclusiveRangeError), so 0 or a negative value gets both errors.
 */
export const activeDeadlineSeconds: Rule = {
  id: 'active-deadline-seconds',
  description: 'A DaemonSet pod template must not set activeDeadlineSeconds.',
  help: 'Upstream ValidateDaemonSetSpec forbids `spec.template.spec.activeDeadlineSeconds`: a deadline would kill the daemon pods, which must run for as long as the node does. Remove the field.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const v = valueAt(ds, PATH);
    // null is unset; a non-integer is a type error the schema reports.
    if (typeof v !== 'number' || !Number.isInteger(v)) return [];
    const out: Finding[] = [];
    if (v < 1 || v > MAX_INT32) {
      out.push(findingAt(activeDeadlineSeconds, ds, PATH, spanAt(ds, PATH, 'value'), 'Invalid', `must be between 1 and ${MAX_INT32}, inclusive`, v));
    }
    const f = findingAt(activeDeadlineSeconds, ds, PATH, spanAt(ds, PATH), 'Forbidden', 'activeDeadlineSeconds in DaemonSet is not Supported');
    const fix = removeLine(ctx.model.text, ds, PATH);
    if (fix) f.fixes = [fix];
    out.push(f);
    return out;
  },
};

/** Deletes a `key: scalar` entry that sits alone on its line in a block mapping with other entries. */
function removeLine(text: string, ds: ManifestObject, path: string[]): Fix | undefined {
  const parent = locate(ds, path.slice(0, -1)).node;
  const loc = locate(ds, path);
  const key = loc.pair?.key as Node | undefined;
  const value = loc.pair?.value as Node | undefined;
  if (!isMap(parent) || parent.flow || parent.items.length < 2 || !key?.range || !value?.range) return undefined;
  const keyStart = ds.base + key.range[0];
  const valueEnd = ds.base + value.range[1];
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  if (!/^[ \t]*$/.test(text.slice(lineStart, keyStart))) return undefined;
  const eol = text.indexOf('\n', valueEnd);
  const lineEnd = eol < 0 ? text.length : eol + 1;
  if (!/^[ \t]*(#.*)?\r?\n?$/.test(text.slice(valueEnd, lineEnd))) return undefined;
  if (text.slice(keyStart, valueEnd).includes('\n')) return undefined;
  return { title: 'Remove activeDeadlineSeconds', edits: [{ span: { start: lineStart, end: lineEnd }, newText: '' }], isPreferred: true };
}
