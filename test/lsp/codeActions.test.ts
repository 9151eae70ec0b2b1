/**
 * How code actions find their edits: diagnostics carry no fixes; the server computes them for the
 * finding of the version the diagnostic was published for. A client that resolves code actions (as
 * VS Code) gets them without edits and resolves the one it applies.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { applyAction, fullCapabilities, TestClient } from './lspClient';
import { NODE_AGENT } from './fixtures';

const CP = 'missing-control-plane-toleration';
const BOTH = 'Add both control-plane tolerations (control-plane and legacy master)';

let client: TestClient;
before(async () => {
  client = new TestClient();
  const init = await client.initialize();
  assert.deepEqual(init.capabilities.codeActionProvider, { codeActionKinds: ['quickfix'], resolveProvider: true });
});
after(() => client.dispose());

const cpOf = (ds: Diagnostic[]) => ds.find((d) => d.code === CP)!;

test('a diagnostic carries its path and version, not its fixes', async () => {
  const p = await client.open('names.yaml', NODE_AGENT);
  const data = cpOf(p.diagnostics).data as Record<string, unknown>;
  assert.equal(data.path, 'spec.template.spec.tolerations');
  assert.equal(data.version, 1);
  assert.ok(!('fixes' in data), JSON.stringify(data));
  // The code actions compute them: both control-plane tolerations, the current one, and the comment.
  const actions = await client.codeActions(client.uri('names.yaml'), [cpOf(p.diagnostics)]);
  assert.deepEqual(actions.map((a) => a.title), [BOTH, 'Add toleration node-role.kubernetes.io/control-plane:NoSchedule', `Disable ${CP} on this line`]);
  assert.deepEqual(actions.map((a) => a.isPreferred), [true, false, false]);
});

test('actions come without edits; resolving one gives its edits, and applying them clears the diagnostic', async () => {
  const uri = client.uri('resolve.yaml');
  const p = await client.open('resolve.yaml', NODE_AGENT);
  const actions = await client.codeActions(uri, [cpOf(p.diagnostics)]);
  const both = actions.find((a) => a.title === BOTH)!;
  assert.ok(both, actions.map((a) => a.title).join(', '));
  assert.equal(both.edit, undefined);
  assert.equal(both.isPreferred, true);
  assert.deepEqual(both.diagnostics?.map((d) => d.code), [CP]);
  assert.equal(both.diagnostics?.[0].data, undefined, 'the diagnostic is named, its data not sent back');
  const resolved = await client.conn.sendRequest<CodeAction>('codeAction/resolve', both);
  const edits = resolved.edit?.changes?.[uri] ?? [];
  assert.equal(edits.length, 1);
  assert.match(edits[0].newText, /key: node-role\.kubernetes\.io\/control-plane\n\s+operator: Exists\n\s+effect: NoSchedule\n/);
  assert.match(edits[0].newText, /node-role\.kubernetes\.io\/master/);
  const after = await client.replaceAll(uri, applyAction(client.text(uri), uri, resolved));
  assert.equal(after.diagnostics.filter((d) => d.code === CP).length, 0, client.text(uri));
});

test('asked again, the actions are the same; after an edit elsewhere in the file, they name the new version', async () => {
  const uri = client.uri('again.yaml');
  const p = await client.open('again.yaml', `${NODE_AGENT}---\n${NODE_AGENT.replace(/name: [\w-]+/, 'name: second')}`);
  const first = await client.codeActions(uri, [cpOf(p.diagnostics)]);
  assert.deepEqual(await client.codeActions(uri, [cpOf(p.diagnostics)]), first);
  const versions = (actions: CodeAction[]) => actions.map((a) => (a.data as { version?: number } | undefined)?.version);
  assert.deepEqual(versions(first), [1, 1, 1]);
  // A comment in the second document: the first one's finding is unchanged, in version 2.
  const second = client.positionOf(uri, '---\n');
  const edited = (await client.edit(uri, [{ range: { start: { line: second.line + 1, character: 0 }, end: { line: second.line + 1, character: 0 } }, newText: '# the second agent\n' }]))!;
  const cp = cpOf(edited.diagnostics);
  assert.deepEqual(cp.range, cpOf(p.diagnostics).range);
  const again = await client.codeActions(uri, [cp]);
  assert.deepEqual(again.map((a) => a.title), first.map((a) => a.title));
  assert.deepEqual(versions(again), [2, 2, 2]);
  const resolved = await client.conn.sendRequest<CodeAction>('codeAction/resolve', again[0]);
  assert.equal(resolved.edit?.changes?.[uri]?.length, 1);
  // On another line (the diagnostic of the second document, same rule): its own comment line.
  const other = edited.diagnostics.filter((d) => d.code === CP)[1];
  assert.ok(other && other.range.start.line > second.line);
  const disable = (await client.codeActions(uri, [other])).find((a) => a.title === `Disable ${CP} on this line`)!;
  const edit = (await client.conn.sendRequest<CodeAction>('codeAction/resolve', disable)).edit?.changes?.[uri]?.[0];
  assert.equal(edit?.range.start.line, other.range.start.line);
});

test('two files with the same text get actions that name their own file', async () => {
  const [a, b] = [client.uri('twin-a.yaml'), client.uri('twin-b.yaml')];
  const pa = await client.open('twin-a.yaml', NODE_AGENT);
  const pb = await client.open('twin-b.yaml', NODE_AGENT);
  for (const [uri, p] of [[a, pa], [b, pb]] as const) {
    const actions = await client.codeActions(uri, [cpOf(p.diagnostics)]);
    assert.deepEqual(actions.map((x) => (x.data as { uri?: string }).uri), [uri, uri, uri]);
    const resolved = await client.conn.sendRequest<CodeAction>('codeAction/resolve', actions[0]);
    assert.deepEqual(Object.keys(resolved.edit?.changes ?? {}), [uri]);
  }
});

test('a stale diagnostic gets no actions, and an action of an older version resolves to no edit', async () => {
  const uri = client.uri('stale.yaml');
  const p = await client.open('stale.yaml', NODE_AGENT);
  const old = cpOf(p.diagnostics);
  const actions = await client.codeActions(uri, [old]);
  assert.ok(actions.length > 0);
  await client.edit(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# a comment\n' }]);
  assert.deepEqual(await client.codeActions(uri, [old]), []);
  const resolved = await client.conn.sendRequest<CodeAction>('codeAction/resolve', actions.find((a) => a.title === BOTH));
  assert.equal(resolved.edit, undefined);
  // The diagnostics of the new version work again, one line lower.
  const fresh = cpOf(client.diagnostics.get(uri)!.diagnostics);
  assert.equal(fresh.range.start.line, old.range.start.line + 1);
  const again = await client.resolvedCodeActions(uri, [fresh]);
  assert.ok(again.find((a) => a.title === BOTH)?.edit);
});

test('a diagnostic whose data the client dropped is still matched by rule, range and message', async () => {
  const uri = client.uri('nodata.yaml');
  const p = await client.open('nodata.yaml', NODE_AGENT);
  const { data: _data, ...bare } = cpOf(p.diagnostics);
  const actions = await client.resolvedCodeActions(uri, [bare]);
  assert.deepEqual(actions.map((a) => a.title), [BOTH, 'Add toleration node-role.kubernetes.io/control-plane:NoSchedule', `Disable ${CP} on this line`]);
  assert.ok(actions.every((a) => a.edit?.changes?.[uri]?.length));
  // Another message at that range is not ours to fix.
  assert.deepEqual(await client.codeActions(uri, [{ ...bare, message: 'something else' }]), []);
});

test('each action names the diagnostic as the client sent it back, without its data', async () => {
  const uri = client.uri('echo.yaml');
  const text = NODE_AGENT.replace('spec:\n  selector:', 'spec:\n  updateStrategy:\n    type: OnDelete\n    rollingUpdate:\n      maxUnavailable: 1\n  selector:');
  const p = await client.open('echo.yaml', text);
  const named = async (d: Diagnostic) => {
    const actions = await client.codeActions(uri, [d]);
    assert.ok(actions.length > 0, JSON.stringify(d));
    return actions.map((a) => a.diagnostics);
  };
  const echo = (d: Diagnostic) => {
    const { data: _data, ...slim } = d;
    return slim;
  };
  const cp = cpOf(p.diagnostics);
  assert.deepEqual(await named(cp), [[echo(cp)], [echo(cp)], [echo(cp)]]);
  // Changed by the client (a severity of its own, information the server never sent): as it came.
  for (const changed of [{ ...cp, severity: 1 }, { ...cp, relatedInformation: [{ location: { uri, range: cp.range }, message: 'see here' }] }] as Diagnostic[]) {
    assert.deepEqual(await named(changed), [[echo(changed)], [echo(changed)], [echo(changed)]]);
    assert.deepEqual(await named(cp), [[echo(cp)], [echo(cp)], [echo(cp)]]);
  }
  // A diagnostic published with a tag, sent back with it and without it.
  const ignored = p.diagnostics.find((d) => d.code === 'update-strategy')!;
  assert.deepEqual(ignored.tags, [1]);
  assert.deepEqual(await named(ignored), [[echo(ignored)]]);
  const { tags: _tags, ...untagged } = ignored;
  // A tag list that is not a list (bad input) is echoed as it came too, and the other diagnostics still get their actions.
  for (const changed of [untagged, { ...ignored, tags: [2] }, { ...ignored, tags: 'x' }] as unknown as Diagnostic[]) assert.deepEqual(await named(changed), [[echo(changed)]]);
  const both = await client.codeActions(uri, [{ ...ignored, tags: 'x' } as unknown as Diagnostic, cp]);
  assert.equal(both.filter((a) => a.diagnostics?.[0].code === CP).length, 3);
});

test('malformed diagnostics sent back get no actions and do not take the others\' with them', async () => {
  const uri = client.uri('malformed.yaml');
  const p = await client.open('malformed.yaml', NODE_AGENT);
  const cp = cpOf(p.diagnostics);
  const { range: _range, ...rangeless } = cp;
  const junk = [null, 7, 'x', rangeless, { ...cp, range: { start: 3, end: null } }, { ...cp, range: null }];
  const actions = await client.codeActions(uri, [...junk, cp] as unknown as Diagnostic[]);
  assert.deepEqual(actions.map((a) => a.title), [BOTH, 'Add toleration node-role.kubernetes.io/control-plane:NoSchedule', `Disable ${CP} on this line`]);
});

test('a settings change between the action and its resolution keeps the fix', async () => {
  const uri = client.uri('settings.yaml');
  const p = await client.open('settings.yaml', NODE_AGENT);
  const actions = await client.codeActions(uri, [cpOf(p.diagnostics)]);
  const w = client.waitDiagnostics(uri);
  client.settings = { rules: { [CP]: 'error' } };
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  assert.equal(cpOf((await w).diagnostics).severity, 1);
  const resolved = await client.conn.sendRequest<CodeAction>('codeAction/resolve', actions.find((a) => a.title === BOTH));
  assert.equal(resolved.edit?.changes?.[uri]?.length, 1);
  client.settings = {};
});

test('an action resolves to its own DaemonSet even when a rule turned off meanwhile shifts the findings', async () => {
  // Two node agents; the first also breaks restart-policy-always, whose finding comes before its own
  // control-plane one. Turned off, the findings shift: the first agent's fix must still edit the first.
  const first = NODE_AGENT.replace('name: log-shipper', 'name: first').replace('      containers:', '      restartPolicy: Never\n      containers:');
  const second = NODE_AGENT.replace('name: log-shipper', 'name: second');
  const text = `${first}---\n${second}`;
  const uri = client.uri('shift.yaml');
  const p = await client.open('shift.yaml', text);
  const codes = p.diagnostics.map((d) => d.code);
  assert.ok(codes.indexOf('restart-policy-always') < codes.indexOf(CP), codes.join(', '));
  const actions = await client.codeActions(uri, [cpOf(p.diagnostics)]);
  const w = client.waitDiagnostics(uri);
  client.settings = { rules: { 'restart-policy-always': 'off' } };
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  assert.ok(!(await w).diagnostics.some((d) => d.code === 'restart-policy-always'));
  const resolved = await client.conn.sendRequest<CodeAction>('codeAction/resolve', actions.find((a) => a.title === BOTH));
  const edits = resolved.edit?.changes?.[uri] ?? [];
  assert.equal(edits.length, 1);
  assert.ok(edits[0].range.start.line < text.slice(0, text.indexOf('---')).split('\n').length, `the edit is at line ${edits[0].range.start.line}, in the second DaemonSet`);
  client.settings = {};
});

test('a client without resolve support gets the edits at once', async () => {
  const plain = new TestClient();
  try {
    const caps = fullCapabilities();
    delete caps.textDocument!.codeAction!.resolveSupport;
    const init = await plain.initialize(caps);
    assert.deepEqual(init.capabilities.codeActionProvider, { codeActionKinds: ['quickfix'], resolveProvider: false });
    const uri = plain.uri('eager.yaml');
    const p = await plain.open('eager.yaml', NODE_AGENT);
    const actions = await plain.codeActions(uri, [cpOf(p.diagnostics)]);
    assert.ok(actions.length >= 3);
    for (const a of actions) {
      assert.ok(a.edit?.changes?.[uri]?.length, a.title);
      assert.equal(a.data, undefined);
    }
  } finally {
    plain.dispose();
  }
});
