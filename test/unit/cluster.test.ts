import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from '../../server/src/engine/model';
import { parseCluster } from '../../server/src/engine/cluster';
import { placeDaemonSet } from '../../server/src/engine/placement';

const DIR = join(__dirname, '..', 'fixtures', 'clusters');
const load = (file: string) => {
  const text = readFileSync(join(DIR, file), 'utf8');
  return { text, cluster: parseCluster(parseDocument(file, text)) };
};
const fluentd = parseDocument('fluentd.yaml', readFileSync(join(__dirname, '..', 'fixtures', 'placement', 'fluentd.yaml'), 'utf8')).daemonSets[0];
const verdicts = (file: string) => Object.fromEntries(placeDaemonSet(fluentd, load(file).cluster).nodes.map((n) => [n.node, `${n.shouldRun}/${n.shouldContinueRunning}/${n.schedulable}`]));

test('kubeadm `kubectl get nodes -o yaml`: control-plane taint, cordoned worker', () => {
  const { cluster, text } = load('kubeadm.yaml');
  assert.deepEqual(cluster.findings, []);
  assert.deepEqual(cluster.nodes.map((n) => n.name), ['cp-1', 'worker-1', 'worker-2']);
  const cp = cluster.nodes[0];
  assert.deepEqual(cp.taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  assert.equal(cp.labels['node-role.kubernetes.io/control-plane'], '');
  assert.equal(cp.allocatable?.memory, '3912572Ki');
  assert.equal(cp.conditions.Ready, 'True');
  assert.equal(text.slice(cp.nameSpan.start, cp.nameSpan.end), 'cp-1');
  assert.equal(cluster.nodes[2].unschedulable, true);
  // timeAdded is not part of the taint the engine compares.
  assert.deepEqual(cluster.nodes[2].taints, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
  assert.deepEqual(verdicts('kubeadm.yaml'), { 'cp-1': 'false/true/null', 'worker-1': 'true/true/true', 'worker-2': 'true/true/true' });
});

test('EKS dump: GPU node group taint blocks, the general node group runs', () => {
  const { cluster } = load('eks.yaml');
  assert.deepEqual(cluster.findings, []);
  assert.equal(cluster.nodes[1].allocatable?.['nvidia.com/gpu'], '1');
  assert.deepEqual(Object.values(verdicts('eks.yaml')), ['true/true/true', 'false/true/null']);
});

test('GKE dump as JSON (`-o json`)', () => {
  const { cluster } = load('gke.json');
  assert.deepEqual(cluster.findings, []);
  assert.equal(cluster.nodes.length, 2);
  assert.equal(cluster.nodes[0].labels['cloud.google.com/gke-nodepool'], 'default-pool');
  assert.equal(cluster.nodes[1].taints.length, 2);
  const p = placeDaemonSet(fluentd, cluster);
  assert.deepEqual(p.nodes[1].reasons.map((r) => r.message), [
    'taint `nvidia.com/gpu=present:NoSchedule` is not tolerated',
    'taint `cloud.google.com/gke-spot=true:NoSchedule` is not tolerated',
  ]);
});

test('k3s multi-document Node file: NoExecute CriticalAddonsOnly evicts, an unreachable agent keeps its pods but gets none', () => {
  const { cluster } = load('k3s.yaml');
  assert.deepEqual(cluster.findings, []);
  assert.deepEqual(cluster.nodes.map((n) => n.name), ['k3s-server-1', 'k3s-agent-1']);
  assert.deepEqual(verdicts('k3s.yaml'), { 'k3s-server-1': 'false/false/null', 'k3s-agent-1': 'false/true/null' });
  const notes = placeDaemonSet(fluentd, cluster).nodes[1].notes;
  assert.match(notes[0], /unreachable \(Ready=Unknown\)/);
});

test('hand-written minimal nodes', () => {
  const { cluster } = load('minimal.yaml');
  assert.deepEqual(cluster.findings, []);
  assert.equal(cluster.nodes[0].allocatable, undefined);
  assert.equal(cluster.nodes[1].allocatable?.pods, '20');
  assert.deepEqual(verdicts('minimal.yaml'), { 'edge-1': 'false/true/null', 'edge-2': 'true/true/true' });
});

test('a broken cluster file: findings at its own ranges, readable nodes still used', () => {
  const text = `apiVersion: v1
kind: List
items:
- kind: Node
  metadata: {labels: {a: b}}
- kind: Node
  metadata: {name: good}
  spec:
    taints:
    - {effect: NoSchedule}
    - {key: x, effect: NoSchedul}
    - {key: ok, effect: NoExecute}
  status:
    allocatable: {cpu: lots, memory: 1Gi}
- kind: Node
  metadata: {name: good}
- kind: Node
  metadata: {name: numbers, labels: {rack: 7}}
`;
  const cluster = parseCluster(parseDocument('broken.yaml', text));
  const got = cluster.findings.map((f) => [f.code, text.slice(f.span.start, f.span.end)]);
  assert.deepEqual(got, [
    ['cluster-node-without-name', 'metadata'],
    ['cluster-taint-without-key', '{effect: NoSchedule}'],
    ['cluster-taint-bad-effect', 'NoSchedul'],
    ['cluster-bad-quantity', 'lots'],
    ['cluster-duplicate-node', 'good'],
    ['cluster-label-not-string', '7'],
  ]);
  assert.ok(cluster.findings.every((f) => f.code.startsWith('cluster-')));
  assert.deepEqual(cluster.nodes.map((n) => n.name), ['good', 'numbers']);
  assert.deepEqual(cluster.nodes[0].taints, [{ key: 'ok', effect: 'NoExecute' }]);
  assert.deepEqual(cluster.nodes[0].allocatable, { memory: '1Gi' });
  assert.equal(cluster.nodes[1].labels.rack, '7');
});

test('a taint value that is not a string: read as written, with a warning; a map is left out, with an error', () => {
  const text = `apiVersion: v1
kind: List
items:
- kind: Node
  metadata: {name: n1}
  spec:
    taints:
    - {key: generation, value: 05, effect: NoSchedule}
    - {key: spot, value: yes, effect: NoExecute}
    - {key: odd, value: {a: b}, effect: NoSchedule}
`;
  const cluster = parseCluster(parseDocument('taints.yaml', text));
  assert.deepEqual(cluster.findings.map((f) => [f.code, f.severity, f.message, text.slice(f.span.start, f.span.end)]), [
    ['cluster-taint-value-not-string', 'warning', 'Taint value should be a string; it is read as "05".', '05'],
    ['cluster-taint-value-not-string', 'warning', 'Taint value should be a string; it is read as "yes".', 'yes'],
    ['cluster-taint-value-not-string', 'error', 'Taint value must be a string; the taint is read without one.', '{a: b}'],
  ]);
  assert.deepEqual(cluster.nodes[0].taints, [
    { key: 'generation', value: '05', effect: 'NoSchedule' },
    { key: 'spot', value: 'yes', effect: 'NoExecute' },
    { key: 'odd', effect: 'NoSchedule' },
  ]);
});

test('pods: alone or mixed with nodes; owner, readiness and target node read', () => {
  const text = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: fluentd-abcde
    namespace: kube-system
    labels: {name: fluentd}
    creationTimestamp: "2026-11-01T08:00:00Z"
    ownerReferences:
    - {apiVersion: apps/v1, kind: DaemonSet, name: fluentd, uid: u1, controller: true, blockOwnerDeletion: true}
  spec:
    affinity:
      nodeAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
          - matchFields:
            - {key: metadata.name, operator: In, values: [worker-9]}
    containers: [{name: c, image: i}]
  status:
    phase: Pending
- apiVersion: v1
  kind: Pod
  metadata: {name: web-1, namespace: default}
  spec: {nodeName: worker-1, containers: [{name: c, image: i}]}
  status:
    phase: Running
    conditions:
    - {type: Ready, status: "True", lastTransitionTime: "2026-11-02T00:00:00Z"}
`;
  const cluster = parseCluster(parseDocument('pods.yaml', text));
  assert.equal(cluster.nodes.length, 0);
  assert.deepEqual(cluster.findings.map((f) => f.code), ['cluster-no-nodes']);
  const [ds, web] = cluster.pods;
  assert.deepEqual([ds.nodeName, ds.phase, ds.owner], ['worker-9', 'Pending', { kind: 'DaemonSet', name: 'fluentd', uid: 'u1' }]);
  assert.deepEqual([web.nodeName, web.ready, web.readySince, web.owner], ['worker-1', true, '2026-11-02T00:00:00Z', undefined]);
});

test('bad input never throws', () => {
  for (const text of ['', 'kind: Node', 'kind: Node\nmetadata: [1]\nspec: 3\nstatus: {allocatable: 4}', ': : :', 'kind: List\nitems: [1, null, {kind: Node, metadata: {name: 5}}]', '[]']) {
    const c = parseCluster(parseDocument('x.yaml', text));
    placeDaemonSet(fluentd, c);
  }
});

test('a quantity that is a list, a map or a boolean is reported as written; a null one is zero', () => {
  const text = [
    'apiVersion: v1',
    'kind: Node',
    'metadata: {name: n1}',
    'status:',
    '  allocatable: {cpu: [1], memory: {a: 1}, pods: true, ephemeral-storage: }',
    '---',
    'apiVersion: node.k8s.io/v1',
    'kind: RuntimeClass',
    'metadata: {name: gvisor}',
    'handler: runsc',
    'overhead:',
    '  podFixed: {cpu: [250m], memory: }',
    '',
  ].join('\n');
  const cluster = parseCluster(parseDocument('cluster.yaml', text));
  assert.deepEqual(cluster.findings.map((f) => [f.path, f.message.replace(/ \(quantities must .*\)/, '')]), [
    ['status.allocatable.cpu', 'status.allocatable.cpu: a list is not a quantity; it is treated as unknown.'],
    ['status.allocatable.memory', 'status.allocatable.memory: a map is not a quantity; it is treated as unknown.'],
    ['status.allocatable.pods', 'status.allocatable.pods: true is not a quantity; it is treated as unknown.'],
    ['overhead.podFixed.cpu', 'overhead.podFixed.cpu: a list is not a quantity; it is left out.'],
  ]);
  assert.deepEqual(cluster.nodes[0].allocatable, { 'ephemeral-storage': '0' });
  assert.deepEqual(cluster.runtimeClasses?.[0].overhead?.podFixed, { memory: '0' });
});
