import { valueAt } from '../ast';
import { POD_SPEC } from '../podTemplate';
import type { Rule } from './rule';
import { unsupportedValue } from './unsupportedValue';

const PATH = [...POD_SPEC, 'dnsPolicy'];
const POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];

/** pkg/apis/core/validation/validation.go validateDNSPolicy (an empty policy is defaulted to ClusterFirst first). */
export const dnsPolicy: Rule = {
  id: 'dns-policy',
  description: 'dnsPolicy must be ClusterFirstWithHostNet, ClusterFirst, Default or None.',
  help: 'Upstream validateDNSPolicy rejects other values with `supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"`. DaemonSets with `hostNetwork: true` that must resolve cluster services usually want ClusterFirstWithHostNet.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const v = valueAt(ds, PATH);
    if (typeof v !== 'string' || v === '' || POLICIES.includes(v)) return [];
    return [unsupportedValue(dnsPolicy, ds, ctx, PATH, v, POLICIES)];
  },
};
