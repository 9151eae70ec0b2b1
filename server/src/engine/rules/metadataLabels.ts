import { validateLabels } from '../metaValidation';
import type { Rule } from './rule';

const PATH = ['metadata', 'labels'];

/**
 * pkg/apis/apps/validation/validation.go ValidateDaemonSet → ValidateObjectMeta →
 * apimachinery/pkg/apis/meta/v1/validation ValidateLabels(meta.Labels, "metadata.labels").
 */
export const metadataLabels: Rule = {
  id: 'metadata-labels',
  description: 'metadata.labels keys and values must be valid label keys and values.',
  help: 'Upstream ValidateLabels: a key is an optional DNS subdomain prefix and `/` followed by a name of at most 63 characters (alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric); a value is empty or at most 63 such characters. Errors are reported on `metadata.labels`.',
  defaultSeverity: 'error',
  check(ds) {
    return validateLabels(metadataLabels, ds, PATH, PATH);
  },
};
