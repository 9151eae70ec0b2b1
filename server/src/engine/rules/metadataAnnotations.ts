import { validateAnnotations } from '../metaValidation';
import type { Rule } from './rule';

const PATH = ['metadata', 'annotations'];

/**
 * pkg/apis/apps/validation/validation.go ValidateDaemonSet → ValidateObjectMeta →
 * apimachinery/pkg/api/validation ValidateAnnotations(meta.Annotations, "metadata.annotations"):
 * keys are qualified names once lower-cased; keys and values total at most 256 KiB.
 */
export const metadataAnnotations: Rule = {
  id: 'metadata-annotations',
  description: 'metadata.annotations keys must be valid and all annotations must total at most 256 KiB.',
  help: 'Upstream ValidateAnnotations: a key is an optional DNS subdomain prefix and `/` followed by a name of at most 63 characters (alphanumerics, `-`, `_`, `.`; case does not matter), and the keys and values together may not exceed 262144 bytes.',
  defaultSeverity: 'error',
  check(ds) {
    return validateAnnotations(metadataAnnotations, ds, PATH, PATH);
  },
};
