import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isMap, isPair, isSeq, type Node } from 'yaml';
import { parseDocument, parseChunk, splitChunks, splitListItems, ChunkCache, type DocumentModel } from '../../server/src/engine/model';
import { validate } from '../../server/src/engine/validate';

const DS = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
spec:
  selector:
    matchLabels: {app: fluentd}
  template:
    metadata:
      labels: {app: fluentd}
    spec:
      restartPolicy: Never
      containers:
      - name: fluentd
        image: fluentd:v1
`;

test('splitChunks cuts at document markers only at column 0', () => {
  const text = 'a: 1\n---\nb: |\n  --- not a marker\n...\nc: 3\n';
  const chunks = splitChunks(text);
  assert.deepEqual(chunks.map((c) => c[1]), ['a: 1\n', '---\nb: |\n  --- not a marker\n...\n', 'c: 3\n']);
  assert.equal(chunks.map((c) => c[1]).join(''), text);
});

test('finds DaemonSets in plain documents and List items', () => {
  const list = `apiVersion: v1\nkind: List\nitems:\n- ${DS.replace(/\n/g, '\n  ').trimEnd()}\n`;
  const m = parseDocument('x.yaml', `kind: ConfigMap\napiVersion: v1\n---\n${DS}---\n${list}`);
  assert.equal(m.daemonSets.length, 2);
  assert.deepEqual(m.daemonSets[1].docPath, ['items', 0]);
  assert.equal(m.objects.length, 3);
});

test('restart-policy-always is reported on the value with its upstream path', () => {
  const m = parseDocument('x.yaml', DS);
  const f = validate(m).filter((x) => x.code === 'restart-policy-always');
  assert.equal(f.length, 1);
  assert.equal(f[0].path, 'spec.template.spec.restartPolicy');
  assert.equal(DS.slice(f[0].span.start, f[0].span.end), 'Never');
  assert.equal(f[0].message, 'Unsupported value: "Never": supported values: "Always"');
});

test('unchanged documents are served from the chunk cache', () => {
  const cache = new ChunkCache();
  const a = parseDocument('x.yaml', `${DS}---\n${DS}`, 1, cache);
  const b = parseDocument('x.yaml', `${DS}---\n${DS.replace('fluentd:v1', 'fluentd:v2')}`, 2, cache);
  assert.equal(a.chunks[0].chunk, b.chunks[0].chunk);
  assert.notEqual(a.chunks[1].chunk, b.chunks[1].chunk);
});

test('bad input never throws', () => {
  const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';
  for (const text of ['', '\u0000\u0001binary', ': : :\n  - [', bomb, 'kind: DaemonSet\napiVersion: apps/v1\nspec: {{ .Values.spec }}\n']) {
    const m = parseDocument('x.yaml', text);
    validate(m);
  }
  assert.ok(parseDocument('x.yaml', bomb).findings.some((f) => f.code === 'yaml-alias-limit'));
  assert.ok(parseDocument('x.yaml', '\u0000').findings.some((f) => f.code === 'binary-file'));
});

test('an alias whose anchor is in another document (or after it) is a syntax error at the alias, not an alias bomb', () => {
  const text = 'x-tol: &tol\n- key: a\n---\n' + DS.replace('      restartPolicy: Never\n', '      restartPolicy: Never\n      tolerations: *tol\n');
  const m = parseDocument('x.yaml', text);
  assert.deepEqual(m.findings.map((f) => f.code), ['yaml-syntax']);
  const [f] = m.findings;
  assert.equal(f.message, "Unknown anchor 'tol' referenced: an alias (*tol) must follow its anchor (&tol) in the same document.");
  assert.equal(text.slice(f.span.start, f.span.end), '*tol');
  const after = parseDocument('y.yaml', 'a: *x\nb: &x 1\n');
  assert.deepEqual(after.findings.map((f) => [f.code, after.text.slice(f.span.start, f.span.end)]), [['yaml-syntax', '*x']]);
});

/** Every node's absolute range and kind, in document order. */
function shape(node: Node | null | undefined, base: number, out: string[] = []): string[] {
  if (!node) return out;
  const r = node.range!;
  out.push(`${node.constructor.name}@${r[0] + base},${r[1] + base},${r[2] + base}`);
  if (isMap(node)) {
    for (const p of node.items) {
      if (!isPair(p)) continue;
      shape(p.key as Node, base, out);
      shape(p.value as Node | null, base, out);
    }
  } else if (isSeq(node)) {
    for (const it of node.items) shape(it as Node, base, out);
  }
  return out;
}

/** The objects of a single-document `kind: List` text, from parsing the whole document at once. */
function wholeListObjects(text: string): Array<{ value: unknown; shape: string[] }> {
  const chunk = parseChunk(text);
  const items = (chunk.docs[0].contents as import('yaml').YAMLMap).get('items', true);
  assert.ok(isSeq(items));
  const values = (chunk.values[0] as { items: unknown[] }).items;
  return items.items.map((n, i) => ({ value: values[i], shape: shape(n as Node, 0) }));
}

function objectsOf(m: DocumentModel) {
  return m.objects.map((o) => ({ value: o.value, shape: shape(o.node, o.base) }));
}

const LIST_FIXTURES = ['clusters/kubeadm.yaml', 'clusters/eks.yaml', 'corpus/weave-net-list.yaml', 'placement/seed-cluster.yaml'];

test('kind: List items are parsed one by one, with the values and spans of a whole-document parse', () => {
  const indented = `apiVersion: v1\nkind: List\nitems:\n  - ${DS.replace(/\n(?=.)/g, '\n    ').trimEnd()}\n    # trailing comment\n\n  - ${DS.replace('fluentd', 'other').replace(/\n(?=.)/g, '\n    ').replace('image: fluentd:v1', 'command:\n            - |\n              echo hi\n\n              echo there')}metadata:\n  resourceVersion: ""\n`;
  const texts: Array<[string, string]> = [
    ...LIST_FIXTURES.map((f): [string, string] => [f, readFileSync(`test/fixtures/${f}`, 'utf8')]),
    ['indented items, block scalar, blank lines', indented],
    ['trailing comments', `apiVersion: v1\nitems:\n- a: 1\n  b: 2\n  # c\n\n- a: 3\n  # end\nkind: List\n`],
    ['indented, trailing comments', `apiVersion: v1\nitems:\n  - a: 1\n    b: 2\n    # c\n\n  - a: 3\n    # end\n\nkind: List\n`],
    ['CRLF', readFileSync('test/fixtures/clusters/kubeadm.yaml', 'utf8').replace(/\n/g, '\r\n')],
  ];
  for (const [name, text] of texts) {
    const pieces = splitListItems(text);
    assert.ok(pieces, `${name}: has the simple List shape`);
    const m = parseDocument('x.yaml', text);
    assert.deepEqual(m.findings, [], name);
    assert.equal(m.chunks.length, pieces.items.length + (pieces.tail[1] ? 2 : 1), `${name}: one chunk per item`);
    const whole = wholeListObjects(text);
    assert.ok(whole.length > 1, name);
    assert.deepEqual(objectsOf(m), whole, name);
    m.objects.forEach((o, i) => {
      assert.deepEqual(o.docPath, ['items', i]);
      assert.equal(o.docIndex, 0);
    });
  }
});

test('findings and fixes on List items have exact absolute spans', () => {
  const list = `apiVersion: v1\nitems:\n- ${DS.replace(/\n(?=.)/g, '\n  ').trimEnd()}\n- ${DS.replace(/\n(?=.)/g, '\n  ').trimEnd()}\nkind: List\n`;
  const text = `kind: ConfigMap\napiVersion: v1\n---\n${list}`;
  const m = parseDocument('x.yaml', text);
  assert.equal(m.chunks.length, 5, 'the ConfigMap, the List head, two items, the tail');
  const f = validate(m).filter((x) => x.code === 'restart-policy-always');
  assert.equal(f.length, 2);
  assert.ok(f[0].span.start > text.indexOf('items:') && f[1].span.start > f[0].span.end);
  for (const x of f) {
    assert.equal(text.slice(x.span.start, x.span.end), 'Never');
    for (const e of x.fixes?.flatMap((fix) => fix.edits) ?? []) assert.ok(e.span.start >= 0 && e.span.end <= text.length);
  }
});

test('an edit in one List item re-parses only that item', () => {
  const text = readFileSync('test/fixtures/clusters/kubeadm.yaml', 'utf8');
  const cache = new ChunkCache();
  const a = parseDocument('c.yaml', text, 1, cache);
  const edited = text.replace('\n    name: cp-1\n', '\n    name: cp-one\n');
  assert.notEqual(edited, text);
  const b = parseDocument('c.yaml', edited, 2, cache);
  assert.equal(a.chunks.length, b.chunks.length);
  const changed = b.chunks.filter((c, i) => c.chunk !== a.chunks[i].chunk);
  assert.equal(changed.length, 1, 'only the edited item is parsed again');
  assert.equal(b.objects[0].name, 'cp-one');
  assert.equal(b.objects[1].value, a.objects[1].value);
  assert.equal(b.objects[1].base, a.objects[1].base + 2);
  assert.deepEqual(objectsOf(b), wholeListObjects(edited));

  // A list with more items than the cache holds still re-parses only the edited item.
  const item = (i: number) => `- apiVersion: v1\n  kind: Node\n  metadata:\n    name: n-${i}\n`;
  const big = (edit: string) => `apiVersion: v1\nitems:\n${Array.from({ length: 50 }, (_, i) => item(i)).join('').replace('name: n-7\n', edit)}kind: List\n`;
  const small = new ChunkCache(10);
  const c = parseDocument('big.yaml', big('name: n-7\n'), 1, small);
  const d = parseDocument('big.yaml', big('name: seven\n'), 2, small);
  assert.equal(d.chunks.filter((x, i) => x.chunk !== c.chunks[i].chunk).length, 1);
  assert.equal(d.objects[7].name, 'seven');
});

test('List documents of any other shape are parsed whole, as before', () => {
  const item = (n: string) => `- apiVersion: v1\n  kind: Node\n  metadata:\n    name: ${n}\n    labels:\n      zone: a\n`;
  const cases: Array<[string, string]> = [
    ['flow sequence', `apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: Node, metadata: {name: a}}, {kind: Node, metadata: {name: b}}]\n`],
    ['alias across items', `apiVersion: v1\nkind: List\nitems:\n${item('a').replace('labels:', 'labels: &l')}${item('b').replace(/labels:\n.*\n/, 'labels: *l\n')}`],
    ['tag on an item', `apiVersion: v1\nkind: List\nitems:\n${item('a')}- !!map\n  kind: Node\n  metadata:\n    name: b\n`],
    ['comment at odd indentation', `apiVersion: v1\nkind: List\nitems:\n${item('a')} # odd\n${item('b')}`],
    ['comment at column 0 between items', `apiVersion: v1\nkind: List\nitems:\n${item('a')}# note\n${item('b')}`],
    ['key in head and tail', `apiVersion: v1\nkind: List\nitems:\n${item('a')}${item('b')}kind: List\n`],
    ['kind that is not a List', `apiVersion: v1\nkind: Thing\nitems:\n${item('a')}${item('b')}`],
    ['syntax error in an item', `apiVersion: v1\nkind: List\nitems:\n${item('a')}${item('b').replace('zone: a', 'zone: a: b')}`],
    ['template', `apiVersion: v1\nkind: List\nitems:\n${item('a')}${item('{{ .Values.name }}')}`],
  ];
  for (const [name, text] of cases) {
    const m = parseDocument('x.yaml', text);
    assert.equal(m.chunks.length, 1, `${name}: parsed as one chunk`);
    const whole = parseChunk(text);
    assert.deepEqual(m.findings.filter((f) => f.code !== 'template-not-validated'), whole.templated ? m.findings.filter((f) => f.code !== 'template-not-validated') : whole.findings, name);
  }
  const alias = parseDocument('x.yaml', cases[1][1]);
  assert.deepEqual(alias.objects.map((o) => o.value.metadata), [{ name: 'a', labels: { zone: 'a' } }, { name: 'b', labels: { zone: 'a' } }]);
  assert.equal(parseDocument('x.yaml', cases[6][1]).objects.length, 1, 'a non-List kind is one object');
  const broken = parseDocument('x.yaml', cases[7][1]);
  assert.equal(broken.objects.length, 0);
  assert.ok(broken.findings.some((f) => f.code === 'yaml-syntax'));
  assert.deepEqual(parseDocument('x.yaml', cases[0][1]).objects.map((o) => o.docPath), [['items', 0], ['items', 1]]);
});

test('a $patch directive anywhere makes the object a partial manifest; circular aliases do not hang', () => {
  const complete = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: a
spec:
  selector:
    matchLabels: {app: a}
  template:
    metadata:
      labels: {app: a}
    spec:
      containers:
      - name: c
        image: x
`;
  assert.equal(parseDocument('a.yaml', complete).daemonSets[0].partial, false);
  const patch = complete.replace('      - name: c\n', '      - name: c\n        $patch: delete\n');
  assert.equal(parseDocument('a.yaml', patch).daemonSets[0].partial, true);
  const circular = `${complete}  x: &loop [*loop, *loop, {$patchy: 1}]\n`;
  assert.equal(parseDocument('a.yaml', circular).daemonSets[0]?.partial ?? false, false);
});
