/** Hover and completion contents, with the cluster file discovered in the workspace. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient } from './lspClient';
import { clusterFile, NODE_AGENT } from './fixtures';

let client: TestClient;
let uri: string;
before(async () => {
  client = new TestClient({ 'cluster.yaml': clusterFile() });
  await client.initialize();
  uri = client.uri('agent.yaml');
  await client.open('agent.yaml', NODE_AGENT);
});
after(() => client.dispose());

test('hover on a toleration key explains the taint and names the nodes that carry it', async () => {
  const h = await client.hover(uri, client.positionOf(uri, 'key: dedicated', 6));
  assert.ok(h);
  const md = (h.contents as MarkupContent);
  assert.equal(md.kind, 'markdown');
  assert.match(md.value, /dedicated/);
  assert.match(md.value, /worker|node/i);
  assert.deepEqual(h.range, client.rangeOf(uri, 'dedicated'));
});

test('hover in a 30-document file stays exact after edits move and change its documents', async () => {
  const docs = Array.from({ length: 30 }, (_, i) => NODE_AGENT.replace('key: dedicated', `key: dedicated-${i}`));
  const many = client.uri('many.yaml');
  await client.open('many.yaml', docs.join('---\n'));
  const keyRange = (key: string) => {
    const start = client.positionOf(many, `key: ${key}\n`, 'key: '.length);
    return { start, end: { line: start.line, character: start.character + key.length } };
  };
  const hoverKey = async (key: string) => {
    const h = await client.hover(many, client.positionOf(many, `key: ${key}\n`, 6));
    assert.ok(h, key);
    assert.match((h.contents as MarkupContent).value, new RegExp(`\`${key}\``));
    assert.deepEqual(h.range, keyRange(key), key);
  };
  await hoverKey('dedicated-20');
  // A line more in document 5 moves every later document; document 20's key changes.
  const top5 = client.positionOf(many, 'key: dedicated-5\n');
  const key20 = keyRange('dedicated-20');
  await client.edit(many, [
    { range: { start: { line: top5.line, character: 0 }, end: { line: top5.line, character: 0 } }, newText: '      # the node pool of batch jobs\n' },
    { range: key20, newText: 'dedicated-20b' },
  ]);
  for (const key of ['dedicated-0', 'dedicated-5', 'dedicated-20b', 'dedicated-25', 'dedicated-29']) await hoverKey(key);
});

test('hover on an effect explains it', async () => {
  const h = await client.hover(uri, client.positionOf(uri, 'NoSchedule', 2));
  assert.ok(h);
  assert.match((h.contents as MarkupContent).value, /NoSchedule/);
});

test('hover on the taint of a node in the cluster file', async () => {
  const cluster = client.uri('cluster.yaml');
  await client.open('cluster.yaml', clusterFile());
  const h = await client.hover(cluster, client.positionOf(cluster, 'node-role.kubernetes.io/control-plane, effect', 3));
  assert.ok(h);
  assert.match((h.contents as MarkupContent).value, /control-plane/);
});

test('completion of toleration keys offers the cluster\'s taints and the well-known ones', async () => {
  const at = client.positionOf(uri, '      containers:');
  await client.edit(uri, [{ range: { start: at, end: at }, newText: '      - key: \n' }], false);
  const list = await client.completion(uri, { line: at.line, character: '      - key: '.length });
  assert.ok(list);
  const labels = list.items.map((i) => i.label);
  assert.ok(labels.includes('node-role.kubernetes.io/control-plane'), labels.join(', '));
  assert.ok(labels.includes('node.kubernetes.io/network-unavailable'), labels.join(', '));
  const cp = list.items.find((i) => i.label === 'node-role.kubernetes.io/control-plane')!;
  assert.match(cp.detail ?? '', /cp-1/);
  assert.equal(typeof cp.documentation === 'object' && cp.documentation.kind, 'markdown');
});

test('completion of effects and operators', async () => {
  const text = client.text(uri);
  const at = client.positionOf(uri, '      - key: \n');
  const line = `        effect: `;
  const end = { line: at.line + 1, character: 0 };
  await client.edit(uri, [{ range: { start: end, end }, newText: `${line}\n` }], false);
  const effects = await client.completion(uri, { line: at.line + 1, character: line.length });
  const labels = effects?.items.map((i) => i.label) ?? [];
  for (const e of ['NoSchedule', 'PreferNoSchedule', 'NoExecute']) assert.ok(labels.includes(e), `${e} missing from ${labels.join(', ')} in\n${client.text(uri)}`);
  assert.ok(text.length > 0);
});
