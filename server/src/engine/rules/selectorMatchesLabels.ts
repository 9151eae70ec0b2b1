import { valueAt } from '../ast';
import { GoValue, findingAt, goStringMap, labelSelectorAsSelector, selectorMatches, spanAt, stringMap } from '../metaValidation';
import type { Rule } from './rule';
import { selectorLabelsFix } from './selectorLabelsFix';

const SELECTOR = ['spec', 'selector'];
const TEMPLATE_LABELS = ['spec', 'template', 'metadata', 'labels'];

/**
 * pkg/apis/apps/validation/validation.go ValidateDaemonSetSpec:
 *   selector, err := metav1.LabelSelectorAsSelector(spec.Selector)
 *   if err == nil && !selector.Matches(labels.Set(spec.Template.Labels)) →
 *     field.Invalid(fldPath.Child("template", "metadata", "labels"), spec.Template.Labels, "`selector` does not match template `labels`")
 * A missing selector is nil, which selects nothing, so it fails here too: apps/v1 has no separate
 * "selector required" error and does not default the selector from the labels.
 */
export const selectorMatchesLabels: Rule = {
  id: 'selector-matches-labels',
  description: 'spec.selector must be present and match the pod template labels.',
  help: 'Upstream ValidateDaemonSetSpec rejects a DaemonSet whose `spec.selector` does not select its own pod template, reporting `Invalid value` on `spec.template.metadata.labels`. A missing selector selects nothing and fails the same way. Make every `matchLabels` entry (and every `matchExpressions` requirement) true of `spec.template.metadata.labels`.',
  defaultSeverity: 'error',
  needsCompleteObject: true,
  check(ds, ctx) {
    const selector = labelSelectorAsSelector(valueAt(ds, SELECTOR));
    // An invalid selector is selector-syntax's to report; upstream skips the match then.
    if (selector.kind === 'invalid') return [];
    const labels = stringMap(valueAt(ds, TEMPLATE_LABELS));
    if (!labels) return [];
    if (selectorMatches(selector, labels)) return [];
    const raw = valueAt(ds, TEMPLATE_LABELS);
    const badValue = new GoValue(goStringMap(raw === undefined || raw === null ? undefined : labels));
    const f = findingAt(selectorMatchesLabels, ds, TEMPLATE_LABELS, spanAt(ds, TEMPLATE_LABELS), 'Invalid', '`selector` does not match template `labels`', badValue);
    f.data = { selectorMissing: selector.kind === 'nothing' };
    const fix = selectorLabelsFix(ctx.model.text, ds);
    if (fix) f.fixes = [fix];
    return [f];
  },
};
