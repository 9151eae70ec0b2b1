import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument, RULES, validate, type Finding } from '../../server/src/engine';
import { parseCluster } from '../../server/src/engine/cluster';

const REPO = resolve(__dirname, '../..');
const CORPUS = join(REPO, 'test/fixtures/corpus');
const EXAMPLES = join(REPO, 'examples');

const corpusFiles = readdirSync(CORPUS).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

function describe(f: Finding, text: string): string {
  const line = text.slice(0, f.span.start).split('\n').length;
  return `  ${line}: ${f.code} ${f.path}: ${f.message}`;
}

test('the corpus holds at least 24 real-world DaemonSet files, in every shape', () => {
  assert.ok(corpusFiles.length >= 24, `${corpusFiles.length} files`);
  let lists = 0;
  let multiDoc = 0;
  let json = 0;
  for (const name of corpusFiles) {
    const text = readFileSync(join(CORPUS, name), 'utf8');
    const model = parseDocument(name, text);
    assert.equal(model.daemonSets.length, 1, `${name}: one DaemonSet`);
    const ds = model.daemonSets[0];
    assert.equal(ds.apiVersion, 'apps/v1', name);
    assert.equal(ds.partial, false, `${name} is a complete manifest, not a patch`);
    if (ds.docPath[0] === 'items') lists++;
    if (model.objects.length > 1 && ds.docPath.length === 0) multiDoc++;
    if (name.endsWith('.json')) json++;
  }
  assert.ok(lists >= 1, 'a kind: List');
  assert.ok(multiDoc >= 3, 'multi-document files');
  assert.ok(json >= 1, 'a JSON file');
});

for (const name of corpusFiles) {
  test(`corpus: ${name} has no error`, () => {
    const text = readFileSync(join(CORPUS, name), 'utf8');
    const model = parseDocument(name, text);
    const errors = validate(model).filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((f) => describe(f, text)), [], `${name} is accepted by the API server, yet:\n${errors.map((f) => describe(f, text)).join('\n')}`);
  });
}

test('corpus: YAML and JSON spellings of the same values give the same findings', () => {
  // The JSON file, re-read as block YAML through the yaml package, must report the same codes.
  const text = readFileSync(join(CORPUS, 'datadog-agent.json'), 'utf8');
  const codes = validate(parseDocument('a.json', text)).map((f) => `${f.code} ${f.path}`).sort();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { stringify } = require('yaml') as typeof import('yaml');
  const asYaml = stringify(JSON.parse(text));
  const yamlCodes = validate(parseDocument('a.yaml', asYaml)).map((f) => `${f.code} ${f.path}`).sort();
  assert.deepEqual(yamlCodes, codes);
});

// --- examples -----------------------------------------------------------------------------

test('examples: the cluster file has the documented nodes', () => {
  const cluster = parseCluster(parseDocument('cluster.yaml', readFileSync(join(EXAMPLES, 'cluster.yaml'), 'utf8')));
  assert.deepEqual(cluster.findings.filter((f) => f.severity === 'error'), []);
  const byName = new Map(cluster.nodes.map((n) => [n.name, n]));
  const taints = (n: string) => byName.get(n)!.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
  const cps = cluster.nodes.filter((n) => 'node-role.kubernetes.io/control-plane' in n.labels);
  assert.equal(cps.length, 3);
  for (const n of cps) assert.deepEqual(taints(n.name), ['node-role.kubernetes.io/control-plane:NoSchedule']);
  assert.equal(cluster.nodes.filter((n) => n.labels['node.example.com/pool'] === 'general' || n.labels['node.example.com/pool'] === 'highmem').length, 6);
  const cordoned = cluster.nodes.filter((n) => n.unschedulable);
  assert.deepEqual(cordoned.map((n) => n.name), ['general-3']);
  assert.deepEqual(taints('general-3'), ['node.kubernetes.io/unschedulable:NoSchedule']);
  assert.deepEqual(taints('highmem-3'), ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']);
  assert.equal(byName.get('highmem-3')!.conditions.Ready, 'False');
  assert.deepEqual(taints('gpu-1'), ['nvidia.com/gpu=present:NoSchedule']);
  assert.equal(byName.get('gpu-1')!.allocatable?.['nvidia.com/gpu'], '4');
  assert.equal(byName.get('win-1')!.labels['kubernetes.io/os'], 'windows');
  assert.deepEqual(taints('win-1'), ['os=windows:NoSchedule']);
  for (const n of cluster.nodes) assert.ok(n.allocatable?.cpu && n.allocatable.memory && n.allocatable.pods, `${n.name} has allocatable`);
});

test('examples: the pods file holds daemon pods owned by the example DaemonSets', () => {
  const pods = parseCluster(parseDocument('pods.yaml', readFileSync(join(EXAMPLES, 'pods.yaml'), 'utf8'))).pods;
  assert.ok(pods.length >= 10);
  const dsNames = new Set<string>();
  for (const f of readdirSync(EXAMPLES).filter((x) => x.endsWith('.yaml'))) {
    for (const ds of parseDocument(f, readFileSync(join(EXAMPLES, f), 'utf8')).daemonSets) dsNames.add(ds.name!);
  }
  for (const p of pods) {
    assert.equal(p.owner?.kind, 'DaemonSet', p.name);
    assert.ok(dsNames.has(p.owner!.name), `${p.name} belongs to an example DaemonSet`);
    assert.ok(p.labels['controller-revision-hash'], `${p.name} has a controller-revision-hash`);
    assert.ok(p.nodeName, `${p.name} is bound to a node`);
  }
});

test('examples: each classic mistake is reported, the correct DaemonSets are clean', () => {
  const clusterText = readFileSync(join(EXAMPLES, 'cluster.yaml'), 'utf8');
  const cluster = parseCluster(parseDocument('cluster.yaml', clusterText));
  const check = (file: string, withCluster = false) => {
    const text = readFileSync(join(EXAMPLES, file), 'utf8');
    return validate(parseDocument(file, text), withCluster ? { cluster, clusterStamp: 'test' } : {});
  };
  const codes = (fs: Finding[], sev?: string) => fs.filter((f) => !sev || f.severity === sev).map((f) => f.code);
  assert.ok(codes(check('fluent-bit.yaml')).includes('missing-control-plane-toleration'));
  assert.ok(codes(check('kube-flannel.yaml')).includes('missing-network-unavailable-toleration'));
  assert.ok(codes(check('kube-flannel.yaml')).includes('missing-not-ready-toleration'));
  for (const f of ['fluent-bit.yaml', 'kube-proxy.yaml', 'node-exporter.yaml', 'nvidia-device-plugin.yaml', 'vector-agent.yaml']) {
    assert.ok(!codes(check(f)).includes('missing-not-ready-toleration'), `${f} is no network plugin`);
  }
  const typo = check('node-exporter.yaml').find((f) => f.code === 'toleration-effect');
  assert.equal(typo?.severity, 'error');
  assert.equal(typo?.path, 'spec.template.spec.tolerations[0].effect');
  const surge = check('vector-agent.yaml').filter((f) => f.severity === 'error');
  assert.deepEqual(surge.map((f) => f.path), ['spec.updateStrategy.rollingUpdate.maxSurge']);
  assert.match(surge[0].message, /may not be set when maxUnavailable is non-zero/);
  assert.deepEqual(codes(check('kube-proxy.yaml', true), 'error'), []);
  assert.deepEqual(codes(check('nvidia-device-plugin.yaml', true), 'error'), []);
  assert.deepEqual(codes(check('nvidia-device-plugin.yaml', true), 'warning'), []);
  assert.ok(codes(check('fluent-bit.yaml', true)).includes('untolerated-taint'));
});

// --- the built CLI, end to end ---------------------------------------------------------------

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

let built: string | undefined;

/** Builds the bundles (npm run build) once, when server/out/cli.js is missing or older than its sources. */
function ensureBuilt(): string {
  if (built) return built;
  const cliJs = join(REPO, 'server/out/cli.js');
  const stale = !existsSync(cliJs) || statSync(cliJs).mtimeMs < Math.max(newestMtime(join(REPO, 'server/src')), statSync(join(REPO, 'package.json')).mtimeMs);
  if (stale) execFileSync(process.execPath, [join(REPO, 'esbuild.mjs')], { cwd: REPO, stdio: 'pipe' });
  built = cliJs;
  return cliJs;
}

function runBuilt(args: string[]) {
  const r = spawnSync(process.execPath, [ensureBuilt(), ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('built CLI: `daemonset-lens check examples/` reports the mistakes and exits 1', () => {
  const r = runBuilt(['check', 'examples/']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^examples\/node-exporter\.yaml:\d+:\d+: error toleration-effect spec\.template\.spec\.tolerations\[0\]\.effect: Unsupported value: "NoSchedul": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"$/m);
  assert.match(r.stdout, /^examples\/kube-flannel\.yaml:\d+:\d+: warning missing-network-unavailable-toleration /m);
  assert.match(r.stdout, /^examples\/fluent-bit\.yaml:\d+:\d+: \w+ missing-control-plane-toleration /m);
  assert.match(r.stderr, /^\d+ errors?, \d+ warnings?(, \d+ notes?)? in \d+ of \d+ files checked\.$/m);
  assert.doesNotMatch(r.stdout, /cluster\.yaml|pods\.yaml/, 'node and pod lists have no DaemonSet findings');
});

test('built CLI: JSON and SARIF on examples/, the cluster file, the corpus, --version', () => {
  const json = runBuilt(['check', '--format', 'json', '--cluster', 'examples/cluster.yaml', 'examples']);
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout) as { files: Array<{ file: string; diagnostics: Array<{ code: string }> }> };
  assert.ok(report.files.some((f) => f.file === 'examples/fluent-bit.yaml' && f.diagnostics.some((d) => d.code === 'untolerated-taint')));
  const sarif = runBuilt(['check', '--format', 'sarif', 'examples']);
  assert.equal(sarif.code, 1);
  assert.equal(JSON.parse(sarif.stdout).version, '2.1.0');
  const corpus = runBuilt(['check', 'test/fixtures/corpus']);
  assert.equal(corpus.code, 0, corpus.stdout);
  assert.match(corpus.stderr, new RegExp(`in (\\d+ of )?${corpusFiles.length} files checked\\.`));
  const version = runBuilt(['--version']);
  assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
  const missing = runBuilt(['check', 'does-not-exist.yaml']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr.split('\n')[0], "daemonset-lens: cannot read 'does-not-exist.yaml': no such file or directory");
});

test('built CLI: reads standard input and survives a closed pipe', () => {
  const r = spawnSync(process.execPath, [ensureBuilt(), 'check', '-'], { cwd: REPO, input: readFileSync(join(EXAMPLES, 'node-exporter.yaml')), encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^<stdin>:\d+:\d+: error toleration-effect /m);
  // `… | head -c 1`: output cut short (far beyond the pipe buffer) must not turn into a stack trace.
  const many = readFileSync(join(EXAMPLES, 'node-exporter.yaml'), 'utf8').replace(
    '      tolerations:\n',
    `      tolerations:\n${'        - {key: example.com/k, operator: Exists, effect: NoSchedul}\n'.repeat(2000)}`,
  );
  const sh = spawnSync('sh', ['-c', `"${process.execPath}" "${ensureBuilt()}" check - | head -c 1 >/dev/null; echo done`], { cwd: REPO, input: many, encoding: 'utf8' });
  assert.equal(sh.stdout.trim(), 'done');
  assert.doesNotMatch(sh.stderr, /\n\s+at |EPIPE/);
  const full = spawnSync(process.execPath, [ensureBuilt(), 'check', '-'], { cwd: REPO, input: many, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.ok(full.stdout.length > 256 * 1024, `${full.stdout.length} bytes of output`);
});

test('package.json declares the CLI as bin daemonset-lens', () => {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  assert.equal(pkg.bin['daemonset-lens'], 'server/out/cli.js');
  assert.ok(readFileSync(ensureBuilt(), 'utf8').startsWith('#!/usr/bin/env node\n'));
});
