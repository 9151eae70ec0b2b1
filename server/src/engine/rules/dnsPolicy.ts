import { valueAt } from '../ast';
import { replaceScalar } from '../edits';
import { supportedValues } from '../fieldErrors';
import { closestValue, POD_SPEC } from '../podTemplate';
import { apiFinding, type Rule } from './rule';

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
    const f = apiFinding(dnsPolicy, ds, PATH, 'NotSupported', supportedValues(POLICIES), v, 'value');
    const best = closestValue(v, POLICIES);
    if (best) {
      const edits = replaceScalar(ctx.model.text, ds, PATH, best);
      if (edits.length) f.fixes = [{ title: `Change dnsPolicy to ${best}`, edits, isPreferred: true }];
    }
    return [f];
  },
};
