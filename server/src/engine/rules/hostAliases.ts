import { featureEnabled } from '../featureGates';
import { isValidIPForLegacyField } from '../ip';
import { isDNS1123Subdomain } from '../k8sNames';
import { firstKeySpan, isRecord, POD_SPEC, podSpecOf } from '../podTemplate';
import { isBadType, report, type Checker } from '../securityValidation';
import type { Finding } from '../types';
import type { Rule } from './rule';

const HOST_ALIASES = [...POD_SPEC, 'hostAliases'];

/**
 * pkg/apis/core/validation/validation.go ValidateHostAliases: each entry's `ip` is an IP address
 * (IsValidIPForLegacyField, strict with StrictIPCIDRValidation; a missing one is "" and invalid), and
 * each of its `hostnames` a DNS subdomain.
 */
export const hostAliases: Rule = {
  id: 'host-aliases',
  description: 'Each hostAliases entry needs a valid IP address and hostnames that are DNS subdomains.',
  help: 'Upstream ValidateHostAliases rejects an `ip` that is not an IP address (a missing one included: `Invalid value: ""`) and a hostname that is not a lowercase RFC 1123 subdomain (no underscores, no trailing dot).',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const aliases = podSpecOf(ds)?.hostAliases;
    if (!Array.isArray(aliases)) return [];
    const out: Finding[] = [];
    const c: Checker = { rule: hostAliases, ds, out, minor: ctx.kubernetesMinor };
    const strict = featureEnabled(ctx, 'StrictIPCIDRValidation');
    aliases.forEach((alias, i) => {
      if (!isRecord(alias) || isBadType(alias.ip, 'string')) return;
      const ip = typeof alias.ip === 'string' ? alias.ip : '';
      for (const msg of isValidIPForLegacyField(ip, strict)) {
        const f = report(c, [...HOST_ALIASES, i, 'ip'], 'Invalid', msg, ip);
        if (alias.ip === undefined) f.span = firstKeySpan(ds, [...HOST_ALIASES, i], alias) ?? f.span;
      }
      if (!Array.isArray(alias.hostnames)) return;
      alias.hostnames.forEach((hostname, j) => {
        if (typeof hostname !== 'string') return;
        for (const msg of isDNS1123Subdomain(hostname)) report(c, [...HOST_ALIASES, i, 'hostnames', j], 'Invalid', msg, hostname);
      });
    });
    return out;
  },
};
