import { CST, Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { isScalar } from './yamlNodes';
import { withGoYamlScalars } from './goYamlBool';

/**
 * A fast path for the plain block YAML that Kubernetes manifests are made of.
 *
 * `parseFastChunk` reads one chunk (one YAML document) and returns exactly what `yaml`'s
 * `parseAllDocuments` returns for it — the same node classes, values, scalar types, sources,
 * formats and ranges (every range[0..2]) — together with the plain value `doc.toJS()` would give,
 * or `undefined` whenever the text leaves the subset it knows. The caller then parses the chunk
 * with `yaml` itself, so anything unusual (anchors, aliases, merge keys, tags, multi-line flow
 * collections, empty values, directives, tabs, duplicate keys, any syntax error) gets `yaml`'s own
 * values and diagnostics. test/unit/fastYaml.test.ts compares both parsers on
 * every manifest in the repository and on thousands of mutated ones.
 *
 * The subset: a document whose root is a block mapping at column 0, optionally preceded by `---`;
 * block mappings and sequences (indented or not, compact `- key: value` items); plain and quoted
 * scalars, also over several lines (on the key's line or under it: CustomResourceDefinitions'
 * descriptions), and block scalars; one-line flow collections of one-line scalars; comments and
 * blank lines anywhere.
 *
 * The ranges follow `yaml`'s parser (parse/parser.js): a scalar that ends a line owns the rest of
 * the line and its line break, and also the comment lines indented deeper than its collection that
 * directly follow it (`atIndentedComment`); a collection keeps the comment lines that follow its
 * last item when one of them is at least as indented as the collection (`pop`), else they pass to
 * its parent. Comments themselves are not kept on the nodes: nothing in the engine reads them.
 */

export interface FastChunk {
  docs: Document.Parsed[];
  values: unknown[];
}

/** As model.ts reads a chunk, but for merge keys, which the fast path leaves to it. */
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, logLevel: 'error', customTags: withGoYamlScalars } as const;

/** Thrown inside the parser when the text leaves the subset; never escapes `parseFastChunk`. */
const BAIL: unique symbol = Symbol('bail');

/** Deepest nesting of collections the fast path reads (real manifests nest about 15 deep). */
const MAX_DEPTH = 64;

const BLANK = 0;
const COMMENT = 1;
const CONTENT = 2;

/**
 * Nodes are made from prototypes that carry yaml's node-type mark (identity.js `NODE_TYPE`), rather
 * than by the constructors, which define that mark on every node with Object.defineProperty: a
 * 1,000-document file has some 180,000 nodes. The nodes are still instances of yaml's classes,
 * and yaml's own predicates (`isScalar`, `isMap`…) read the mark through the prototype.
 */
const NODE_TYPE = Symbol.for('yaml.node.type');
function nodePrototype<T extends object>(cls: { prototype: T }, type: string, own: Record<string, unknown> = {}, ranged = true): T {
  const proto = Object.create(cls.prototype) as T;
  Object.defineProperty(proto, NODE_TYPE, { value: Symbol.for(type) });
  for (const [k, v] of Object.entries(own)) Object.defineProperty(proto, k, { value: v, configurable: true, enumerable: false, writable: true });
  if (ranged) Object.defineProperty(proto, 'range', RANGE);
  return proto;
}

/**
 * A node's range is kept as three numbers on the node (`r0`, `r1`, `r2`) and read as yaml's
 * `[start, valueEnd, nodeEnd]` array, made on first read and kept: most nodes' ranges are never
 * read, and 180,000 arrays of three were a fifth of what a 1,000-document file's tree kept alive.
 * Writing `range` (yaml's `clone` does) replaces the array. Every node is made with the
 * `rangeArray` field already there (undefined): a field added on the first read would change the
 * node's hidden class and grow a property store behind it, and the first hover in a DaemonSet, which
 * reads the ranges of some fifty nodes never read before, spent most of its time doing that.
 */
interface Ranged {
  r0: number;
  r1: number;
  r2: number;
  rangeArray?: [number, number, number];
}
const RANGE: PropertyDescriptor = {
  get(this: Ranged) {
    return (this.rangeArray ??= [this.r0, this.r1, this.r2]);
  },
  set(this: Ranged, r: [number, number, number]) {
    this.rangeArray = r;
  },
  configurable: true,
  enumerable: false,
};

/**
 * `node.range[0]` and `node.range[1]` of any node (`undefined` without a range), without making the
 * range array of a fast node whose range was never read: indexing a whole file's keys and values
 * would otherwise build some 180,000 of them.
 */
export function rangeStart(node: object): number | undefined {
  const n = node as Partial<Ranged> & { range?: readonly number[] | null };
  return n.rangeArray ? n.rangeArray[0] : n.r0 !== undefined ? n.r0 : n.range?.[0];
}

export function rangeValueEnd(node: object): number | undefined {
  const n = node as Partial<Ranged> & { range?: readonly number[] | null };
  return n.rangeArray ? n.rangeArray[1] : n.r1 !== undefined ? n.r1 : n.range?.[1];
}

/** Sets a fast node's range (before anything read it). */
function setRange(node: Node | Document.Parsed, start: number, valueEnd: number, nodeEnd: number): void {
  const n = node as unknown as Ranged;
  n.r0 = start;
  n.r1 = valueEnd;
  n.r2 = nodeEnd;
}

/** The end of a fast node's range (`range[2]`), while parsing. */
function rangeEnd(node: Node): number {
  return (node as unknown as Ranged).r2;
}

const SCALAR_PROTO = nodePrototype(Scalar, 'yaml.scalar');
const PAIR_PROTO = nodePrototype(Pair, 'yaml.pair', {}, false);

/*
 * Nodes are object literals that name their prototype (`__proto__`), with every field given up
 * front (a scalar's value, source and style, the packed range), so that the fields sit inside the
 * object. Literals, unlike constructor calls, have allocation sites: V8 sees that the nodes of a
 * large file survive, and allocates the next ones directly where long-lived objects go, instead of
 * copying each of them once or twice in young-generation collections (a 1,000-document file's tree
 * is some 180,000 nodes; those collections took about a third less time while opening it).
 */
function newScalar(value: unknown): Scalar {
  return { __proto__: SCALAR_PROTO, value, source: undefined, type: undefined, r0: 0, r1: 0, r2: 0, rangeArray: undefined } as unknown as Scalar;
}

/** A scalar a tag made (a float keeps its fraction digits) as one of ours, whose range is packed. */
function ownScalar(made: Scalar): Scalar {
  return Object.assign(newScalar(made.value), made);
}

function newPair(key: Scalar, value: Node): Pair {
  return { __proto__: PAIR_PROTO, key, value } as unknown as Pair;
}

/*
 * The items of the collections being read, innermost last, on two stacks shared by every parse: a
 * collection takes its own at its end, as an array of exactly their number. Pushed one by one onto
 * its own array instead, a collection of one or two items kept room for 16 (the first growth of an
 * empty array): some 40 such arrays per DaemonSet were a quarter of what a parsed file kept alive.
 */
const NODES: unknown[] = [];
const VALUES: unknown[] = [];
let nodesTop = 0;
let valuesTop = 0;

function takeNodes<T>(from: number): T[] {
  const out = NODES.slice(from, nodesTop) as T[];
  nodesTop = from;
  return out;
}

function takeValues(from: number): unknown[] {
  const out = VALUES.slice(from, valuesTop);
  valuesTop = from;
  return out;
}

/**
 * Empties the stacks (after a parse, or one given up), so that they keep no node alive, and gives
 * their room back: after one collection of a million items, filling them would cost every later
 * parse as much, and keep their room for good.
 */
function clearStacks(): void {
  NODES.length = 0;
  VALUES.length = 0;
  nodesTop = 0;
  valuesTop = 0;
}

/** What the stacks hold between parses (the tests check it is nothing). */
export function scratchStackLength(): number {
  return NODES.length + VALUES.length;
}

interface ScalarTag {
  default?: boolean | 'key';
  test?: RegExp;
  format?: string;
  resolve(value: string, onError: (msg: string) => void, options: unknown): unknown;
}

let shared: { options: unknown; tags: ScalarTag[]; str: ScalarTag } | undefined;

/** The core schema's scalar tags, from `yaml` itself, so that plain scalars resolve exactly as there. */
function schemaTags(): NonNullable<typeof shared> {
  if (!shared) {
    const doc = new Document(undefined, PARSE_OPTIONS);
    const schema = doc.schema as unknown as { tags: ScalarTag[] } & Record<symbol, ScalarTag>;
    shared = {
      options: doc.options,
      tags: schema.tags.filter((t) => !!t.test && (t.default === true || t.default === 'key')),
      str: schema[Symbol.for('yaml.scalar')],
    };
  }
  return shared;
}

/** The tag of each plain source seen, for values and for keys (the shared schema's tags never change). */
const PLAIN_TAGS: [Map<string, ScalarTag>, Map<string, ScalarTag>] = [new Map(), new Map()];

let collections: { map: YAMLMap; seq: YAMLSeq } | undefined;

/**
 * The prototypes of fast maps and sequences, shared by every document: they carry the schema the
 * collections use (as `new YAMLMap(schema)` gives it), the core schema with the parse options, the
 * same for every document. Shared prototypes keep every map of every document one hidden class.
 */
function collectionPrototypes(): NonNullable<typeof collections> {
  if (!collections) {
    const schema = new Document(undefined, PARSE_OPTIONS).schema;
    collections = { map: nodePrototype(YAMLMap, 'yaml.map', { schema }), seq: nodePrototype(YAMLSeq, 'yaml.seq', { schema }) };
  }
  return collections;
}

function bailOnError(): never {
  throw BAIL;
}

/** Parses one chunk, or returns undefined when `yaml` must do it. Never throws. */
export function parseFastChunk(text: string): FastChunk | undefined {
  if (text.length === 0 || text.includes('\t') || text.charCodeAt(0) === 0xfeff) return undefined;
  // A lone carriage return is a line break for `yaml`; the regular expression only runs where there is one.
  if (text.includes('\r') && /\r(?!\n)/.test(text)) return undefined;
  keptParser ??= new FastParser('');
  try {
    return new FastParser(text).parse();
  } catch {
    // BAIL, or a stack overflow or bug here: `yaml` parses the chunk instead, at no cost to the user.
    return undefined;
  } finally {
    clearStacks();
  }
}

/**
 * A parser that lives as long as the process. A parser otherwise lives only while it parses, and
 * the language server collects garbage at once when a large file closes: a collection that reduces
 * memory also drops the hidden classes of objects no longer alive, and with them the optimised code
 * that expects them. Every file opened after a large one closed was then parsed in unoptimised code
 * again, about a third slower. Keeping one parser keeps the class of parsers, and the code, alive.
 */
let keptParser: FastParser | undefined;

interface Parsed {
  node: Node;
  value: unknown;
}

/** A value that ends its line (scalar or flow collection); the caller attaches indented comments. */
interface Inline extends Parsed {
  /** Index of the line after the one the value ends on. */
  nextLine: number;
}

/** A block collection and the first line of the comment group that follows it, if it passes it up. */
interface Block extends Parsed {
  /** First line of the blank/comment group before the next content line, not kept by this collection. */
  group: number;
}

class FastParser {
  private readonly starts: number[] = [];
  /** Offset of the first non-space character. */
  private readonly contents: number[] = [];
  /** Offset of the line break (`\r\n` or `\n`), or the text length. */
  private readonly ends: number[] = [];
  private readonly kinds: number[] = [];
  private readonly count: number;
  private readonly tags = schemaTags();
  /** Collections open around the current position; deeper documents go to `yaml`, which reports stack exhaustion itself. */
  private depth = 0;
  private readonly doc = new Document(undefined, PARSE_OPTIONS) as Document.Parsed;

  constructor(private readonly text: string) {
    const n = text.length;
    let p = 0;
    while (p < n) {
      let e = text.indexOf('\n', p);
      if (e < 0) e = n;
      let ce = e;
      if (ce > p && text.charCodeAt(ce - 1) === 13) ce--;
      let i = p;
      while (i < ce && text.charCodeAt(i) === 32) i++;
      this.starts.push(p);
      this.contents.push(i);
      this.ends.push(ce);
      this.kinds.push(i === ce ? BLANK : text.charCodeAt(i) === 35 ? COMMENT : CONTENT);
      p = e + 1;
    }
    this.count = this.starts.length;
  }

  private newMap(items: Pair[]): YAMLMap {
    return { __proto__: collectionPrototypes().map, items, r0: 0, r1: 0, r2: 0, rangeArray: undefined } as unknown as YAMLMap;
  }

  private newSeq(items: unknown[]): YAMLSeq {
    return { __proto__: collectionPrototypes().seq, items, r0: 0, r1: 0, r2: 0, rangeArray: undefined } as unknown as YAMLSeq;
  }

  private indent(line: number): number {
    return this.contents[line] - this.starts[line];
  }

  /** Start of the line after `line` (the text length after the last line). */
  private lineAfter(line: number): number {
    return line + 1 < this.count ? this.starts[line + 1] : this.text.length;
  }

  /** First content line at or after `line`, or `count`. */
  private nextContent(line: number): number {
    while (line < this.count && this.kinds[line] !== CONTENT) line++;
    return line;
  }

  parse(): FastChunk {
    const text = this.text;
    let line = 0;
    let docStart = false;
    if (text.startsWith('---')) {
      const c = text.charCodeAt(3);
      if (!(Number.isNaN(c) || c === 32 || c === 10 || c === 13)) throw BAIL;
      // Only spaces and a comment may follow the marker.
      const rest = text.slice(3, this.ends[0]).trimStart();
      if (rest !== '' && !rest.startsWith('#')) throw BAIL;
      docStart = true;
      line = 1;
    }
    const first = this.nextContent(line);
    if (first >= this.count || this.indent(first) !== 0) throw BAIL;
    for (let l = first; l < this.count; l++) {
      if (this.kinds[l] !== CONTENT || this.indent(l) !== 0) continue;
      const c0 = text.charCodeAt(this.starts[l]);
      // Document markers and directives belong to `yaml`.
      if ((c0 === 45 || c0 === 46) && /^(?:---|\.\.\.)(?:[ \r\n]|$)/.test(text.slice(this.starts[l], this.starts[l] + 4))) throw BAIL;
      if (c0 === 37 /* % */) throw BAIL;
    }
    const root = this.blockMap(first, this.starts[first]);
    if (this.nextContent(root.group) < this.count) throw BAIL;
    const doc = this.doc;
    if (docStart) doc.directives.docStart = true;
    doc.contents = root.node as never;
    // The document starts at its marker, or at the first content line; the trailing comments and
    // blank lines that no collection kept are its end.
    const offset = docStart ? 0 : this.starts[first];
    const contentEnd = rangeEnd(root.node);
    // An empty value at the very end keeps the last lines in its separator: they are not the document's.
    doc.range = [offset, contentEnd, root.group < this.count ? text.length : contentEnd];
    return { docs: [doc], values: [root.value] };
  }

  // -------------------------------------------------------------------------------------------
  // Block collections

  /**
   * A block mapping whose first key starts at `keyStart` on `line` (a line of its own, or the rest
   * of a `- ` item line). Its indentation is the key's column.
   */
  private blockMap(line: number, keyStart: number): Block {
    if (++this.depth > MAX_DEPTH) throw BAIL;
    const block = this.blockMapAt(line, keyStart);
    this.depth--;
    return block;
  }

  private blockMapAt(line: number, keyStart: number): Block {
    const text = this.text;
    const m = keyStart - this.starts[line];
    const from = nodesTop;
    const obj: Record<string, unknown> = {};
    let at = keyStart;
    let end = keyStart;
    let group = line;
    for (;;) {
      const key = this.key(line, at);
      // Keys equal for `yaml` (uniqueKeys) have equal string forms, so this also catches its duplicates.
      const sk = typeof key.value === 'string' ? key.value : stringKey(key.value);
      if (sk === '__proto__' || Object.prototype.hasOwnProperty.call(obj, sk)) throw BAIL;
      let p = key.colon + 1;
      const lineEnd = this.ends[line];
      while (p < lineEnd && text.charCodeAt(p) === 32) p++;
      let value: Parsed;
      if (p === lineEnd || text.charCodeAt(p) === 35 /* # */) {
        if (p < lineEnd && p === key.colon + 1) throw BAIL; // `key:#` is not a comment
        // The value starts on a later line: a more indented collection, or a sequence at this indent.
        const next = this.nextContent(line + 1);
        const ind = next < this.count ? this.indent(next) : -1;
        const dash = ind >= 0 && text.charCodeAt(this.contents[next]) === 45 && this.isSeqIndicator(this.contents[next]);
        if (ind > m && !dash && !this.isKeyLine(next, this.contents[next])) {
          // A scalar on the lines under the key (CRD descriptions): a plain or quoted scalar only,
          // after nothing but the line break and blank lines.
          if (p < lineEnd) throw BAIL;
          for (let l = line + 1; l < next; l++) if (this.kinds[l] === COMMENT) throw BAIL;
          const q = this.contents[next];
          const c = text.charCodeAt(q);
          if (c !== 34 && c !== 39 && !plainStart(text, q, false)) throw BAIL;
          const v = this.lineValue(next, q, m);
          value = v;
          group = v.nextLine;
        } else if (ind > m || (ind === m && dash)) {
          const block = dash ? this.blockSeq(next) : this.blockMap(next, this.contents[next]);
          value = block;
          group = block.group;
        } else {
          // An empty value: a null scalar just after `:` and its spaces (util-empty-scalar-position.js).
          // The lines up to the next item stay in the pair's separator: no collection keeps them. With
          // a comment among them the scalar's range reaches over it: that is left to `yaml`.
          if (p < lineEnd) throw BAIL;
          for (let l = line + 1; l < next; l++) if (this.kinds[l] === COMMENT) throw BAIL;
          const s = this.plain('', false);
          setRange(s, p, p, p);
          value = { node: s, value: s.value };
          group = next;
        }
      } else {
        const v = this.lineValue(line, p, m);
        value = v;
        group = v.nextLine;
      }
      NODES[nodesTop++] = newPair(key.node, value.node);
      obj[sk] = value.value;
      end = rangeEnd(value.node);
      const next = this.nextContent(group);
      if (next < this.count) {
        const ind = this.indent(next);
        if (ind > m) throw BAIL;
        if (ind === m) {
          const c = text.charCodeAt(this.contents[next]);
          if (c === 45 && this.isSeqIndicator(this.contents[next])) throw BAIL; // a sequence after a value
          line = next;
          at = this.contents[next];
          continue;
        }
      }
      return this.close(this.newMap(takeNodes(from)), obj, keyStart, end, m, group, next);
    }
  }

  /** A block sequence whose first `-` is the first character of `line`. */
  private blockSeq(line: number): Block {
    if (++this.depth > MAX_DEPTH) throw BAIL;
    const block = this.blockSeqAt(line);
    this.depth--;
    return block;
  }

  private blockSeqAt(line: number): Block {
    const text = this.text;
    const n = this.indent(line);
    const start = this.contents[line];
    const nodesFrom = nodesTop;
    const valuesFrom = valuesTop;
    let end = start;
    let group = line;
    for (;;) {
      const dash = this.contents[line];
      let p = dash + 1;
      const lineEnd = this.ends[line];
      while (p < lineEnd && text.charCodeAt(p) === 32) p++;
      if (p === lineEnd || text.charCodeAt(p) === 35) throw BAIL; // an empty item or a value on the next line
      let value: Parsed;
      const c = text.charCodeAt(p);
      if (c === 45 && this.isSeqIndicator(p)) throw BAIL; // `- - x`
      if (this.isKeyLine(line, p)) {
        const block = this.blockMap(line, p);
        value = block;
        group = block.group;
      } else {
        const v = this.lineValue(line, p, n);
        value = v;
        group = v.nextLine;
      }
      NODES[nodesTop++] = value.node;
      VALUES[valuesTop++] = value.value;
      end = rangeEnd(value.node);
      const next = this.nextContent(group);
      if (next < this.count) {
        const ind = this.indent(next);
        if (ind > n) throw BAIL;
        if (ind === n && text.charCodeAt(this.contents[next]) === 45 && this.isSeqIndicator(this.contents[next])) {
          line = next;
          continue;
        }
      }
      return this.close(this.newSeq(takeNodes(nodesFrom)), takeValues(valuesFrom), start, end, n, group, next);
    }
  }

  /**
   * A value of a collection at indentation `indent` that starts at `p` on `line` and is no block
   * collection: a block scalar, or a scalar or flow collection on that line with the comment lines
   * indented deeper than the collection under it. `nextLine` is the first line of what follows.
   */
  private lineValue(line: number, p: number, indent: number): Inline {
    const c = this.text.charCodeAt(p);
    if (c === 124 || c === 62) return this.blockScalar(line, p, indent);
    const inline = this.inlineValue(line, p, indent);
    inline.nextLine = this.attachIndentedComments(inline.node, inline.nextLine, indent);
    return inline;
  }

  /**
   * Ends a collection at content line `next` (or the end of the text): it keeps the blank and
   * comment lines before `next` when one of the comments is at least as indented as it is
   * (parser.js `pop`), and passes them to its parent otherwise.
   */
  private close(node: YAMLMap | YAMLSeq, value: unknown, start: number, end: number, indent: number, group: number, next: number): Block {
    let keep = false;
    if (indent !== 0) {
      for (let l = group; l < next; l++) {
        if (this.kinds[l] === COMMENT && this.indent(l) >= indent) {
          keep = true;
          break;
        }
      }
    }
    if (keep) {
      setRange(node, start, end, next < this.count ? this.contents[next] : this.text.length);
      return { node, value, group: next };
    }
    setRange(node, start, end, end);
    return { node, value, group };
  }

  /**
   * Comment lines indented deeper than the collection (`indent`) that follow a value ending its
   * line, possibly after blank lines, belong to that value (parser.js `atIndentedComment`).
   * Returns the first line of what is left of the group.
   */
  private attachIndentedComments(node: Node, line: number, indent: number): number {
    let l = line;
    let rest = line;
    while (l < this.count) {
      const k = this.kinds[l];
      if (k === CONTENT) break;
      if (k === COMMENT) {
        if (this.indent(l) <= indent) break;
        rest = l + 1;
      }
      l++;
    }
    if (rest > line) (node as unknown as Ranged).r2 = this.lineAfter(rest - 1);
    return rest;
  }

  private isSeqIndicator(p: number): boolean {
    const c = this.text.charCodeAt(p + 1);
    return Number.isNaN(c) || c === 32 || c === 10 || c === 13;
  }

  // -------------------------------------------------------------------------------------------
  // Keys and inline values

  /** Whether the text at `p` on `line` is `key: …` (an implicit key), not a scalar. */
  private isKeyLine(line: number, p: number): boolean {
    const text = this.text;
    const c = text.charCodeAt(p);
    const lineEnd = this.ends[line];
    if (c === 34 || c === 39) {
      // A quoted scalar that goes on to later lines is no key (`yaml` rejects a multi-line implicit
      // key; `multiLineQuoted` leaves anything after its closing quote to `yaml`).
      const close = this.quoteEndOnLine(p, lineEnd);
      if (close < 0) return false;
      let q = close;
      while (q < lineEnd && text.charCodeAt(q) === 32) q++;
      return q < lineEnd && text.charCodeAt(q) === 58;
    }
    if (c === 91 || c === 123) return false; // a flow collection as a key: `yaml` decides
    for (let i = p; i < lineEnd; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 58 && (i + 1 === lineEnd || text.charCodeAt(i + 1) === 32)) return true;
      if (ch === 35 && text.charCodeAt(i - 1) === 32) return false;
    }
    return false;
  }

  private key(line: number, p: number): { node: Scalar; value: unknown; colon: number } {
    const text = this.text;
    const lineEnd = this.ends[line];
    const c = text.charCodeAt(p);
    if (c === 34 || c === 39) {
      const close = this.quoteEnd(p, lineEnd);
      let q = close;
      while (q < lineEnd && text.charCodeAt(q) === 32) q++;
      if (text.charCodeAt(q) !== 58) throw BAIL;
      const node = this.quoted(p, close);
      setRange(node, p, close, close);
      if (q + 1 < lineEnd && text.charCodeAt(q + 1) !== 32) throw BAIL;
      return { node, value: node.value, colon: q };
    }
    if (!plainStart(text, p, false)) throw BAIL;
    let i = p;
    for (; i < lineEnd; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 58 && (i + 1 === lineEnd || text.charCodeAt(i + 1) === 32)) break;
      if (ch === 35 && text.charCodeAt(i - 1) === 32) throw BAIL;
    }
    if (i >= lineEnd) throw BAIL;
    let e = i;
    while (e > p && text.charCodeAt(e - 1) === 32) e--;
    if (e - p > 1024) throw BAIL;
    const node = this.plain(text.slice(p, e), true);
    setRange(node, p, e, e);
    return { node, value: node.value, colon: i };
  }

  /** A value that starts at `p` on `line` and must end on it: a scalar or a flow collection. */
  private inlineValue(line: number, p: number, indent: number): Inline {
    const text = this.text;
    const lineEnd = this.ends[line];
    const c = text.charCodeAt(p);
    let node: Node;
    let value: unknown;
    let e: number;
    if (c === 34 || c === 39) {
      e = this.quoteEndOnLine(p, lineEnd);
      if (e < 0) return this.multiLineQuoted(line, p, indent);
      const s = this.quoted(p, e);
      node = s;
      value = s.value;
    } else if (c === 91 || c === 123) {
      const flow = this.flow(p, lineEnd);
      node = flow.node;
      value = flow.value;
      e = flow.end;
    } else {
      if (!plainStart(text, p, false)) throw BAIL;
      e = p;
      let comment = false;
      for (let i = p; i < lineEnd; i++) {
        const ch = text.charCodeAt(i);
        if (ch === 58 && (i + 1 === lineEnd || text.charCodeAt(i + 1) === 32)) throw BAIL; // a nested mapping
        if (ch === 35 && text.charCodeAt(i - 1) === 32) {
          comment = true;
          break;
        }
        if (ch !== 32) e = i + 1;
      }
      if (!comment) {
        const more = this.plainContinuation(line, indent);
        if (more > line) return this.multiLinePlain(line, p, more, indent);
      }
      const s = this.plain(text.slice(p, e), false);
      node = s;
      value = s.value;
    }
    // Only spaces and a comment may follow on the line.
    let q = e;
    while (q < lineEnd && text.charCodeAt(q) === 32) q++;
    if (q < lineEnd && (text.charCodeAt(q) !== 35 || q === e)) throw BAIL;
    setRange(node, p, e, this.lineAfter(line));
    return { node, value, nextLine: line + 1 };
  }

  // -------------------------------------------------------------------------------------------
  // Block scalars

  /**
   * A literal (`|`) or folded (`>`) block scalar whose header is at `p`, the value of a collection
   * indented `parent`. Its lines are those lexer.js `parseBlockScalar` takes (the first content line
   * sets the indentation; blank lines and lines at least that indented follow; trailing blank lines
   * go unless the header keeps them), and its value is resolve-block-scalar.js's. No comment line
   * after it is its own (a block scalar token has no end), so the caller attaches none.
   */
  private blockScalar(line: number, p: number, parent: number): Inline {
    const text = this.text;
    const lineEnd = this.ends[line];
    const mode = text.charCodeAt(p);
    let h = p + 1;
    let chomp = '';
    const ind = text.charCodeAt(h);
    if (ind === 45 || ind === 43) {
      chomp = ind === 45 ? '-' : '+';
      h++;
    }
    // Only spaces and a comment after the header; an indentation indicator is left to `yaml`.
    if (h < lineEnd && text.charCodeAt(h) !== 32) throw BAIL;
    const after = skipSpaces(text, h, lineEnd);
    if (after < lineEnd && text.charCodeAt(after) !== 35) throw BAIL;
    // The content: from the first non-blank line, every blank line or line indented at least as much.
    let first = line + 1;
    while (first < this.count && this.kinds[first] === BLANK) first++;
    if (first >= this.count) throw BAIL;
    const indent = this.indent(first);
    if (indent < parent + 1) throw BAIL; // an empty block scalar
    let last = first;
    for (let l = first + 1; l < this.count; l++) {
      // A last line of spaces without a line break counts only if indented enough (continueScalar).
      const unterminated = l === this.count - 1 && this.ends[l] === text.length;
      if ((this.kinds[l] === BLANK && !unterminated) || this.indent(l) >= indent) last = l;
      else break;
    }
    if (chomp !== '+') {
      // Trailing lines of at most `indent` spaces are not the scalar's.
      while (last > first && this.kinds[last] === BLANK && this.ends[last] - this.starts[last] <= indent) last--;
    }
    const start = this.lineAfter(line);
    const end = this.lineAfter(last);
    const value = blockScalarValue(text.slice(start, end), mode === 62, chomp, parent);
    const node = newScalar(value);
    node.source = value;
    node.type = mode === 62 ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL;
    setRange(node, p, end, end);
    return { node, value, nextLine: last + 1 };
  }

  // -------------------------------------------------------------------------------------------
  // Flow collections on one line

  private flow(p: number, lineEnd: number): { node: YAMLMap | YAMLSeq; value: unknown; end: number } {
    if (++this.depth > MAX_DEPTH) throw BAIL;
    const flow = this.flowAt(p, lineEnd);
    this.depth--;
    return flow;
  }

  private flowAt(p: number, lineEnd: number): { node: YAMLMap | YAMLSeq; value: unknown; end: number } {
    const text = this.text;
    const isMap = text.charCodeAt(p) === 123;
    const close = isMap ? 125 : 93;
    const nodesFrom = nodesTop;
    const valuesFrom = valuesTop;
    const obj: Record<string, unknown> = {};
    /** The collection, with the items read since it started. */
    const done = (end: number): { node: YAMLMap | YAMLSeq; value: unknown; end: number } => {
      const node = isMap ? this.newMap(takeNodes(nodesFrom)) : this.newSeq(takeNodes(nodesFrom));
      node.flow = true;
      setRange(node, p, end, end);
      return { node, value: isMap ? obj : takeValues(valuesFrom), end };
    };
    let i = skipSpaces(text, p + 1, lineEnd);
    if (text.charCodeAt(i) === close) return done(i + 1);
    for (;;) {
      if (i >= lineEnd) throw BAIL;
      if (isMap) {
        const key = this.flowScalar(i, lineEnd, true);
        let q = key.end;
        if (text.charCodeAt(q) !== 58) throw BAIL;
        const next = text.charCodeAt(q + 1);
        if (next !== 32) throw BAIL;
        q = skipSpaces(text, q + 1, lineEnd);
        const item = this.flowItem(q, lineEnd);
        const after = skipSpaces(text, item.end, lineEnd);
        // A value owns the spaces after it (parser.js: the value is on the stack when they come).
        (item.node as unknown as Ranged).r2 = after;
        const sk = stringKey(key.node.value);
        if (sk === '__proto__' || Object.prototype.hasOwnProperty.call(obj, sk)) throw BAIL;
        NODES[nodesTop++] = newPair(key.node, item.node);
        obj[sk] = item.value;
        i = after;
      } else {
        const item = this.flowItem(i, lineEnd);
        const after = skipSpaces(text, item.end, lineEnd);
        // An item owns the spaces after it (fixFlowSeqItems makes them its end).
        (item.node as unknown as Ranged).r2 = after;
        if (text.charCodeAt(after) === 58) throw BAIL; // a pair inside a sequence
        NODES[nodesTop++] = item.node;
        VALUES[valuesTop++] = item.value;
        i = after;
      }
      const ch = text.charCodeAt(i);
      if (ch === close) return done(i + 1);
      if (ch !== 44 /* , */) throw BAIL;
      i = skipSpaces(text, i + 1, lineEnd);
      const c2 = text.charCodeAt(i);
      if (c2 === close || c2 === 44) throw BAIL; // a trailing or empty entry
    }
  }

  private flowItem(i: number, lineEnd: number): { node: Node; value: unknown; end: number } {
    const c = this.text.charCodeAt(i);
    if (c === 91 || c === 123) return this.flow(i, lineEnd);
    const s = this.flowScalar(i, lineEnd, false);
    return { node: s.node, value: s.node.value, end: s.end };
  }

  private flowScalar(i: number, lineEnd: number, atKey: boolean): { node: Scalar; end: number } {
    const text = this.text;
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39) {
      const e = this.quoteEnd(i, lineEnd);
      const node = this.quoted(i, e);
      setRange(node, i, e, e);
      return { node, end: e };
    }
    if (!plainStart(text, i, true)) throw BAIL;
    let e = i;
    let j = i;
    for (; j < lineEnd; j++) {
      const ch = text.charCodeAt(j);
      if (ch === 44 || ch === 91 || ch === 93 || ch === 123 || ch === 125) break;
      if (ch === 58) {
        const n = text.charCodeAt(j + 1);
        if (j + 1 === lineEnd || n === 32 || n === 44 || n === 91 || n === 93 || n === 123 || n === 125) break;
      }
      if (ch === 35 && text.charCodeAt(j - 1) === 32) throw BAIL; // a comment inside a flow collection
      if (ch !== 32) e = j + 1;
    }
    if (j >= lineEnd) throw BAIL;
    const node = this.plain(text.slice(i, e), atKey);
    setRange(node, i, e, e);
    return { node, end: e };
  }

  // -------------------------------------------------------------------------------------------
  // Scalars

  // -------------------------------------------------------------------------------------------
  // Multi-line plain and quoted scalars (the descriptions of CustomResourceDefinition schemas)

  /**
   * The last line of a plain scalar that starts on `line`, the value of a collection indented
   * `indent`: lexer.js `parsePlainScalar` goes on over blank lines and lines indented deeper than
   * the collection (`continueScalar`, `indentNext`), and stops at a comment line. Returns `line`
   * when no such line has content.
   */
  private plainContinuation(line: number, indent: number): number {
    let last = line;
    for (let l = line + 1; l < this.count; l++) {
      const k = this.kinds[l];
      if (k === BLANK) continue;
      if (k === COMMENT || this.indent(l) <= indent) break;
      last = l;
    }
    return last;
  }

  /**
   * A plain scalar from `p` on `line` to the end of `last`; its value is folded as
   * resolve-flow-scalar.js does (by that very code, through `CST.resolveAsScalar`), then typed
   * by the core schema from the folded text, as compose-scalar.js does.
   */
  private multiLinePlain(line: number, p: number, last: number, indent: number): Inline {
    const text = this.text;
    for (let l = line + 1; l <= last; l++) {
      if (this.kinds[l] !== CONTENT) continue;
      // `: ` or ` #` ends the scalar on a later line: a multi-line key or a comment, left to `yaml`.
      const from = this.contents[l];
      const to = this.ends[l];
      for (let i = from; i < to; i++) {
        const ch = text.charCodeAt(i);
        if (ch === 58 && (i + 1 === to || text.charCodeAt(i + 1) === 32)) throw BAIL;
        if (ch === 35 && text.charCodeAt(i - 1) === 32) throw BAIL;
      }
    }
    const e = skipSpacesBack(text, this.contents[last], this.ends[last]);
    const folded = foldFlowScalar('scalar', text.slice(p, e));
    const node = this.plain(folded, false);
    setRange(node, p, e, this.lineAfter(last));
    return { node, value: node.value, nextLine: last + 1 };
  }

  /**
   * A quoted scalar at `p` on `line` that closes on a later line. lexer.js `parseQuotedScalar`
   * takes every line up to the closing quote when each is blank or indented deeper than the
   * collection (`indent`); an unindented line is `yaml`'s error (and engine/goYamlQuotes.ts's).
   */
  private multiLineQuoted(line: number, p: number, indent: number): Inline {
    const text = this.text;
    const double = text.charCodeAt(p) === 34;
    let e = -1;
    let l = line + 1;
    for (; l < this.count; l++) {
      if (this.contents[l] !== this.ends[l] && this.indent(l) <= indent) throw BAIL;
      e = this.quoteEndOnLine(this.contents[l] - 1, this.ends[l], double ? 34 : 39);
      if (e >= 0) break;
    }
    if (e < 0) throw BAIL;
    const lineEnd = this.ends[l];
    const q = skipSpaces(text, e, lineEnd);
    if (q < lineEnd && (text.charCodeAt(q) !== 35 || q === e)) throw BAIL;
    const value = foldFlowScalar(double ? 'double-quoted-scalar' : 'single-quoted-scalar', text.slice(p, e));
    const node = this.quotedScalar(value, double);
    setRange(node, p, e, this.lineAfter(l));
    return { node, value: node.value, nextLine: l + 1 };
  }

  /** Offset just after the closing quote of the quoted scalar at `p`; it must close on this line. */
  private quoteEnd(p: number, lineEnd: number): number {
    const e = this.quoteEndOnLine(p, lineEnd);
    if (e < 0) throw BAIL;
    return e;
  }

  /**
   * Offset just after the closing quote of the quoted scalar at `p` if it closes before `lineEnd`,
   * else -1. With `quote`, `p` is just before where the scan starts (a continuation line's indent),
   * inside a scalar opened by that quote on an earlier line.
   */
  private quoteEndOnLine(p: number, lineEnd: number, quote?: number): number {
    const text = this.text;
    const q = quote ?? text.charCodeAt(p);
    for (let i = p + 1; i < lineEnd; i++) {
      const ch = text.charCodeAt(i);
      if (q === 34) {
        if (ch === 92 /* \ */) {
          i++;
          continue;
        }
        if (ch === 34) return i + 1;
      } else if (ch === 39) {
        if (text.charCodeAt(i + 1) === 39) {
          i++;
          continue;
        }
        return i + 1;
      }
    }
    return -1;
  }

  /** The scalar for the quoted text [p, e), as compose-scalar.js builds it. */
  private quoted(p: number, e: number): Scalar {
    const text = this.text;
    const double = text.charCodeAt(p) === 34;
    const inner = text.slice(p + 1, e - 1);
    const value = double ? unescapeDouble(inner) : inner.replace(/''/g, "'");
    return this.quotedScalar(value, double);
  }

  /** A quoted scalar of the string `value` (already unescaped or folded), as compose-scalar.js builds it. */
  private quotedScalar(value: string, double: boolean): Scalar {
    const tag = this.tags.str;
    const res = tag.resolve(value, bailOnError, this.tags.options);
    const node = isScalar(res) ? ownScalar(res as Scalar) : newScalar(res);
    node.source = value;
    node.type = double ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
    if (tag.format) node.format = tag.format;
    return node;
  }

  /** The scalar for a plain source, resolved by the core schema's tags (compose-scalar.js `findScalarTagByTest`). */
  private plain(source: string, atKey: boolean): Scalar {
    // A merge key: `yaml` reads it with the merge rules of kubectl (engine/mergeKeys.ts).
    if (atKey && source === '<<') throw BAIL;
    const c = source.charCodeAt(0);
    // No tag matches a source that starts with another letter (n/N, t/T, f/F: null and the core
    // booleans; y/Y, n/N, o/O: the YAML 1.1 ones): it is a string.
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
    const maybeTagged = !letter || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70 || c === 121 || c === 89 || c === 111 || c === 79;
    let tag = this.tags.str;
    if (maybeTagged) {
      // Keys and values repeat across documents (`name`, `type`, `NoSchedule`…): each source's tag
      // is looked up once, not by testing every tag's pattern again.
      const known = PLAIN_TAGS[atKey ? 1 : 0];
      const hit = known.get(source);
      if (hit) tag = hit;
      else {
        for (const t of this.tags.tags) {
          if ((t.default === true || (atKey && t.default === 'key')) && t.test!.test(source)) {
            tag = t;
            break;
          }
        }
        if (known.size >= 4096) known.clear();
        known.set(source, tag);
      }
    }
    const res = tag === this.tags.str ? source : tag.resolve(source, bailOnError, this.tags.options);
    const node = isScalar(res) ? ownScalar(res as Scalar) : newScalar(res);
    node.source = source;
    node.type = Scalar.PLAIN;
    if (tag.format) node.format = tag.format;
    return node;
  }
}

/** The offset after the last non-space character in [from, end). */
function skipSpacesBack(text: string, from: number, end: number): number {
  while (end > from && text.charCodeAt(end - 1) === 32) end--;
  return end;
}

/**
 * The value of a multi-line flow scalar's source, folded by `yaml`'s own resolve-flow-scalar.js;
 * throws BAIL where that reports an error.
 */
function foldFlowScalar(type: 'scalar' | 'single-quoted-scalar' | 'double-quoted-scalar', source: string): string {
  const res = CST.resolveAsScalar({ type, offset: 0, indent: 0, source }, true, bailOnError);
  if (!res || typeof res.value !== 'string') throw BAIL;
  return res.value;
}

function skipSpaces(text: string, i: number, end: number): number {
  while (i < end && text.charCodeAt(i) === 32) i++;
  return i;
}

/**
 * Whether a plain scalar may start at `p` (YAML 1.2 ns-plain-first): not an indicator, except
 * `-`, `?` and `:` followed by a character that may follow them.
 */
function plainStart(text: string, p: number, inFlow: boolean): boolean {
  const c = text.charCodeAt(p);
  switch (c) {
    case 45: // -
    case 63: // ?
    case 58: {
      // :
      const n = text.charCodeAt(p + 1);
      if (Number.isNaN(n) || n === 32 || n === 10 || n === 13) return false;
      if (inFlow && (n === 44 || n === 91 || n === 93 || n === 123 || n === 125)) return false;
      // `?x` and `:x` are rare enough to leave to `yaml`.
      return c === 45;
    }
    case 44: case 91: case 93: case 123: case 125: // , [ ] { }
    case 35: case 38: case 42: case 33: case 124: case 62: // # & * ! | >
    case 39: case 34: case 37: case 64: case 96: // ' " % @ `
    case 32: case 10: case 13:
      return false;
  }
  return !Number.isNaN(c);
}

/** The key under which addPairToJSMap stores a scalar key in a plain object (`stringifyKey`). */
function stringKey(value: unknown): string {
  if (value === null) return '';
  return String(value);
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};

/** The value of a one-line double-quoted scalar's inside (resolve-flow-scalar.js `doubleQuotedValue`). */
function unescapeDouble(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const n = s[++i];
    const simple = ESCAPES[n];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const len = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
    const hex = s.slice(i + 1, i + 1 + len);
    if (len === 0 || hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) throw BAIL;
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) throw BAIL;
    out += String.fromCodePoint(code);
    i += len;
  }
  return out;
}

/**
 * The value of a block scalar's content lines (resolve-block-scalar.js, for a header without an
 * indentation indicator); throws BAIL where `yaml` reports an error.
 */
function blockScalarValue(source: string, folded: boolean, chomp: string, parentIndent: number): string {
  const lines = splitLines(source);
  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0; --i) {
    const content = lines[i][1];
    if (content === '' || content === '\r') chompStart = i;
    else break;
  }
  if (chompStart === 0) throw BAIL;
  let trimIndent = parentIndent;
  let contentStart = 0;
  for (let i = 0; i < chompStart; ++i) {
    const [indent, content] = lines[i];
    if (content === '' || content === '\r') {
      if (indent.length > trimIndent) trimIndent = indent.length;
    } else {
      if (indent.length < trimIndent) throw BAIL; // more-indented leading empty lines
      trimIndent = indent.length;
      contentStart = i;
      if (trimIndent === 0) throw BAIL;
      break;
    }
  }
  for (let i = lines.length - 1; i >= chompStart; --i) {
    if (lines[i][0].length > trimIndent) chompStart = i + 1;
  }
  let value = '';
  let sep = '';
  let prevMoreIndented = false;
  for (let i = 0; i < contentStart; ++i) value += lines[i][0].slice(trimIndent) + '\n';
  for (let i = contentStart; i < chompStart; ++i) {
    const indent = lines[i][0];
    let content = lines[i][1];
    if (content[content.length - 1] === '\r') content = content.slice(0, -1);
    if (content && indent.length < trimIndent) throw BAIL;
    if (!folded) {
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
    } else if (indent.length > trimIndent || content[0] === '\t') {
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
      prevMoreIndented = true;
    } else if (content === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + content;
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  switch (chomp) {
    case '-':
      break;
    case '+':
      for (let i = chompStart; i < lines.length; ++i) value += '\n' + lines[i][0].slice(trimIndent);
      if (value[value.length - 1] !== '\n') value += '\n';
      break;
    default:
      value += '\n';
  }
  return value;
}

/** `[indent, content]` per line (resolve-block-scalar.js `splitLines`). */
function splitLines(source: string): Array<[string, string]> {
  const split = source.split(/\n( *)/);
  const first = split[0];
  const m = /^( *)/.exec(first);
  const lines: Array<[string, string]> = [m?.[1] ? [m[1], first.slice(m[1].length)] : ['', first]];
  for (let i = 1; i < split.length; i += 2) lines.push([split[i], split[i + 1]]);
  return lines;
}
