import { valueAt } from '../ast';
import { setMapEntries } from '../edits';
import { labelSelectorAsSelector, selectorMatches, stringMap } from '../metaValidation';
import { isPlainObject, type ManifestObject } from '../model';
import type { Fix } from '../types';

const SELECTOR = ['spec', 'selector'];
const TEMPLATE_LABELS = ['spec', 'template', 'metadata', 'labels'];

/**
 * "Make the template labels match the selector": writes every `spec.selector.matchLabels` entry
 * into `spec.template.metadata.labels` (adding or replacing values, creating the map if needed).
 * Offered only when that is enough for the selector to match, i.e. `matchExpressions` are then
 * satisfied too (labels.Selector.Matches, apimachinery/pkg/labels/selector.go).
 */
export function selectorLabelsFix(text: string, ds: ManifestObject): Fix | undefined {
  const sel = valueAt(ds, SELECTOR);
  if (!isPlainObject(sel) || !isPlainObject(sel.matchLabels)) return undefined;
  const entries: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel.matchLabels)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
    entries[k] = String(v);
  }
  if (!Object.keys(entries).length) return undefined;
  const selector = labelSelectorAsSelector(sel);
  if (selector.kind === 'invalid') return undefined;
  const current = valueAt(ds, TEMPLATE_LABELS);
  const labels = new Map(stringMap(current === undefined || current === null ? {} : current) ?? []);
  const changed: Record<string, string> = {};
  for (const [k, v] of Object.entries(entries)) {
    if (labels.get(k) !== v) changed[k] = v;
    labels.set(k, v);
  }
  if (!Object.keys(changed).length || !selectorMatches(selector, labels)) return undefined;
  const edits = setMapEntries(text, ds, TEMPLATE_LABELS, changed);
  if (!edits.length) return undefined;
  return { title: 'Make the template labels match the selector', edits, isPreferred: true };
}
