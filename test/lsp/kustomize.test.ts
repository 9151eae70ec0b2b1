/**
 * Kustomize patches in the editor: a file listed as a patch in the kustomization of its folder is a
 * partial manifest (no required-field or placement findings, not placed), as in the CLI; the
 * kustomization is followed as it changes on disk or in the editor.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeLens, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { PATCH_LINE, type PlacementResult, type PodForNodeResult } from '../../server/src/protocol';
import { clusterFile } from './fixtures';
import { TestClient } from './lspClient';

const clients: TestClient[] = [];
after(() => Promise.all(clients.map((c) => c.dispose())));

/** An image bump: it names images, so by its content alone it looks like a whole DaemonSet without a selector. */
const PATCH = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-shipper
  namespace: logging
spec:
  template:
    spec:
      containers:
      - name: shipper
        image: fluent/fluent-bit:3.2
`;

const listing = (...paths: string[]) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base
patches:
${paths.map((p) => `  - path: ${p}\n`).join('')}`;
const NOT_LISTING = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base\n';

const selectorError = (p: PublishDiagnosticsParams) =>
  p.diagnostics.some((d) => d.severity === 1 && (d.code === 'selector-matches-labels' || d.code === 'missing-required-field') && /selector/.test(d.message));
const codes = (p: PublishDiagnosticsParams) => JSON.stringify(p.diagnostics.map((d) => `${String(d.code)}: ${d.message}`));

async function start(files: Record<string, string>): Promise<TestClient> {
  const client = new TestClient({ 'cluster.yaml': clusterFile(), ...files });
  clients.push(client);
  await client.initialize();
  return client;
}

test('a listed patch gets no selector error and no placement finding; the same text elsewhere does', async () => {
  const client = await start({ 'overlay/kustomization.yaml': listing('patch.yaml'), 'overlay/patch.yaml': PATCH, 'alone/patch.yaml': PATCH });
  const listed = await client.open('overlay/patch.yaml', PATCH);
  assert.deepEqual(listed.diagnostics, [], codes(listed));
  const alone = await client.open('alone/patch.yaml', PATCH);
  assert.ok(selectorError(alone), codes(alone));
  // A log shipper without the control-plane toleration, placed over the cluster file.
  assert.ok(alone.diagnostics.some((d) => /cp-1/.test(d.message)), codes(alone));
});

test('a listed patch is not placed: code lens, placement preview and pod for a node say it is a patch', async () => {
  const client = await start({ 'overlay/kustomization.yaml': listing('patch.yaml'), 'overlay/patch.yaml': PATCH, 'alone/patch.yaml': PATCH });
  await client.open('overlay/patch.yaml', PATCH);
  await client.open('alone/patch.yaml', PATCH);
  const uri = client.uri('overlay/patch.yaml');
  const lenses = await client.conn.sendRequest<CodeLens[] | null>('textDocument/codeLens', { textDocument: { uri } });
  assert.equal(lenses?.[0].command?.title, PATCH_LINE);
  const aloneLenses = await client.conn.sendRequest<CodeLens[] | null>('textDocument/codeLens', { textDocument: { uri: client.uri('alone/patch.yaml') } });
  assert.match(aloneLenses?.[0].command?.title ?? '', /runs on \d+ of 3 nodes/);

  const placement = (await client.conn.sendRequest<PlacementResult | null>('daemonset/placement', { uri }))!;
  assert.equal(placement.daemonSets.length, 1);
  assert.equal(placement.daemonSets[0].patch, true);
  assert.equal(placement.daemonSets[0].placement, undefined);
  const alonePlacement = (await client.conn.sendRequest<PlacementResult | null>('daemonset/placement', { uri: client.uri('alone/patch.yaml') }))!;
  assert.ok(alonePlacement.daemonSets[0].placement);
  assert.equal(alonePlacement.daemonSets[0].patch, undefined);

  const pod = (await client.conn.sendRequest<PodForNodeResult | null>('daemonset/podForNode', { uri, index: 0, node: 'worker-1' }))!;
  assert.match(pod.note ?? '', /Kustomize patch/);
  assert.doesNotMatch(pod.yaml, /^kind: Pod/m);
});

test("a listed patch's tolerations: only the controller's when it sets none (the base's apply), its own when it sets them (they replace the base's)", async () => {
  const WITH = PATCH.replace('      containers:', '      tolerations:\n      - key: node-role.kubernetes.io/control-plane\n        operator: Exists\n        effect: NoSchedule\n      containers:');
  const client = await start({ 'overlay/kustomization.yaml': listing('patch.yaml', 'tolerating.yaml'), 'overlay/patch.yaml': PATCH, 'overlay/tolerating.yaml': WITH });
  await client.open('overlay/patch.yaml', PATCH);
  await client.open('overlay/tolerating.yaml', WITH);
  const info = async (name: string) => (await client.conn.sendRequest<PlacementResult | null>('daemonset/placement', { uri: client.uri(name) }))!.daemonSets[0];

  const without = await info('overlay/patch.yaml');
  assert.equal(without.patch, true);
  assert.equal(without.baseTolerations, true);
  assert.ok(without.tolerations.length > 0 && without.tolerations.every((t) => t.source === 'automatic'), JSON.stringify(without.tolerations));
  // The control-plane taint: not tolerated by the controller's tolerations, and not known to be untolerated either.
  const cp = without.rules.find((r) => r.taint.key === 'node-role.kubernetes.io/control-plane');
  assert.ok(cp && cp.toleratedBy === undefined);

  const own = await info('overlay/tolerating.yaml');
  assert.equal(own.patch, true);
  assert.equal(own.baseTolerations, undefined);
  assert.ok(own.tolerations.some((t) => t.source === 'manifest' && t.toleration.key === 'node-role.kubernetes.io/control-plane'), JSON.stringify(own.tolerations));
  const cpOwn = own.rules.find((r) => r.taint.key === 'node-role.kubernetes.io/control-plane');
  assert.ok(cpOwn && cpOwn.toleratedBy !== undefined);

  // `$patch: replace` on the pod spec replaces the base's: no tolerations but the controller's, known.
  const REPLACE = PATCH.replace('    spec:\n      containers:', '    spec:\n      $patch: replace\n      containers:');
  client.writeFile('overlay/replace.yaml', REPLACE);
  client.writeFile('overlay/kustomization.yaml', listing('patch.yaml', 'tolerating.yaml', 'replace.yaml'));
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri('overlay/kustomization.yaml'), type: 2 }] });
  await client.open('overlay/replace.yaml', REPLACE);
  let replaced = await info('overlay/replace.yaml');
  for (let i = 0; i < 100 && !replaced.patch; i++) {
    await new Promise((r) => setTimeout(r, 50));
    replaced = await info('overlay/replace.yaml');
  }
  assert.equal(replaced.patch, true);
  assert.equal(replaced.baseTolerations, undefined);
});

test('a kustomization changed, deleted or created on disk (didChangeWatchedFiles) flips the open patch', async () => {
  const client = await start({ 'overlay/kustomization.yaml': listing('patch.yaml'), 'overlay/patch.yaml': PATCH });
  const uri = client.uri('overlay/patch.yaml');
  assert.deepEqual((await client.open('overlay/patch.yaml', PATCH)).diagnostics, []);
  const notify = (name: string, type: number) =>
    client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri(name), type }] });

  // Changed: it no longer lists the patch.
  client.writeFile('overlay/kustomization.yaml', NOT_LISTING);
  let next = client.waitDiagnostics(uri, selectorError);
  await notify('overlay/kustomization.yaml', 2);
  await next;

  // Changed back.
  client.writeFile('overlay/kustomization.yaml', listing('other.yaml', 'patch.yaml'));
  next = client.waitDiagnostics(uri, (p) => p.diagnostics.length === 0);
  await notify('overlay/kustomization.yaml', 2);
  await next;

  // Deleted.
  const { rmSync } = await import('node:fs');
  rmSync(`${client.folder}/overlay/kustomization.yaml`);
  next = client.waitDiagnostics(uri, selectorError);
  await notify('overlay/kustomization.yaml', 3);
  await next;

  // Created, under the name without an extension.
  client.writeFile('overlay/Kustomization', listing('patch.yaml'));
  next = client.waitDiagnostics(uri, (p) => p.diagnostics.length === 0);
  await notify('overlay/Kustomization', 1);
  await next;
});

test('the watcher covers Kustomization files, and still every YAML/JSON file', async () => {
  const client = new TestClient({});
  clients.push(client);
  const registered = new Promise<unknown>((resolve) => client.conn.onRequest('client/registerCapability', (params: { registrations: Array<{ method: string; registerOptions: unknown }> }) => {
    const r = params.registrations.find((x) => x.method === 'workspace/didChangeWatchedFiles');
    if (r) resolve(r.registerOptions);
    return null;
  }));
  await client.initialize();
  const options = (await registered) as { watchers: Array<{ globPattern: string }> };
  const globs = options.watchers.map((w) => w.globPattern);
  assert.ok(globs.includes('**/*.{yaml,yml,json}'), JSON.stringify(globs));
  assert.ok(globs.includes('**/Kustomization'), JSON.stringify(globs));
});

test('an open kustomization wins over the disk: editing it flips the patch before it is saved, closing it goes back', async () => {
  const client = await start({ 'overlay/kustomization.yaml': listing('patch.yaml'), 'overlay/patch.yaml': PATCH });
  const uri = client.uri('overlay/patch.yaml');
  assert.deepEqual((await client.open('overlay/patch.yaml', PATCH)).diagnostics, []);
  const k = await client.openOnly('overlay/kustomization.yaml', listing('patch.yaml'));

  let next = client.waitDiagnostics(uri, selectorError);
  await client.edit(k, [{ range: client.rangeOf(k, 'path: patch.yaml'), newText: 'path: renamed.yaml' }], false);
  await next;

  next = client.waitDiagnostics(uri, (p) => p.diagnostics.length === 0);
  await client.edit(k, [{ range: client.rangeOf(k, 'path: renamed.yaml'), newText: 'path: patch.yaml' }], false);
  await next;

  // Unsaved edits go with the editor: the file on disk (which lists nothing now) counts again.
  client.writeFile('overlay/kustomization.yaml', NOT_LISTING);
  next = client.waitDiagnostics(uri, selectorError);
  await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: k } });
  await next;
});

test('a malformed kustomization lists nothing, and the server goes on', async () => {
  const client = await start({ 'overlay/kustomization.yaml': 'patches: [path: patch.yaml\n  - {\n', 'overlay/patch.yaml': PATCH });
  const uri = client.uri('overlay/patch.yaml');
  const first = await client.open('overlay/patch.yaml', PATCH);
  assert.ok(selectorError(first), codes(first));
  // Fixed on disk: the patch is recognised.
  client.writeFile('overlay/kustomization.yaml', listing('patch.yaml'));
  const next = client.waitDiagnostics(uri, (p) => p.diagnostics.length === 0);
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri('overlay/kustomization.yaml'), type: 2 }] });
  await next;
  assert.doesNotMatch(client.serverStderr(), /Error while/);
});

test('a pull client gets the patch diagnostics, and is asked to pull again when the kustomization changes', async () => {
  const { fullCapabilities } = await import('./lspClient');
  const client = new TestClient({ 'overlay/kustomization.yaml': listing('patch.yaml'), 'overlay/patch.yaml': PATCH });
  clients.push(client);
  await client.initialize(fullCapabilities({ pull: true }));
  const uri = await client.openOnly('overlay/patch.yaml', PATCH);
  assert.deepEqual((await client.pull(uri)).items, []);
  client.writeFile('overlay/kustomization.yaml', NOT_LISTING);
  const refreshed = client.waitRefresh();
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri('overlay/kustomization.yaml'), type: 2 }] });
  await refreshed;
  const items = (await client.pull(uri)).items;
  assert.ok(items.some((d) => d.severity === 1 && /selector/.test(d.message)), JSON.stringify(items));
});
