import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient } from './lspClient';

const DS = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      restartPolicy: Never
      containers:
      - name: agent
        image: example.com/agent:1.0
`;

let client: TestClient;
before(async () => {
  client = new TestClient();
  await client.initialize();
});
after(() => client.dispose());

function textAt(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const doc = TextDocument.create('x', 'yaml', 0, text);
  return text.slice(doc.offsetAt(range.start), doc.offsetAt(range.end));
}

test('open publishes diagnostics with code, source, path and the exact range', async () => {
  const p = await client.open('open.yaml', DS);
  const d = p.diagnostics.find((x) => x.code === 'restart-policy-always');
  assert.ok(d, JSON.stringify(p.diagnostics));
  assert.equal(d.source, 'daemonset-lens');
  assert.equal(d.severity, 1);
  assert.equal(textAt(DS, d.range), 'Never');
  assert.equal((d.data as { path: string }).path, 'spec.template.spec.restartPolicy');
  assert.match(d.message, /Unsupported value: "Never": supported values: "Always"/);
  assert.equal(p.version, 1);
});

test('an edit re-validates: the problem goes away, a new one appears', async () => {
  const uri = client.uri('edit.yaml');
  await client.open('edit.yaml', DS);
  const fixed = await client.edit(uri, [{ range: client.rangeOf(uri, 'Never'), newText: 'Always' }]);
  assert.equal(fixed!.diagnostics.filter((d) => d.code === 'restart-policy-always').length, 0);
  const broken = await client.edit(uri, [{ range: client.rangeOf(uri, 'Always'), newText: 'OnFailure' }]);
  const d = broken!.diagnostics.find((x) => x.code === 'restart-policy-always');
  assert.ok(d);
  assert.equal(textAt(client.text(uri), d.range), 'OnFailure');
});

test('close clears the diagnostics', async () => {
  const p = await client.open('close.yaml', DS);
  assert.ok(p.diagnostics.length > 0);
  const cleared = await client.close(client.uri('close.yaml'));
  assert.deepEqual(cleared?.diagnostics, []);
});

test('YAML without Kubernetes objects gets no diagnostics, not even for syntax errors', async () => {
  const plain = client.uri('plain.yaml');
  await client.openOnly('plain.yaml', 'foo: [1, 2\nbar: {\n');
  // Messages are handled in order: once the manifest opened after it has its diagnostics, the
  // plain file would have had its own.
  await client.open('after-plain.yaml', DS);
  assert.equal(client.diagnostics.get(plain), undefined);
});

test('a syntax error in a manifest is reported at its place', async () => {
  const text = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: [oops\n';
  const p = await client.open('syntax.yaml', text);
  assert.ok(p.diagnostics.some((d) => d.code === 'yaml-syntax' && d.severity === 1), JSON.stringify(p.diagnostics));
});

test('a multi-document file reports each DaemonSet at its own place, and an edit in one keeps the others', async () => {
  const docs = Array.from({ length: 30 }, (_, i) => DS.replace('name: agent', `name: agent-${i}`)).join('---\n');
  const uri = client.uri('multi.yaml');
  const p = await client.open('multi.yaml', docs);
  const lines = p.diagnostics.filter((d) => d.code === 'restart-policy-always').map((d) => d.range.start.line);
  assert.equal(lines.length, 30);
  assert.equal(new Set(lines).size, 30);
  // Fix the 10th document only.
  const doc = TextDocument.create(uri, 'yaml', 0, docs);
  let at = -1;
  for (let i = 0; i < 10; i++) at = docs.indexOf('Never', at + 1);
  const q = await client.edit(uri, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at + 5) }, newText: 'Always' }]);
  const after = q!.diagnostics.filter((d) => d.code === 'restart-policy-always').map((d) => d.range.start.line);
  assert.deepEqual(after, lines.filter((_, i) => i !== 9));
});

test('JSON manifests are validated too', async () => {
  const json = JSON.stringify({
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'j' },
    spec: { selector: { matchLabels: { app: 'j' } }, template: { metadata: { labels: { app: 'j' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'j', image: 'j:1' }] } } },
  }, null, 2);
  const p = await client.open('ds.json', json, 'json');
  const d = p.diagnostics.find((x) => x.code === 'restart-policy-always');
  assert.ok(d);
  assert.equal(textAt(json, d.range), '"Never"');
});

test('the server stays up after odd requests (unknown document, position out of range)', async () => {
  const unknown = client.uri('never-opened.yaml');
  assert.equal(await client.hover(unknown, { line: 0, character: 0 }), null);
  const uri = client.uri('open.yaml');
  const h = await client.hover(uri, { line: 9999, character: 9999 });
  assert.ok(h === null || typeof h === 'object');
  const actions = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', source: 'daemonset-lens', data: 'garbage' }] } });
  assert.ok(Array.isArray(actions));
  const p = await client.open('still-alive.yaml', DS);
  assert.ok(p.diagnostics.length > 0);
});

test('closing a large file collects its memory at once; closing a small one does not', async () => {
  // 2,000 DaemonSets, each with its restartPolicy problem: about 0.6 MiB of text.
  const text = Array.from({ length: 2000 }, (_, i) => DS.replace('name: agent', `name: agent-${i}`)).join('---\n');
  assert.ok(text.length >= 512 * 1024, `${text.length}`);
  const uri = client.uri('large.yaml');
  const opened = await client.open('large.yaml', text);
  assert.equal(opened.diagnostics.filter((d) => d.code === 'restart-policy-always').length, 2000);
  const before = client.logs.length;
  const cleared = await client.close(uri);
  assert.deepEqual(cleared?.diagnostics, []);
  assert.match(client.logs.slice(before).join('\n'), /Closed .*large\.yaml \(0\.\d MiB of text\): memory collected in \d+ ms\./);
  // The server goes on: the same text opened again gets the same diagnostics.
  assert.equal((await client.open('large.yaml', text)).diagnostics.length, opened.diagnostics.length);
  await client.close(uri);
  const small = await client.open('small.yaml', DS);
  assert.ok(small.diagnostics.length > 0);
  const mark = client.logs.length;
  await client.close(client.uri('small.yaml'));
  assert.doesNotMatch(client.logs.slice(mark).join('\n'), /memory collected/);
});
