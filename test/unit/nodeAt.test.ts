import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isNode, isPair, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { ChunkCache, parseDocument, type DocumentModel, type ManifestObject } from '../../server/src/engine/model';
import { indexObject, nodeAt, type NodeHit } from '../../server/src/engine/nodeAt';

const FIXTURES = join(__dirname, '../fixtures');

/**
 * The oracle, by another road than nodeAt's descent: list every key and scalar value of each object
 * (with its field path) in one pass, then take, in the first object whose range holds `offset`, the
 * first listed token that holds it. Keys are listed only when scalar, and collections deeper than 64
 * levels are not looked into, as the hover does.
 */
function walked(model: DocumentModel, offset: number): NodeHit | undefined {
  for (const obj of model.objects) {
    const r = obj.node.range;
    if (r && (offset < obj.base + r[0] || offset > obj.base + r[2])) continue;
    const off = offset - obj.base;
    const hit = tokensOf(obj).find((t) => t.node.range![0] <= off && off <= t.node.range![1]);
    if (!hit) continue;
    const [start, end] = hit.node.range!;
    const text = String((hit.node as Scalar).value ?? '');
    return { obj, path: hit.path, on: hit.on, text, span: { start: obj.base + start, end: obj.base + Math.max(start, end) } };
  }
  return undefined;
}

interface Token {
  node: Node;
  on: 'key' | 'value';
  path: Array<string | number>;
}

const listed = new WeakMap<ManifestObject, Token[]>();

function tokensOf(obj: ManifestObject): Token[] {
  const known = listed.get(obj);
  if (known) return known;
  const out: Token[] = [];
  const visit = (node: Node, path: Array<string | number>, depth: number): void => {
    if (depth > 64) return;
    if (isMap(node)) {
      for (const it of node.items) {
        if (!isPair(it) || !isScalar(it.key)) continue;
        const key = String(it.key.value ?? '');
        if (it.key.range) out.push({ node: it.key, on: 'key', path: [...path, key] });
        const v = it.value as Node | null;
        if (!v?.range) continue;
        if (isScalar(v)) out.push({ node: v, on: 'value', path: [...path, key] });
        else visit(v, [...path, key], depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((v, i) => {
        if (!isNode(v) || !v.range) return;
        if (isScalar(v)) out.push({ node: v, on: 'value', path: [...path, i] });
        else visit(v, [...path, i], depth + 1);
      });
    }
  };
  visit(obj.node, [], 0);
  listed.set(obj, out);
  return out;
}

/**
 * nodeAt agrees with the oracle at every offset of the text (one past the end included): first by
 * walking the syntax tree, then from the objects' indexes.
 */
function assertSameEverywhere(name: string, text: string): number {
  const model = parseDocument(`file:///${name}`, text);
  let hits = 0;
  for (const indexed of [false, true]) {
    if (indexed) for (const obj of model.objects) assert.equal(indexObject(obj), true);
    for (let off = 0; off <= text.length; off++) {
      const want = walked(model, off);
      const got = nodeAt(model, off);
      if (want) {
        hits++;
        assert.deepEqual(got, want, `${name} at offset ${off}${indexed ? ', indexed' : ''}`);
      } else if (got) {
        // Only a document with syntax errors, read leniently, may answer where the objects do not.
        assert.equal(got.obj.index, -1, `${name} at offset ${off}: ${JSON.stringify(got.path)} found outside every object`);
      }
    }
  }
  return hits;
}

function fixtures(dir: string): Array<[string, string]> {
  return readdirSync(join(FIXTURES, dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => [`${dir}/${f}`, readFileSync(join(FIXTURES, dir, f), 'utf8')]);
}

test('nodeAt answers what a list of every key and value answers at every offset of the fixtures', () => {
  let hits = 0;
  for (const [name, text] of [...fixtures('corpus'), ...fixtures('invalid'), ...fixtures('lsp'), ...fixtures('clusters')]) {
    hits += assertSameEverywhere(name, text);
  }
  // The fixtures are mostly keys and values: a lookup that found nothing would fail here.
  assert.ok(hits > 50_000, `only ${hits} offsets hit a key or value`);
});

test('nodeAt answers what a list of every key and value answers in unusual YAML', () => {
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
    // A scalar in the 64th nested sequence is found; one in the 65th is not.
    deep64: `apiVersion: v1\nkind: Deep\nmetadata: {name: d}\nspec: ${'['.repeat(64)}x${']'.repeat(64)}\n`,
    deep65: `apiVersion: v1\nkind: Deep\nmetadata: {name: d}\nspec: ${'['.repeat(65)}x${']'.repeat(65)}\n`,
    comments: 'apiVersion: apps/v1 # api\nkind: DaemonSet\n# between\nmetadata:\n  # inside\n  name: a   # trailing\n\n\nspec: {}\n',
  };
  for (const [name, text] of Object.entries(cases)) assertSameEverywhere(name, text);
  const deepest = (text: string) => nodeAt(parseDocument('file:///deep.yaml', text), text.indexOf('x'))?.path.length;
  assert.equal(deepest(cases.deep64), 65);
  assert.equal(deepest(cases.deep65), undefined);
});

test('nodeAt finds the toleration key of DaemonSet #500 of a 1,000-DaemonSet file', () => {
  const ds = (i: number) => `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent-${i}\nspec:\n  template:\n    spec:\n      tolerations:\n      - key: dedicated-${i}\n        operator: Exists\n`;
  const text = Array.from({ length: 1000 }, (_, i) => ds(i)).join('---\n');
  const model = parseDocument('file:///big.yaml', text);
  const offset = text.indexOf('key: dedicated-500') + 6;
  assert.deepEqual(nodeAt(model, offset)?.path, ['spec', 'template', 'spec', 'tolerations', 0, 'key']);
  for (const obj of model.objects) indexObject(obj);
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
  // The second document's chunk (and its index) is shared by both versions, at different offsets.
  const o1 = before.lastIndexOf('key: k') + 5;
  const o2 = after.lastIndexOf('key: k') + 5;
  // Listed once, in the first version: the second version's object has the same syntax tree.
  for (const obj of m1.objects) indexObject(obj);
  assert.equal(indexObject(m2.objects[1]), false);
  assert.equal(nodeAt(m1, o1)?.obj.name, 'b');
  const hit = nodeAt(m2, o2);
  assert.equal(hit?.obj.name, 'b');
  assert.equal(after.slice(hit!.span.start, hit!.span.end), 'k');
  assert.equal(nodeAt(m1, o1)?.span.start, o1);
});
