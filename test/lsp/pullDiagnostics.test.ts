/** A client that pulls diagnostics (textDocument/diagnostic) gets them pulled, never pushed. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
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
