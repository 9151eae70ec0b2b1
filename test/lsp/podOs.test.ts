/**
 * The pod's OS over the real server: pod-os, windows-host-process, os-without-node-selector and
 * linux-pod-on-windows-nodes diagnostics and their quick fixes, and, with a mixed Linux/Windows cluster
 * file, the kubelet's rejection in the diagnostic, the code lens, the placement request and the pod view.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeLens, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import type { PlacementResult, PodForNodeResult } from '../../server/src/protocol';
import { applyAction, ROOT, TestClient } from './lspClient';

const RULE = 'os-without-node-selector';
const read = (p: string) => readFileSync(join(ROOT, 'test/fixtures', p), 'utf8');
const KUBE_PROXY = read('pod-os/kube-proxy-windows.yaml');
const FLUENT_BIT = read('pod-os/fluent-bit-windows.yaml');
const LINUX = ['aks-system-28461937-vmss000000', 'aks-system-28461937-vmss000001', 'aks-general-14205963-vmss000000'];

/** Applies the action titled `title` to the diagnostic, re-validates, and returns the new diagnostics. */
async function fix(client: TestClient, name: string, d: Diagnostic, title: string): Promise<{ text: string; diagnostics: Diagnostic[] }> {
  const uri = client.uri(name);
  const actions = await client.resolvedCodeActions(uri, [d]);
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `${title} among ${actions.map((a) => a.title).join(', ')}`);
  const text = applyAction(client.text(uri), uri, action);
  return { text, diagnostics: (await client.replaceAll(uri, text)).diagnostics };
}

describe('without a cluster file', () => {
  let client: TestClient;
  before(async () => {
    client = new TestClient();
    await client.initialize();
  });
  after(() => client.dispose());

  test('a Windows DaemonSet without an OS nodeSelector: a warning on os, fixed by adding the nodeSelector', async () => {
    const p = await client.open('kube-proxy-windows.yaml', KUBE_PROXY);
    assert.deepEqual(p.diagnostics.map((d) => d.code), [RULE], 'no control-plane toleration is asked of a Windows agent');
    const [d] = p.diagnostics;
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range, { start: { line: 19, character: 6 }, end: { line: 19, character: 8 } });
    assert.match(d.message, /the DaemonSet controller ignores os\.name, so it creates a pod on every linux node it selects, and the kubelet there rejects each one \(PodOSNotSupported\)/);
    const actions = await client.resolvedCodeActions(client.uri('kube-proxy-windows.yaml'), [d]);
    assert.deepEqual(actions.map((a) => [a.title, !!a.isPreferred]), [['Add nodeSelector kubernetes.io/os: windows', true], [`Disable ${RULE} on this line`, false]]);
    const after = await fix(client, 'kube-proxy-windows.yaml', d, 'Add nodeSelector kubernetes.io/os: windows');
    assert.deepEqual(after.diagnostics, []);
    assert.match(after.text, /\n {6}nodeSelector:\n {8}kubernetes\.io\/os: windows\n {2}updateStrategy:/);
    assert.equal(after.text.replace('      nodeSelector:\n        kubernetes.io/os: windows\n', ''), KUBE_PROXY, 'nothing else changed');
  });

  test('in a 4-space CRLF file the fix adds the OS label to the existing nodeSelector', async () => {
    const p = await client.open('fluent-bit-windows.yaml', FLUENT_BIT);
    const d = p.diagnostics.find((x) => x.code === RULE)!;
    assert.ok(d);
    const after = await fix(client, 'fluent-bit-windows.yaml', d, 'Add nodeSelector kubernetes.io/os: windows');
    assert.deepEqual(after.diagnostics.filter((x) => x.code === RULE), []);
    assert.match(after.text, /Windows2022 # the Windows Server 2022 pool\r\n {16}kubernetes\.io\/os: windows\r\n/);
    assert.ok(!/[^\r]\n/.test(after.text), 'CRLF kept');
  });

  test('pod-os: an unsupported os.name is fixed to windows, and then the Linux-only fields are reported', async () => {
    const text = KUBE_PROXY.replace('name: windows #', 'name: Windows #').replace('      hostNetwork: true\n', '      hostNetwork: true\n      hostPID: true\n');
    const p = await client.open('typo.yaml', text);
    const d = p.diagnostics.find((x) => x.code === 'pod-os')!;
    assert.equal(d.message, 'Unsupported value: "Windows": supported values: "linux", "windows"');
    assert.equal((d.data as { path?: string }).path, 'spec.template.spec.os');
    assert.equal(d.severity, 1);
    const after = await fix(client, 'typo.yaml', d, 'Change os.name to windows');
    const podOs = after.diagnostics.filter((x) => x.code === 'pod-os');
    assert.deepEqual(podOs.map((x) => [(x.data as { path?: string }).path, x.message]), [['spec.template.spec.hostPID', 'Forbidden: cannot be set for a windows pod']]);
  });

  test('windows-host-process: a HostProcess pod without hostNetwork is an error, fixed by setting it', async () => {
    const text = KUBE_PROXY.replace('      hostNetwork: true\n', '').replace('    spec:\n      os:', '    spec:\n      nodeSelector:\n        kubernetes.io/os: windows\n      os:');
    const p = await client.open('no-host-network.yaml', text);
    assert.deepEqual(p.diagnostics.map((x) => x.code), ['windows-host-process']);
    const [d] = p.diagnostics;
    assert.equal(d.severity, 1);
    assert.equal(d.message, 'Invalid value: false: hostNetwork must be true if pod contains any hostProcess containers');
    assert.equal((d.data as { path?: string }).path, 'spec.template.spec.hostNetwork');
    const after = await fix(client, 'no-host-network.yaml', d, 'Set hostNetwork: true');
    assert.deepEqual(after.diagnostics, []);
    assert.equal(after.text, text.replace(/( {6}- configMap:\n {10}name: kube-proxy\n {8}name: kube-proxy\n)/, '$1      hostNetwork: true\n'));
  });

  test('hover on os.name says it does not steer scheduling; completion offers linux and windows', async () => {
    const uri = client.uri('kube-proxy-windows.yaml');
    await client.replaceAll(uri, KUBE_PROXY);
    const h = await client.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 20, character: 15 } });
    assert.match((h?.contents as { value: string }).value, /It does not steer scheduling/);
    const items = await client.conn.sendRequest<{ items: Array<{ label: string }> } | Array<{ label: string }>>('textDocument/completion', { textDocument: { uri }, position: { line: 20, character: 14 } });
    const labels = (Array.isArray(items) ? items : items.items).map((i) => i.label);
    assert.deepEqual(labels, ['linux', 'windows']);
  });
});

describe('with a mixed Linux/Windows cluster file', () => {
  let client: TestClient;
  before(async () => {
    client = new TestClient({ 'cluster.yaml': read('clusters/aks-mixed.yaml') });
    await client.initialize();
  });
  after(() => client.dispose());

  test('the diagnostic names the Linux nodes whose kubelet rejects the pods; the code lens and the placement agree', async () => {
    const uri = client.uri('kube-proxy-windows.yaml');
    await client.open('kube-proxy-windows.yaml', KUBE_PROXY);
    const p = await client.waitDiagnostics(uri, (x) => x.diagnostics.some((d) => d.code === RULE && /aks-system/.test(d.message)), false);
    const d = p.diagnostics.find((x) => x.code === RULE)!;
    assert.match(d.message, new RegExp(`creates a pod on ${LINUX.join(', ')} \\(nodes of another OS in the cluster file\\)`));
    const lenses = await client.conn.sendRequest<CodeLens[] | null>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses?.[0].command?.title, 'runs on 2 of 5 nodes · 3 rejected by the kubelet');
    const r = (await client.conn.sendRequest<PlacementResult | null>('daemonset/placement', { uri }))!;
    const verdicts = r.daemonSets[0].placement!.nodes.map((v) => [v.node, v.shouldRun, v.schedulable, v.admitted, v.reasons.map((x) => x.kubeletReason)]);
    assert.deepEqual(verdicts, [
      ...LINUX.map((n) => [n, true, true, false, ['PodOSNotSupported']]),
      ['akswin22000000', true, true, true, []],
      ['akswin22000001', true, true, true, []],
    ]);
    const pod = (await client.conn.sendRequest<PodForNodeResult | null>('daemonset/podForNode', { uri, index: 0, node: LINUX[0] }))!;
    assert.match(pod.note!, /^The pod would be created and bound to the node, then rejected by the kubelet: os\.name `windows` does not match the node's OS `linux` \(PodOSNotSupported\)/);
    // The fix: the Linux nodes no longer get a pod, and nothing is left to report.
    const after = await fix(client, 'kube-proxy-windows.yaml', d, 'Add nodeSelector kubernetes.io/os: windows');
    assert.deepEqual(after.diagnostics.map((x) => x.code), []);
    const lensesAfter = await client.conn.sendRequest<CodeLens[] | null>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lensesAfter?.[0].command?.title, 'runs on 2 of 5 nodes · 3 excluded by selector or affinity');
  });

  test('a Linux agent without an OS selection: linux-pod-on-windows-nodes names the Windows nodes, and the fix keeps the pods on Linux', async () => {
    const name = 'ip-masq-agent.yaml';
    const uri = client.uri(name);
    await client.open(name, read('pod-os/ip-masq-agent.yaml'));
    const p = await client.waitDiagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'linux-pod-on-windows-nodes'), false);
    const d = p.diagnostics.find((x) => x.code === 'linux-pod-on-windows-nodes')!;
    assert.equal(d.severity, 2);
    assert.match(d.message, /creates a pod on the Windows nodes akswin22000000, akswin22000001, the kubelet there admits each one/);
    const after = await fix(client, name, d, 'Add nodeSelector kubernetes.io/os: linux');
    assert.match(after.text, /\n {6}nodeSelector:\n {8}kubernetes\.io\/os: linux\n/);
    assert.deepEqual(after.diagnostics.map((x) => x.code), []);
    const lenses = await client.conn.sendRequest<CodeLens[] | null>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses?.[0].command?.title, 'runs on 3 of 5 nodes · 2 excluded by selector or affinity');
  });

  test('a Windows DaemonSet whose pool selector holds only Windows nodes is not reported', async () => {
    const p = await client.open('fluent-bit-windows.yaml', FLUENT_BIT);
    const uri = client.uri('fluent-bit-windows.yaml');
    const settled = p.diagnostics.some((d) => d.code === RULE) ? await client.waitDiagnostics(uri, (x) => !x.diagnostics.some((d) => d.code === RULE)) : p;
    assert.deepEqual(settled.diagnostics.map((d) => d.code), []);
  });
});
