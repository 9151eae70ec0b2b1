import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Tags } from 'yaml';
import { goYamlBoolTag } from '../../server/src/engine/goYamlBool';
import { goYamlNumberTag } from '../../server/src/engine/goYamlNumber';
import { parseFastChunk, scratchStackLength } from '../../server/src/engine/fastYaml';
import { splitChunks } from '../../server/src/engine/model';
import { seededRandom } from '../random';

const ROOT = join(__dirname, '../..');
/** As the engine reads YAML: go-yaml's numbers and the YAML 1.1 booleans too (engine/goYamlNumber.ts, engine/goYamlBool.ts). */
const OPTIONS = { prettyErrors: false, uniqueKeys: true, logLevel: 'error', customTags: (tags: Tags) => [goYamlNumberTag, ...tags, goYamlBoolTag] } as const;

/** Everything the engine can read from a node, comments aside. */
function project(node: unknown): unknown {
  if (node === null || node === undefined) return node;
  if (isPair(node)) return { pair: [project(node.key), project(node.value)] };
  if (isMap(node) || isSeq(node)) {
    return { kind: isMap(node) ? 'map' : 'seq', flow: !!node.flow, range: node.range, tag: node.tag, anchor: node.anchor, items: node.items.map(project) };
  }
  if (isScalar(node)) {
    const v = node.value;
    return {
      kind: 'scalar',
      value: typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v,
      type: node.type,
      source: node.source,
      format: node.format,
      minFractionDigits: (node as { minFractionDigits?: number }).minFractionDigits,
      range: node.range,
      tag: node.tag,
      anchor: node.anchor,
    };
  }
  return { other: String(node) };
}

function projectDoc(doc: Document.Parsed): unknown {
  return { range: doc.range, docStart: doc.directives?.docStart, contents: project(doc.contents), errors: doc.errors.length, warnings: doc.warnings.length };
}

/** 'fast' when the fast path answered (and agreed with `yaml`), 'bail' when it left the text to `yaml`. */
function compare(text: string): 'fast' | 'bail' {
  const fast = parseFastChunk(text);
  if (!fast) return 'bail';
  const docs = parseAllDocuments(text, OPTIONS) as Document.Parsed[];
  assert.ok(Array.isArray(docs), `yaml found no document but the fast path did:\n${text}`);
  assert.equal(fast.docs.length, docs.length, `document count differs for:\n${text}`);
  docs.forEach((doc, i) => {
    assert.equal(doc.errors.length + doc.warnings.length, 0, `yaml reports ${doc.errors.concat(doc.warnings).map((e) => e.code).join(', ')} but the fast path accepted:\n${JSON.stringify(text)}`);
    assert.deepEqual(projectDoc(fast.docs[i]), projectDoc(doc), `nodes differ for:\n${JSON.stringify(text)}`);
    assert.deepEqual(fast.values[i], doc.toJS({ maxAliasCount: 100 }), `values differ for:\n${JSON.stringify(text)}`);
    // The nodes work with yaml's own algorithms too: conversion, look-ups, cloning.
    assert.deepEqual(fast.docs[i].toJS({ maxAliasCount: 100 }), fast.values[i]);
    const root = fast.docs[i].contents;
    if (isMap(root) && root.items.length) {
      const first = root.items[0].key as { value: unknown };
      assert.equal(root.has(first.value), true);
      assert.equal(root.get(first.value, true), root.items[0].value);
      assert.deepEqual(project(root.clone()), project(root));
    }
  });
  return 'fast';
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

const FILES = [...yamlFiles(join(ROOT, 'test/fixtures')), ...yamlFiles(join(ROOT, 'examples'))];
const CHUNKS = FILES.flatMap((f) => splitChunks(readFileSync(f, 'utf8')).map(([, t]) => t));

test('the fast path agrees with yaml on every chunk of every manifest in the repository', () => {
  let fast = 0;
  for (const chunk of CHUNKS) if (compare(chunk) === 'fast') fast++;
  // Most real manifests are in the subset; the rest (templates, invalid files, block scalars) go to yaml.
  assert.ok(fast >= CHUNKS.length * 0.5, `only ${fast} of ${CHUNKS.length} chunks took the fast path`);
});

test('the fast path takes the bundled examples and typical DaemonSets', () => {
  for (const f of ['examples/fluent-bit.yaml', 'examples/node-exporter.yaml', 'examples/kube-proxy.yaml']) {
    const chunks = splitChunks(readFileSync(join(ROOT, f), 'utf8'));
    const ds = chunks.filter(([, t]) => /^kind: DaemonSet/m.test(t));
    assert.ok(ds.length > 0, f);
    for (const [, t] of ds) assert.equal(compare(t), 'fast', `${f} should take the fast path`);
  }
});

test('the fast path takes CustomResourceDefinitions with multi-line descriptions', () => {
  // Calico's CRDs: descriptions are plain scalars under their key and quoted scalars over several lines.
  const chunks = splitChunks(readFileSync(join(ROOT, 'test/fixtures/yaml/calico-crds.yaml'), 'utf8'));
  const crds = chunks.filter(([, t]) => /^kind: CustomResourceDefinition/m.test(t));
  assert.equal(crds.length, 3);
  for (const [, t] of crds) assert.equal(compare(t), 'fast');
});

test('ranges of scalars, collections and comments match yaml in the tricky places', () => {
  const cases = [
    'a: 1 # c\nb:\n  c: x\n  d:\n  - 1\n  - "q"  \n# tail\ne:\n- {x: 1, y: [a, "b"]}  # hi\n\n',
    'a:\n- k: 1\n  v: x\n  # inner\n- 2\nc:\n  d: e\n# x\n  # y\nf: 1\n',
    'a:\n  b: 1\n      # deeper\n\n      # deeper still\n  # same\nc: 2\n',
    'a:\n  b:\n    c: 1\n   # between\n  d: 2\n',
    '---\n# Source: x\napiVersion: v1\nkind: List\n',
    '# lead\n\napiVersion: v1\n',
    '--- # marker comment\na: b\n',
    'a: b\r\nc:\r\n  - 1\r\n  # c\r\n',
    'a: {  x: 1 , y: [ 1 , [2] , {z: 3} ] }\n',
    'a: [ ]\nb: { }\nc: []\nd: {}\n',
    "k: 'it''s'\nq: \"tab\\there \\u00e9 \\x41 \\\"x\\\"\"\n",
    'n: ~\nb: true\nB: False\ni: 0o17\nh: 0x1F\nf: 1.50\ne: 1e3\ninf: -.inf\nnan: .nan\ns: 012\nneg: -3\nplus: +4\nempty: ""\n',
    'u: 0_644\nv: 8_080\nw: -0X1F\nx: +0o17\nb: 0b-1\nz: 1_000.5\nd: .5_0\no: 1e400\nh: 0x10000000000000000\nm: -0\nl: 18446744073709551615\nt: 08\n0_10: k\n',
    '80: http\ntrue: yes\nnull: x\n1.0: f\n',
    'key  : v\n"quoted key": 1\n\'single\': 2\n',
    '-a: 1\nb: -c\nc: a:b\nd: http://x#y\ne: x #y\n',
    'a:\n    -   x\n    -   k: 1\n        l: 2\n',
    'last: value',
    'last: value   # no newline',
    'a:\n  b: 1\n# c\n',
    'a:\n  b: 1\n  # c',
    'a:\nb: 1\nc:   \n\nd:\ne:\n',
    'a:\n  b:\n\nd: 1\n',
    'x:\n- k:\n  l: 1\n- m:\n',
    'f: |\n  line1\n\n  line2\ng: |-\n  t\n\n\nh: >\n  a\n  b\n\n  c\n    more\n  d\ni: |+\n  kept\n\nj: 1\n',
    'k:\n- |\n  #!/bin/sh\n  echo "$X"  # not a comment\n\n    indented\n- >-\n  folded\n  text\n  # a comment after\nl: x\n',
    'm: |   # header comment\n    four\n    spaces\n  # less indented\nn: 1\n',
    'o: |\r\n  crlf\r\n  lines\r\np: 1\r\n',
    'q:\n  r: |\n    deep\n\n  s: 1\n',
    't: |\n  at end',
    'u: |\n  at end\n  \n   ',
    'a: multi\n  line\n',
    'a: "multi\n  line"\n',
    'd:\n  description:\n    Spec contains the\n    specification.\n  type: object\n',
    'd:\n  description:\n    "AS number. [Default:\n    64512]"\n  format: int32\n',
    "d:\n  description: 'It''s\n    folded\n\n    with a break'   # c\n      # deeper\n  x: 1\n",
    'd: "esc \\\n    aped \\t \\u00e9\n\n  end"\ne: 1\n',
    'l:\n- first\n  item\n-   second\n    - item [x] {y} & * ! | > @\n- k: a\n    b\n  m: 2\n',
    'n: 1\n  2\no: true\n  false\np:\n  null\nq:\n  12\n',
    'r: a\r\n  b  \r\n\r\n  c\r\ns: "x\r\n  y"\r\n',
    'd:\n\n  after blank\n  lines\n\n# tail\n',
    't: a\n  b',
    'u: "a\n  b"',
    'v: a\n   \n  b\n  \nw: x\n',
  ];
  for (const c of cases) compare(c);
  // These must be in the subset (the parser is not allowed to give up on them).
  for (const c of [...cases.slice(0, 4), ...cases.slice(-23)]) assert.equal(compare(c), 'fast', JSON.stringify(c));
});

test('numbers as kubectl reads them (go-yaml v2) take the fast path, with yaml\'s values', () => {
  const text = 'u: 0_644\nv: 8_080\nw: -0X1F\nx: +0o17\nb: 0b-1\nz: 1_000.5\nd: .5_0\no: 1e400\nh: 0x10000000000000000\nm: -0\nt: 08\n0_10: k\nf: [0644, 1_0, "0_1"]\n';
  assert.equal(compare(text), 'fast');
  assert.deepEqual(parseFastChunk(text)!.values[0], { u: 420, v: 8080, w: -31, x: 15, b: -1, z: 1000.5, d: 0.5, o: '1e400', h: '0x10000000000000000', m: 0, t: 8, 8: 'k', f: [420, 10, '0_1'] });
});

test('anything outside the subset is left to yaml', () => {
  const cases = [
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    'a: |2\n  text\n',
    'a: |\nb: 1\n',
    'a: |\n\n    more\n  less\n',
    'a: |-x\n  text\n',
    'a:\n  b:\n  # c\nd: 1\n',
    'a: # c\nb: 1\n',
    'a: |#c\n  text\n',
    '- \n',
    'a: multi\n  line: x\n',
    'a: multi\n  line # c\n  more\n',
    'a: multi # c\n  line\n',
    'a: multi\n  # c\n  line\n',
    'a:\n  # c\n  multi\n  line\n',
    'a: # c\n  multi\n',
    'a:\n  "multi\n  line": 1\n',
    'a: "multi\nunindented"\n',
    'a:\n  b: "multi\n  unindented"\n',
    'a: "multi\n  line" x\n',
    'a: "never closed\n  b: 1\n',
    'a: "bad \\q\n  escape"\n',
    'a:\n  [x,\n  y]\n',
    'a: [1,\n  2]\n',
    'a: 1\na: 2\n',
    'a: b: c\n',
    '- 1\n- 2\n',
    '%YAML 1.2\n---\na: 1\n',
    'a:\tb\n',
    'a: 1\n...\n',
    '? complex\n: key\n',
    'a: [x: 1]\n',
    'a: {b}\n',
    'a: [1,]\n',
    '__proto__: 1\n',
    'a: "bad \\q escape"\n',
    '',
    '# only a comment\n',
    '  a: indented root\n',
    'a:\n  - x\n  b: 1\n',
  ];
  for (const c of cases) assert.equal(compare(c), 'bail', JSON.stringify(c));
});

const SCALARS = ['~', 'null', 'Null', 'true', 'False', 'yes', '0', '-1', '+2', '012', '0o17', '0x1f', '1.0', '1.50', '.5', '1e3', '-.inf', '.NaN', '1_000', '0_644', '-0x1F', '0B101', '0b-1', '1_000.5', '.5_0', '1e400', '0x10000000000000000', '-0', '"x"', "'y''z'", '"a\\"b"', '"\\u00e9"', 'a b', 'a#b', 'a # c', '-x', '--flag=1', ':x', '?x', '[]', '{}', '[a, b]', '{a: 1, b: [2]}', '[ "x" , y ]', 'a: b', '&a x', '*a', '!t x', '|', '>', '|\n  block\n\n  text', '>-\n    folded\n    text\n', '|+\n  keep\n\n', '|\n\n   lead\n', '', '"unterminated', "'x'y", 'x:', '@x', '`x', '%x', 'http://a/b', 'C:\\dir', 'é', '""', "''"];

function mutate(text: string, r: () => number): string {
  const lines = text.split('\n');
  const pick = () => Math.floor(r() * lines.length);
  const n = 1 + Math.floor(r() * 3);
  for (let k = 0; k < n; k++) {
    const i = pick();
    const ind = ' '.repeat(Math.floor(r() * 12));
    switch (Math.floor(r() * 13)) {
      case 0: lines.splice(i, 0, `${ind}# note ${k}`); break;
      case 1: lines.splice(i, 0, r() < 0.5 ? '' : ind); break;
      case 2: if (lines[i] && !lines[i].includes('#')) lines[i] += '  # trailing'; break;
      case 3: lines[i] += ' '.repeat(1 + Math.floor(r() * 3)); break;
      case 4: {
        const m = /^(\s*(?:- )?[^\s:#][^:#]*: )(.+)$/.exec(lines[i] ?? '');
        if (m) lines[i] = m[1] + SCALARS[Math.floor(r() * SCALARS.length)];
        break;
      }
      case 5: {
        const m = /^(\s*- )(.+)$/.exec(lines[i] ?? '');
        if (m && !m[2].includes(': ')) lines[i] = m[1] + SCALARS[Math.floor(r() * SCALARS.length)];
        break;
      }
      case 6: lines.splice(i, 1); break;
      case 7: lines.splice(i, 0, lines[i] ?? ''); break;
      case 8: lines[i] = (r() < 0.5 ? ' ' : '') + (lines[i] ?? '').replace(/^ {1,2}/, r() < 0.5 ? '' : ' '); break;
      case 9: lines[i] = (lines[i] ?? '').replace(/^(\s*)- /, '$1-   '); break;
      case 10: lines[i] = (lines[i] ?? '').replace(/^(\s*)([a-zA-Z][\w./-]*):/, r() < 0.5 ? '$1"$2":' : "$1'$2' :"); break;
      case 11: {
        // A block scalar in place of a one-line value, its lines indented under the key.
        const m = /^(\s*(?:- )?)([^\s:#][^:#]*: )(.+)$/.exec(lines[i] ?? '');
        if (!m) break;
        const pad = ' '.repeat(m[1].length + 1 + Math.floor(r() * 3));
        const body = ['echo one', '', '  more indented', '# not a comment', 'last'].filter(() => r() < 0.7);
        if (!body.some((b) => b.trim())) body.push('text');
        const header = ['|', '|-', '|+', '>', '>-', '>+'][Math.floor(r() * 6)];
        const tail = r() < 0.3 ? [''] : r() < 0.2 ? [`${pad}`] : [];
        lines.splice(i, 1, `${m[1]}${m[2]}${header}${r() < 0.2 ? '  # header' : ''}`, ...body.map((b) => (b ? pad + b : '')), ...tail);
        break;
      }
      case 12: {
        // A multi-line plain or quoted value (as in CRD descriptions), on the key's line or under it,
        // its lines indented from one column less than the key to a few more.
        const m = /^(\s*(?:- )?)([^\s:#][^:#]*: )(.+)$/.exec(lines[i] ?? '');
        if (!m) break;
        const col = m[1].length;
        const pad = () => ' '.repeat(Math.max(0, col - 1 + Math.floor(r() * 5)));
        const words = ['more text', 'x: y', 'a # b', '[Default:', '64512]', '- dash', '"q"', "it''s", 'esc \\t', 'end\\', '#', '', '  ', '1', 'true'];
        const body = Array.from({ length: 1 + Math.floor(r() * 4) }, () => words[Math.floor(r() * words.length)]);
        const q = r() < 0.4 ? '"' : r() < 0.3 ? "'" : '';
        const first = r() < 0.5 ? [`${m[1]}${m[2]}${q}${m[3]}`] : [`${m[1]}${m[2].trimEnd()}`, `${pad()}${q}${m[3]}`];
        const rest = body.map((b) => (b.trim() ? pad() + b : b));
        if (q) rest[rest.length - 1] += q + (r() < 0.2 ? ' # after' : '');
        lines.splice(i, 1, ...first, ...rest);
        break;
      }
    }
  }
  let out = lines.join('\n');
  if (r() < 0.1) out = out.replace(/\n/g, '\r\n');
  if (r() < 0.1) out = out.replace(/\n$/, '');
  return out;
}

test('the fast path agrees with yaml on thousands of mutated manifests', () => {
  const seeds = CHUNKS.filter((c) => parseFastChunk(c) !== undefined && c.length < 20000);
  assert.ok(seeds.length > 10);
  const r = seededRandom(20261128);
  let fast = 0;
  const runs = 4000;
  for (let i = 0; i < runs; i++) {
    const seed = seeds[Math.floor(r() * seeds.length)];
    const text = mutate(seed, r);
    try {
      if (compare(text) === 'fast') fast++;
    } catch (e) {
      throw new Error(`mutation ${i} differs: ${(e as Error).message}`);
    }
  }
  // The mutations keep most texts in the subset, so the comparison is not vacuous.
  assert.ok(fast > runs / 4, `only ${fast} of ${runs} mutated texts took the fast path`);
});

test('hostile input neither throws nor hangs: deep nesting, deep flow collections, long lines', () => {
  let deep = '';
  for (let i = 0; i < 3000; i++) deep += `${' '.repeat(i)}a:\n`;
  deep += `${' '.repeat(3000)}b: 1\n`;
  const started = Date.now();
  for (const text of [deep, `a: ${'['.repeat(50000)}${']'.repeat(50000)}\n`, `a: ${'x'.repeat(1 << 20)}\n`, `${'k: v\n'.repeat(100000)}`]) {
    const r = parseFastChunk(text);
    if (r) compare(text);
  }
  // Nesting deeper than real manifests is yaml's to judge (it reports stack exhaustion itself).
  assert.equal(parseFastChunk(deep), undefined);
  let ok = '';
  for (let i = 0; i < 40; i++) ok += `${' '.repeat(i)}a:\n`;
  assert.equal(compare(`${ok}${' '.repeat(40)}b: 1\n`), 'fast');
  assert.ok(Date.now() - started < 20000);
});

test('reading a node\'s range leaves the node\'s fields as they were made', () => {
  const text = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      tolerations:\n      - key: k\n';
  const [[, chunk]] = splitChunks(text);
  const parsed = parseFastChunk(chunk);
  assert.ok(parsed, 'the fast path takes a plain DaemonSet');
  const nodes: object[] = [];
  const collect = (n: unknown): void => {
    if (isMap(n) || isSeq(n)) {
      nodes.push(n);
      for (const it of n.items) collect(it);
    } else if (isPair(n)) {
      collect(n.key);
      collect(n.value);
    } else if (isScalar(n)) nodes.push(n);
  };
  collect(parsed.docs[0].contents);
  assert.ok(nodes.length > 10);
  for (const n of nodes) {
    const before = Object.getOwnPropertyNames(n);
    const range = (n as { range: [number, number, number] }).range;
    assert.equal(range.length, 3);
    // The same array on every read, and no field added to the node by the first one.
    assert.equal((n as { range: unknown }).range, range);
    assert.deepEqual(Object.getOwnPropertyNames(n), before);
  }
});

test('the scratch stacks keep nothing between parses, after a collection of many items too', () => {
  const big = `items:\n${Array.from({ length: 20000 }, (_, i) => `- {name: n${i}, value: ${i}}`).join('\n')}\nmore: [a, b]\n`;
  const chunk = parseFastChunk(big);
  assert.ok(chunk, 'read by the fast parser');
  assert.equal(((chunk!.values[0] as { items: unknown[] }).items).length, 20000);
  assert.equal(scratchStackLength(), 0);
  assert.equal(parseFastChunk('a: [b, {c: d}]\n')?.values[0] !== undefined, true);
  assert.equal(scratchStackLength(), 0);
  // A parse given up half-way (a tab) leaves nothing either.
  assert.equal(parseFastChunk('a:\n  - x\n  - y: [1, 2\n'), undefined);
  assert.equal(scratchStackLength(), 0);
});

