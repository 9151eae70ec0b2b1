import { valueAt } from '../ast';
import { isDNS1123Subdomain } from '../k8sNames';
import { POD_SPEC } from '../podTemplate';
import { apiFinding, type Rule } from './rule';

const PATH = [...POD_SPEC, 'nodeName'];

/** pkg/apis/core/validation/validation.go ValidatePodSpec: a non-empty nodeName is a node name (ValidateNodeName = NameIsDNSSubdomain). */
export const nodeName: Rule = {
  id: 'node-name',
  description: 'nodeName must be a valid node name (DNS-1123 subdomain).',
  help: 'Upstream ValidatePodSpec checks a non-empty `nodeName` with ValidateNodeName (a lowercase RFC 1123 subdomain of at most 253 characters). Note that a DaemonSet pins every pod to this one node, bypassing the per-node placement.',
  defaultSeverity: 'error',
  check(ds) {
    const v = valueAt(ds, PATH);
    if (typeof v !== 'string' || v.length === 0) return [];
    return isDNS1123Subdomain(v).map((msg) => apiFinding(nodeName, ds, PATH, 'Invalid', msg, v, 'value'));
  },
};
