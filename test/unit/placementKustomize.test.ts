/**
 * `daemonset/placement` for a file its folder's kustomization lists as a patch, over an in-process
 * server whose file reads the test releases: the preview asks as soon as a file is opened, before
 * the kustomization is read, and must not be answered with a placement the patch does not have.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import { PlacementChangedNotification, type PlacementChangedParams, type PlacementResult } from '../../server/src/protocol';
import type { RuntimeEnvironment } from '../../server/src/runtime';
import { startServer } from '../../server/src/startServer';

const PATCH = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-shipper
  namespace: logging
spec:
  selector:
    matchLabels: {app: log-shipper}
  template:
    metadata:
      labels: {app: log-shipper}
    spec:
      containers:
      - name: shipper
        image: fluent/fluent-bit:3.2
`;
const CLUSTER = `apiVersion: v1
kind: Node
metadata:
  name: worker-1
`;
const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base\npatches:\n  - path: patch.yaml\n';

const closers: Array<() => void> = [];
after(() => closers.forEach((c) => c()));

/** A server over in-memory streams; reads of `held` paths wait until `release()` is called. */
async function serve(files: Record<string, string>, held: string[]) {
  const waiting: Array<() => void> = [];
  let released = false;
  const gate = (path: string) => (held.includes(path) && !released ? new Promise<void>((r) => waiting.push(r)) : Promise.resolve());
  const runtime: RuntimeEnvironment = {
    file: {
      async readFile(path) {
        await gate(path);
        return files[path];
      },
      async readDirectory(path) {
        const prefix = path.endsWith('/') ? path : `${path}/`;
        const names = new Set(Object.keys(files).filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length).split('/')[0]));
        return [...names].map((name) => ({ name, isFile: files[prefix + name] !== undefined, isDirectory: files[prefix + name] === undefined }));
      },
      async fileSize(path) {
        await gate(path);
        return files[path]?.length;
      },
    },
    timer: {
      setImmediate(cb) {
        const h = setImmediate(cb);
        return { dispose: () => clearImmediate(h) };
      },
      setTimeout(cb, ms) {
        const h = setTimeout(cb, ms);
        return { dispose: () => clearTimeout(h) };
      },
    },
    now: () => performance.now(),
    log: { info: () => undefined, error: () => undefined },
  };
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(server, runtime);
  const client: MessageConnection = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.onRequest(() => null);
  client.onNotification(() => undefined);
  client.listen();
  closers.push(() => {
    client.dispose();
    server.dispose();
  });
  await client.sendRequest('initialize', {
    processId: null,
    rootUri: 'file:///w',
    workspaceFolders: [{ uri: 'file:///w', name: 'w' }],
    capabilities: {},
    initializationOptions: { daemonsetLens: { clusterFile: 'cluster.yaml' } },
  });
  await client.sendNotification('initialized', {});
  const release = () => {
    released = true;
    for (const r of waiting.splice(0)) r();
  };
  return { client, release };
}

test('a listed patch opened before its kustomization is read is answered as a patch, not placed', async () => {
  const files = { '/w/cluster.yaml': CLUSTER, '/w/overlay/kustomization.yaml': KUSTOMIZATION, '/w/overlay/patch.yaml': PATCH };
  const { client, release } = await serve(files, ['/w/overlay/kustomization.yaml']);
  const uri = 'file:///w/overlay/patch.yaml';
  const changed: PlacementChangedParams[] = [];
  client.onNotification(PlacementChangedNotification, (p) => changed.push(p));
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: PATCH } });
  // The preview asks at once; the kustomization is still being read.
  const answer = client.sendRequest<PlacementResult | null>('daemonset/placement', { uri });
  setTimeout(release, 50);
  const r = await answer;
  assert.equal(r?.daemonSets[0].patch, true, 'a listed patch');
  assert.equal(r?.daemonSets[0].placement, undefined, 'not placed');
});

test('an open preview is told when a file becomes or stops being a listed patch', async () => {
  const files = { '/w/cluster.yaml': CLUSTER, '/w/overlay/kustomization.yaml': KUSTOMIZATION, '/w/overlay/patch.yaml': PATCH };
  const { client } = await serve(files, []);
  const uri = 'file:///w/overlay/patch.yaml';
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: PATCH } });
  assert.equal((await client.sendRequest<PlacementResult | null>('daemonset/placement', { uri }))?.daemonSets[0].patch, true);
  const told = new Promise<PlacementChangedParams>((resolve) => client.onNotification(PlacementChangedNotification, resolve));
  // The kustomization, edited in the editor, no longer lists the patch.
  const kUri = 'file:///w/overlay/kustomization.yaml';
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri: kUri, languageId: 'yaml', version: 1, text: KUSTOMIZATION } });
  await client.sendNotification('textDocument/didChange', {
    textDocument: { uri: kUri, version: 2 },
    contentChanges: [{ text: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base\n' }],
  });
  assert.deepEqual((await told).uris, [uri]);
  const r = await client.sendRequest<PlacementResult | null>('daemonset/placement', { uri });
  assert.equal(r?.daemonSets[0].patch, undefined);
  assert.ok(r?.daemonSets[0].placement, 'placed now');
});
