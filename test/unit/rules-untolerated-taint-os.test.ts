/**
 * untolerated-taint and nodes of another OS: a taint on a Windows node (AKS and EKS guides use
 * `os=windows:NoSchedule`, GKE sets `node.kubernetes.io/os=windows:NoSchedule`) keeps Linux agents
 * off it on purpose, so it is no missed node and the fix must not offer to tolerate it; a Windows
 * DaemonSet still needs that toleration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCluster } from '../../server/src/engine/cluster';
import { parseDocument } from '../../server/src/engine/model';
import { podOSIntent } from '../../server/src/engine/rules/tolerationSupport';
import type { Finding } from '../../server/src/engine/types';
import { fixesOf, validate, type ValidateOptions } from '../../server/src/engine/validate';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');

/** AKS's mixed cluster, its Windows pool tainted `key=value:NoSchedule` and one Linux node tainted `dedicated=ingress`. */
function aksTainted(key: string, value: string): ReturnType<typeof parseCluster> {
  const lines = read('clusters/aks-mixed.yaml').split('\n');
  const out: string[] = [];
  let os = '';
  let name = '';
  for (const l of lines) {
    if (l.startsWith('- apiVersion')) os = name = '';
    const m = /^ {6}kubernetes\.io\/os: (\w+)/.exec(l);
    if (m) os = m[1];
    const n = /^ {4}name: (\S+)/.exec(l);
    if (n) name = n[1];
    out.push(l);
    if (l === '  spec:' && os === 'windows') out.push(`    taints:\n    - key: ${key}\n      value: ${value}\n      effect: NoSchedule`);
    if (l === '  spec:' && name === 'aks-general-14205963-vmss000000') out.push('    taints:\n    - key: dedicated\n      value: ingress\n      effect: NoSchedule');
  }
  return parseCluster(parseDocument('file:///aks.yaml', out.join('\n')));
}

const WINDOWS_NODES = ['akswin22000000', 'akswin22000001'];

function untolerated(text: string, options: ValidateOptions): Finding[] {
  return validate(parseDocument('file:///ds.yaml', text), { ...options, fixes: true }).filter((f) => f.code === 'untolerated-taint');
}

for (const [key, value] of [['os', 'windows'], ['node.kubernetes.io/os', 'windows'], ['sku', 'Windows']]) {
  test(`a Linux agent is not told it misses the Windows nodes tainted ${key}=${value}, nor offered their toleration`, () => {
    const cluster = aksTainted(key, value);
    // Fluent Bit as its chart renders it: no os.name, no OS selection, a Linux image.
    const [f, ...rest] = untolerated(read('pod-os/fluent-bit-linux.yaml'), { cluster });
    assert.deepEqual(rest, []);
    assert.ok(f, 'the Linux node with its own taint is still reported');
    assert.equal(f.message, "Won't run on aks-general-14205963-vmss000000: taint dedicated=ingress:NoSchedule");
    assert.deepEqual(f.data?.nodes, ['aks-general-14205963-vmss000000']);
    for (const fix of f.fixes ?? []) for (const e of fix.edits) assert.ok(!e.newText.includes(value), `${fix.title}: ${e.newText}`);
  });
}

test('a Windows DaemonSet is told it misses the tainted Windows nodes, and not the tainted Linux node', () => {
  const cluster = aksTainted('os', 'windows');
  const text = read('pod-os/fluent-bit-windows.yaml');
  const [f, ...rest] = untolerated(text, { cluster });
  assert.deepEqual(rest, []);
  assert.equal(f.message, `Won't run on ${WINDOWS_NODES.join(', ')}: taint os=windows:NoSchedule`);
  const fixes = fixesOf(parseDocument('file:///ds.yaml', text), f, { cluster });
  assert.ok(fixes.some((x) => x.edits.some((e) => /key: os/.test(e.newText) && /value: windows/.test(e.newText))), JSON.stringify(fixes));
});

test('a Windows agent picked out by its nodeSelector alone (a multi-arch image, no os.name) is told it misses the tainted Windows nodes', () => {
  const cluster = aksTainted('os', 'windows');
  const text = read('pod-os/fluent-bit-linux.yaml')
    .replace('name: fluent-bit\n  namespace', 'name: fluent-bit-windows\n  namespace')
    .replace('      hostNetwork: false\n', '      hostNetwork: false\n      nodeSelector:\n        kubernetes.io/os: windows\n');
  assert.ok(/kubernetes\.io\/os: windows/.test(text));
  const [f, ...rest] = untolerated(text, { cluster });
  assert.deepEqual(rest, []);
  assert.equal(f?.message, `Won't run on ${WINDOWS_NODES.join(', ')}: taint os=windows:NoSchedule`);
  // The same by a required node affinity.
  const byAffinity = read('pod-os/fluent-bit-linux.yaml').replace('      hostNetwork: false\n', '      hostNetwork: false\n      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - {key: kubernetes.io/os, operator: In, values: [windows]}\n');
  assert.equal(untolerated(byAffinity, { cluster })[0]?.message, `Won't run on ${WINDOWS_NODES.join(', ')}: taint os=windows:NoSchedule`);
});

test('the OS a template is written for: os.name, the OS label, windowsOptions, a Windows image, else Linux', () => {
  const ds = (spec: string, labels = '') => parseDocument('file:///ds.yaml', `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: a}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a${labels}}}
    spec:
${spec}`).daemonSets[0];
  const container = (image: string, extra = '') => `      containers:\n      - name: c\n        image: ${image}\n${extra}`;
  assert.equal(podOSIntent(ds(container('busybox:1.36'))), 'linux');
  assert.equal(podOSIntent(ds(`      nodeSelector: {kubernetes.io/os: windows}\n${container('busybox:1.36')}`)), 'windows');
  assert.equal(podOSIntent(ds(`      nodeSelector: {kubernetes.io/os: linux}\n${container('mcr.microsoft.com/windows/nanoserver:ltsc2022')}`)), 'linux');
  assert.equal(podOSIntent(ds(`      os: {name: windows}\n${container('busybox:1.36')}`)), 'windows');
  assert.equal(podOSIntent(ds(container('busybox:1.36'), ', kubernetes.io/os: windows')), 'windows');
  assert.equal(podOSIntent(ds(container('cr.fluentbit.io/fluent/fluent-bit:3.2.2-windows-2022'))), 'windows');
  assert.equal(podOSIntent(ds(container('mcr.microsoft.com/windows/nanoserver:ltsc2022'))), 'windows');
  assert.equal(podOSIntent(ds(container('ghcr.io/prometheus-community/windows-exporter:0.30.5'))), 'windows');
  assert.equal(podOSIntent(ds(container('example.com/agent:1.0', '        securityContext:\n          windowsOptions: {hostProcess: true, runAsUserName: "NT AUTHORITY\\\\SYSTEM"}\n'))), 'windows');
  // A name that merely contains "windows" in a path segment of another word is no Windows image.
  assert.equal(podOSIntent(ds(container('example.com/windowsill/agent:1.0'))), 'linux');
});

test('the example workspace: no Linux agent is told to tolerate the Windows node', () => {
  const cluster = parseCluster(parseDocument('file:///cluster.yaml', readFileSync(join(ROOT, 'examples/cluster.yaml'), 'utf8')));
  const win = cluster.nodes.filter((n) => n.os === 'windows');
  assert.ok(win.length > 0 && win.every((n) => n.taints.some((t) => t.key === 'os')), 'the example cluster taints its Windows node');
  let reported = 0;
  for (const f of readdirSync(join(ROOT, 'examples')).filter((x) => x.endsWith('.yaml') && x !== 'cluster.yaml' && x !== 'pods.yaml')) {
    const text = readFileSync(join(ROOT, 'examples', f), 'utf8');
    for (const finding of untolerated(text, { cluster })) {
      reported++;
      for (const n of win) assert.ok(!finding.message.includes(n.name), `${f}: ${finding.message}`);
    }
  }
  assert.ok(reported > 0, 'the examples still miss other tainted nodes');
});
