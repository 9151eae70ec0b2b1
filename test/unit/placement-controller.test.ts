import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from '../../server/src/engine/model';
import { parseCluster } from '../../server/src/engine/cluster';
import { nodeShouldRunDaemonPod, placeDaemonSet } from '../../server/src/engine/placement';
import {
  allocatableResources, cluster, clusterNode, dsFromYaml, dsObject, newDaemonSet, newNode, newPod, resourcePodSpec,
  simpleDaemonSetLabel, simpleDaemonSetLabel2,
} from './placement-helpers';

type Obj = Record<string, unknown>;
const FIXTURES = join(__dirname, '..', 'fixtures');

// pkg/controller/daemon/daemon_controller_test.go TestNodeShouldRunDaemonPod: node "test-node" labelled
// simpleDaemonSetLabel with allocatableResources("100M", "1"). The controller ignores resources and
// ports (shouldRun stays true); the scheduler layer says whether the pod then fits.
const SHOULD_RUN: Array<{ predicateName: string; podSpec: Obj; podsOnNode?: Obj[]; unschedulable?: boolean; shouldRun: boolean; shouldContinueRunning: boolean; schedulable: boolean | null; code?: string }> = [
  { predicateName: 'ShouldRunDaemonPod', podSpec: resourcePodSpec('', '50M', '0.5'), shouldRun: true, shouldContinueRunning: true, schedulable: true },
  { predicateName: 'InsufficientResourceError', podSpec: resourcePodSpec('', '200M', '0.5'), shouldRun: true, shouldContinueRunning: true, schedulable: false, code: 'insufficient-resource' },
  { predicateName: 'ErrPodNotMatchHostName', podSpec: resourcePodSpec('other-node', '50M', '0.5'), shouldRun: false, shouldContinueRunning: false, schedulable: null, code: 'node-name-mismatch' },
  {
    predicateName: 'ErrPodNotFitsHostPorts',
    podsOnNode: [{ containers: [{ name: 'c', image: 'i', ports: [{ hostPort: 666, containerPort: 666 }] }] }],
    podSpec: { containers: [{ name: 'foo', image: 'foo/bar', ports: [{ hostPort: 666, containerPort: 666 }] }] },
    shouldRun: true, shouldContinueRunning: true, schedulable: false, code: 'host-port-conflict',
  },
  {
    predicateName: 'InsufficientResourceError (pod on node takes 50M)',
    podsOnNode: [{ containers: [{ name: 'c', image: 'i', ports: [{ hostPort: 666, containerPort: 666 }], resources: { requests: { memory: '50M', cpu: '0.5' } } }] }],
    podSpec: resourcePodSpec('', '100M', '0.5'),
    shouldRun: true, shouldContinueRunning: true, schedulable: false, code: 'insufficient-resource',
  },
  {
    predicateName: 'ShouldRunDaemonPod (50M + 50M == 100M fits)',
    podsOnNode: [{ containers: [{ name: 'c', image: 'i', ports: [{ hostPort: 666, containerPort: 666 }], resources: { requests: { memory: '50M', cpu: '0.5' } } }] }],
    podSpec: resourcePodSpec('', '50M', '0.5'),
    shouldRun: true, shouldContinueRunning: true, schedulable: true,
  },
  { predicateName: 'ErrNodeSelectorNotMatch', podSpec: { nodeSelector: simpleDaemonSetLabel2 }, shouldRun: false, shouldContinueRunning: false, schedulable: null, code: 'node-selector-mismatch' },
  { predicateName: 'ShouldRunDaemonPod (nodeSelector)', podSpec: { nodeSelector: simpleDaemonSetLabel }, shouldRun: true, shouldContinueRunning: true, schedulable: true },
  {
    predicateName: 'ErrPodAffinityNotMatch',
    podSpec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'type', operator: 'In', values: ['test'] }] }] } } } },
    shouldRun: false, shouldContinueRunning: false, schedulable: null, code: 'node-affinity-mismatch',
  },
  {
    predicateName: 'ShouldRunDaemonPod (affinity)',
    podSpec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'type', operator: 'In', values: ['production'] }] }] } } } },
    shouldRun: true, shouldContinueRunning: true, schedulable: true,
  },
  { predicateName: 'ShouldRunDaemonPodOnUnschedulableNode', podSpec: resourcePodSpec('', '50M', '0.5'), unschedulable: true, shouldRun: true, shouldContinueRunning: true, schedulable: true },
];

for (const c of SHOULD_RUN) {
  for (const strategy of [{ type: 'OnDelete' }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } }]) {
    test(`NodeShouldRunDaemonPod (daemon_controller_test.go TestNodeShouldRunDaemonPod): ${c.predicateName}, ${strategy.type}`, () => {
      const node = newNode('test-node', simpleDaemonSetLabel, { allocatable: allocatableResources('100M', '1'), unschedulable: c.unschedulable });
      const pods = (c.podsOnNode ?? []).map((spec, i) => newPod(`pod-${i}`, 'test-node', {}, undefined, { spec }));
      const ds = dsObject(newDaemonSet('ds', c.podSpec, { spec: { updateStrategy: strategy } }));
      const cl = cluster(node, ...pods);
      assert.deepEqual(nodeShouldRunDaemonPod(cl.nodes[0], ds), { shouldRun: c.shouldRun, shouldContinueRunning: c.shouldContinueRunning });
      const v = placeDaemonSet(ds, cl).nodes[0];
      assert.equal(v.shouldRun, c.shouldRun);
      assert.equal(v.schedulable, c.schedulable);
      assert.deepEqual(v.reasons.map((r) => r.code), c.code ? [c.code] : []);
    });
  }
}

const noScheduleTaint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
const noExecuteTaint = { key: 'dedicated', value: 'gpu', effect: 'NoExecute' };

test('an untolerated NoSchedule taint stops new pods but keeps existing ones (TestTaintedNodeDaemonDoesNotLaunchIntolerantPod)', () => {
  const node = clusterNode(newNode('tainted', {}, { taints: [noScheduleTaint] }));
  assert.deepEqual(nodeShouldRunDaemonPod(node, dsObject(newDaemonSet('intolerant'))), { shouldRun: false, shouldContinueRunning: true });
});

test('an untolerated NoExecute taint evicts (NodeShouldRunDaemonPod: FindMatchingUntoleratedTaint with NoExecute filter)', () => {
  const node = clusterNode(newNode('tainted', {}, { taints: [noScheduleTaint, noExecuteTaint] }));
  assert.deepEqual(nodeShouldRunDaemonPod(node, dsObject(newDaemonSet('intolerant'))), { shouldRun: false, shouldContinueRunning: false });
  // tolerationSeconds does not matter to the controller.
  const tolerant = dsObject(newDaemonSet('x', { tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }] }));
  assert.deepEqual(nodeShouldRunDaemonPod(node, tolerant), { shouldRun: false, shouldContinueRunning: true });
});

test('a tolerating DaemonSet launches on a tainted node (TestTaintedNodeDaemonLaunchesToleratePod, TestNodeDaemonLaunchesToleratePod)', () => {
  const node = clusterNode(newNode('tainted', {}, { taints: [noScheduleTaint] }));
  const ds = dsObject(newDaemonSet('tolerate', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }));
  assert.deepEqual(nodeShouldRunDaemonPod(node, ds), { shouldRun: true, shouldContinueRunning: true });
});

test('not-ready and unreachable NoExecute taints are tolerated by default (TestNotReadyNodeDaemonLaunchesPod, TestUnreachableNodeDaemonLaunchesPod)', () => {
  const ds = dsObject(newDaemonSet('simple'));
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const node = clusterNode(newNode('n', {}, { taints: [{ key, effect: 'NoExecute' }], conditions: [{ type: 'Ready', status: key.endsWith('not-ready') ? 'False' : 'Unknown' }] }));
    assert.deepEqual(nodeShouldRunDaemonPod(node, ds), { shouldRun: true, shouldContinueRunning: true }, key);
    // ...but not their NoSchedule twins.
    const ns = clusterNode(newNode('n', {}, { taints: [{ key, effect: 'NoSchedule' }] }));
    assert.deepEqual(nodeShouldRunDaemonPod(ns, ds), { shouldRun: false, shouldContinueRunning: true }, `${key}:NoSchedule`);
  }
});

test('pressure and unschedulable taints are tolerated by default (TestTaintPressureNodeDaemonLaunchesPod)', () => {
  const node = clusterNode(newNode('n', {}, {
    taints: ['disk-pressure', 'memory-pressure', 'pid-pressure', 'unschedulable'].map((k) => ({ key: `node.kubernetes.io/${k}`, effect: 'NoSchedule' })),
    conditions: [{ type: 'DiskPressure', status: 'True' }, { type: 'MemoryPressure', status: 'True' }, { type: 'PIDPressure', status: 'True' }],
  }));
  assert.deepEqual(nodeShouldRunDaemonPod(node, dsObject(newDaemonSet('simple'))), { shouldRun: true, shouldContinueRunning: true });
});

test('network-unavailable: the condition alone does not matter; the taint is tolerated only with hostNetwork (TestNetworkUnavailableNodeDaemonLaunchesPod)', () => {
  const condOnly = clusterNode(newNode('n', {}, { conditions: [{ type: 'NetworkUnavailable', status: 'True' }] }));
  assert.equal(nodeShouldRunDaemonPod(condOnly, dsObject(newDaemonSet('simple'))).shouldRun, true);
  const tainted = clusterNode(newNode('n', {}, { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }));
  assert.equal(nodeShouldRunDaemonPod(tainted, dsObject(newDaemonSet('simple'))).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(tainted, dsObject(newDaemonSet('cni', { hostNetwork: true }))).shouldRun, true);
});

test('template nodeName pins the DaemonSet (TestNameDaemonSetLaunchesPods, TestBadNameDaemonSetDoesNothing, TestInconsistentNameSelectorDaemonSetDoesNothing)', () => {
  const cl = cluster(newNode('node-0', simpleDaemonSetLabel), newNode('node-1', {}), newNode('node-2', {}));
  const named = placeDaemonSet(dsObject(newDaemonSet('named', { nodeName: 'node-0' })), cl);
  assert.deepEqual(named.nodes.map((n) => n.create), [1, 0, 0]);
  const bad = placeDaemonSet(dsObject(newDaemonSet('bad', { nodeName: 'node-10' })), cl);
  assert.equal(bad.sync.creates, 0);
  assert.equal(bad.nodes[1].reasons[0].message, 'template nodeName `node-10` pins the pods to another node');
  const inconsistent = placeDaemonSet(dsObject(newDaemonSet('inc', { nodeName: 'node-1', nodeSelector: simpleDaemonSetLabel })), cl);
  assert.equal(inconsistent.sync.creates, 0);
});

test('selector over several nodes (TestSelectorDaemonLaunchesPods, TestNodeAffinityDaemonLaunchesPods)', () => {
  const nodes = [0, 1, 2, 3].map((i) => newNode(`node-${i}`, i % 2 ? simpleDaemonSetLabel : {}));
  const cl = cluster(...nodes);
  const bySelector = placeDaemonSet(dsObject(newDaemonSet('sel', { nodeSelector: simpleDaemonSetLabel })), cl);
  assert.deepEqual(bySelector.nodes.filter((n) => n.create).map((n) => n.node), ['node-1', 'node-3']);
  assert.equal(bySelector.desiredNumberScheduled, 2);
  const byAffinity = placeDaemonSet(dsObject(newDaemonSet('aff', {
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'type', operator: 'In', values: ['production'] }] }] } } },
  })), cl);
  assert.deepEqual(byAffinity.nodes.filter((n) => n.create).map((n) => n.node), ['node-1', 'node-3']);
});

test('reasons: human messages, codes and the manifest span that causes them', () => {
  const text = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector:
        kubernetes.io/os: linux
      tolerations:
      - {key: other, operator: Exists}
      containers:
      - name: agent
        image: agent:1
        resources:
          requests: {memory: 200Mi}
`;
  const ds = dsFromYaml(text);
  const cl = cluster(
    newNode('win', { 'kubernetes.io/os': 'windows' }),
    newNode('bare', {}),
    newNode('gpu', { 'kubernetes.io/os': 'linux' }, { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'soft', effect: 'PreferNoSchedule' }] }),
    newNode('small', { 'kubernetes.io/os': 'linux' }, { allocatable: { memory: '320Mi', cpu: '1', pods: '110' } }),
    newPod('other', 'small', {}, undefined, { spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { memory: '200Mi' } } }] } }),
  );
  const p = placeDaemonSet(ds, cl);
  const [win, bare, gpu, small] = p.nodes;
  const at = (s?: { start: number; end: number }) => (s ? text.slice(s.start, s.end) : undefined);
  assert.equal(win.reasons[0].message, 'nodeSelector `kubernetes.io/os=linux` does not match (node has `windows`)');
  assert.equal(at(win.reasons[0].span), 'kubernetes.io/os');
  assert.equal(bare.reasons[0].message, 'nodeSelector `kubernetes.io/os=linux` does not match (node has no label `kubernetes.io/os`)');
  assert.equal(gpu.reasons[0].message, 'taint `dedicated=gpu:NoSchedule` is not tolerated');
  assert.equal(at(gpu.reasons[0].span), 'tolerations');
  assert.deepEqual(gpu.reasons[0].taint, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' });
  assert.equal(gpu.notes.length, 1);
  assert.match(gpu.notes[0], /taint `soft:PreferNoSchedule` is PreferNoSchedule/);
  assert.equal(small.schedulable, false);
  assert.equal(small.reasons[0].message, 'needs 200Mi memory, 120Mi free');
  assert.equal(small.reasons[0].schedulerReason, 'Insufficient memory');
  assert.equal(at(small.reasons[0].span), 'requests');
});

test('taint reasons point at the template spec when there are no tolerations; affinity reasons at the required terms', () => {
  const text = `kind: DaemonSet
apiVersion: apps/v1
metadata: {name: a}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: zone, operator: In, values: [a, b]}
      containers: [{name: a, image: a}]
`;
  const ds = dsFromYaml(text);
  const p = placeDaemonSet(ds, cluster(newNode('n1', { zone: 'c' }, { taints: [{ key: 'x', effect: 'NoExecute' }] })));
  const [aff, taint] = p.nodes[0].reasons;
  assert.equal(aff.code, 'node-affinity-mismatch');
  assert.equal(aff.message, 'required node affinity does not match: `zone In [a, b]` (node has `c`)');
  assert.equal(text.slice(aff.span!.start, aff.span!.end), 'requiredDuringSchedulingIgnoredDuringExecution');
  assert.equal(taint.message, 'taint `x:NoExecute` is not tolerated (running daemon pods are evicted)');
  assert.equal(text.slice(taint.span!.start, taint.span!.end), 'spec');
  assert.ok(taint.span!.start > text.indexOf('template'));
});

test('seed scenario: fluentd over a control-plane node, a cordoned node, a not-ready node and a full node', () => {
  const cl = parseCluster(parseDocument('seed.yaml', readFileSync(join(FIXTURES, 'placement', 'seed-cluster.yaml'), 'utf8')));
  assert.deepEqual(cl.findings, []);
  const ds = parseDocument('fluentd.yaml', readFileSync(join(FIXTURES, 'placement', 'fluentd.yaml'), 'utf8')).daemonSets[0];
  const p = placeDaemonSet(ds, cl);
  const by = Object.fromEntries(p.nodes.map((n) => [n.node, n]));
  // Control plane: the taint came after the pod; NoSchedule keeps it (misscheduled), no new one.
  assert.deepEqual([by['cp-1'].shouldRun, by['cp-1'].shouldContinueRunning, by['cp-1'].schedulable], [false, true, null]);
  assert.deepEqual(by['cp-1'].daemonPods, ['fluentd-x7k2p']);
  assert.deepEqual([by['cp-1'].create, by['cp-1'].delete], [0, []]);
  assert.equal(by['cp-1'].reasons[0].message, 'taint `node-role.kubernetes.io/control-plane:NoSchedule` is not tolerated');
  // Cordoned: still runs, with a note.
  assert.deepEqual([by['worker-1'].shouldRun, by['worker-1'].schedulable, by['worker-1'].create], [true, true, 1]);
  assert.match(by['worker-1'].notes[0], /cordoned/);
  // Not ready: not-ready:NoSchedule is not a default toleration, so no new pod.
  assert.deepEqual([by['worker-2'].shouldRun, by['worker-2'].shouldContinueRunning, by['worker-2'].create], [false, true, 0]);
  assert.equal(by['worker-2'].reasons[0].message, 'taint `node.kubernetes.io/not-ready:NoSchedule` is not tolerated');
  assert.match(by['worker-2'].notes[0], /NotReady/);
  // Full node: chosen by the controller, Pending in the scheduler.
  assert.deepEqual([by['worker-3'].shouldRun, by['worker-3'].schedulable], [true, false]);
  assert.equal(by['worker-3'].reasons[0].message, 'needs 200Mi memory, 120Mi free');
  assert.equal(p.desiredNumberScheduled, 2);
  assert.deepEqual(p.sync, { creates: 2, deletes: 0 });
  assert.deepEqual(p.rollingUpdate, { maxUnavailable: 1, maxSurge: 0 });
});

test('a node with the NotReady condition but no taint gets a pod (a.4: the controller reads taints, not conditions)', () => {
  const p = placeDaemonSet(dsObject(newDaemonSet('x')), cluster(newNode('n', {}, { conditions: [{ type: 'Ready', status: 'False' }] })));
  assert.equal(p.nodes[0].create, 1);
  assert.match(p.nodes[0].notes[0], /NotReady/);
});

test('malformed DaemonSets never throw', () => {
  const cl = cluster(newNode('n1', { a: 'b' }, { taints: [{ key: 'k', effect: 'NoSchedule' }], allocatable: { cpu: '1', pods: '10' } }), newPod('p', 'n1', simpleDaemonSetLabel));
  const specs: unknown[] = [
    { nodeSelector: 'x', tolerations: 'all', affinity: [], containers: 'none' },
    { nodeSelector: { a: 1 }, tolerations: [null, 3, { key: 5, operator: 'Gt', value: {} }], containers: [{ resources: { requests: { cpu: 'lots' } }, ports: [{ hostPort: '80' }] }] },
    { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [null, { matchExpressions: 'x' }, { matchFields: [{}] }] } } } },
    { initContainers: [{ restartPolicy: 'Always', resources: { limits: { memory: 5 } } }], overhead: [] },
  ];
  for (const spec of specs) {
    for (const extra of [{}, { spec: { selector: 'x', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: true } } } }, { spec: { template: null } }]) {
      const ds = dsObject(newDaemonSet('bad', spec as Obj, extra as { spec?: Obj }));
      const p = placeDaemonSet(ds, cl, { currentRevision: 'h' });
      assert.equal(p.nodes.length, 1);
    }
  }
  // A DaemonSet without a name or spec at all.
  placeDaemonSet(dsFromYaml('kind: DaemonSet\napiVersion: apps/v1\n'), cl);
});
