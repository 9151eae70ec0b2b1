import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { CodeLens } from 'vscode-languageserver-protocol';
import type { ClusterFileResult, PlacementResult, PodForNodeResult } from '../../server/src/protocol';
import { TestClient } from './lspClient';

const DS = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: monitoring
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

const node = (name: string, taint?: string) => `- apiVersion: v1
  kind: Node
  metadata:
    name: ${name}
${taint ? `  spec:\n    taints:\n    - {key: ${taint}, effect: NoSchedule}\n` : ''}`;

const CLUSTER = `apiVersion: v1
kind: List
items:
${node('cp-1', 'node-role.kubernetes.io/control-plane')}${node('worker-1')}${node('worker-2')}`;

let client: TestClient;
let clusterChanged = 0;
before(async () => {
  client = new TestClient({ 'cluster.yaml': CLUSTER });
  client.conn.onNotification('daemonset/clusterChanged', () => clusterChanged++);
  await client.initialize();
});
after(() => client.dispose());

function placement(uri: string, line?: number): Promise<PlacementResult | null> {
  return client.conn.sendRequest('daemonset/placement', { uri, ...(line !== undefined ? { position: { line, character: 0 } } : {}) });
}

test('daemonset/placement answers with every node, verdicts and links into both files', async () => {
  const uri = client.uri('agent.yaml');
  await client.open('agent.yaml', DS);
  const r = (await placement(uri, 3))!;
  assert.equal(r.cluster?.uri, client.uri('cluster.yaml'));
  assert.equal(r.cluster?.source, 'discovered');
  assert.deepEqual(r.nodes.map((n) => n.name), ['cp-1', 'worker-1', 'worker-2']);
  assert.equal(r.nodes[0].location?.uri, client.uri('cluster.yaml'));
  const ds = r.daemonSets[r.activeIndex];
  assert.equal(ds.name, 'agent');
  assert.deepEqual(ds.placement!.nodes.map((v) => [v.node, v.shouldRun]), [['cp-1', false], ['worker-1', true], ['worker-2', true]]);
  assert.equal(ds.placement!.nodes[0].reasons[0].code, 'untolerated-taint');
});

test('a code lens above the DaemonSet says where it runs and opens the preview', async () => {
  const uri = client.uri('agent.yaml');
  const lenses = await client.conn.sendRequest<CodeLens[] | null>('textDocument/codeLens', { textDocument: { uri } });
  assert.equal(lenses?.length, 1);
  assert.equal(lenses![0].command?.title, 'runs on 2 of 3 nodes · 1 blocked by taints');
  assert.equal(lenses![0].command?.command, 'daemonsetLens.openPreviewToSide');
  assert.deepEqual(lenses![0].range.start, { line: 1, character: 0 });
});

test('daemonset/podForNode returns the pod with the injected node affinity', async () => {
  const uri = client.uri('agent.yaml');
  const r = (await client.conn.sendRequest<PodForNodeResult | null>('daemonset/podForNode', { uri, index: 0, node: 'worker-1' }))!;
  const pod = parse(r.yaml) as { metadata: { namespace: string }; spec: { affinity: { nodeAffinity: unknown } } };
  assert.equal(pod.metadata.namespace, 'monitoring');
  assert.match(JSON.stringify(pod.spec.affinity), /"metadata.name","operator":"In","values":\["worker-1"\]/);
  const none = await client.conn.sendRequest('daemonset/podForNode', { uri, index: 9, node: 'worker-1' });
  assert.equal(none, null);
});

test('daemonset/clusterFile says which cluster file is in use', async () => {
  const r = await client.conn.sendRequest<ClusterFileResult>('daemonset/clusterFile', {});
  assert.equal(r.cluster?.nodeCount, 3);
  assert.deepEqual(r.candidates, [client.uri('cluster.yaml')]);
});

test('an unsaved edit of the cluster file adds a node to the next answer', async () => {
  const clusterUri = client.uri('cluster.yaml');
  const before = clusterChanged;
  await client.openOnly('cluster.yaml', CLUSTER);
  await client.replaceAll(clusterUri, CLUSTER + node('worker-3')).catch(() => undefined);
  const r = (await placement(client.uri('agent.yaml')))!;
  assert.ok(clusterChanged > before, 'the server announced the change');
  const v = r.daemonSets[0].placement!.nodes.find((n) => n.node === 'worker-3');
  assert.ok(v, 'worker-3 is placed');
  assert.equal(v.shouldRun, true);
});

test('a file that is not open, or not a manifest, gets a harmless answer', async () => {
  assert.equal(await placement(client.uri('nope.yaml')), null);
  await client.openOnly('cm.yaml', 'kind: ConfigMap\nmetadata: {name: x}\n');
  const r = (await placement(client.uri('cm.yaml')))!;
  assert.deepEqual(r.daemonSets, []);
  assert.equal(r.activeIndex, -1);
});

test('daemonset/addToleration returns the minimal edit that tolerates the taint', async () => {
  const uri = client.uri('agent.yaml');
  const r = await client.conn.sendRequest<{ title: string; version?: number; edits: Array<{ range: import('vscode-languageserver-protocol').Range; newText: string }> } | null>(
    'daemonset/addToleration', { uri, index: 0, taint: { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' } });
  assert.ok(r);
  assert.equal(r.title, 'Add toleration node-role.kubernetes.io/control-plane:NoSchedule');
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  const after = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, DS), r.edits);
  const ds = parse(after) as { spec: { template: { spec: { tolerations: unknown[] } } } };
  assert.deepEqual(ds.spec.template.spec.tolerations, [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
  assert.equal(await client.conn.sendRequest('daemonset/addToleration', { uri, index: 0, taint: null }), null);
});
