/**
 * Plain scalars that kubectl reads as numbers. kubectl and Helm turn YAML into JSON with
 * sigs.k8s.io/yaml over go-yaml v2, whose `resolve` (goyaml.v2/resolve.go, go.yaml.in/yaml/v2 v2.4)
 * reads a plain scalar by its first character: a digit or a sign drops every `_` and tries
 * strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64), then ParseFloat for YAML-style floats,
 * then a `0b` binary; a `.` tries ParseFloat on the text as written. So `0644` is octal 420,
 * `0_644`, `8_080` and `1_000` are integers, `-0x1F`, `0B101` and `+0o17` too, and `1_000.5` is a
 * float, where the YAML 1.2 core schema of the `yaml` package reads `0644` as 644 and the others as
 * strings. The other way round, a hexadecimal or octal number beyond 64 bits, or a float beyond
 * float64 (`1e400`), is a string to go-yaml, where the core schema reads a number.
 */

/** go-yaml's resolve map: the floats it looks up by name (the core schema reads the same ones). */
const MAP_FLOATS: Readonly<Record<string, number>> = {
  '.nan': NaN, '.NaN': NaN, '.NAN': NaN,
  '.inf': Infinity, '.Inf': Infinity, '.INF': Infinity,
  '+.inf': Infinity, '+.Inf': Infinity, '+.INF': Infinity,
  '-.inf': -Infinity, '-.Inf': -Infinity, '-.INF': -Infinity,
};

/** resolve.go yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/**
 * strconv.ParseFloat's syntax for a decimal starting with `.`: digits, an optional exponent, and
 * underscores only between digits (strconv underscoreOK).
 */
const GO_DOT_FLOAT = /^\.[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+(?:_[0-9]+)*)?$/;

const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_INT64 = (1n << 63n) - 1n;

/**
 * strconv.ParseUint(s, base, 64) for base 0 (a `0b`, `0o` or `0x` prefix of either case followed by
 * at least one more character, else a leading `0` for octal, else decimal), 2 or 8; no sign.
 * Undefined on a syntax or range error.
 */
function parseUint64(s: string, base: 0 | 2 | 8): bigint | undefined {
  if (s === '') return undefined;
  let b: number = base;
  if (base === 0) {
    b = 10;
    if (s[0] === '0') {
      const p = s.length >= 3 ? s[1].toLowerCase() : '';
      if (p === 'b' || p === 'o' || p === 'x') {
        b = p === 'b' ? 2 : p === 'o' ? 8 : 16;
        s = s.slice(2);
      } else {
        b = 8;
        s = s.slice(1);
      }
    }
  }
  const big = BigInt(b);
  let n = 0n;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // strconv's lower(c): a byte | 0x20, so only ASCII letters are digits.
    const d = c >= 48 && c <= 57 ? c - 48 : (c | 0x20) >= 97 && (c | 0x20) <= 122 ? (c | 0x20) - 87 : 99;
    if (d >= b) return undefined;
    n = n * big + BigInt(d);
    if (n > MAX_UINT64) return undefined;
  }
  return n;
}

/** strconv.ParseInt(s, base, 64): an optional sign, then ParseUint, within int64. */
function parseInt64(s: string, base: 0 | 2 | 8): bigint | undefined {
  const neg = s[0] === '-';
  const un = parseUint64(neg || s[0] === '+' ? s.slice(1) : s, base);
  if (un === undefined) return undefined;
  if (!neg && un > MAX_INT64) return undefined;
  if (neg && un > MAX_INT64 + 1n) return undefined;
  return neg ? -un : un;
}

/** strconv.ParseFloat(s, 64) of text that has its syntax: undefined where it overflows (ErrRange). */
function parseFloat64(s: string): number | undefined {
  const f = parseFloat(s.replace(/_/g, ''));
  return Number.isFinite(f) ? f : undefined;
}

/**
 * The number go-yaml v2 resolves the plain scalar `source` to (goyaml.v2/resolve.go `resolve` for an
 * untagged scalar; an int64, a uint64 or a float64 there), or undefined when it is not a number there
 * (a string, a boolean, null, a timestamp: timestamps never read as numbers).
 */
export function goYamlNumber(source: string): number | undefined {
  const c = source.charCodeAt(0);
  const dot = c === 46;
  // resolveTable: only a digit, a sign or a dot can start a number.
  if (!dot && !(c >= 48 && c <= 57) && c !== 43 && c !== 45) return undefined;
  const mapped = MAP_FLOATS[source];
  if (mapped !== undefined) return mapped;
  if (dot) return GO_DOT_FLOAT.test(source) ? parseFloat64(source) : undefined;
  const plain = source.replace(/_/g, '');
  const int = parseInt64(plain, 0) ?? parseUint64(plain, 0);
  if (int !== undefined) return Number(int);
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = parseFloat64(plain);
    if (f !== undefined) return f;
  }
  // The digits after `0b` go to ParseInt with base 2, which takes a sign: `0b-1` is -1.
  let bin: bigint | undefined;
  if (plain.startsWith('0b')) bin = parseInt64(plain.slice(2), 2) ?? parseUint64(plain.slice(2), 2);
  else if (plain.startsWith('-0b')) bin = parseInt64(`-${plain.slice(3)}`, 2);
  return bin === undefined ? undefined : Number(bin);
}

/** Numbers both read alike and that the core schema keeps (short decimals, floats whose exponent cannot overflow, .inf, .nan). */
const SAME_IN_CORE = /^(?:\+?0|[-+]?[1-9][0-9]{0,14}|[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]{1,2})?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** What the core schema reads as a number (its int, intOct, intHex, float and floatExp tests). */
const CORE_NUMBER = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

/**
 * A tag's `test` for `yaml`, which calls only `test`: the plain scalars whose value go-yaml and the
 * core schema disagree on, or may (go-yaml's numbers, and the core schema's, but the short ones read
 * alike and left to the core schema's own tags).
 */
class GoYamlNumberTest extends RegExp {
  constructor() {
    super('^[-+.0-9]');
  }
  override test(source: string): boolean {
    const c = source.charCodeAt(0);
    if (c !== 43 && c !== 45 && c !== 46 && !(c >= 48 && c <= 57)) return false;
    if (source.length <= 32 && SAME_IN_CORE.test(source)) return false;
    return goYamlNumber(source) !== undefined || CORE_NUMBER.test(source);
  }
}

/**
 * go-yaml v2's numbers as a `yaml` tag, put before the core schema's tags: a plain scalar that it
 * matches resolves to go-yaml's number, or stays the string go-yaml reads. When stringifying, a
 * string it matches is quoted, so that kubectl reads it back as a string (`'0_644'`); numbers are
 * written by the core schema's tags (it identifies none), in forms go-yaml reads alike.
 */
export const goYamlNumberTag = {
  default: true as const,
  tag: 'tag:yaml.org,2002:int',
  test: new GoYamlNumberTest(),
  resolve: (source: string): number | string => goYamlNumber(source) ?? source,
};
