/**
 * Kubernetes resource quantities, mirroring apimachinery/pkg/api/resource/quantity.go
 * (ParseQuantity, parseQuantityString, (*Quantity).UnmarshalJSON) and suffix.go
 * (quantitySuffixer.interpret). Values are returned as plain numbers in base units
 * (cores for cpu, bytes for memory): exact enough for comparisons and display.
 */

const SPLIT_RE_STRING = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

/** ErrFormatWrong and ErrSuffix of quantity.go. (ErrNumeric needs a numerator longer than the
 * decimal fast path allows and one inf.Dec cannot read, which the split above already excludes.) */
const ERR_FORMAT_WRONG = `quantities must match the regular expression '${SPLIT_RE_STRING}'`;
const ERR_SUFFIX = "unable to parse quantity's suffix";

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** suffix.go: decimal SI powers of ten and binary SI powers of two. */
const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

interface Parsed {
  positive: boolean;
  /** The numeric part as written, with its sign (quantity.go `value`). */
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

const isDigit = (c: string) => c >= '0' && c <= '9';

/** quantity.go parseQuantityString: splits sign, numerator, denominator and suffix. */
function parseQuantityString(str: string): Parsed | 'format' {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') {
      pos++;
    }
  }
  // Strip leading zeros; a string of only zeros is 0.
  for (;;) {
    if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
    if (str[pos] !== '0') break;
    pos++;
  }
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  if (i >= end) return { positive, value: str, num: num || '0', denom: '', suffix: '' };
  pos = i;
  if (num.length === 0) num = '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  i = pos;
  while (i < end && 'eEinumkKMGTP'.includes(str[i])) i++;
  if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  pos = i;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  // A non-digit after the exponent: the suffix is malformed.
  return 'format';
}

/** suffix.go quantitySuffixer.interpret: base, exponent and format of a suffix. */
function interpret(suffix: string): { base: 2 | 10; exponent: number; format: Format } | undefined {
  if (suffix in DECIMAL_SUFFIXES) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix], format: 'DecimalSI' };
  if (suffix in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[suffix], format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'E' || suffix[0] === 'e')) {
    // strconv.ParseInt(s[1:], 10, 64): an optional sign and at least one digit.
    const exp = suffix.slice(1);
    if (/^[+-]?[0-9]+$/.test(exp)) {
      const n = Number(exp);
      if (Number.isFinite(n)) return { base: 10, exponent: n, format: 'DecimalExponent' };
    }
  }
  return undefined;
}

/** The text ParseQuantity sees for a JSON/YAML value (Quantity.UnmarshalJSON), or null for JSON null. */
function quantityText(v: unknown): string | null | undefined {
  if (v === null) return null;
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === 'bigint') return String(v);
  return undefined;
}

interface Exact {
  /** The amount in units of 10^-9, rounded up (away from zero) as ParseQuantity rounds to Nano. */
  nanos: bigint;
  format: Format;
}

interface Result {
  exact?: Exact;
  error?: string;
}

const NANO = 1_000_000_000n;
/** quantity.go maxAllowed (int64 max), in nanos. */
const MAX_ALLOWED_NANOS = (2n ** 63n - 1n) * NANO;
/** Beyond this, amounts are far outside anything a cluster can hold; clamp instead of computing 10^huge. */
const MAX_POW10 = 60;

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/** quantity.go ParseQuantity, as an exact amount or the upstream error text. */
function parse(v: unknown): Result {
  const str = quantityText(v);
  // UnmarshalJSON leaves a null quantity as zero.
  if (str === null) return { exact: { nanos: 0n, format: 'DecimalSI' } };
  // Booleans, maps and sequences reach ParseQuantity as their JSON text, which never matches.
  if (str === undefined) return { error: ERR_FORMAT_WRONG };
  if (str.length === 0) return { error: ERR_FORMAT_WRONG };
  if (str === '0') return { exact: { nanos: 0n, format: 'DecimalSI' } };
  const p = parseQuantityString(str);
  if (p === 'format') return { error: ERR_FORMAT_WRONG };
  const suf = interpret(p.suffix);
  if (!suf) return { error: ERR_SUFFIX };
  // A sign or a dot with no digits ("+", ".") is zero upstream too (the fast path parses "0").
  const digits = BigInt(`${p.num}${p.denom}`);
  let nanos: bigint;
  if (digits === 0n) nanos = 0n;
  else if (suf.base === 2) {
    nanos = ceilDiv(digits * 2n ** BigInt(suf.exponent) * NANO, 10n ** BigInt(p.denom.length));
  } else {
    const shift = suf.exponent - p.denom.length + 9;
    if (shift > MAX_POW10) nanos = 10n ** BigInt(MAX_POW10);
    else if (shift >= 0) nanos = digits * 10n ** BigInt(shift);
    else if (-shift > MAX_POW10 + 20) nanos = 1n; // non-zero amounts below 1n round up to 1n
    else nanos = ceilDiv(digits, 10n ** BigInt(-shift));
  }
  if (suf.format === 'BinarySI' && nanos > MAX_ALLOWED_NANOS) nanos = MAX_ALLOWED_NANOS;
  return { exact: { nanos: p.positive ? nanos : -nanos, format: suf.format } };
}

const DECIMAL_SUFFIX_BY_EXP: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIX_BY_EXP = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** (*Quantity).String / CanonicalizeBytes: the canonical text the API server prints. */
function canonical(q: Exact): string {
  if (q.nanos === 0n) return '0';
  const sign = q.nanos < 0n ? '-' : '';
  const abs = q.nanos < 0n ? -q.nanos : q.nanos;
  let format = q.format;
  if (format === 'BinarySI') {
    // Small or fractional binary amounts are written in decimal to avoid rounding.
    if (abs < 1024n * NANO || abs % NANO !== 0n) format = 'DecimalSI';
    else {
      let n = abs / NANO;
      let exp = 0;
      while (n % 1024n === 0n && exp < BINARY_SUFFIX_BY_EXP.length - 1) {
        n /= 1024n;
        exp++;
      }
      return `${sign}${n}${BINARY_SUFFIX_BY_EXP[exp]}`;
    }
  }
  // AsCanonicalBytes: remove factors of ten, then lower the exponent to a multiple of three.
  let mantissa = abs;
  let exp = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exp++;
  }
  const rem = ((exp % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(rem);
  exp -= rem;
  let suffix: string;
  if (format === 'DecimalExponent') suffix = exp === 0 ? '' : `e${exp}`;
  else suffix = DECIMAL_SUFFIX_BY_EXP[exp] ?? `e${exp}`;
  return `${sign}${mantissa}${suffix}`;
}

/**
 * `parse` results by text. The same few quantities ("100m", "128Mi") recur in every container of
 * every DaemonSet, and each is parsed several times (placement, two rules) with BigInt arithmetic.
 * Results are never modified. Bounded: cleared when full.
 */
const parsedByText = new Map<string, Result>();
const PARSED_CAPACITY = 4096;

function parseCached(v: unknown): Result {
  if (typeof v !== 'string') return parse(v);
  let r = parsedByText.get(v);
  if (!r) {
    r = parse(v);
    if (parsedByText.size >= PARSED_CAPACITY) parsedByText.clear();
    parsedByText.set(v, r);
  }
  return r;
}

/** `canonical` of each cached exact amount. */
const canonicalByExact = new WeakMap<Exact, string>();

/** Parses a resource quantity ("100m", "1.5Gi", 2, "1e3") into base units; undefined when invalid. */
export function parseQuantity(v: unknown): number | undefined {
  const q = parseCached(v).exact;
  return q ? Number(q.nanos) / 1e9 : undefined;
}

/** The canonical form the API server prints for a quantity ("0.5" → "500m", "1024Mi" → "1Gi"); undefined when invalid. */
export function canonicalQuantity(v: unknown): string | undefined {
  const q = parseCached(v).exact;
  return q ? quantityString(q) : undefined;
}

/** Compares two quantities exactly (Quantity.Cmp): -1, 0 or 1; undefined when either is invalid. */
export function compareQuantities(a: unknown, b: unknown): -1 | 0 | 1 | undefined {
  const x = parseCached(a).exact;
  const y = parseCached(b).exact;
  return x && y ? cmpQuantities(x, y) : undefined;
}

/** The upstream ParseQuantity error text for an invalid quantity; undefined when valid. */
export function quantityError(v: unknown): string | undefined {
  return parseCached(v).error;
}

/** A parsed quantity (resource.Quantity), exact, for sums that must print as the API server prints them. */
export type Quantity = Readonly<Exact>;

/** ParseQuantity of a manifest value; undefined when invalid. Never modify the result. */
export function quantityOf(v: unknown): Quantity | undefined {
  return parseCached(v).exact;
}

/** (*Quantity).Add: the sum keeps the format of `a`, unless `a` is zero. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

/** Quantity.Cmp: -1, 0 or 1. */
export function cmpQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** (*Quantity).String: the canonical text ("1500m", "1Gi"). */
export function quantityString(q: Quantity): string {
  let c = canonicalByExact.get(q);
  if (c === undefined) canonicalByExact.set(q, (c = canonical(q)));
  return c;
}

const BINARY_UNITS: Array<[string, number]> = [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
const DECIMAL_UNITS: Array<[string, number]> = [['E', 1e18], ['P', 1e15], ['T', 1e12], ['G', 1e9], ['M', 1e6], ['k', 1e3]];

function trimNumber(n: number, decimals: number): string {
  const s = n.toFixed(decimals);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function formatBytes(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  // Whole decimal multiples that are not binary ones ("1G") read best in decimal form.
  for (const [unit, size] of DECIMAL_UNITS) {
    if (abs >= size && Number.isInteger(abs / size) && !BINARY_UNITS.some(([, b]) => abs >= b && Number.isInteger(abs / b))) {
      return `${sign}${abs / size}${unit}`;
    }
  }
  for (const [unit, size] of BINARY_UNITS) {
    if (abs >= size) return `${sign}${trimNumber(abs / size, 2)}${unit}`;
  }
  return `${sign}${trimNumber(abs, 2)}`;
}

function formatCpu(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const milli = value * 1000;
  if (Math.abs(milli) >= 1 || value === 0) return `${trimNumber(milli, 3)}m`;
  return `${trimNumber(value * 1e6, 3)}u`;
}

/** Human form of a quantity: cpu as "250m"/"2", memory and ephemeral-storage as "200Mi"/"1.5Gi", others plain. */
export function formatQuantity(value: number, resource: string): string {
  if (!Number.isFinite(value)) return String(value);
  if (resource === 'cpu' || resource.endsWith('/cpu')) return formatCpu(value);
  if (resource === 'memory' || resource === 'ephemeral-storage' || resource.startsWith('hugepages-') || resource.endsWith('/memory')) {
    return formatBytes(value);
  }
  return trimNumber(value, 3);
}
