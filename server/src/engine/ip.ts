/**
 * apimachinery/pkg/util/validation/ip.go IsValidIPForLegacyField: the IP address check of the fields
 * that predate strict IP validation (hostAliases[].ip, dnsConfig.nameservers[]). The address is parsed
 * with k8s.io/utils/net ParseIPSloppy (Go 1.16's net.ParseIP: leading zeros allowed); with
 * StrictIPCIDRValidation, what netip.ParseAddr then rejects is reported as leading zeros, and an
 * IPv4-mapped IPv6 address is rejected.
 */

const INVALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** The error details for `value`, none when it is valid. */
export function isValidIPForLegacyField(value: string, strictValidation: boolean): string[] {
  const ip = parseIPSloppy(value);
  if (!ip) return [INVALID_IP];
  const errs: string[] = [];
  if (strictValidation) {
    if (!parsesStrictly(value)) errs.push('must not have leading 0s');
    else if (value.includes(':') && isIPv4Mapped(ip)) errs.push('must not be an IPv4-mapped IPv6 address');
  }
  return errs;
}

const BIG = 0xffffff;

/** Go 1.16 net.parseIPv4 (dtoi: any number of digits below `big`, each octet at most 255). */
function parseIPv4(s: string): number[] | undefined {
  const out: number[] = [];
  let i = 0;
  for (let k = 0; k < 4; k++) {
    if (i >= s.length) return undefined;
    if (k > 0) {
      if (s[i] !== '.') return undefined;
      i++;
    }
    let n = 0;
    const start = i;
    while (i < s.length && s[i] >= '0' && s[i] <= '9') {
      n = n * 10 + (s.charCodeAt(i) - 48);
      if (n >= BIG) return undefined;
      i++;
    }
    if (i === start || n > 0xff) return undefined;
    out.push(n);
  }
  return i === s.length ? out : undefined;
}

/** Go 1.16 net.xtoi: a hexadecimal number at the start of `s`, and how many characters it took. */
function xtoi(s: string): [number, number] | undefined {
  let n = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const d = parseInt(s[i], 16);
    if (Number.isNaN(d)) break;
    n = n * 16 + d;
    if (n >= BIG) return undefined;
  }
  return i === 0 ? undefined : [n, i];
}

/** Go 1.16 net.parseIPv6 (16 bytes; a trailing dotted IPv4 part allowed, at most one `::`). */
function parseIPv6(input: string): number[] | undefined {
  const ip = new Array<number>(16).fill(0);
  let s = input;
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return ip;
  }
  let i = 0;
  while (i < 16) {
    const hex = xtoi(s);
    if (!hex || hex[0] > 0xffff) return undefined;
    const [n, c] = hex;
    if (c < s.length && s[c] === '.') {
      if (ellipsis < 0 && i !== 12) return undefined;
      if (i + 4 > 16) return undefined;
      const ip4 = parseIPv4(s);
      if (!ip4) return undefined;
      ip.splice(i, 4, ...ip4);
      s = '';
      i += 4;
      break;
    }
    ip[i] = n >> 8;
    ip[i + 1] = n & 0xff;
    i += 2;
    s = s.slice(c);
    if (s.length === 0) break;
    if (s[0] !== ':' || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j];
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return undefined;
  }
  return ip;
}

/** k8s.io/utils/net ParseIPSloppy: the 16-byte address, IPv4 as IPv4-mapped; undefined when it does not parse. */
function parseIPSloppy(s: string): number[] | undefined {
  for (const ch of s) {
    if (ch === '.') {
      const v4 = parseIPv4(s);
      return v4 && [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4];
    }
    if (ch === ':') return parseIPv6(s);
  }
  return undefined;
}

/**
 * Whether netip.ParseAddr accepts what ParseIPSloppy accepted: it differs in rejecting IPv4 octets
 * with leading zeros and IPv6 groups of more than four hex digits.
 */
function parsesStrictly(s: string): boolean {
  const octetsOk = (v4: string) => v4.split('.').every((o) => o.length <= 3 && (o.length === 1 || o[0] !== '0'));
  if (!s.includes(':')) return octetsOk(s);
  const groups = s.split(':');
  const last = groups[groups.length - 1];
  if (last.includes('.')) {
    if (!octetsOk(last)) return false;
    groups.pop();
  }
  return groups.every((g) => g.length <= 4);
}

/** netip.Addr.Is4In6: ::ffff:a.b.c.d. */
function isIPv4Mapped(ip: number[]): boolean {
  return ip.slice(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;
}
