/**
 * A client the server has never seen: no capabilities beyond the defaults, settings only through
 * `workspace/didChangeConfiguration`. Diagnostics, hover, completion and code actions all work.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyAction, TestClient } from './lspClient';
import { NODE_AGENT } from './fixtures';

let client: TestClient;
before(async () => {
  client = new TestClient();
  const init = await client.initialize({});
  assert.ok(init.capabilities.hoverProvider);
  assert.ok(init.capabilities.completionProvider);
  assert.ok(init.capabilities.codeActionProvider);
  assert.equal(init.capabilities.diagnosticProvider, undefined);
});
after(() => client.dispose());

const CP = 'missing-control-plane-toleration';

test('diagnostics are pushed, and settings arrive with didChangeConfiguration', async () => {
  const uri = client.uri('agent.yaml');
  const p = await client.open('agent.yaml', NODE_AGENT);
  assert.ok(p.diagnostics.some((d) => d.code === CP));
  const w = client.waitDiagnostics(uri);
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { daemonsetLens: { rules: { [CP]: 'error' } } } });
  assert.equal((await w).diagnostics.find((d) => d.code === CP)?.severity, 1);
});

test('code actions fix the problem', async () => {
  const uri = client.uri('agent.yaml');
  const d = client.diagnostics.get(uri)!.diagnostics.find((x) => x.code === CP)!;
  const actions = await client.codeActions(uri, [d]);
  const fix = actions.find((a) => a.isPreferred) ?? actions[0];
  assert.ok(fix, 'no action');
  const after = await client.replaceAll(uri, applyAction(client.text(uri), uri, fix));
  assert.equal(after.diagnostics.filter((x) => x.code === CP).length, 0, client.text(uri));
});

test('hover and completion answer', async () => {
  const uri = client.uri('agent.yaml');
  const h = await client.hover(uri, client.positionOf(uri, 'NoSchedule', 1));
  assert.ok(h);
  const at = client.positionOf(uri, '      containers:');
  await client.edit(uri, [{ range: { start: at, end: at }, newText: '      - key: \n' }], false);
  const list = await client.completion(uri, { line: at.line, character: '      - key: '.length });
  assert.ok(list && list.items.length > 0);
});
