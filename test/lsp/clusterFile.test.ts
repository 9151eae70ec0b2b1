/** The cluster file: discovery, the setting, and every way it changes refreshing open manifests. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestClient } from './lspClient';
import { clusterFile, NODE_AGENT } from './fixtures';

const clients: TestClient[] = [];
after(() => Promise.all(clients.map((c) => c.dispose())));

// The node agent misses the control-plane nodes: named by missing-control-plane-toleration (a node
// agent's own rule) or, for other taints, by untolerated-taint; either way only with the cluster file.
const untolerated = (p: PublishDiagnosticsParams) =>
  p.diagnostics.find((d) => (d.code === 'untolerated-taint' || d.code === 'missing-control-plane-toleration') && /cp-1/.test(d.message));

test('a discovered cluster.yaml feeds the placement rules', async () => {
  const client = new TestClient({ 'cluster.yaml': clusterFile() });
  clients.push(client);
  await client.initialize();
  const p = await client.open('agent.yaml', NODE_AGENT);
  const d = untolerated(p);
  assert.ok(d, JSON.stringify(p.diagnostics.map((x) => x.code)));
  assert.match(d.message, /cp-1/);
  assert.match(d.message, /node-role\.kubernetes\.io\/control-plane:NoSchedule/);
});

/** A server with the discovered cluster.yaml, and the node agent open: cp-1 blocks it. */
async function agentWithCluster(): Promise<{ client: TestClient; manifest: string }> {
  const client = new TestClient({ 'cluster.yaml': clusterFile() });
  clients.push(client);
  await client.initialize();
  const manifest = client.uri('agent.yaml');
  assert.ok(untolerated(await client.open('agent.yaml', NODE_AGENT)));
  return { client, manifest };
}

test('editing the open cluster file refreshes the open manifests, before it is saved', async () => {
  const { client, manifest } = await agentWithCluster();
  const cluster = client.uri('cluster.yaml');
  await client.openOnly('cluster.yaml', clusterFile());
  const refreshed = client.waitDiagnostics(manifest, (p) => !untolerated(p));
  await client.replaceAll(cluster, clusterFile({ controlPlaneTaint: false }));
  await refreshed;
  // And back: the taint is there again.
  const again = client.waitDiagnostics(manifest, (p) => !!untolerated(p));
  await client.replaceAll(cluster, clusterFile({ controlPlaneTaint: true }));
  assert.match(untolerated(await again)!.message, /cp-1/);
});

test('a hover follows the cluster file as it changes', async () => {
  const { client, manifest } = await agentWithCluster();
  const hoverText = async () => {
    const h = await client.hover(manifest, client.positionOf(manifest, 'tolerations:', 2));
    return (h?.contents as MarkupContent | undefined)?.value ?? '';
  };
  // Hovered once the server has listed the file's hovers for this cluster (after its diagnostics).
  assert.match(await hoverText(), /not tolerated on `cp-1`/);
  const cluster = client.uri('cluster.yaml');
  await client.openOnly('cluster.yaml', clusterFile());
  const refreshed = client.waitDiagnostics(manifest, (p) => !untolerated(p));
  await client.replaceAll(cluster, clusterFile({ controlPlaneTaint: false }));
  assert.match(await hoverText(), /every NoSchedule\/NoExecute taint of the 3 nodes is tolerated/);
  await refreshed;
  assert.match(await hoverText(), /every NoSchedule\/NoExecute taint of the 3 nodes is tolerated/);
  await client.replaceAll(cluster, clusterFile({ controlPlaneTaint: true, workers: 3 }));
  assert.match(await hoverText(), /not tolerated on `cp-1`/);
});

test('a change on disk (didChangeWatchedFiles) refreshes the open manifests', async () => {
  const { client, manifest } = await agentWithCluster();
  client.writeFile('cluster.yaml', clusterFile({ controlPlaneTaint: false }));
  const refreshed = client.waitDiagnostics(manifest, (p) => !untolerated(p));
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri('cluster.yaml'), type: 2 }] });
  await refreshed;
});

test('the clusterFile setting picks a file that discovery would not, relative to the workspace folder', async () => {
  const client = new TestClient({ 'clusters/prod-dump.txt.yaml': clusterFile(), 'notes.yaml': 'a: 1\n' });
  clients.push(client);
  // Not a well-known name, but a node list at depth 1: discovered by content.
  await client.initialize();
  assert.ok(untolerated(await client.open('agent.yaml', NODE_AGENT)));
  const manifest = client.uri('agent.yaml');
  // Point the setting at a file without the control-plane taint.
  client.writeFile('other/nodes-without-cp.yaml', clusterFile({ controlPlaneTaint: false }));
  client.settings = { clusterFile: 'other/nodes-without-cp.yaml' };
  const w = client.waitDiagnostics(manifest, (p) => !untolerated(p));
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await w;
});

test('the cluster file\'s own problems are reported on it', async () => {
  const broken = clusterFile().replace('effect: NoSchedule', 'effect: NoSchedul');
  const client = new TestClient({ 'cluster.yaml': broken });
  clients.push(client);
  await client.initialize();
  const p = await client.waitDiagnostics(client.uri('cluster.yaml'), (q) => q.diagnostics.length > 0, false);
  assert.ok(p.diagnostics.some((d) => /NoSchedul/.test(d.message)), JSON.stringify(p.diagnostics));
  // Open in the editor, the same problem is reported at the same place.
  const open = await client.open('cluster.yaml', broken);
  assert.deepEqual(open.diagnostics.map((d) => d.range), p.diagnostics.map((d) => d.range));
});
