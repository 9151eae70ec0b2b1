import { validateLabels } from '../metaValidation';
import type { Rule } from './rule';

/**
 * pkg/apis/core/validation/validation.go ValidatePodTemplateSpec(&spec.Template, "spec.template"):
 *   unversionedvalidation.ValidateLabels(spec.Labels, fldPath.Child("labels"))
 * The path is `spec.template.labels`: the template's ObjectMeta is embedded, so upstream skips
 * `metadata` in the path even though the YAML has it.
 */
export const templateLabels: Rule = {
  id: 'template-labels',
  description: 'spec.template.metadata.labels keys and values must be valid label keys and values.',
  help: 'Upstream ValidatePodTemplateSpec checks the pod template labels with ValidateLabels and reports errors on `spec.template.labels`. A key is an optional DNS subdomain prefix and `/` followed by a name of at most 63 characters (alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric); a value is empty or at most 63 such characters.',
  defaultSeverity: 'error',
  check(ds) {
    return validateLabels(templateLabels, ds, ['spec', 'template', 'metadata', 'labels'], ['spec', 'template', 'labels']);
  },
};
