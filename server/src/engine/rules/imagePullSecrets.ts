import { reportSpan, valueAt } from '../ast';
import { removeSequenceItem } from '../edits';
import type { ManifestObject } from '../model';
import { isRecord, POD_SPEC, str } from '../podTemplate';
import { formatPath, type Finding } from '../types';
import type { Rule, RuleContext } from './rule';

const LIST = [...POD_SPEC, 'imagePullSecrets'];

/**
 * pkg/api/pod/warnings.go (GetWarningsForPodTemplate, returned by the DaemonSet strategy on create and
 * update): an imagePullSecrets name given twice ("duplicate name"), then an empty one ("invalid empty
 * name"). The API server accepts both. validateImagePullSecrets ("only name may be set") cannot fire
 * from a manifest: LocalObjectReference has no other field, and the schema reports unknown ones.
 */
export const imagePullSecrets: Rule = {
  id: 'image-pull-secrets',
  description: 'imagePullSecrets names must not be empty or repeated (the API server warns).',
  help: 'The API server accepts an `imagePullSecrets` entry with an empty name or a name listed twice, with the warnings `invalid empty name ""` and `duplicate name "…"`: an empty name refers to no Secret, so the images are pulled without it. Name the Secret that holds the registry credentials, or remove the entry.',
  defaultSeverity: 'warning',
  check(ds, ctx) {
    const list = valueAt(ds, LIST);
    if (!Array.isArray(list)) return [];
    // Items that do not decode (not a map, a name that is not a string) are the schema's.
    const names = list.map((item) => (isRecord(item) ? str(item.name) : undefined));
    const out: Finding[] = [];
    if (names.length > 1) {
      const seen = new Set<string>();
      names.forEach((name, i) => {
        if (name === undefined) return;
        if (seen.has(name)) out.push(warning(ds, ctx, i, `duplicate name ${JSON.stringify(name)}`, 'Remove the repeated entry'));
        else seen.add(name);
      });
    }
    names.forEach((name, i) => {
      if (name === '') out.push(warning(ds, ctx, i, `invalid empty name ${JSON.stringify(name)}`, 'Remove the entry'));
    });
    return out;
  },
};

function warning(ds: ManifestObject, ctx: RuleContext, i: number, message: string, title: string): Finding {
  const path = [...LIST, i, 'name'];
  const f: Finding = { code: imagePullSecrets.id, severity: imagePullSecrets.defaultSeverity, message, path: formatPath(path), span: reportSpan(ds, path, 'value') };
  const edits = ctx.fixes === false ? [] : removeSequenceItem(ctx.model.text, ds, [...LIST, i]);
  if (edits.length) f.fixes = [{ title, edits }];
  return f;
}
