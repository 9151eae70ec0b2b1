import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addPods, parseCluster } from '../../server/src/engine/cluster';
import { parseDocument } from '../../server/src/engine/model';
import { placeDaemonSet, type ClusterModel, type DaemonSetPlacement } from '../../server/src/engine/placement';
import { filterPodsWithPDBViolation, resolvePodPriority } from '../../server/src/engine/placement/preemption';
import { validate } from '../../server/src/engine';
import { countVerdicts, placementLine } from '../../server/src/protocol';
import { podForNodeYaml } from '../../server/src/handlers/placement';

const DIR = join(__dirname, '..', 'fixtures', 'placement');
const read = (f: string) => readFileSync(join(DIR, f), 'utf8');
const AGENT = read('preemption-agent.yaml');
const NODES = read('preemption-nodes.yaml');
const PODS = read('preemption-pods.yaml');

function clusterOf(nodes = NODES, pods: string | null = PODS): ClusterModel {
  const c = parseCluster(parseDocument('file:///nodes.yaml', nodes));
  return pods === null ? c : addPods(c, parseCluster(parseDocument('file:///pods.yaml', pods)));
}

function place(manifest = AGENT, cluster = clusterOf()): DaemonSetPlacement {
  return placeDaemonSet(parseDocument('file:///agent.yaml', manifest).daemonSets[0], cluster);
}

const byNode = (p: DaemonSetPlacement) => Object.fromEntries(p.nodes.map((n) => [n.node, n]));

test('system-node-critical daemon pod evicts the fewest priority-0 pods it needs (SelectVictimsOnNode reprieve)', () => {
  const n = byNode(place());
  // storage-1: 200m free, 250m wanted. Without both rook pods it fits; the older OSD is reprieved first
  // (MoreImportantPod: equal priority, earlier start time) and still leaves room, the mon is not.
  assert.equal(n['storage-1'].schedulable, true);
  assert.deepEqual(n['storage-1'].reasons, []);
  assert.deepEqual(n['storage-1'].preemption, {
    outcome: 'preempts',
    victims: ['rook-ceph/rook-ceph-mon-a-5d8c6b7f9-k4m2n'],
    reasons: [{ code: 'insufficient-resource', message: 'needs 250m cpu, 200m free', schedulerReason: 'Insufficient cpu' }],
    priorityClassName: 'system-node-critical',
    priority: 2000001000,
  });
  // worker-1: a host-port conflict with a lower-priority pod is resolved by evicting it, and only it.
  assert.equal(n['worker-1'].schedulable, true);
  assert.deepEqual(n['worker-1'].preemption?.victims, ['monitoring/legacy-metrics-7f9d8c6b5-q2w8e']);
  assert.equal(n['worker-1'].preemption?.reasons[0].code, 'host-port-conflict');
  // worker-2 fits without anyone leaving.
  assert.equal(n['worker-2'].schedulable, true);
  assert.equal(n['worker-2'].preemption, undefined);
  // edge-1: the pods in the way have the same priority: nothing to preempt (isPreemptionAllowed is strict).
  assert.equal(n['edge-1'].schedulable, false);
  assert.equal(n['edge-1'].preemption, undefined);
  assert.deepEqual(n['edge-1'].reasons.map((r) => r.message), ['needs 250m cpu, 100m free']);
});

test('equal priority: a DaemonSet without a priority class stays Pending next to priority-0 pods', () => {
  const n = byNode(place(AGENT.replace('      priorityClassName: system-node-critical\n', '')));
  assert.equal(n['storage-1'].schedulable, false);
  assert.equal(n['storage-1'].preemption, undefined);
  assert.equal(n['worker-1'].schedulable, false);
  assert.equal(n['worker-1'].reasons[0].code, 'host-port-conflict');
});

test('preemptionPolicy Never (on the class, or on the pod) disables preemption (PodEligibleToPreemptOthers)', () => {
  const viaClass = byNode(place(AGENT.replace('system-node-critical', 'polite-agents')));
  assert.equal(viaClass['storage-1'].schedulable, false);
  assert.equal(viaClass['storage-1'].preemption, undefined);
  const viaPod = byNode(place(AGENT.replace('      hostNetwork: true\n', '      hostNetwork: true\n      preemptionPolicy: Never\n')));
  assert.equal(viaPod['worker-1'].schedulable, false);
  assert.equal(viaPod['worker-1'].preemption, undefined);
});

test('a PriorityClass from the pods file gives its value: 1000000 outranks priority 0', () => {
  const n = byNode(place(AGENT.replace('system-node-critical', 'cluster-agents')));
  assert.equal(n['storage-1'].preemption?.outcome, 'preempts');
  assert.equal(n['storage-1'].preemption?.priority, 1000000);
  assert.equal(n['edge-1'].preemption, undefined);
});

test('a class the input does not define: still Pending, with the pods it may preempt', () => {
  const n = byNode(place(AGENT.replace('system-node-critical', 'tenant-agents')));
  assert.equal(n['storage-1'].schedulable, false);
  assert.deepEqual(n['storage-1'].preemption, {
    outcome: 'may-preempt',
    victims: ['rook-ceph/rook-ceph-mon-a-5d8c6b7f9-k4m2n'],
    reasons: [{ code: 'insufficient-resource', message: 'needs 250m cpu, 200m free', schedulerReason: 'Insufficient cpu' }],
    priorityClassName: 'tenant-agents',
  });
  // A user class is at most 1000000000: system-node-critical pods are never in its reach.
  assert.equal(n['edge-1'].preemption, undefined);
});

test('PDB-violating victims are reprieved first (filterPodsWithPDBViolation)', () => {
  const pdb = `
- apiVersion: policy/v1
  kind: PodDisruptionBudget
  metadata:
    name: rook-ceph-mon-pdb
    namespace: rook-ceph
  spec:
    minAvailable: 1
    selector:
      matchLabels:
        app: rook-ceph-mon
  status:
    disruptionsAllowed: 0
    currentHealthy: 1
    desiredHealthy: 1
    expectedPods: 1
`;
  const pods = PODS.replace('\nmetadata:\n', `${pdb}metadata:\n`);
  const n = byNode(place(AGENT, clusterOf(NODES, pods)));
  // The mon is protected, so it is put back first and the OSD has to go instead.
  assert.deepEqual(n['storage-1'].preemption?.victims, ['rook-ceph/rook-ceph-osd-0-6c9f7b8d4-x2x9p']);
  const c = clusterOf(NODES, pods);
  const mon = c.pods.find((p) => p.name.startsWith('rook-ceph-mon'))!;
  const osd = c.pods.find((p) => p.name.startsWith('rook-ceph-osd'))!;
  assert.deepEqual(filterPodsWithPDBViolation([osd, mon], c.podDisruptionBudgets!), { violating: [mon], nonViolating: [osd] });
});

test('a template nodeName bypasses the scheduler: nothing is preempted', () => {
  const n = byNode(place(AGENT.replace('      hostNetwork: true\n', '      hostNetwork: true\n      nodeName: storage-1\n')));
  assert.equal(n['storage-1'].schedulable, false);
  assert.equal(n['storage-1'].preemption, undefined);
});

test('without pods nothing changes', () => {
  const p = place(AGENT, clusterOf(NODES, null));
  assert.ok(p.nodes.every((n) => n.schedulable === true && n.preemption === undefined));
});

test('resolvePodPriority: built-in classes, input classes, global default, none', () => {
  assert.deepEqual(resolvePodPriority({ priorityClassName: 'system-cluster-critical' }), { priorityClassName: 'system-cluster-critical', priority: 2000000000, preemptionPolicy: 'PreemptLowerPriority' });
  assert.deepEqual(resolvePodPriority({}), { priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
  const classes = [{ name: 'default-low', value: 100, globalDefault: true, preemptionPolicy: 'Never' }];
  assert.deepEqual(resolvePodPriority({}, classes), { priorityClassName: 'default-low', priority: 100, preemptionPolicy: 'Never' });
  assert.deepEqual(resolvePodPriority({ priorityClassName: 'mystery' }), { priorityClassName: 'mystery', preemptionPolicy: 'PreemptLowerPriority' });
  // Admission refuses a pod whose priority disagrees with its class, so a stated one is the class's.
  assert.deepEqual(resolvePodPriority({ priorityClassName: 'mystery', priority: 5000 }), { priorityClassName: 'mystery', priority: 5000, preemptionPolicy: 'PreemptLowerPriority' });
});

test('unschedulable-on-nodes: evictions are information, Pending stays a warning, an unknown class is named', () => {
  const options = { cluster: clusterOf() };
  const mine = (text: string) => validate(parseDocument('file:///agent.yaml', text), options).filter((f) => f.code === 'unschedulable-on-nodes');
  const [pending, preempts, ...rest] = mine(AGENT);
  assert.equal(rest.length, 0);
  assert.equal(pending.severity, 'warning');
  assert.equal(pending.message, 'Daemon pods would stay Pending on edge-1 (needs 250m cpu, 100m free).');
  assert.equal(preempts.severity, 'information');
  assert.equal(
    preempts.message,
    'Daemon pods preempt 2 pods of lower priority (priority class `system-node-critical`, 2000001000): ' +
      'on storage-1 the scheduler evicts rook-ceph/rook-ceph-mon-a-5d8c6b7f9-k4m2n (needs 250m cpu, 200m free); ' +
      'on worker-1 the scheduler evicts monitoring/legacy-metrics-7f9d8c6b5-q2w8e (host port 9962/TCP is already used by pod `monitoring/legacy-metrics-7f9d8c6b5-q2w8e`).',
  );
  assert.deepEqual(preempts.data, { preempts: { 'storage-1': ['rook-ceph/rook-ceph-mon-a-5d8c6b7f9-k4m2n'], 'worker-1': ['monitoring/legacy-metrics-7f9d8c6b5-q2w8e'] } });
  const [unknown, ...none] = mine(AGENT.replace('system-node-critical', 'tenant-agents'));
  assert.equal(none.length, 0);
  assert.match(unknown.message, /^Daemon pods would stay Pending on storage-1 \(needs 250m cpu, 200m free; may preempt rook-ceph\/rook-ceph-mon-a-5d8c6b7f9-k4m2n\), worker-1 \(/);
  assert.match(unknown.message, /edge-1 \(needs 250m cpu, 100m free\)\. Priority class `tenant-agents` is not in the cluster or pods file: if its value is above the priority of the pods named, the scheduler evicts them and the daemon pod runs there\.$/);
});

test('code lens line counts nodes reached by preempting', () => {
  const p = place();
  assert.equal(placementLine(countVerdicts(p.desiredNumberScheduled, p.nodes)), 'runs on 3 of 4 nodes · 2 by preempting other pods · 1 pending');
});

test('the generated pod says which pods it evicts, or may evict', () => {
  const c = clusterOf();
  const ds = parseDocument('file:///agent.yaml', AGENT).daemonSets[0];
  const r = podForNodeYaml(ds, 'storage-1', c, placeDaemonSet(ds, c));
  assert.equal(r.note, 'The pod runs once the scheduler evicts lower-priority rook-ceph/rook-ceph-mon-a-5d8c6b7f9-k4m2n (needs 250m cpu, 200m free).');
  const other = parseDocument('file:///agent.yaml', AGENT.replace('system-node-critical', 'tenant-agents')).daemonSets[0];
  const m = podForNodeYaml(other, 'storage-1', c, placeDaemonSet(other, c));
  assert.equal(m.note, 'The pod would be created but stay Pending: needs 250m cpu, 200m free. If priority class tenant-agents (not in the cluster or pods file) ranks above rook-ceph/rook-ceph-mon-a-5d8c6b7f9-k4m2n, the scheduler evicts them and the pod runs.');
});
