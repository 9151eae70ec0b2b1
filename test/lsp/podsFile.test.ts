/** The daemonsetLens.podsFile setting: its pods join the cluster file's, and stay fresh. */
import { after, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { PlacementResult } from '../../server/src/protocol';
import { TestClient } from './lspClient';
import { clusterFile } from './fixtures';

const DS = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: monitoring
  uid: 6a1f0d2e-0000-4000-8000-000000000001
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: example.com/agent:1.0
`;

const pod = (name: string, node: string) => `- apiVersion: v1
  kind: Pod
  metadata:
    name: ${name}
    namespace: monitoring
    labels: {app: agent}
    creationTimestamp: "2026-11-01T10:00:00Z"
    ownerReferences:
    - {apiVersion: apps/v1, kind: DaemonSet, name: agent, uid: 6a1f0d2e-0000-4000-8000-000000000001, controller: true}
  spec:
    nodeName: ${node}
    containers:
    - {name: agent, image: example.com/agent:1.0}
  status:
    phase: Running
`;
const PODS = (...pods: string[]) => `apiVersion: v1\nkind: List\nitems:\n${pods.join('')}`;

const clients: TestClient[] = [];
after(() => Promise.all(clients.map((c) => c.dispose())));

async function placement(client: TestClient, uri: string): Promise<PlacementResult> {
  return (await client.conn.sendRequest('daemonset/placement', { uri }))! as PlacementResult;
}

const podsOn = (r: PlacementResult, node: string) => r.daemonSets[0].placement!.nodes.find((n) => n.node === node)!.daemonPods;

async function until(client: TestClient, uri: string, ok: (r: PlacementResult) => boolean): Promise<PlacementResult> {
  // The server applies a change, then tells the client the cluster changed: listen before asking, so
  // that a change between the answer and the subscription is not missed.
  for (;;) {
    let changed!: () => void;
    const signal = new Promise<void>((resolve) => (changed = resolve));
    const d = client.conn.onNotification('daemonset/clusterChanged', () => changed());
    const r = await placement(client, uri);
    if (ok(r)) {
      d.dispose();
      return r;
    }
    await signal;
    d.dispose();
  }
}

test('the pods file setting adds its pods to the placement, and its changes on disk are picked up', async () => {
  const client = new TestClient({ 'cluster.yaml': clusterFile(), 'dumps/pods.yaml': PODS(pod('agent-a1', 'worker-1')) });
  clients.push(client);
  client.settings = { podsFile: 'dumps/pods.yaml' };
  await client.initialize();
  const uri = client.uri('agent.yaml');
  await client.open('agent.yaml', DS);
  const r = await until(client, uri, (x) => podsOn(x, 'worker-1').length === 1);
  assert.deepEqual(podsOn(r, 'worker-1'), ['agent-a1']);
  assert.deepEqual(podsOn(r, 'worker-2'), []);
  // A second pod on worker-1 appears on disk: the next sync deletes the newer one.
  client.writeFile('dumps/pods.yaml', PODS(pod('agent-a1', 'worker-1'), pod('agent-b2', 'worker-1').replace('10:00:00Z', '11:00:00Z')));
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri('dumps/pods.yaml'), type: 2 }] });
  const again = await until(client, uri, (x) => podsOn(x, 'worker-1').length === 2);
  const w1 = again.daemonSets[0].placement!.nodes.find((n) => n.node === 'worker-1')!;
  assert.deepEqual(w1.delete, ['agent-b2']);
  // Without the setting, only the cluster file's own pods (none) are known.
  client.settings = {};
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  const none = await until(client, uri, (x) => podsOn(x, 'worker-1').length === 0);
  assert.deepEqual(podsOn(none, 'worker-1'), []);
});

test('with the pods file, a system-node-critical agent that evicts lower-priority pods gets a note naming them, and the preview says it runs', async () => {
  const fixture = (f: string) => readFileSync(join(__dirname, '..', 'fixtures', 'placement', f), 'utf8');
  const client = new TestClient({ 'cluster.yaml': fixture('preemption-nodes.yaml'), 'dumps/pods.yaml': fixture('preemption-pods.yaml') });
  clients.push(client);
  client.settings = { podsFile: 'dumps/pods.yaml' };
  await client.initialize();
  const uri = client.uri('agent.yaml');
  const isNote = (d: { code?: unknown; severity?: number }) => d.code === 'unschedulable-on-nodes' && d.severity === 3;
  const diags = client.waitDiagnostics(uri, (p) => p.diagnostics.some(isNote), false);
  await client.open('agent.yaml', fixture('preemption-agent.yaml'));
  const note = (await diags).diagnostics.find(isNote)!;
  assert.match(note.message, /^Daemon pods preempt 2 pods of lower priority \(priority class `system-node-critical`, 2000001000\): on storage-1 the scheduler evicts rook-ceph\/rook-ceph-mon-a-5d8c6b7f9-k4m2n /);
  const r = await until(client, uri, (x) => x.daemonSets[0].placement?.nodes.some((n) => n.preemption) === true);
  const storage = r.daemonSets[0].placement!.nodes.find((n) => n.node === 'storage-1')!;
  assert.equal(storage.schedulable, true);
  assert.deepEqual(storage.preemption?.victims, ['rook-ceph/rook-ceph-mon-a-5d8c6b7f9-k4m2n']);
});
