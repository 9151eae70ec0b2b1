import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, splitChunks, ChunkCache } from '../../server/src/engine/model';
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
