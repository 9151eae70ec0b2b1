import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { ChunkCache, parseDocument, type DocumentModel, type ManifestObject } from '../../server/src/engine/model';
import { nodeAt, type NodeHit } from '../../server/src/engine/hover';

const FIXTURES = join(__dirname, '../fixtures');

/**
 * The plain answer, as the oracle: every object whose range holds `offset`, in file order, walked
 * down every pair and item whose key or value holds it.
 */
function walked(model: DocumentModel, offset: number): NodeHit | undefined {
  for (const obj of model.objects) {
    const r = obj.node.range;
    if (r && (offset < obj.base + r[0] || offset > obj.base + r[2])) continue;
    const hit = walk(obj, obj.node, [], offset - obj.base, 0);
    if (hit) return hit;
  }
  return undefined;
}

function walk(obj: ManifestObject, node: Node, path: Array<string | number>, off: number, depth: number): NodeHit | undefined {
  const contains = (n: unknown) => {
    const r = (n as Node | null | undefined)?.range;
    return !!r && off >= r[0] && off <= r[1];
  };
  const text = (n: unknown) => (isScalar(n) ? (n.value === null || n.value === undefined ? '' : String(n.value)) : undefined);
  const span = (n: Node) => ({ start: obj.base + n.range![0], end: obj.base + Math.max(n.range![1], n.range![0]) });
  if (depth > 64) return undefined;
  if (isMap(node)) {
    for (const it of node.items) {
      if (!isPair(it)) continue;
      const p = it as Pair<Node, Node | null>;
      const key = text(p.key);
      if (key === undefined) continue;
      if (contains(p.key)) return { obj, path: [...path, key], on: 'key', text: key, span: span(p.key as Node) };
      const v = p.value;
      if (v && contains(v)) {
        if (isScalar(v)) return { obj, path: [...path, key], on: 'value', text: text(v), span: span(v) };
        const inner = walk(obj, v, [...path, key], off, depth + 1);
        if (inner) return inner;
      }
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const v = node.items[i] as Node | null;
      if (!v || !contains(v)) continue;
      if (isScalar(v)) return { obj, path: [...path, i], on: 'value', text: text(v), span: span(v) };
      return walk(obj, v, [...path, i], off, depth + 1);
    }
  }
  return undefined;
}

/** nodeAt agrees with the plain walk at every offset of the text (one past the end included). */
function assertSameEverywhere(name: string, text: string): number {
  const model = parseDocument(`file:///${name}`, text);
  let hits = 0;
  for (let off = 0; off <= text.length; off++) {
    const want = walked(model, off);
    const got = nodeAt(model, off);
    if (want) {
      hits++;
      assert.deepEqual(got, want, `${name} at offset ${off}`);
    } else if (got) {
      // Only a document with syntax errors, read leniently, may answer where the objects do not.
      assert.equal(got.obj.index, -1, `${name} at offset ${off}: ${JSON.stringify(got.path)} found outside every object`);
    }
  }
  return hits;
}

function fixtures(dir: string): Array<[string, string]> {
  return readdirSync(join(FIXTURES, dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => [`${dir}/${f}`, readFileSync(join(FIXTURES, dir, f), 'utf8')]);
}

test('nodeAt answers what a plain walk of the tree answers at every offset of the fixtures', () => {
  let hits = 0;
  for (const [name, text] of [...fixtures('corpus'), ...fixtures('invalid'), ...fixtures('lsp'), ...fixtures('clusters')]) {
    hits += assertSameEverywhere(name, text);
  }
  // The fixtures are mostly keys and values: a lookup that found nothing would fail here.
  assert.ok(hits > 50_000, `only ${hits} offsets hit a key or value`);
});

test('nodeAt answers what a plain walk of the tree answers in unusual YAML', () => {
  const cases: Record<string, string> = {
    flow: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a, labels: {app: a}}\nspec:\n  template:\n    spec:\n      tolerations: [{key: k, operator: Exists}, {key: "q", effect: NoSchedule}]\n      nodeSelector: {a: "1", "b": \'2\'}\n',
    json: '{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"a"},"spec":{"template":{"spec":{"tolerations":[{"key":"k","operator":"Exists"}]}}}}',
    crlf: 'apiVersion: apps/v1\r\nkind: DaemonSet\r\nmetadata:\r\n  name: a # the name\r\nspec:\r\n  template:\r\n    spec:\r\n      tolerations:\r\n      - key: k\r\n        operator: Exists\r\n',
    emptyValues: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name:\n  labels:\nspec:\n  template:\n    spec:\n      tolerations:\n      -\n      - key:\n        effect: ""\n      nodeSelector: {}\n',
    blockScalars: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: |\n    line one\n    line two\n  b: >-\n    folded\n    text\n  c: plain\n',
    anchors: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: a\n  labels: &l {app: a}\nspec:\n  selector:\n    matchLabels: *l\n  template:\n    metadata:\n      labels: *l\n    spec:\n      containers: [&c {name: x, image: y}]\n',
    complexKeys: 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\n? [complex, key]\n: value\n? {a: b}\n: {c: d}\nafter: 1\n',
    numbers: 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\nspec:\n  port: 8080\n  ratio: 0.5\n  on: true\n  nothing: null\n  tilde: ~\n  1: numeric key\n',
    multiDoc: '# leading comment\n---\napiVersion: v1\nkind: A\nmetadata: {name: one}\n---\n\n---\napiVersion: v1\nkind: B\nmetadata:\n  name: two\n...\n---\napiVersion: v1\nkind: C\nmetadata: {name: three}\n',
    list: 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: DaemonSet\n  metadata: {name: a}\n- apiVersion: apps/v1\n  kind: DaemonSet\n  metadata:\n    name: b\n',
    brokenSecond: 'apiVersion: v1\nkind: A\nmetadata: {name: one}\n---\napiVersion: v1\nkind: B\nmetadata:\n  name: [unclosed\n  other: x\n',
    deep: `apiVersion: v1\nkind: Deep\nmetadata: {name: d}\nspec: ${'['.repeat(70)}x${']'.repeat(70)}\n`,
    comments: 'apiVersion: apps/v1 # api\nkind: DaemonSet\n# between\nmetadata:\n  # inside\n  name: a   # trailing\n\n\nspec: {}\n',
  };
  for (const [name, text] of Object.entries(cases)) assertSameEverywhere(name, text);
});

test('nodeAt finds the toleration key of DaemonSet #500 of a 1,000-DaemonSet file', () => {
  const ds = (i: number) => `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent-${i}\nspec:\n  template:\n    spec:\n      tolerations:\n      - key: dedicated-${i}\n        operator: Exists\n`;
  const text = Array.from({ length: 1000 }, (_, i) => ds(i)).join('---\n');
  const model = parseDocument('file:///big.yaml', text);
  const offset = text.indexOf('key: dedicated-500') + 6;
  const hit = nodeAt(model, offset);
  assert.ok(hit);
  assert.equal(hit.obj.name, 'agent-500');
  assert.deepEqual(hit.path, ['spec', 'template', 'spec', 'tolerations', 0, 'key']);
  assert.equal(hit.on, 'value');
  assert.equal(hit.text, 'dedicated-500');
  assert.equal(text.slice(hit.span.start, hit.span.end), 'dedicated-500');
});

test('nodeAt keeps answering after an edit elsewhere in the file shifts the object', () => {
  const cache = new ChunkCache(100);
  const doc = (name: string) => `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      tolerations:\n      - key: k\n`;
  const before = `${doc('a')}---\n${doc('b')}`;
  const after = `${doc('a-longer-name')}---\n${doc('b')}`;
  const m1 = parseDocument('file:///x.yaml', before, 1, cache);
  const m2 = parseDocument('file:///x.yaml', after, 2, cache);
  // The second document's chunk is shared by both versions, at different offsets.
  const o1 = before.lastIndexOf('key: k') + 5;
  const o2 = after.lastIndexOf('key: k') + 5;
  assert.equal(nodeAt(m1, o1)?.obj.name, 'b');
  const hit = nodeAt(m2, o2);
  assert.equal(hit?.obj.name, 'b');
  assert.equal(after.slice(hit!.span.start, hit!.span.end), 'k');
  assert.equal(nodeAt(m1, o1)?.span.start, o1);
});
