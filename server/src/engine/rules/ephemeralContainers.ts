import { valueAt } from '../ast';
import { removeMapEntry } from '../edits';
import { POD_SPEC } from '../podTemplate';
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
    const edits = removeMapEntry(ctx.model.text, ds, PATH);
    if (edits.length) f.fixes = [{ title: 'Remove ephemeralContainers', edits, isPreferred: true }];
    return [f];
  },
};
