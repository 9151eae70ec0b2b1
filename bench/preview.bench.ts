/**
 * The placement preview on a 1,000-node cluster: the time from an edit to the new preview data
 * (re-parse the edited manifest, place it over the cluster, build the view model with the diff) and
 * the payload sizes (the `daemonset/placement` answer and the webview message, JSON bytes). Also
 * an edit of the cluster file (a node added), and, as an indication only, rendering the webview
 * DOM in happy-dom (a real browser is faster). Medians of several runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Window } from 'happy-dom';
import { parseCluster } from '../server/src/engine/cluster';
import { ChunkCache, parseDocument } from '../server/src/engine/model';
import { buildPlacementResult, type PlacementInput } from '../server/src/handlers/placement';
import { buildPreviewModel } from '../client/src/preview/viewModel';
import { createApp } from '../client/src/preview/webview/render';
import type { PlacementResult } from '../server/src/protocol';

const NODES = 1_000;
const RUNS = 15;

const POOLS = ['general', 'memory', 'gpu', 'spot', 'system'];

function nodeYaml(i: number): string {
  const pool = POOLS[i % POOLS.length];
  const name = `ip-10-0-${(i >> 8) & 255}-${i & 255}.eu-west-1.compute.internal`;
  const role = i < 3 ? '      node-role.kubernetes.io/control-plane: ""\n' : '';
  const taints: string[] = [];
  if (i < 3) taints.push('    - effect: NoSchedule\n      key: node-role.kubernetes.io/control-plane');
  if (pool === 'gpu') taints.push('    - effect: NoSchedule\n      key: nvidia.com/gpu\n      value: "true"');
  if (i % 97 === 0) taints.push('    - effect: NoSchedule\n      key: node.kubernetes.io/unschedulable');
  return `- apiVersion: v1
  kind: Node
  metadata:
    annotations:
      node.alpha.kubernetes.io/ttl: "0"
      volumes.kubernetes.io/controller-managed-attach-detach: "true"
    creationTimestamp: "2026-11-02T17:21:09Z"
    labels:
      eks.amazonaws.com/nodegroup: ${pool}
      kubernetes.io/arch: amd64
      kubernetes.io/hostname: ${name}
      kubernetes.io/os: ${i % 50 === 0 ? 'windows' : 'linux'}
      node.kubernetes.io/instance-type: m5.xlarge
      topology.kubernetes.io/zone: eu-west-1${'abc'[i % 3]}
${role}    name: ${name}
    uid: 1a2b3c4d-5e6f-4a7b-8c9d-${String(i).padStart(12, '0')}
  spec:
    providerID: aws:///eu-west-1a/i-${String(i).padStart(17, '0')}
${taints.length ? `    taints:\n${taints.join('\n')}\n` : ''}  status:
    allocatable: {cpu: 3920m, ephemeral-storage: "95551679124", memory: 15038880Ki, pods: "58"}
    capacity: {cpu: "4", ephemeral-storage: 104845292Ki, memory: 16233888Ki, pods: "58"}
    conditions:
    - {type: MemoryPressure, status: "False"}
    - {type: DiskPressure, status: "False"}
    - {type: PIDPressure, status: "False"}
    - {type: Ready, status: "True"}
    nodeInfo: {architecture: amd64, kubeletVersion: v1.35.0, operatingSystem: linux}
`;
}

const CLUSTER = `apiVersion: v1\nkind: List\nitems:\n${Array.from({ length: NODES }, (_, i) => nodeYaml(i)).join('')}`;

const MANIFEST = (extraToleration: boolean) => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
spec:
  selector:
    matchLabels: {app: node-exporter}
  template:
    metadata:
      labels: {app: node-exporter}
    spec:
      hostNetwork: true
      nodeSelector:
        kubernetes.io/os: linux
      tolerations:
      - key: nvidia.com/gpu
        operator: Exists
        effect: NoSchedule
${extraToleration ? '      - key: node-role.kubernetes.io/control-plane\n        operator: Exists\n        effect: NoSchedule\n' : ''}      containers:
      - name: node-exporter
        image: quay.io/prometheus/node-exporter:v1.8.2
        resources:
          requests: {cpu: 100m, memory: 64Mi}
        ports:
        - {containerPort: 9100, hostPort: 9100}
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

const cache = new ChunkCache();
const clusterUri = 'file:///w/cluster.yaml';
const clusterModel = parseCluster(parseDocument(clusterUri, CLUSTER, 1, cache));
const clusterDoc = TextDocument.create(clusterUri, 'yaml', 1, CLUSTER);
const info = (m: typeof clusterModel) => ({ uri: clusterUri, source: 'discovered' as const, nodeCount: m.nodes.length, podCount: m.pods.length, problems: 0 });

function placementOf(text: string, version: number, cluster = clusterModel, cdoc = clusterDoc): PlacementResult {
  const model = parseDocument('file:///w/ds.yaml', text, version, cache);
  const doc = TextDocument.create('file:///w/ds.yaml', 'yaml', version, text);
  const input: PlacementInput = { model, doc, cluster: { info: info(cluster), model: cluster, doc: cdoc }, featureGates: {}, offset: 10 };
  return buildPlacementResult(input);
}

// Warm up (JIT, chunk cache of the unchanged parts).
let previous = placementOf(MANIFEST(false), 1);
for (let i = 0; i < 3; i++) buildPreviewModel(placementOf(MANIFEST(i % 2 === 1), i + 2), { previous });

const editMs: number[] = [];
const serverMs: number[] = [];
let resultBytes = 0;
let messageBytes = 0;
let lastModel = buildPreviewModel(previous);
let priorModel = lastModel;
for (let i = 0; i < RUNS; i++) {
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  const result = placementOf(MANIFEST(i % 2 === 0), 100 + i);
  const wire = JSON.stringify(result);
  const t1 = performance.now();
  const model = buildPreviewModel(JSON.parse(wire) as PlacementResult, { previous });
  const message = JSON.stringify({ type: 'update', model });
  const t2 = performance.now();
  serverMs.push(t1 - t0);
  editMs.push(t2 - t0);
  resultBytes = Buffer.byteLength(wire);
  messageBytes = Buffer.byteLength(message);
  previous = result;
  priorModel = lastModel;
  lastModel = model;
}

// A node added to the cluster file: re-parse (unchanged chunks are cached), re-index, re-place.
const clusterEditMs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const text = CLUSTER + nodeYaml(NODES + i);
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  const cm = parseCluster(parseDocument(clusterUri, text, 10 + i, cache));
  const cd = TextDocument.create(clusterUri, 'yaml', 10 + i, text);
  const result = placementOf(MANIFEST(true), 500, cm, cd);
  const model = buildPreviewModel(JSON.parse(JSON.stringify(result)) as PlacementResult, { previous });
  JSON.stringify({ type: 'update', model });
  clusterEditMs.push(performance.now() - t0);
}

// The webview's DOM work: in Chromium when it is installed (the real thing), else in happy-dom (indicative only).
/** First render (the preview opens), then updates alternating between the last two results (a toleration added and removed: 3 rows change). */
async function renderTimes(): Promise<{ where: string; rows: number; open: number; ms: number[] }> {
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  const bundle = join(__dirname, '..', 'client', 'out', 'webview.js');
  const message = JSON.stringify({ type: 'update', model: lastModel });
  const other = JSON.stringify({ type: 'update', model: priorModel });
  if (chromium && existsSync(bundle)) {
    const { chromium: pw } = await import('playwright-core');
    const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.setContent('<!DOCTYPE html><html><body><main id="app"></main></body></html>');
      await page.evaluate(() => {
        (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });
      });
      await page.addStyleTag({ path: join(__dirname, '..', 'client', 'media', 'preview.css') });
      await page.addScriptTag({ path: bundle });
      // A string, so the TypeScript loader does not rewrite `performance` into an import.
      const post = (data: string) => page.evaluate(`(() => {
        const data = ${data};
        const t0 = performance.now();
        window.dispatchEvent(new MessageEvent('message', { data }));
        void document.body.offsetHeight;
        return performance.now() - t0;
      })()`) as Promise<number>;
      const open = await post(message);
      const ms: number[] = [];
      for (let i = 0; i < 6; i++) ms.push(await post(i % 2 === 0 ? other : message));
      const rows = await page.evaluate(() => document.querySelectorAll('li.node').length);
      // The machine's pace, to read the number above: 10,000 bare elements created and laid out.
      const baseline = await page.evaluate(`(() => {
        const t0 = performance.now();
        const root = document.createElement('div');
        document.body.append(root);
        for (let i = 0; i < 1000; i++) {
          const li = document.createElement('li');
          for (let j = 0; j < 9; j++) { const s = document.createElement('span'); s.textContent = 'x' + j; li.append(s); }
          root.append(li);
        }
        void document.body.offsetHeight;
        root.remove();
        return performance.now() - t0;
      })()`) as number;
      return { where: `Chromium (10,000 bare elements take ${fmt(baseline)} on this machine now)`, rows, open, ms };
    } finally {
      await browser.close();
    }
  }
  const window = new Window();
  const document = window.document as unknown as Document;
  const root = document.createElement('main');
  document.body.append(root);
  const app = createApp(document, root, { postMessage: () => undefined, getState: () => undefined, setState: () => undefined });
  const time = (m: string) => {
    const t0 = performance.now();
    app.render(JSON.parse(m).model);
    return performance.now() - t0;
  };
  const open = time(message);
  const ms: number[] = [];
  for (let i = 0; i < 4; i++) ms.push(time(i % 2 === 0 ? other : message));
  const rows = root.querySelectorAll('li.node').length;
  void window.happyDOM.close();
  return { where: 'happy-dom (indicative; a browser is much faster)', rows, open, ms };
}

const counts = lastModel.summaries[0].counts!;
console.log(`cluster: ${NODES} nodes (${kb(CLUSTER.length)}); DaemonSet ${lastModel.summaries[0].name}: ${lastModel.summaries[0].text}`);
console.log(`  (desired ${counts.desired}, runs ${counts.runs}, pending ${counts.pending}, excluded ${counts.excluded})`);
console.log(`edit -> daemonset/placement answer (server: parse + place + JSON)   median ${fmt(median(serverMs))}`);
console.log(`edit -> new preview data (server + view model + webview message)   median ${fmt(median(editMs))}`);
console.log(`cluster edit (node added) -> new preview data                        median ${fmt(median(clusterEditMs))}`);
console.log(`payload: daemonset/placement answer ${kb(resultBytes)}, webview message ${kb(messageBytes)}`);
void renderTimes().then((r) => {
  console.log(`webview in ${r.where}, ${r.rows} rows:`);
  console.log(`  open (first render) ${fmt(r.open)}; update (unchanged rows reused) median ${fmt(median(r.ms))}`);
});
