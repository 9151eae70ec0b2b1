/** A client that pulls diagnostics (textDocument/diagnostic) gets them pulled, never pushed. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { fullCapabilities, TestClient } from './lspClient';
import { clusterFile, NODE_AGENT } from './fixtures';

let client: TestClient;
before(() => {
  client = new TestClient({ 'cluster.yaml': clusterFile() });
});
after(() => client.dispose());

test('the server declares a diagnostic provider and answers pulls', async () => {
  const init = await client.initialize(fullCapabilities({ pull: true }));
  assert.ok(init.capabilities.diagnosticProvider);
  const uri = await client.openOnly('agent.yaml', NODE_AGENT);
  const report = await client.pull(uri);
  assert.equal(report.kind, 'full');
  // The node agent misses cp-1: its own control-plane rule names the node.
  const d = report.items.find((x) => x.code === 'missing-control-plane-toleration' && /cp-1/.test(x.message));
  assert.ok(d, JSON.stringify(report.items.map((x) => x.code)));
  assert.equal(d.source, 'daemonset-lens');
  assert.equal(typeof (d.data as { path: unknown }).path, 'string');
});

test('an edit is seen by the next pull; a document that is not ours gets an empty report', async () => {
  const uri = client.uri('agent.yaml');
  await client.edit(uri, [{ range: client.rangeOf(uri, 'key: dedicated'), newText: 'operator: Exists\n        effect: NoSchedule\n        #' }], false);
  const report = await client.pull(uri);
  assert.equal(report.items.filter((x) => x.code === 'untolerated-taint' || x.code === 'missing-control-plane-toleration').length, 0, client.text(uri));
  const other = await client.openOnly('values.yaml', 'replicas: 3\n');
  assert.deepEqual((await client.pull(other)).items, []);
});

test('a cluster file change asks the client to pull again (workspace/diagnostic/refresh)', async () => {
  const cluster = await client.openOnly('cluster.yaml', clusterFile());
  const refreshed = client.waitRefresh();
  await client.edit(cluster, [{ range: client.rangeOf(cluster, 'name: worker-2'), newText: 'name: worker-9' }], false);
  await refreshed;
  assert.equal(client.diagnostics.size, 0, 'nothing is pushed to a pull client');
});

test('a hover is exact after an edit or a cluster file change that no pull has seen yet', async () => {
  const uri = await client.openOnly('hovered.yaml', NODE_AGENT);
  await client.pull(uri);
  const hoverOn = async (needle: string, offset: number) => {
    const h = await client.hover(uri, client.positionOf(uri, needle, offset));
    return { text: (h?.contents as MarkupContent | undefined)?.value ?? '', range: h?.range };
  };
  // Once pulled, the server computes the file's hovers while it is idle; a ping lets it.
  await client.conn.sendRequest('$/ping').catch(() => undefined);
  assert.match((await hoverOn('key: dedicated', 6)).text, /`dedicated`/);
  assert.match((await hoverOn('tolerations:', 2)).text, /not tolerated on `cp-1`/);
  // The cluster loses its control-plane taint: the hovers follow before any pull.
  const cluster = await client.openOnly('cluster.yaml', clusterFile());
  const refreshed = client.waitRefresh();
  const whole = { start: { line: 0, character: 0 }, end: client.positionOf(cluster, client.text(cluster), client.text(cluster).length) };
  await client.edit(cluster, [{ range: whole, newText: clusterFile({ controlPlaneTaint: false }) }], false);
  await refreshed;
  assert.match((await hoverOn('tolerations:', 2)).text, /every NoSchedule\/NoExecute taint of the 3 nodes is tolerated/);
  // A line more above the key, which is renamed: no pull, so the file is not validated again.
  const at = client.positionOf(uri, 'key: dedicated');
  await client.edit(uri, [
    { range: { start: { line: at.line, character: 0 }, end: { line: at.line, character: 0 } }, newText: '      # batch nodes\n' },
    { range: client.rangeOf(uri, 'dedicated'), newText: 'dedicated-batch' },
  ], false);
  const renamed = await hoverOn('key: dedicated-batch', 6);
  assert.match(renamed.text, /`dedicated-batch`/);
  assert.deepEqual(renamed.range, client.rangeOf(uri, 'dedicated-batch'));
});
