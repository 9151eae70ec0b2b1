/** Settings applied live: rule severities (off, hint), kubernetesVersion, both ways of sending them. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fullCapabilities, TestClient } from './lspClient';
import { NODE_AGENT } from './fixtures';
import type { PlacementResult } from '../../server/src/protocol';

const clients: TestClient[] = [];
after(() => Promise.all(clients.map((c) => c.dispose())));

const CP = 'missing-control-plane-toleration';

test('workspace/configuration: a rule turned off, then to hint, then back', async () => {
  const client = new TestClient();
  clients.push(client);
  await client.initialize(fullCapabilities({ configuration: true }));
  const uri = client.uri('agent.yaml');
  const first = await client.open('agent.yaml', NODE_AGENT);
  const d = first.diagnostics.find((x) => x.code === CP);
  assert.ok(d, JSON.stringify(first.diagnostics.map((x) => x.code)));
  assert.equal(d.severity, 3); // information by default

  client.settings = { rules: { [CP]: 'off' } };
  let w = client.waitDiagnostics(uri);
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  let p = await w;
  assert.equal(p.diagnostics.filter((x) => x.code === CP).length, 0);

  client.settings = { rules: { [CP]: 'hint' } };
  w = client.waitDiagnostics(uri);
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  p = await w;
  assert.equal(p.diagnostics.find((x) => x.code === CP)?.severity, 4);

  client.settings = { rules: { [CP]: 'error' } };
  w = client.waitDiagnostics(uri);
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  p = await w;
  assert.equal(p.diagnostics.find((x) => x.code === CP)?.severity, 1);
});

test('kubernetesVersion: before 1.25 the legacy master taint matters too', async () => {
  const client = new TestClient();
  clients.push(client);
  client.settings = { kubernetesVersion: '1.24' };
  await client.initialize();
  const uri = client.uri('agent.yaml');
  const old = await client.open('agent.yaml', NODE_AGENT);
  const d = old.diagnostics.find((x) => x.code === CP);
  assert.ok(d);
  assert.match(d.message, /node-role\.kubernetes\.io\/master/);

  client.settings = { kubernetesVersion: '1.35' };
  const w = client.waitDiagnostics(uri);
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  const now = await w;
  const d2 = now.diagnostics.find((x) => x.code === CP);
  assert.ok(d2);
  assert.doesNotMatch(d2.message, /node-role\.kubernetes\.io\/master/);
});

test('push style: settings in didChangeConfiguration params, for clients without workspace/configuration', async () => {
  const client = new TestClient();
  clients.push(client);
  await client.initialize(fullCapabilities({ configuration: false }));
  const uri = client.uri('agent.yaml');
  await client.open('agent.yaml', NODE_AGENT);
  const w = client.waitDiagnostics(uri);
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { daemonsetLens: { rules: { [CP]: 'warning' } } } });
  const p = await w;
  assert.equal(p.diagnostics.find((x) => x.code === CP)?.severity, 2);
});

test('initializationOptions carry settings too', async () => {
  const client = new TestClient();
  clients.push(client);
  await client.initialize(fullCapabilities({ configuration: false }), { settings: { daemonsetLens: { rules: { [CP]: 'off' } } } });
  const p = await client.open('agent.yaml', NODE_AGENT);
  assert.equal(p.diagnostics.filter((x) => x.code === CP).length, 0);
});

test('kubernetesVersion: the preview and the diagnostics count pod-level requests only where the target serves them', async () => {
  const cluster = `apiVersion: v1
kind: Node
metadata: {name: small-1}
status: {allocatable: {cpu: "1", memory: 1Gi, pods: "110"}}
`;
  const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      resources: {requests: {cpu: "2"}}
      containers:
      - {name: agent, image: example.com/agent:1.0, resources: {requests: {cpu: 100m}}}
`;
  const client = new TestClient({ 'cluster.yaml': cluster });
  clients.push(client);
  client.settings = { kubernetesVersion: '1.33' };
  await client.initialize(fullCapabilities({ configuration: true }));
  const uri = client.uri('agent.yaml');
  const schedulable = async () => {
    const r = await client.conn.sendRequest('daemonset/placement', { uri }) as PlacementResult;
    return r.daemonSets[0].placement!.nodes.map((n) => n.schedulable);
  };
  const old = await client.open('agent.yaml', ds);
  assert.equal(old.diagnostics.filter((x) => x.code === 'unschedulable-on-nodes').length, 0);
  assert.deepEqual(await schedulable(), [true]);

  client.settings = { kubernetesVersion: '1.34' };
  const w = client.waitDiagnostics(uri);
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  const now = await w;
  assert.equal(now.diagnostics.filter((x) => x.code === 'unschedulable-on-nodes').length, 1);
  assert.deepEqual(await schedulable(), [false]);
});

test('featureGates: entries that change nothing for the target are pointed out once, in a warning', async () => {
  const client = new TestClient();
  clients.push(client);
  client.settings = { featureGates: { PodLevelResource: true } };
  await client.initialize(fullCapabilities({ configuration: true }));
  const uri = client.uri('agent.yaml');
  await client.open('agent.yaml', NODE_AGENT);
  assert.deepEqual(client.messages, [{ type: 2, message: "featureGates: 'PodLevelResource' (did you mean PodLevelResources?) is not a gate DaemonSet Lens reads: it changes nothing here." }]);

  // The same settings again: nothing more is said.
  client.settings = { featureGates: { PodLevelResource: true }, rules: { [CP]: 'hint' } };
  let w = client.waitDiagnostics(uri);
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await w;
  assert.equal(client.messages.length, 1);

  // A gate the target version does not have yet.
  client.settings = { featureGates: { TaintTolerationComparisonOperators: true }, kubernetesVersion: '1.34' };
  w = client.waitDiagnostics(uri);
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await w;
  assert.equal(client.messages.length, 2);
  assert.match(client.messages[1].message, /'TaintTolerationComparisonOperators' does not exist in 1\.34 \(it was added in 1\.35\)/);

  // Every gate counts: no warning.
  client.settings = { featureGates: { TaintTolerationComparisonOperators: true } };
  w = client.waitDiagnostics(uri);
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await w;
  assert.equal(client.messages.length, 2);
});

test('rules and kubernetesVersion: entries that change nothing are pointed out in a warning, and said again only when they change', async () => {
  const client = new TestClient();
  clients.push(client);
  client.settings = { rules: { 'untolerated-taints': 'off', [CP]: 'loud', 'yaml-syntax': 'warning' }, kubernetesVersion: 'latest' };
  await client.initialize(fullCapabilities({ configuration: true }));
  const uri = client.uri('agent.yaml');
  const first = await client.open('agent.yaml', NODE_AGENT);
  assert.ok(first.diagnostics.some((d) => d.code === CP && d.severity === 3), 'the rule keeps its default severity');
  assert.deepEqual(client.messages, [{
    type: 2,
    message: 'kubernetesVersion: "latest" is not a version such as 1.35: manifests are validated against 1.35. '
      + "rules: 'untolerated-taints' (did you mean untolerated-taint?) is not a rule id: it changes nothing; '" + CP + '\': "loud" is not one of error, warning, information, hint, off: the rule keeps its default severity.',
  }]);

  // Another typo is pointed out; settings that all count say nothing more.
  client.settings = { rules: { 'untolerated-taint2': 'off' } };
  let w = client.waitDiagnostics(uri);
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await w;
  client.settings = { rules: { [CP]: 'hint' } };
  w = client.waitDiagnostics(uri);
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  assert.ok((await w).diagnostics.some((d) => d.code === CP && d.severity === 4));
  assert.equal(client.messages.length, 2);
  assert.match(client.messages[1].message, /^rules: 'untolerated-taint2' \(did you mean untolerated-taint\?\) is not a rule id/);
});
