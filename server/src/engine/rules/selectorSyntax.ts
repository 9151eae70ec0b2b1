import { validateLabelSelector } from '../metaValidation';
import type { Rule } from './rule';

const SELECTOR = ['spec', 'selector'];

/**
 * pkg/apis/apps/validation/validation.go ValidateDaemonSetSpec → apimachinery
 * pkg/apis/meta/v1/validation ValidateLabelSelector(spec.selector): matchLabels through
 * ValidateLabels, each matchExpressions entry through ValidateLabelSelectorRequirement (operator,
 * values for the operator, key as a label key, values as label values; on create
 * AllowInvalidLabelValueInSelector is false).
 */
export const selectorSyntax: Rule = {
  id: 'selector-syntax',
  description: 'spec.selector must use valid label keys, values and operators.',
  help: 'Upstream ValidateLabelSelector: `matchLabels` keys are label keys (an optional DNS subdomain prefix and `/`, then at most 63 characters of alphanumerics, `-`, `_` and `.`) and values are label values; a `matchExpressions` operator is one of In, NotIn, Exists, DoesNotExist; In and NotIn need `values`, Exists and DoesNotExist must not have any.',
  defaultSeverity: 'error',
  check(ds) {
    return validateLabelSelector(selectorSyntax, ds, SELECTOR);
  },
};
