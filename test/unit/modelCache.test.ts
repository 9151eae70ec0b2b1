import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ModelCache } from '../../server/src/modelCache';
import { validate } from '../../server/src/engine/validate';
import type { Rule } from '../../server/src/engine/rules';

const ds = (name: string, policy = 'Always') => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      restartPolicy: ${policy}
      containers:
      - name: c
        image: example.com/c:1
`;

test('one model per (uri, version): a second request for the same version parses nothing', () => {
  const cache = new ModelCache();
  const doc = TextDocument.create('file:///a.yaml', 'yaml', 1, ds('a'));
  const m1 = cache.get(doc);
  assert.equal(cache.get(doc), m1);
  const doc2 = TextDocument.update(doc, [{ text: ds('b') }], 2);
  assert.notEqual(cache.get(doc2), m1);
});

test('an edit in one document of a stream re-parses and re-validates only that document', () => {
  const cache = new ModelCache();
  const names = Array.from({ length: 20 }, (_, i) => `ds-${i}`);
  const text = names.map((n) => ds(n)).join('---\n');
  let checked: string[] = [];
  const counting: Rule = {
    id: 'counting', description: '', help: '', defaultSeverity: 'hint',
    check(obj) {
      checked.push(obj.name ?? '?');
      return [];
    },
  };
  const doc1 = TextDocument.create('file:///s.yaml', 'yaml', 1, text);
  const m1 = cache.get(doc1);
  validate(m1, { cache: cache.findingsCache, rules: [counting] });
  assert.equal(checked.length, 20);

  checked = [];
  const text3 = text.replace(/(name: ds-7\n[\s\S]*?image: example\.com\/c:)1/, '$12');
  assert.notEqual(text3, text);
  const doc3 = TextDocument.update(doc1, [{ text: text3 }], 2);
  const m3 = cache.get(doc3);
  const same = m3.chunks.filter((c, i) => c.chunk === m1.chunks[i].chunk).length;
  assert.equal(same, 19, 'untouched documents reuse their parsed chunk');
  validate(m3, { cache: cache.findingsCache, rules: [counting] });
  assert.deepEqual(checked, ['ds-7']);
});

test('findings are computed once per version and options stamp', () => {
  const cache = new ModelCache();
  const doc = TextDocument.create('file:///f.yaml', 'yaml', 1, ds('f', 'Never'));
  let runs = 0;
  const compute = (m: Parameters<typeof validate>[0]) => {
    runs++;
    return validate(m);
  };
  const a = cache.findings(doc, 's1', compute);
  assert.equal(cache.findings(doc, 's1', compute), a);
  assert.equal(runs, 1);
  cache.findings(doc, 's2', compute);
  assert.equal(runs, 2);
  assert.ok(a.some((f) => f.code === 'restart-policy-always'));
});

test('closing a document forgets its parsed chunks, but not those another document shares', () => {
  const cache = new ModelCache();
  const shared = ds('shared');
  const a = TextDocument.create('file:///a.yaml', 'yaml', 1, `${ds('only-a')}---\n${shared}`);
  const b = TextDocument.create('file:///b.yaml', 'yaml', 1, `${ds('only-b')}---\n${shared}`);
  const ma = cache.get(a);
  const mb = cache.get(b);
  assert.equal(ma.chunks[1].chunk, mb.chunks[1].chunk, 'the shared document is parsed once');
  cache.delete('file:///a.yaml');
  // Re-opening a: its own chunk is parsed again, the one b still holds is reused.
  const ma2 = cache.get(TextDocument.create('file:///a.yaml', 'yaml', 1, a.getText()));
  assert.notEqual(ma2.chunks[0].chunk, ma.chunks[0].chunk);
  assert.equal(ma2.chunks[1].chunk, mb.chunks[1].chunk);
  assert.deepEqual(ma2.objects.map((o) => o.value), ma.objects.map((o) => o.value));
});

test('closing a document also forgets the findings cached for its documents', () => {
  const cache = new ModelCache();
  let runs = 0;
  const counting: Rule = {
    id: 'counting', description: '', help: '', defaultSeverity: 'hint',
    check() {
      runs++;
      return [];
    },
  };
  const doc = TextDocument.create('file:///c.yaml', 'yaml', 1, `${ds('c1')}---\n${ds('c2')}`);
  validate(cache.get(doc), { cache: cache.findingsCache, rules: [counting] });
  assert.equal(runs, 2);
  validate(cache.get(doc), { cache: cache.findingsCache, rules: [counting] });
  assert.equal(runs, 2, 'cached while open');
  cache.delete('file:///c.yaml');
  validate(cache.get(doc), { cache: cache.findingsCache, rules: [counting] });
  assert.equal(runs, 4, 'checked again after the file was closed and reopened');
});

test('a document that becomes a listed patch is parsed and validated again, same version or not', () => {
  const cache = new ModelCache();
  // An image bump: containers with images, so it does not look like a patch by its content.
  const patch = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      containers:\n      - name: agent\n        image: example.com/agent:2\n';
  const doc = TextDocument.create('file:///overlay/patch.yaml', 'yaml', 1, patch);
  const opts = { cache: cache.findingsCache };
  const codes = (partial: boolean) => cache.findings(doc, 's', (m) => validate(m, opts), { partial }).map((f) => f.code);
  const whole = cache.get(doc);
  assert.equal(whole.daemonSets[0].partial, false);
  assert.ok(codes(false).includes('selector-matches-labels'));

  const listed = cache.get(doc, { partial: true });
  assert.notEqual(listed, whole);
  assert.equal(listed.daemonSets[0].partial, true);
  assert.equal(listed.chunks[0].chunk, whole.chunks[0].chunk, 'the parsed chunk is shared');
  assert.deepEqual(codes(true), [], 'the shared findings cache keys on the flag');
  assert.equal(cache.get(doc, { partial: true }), listed);

  // And back: the stale partial model and its findings are not served.
  assert.equal(cache.get(doc).daemonSets[0].partial, false);
  assert.ok(codes(false).includes('selector-matches-labels'));
});
