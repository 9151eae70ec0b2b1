import { valueAt } from '../ast';
import { GoValue, findingAt, spanAt } from '../metaValidation';
import type { Rule } from './rule';

const SELECTOR = ['spec', 'selector'];

/**
 * pkg/apis/apps/validation/validation.go ValidateDaemonSetSpec:
 *   if spec.Selector != nil && len(spec.Selector.MatchLabels)+len(spec.Selector.MatchExpressions) == 0 →
 *     field.Invalid(fldPath.Child("selector"), spec.Selector, "empty selector is invalid for daemonset")
 * The bad value is the *metav1.LabelSelector, printed by its generated String() method.
 */
export const emptySelector: Rule = {
  id: 'empty-selector',
  description: 'spec.selector must not be empty.',
  help: 'Upstream ValidateDaemonSetSpec rejects `selector: {}` (no matchLabels and no matchExpressions): an empty selector would select every pod in the namespace. Select the pod template labels, for example `matchLabels: {app: <name>}`.',
  defaultSeverity: 'error',
  check(ds) {
    const selector = valueAt(ds, SELECTOR);
    if (!selector || typeof selector !== 'object' || Array.isArray(selector)) return [];
    const { matchLabels, matchExpressions } = selector as Record<string, unknown>;
    const labels = matchLabels && typeof matchLabels === 'object' && !Array.isArray(matchLabels) ? Object.keys(matchLabels).length : matchLabels == null ? 0 : -1;
    const exprs = Array.isArray(matchExpressions) ? matchExpressions.length : matchExpressions == null ? 0 : -1;
    // A wrong type is the schema's to report.
    if (labels !== 0 || exprs !== 0) return [];
    const badValue = new GoValue('&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}');
    return [findingAt(emptySelector, ds, SELECTOR, spanAt(ds, SELECTOR), 'Invalid', 'empty selector is invalid for daemonset', badValue)];
  },
};
