import { locate, valueAt } from '../ast';
import type { ManifestObject } from '../model';
import { POD_SPEC } from '../podTemplate';
import type { TextEdit } from '../types';
import { apiFinding, type Rule } from './rule';

const PATH = [...POD_SPEC, 'ephemeralContainers'];

/**
 * pkg/apis/core/validation/validation.go ValidatePodTemplateSpec: ephemeral containers can only
 * be added to running pods (the ephemeralcontainers subresource), never to a template.
 */
export const ephemeralContainers: Rule = {
  id: 'ephemeral-containers',
  description: 'Pod templates may not contain ephemeral containers.',
  help: 'Upstream ValidatePodTemplateSpec returns `Forbidden: ephemeral containers not allowed in pod template` when `ephemeralContainers` is non-empty. Use `kubectl debug` on a running pod instead, or move the container to `containers`.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const v = valueAt(ds, PATH);
    if (!Array.isArray(v) || v.length === 0) return [];
    const f = apiFinding(ephemeralContainers, ds, PATH, 'Forbidden', 'ephemeral containers not allowed in pod template');
    const edits = removeBlockEntry(ctx.model.text, ds);
    if (edits.length) f.fixes = [{ title: 'Remove ephemeralContainers', edits, isPreferred: true }];
    return [f];
  },
};

/** Deletes the whole lines of a block-mapping entry whose key starts its line. */
function removeBlockEntry(text: string, ds: ManifestObject): TextEdit[] {
  const loc = locate(ds, PATH);
  const key = loc.pair?.key as { range?: [number, number, number] } | undefined;
  const value = loc.pair?.value as { range?: [number, number, number] } | undefined;
  if (loc.depth !== PATH.length || !key?.range || !value?.range) return [];
  const keyStart = ds.base + key.range[0];
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  if (text.slice(lineStart, keyStart).trim() !== '') return [];
  const valueEnd = ds.base + value.range[1];
  // The value's range may stop before its last line break; delete through the end of that line.
  let end = text.indexOf('\n', Math.max(valueEnd - 1, keyStart));
  end = end < 0 ? text.length : end + 1;
  return [{ span: { start: lineStart, end }, newText: '' }];
}
