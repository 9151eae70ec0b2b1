/**
 * The language server against the Red Hat YAML language server (yaml-language-server, configured
 * with the same DaemonSet schema) and against a do-nothing server speaking the same protocol (the
 * floor: what the client, the pipe, JSON-RPC and Node cost). All three run in this process's run,
 * one after the other, driven over stdio by the same JSON-RPC client.
 *
 * Measured: open -> diagnostics and edit -> diagnostics on a one-DaemonSet file and on a
 * 1,000-DaemonSet file, hover and code-action latency, peak memory (VmHWM of the server process).
 * Medians; the verdict compares only the cost above the floor. Target: at least 5x faster than
 * the Red Hat server on every latency, and under half its memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, '.bench');
const SCHEMA = join(ROOT, 'schemas/daemonset.schema.json');
const WAIT_LIMIT_MS = 180_000;
/** USER_HZ of /proc/<pid>/stat on Linux. */
const CLOCK_TICKS = 100;

const RUNS = {
  openSmall: 25,
  editSmall: 40,
  openLarge: 5,
  editLarge: 15,
  hover: 60,
  codeAction: 60,
};

// ---------------------------------------------------------------------------------------------
// Inputs

/** A realistic node agent, ~60 lines: a log shipper with tolerations, probes, resources, mounts. */
function daemonSet(name: string, tag: number): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
  namespace: logging
  labels:
    app.kubernetes.io/name: ${name}
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
    spec:
      serviceAccountName: ${name}
      priorityClassName: system-node-critical
      tolerations:
      - key: dedicated
        operator: Equal
        value: logging
        effect: NoSchedule
      containers:
      - name: shipper
        image: fluent/fluent-bit:3.1.${tag}
        args: ["--config", "/fluent-bit/etc/fluent-bit.conf"]
        ports:
        - name: http
          containerPort: 2020
          protocol: TCP
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            memory: 256Mi
        livenessProbe:
          httpGet:
            path: /
            port: http
        volumeMounts:
        - name: varlog
          mountPath: /var/log
        - name: config
          mountPath: /fluent-bit/etc/
      volumes:
      - name: varlog
        hostPath:
          path: /var/log
      - name: config
        configMap:
          name: ${name}
`;
}

function largeFile(prefix: string, tag: number): string {
  const out: string[] = [];
  for (let i = 0; i < 1000; i++) out.push(daemonSet(`${prefix}-agent-${i}`, i === 500 ? tag : 0));
  return out.join('---\n');
}

function clusterFile(nodes: number): string {
  const items: string[] = [];
  for (let i = 0; i < nodes; i++) {
    const cp = i < 3;
    items.push(`- apiVersion: v1
  kind: Node
  metadata:
    name: node-${i}
    labels:
      kubernetes.io/os: linux
      kubernetes.io/hostname: node-${i}
${cp ? '      node-role.kubernetes.io/control-plane: ""\n' : ''}  spec:
${cp ? '    taints:\n    - key: node-role.kubernetes.io/control-plane\n      effect: NoSchedule\n' : '    {}\n'}  status:
    allocatable: {cpu: "4", memory: 16Gi, pods: "110"}
`);
  }
  return `apiVersion: v1\nkind: List\nitems:\n${items.join('')}`;
}

// ---------------------------------------------------------------------------------------------
// Servers

interface ServerSpec {
  name: string;
  command: string[];
  /** Answers to `workspace/configuration`, by section. */
  configuration: Record<string, unknown>;
  /** Sanity check: a document with a schema error must get at least one diagnostic. */
  validates: boolean;
}

function servers(folder: string): ServerSpec[] {
  const yamlSettings = {
    validate: true,
    hover: true,
    completion: true,
    format: { enable: false },
    schemaStore: { enable: false },
    schemas: { [pathToFileURL(SCHEMA).href]: '*.yaml' },
    customTags: [],
    maxItemsComputed: 5000,
  };
  void folder;
  // DaemonSet Lens first: its diagnostics make the code-action request all three servers get.
  return [
    { name: 'daemonset-lens', command: [join(ROOT, 'server/out/server.js'), '--stdio'], configuration: { daemonsetLens: {} }, validates: true },
    { name: 'floor', command: [join(OUT, 'floorServer.js'), '--stdio'], configuration: {}, validates: false },
    {
      name: 'yaml-language-server',
      command: [join(ROOT, 'node_modules/yaml-language-server/bin/yaml-language-server'), '--stdio'],
      configuration: { yaml: yamlSettings, http: { proxy: '', proxyStrictSSL: false }, '[yaml]': {}, editor: { tabSize: 2 }, files: {} },
      validates: true,
    },
  ];
}

class Client {
  readonly conn: MessageConnection;
  readonly child: ChildProcess;
  private waiters: Array<{ uri: string; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  readonly last = new Map<string, PublishDiagnosticsParams>();
  readonly docs = new Map<string, TextDocument>();

  constructor(readonly spec: ServerSpec) {
    // LSP_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the servers.
    const nodeArgs = process.env.LSP_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    this.child = spawn(process.execPath, [...nodeArgs, ...spec.command], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.conn = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.last.set(p.uri, p);
      const i = this.waiters.findIndex((w) => w.uri === p.uri);
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(p);
    });
    this.conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
      p.items.map((it) => (it.section !== undefined ? spec.configuration[it.section] ?? null : spec.configuration)));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onNotification(() => undefined);
    this.conn.listen();
  }

  /** The next diagnostics published for `uri`. */
  next(uri: string): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.spec.name}: no diagnostics for ${uri}`)), WAIT_LIMIT_MS);
      this.waiters.push({ uri, resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
  }

  async initialize(folder: string): Promise<void> {
    const uri = pathToFileURL(folder).href;
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'bench' }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: {
          synchronization: { didSave: true },
          publishDiagnostics: { versionSupport: true, dataSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { documentationFormat: ['markdown'] } },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } }, isPreferredSupport: true, dataSupport: true },
        },
      },
    });
    await this.conn.sendNotification('initialized', {});
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings: this.spec.configuration });
  }

  async open(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    this.docs.set(uri, TextDocument.create(uri, 'yaml', 1, text));
    const w = this.next(uri);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return w;
  }

  async close(uri: string): Promise<void> {
    this.docs.delete(uri);
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Replaces the first `from` after `after` with `to`, as one incremental change; waits for diagnostics. */
  async edit(uri: string, after: string, from: string, to: string): Promise<PublishDiagnosticsParams> {
    const doc = this.docs.get(uri)!;
    const text = doc.getText();
    const at = text.indexOf(from, text.indexOf(after));
    const range = { start: doc.positionAt(at), end: doc.positionAt(at + from.length) };
    const version = doc.version + 1;
    this.docs.set(uri, TextDocument.create(uri, 'yaml', version, text.slice(0, at) + to + text.slice(at + from.length)));
    const w = this.next(uri);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: to }] });
    return w;
  }

  /** CPU time the server process has used so far (user + system), in ms; 10 ms resolution. */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
  }

  peakRssMiB(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  }

  async dispose(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      // gone already
    }
    // Let it exit by itself (a profiler writes its file then), else stop it.
    if (this.child.exitCode === null) await new Promise((r) => { const t = setTimeout(r, 5000); this.child.once('exit', () => { clearTimeout(t); r(undefined); }); });
    this.conn.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }
}

// ---------------------------------------------------------------------------------------------
// Measurements

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

interface Result {
  openSmall: number;
  editSmall: number;
  openLarge: number;
  editLarge: number;
  hover: number;
  codeAction: number;
  peakRssMiB: number;
  diagnosticsSmall: number;
  diagnosticsLarge: number;
  /** Mean CPU time of the server process per operation (ms): robust when the machine is shared. */
  cpu: Partial<Record<LatencyKey, number>>;
}

type LatencyKey = 'openSmall' | 'editSmall' | 'openLarge' | 'editLarge' | 'hover' | 'codeAction';

let sharedDiagnostics: Diagnostic[] | undefined;

async function measure(spec: ServerSpec, folder: string): Promise<Result> {
  const c = new Client(spec);
  const uri = (name: string) => pathToFileURL(join(folder, name)).href;
  await c.initialize(folder);

  // Sanity: the server is configured (schema active for the Red Hat server).
  if (spec.validates) {
    const broken = daemonSet('sanity', 0).replace('  updateStrategy:', '  notAField: 1\n  updateStrategy:');
    let p = await c.open(uri('sanity.yaml'), broken);
    // The Red Hat server may validate once before its settings arrive; give it a few edits.
    for (let i = 0; i < 20 && p.diagnostics.length === 0; i++) p = await c.edit(uri('sanity.yaml'), 'notAField', 'notAField: 1', `notAField: ${i + 2}`);
    if (p.diagnostics.length === 0) throw new Error(`${spec.name} reports nothing on a schema error: it is not configured`);
    await c.close(uri('sanity.yaml'));
  }

  const results: Partial<Result> = { cpu: {} };
  let cpu0 = 0;
  const startCpu = () => (cpu0 = c.cpuMs());
  const endCpu = (key: LatencyKey, runs: number) => (results.cpu![key] = (c.cpuMs() - cpu0) / runs);
  // Warm-up, not measured: the first requests load code and compile schemas.
  await c.open(uri('warm.yaml'), daemonSet('warm', 0));
  await c.edit(uri('warm.yaml'), 'image:', 'fluent-bit:3.1.0', 'fluent-bit:3.1.1');
  await c.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri('warm.yaml') }, position: { line: 23, character: 10 } });
  await c.close(uri('warm.yaml'));

  const opens: number[] = [];
  startCpu();
  let small: PublishDiagnosticsParams | undefined;
  for (let i = 0; i < RUNS.openSmall; i++) {
    const u = uri(`one-${i}.yaml`);
    const [ms, p] = await time(() => c.open(u, daemonSet(`agent-${i}`, 0)));
    opens.push(ms);
    small = p;
    await c.close(u);
  }
  endCpu('openSmall', RUNS.openSmall);
  results.openSmall = median(opens);
  results.diagnosticsSmall = small?.diagnostics.length ?? 0;

  const one = uri('one.yaml');
  await c.open(one, daemonSet('agent', 0));
  const edits: number[] = [];
  startCpu();
  for (let i = 0; i < RUNS.editSmall; i++) {
    const [ms] = await time(() => c.edit(one, 'image:', `fluent-bit:3.1.${i}`, `fluent-bit:3.1.${i + 1}`));
    edits.push(ms);
  }
  endCpu('editSmall', RUNS.editSmall);
  results.editSmall = median(edits);

  // Hover on the toleration key `dedicated` (line 23 of daemonSet()).
  const hoverPos = c.docs.get(one)!.positionAt(c.docs.get(one)!.getText().indexOf('key: dedicated') + 6);
  const hovers: number[] = [];
  startCpu();
  for (let i = 0; i < RUNS.hover; i++) {
    const [ms] = await time(() => c.conn.sendRequest('textDocument/hover', { textDocument: { uri: one }, position: hoverPos }));
    hovers.push(ms);
  }
  endCpu('hover', RUNS.hover);
  results.hover = median(hovers);

  // Code actions: every server gets the same request, carrying the diagnostics (with their fix data)
  // that DaemonSet Lens published for this text, so the request costs the same to read everywhere.
  // (The Red Hat server reports no problem in this valid manifest, so its own would be empty.)
  if (spec.name === 'daemonset-lens') sharedDiagnostics = c.last.get(one)?.diagnostics ?? [];
  const diags: Diagnostic[] = sharedDiagnostics ?? c.last.get(one)?.diagnostics ?? [];
  const range = diags[0]?.range ?? { start: hoverPos, end: hoverPos };
  const actions: number[] = [];
  startCpu();
  for (let i = 0; i < RUNS.codeAction; i++) {
    const [ms] = await time(() => c.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: one }, range, context: { diagnostics: diags } }));
    actions.push(ms);
  }
  endCpu('codeAction', RUNS.codeAction);
  results.codeAction = median(actions);
  await c.close(one);

  const largeOpens: number[] = [];
  startCpu();
  let large: PublishDiagnosticsParams | undefined;
  for (let i = 0; i < RUNS.openLarge; i++) {
    const u = uri(`large-${i}.yaml`);
    const [ms, p] = await time(() => c.open(u, largeFile(`r${i}`, 0)));
    largeOpens.push(ms);
    large = p;
    await c.close(u);
  }
  endCpu('openLarge', RUNS.openLarge);
  results.openLarge = median(largeOpens);
  results.diagnosticsLarge = large?.diagnostics.length ?? 0;

  const big = uri('large.yaml');
  await c.open(big, largeFile('edit', 0));
  const largeEdits: number[] = [];
  startCpu();
  for (let i = 0; i < RUNS.editLarge; i++) {
    const [ms] = await time(() => c.edit(big, 'name: edit-agent-500', `fluent-bit:3.1.${i}`, `fluent-bit:3.1.${i + 1}`));
    largeEdits.push(ms);
  }
  endCpu('editLarge', RUNS.editLarge);
  results.editLarge = median(largeEdits);
  results.peakRssMiB = c.peakRssMiB();
  await c.dispose();
  return results as Result;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await build({ entryPoints: [join(__dirname, 'floorServer.ts')], outfile: join(OUT, 'floorServer.js'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  const folder = mkdtempSync(join(tmpdir(), 'dsl-bench-'));
  // The workspace holds a cluster file, as in real use: the placement rules run on every DaemonSet.
  writeFileSync(join(folder, 'cluster.yaml'), clusterFile(12));
  const results: Record<string, Result> = {};
  try {
    // LSP_BENCH_ONLY=daemonset-lens,floor measures a subset (no comparison is printed then).
    const only = process.env.LSP_BENCH_ONLY?.split(',');
    for (const spec of servers(folder).filter((s) => !only || only.includes(s.name))) {
      process.stdout.write(`measuring ${spec.name}…\n`);
      results[spec.name] = await measure(spec, folder);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  if (results['floor'] && results['daemonset-lens'] && results['yaml-language-server']) report(results);
  else console.log(JSON.stringify(results, null, 2));
}

const METRICS: Array<[keyof Result, string, 'ms' | 'MiB']> = [
  ['openSmall', 'open -> diagnostics, 1 DaemonSet', 'ms'],
  ['editSmall', 'edit -> diagnostics, 1 DaemonSet', 'ms'],
  ['openLarge', 'open -> diagnostics, 1,000 DaemonSets', 'ms'],
  ['editLarge', 'edit -> diagnostics, 1,000 DaemonSets', 'ms'],
  ['hover', 'hover', 'ms'],
  ['codeAction', 'code action', 'ms'],
  ['peakRssMiB', 'peak memory (RSS)', 'MiB'],
];

function report(r: Record<string, Result>): void {
  const floor = r['floor'];
  const ours = r['daemonset-lens'];
  const rh = r['yaml-language-server'];
  const f = (n: number) => n.toFixed(2).padStart(9);
  console.log(`\nmedians; "above floor" subtracts the do-nothing server's number\n`);
  console.log(`${'metric'.padEnd(40)} ${'floor'.padStart(9)} ${'ours'.padStart(9)} ${'red hat'.padStart(9)}  ${'ours-fl'.padStart(9)} ${'rh-fl'.padStart(9)}  verdict`);
  let ok = true;
  const json: Record<string, unknown> = {};
  for (const [key, label, unit] of METRICS) {
    const a = Math.max(ours[key] - floor[key], 0.01);
    const b = Math.max(rh[key] - floor[key], 0.01);
    let verdict: string;
    if (unit === 'MiB') {
      // Memory: ours above the floor must be under half of the Red Hat server's above the floor.
      const share = a / b;
      const pass = share < 0.5;
      ok &&= pass;
      verdict = `${(share * 100).toFixed(0)}% of red hat ${pass ? 'OK (< 50%)' : 'MISS (target < 50%)'}`;
    } else {
      const ratio = b / a;
      const pass = ratio >= 5;
      ok &&= pass;
      verdict = `${ratio.toFixed(1)}x faster ${pass ? 'OK' : 'MISS (target 5x)'}`;
    }
    if (unit === 'ms' && Math.max(ours[key] - floor[key], rh[key] - floor[key]) < 0.5) verdict += ' (both within 0.5 ms of the floor: timer noise)';
    console.log(`${`${label} (${unit})`.padEnd(40)} ${f(floor[key])} ${f(ours[key])} ${f(rh[key])}  ${f(a)} ${f(b)}  ${verdict}`);
    json[key] = { unit, floor: floor[key], ours: ours[key], redHat: rh[key], verdict };
  }
  console.log(`\nserver CPU time per operation (mean ms; user+system of the server process, 10 ms ticks over all runs):\n`);
  console.log(`${'metric'.padEnd(40)} ${'floor'.padStart(9)} ${'ours'.padStart(9)} ${'red hat'.padStart(9)}  ${'ours-fl'.padStart(9)} ${'rh-fl'.padStart(9)}  ratio`);
  for (const [key, label, unit] of METRICS) {
    if (unit !== 'ms') continue;
    const k = key as LatencyKey;
    const [fl, o, h] = [floor.cpu[k] ?? 0, ours.cpu[k] ?? 0, rh.cpu[k] ?? 0];
    const a = Math.max(o - fl, 0.01);
    const b = Math.max(h - fl, 0.01);
    console.log(`${`${label} (${unit})`.padEnd(40)} ${f(fl)} ${f(o)} ${f(h)}  ${f(a)} ${f(b)}  ${(b / a).toFixed(1)}x`);
  }
  console.log(`\ndiagnostics on the 1-DaemonSet file: ours ${ours.diagnosticsSmall}, red hat ${rh.diagnosticsSmall}; on the 1,000-DaemonSet file: ours ${ours.diagnosticsLarge}, red hat ${rh.diagnosticsLarge}`);
  const rhVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/yaml-language-server/package.json'), 'utf8')).version;
  console.log(`yaml-language-server ${rhVersion}, Node ${process.version}; runs: ${JSON.stringify(RUNS)}`);
  console.log(ok ? 'target met on every metric' : 'target MISSED on at least one metric');
  writeFileSync(join(OUT, 'lsp.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, yamlLanguageServer: rhVersion, runs: RUNS, results: r, metrics: json }, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
