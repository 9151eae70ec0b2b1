import { keySpan, valueSpan } from '../ast';
import { featureEnabled } from '../featureGates';
import { isValidIPForLegacyField } from '../ip';
import { isDNS1123Subdomain, isDNS1123SubdomainWithUnderscore } from '../k8sNames';
import { firstKeySpan, isRecord, POD_SPEC, podSpecOf } from '../podTemplate';
import { isBadType, report, reportMissing, stringList, type Checker } from '../securityValidation';
import { utf8Length } from '../text';
import type { Finding } from '../types';
import type { Rule } from './rule';

const DNS_CONFIG = [...POD_SPEC, 'dnsConfig'];
const DNS_POLICY = [...POD_SPEC, 'dnsPolicy'];
/** Limits on DNS parameters, from libc name resolution (MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars). */
const MAX_DNS_NAMESERVERS = 3;
const MAX_DNS_SEARCH_PATHS = 32;
const MAX_DNS_SEARCH_LIST_CHARS = 2048;

/**
 * pkg/apis/core/validation/validation.go validatePodDNSConfig: with `dnsPolicy: None`, dnsConfig and at
 * least one nameserver are required; at most 3 nameservers, each an IP address
 * (IsValidIPForLegacyField, strict with StrictIPCIDRValidation); at most 32 search domains and 2048
 * characters in all, each a DNS subdomain once a trailing dot is dropped (underscores and a lone "."
 * allowed with RelaxedDNSSearchValidation, which pkg/api/pod useRelaxedDNSSearchValidation turns on with
 * its gate, on by default since 1.33); each option needs a name.
 */
export const dnsConfig: Rule = {
  id: 'dns-config',
  description: 'dnsConfig must be given with dnsPolicy: None and hold at most 3 valid nameserver IPs, valid search domains and named options.',
  help: 'Upstream validatePodDNSConfig requires `dnsConfig` with at least one nameserver when `dnsPolicy` is None, and rejects more than 3 nameservers, a nameserver that is not an IP address, more than 32 search domains or 2048 characters of them, a search domain that is not a DNS subdomain (a trailing dot is allowed; underscores and "." too since 1.33), and an option without a name.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const spec = podSpecOf(ds);
    if (!spec) return [];
    const out: Finding[] = [];
    const c: Checker = { rule: dnsConfig, ds, out, minor: ctx.kubernetesMinor };
    const config = spec.dnsConfig;
    if (isBadType(config, 'map')) return out;
    if (spec.dnsPolicy === 'None' && !ds.partial) {
      // A Kustomize patch merges into a base that may carry the config.
      if (!isRecord(config)) {
        const f = report(c, DNS_CONFIG, 'Required', 'must provide `dnsConfig` when `dnsPolicy` is None');
        f.span = keySpan(ds, DNS_CONFIG) ?? valueSpan(ds, DNS_POLICY) ?? f.span;
        return out;
      }
      if (isBadType(config.nameservers, 'list')) return out;
      if (!Array.isArray(config.nameservers) || config.nameservers.length === 0) {
        reportMissing(c, DNS_CONFIG, config, 'nameservers', 'must provide at least one DNS nameserver when `dnsPolicy` is None');
        return out;
      }
    }
    if (!isRecord(config)) return out;
    const { nameservers, searches, options } = config;
    if (Array.isArray(nameservers)) {
      if (nameservers.length > MAX_DNS_NAMESERVERS) {
        const f = report(c, [...DNS_CONFIG, 'nameservers'], 'Invalid', `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`, stringList(c.minor, nameservers));
        f.span = keySpan(ds, [...DNS_CONFIG, 'nameservers']) ?? f.span;
      }
      const strict = featureEnabled(ctx, 'StrictIPCIDRValidation');
      nameservers.forEach((ns, i) => {
        if (typeof ns !== 'string') return;
        for (const msg of isValidIPForLegacyField(ns, strict)) report(c, [...DNS_CONFIG, 'nameservers', i], 'Invalid', msg, ns);
      });
    }
    if (Array.isArray(searches)) {
      const searchesPath = [...DNS_CONFIG, 'searches'];
      const tooMany = (detail: string) => {
        const f = report(c, searchesPath, 'Invalid', detail, stringList(c.minor, searches));
        f.span = keySpan(ds, searchesPath) ?? f.span;
      };
      if (searches.length > MAX_DNS_SEARCH_PATHS) tooMany(`must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`);
      const joined = searches.map((s) => (typeof s === 'string' ? s : '')).join(' ');
      if (utf8Length(joined) > MAX_DNS_SEARCH_LIST_CHARS) tooMany(`must not have more than ${MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list`);
      const relaxed = featureEnabled(ctx, 'RelaxedDNSSearchValidation');
      searches.forEach((search, i) => {
        if (typeof search !== 'string') return;
        if (relaxed && search === '.') return;
        const trimmed = search.endsWith('.') ? search.slice(0, -1) : search;
        const msgs = relaxed ? isDNS1123SubdomainWithUnderscore(trimmed) : isDNS1123Subdomain(trimmed);
        for (const msg of msgs) report(c, [...searchesPath, i], 'Invalid', msg, trimmed);
      });
    }
    if (Array.isArray(options)) {
      options.forEach((option, i) => {
        if (!isRecord(option) || isBadType(option.name, 'string')) return;
        if (typeof option.name === 'string' && option.name.length > 0) return;
        const path = [...DNS_CONFIG, 'options', i];
        const f = report(c, path, 'Required', 'must not be empty');
        f.span = (option.name === undefined ? firstKeySpan(ds, path, option) : valueSpan(ds, [...path, 'name'])) ?? f.span;
      });
    }
    return out;
  },
};
