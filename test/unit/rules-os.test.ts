/**
 * os-without-node-selector, and what the pod's OS changes in the toleration rules: the DaemonSet
 * controller ignores os.name (NodeShouldRunDaemonPod), the kubelet rejects a pod on a node of another
 * OS (rejectPodAdmissionBasedOnOSField), so only a nodeSelector or required affinity on kubernetes.io/os
 * keeps a Windows DaemonSet off the Linux nodes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseCluster } from '../../server/src/engine/cluster';
import { applyEdits } from '../../server/src/engine/edits';
import { parseDocument } from '../../server/src/engine/model';
import type { Finding } from '../../server/src/engine/types';
import { validate, type ValidateOptions } from '../../server/src/engine/validate';

const RULE = 'os-without-node-selector';
const FIXTURES = join(__dirname, '..', 'fixtures');
const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');
const aks = parseCluster(parseDocument('file:///aks-mixed.yaml', read('clusters/aks-mixed.yaml')));
const kubeadm = parseCluster(parseDocument('file:///kubeadm.yaml', read('clusters/kubeadm.yaml')));

const KUBE_PROXY = read('pod-os/kube-proxy-windows.yaml');
const FLUENT_BIT = read('pod-os/fluent-bit-windows.yaml');
const NODE_EXPORTER = read('pod-os/node-exporter-linux.yaml');
const WINDOWS_EXPORTER = read('pod-os/windows-exporter-hostprocess.yaml');

function only(text: string, code: string, options: ValidateOptions = {}): Finding[] {
  return validate(parseDocument('file:///ds.yaml', text), options).filter((f) => f.code === code);
}
const at = (text: string, f: Finding) => text.slice(f.span.start, f.span.end);

/** Calico for Windows: os.name set, HostProcess, hostNetwork; `selection` is spliced into the pod spec. */
function calicoWindows(selection = '', os = 'windows'): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: calico-node-windows
  namespace: calico-system
spec:
  selector:
    matchLabels: {k8s-app: calico-node-windows}
  template:
    metadata:
      labels: {k8s-app: calico-node-windows}
    spec:
      os:
        name: ${os}
${selection}      securityContext:
        windowsOptions:
          hostProcess: true
          runAsUserName: "NT AUTHORITY\\\\system"
      hostNetwork: true
      serviceAccountName: calico-node
      containers:
      - name: node
        image: docker.io/calico/node-windows:v3.30.2
        args: ["$env:CONTAINER_SANDBOX_MOUNT_POINT/node.ps1"]
      - name: felix
        image: docker.io/calico/node-windows:v3.30.2
        args: ["$env:CONTAINER_SANDBOX_MOUNT_POINT/felix-service.ps1"]
      tolerations:
      - operator: Exists
        effect: NoSchedule
      - key: CriticalAddonsOnly
        operator: Exists
`;
}

test('without a cluster file: os.name but no OS nodeSelector is a warning on the os key', () => {
  const [f, ...rest] = only(KUBE_PROXY, RULE);
  assert.equal(rest.length, 0);
  assert.equal(f.severity, 'warning');
  assert.equal(f.path, 'spec.template.spec.os');
  assert.equal(at(KUBE_PROXY, f), 'os');
  assert.equal(f.message, 'os.name is windows, but neither the nodeSelector nor the required node affinity keeps the pods on windows nodes: the DaemonSet controller ignores os.name, so it creates a pod on every linux node it selects, and the kubelet there rejects each one (PodOSNotSupported); the controller then creates it again. Add nodeSelector kubernetes.io/os: windows.');
  assert.deepEqual(f.data, { os: 'windows' });
  assert.deepEqual(f.fixes?.map((x) => [x.title, !!x.isPreferred]), [['Add nodeSelector kubernetes.io/os: windows', true], ['Disable os-without-node-selector on this line', false]]);
  // A Linux DaemonSet that sets os.name: linux but picks only the architecture.
  const [g] = only(NODE_EXPORTER, RULE);
  assert.match(g.message, /^os\.name is linux, .* creates a pod on every windows node it selects/);
  // A pool label (the OS SKU) is not the OS label: nothing says the pool holds only Windows nodes.
  assert.equal(only(FLUENT_BIT, RULE).length, 1);
});

test('silent when nodeSelector or a required node affinity keeps the pods on their OS, or without os.name', () => {
  for (const selection of [
    '      nodeSelector:\n        kubernetes.io/os: windows\n',
    '      nodeSelector: {beta.kubernetes.io/os: windows}\n',
    '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions: [{key: kubernetes.io/os, operator: NotIn, values: [linux]}]\n',
    // Every term (ORed) must keep to the OS.
    '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions: [{key: kubernetes.io/os, operator: In, values: [windows]}, {key: agentpool, operator: In, values: [win22]}]\n            - matchExpressions: [{key: kubernetes.io/os, operator: In, values: [windows]}]\n',
    // Pinned to one node: its OS is the author's choice.
    '      nodeName: akswin22000000\n',
  ]) {
    assert.deepEqual(only(calicoWindows(selection), RULE).map((f) => f.message), [], selection);
  }
  assert.deepEqual(only(WINDOWS_EXPORTER, RULE), []);
  // One ORed term that lets Linux nodes in is enough to warn.
  const loose = '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions: [{key: kubernetes.io/os, operator: In, values: [windows]}]\n            - matchExpressions: [{key: agentpool, operator: In, values: [win22]}]\n';
  assert.equal(only(calicoWindows(loose), RULE).length, 1);
  // No os, or an os.name the API server rejects (pod-os reports that one).
  assert.deepEqual(only(KUBE_PROXY.replace(/ {6}os:\n.*\n/, ''), RULE), []);
  assert.deepEqual(only(calicoWindows('', 'Windows'), RULE), []);
  assert.deepEqual(only(calicoWindows('', 'Windows'), 'pod-os').map((f) => f.path), ['spec.template.spec.os']);
});

test('with a cluster file: names the nodes of another OS whose kubelet would reject the pods; silent when there is none', () => {
  const [f] = only(KUBE_PROXY, RULE, { cluster: aks });
  assert.equal(f.message, 'os.name is windows, but neither the nodeSelector nor the required node affinity keeps the pods on windows nodes: the DaemonSet controller ignores os.name, so it creates a pod on aks-system-28461937-vmss000000, aks-system-28461937-vmss000001, aks-general-14205963-vmss000000 (nodes of another OS in the cluster file), and the kubelet there rejects each one (PodOSNotSupported); the controller then creates it again. Add nodeSelector kubernetes.io/os: windows.');
  assert.deepEqual(f.data, { os: 'windows', nodes: ['aks-system-28461937-vmss000000', 'aks-system-28461937-vmss000001', 'aks-general-14205963-vmss000000'] });
  // The kubeadm cluster's control-plane node keeps the pod out with its taint: only the workers are named.
  assert.deepEqual(only(KUBE_PROXY, RULE, { cluster: kubeadm })[0].data?.nodes, ['worker-1', 'worker-2']);
  assert.deepEqual(only(NODE_EXPORTER, RULE, { cluster: aks })[0].data?.nodes, ['akswin22000000', 'akswin22000001']);
  // The pool label holds only Windows nodes in this cluster: nothing is rejected.
  assert.deepEqual(only(FLUENT_BIT, RULE, { cluster: aks }), []);
  // An all-Linux cluster has no Windows node for the Linux exporter to land on.
  assert.deepEqual(only(NODE_EXPORTER, RULE, { cluster: kubeadm }), []);
});

test('with a cluster file: a template labelled kubernetes.io/os is rejected by the label check first, and the message says so', () => {
  const labelled = KUBE_PROXY.replace('        k8s-app: kube-proxy-windows\n    spec:', '        k8s-app: kube-proxy-windows\n        kubernetes.io/os: windows\n    spec:');
  assert.notEqual(labelled, KUBE_PROXY);
  const [f] = only(labelled, RULE, { cluster: aks });
  assert.match(f.message, /and the kubelet there rejects each one \(PodOSSelectorNodeLabelDoesNotMatch\)/);
});

test('with a cluster file: the selection is right but the template labels its pods with the other OS: the message names the label', () => {
  const text = calicoWindows('      nodeSelector:\n        kubernetes.io/os: windows\n')
    .replace('labels: {k8s-app: calico-node-windows}', 'labels: {k8s-app: calico-node-windows, kubernetes.io/os: linux}');
  assert.match(text, /kubernetes\.io\/os: linux\}/);
  const [f] = only(text, RULE, { cluster: aks });
  assert.ok(f, 'reported');
  assert.match(f.message, /^os\.name is windows and the node selection asks for windows nodes, but the template labels its pods kubernetes\.io\/os: linux, which the kubelet on akswin22000000, akswin22000001 checks against the OS it runs: .*\(PodOSSelectorNodeLabelDoesNotMatch\).*Remove the label from the template, or make it windows\.$/);
});

test('with a cluster file whose labels lie: the nodeSelector is right, the node is not, and no fix is offered', () => {
  const cluster = parseCluster(parseDocument('file:///c.yaml', `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {name: win-1, labels: {kubernetes.io/os: windows}}
  status: {nodeInfo: {operatingSystem: windows}}
- apiVersion: v1
  kind: Node
  metadata: {name: relabelled-1, labels: {kubernetes.io/os: windows}}
  status: {nodeInfo: {operatingSystem: linux}}
`));
  const text = calicoWindows('      nodeSelector:\n        kubernetes.io/os: windows\n');
  assert.deepEqual(only(text, RULE), []);
  const [f] = only(text, RULE, { cluster });
  assert.equal(f.message, 'os.name is windows and the node selection asks for windows nodes, but relabelled-1 carries an OS label that does not match the OS its kubelet reports (status.nodeInfo.operatingSystem): the DaemonSet controller creates a pod there, and the kubelet there rejects each one (PodOSNotSupported); the controller then creates it again.');
  assert.deepEqual(f.fixes?.map((x) => x.title), ['Disable os-without-node-selector on this line']);
});

test('the fix adds kubernetes.io/os to the nodeSelector in the file\'s style and clears the finding', () => {
  const cases: Array<{ name: string; text: string; added: RegExp }> = [
    // No nodeSelector: created, block style, 2 spaces, flush sequences, comments kept.
    { name: 'kube-proxy, block', text: KUBE_PROXY, added: /\n {6}nodeSelector:\n {8}kubernetes\.io\/os: windows\n/ },
    // An existing block nodeSelector with a comment, 4 spaces, CRLF.
    { name: 'fluent-bit, 4 spaces, CRLF', text: FLUENT_BIT, added: /kubernetes\.azure\.com\/os-sku: Windows2022 # the Windows Server 2022 pool\r\n {16}kubernetes\.io\/os: windows\r\n/ },
    // A flow nodeSelector.
    { name: 'node-exporter, flow', text: NODE_EXPORTER, added: /nodeSelector: \{kubernetes\.io\/arch: amd64, kubernetes\.io\/os: linux\}\n/ },
    // 4 spaces, indented sequences and CRLF, no nodeSelector: created at the end of the pod spec.
    { name: 'fluent-bit, 4 spaces, CRLF, no nodeSelector', text: FLUENT_BIT.replace(/ {12}nodeSelector:\r\n.*\r\n/, ''), added: /\r\n {12}nodeSelector:\r\n {16}kubernetes\.io\/os: windows\r\n$/ },
    // A nodeSelector naming the other OS: its value is replaced.
    { name: 'calico, nodeSelector linux', text: calicoWindows('      nodeSelector:\n        kubernetes.io/os: linux # wrong\n'), added: /\n {8}kubernetes\.io\/os: windows # wrong\n/ },
  ];
  for (const c of cases) {
    const [f] = only(c.text, RULE);
    assert.ok(f, c.name);
    const fix = f.fixes!.find((x) => x.isPreferred)!;
    const after = applyEdits(c.text, fix.edits);
    assert.match(after, c.added, `${c.name}:\n${after}`);
    if (c.text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(after), `${c.name}: CRLF kept`);
    for (const comment of c.text.match(/#.*$/gm) ?? []) assert.ok(after.includes(comment.replace(/\r$/, '')), `${c.name}: ${comment}`);
    // Only the nodeSelector changed, and nothing is reported any more, with or without a cluster.
    const before = parse(c.text) as { spec: { template: { spec: Record<string, unknown> } } };
    const value = parse(after) as typeof before;
    assert.deepEqual((value.spec.template.spec.nodeSelector as Record<string, string>)['kubernetes.io/os'], (value.spec.template.spec.os as { name: string }).name);
    delete value.spec.template.spec.nodeSelector;
    delete before.spec.template.spec.nodeSelector;
    assert.deepEqual(value, before, c.name);
    const errors = parseDocument('file:///ds.yaml', after).findings.filter((x) => x.severity === 'error');
    assert.deepEqual(errors, [], c.name);
    assert.deepEqual(only(after, RULE), [], c.name);
    assert.deepEqual(only(after, RULE, { cluster: aks }), [], c.name);
  }
  // The other way out when the nodeSelector names the other OS: the pods are that OS's.
  const linuxSelector = calicoWindows('      nodeSelector:\n        kubernetes.io/os: linux\n');
  const rename = only(linuxSelector, RULE)[0].fixes!.find((x) => x.title === 'Change os.name to linux (the nodeSelector\'s OS)');
  assert.ok(rename);
  assert.deepEqual(only(applyEdits(linuxSelector, rename.edits), RULE), []);
});

test('the fix in a JSON manifest writes JSON, and there is no comment to disable the rule', () => {
  const value = parse(KUBE_PROXY);
  const text = JSON.stringify(value, null, 2) + '\n';
  const [f] = validate(parseDocument('file:///kube-proxy.json', text)).filter((x) => x.code === RULE);
  assert.deepEqual(f.fixes?.map((x) => x.title), ['Add nodeSelector kubernetes.io/os: windows']);
  const after = applyEdits(text, f.fixes![0].edits);
  assert.deepEqual(JSON.parse(after).spec.template.spec.nodeSelector, { 'kubernetes.io/os': 'windows' });
  assert.deepEqual(validate(parseDocument('file:///kube-proxy.json', after)).filter((x) => x.code === RULE), []);
});

test('no fix when the required node affinity keeps the pods off every node of their OS', () => {
  const contradiction = calicoWindows('      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions: [{key: kubernetes.io/os, operator: In, values: [linux]}]\n');
  const [f] = only(contradiction, RULE);
  assert.deepEqual(f.fixes?.map((x) => x.title), ['Disable os-without-node-selector on this line']);
});

test('Kustomize patches are not judged: the base carries the selectors', () => {
  const patch = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: kube-proxy-windows\nspec:\n  template:\n    spec:\n      os:\n        name: windows\n';
  assert.deepEqual(only(patch, RULE), []);
});

// --- the pod's OS in the toleration rules ---------------------------------------------------

test('missing-control-plane-toleration: silent for os.name: windows without a nodeSelector (the control plane runs Linux)', () => {
  // kube-proxy is a node agent; as a Linux agent it would be reported.
  const linux = KUBE_PROXY.replace('name: windows #', 'name: linux #').replace(/ {6}securityContext:\n( {8}.*\n)+/, '');
  assert.equal(only(linux, 'missing-control-plane-toleration').length, 1);
  assert.equal(only(KUBE_PROXY.replace(/ {6}os:\n.*\n/, ''), 'missing-control-plane-toleration').length, 1, 'without os.name');
  assert.deepEqual(only(KUBE_PROXY, 'missing-control-plane-toleration'), []);
  assert.deepEqual(only(KUBE_PROXY, 'missing-control-plane-toleration', { cluster: kubeadm }), []);
  assert.deepEqual(only(KUBE_PROXY, 'missing-control-plane-toleration', { kubernetesVersion: '1.24' }), []);
});

test('untolerated-taint and no-eligible-nodes: no toleration is suggested for nodes whose kubelet rejects the pods anyway', () => {
  // On kubeadm, cp-1 keeps the Windows pods out with its control-plane taint: tolerating it would only get them rejected.
  assert.deepEqual(only(KUBE_PROXY, 'untolerated-taint', { cluster: kubeadm }), []);
  const linux = KUBE_PROXY.replace(/ {6}os:\n.*\n/, '');
  assert.ok(only(linux, 'untolerated-taint', { cluster: kubeadm }).length + only(linux, 'missing-control-plane-toleration', { cluster: kubeadm }).length > 0);
  const taintedLinux = parseCluster(parseDocument('file:///c.yaml', `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {name: linux-1, labels: {kubernetes.io/os: linux}}
  spec: {taints: [{key: dedicated, value: infra, effect: NoSchedule}]}
- apiVersion: v1
  kind: Node
  metadata: {name: win-1, labels: {kubernetes.io/os: windows}}
  spec: {taints: [{key: os, value: windows, effect: NoSchedule}]}
`));
  const ds = calicoWindows().replace(/ {6}tolerations:\n( {6}.*\n)+/, '');
  const [u] = only(ds, 'untolerated-taint', { cluster: taintedLinux });
  assert.equal(u.message, "Won't run on win-1: taint os=windows:NoSchedule");
  const [n] = only(ds, 'no-eligible-nodes', { cluster: taintedLinux });
  assert.deepEqual(n.fixes?.map((x) => x.title), ['Add toleration os=windows:NoSchedule', 'Disable no-eligible-nodes on this line']);
});

test('tolerates-all-taints does not count nodes whose kubelet rejects the pods as opened by the toleration', () => {
  const keyless = KUBE_PROXY.replace('      tolerations:\n', '      tolerations:\n      - operator: Exists\n');
  const [f] = only(keyless, 'tolerates-all-taints', { cluster: kubeadm });
  assert.ok(f);
  assert.doesNotMatch(f.message, /cp-1/);
  const [g] = only(keyless.replace(/ {6}os:\n.*\n/, ''), 'tolerates-all-taints', { cluster: kubeadm });
  assert.match(g.message, /lets the pods onto cp-1/);
});
