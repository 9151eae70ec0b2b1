import { validateAnnotations } from '../metaValidation';
import type { Rule } from './rule';

/**
 * pkg/apis/core/validation/validation.go ValidatePodTemplateSpec(&spec.Template, "spec.template"):
 *   ValidateAnnotations(spec.Annotations, fldPath.Child("annotations"))
 * reported on `spec.template.annotations` (no `metadata` in the upstream path).
 */
export const templateAnnotations: Rule = {
  id: 'template-annotations',
  description: 'spec.template.metadata.annotations keys must be valid and total at most 256 KiB.',
  help: 'Upstream ValidatePodTemplateSpec checks the pod template annotations with ValidateAnnotations and reports errors on `spec.template.annotations`: keys are qualified names (case does not matter) and keys plus values may not exceed 262144 bytes.',
  defaultSeverity: 'error',
  check(ds) {
    return validateAnnotations(templateAnnotations, ds, ['spec', 'template', 'metadata', 'annotations'], ['spec', 'template', 'annotations']);
  },
};
