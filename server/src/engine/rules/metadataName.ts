import { valueAt } from '../ast';
import { replaceScalar } from '../edits';
import { isDNS1123Label, isDNS1123Subdomain, maskTrailingDash } from '../k8sNames';
import { findingAt, spanAt } from '../metaValidation';
import type { Finding } from '../types';
import type { Rule } from './rule';

const META = ['metadata'];

/**
 * pkg/apis/apps/validation/validation.go ValidateDaemonSet → apivalidation.ValidateObjectMeta(
 * &ds.ObjectMeta, true, ValidateDaemonSetName = NameIsDNSSubdomain, "metadata") →
 * ValidateObjectMetaAccessor: generateName (trailing dash allowed) and name are DNS-1123
 * subdomains; a missing name without generateName is `Required value: name or generateName is
 * required`; a given namespace is a DNS-1123 label (ValidateNamespaceName). A missing namespace
 * is filled from the request (kubectl -n / the context), so it is not reported.
 */
export const metadataName: Rule = {
  id: 'metadata-name',
  description: 'metadata.name must be a DNS-1123 subdomain (and metadata.namespace a DNS-1123 label).',
  help: 'Upstream ValidateObjectMeta with NameIsDNSSubdomain: a DaemonSet name is at most 253 characters of lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit, and is required unless `generateName` is set. A namespace is a DNS-1123 label (at most 63 characters, no dots).',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const out: Finding[] = [];
    const meta = valueAt(ds, META);
    if (meta !== undefined && meta !== null && (typeof meta !== 'object' || Array.isArray(meta))) return [];
    const m = (meta ?? {}) as Record<string, unknown>;
    const generateName = m.generateName;
    if (typeof generateName === 'string' && generateName.length > 0) {
      for (const msg of isDNS1123Subdomain(maskTrailingDash(generateName))) {
        out.push(findingAt(metadataName, ds, [...META, 'generateName'], spanAt(ds, [...META, 'generateName'], 'value'), 'Invalid', msg, generateName));
      }
    }
    const name = m.name === null || m.name === undefined ? '' : m.name;
    if (typeof name !== 'string') return out; // a type error the schema reports
    if (name.length === 0) {
      // A Kustomize patch may name nothing; generateName stands in for a name on create.
      if (!ds.partial && !(typeof generateName === 'string' && generateName.length > 0)) {
        out.push(findingAt(metadataName, ds, [...META, 'name'], spanAt(ds, [...META, 'name'], 'value'), 'Required', 'name or generateName is required'));
      }
    } else {
      const msgs = isDNS1123Subdomain(name);
      for (const msg of msgs) {
        const f = findingAt(metadataName, ds, [...META, 'name'], spanAt(ds, [...META, 'name'], 'value'), 'Invalid', msg, name);
        const fixed = suggestName(name);
        const edits = fixed ? replaceScalar(ctx.model.text, ds, [...META, 'name'], fixed) : [];
        if (edits.length) f.fixes = [{ title: `Rename to ${fixed}`, edits, isPreferred: true }];
        out.push(f);
      }
    }
    const namespace = m.namespace;
    if (typeof namespace === 'string' && namespace.length > 0) {
      for (const msg of isDNS1123Label(namespace)) {
        out.push(findingAt(metadataName, ds, [...META, 'namespace'], spanAt(ds, [...META, 'namespace'], 'value'), 'Invalid', msg, namespace));
      }
    }
    return out;
  },
};

/** A valid name close to `name`: lower-cased, other characters turned into `-`, ends trimmed. */
function suggestName(name: string): string | undefined {
  const s = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, 253).replace(/[^a-z0-9]+$/, '');
  return s && s !== name && isDNS1123Subdomain(s).length === 0 ? s : undefined;
}
