/**
 * linux-pod-on-windows-nodes: a Linux agent without os.name or a kubernetes.io/os node selection gets a
 * pod on every Windows node it tolerates (the controller and the scheduler ignore the pod's OS, the
 * kubelet admits a pod without os.name), where its containers never start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseCluster } from '../../server/src/engine/cluster';
import { applyEdits } from '../../server/src/engine/edits';
import { parseDocument } from '../../server/src/engine/model';
import type { Finding } from '../../server/src/engine/types';
import { validate, type ValidateOptions } from '../../server/src/engine/validate';

const RULE = 'linux-pod-on-windows-nodes';
const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');
const cluster = (p: string) => parseCluster(parseDocument(`file:///${p}`, readFileSync(p.startsWith('examples/') ? join(ROOT, p) : join(FIXTURES, p), 'utf8')));
const aks = cluster('clusters/aks-mixed.yaml');
const kubeadm = cluster('clusters/kubeadm.yaml');
/** Its Windows node is tainted os=windows:NoSchedule. */
const example = cluster('examples/cluster.yaml');
const WINDOWS_NODES = ['akswin22000000', 'akswin22000001'];

const IP_MASQ = read('pod-os/ip-masq-agent.yaml');
const FLUENT_BIT = read('pod-os/fluent-bit-linux.yaml');
/** node-exporter in flow style, os.name removed: only the architecture is selected. */
const NODE_EXPORTER = read('pod-os/node-exporter-linux.yaml').replace('      os: {name: linux}\n', '');

function only(text: string, options: ValidateOptions = {}, code = RULE): Finding[] {
  return validate(parseDocument('file:///ds.yaml', text), options).filter((f) => f.code === code);
}
const at = (text: string, f: Finding) => text.slice(f.span.start, f.span.end);

test('ip-masq-agent, fluent-bit and node-exporter on AKS with untainted Windows nodes: a warning naming the Windows nodes and the Linux-only signs', () => {
  assert.ok(!NODE_EXPORTER.includes('os:'), 'node-exporter has no os.name');
  const [m, ...rest] = only(IP_MASQ, { cluster: aks });
  assert.equal(rest.length, 0);
  assert.equal(m.severity, 'warning');
  assert.equal(m.path, 'spec.template.spec');
  assert.equal(at(IP_MASQ, m), 'spec');
  assert.equal(m.message, 'The template is written for Linux (sets containers[0].securityContext.capabilities, sets containers[0].securityContext.privileged and runs registry.k8s.io/networking/ip-masq-agent:v2.11.0) but nothing keeps its pods off Windows nodes (no os.name, no kubernetes.io/os node selection): the DaemonSet controller creates a pod on the Windows nodes akswin22000000, akswin22000001, the kubelet there admits each one, and their containers cannot start (a Linux image has no Windows variant: ImagePullBackOff). Add nodeSelector kubernetes.io/os: linux.');
  assert.deepEqual(m.data, { nodes: WINDOWS_NODES, signs: ['sets containers[0].securityContext.capabilities', 'sets containers[0].securityContext.privileged', 'runs registry.k8s.io/networking/ip-masq-agent:v2.11.0'] });
  assert.deepEqual(m.fixes?.map((x) => [x.title, !!x.isPreferred]), [['Add nodeSelector kubernetes.io/os: linux', true], ['Disable linux-pod-on-windows-nodes on this line', false]]);

  // /var/log and /var/lib/docker/containers exist on Windows nodes too (C:\var\log): only /etc/machine-id counts.
  const [f] = only(FLUENT_BIT, { cluster: aks });
  assert.deepEqual(f.data, { nodes: WINDOWS_NODES, signs: ['mounts /etc/machine-id'] });

  const [n] = only(NODE_EXPORTER, { cluster: aks });
  assert.equal(n.path, 'spec.template.spec.nodeSelector');
  assert.equal(at(NODE_EXPORTER, n), 'nodeSelector');
  assert.deepEqual(n.data?.nodes, WINDOWS_NODES);
  // runAsUser, readOnlyRootFilesystem and the like are hardening a Windows node ignores: not signs.
  assert.deepEqual(n.data?.signs, ['mounts /proc', 'mounts /sys', 'sets hostPID', 'runs quay.io/prometheus/node-exporter:v1.9.1']);
  assert.match(n.message, /^The template is written for Linux \(mounts \/proc, mounts \/sys, sets hostPID and runs quay\.io\/prometheus\/node-exporter:v1\.9\.1\)/);
});

test('silent without a cluster file, on an all-Linux cluster, and on a cluster whose Windows node is tainted', () => {
  for (const text of [IP_MASQ, FLUENT_BIT, NODE_EXPORTER]) {
    assert.deepEqual(only(text), []);
    assert.deepEqual(only(text, { cluster: kubeadm }), []);
  }
  // win-1 carries os=windows:NoSchedule: fluent-bit does not tolerate it, so no pod lands there.
  assert.deepEqual(only(FLUENT_BIT, { cluster: example }), []);
  // ip-masq-agent tolerates every NoSchedule taint: it does land on win-1.
  assert.deepEqual(only(IP_MASQ, { cluster: example })[0].data?.nodes, ['win-1']);
});

test('silent when the pods are kept to Linux or are Windows pods', () => {
  const pod = '    spec:\n      hostNetwork: true\n';
  assert.ok(IP_MASQ.includes(pod));
  const withSpec = (extra: string) => IP_MASQ.replace(pod, `    spec:\n${extra}      hostNetwork: true\n`);
  assert.equal(only(withSpec(''), { cluster: aks }).length, 1, 'reported as it is');
  for (const extra of [
    '      nodeSelector:\n        kubernetes.io/os: linux\n',
    '      nodeSelector: {beta.kubernetes.io/os: linux}\n',
    '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions: [{key: kubernetes.io/os, operator: NotIn, values: [windows]}]\n',
    // os.name: the kubelet of a Windows node rejects the pods (os-without-node-selector says so).
    '      os:\n        name: linux\n',
    // A Windows DaemonSet: the selection asks for Windows nodes.
    '      nodeSelector:\n        kubernetes.io/os: windows\n',
    // Pinned to one node by name.
    '      nodeName: akswin22000000\n',
    // Windows settings: not a Linux pod.
    '      securityContext:\n        windowsOptions:\n          runAsUserName: ContainerUser\n',
  ]) {
    const text = withSpec(extra);
    assert.notEqual(text, IP_MASQ);
    assert.deepEqual(only(text, { cluster: aks }).map((f) => f.message), [], extra);
  }
  assert.equal(only(withSpec('      os:\n        name: linux\n'), { cluster: aks }, 'os-without-node-selector').length, 1);
  // The template's own kubernetes.io/os label: the Windows kubelet rejects the pods (PodOSSelectorNodeLabelDoesNotMatch).
  const labelled = IP_MASQ.replace('        k8s-app: ip-masq-agent\n    spec:', '        k8s-app: ip-masq-agent\n        kubernetes.io/os: linux\n    spec:');
  assert.notEqual(labelled, IP_MASQ);
  assert.deepEqual(only(labelled, { cluster: aks }), []);
  // The Windows fixtures (os.name: windows, Windows pools) and the windows-exporter of the corpus.
  for (const f of ['pod-os/kube-proxy-windows.yaml', 'pod-os/fluent-bit-windows.yaml', 'pod-os/windows-exporter-hostprocess.yaml', 'corpus/windows-exporter.yaml']) {
    assert.deepEqual(only(read(f), { cluster: aks }), [], f);
  }
});

test('an image built only for Linux is named but never enough on its own; a Windows tag is not counted', () => {
  const bare = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: exporter}
spec:
  selector: {matchLabels: {app: exporter}}
  template:
    metadata: {labels: {app: exporter}}
    spec:
      containers:
      - name: exporter
        image: quay.io/prometheus/node-exporter:v1.9.1
`;
  assert.deepEqual(only(bare, { cluster: aks }), []);
  const withProc = bare + '        volumeMounts: [{name: proc, mountPath: /host/proc}]\n      volumes: [{name: proc, hostPath: {path: /proc}}]\n';
  assert.deepEqual(only(withProc, { cluster: aks })[0].data?.signs, ['mounts /proc', 'runs quay.io/prometheus/node-exporter:v1.9.1']);
  const windowsTag = withProc.replace('node-exporter:v1.9.1', 'node-exporter:v1.9.1-windows-ltsc2022');
  assert.deepEqual(only(windowsTag, { cluster: aks })[0].data?.signs, ['mounts /proc']);
});

test('the fix adds kubernetes.io/os: linux to the nodeSelector in the file\'s style and clears the finding', () => {
  const cases: Array<{ name: string; text: string; added: RegExp }> = [
    { name: 'ip-masq-agent, no nodeSelector', text: IP_MASQ, added: /\n {6}nodeSelector:\n {8}kubernetes\.io\/os: linux\n/ },
    { name: 'fluent-bit, 4-space sequences', text: FLUENT_BIT, added: /\n {6}nodeSelector:\n {8}kubernetes\.io\/os: linux\n/ },
    { name: 'node-exporter, flow', text: NODE_EXPORTER, added: /nodeSelector: \{kubernetes\.io\/arch: amd64, kubernetes\.io\/os: linux\}\n/ },
    { name: 'fluent-bit, CRLF', text: FLUENT_BIT.replace(/\n/g, '\r\n'), added: /\r\n {6}nodeSelector:\r\n {8}kubernetes\.io\/os: linux\r\n/ },
  ];
  for (const c of cases) {
    const [f] = only(c.text, { cluster: aks });
    assert.ok(f, c.name);
    const fix = f.fixes!.find((x) => x.isPreferred)!;
    const after = applyEdits(c.text, fix.edits);
    assert.match(after, c.added, `${c.name}:\n${after}`);
    if (c.text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(after), `${c.name}: CRLF kept`);
    for (const comment of c.text.match(/#.*$/gm) ?? []) assert.ok(after.includes(comment.replace(/\r$/, '')), `${c.name}: ${comment}`);
    const before = parse(c.text) as { spec: { template: { spec: Record<string, unknown> } } };
    const value = parse(after) as typeof before;
    assert.equal((value.spec.template.spec.nodeSelector as Record<string, string>)['kubernetes.io/os'], 'linux');
    delete value.spec.template.spec.nodeSelector;
    delete before.spec.template.spec.nodeSelector;
    assert.deepEqual(value, before, c.name);
    assert.deepEqual(parseDocument('file:///ds.yaml', after).findings.filter((x) => x.severity === 'error'), [], c.name);
    assert.deepEqual(only(after, { cluster: aks }), [], c.name);
    assert.deepEqual(only(after, { cluster: aks }, 'os-without-node-selector'), [], c.name);
  }
  // JSON: written as JSON, and no comment to disable the rule.
  const json = JSON.stringify(parse(IP_MASQ), null, 2) + '\n';
  const [j] = validate(parseDocument('file:///ip-masq-agent.json', json), { cluster: aks }).filter((x) => x.code === RULE);
  assert.deepEqual(j.fixes?.map((x) => x.title), ['Add nodeSelector kubernetes.io/os: linux']);
  const after = applyEdits(json, j.fixes![0].edits);
  assert.deepEqual(JSON.parse(after).spec.template.spec.nodeSelector, { 'kubernetes.io/os': 'linux' });
  assert.deepEqual(validate(parseDocument('file:///ip-masq-agent.json', after), { cluster: aks }).filter((x) => x.code === RULE), []);
});

test('Kustomize patches are not judged, and the corpus stays silent without a cluster file', () => {
  const patch = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ip-masq-agent\nspec:\n  template:\n    spec:\n      hostPID: true\n';
  assert.deepEqual(only(patch, { cluster: aks }), []);
  const corpus = join(FIXTURES, 'corpus');
  let fired = 0;
  for (const name of readdirSync(corpus).filter((f) => /\.(ya?ml|json)$/.test(f))) {
    const text = readFileSync(join(corpus, name), 'utf8');
    assert.deepEqual(validate(parseDocument(name, text)).filter((f) => f.code === RULE), [], name);
    fired += validate(parseDocument(name, text), { cluster: aks }).filter((f) => f.code === RULE).length;
  }
  // Log shippers, falco, kube-router and weave select no OS; every other corpus agent selects Linux
  // (fluentd, which selects none either, sets only hardening fields and mounts no Linux-only path).
  assert.equal(fired, 7);
});

test('a cross-platform agent that only hardens its Linux pods (runAsUser, seccompProfile, readOnlyRootFilesystem) is not called Linux-only', () => {
  const collector = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: otel-agent
  namespace: observability
spec:
  selector:
    matchLabels: {app: otel-agent}
  template:
    metadata:
      labels: {app: otel-agent}
    spec:
      securityContext:
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: otel-agent
        image: otel/opentelemetry-collector-contrib:0.114.0
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
`;
  assert.deepEqual(only(collector, { cluster: aks }), []);
  // The same agent granted a Linux capability is Linux-only.
  const [f] = only(collector.replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: true\n          capabilities: {add: [SYS_PTRACE]}'), { cluster: aks });
  assert.deepEqual(f.data?.signs, ['sets containers[0].securityContext.capabilities']);
});
