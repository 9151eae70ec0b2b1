import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileDaemonSet, isPodUpdated, manage, placeDaemonSet, podByCreationTimestampAndPhase, rollingUpdateSummary, getScaledValueFromIntOrPercent, type ClusterPod,
} from '../../server/src/engine/placement';
import { cluster, dsObject, markPodReady, newDaemonSet, newNode, newPod, simpleDaemonSetLabel, simpleDaemonSetLabel2, simpleNodeLabel } from './placement-helpers';

type Obj = Record<string, unknown>;

/** addNodes(store, start, n, labels). */
const addNodes = (start: number, n: number, labels: Record<string, string> = {}) => Array.from({ length: n }, (_, i) => newNode(`node-${start + i}`, labels));
let seq = 0;
/** addPods(store, nodeName, labels, ds, n): pods owned by ds. */
const addPods = (nodeName: string, labels: Record<string, string>, ds: Obj, n: number, extra: Parameters<typeof newPod>[4] = {}) =>
  Array.from({ length: n }, () => newPod(`${nodeName}-${String(seq++).padStart(4, '0')}`, nodeName, labels, ds, extra));

function expectSync(ds: Obj, objects: Obj[], creates: number, deletes: number, options = {}) {
  const p = placeDaemonSet(dsObject(ds), cluster(...objects), options);
  assert.deepEqual(p.sync, { creates, deletes });
  return p;
}

test('TestDealsWithExistingPods: create where missing, keep one of duplicates, ignore non-matching pods', () => {
  const ds = newDaemonSet('foo');
  const p = expectSync(ds, [
    ...addNodes(0, 5),
    ...addPods('node-1', simpleDaemonSetLabel, ds, 1),
    ...addPods('node-2', simpleDaemonSetLabel, ds, 2),
    ...addPods('node-3', simpleDaemonSetLabel, ds, 5),
    ...addPods('node-4', simpleDaemonSetLabel2, ds, 2),
  ], 2, 5);
  assert.deepEqual(p.nodes.filter((n) => n.create).map((n) => n.node), ['node-0', 'node-4']);
});

test('TestSelectorDaemonDeletesUnselectedPods: pods on nodes the selector no longer picks are deleted; released pods are not', () => {
  const ds = newDaemonSet('foo', { nodeSelector: simpleNodeLabel });
  expectSync(ds, [
    ...addNodes(0, 5),
    ...addNodes(5, 5, simpleNodeLabel),
    ...addPods('node-0', simpleDaemonSetLabel2, ds, 2),
    ...addPods('node-1', simpleDaemonSetLabel, ds, 3),
    ...addPods('node-1', simpleDaemonSetLabel2, ds, 1),
    ...addPods('node-4', simpleDaemonSetLabel, ds, 1),
  ], 5, 4);
});

test('TestSelectorDaemonDealsWithExistingPods', () => {
  const ds = newDaemonSet('foo', { nodeSelector: simpleNodeLabel });
  expectSync(ds, [
    ...addNodes(0, 5),
    ...addNodes(5, 5, simpleNodeLabel),
    ...addPods('node-0', simpleDaemonSetLabel, ds, 1),
    ...addPods('node-1', simpleDaemonSetLabel, ds, 3),
    ...addPods('node-1', simpleDaemonSetLabel2, ds, 2),
    ...addPods('node-2', simpleDaemonSetLabel, ds, 4),
    ...addPods('node-6', simpleDaemonSetLabel, ds, 13),
    ...addPods('node-7', simpleDaemonSetLabel2, ds, 4),
    ...addPods('node-9', simpleDaemonSetLabel, ds, 1),
    ...addPods('node-9', simpleDaemonSetLabel2, ds, 1),
  ], 3, 20);
});

for (const c of [
  { test: 'normal (do nothing)', failed: 0, normal: 1, creates: 0, deletes: 0 },
  { test: 'no pods (create 1)', failed: 0, normal: 0, creates: 1, deletes: 0 },
  { test: '1 failed pod (kill 1), 0 normal pod (create 0; will create in the next sync)', failed: 1, normal: 0, creates: 0, deletes: 1 },
  { test: '1 failed pod (kill 1), 3 normal pods (kill 2)', failed: 1, normal: 3, creates: 0, deletes: 3 },
]) {
  test(`TestDaemonKillFailedPods: ${c.test}`, () => {
    const ds = newDaemonSet('foo');
    expectSync(ds, [
      ...addNodes(0, 1),
      ...addPods('node-0', simpleDaemonSetLabel, ds, c.failed, { status: { phase: 'Failed' } }),
      ...addPods('node-0', simpleDaemonSetLabel, ds, c.normal),
    ], c.creates, c.deletes);
  });
}

test('succeeded daemon pods are deleted too (podsShouldBeOnNode: PodSucceeded)', () => {
  const ds = newDaemonSet('foo');
  expectSync(ds, [...addNodes(0, 1), ...addPods('node-0', simpleDaemonSetLabel, ds, 1, { status: { phase: 'Succeeded' } })], 0, 1);
});

test('TestDaemonSetRespectsTermination: a terminating pod still counts as existing', () => {
  const ds = newDaemonSet('foo');
  expectSync(ds, [...addNodes(0, 1, simpleNodeLabel), ...addPods('node-0', simpleDaemonSetLabel, ds, 1, { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } })], 0, 0);
});

test('a terminal pod with a deletionTimestamp is not counted (getNodesToDaemonPods)', () => {
  const ds = newDaemonSet('foo');
  expectSync(ds, [...addNodes(0, 1), ...addPods('node-0', simpleDaemonSetLabel, ds, 1, { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Failed' } })], 1, 0);
});

test('TestDeleteUnscheduledPodForNotExistingNode: unbound pods aimed at a missing node are deleted, bound ones left to the pod GC', () => {
  const ds = newDaemonSet('foo');
  const byAffinity = newPod('pod1-node-3', '', simpleDaemonSetLabel, ds, {
    spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] }] } } } },
  });
  const p = expectSync(ds, [...addNodes(0, 1), ...addPods('node-0', simpleDaemonSetLabel, ds, 1), ...addPods('node-1', simpleDaemonSetLabel, ds, 1), byAffinity], 0, 1);
  assert.deepEqual(p.deletesWithoutNode, ['pod1-node-3']);
  assert.deepEqual(manage(dsObject(ds), cluster(...addNodes(0, 1), byAffinity)).podsToDelete, ['pod1-node-3']);
});

test('ClaimPods: orphans matching the selector are adopted, pods of other owners ignored, other namespaces ignored', () => {
  const ds = newDaemonSet('foo');
  const orphan = newPod('orphan', 'node-0', simpleDaemonSetLabel);
  const foreign = newPod('foreign', 'node-1', simpleDaemonSetLabel, newDaemonSet('other'));
  const elsewhere = newPod('elsewhere', 'node-2', simpleDaemonSetLabel, ds, { metadata: { namespace: 'kube-system' } });
  const p = expectSync(ds, [...addNodes(0, 3), orphan, foreign, elsewhere], 2, 0);
  assert.deepEqual(p.nodes.map((n) => n.daemonPods), [['orphan'], [], []]);
  // A terminating orphan is not adopted.
  const dying = newPod('dying', 'node-0', simpleDaemonSetLabel, undefined, { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } });
  expectSync(ds, [...addNodes(0, 1), dying], 1, 0);
});

test('a selector deep-equal to {} stops the controller (syncDaemonSet: SelectingAll)', () => {
  const ds = newDaemonSet('foo', {}, { spec: { selector: {} } });
  const p = expectSync(ds, addNodes(0, 2), 0, 0);
  assert.deepEqual(p.warnings, ['This daemon set is selecting all pods. A non-empty selector is required.']);
  assert.equal(p.ignored, 'selects-all');
  assert.equal(expectSync(newDaemonSet('foo'), addNodes(0, 2), 2, 0).ignored, undefined);
});

test('a DaemonSet being deleted is left alone (syncDaemonSet returns when DeletionTimestamp is set)', () => {
  const ds = newDaemonSet('foo', {}, { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } });
  const p = expectSync(ds, [...addNodes(0, 2), ...addPods('node-0', simpleDaemonSetLabel, ds, 2)], 0, 0);
  assert.equal(p.ignored, 'deleting');
});

test('podByCreationTimestampAndPhase: scheduled first, then older, ties by name (daemon_controller.go)', () => {
  const pod = (name: string, node: string, created?: string) => ({ name, creationTimestamp: created, value: { spec: node ? { nodeName: node } : {} } }) as unknown as ClusterPod;
  const pods = [
    pod('d', '', '2026-01-01T00:00:00Z'),
    pod('c', 'n', '2026-01-02T00:00:00Z'),
    pod('b', 'n', '2026-01-01T00:00:00Z'),
    pod('a', 'n', '2026-01-02T00:00:00Z'),
  ];
  assert.deepEqual([...pods].sort(podByCreationTimestampAndPhase).map((p) => p.name), ['b', 'a', 'c', 'd']);
});

test('duplicates: the oldest scheduled pod is kept (podsShouldBeOnNode without surge)', () => {
  const ds = newDaemonSet('foo');
  const p = expectSync(ds, [
    ...addNodes(0, 1),
    newPod('young', 'node-0', simpleDaemonSetLabel, ds, { metadata: { creationTimestamp: '2026-02-01T00:00:00Z' } }),
    newPod('old', 'node-0', simpleDaemonSetLabel, ds, { metadata: { creationTimestamp: '2026-01-01T00:00:00Z' } }),
  ], 0, 1);
  assert.deepEqual(p.nodes[0].delete, ['young']);
});

// Surge (daemon_controller_test.go TestSurge*): hash "h1" is the current revision.
const surgeDs = (minReadySeconds = 0) => newDaemonSet('foo', {}, { spec: { minReadySeconds, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } } });
const cur = { ...simpleDaemonSetLabel, 'controller-revision-hash': 'h1' };
const at = (s: number) => new Date(s * 1000).toISOString();

test('TestSurgeDealsWithExistingPods (upstream newPod labels pods with the current hash)', () => {
  const ds = surgeDs();
  expectSync(ds, [
    ...addNodes(0, 5),
    ...addPods('node-1', cur, ds, 1),
    ...addPods('node-2', cur, ds, 2),
    ...addPods('node-3', cur, ds, 5),
    ...addPods('node-4', simpleDaemonSetLabel2, ds, 2),
  ], 2, 5, { currentRevision: 'h1' });
});

test('TestSurgePreservesReadyOldPods / TestSurgeDeletesUnreadyOldPods', () => {
  const ds = surgeDs();
  const objects = (oldestReady: boolean) => [
    ...addNodes(0, 5),
    newPod('node-1-', 'node-1', cur, ds, { metadata: { creationTimestamp: at(100) } }),
    newPod('node-1-old-', 'node-1', simpleDaemonSetLabel, ds, { metadata: { creationTimestamp: at(50) }, status: oldestReady ? markPodReady() : {} }),
    newPod('node-1-delete-', 'node-1', simpleDaemonSetLabel, ds, { metadata: { creationTimestamp: at(60) }, status: markPodReady() }),
    ...addPods('node-2', cur, ds, 1),
  ];
  let p = expectSync(ds, objects(true), 3, 1, { currentRevision: 'h1' });
  assert.deepEqual(p.nodes[1].delete, ['node-1-delete-']);
  p = expectSync(ds, objects(false), 3, 2, { currentRevision: 'h1' });
  assert.deepEqual([...p.nodes[1].delete].sort(), ['node-1-delete-', 'node-1-old-']);
});

test('TestSurgePreservesOldReadyWithUnsatisfiedMinReady / TestSurgeDeletesOldReadyWithUnsatisfiedMinReady', () => {
  const ds = surgeDs(15);
  const now = new Date(at(1000));
  const objects = (newReadySince: number) => [
    ...addNodes(0, 5),
    newPod('node-1-', 'node-1', cur, ds, { metadata: { creationTimestamp: at(100) }, status: markPodReady(at(newReadySince)) }),
    newPod('node-1-old-', 'node-1', simpleDaemonSetLabel, ds, { metadata: { creationTimestamp: at(50) }, status: markPodReady() }),
    ...addPods('node-2', cur, ds, 1),
  ];
  expectSync(ds, objects(1000 - 10), 3, 0, { currentRevision: 'h1', now });
  const p = expectSync(ds, objects(1000 - 20), 3, 1, { currentRevision: 'h1', now });
  assert.deepEqual(p.nodes[1].delete, ['node-1-old-']);
});

// pkg/controller/daemon/update_test.go TestGetUnavailableNumbers (maxSurge, maxUnavailable, desiredNumberScheduled).
for (const c of [
  { name: 'No nodes', nodes: 0, strategy: { maxUnavailable: 0 }, want: { maxUnavailable: 0, maxSurge: 0 } },
  { name: 'Two nodes with ready pods', nodes: 2, strategy: { maxUnavailable: 1 }, want: { maxUnavailable: 1, maxSurge: 0 } },
  { name: 'Two nodes, one node without pods', nodes: 2, strategy: { maxUnavailable: 0 }, want: { maxUnavailable: 1, maxSurge: 0 } },
  { name: 'Two nodes, one node without pods, surge', nodes: 2, strategy: { maxUnavailable: 0, maxSurge: 0 }, want: { maxUnavailable: 1, maxSurge: 0 } },
  { name: 'Two nodes with pods, MaxUnavailable in percents', nodes: 2, strategy: { maxUnavailable: '50%' }, want: { maxUnavailable: 1, maxSurge: 0 } },
  { name: 'Two nodes with pods, MaxUnavailable in percents, surge', nodes: 2, strategy: { maxUnavailable: 0, maxSurge: '50%' }, want: { maxUnavailable: 0, maxSurge: 1 } },
  { name: 'Two nodes with pods, MaxUnavailable is 100%, surge', nodes: 2, strategy: { maxUnavailable: 0, maxSurge: '100%' }, want: { maxUnavailable: 0, maxSurge: 2 } },
  { name: 'Two nodes with pods, MaxUnavailable in percents, pod terminating', nodes: 3, strategy: { maxUnavailable: '50%' }, want: { maxUnavailable: 2, maxSurge: 0 } },
]) {
  test(`updatedDesiredNodeCounts (update_test.go TestGetUnavailableNumbers): ${c.name}`, () => {
    const ds = newDaemonSet('x', {}, { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: c.strategy } } });
    const p = placeDaemonSet(dsObject(ds), cluster(...addNodes(0, c.nodes)));
    assert.equal(p.desiredNumberScheduled, c.nodes);
    assert.deepEqual(p.rollingUpdate, c.want);
  });
}

test('rolling-update numbers: defaults 1/0, percentages round up, OnDelete is 0/0 (SetDefaults_DaemonSet, GetScaledValueFromIntOrPercent)', () => {
  const summary = (strategy: Obj | undefined, desired: number) => rollingUpdateSummary(compileDaemonSet(dsObject(newDaemonSet('x', {}, strategy ? { spec: { updateStrategy: strategy } } : {}))), desired);
  assert.deepEqual(summary(undefined, 5), { maxUnavailable: 1, maxSurge: 0, error: undefined });
  assert.deepEqual(summary({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } }, 15), { maxUnavailable: 2, maxSurge: 0, error: undefined });
  assert.deepEqual(summary({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '1%' } }, 1), { maxUnavailable: 1, maxSurge: 0, error: undefined });
  assert.deepEqual(summary({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '0%', maxSurge: '0%' } }, 4), { maxUnavailable: 1, maxSurge: 0, error: undefined });
  assert.deepEqual(summary({ type: 'OnDelete' }, 4), { maxUnavailable: 0, maxSurge: 0 });
  assert.equal(summary({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '1' } }, 4).error, 'invalid value for IntOrString: invalid type: string is not a percentage');
  assert.deepEqual(getScaledValueFromIntOrPercent('25%', 10, false), { value: 2 });
});

// pkg/controller/daemon/util/daemonset_util_test.go TestIsPodUpdated.
const GEN = '12345';
const withHash = { 'pod-template-generation': GEN, 'controller-revision-hash': '55555' };
const noHash = { 'pod-template-generation': GEN };
for (const [name, generation, labels, hash, want] of [
  ['templateGeneration and hash both match', GEN, withHash, '55555', true],
  ["templateGeneration matches, hash doesn't", GEN, withHash, '55555123', true],
  ['templateGeneration matches, no hash label, has hash', GEN, noHash, '55555', true],
  ['templateGeneration matches, no hash label, no hash', GEN, noHash, '', true],
  ['templateGeneration matches, has hash label, no hash', GEN, withHash, '', true],
  ["templateGeneration doesn't match, hash does", '12350', withHash, '55555', true],
  ["templateGeneration and hash don't match", '12350', withHash, '55555123', false],
  ['empty labels, no hash', GEN, {}, '', false],
  ['empty labels', GEN, {}, '55555', false],
] as Array<[string, string, Record<string, string>, string, boolean]>) {
  test(`IsPodUpdated (daemonset_util_test.go TestIsPodUpdated): ${name}`, () => {
    const ds = dsObject(newDaemonSet('x', {}, { metadata: { annotations: { 'deprecated.daemonset.template.generation': generation } } }));
    const c = compileDaemonSet(ds, { currentRevision: hash || undefined });
    assert.equal(isPodUpdated({ labels } as ClusterPod, c), want);
  });
}

test('IsPodUpdated reads the generation as GetTemplateGeneration does (strconv.ParseInt): "007" is the pods\' "7"', () => {
  const updated = (generation: unknown, label: string) => {
    const ds = dsObject(newDaemonSet('x', {}, { metadata: { annotations: { 'deprecated.daemonset.template.generation': generation } } }));
    return isPodUpdated({ labels: { 'pod-template-generation': label } } as unknown as ClusterPod, compileDaemonSet(ds));
  };
  assert.equal(updated('007', '7'), true);
  assert.equal(updated('+3', '3'), true);
  assert.equal(updated('-2', '-2'), true);
  assert.equal(updated('007', '007'), false, 'the label is compared with the parsed value, printed');
  // Beyond int64, or not decimal digits: ParseInt fails and no generation is known.
  assert.equal(updated('9223372036854775808', '9223372036854775808'), false);
  assert.equal(updated('9223372036854775807', '9223372036854775807'), true);
  assert.equal(updated('1e3', '1e3'), false);
  assert.equal(updated(' 4', '4'), false);
});

// pkg/controller/daemon/update_test.go: successive syncs of a rolling update. Each sync's plan is carried
// out (deleted pods removed, created pods added with the new hash, not Ready) as the fake pod control does.
class Simulation {
  pods: Obj[] = [];
  private n = 0;
  constructor(readonly ds: Obj, readonly nodes: Obj[]) {}
  sync(): { creates: number; deletes: number } {
    const p = placeDaemonSet(dsObject(this.ds), cluster(...this.nodes, ...this.pods), { currentRevision: 'new', now: new Date('2026-06-01T00:00:00Z') });
    const gone = new Set([...p.nodes.flatMap((v) => v.delete), ...(p.deletesWithoutNode ?? [])]);
    this.pods = this.pods.filter((pod) => !gone.has((pod.metadata as Obj).name as string));
    for (const v of p.nodes) if (v.create) this.pods.push(newPod(`foo-${this.n++}`, v.node, { ...simpleDaemonSetLabel, 'controller-revision-hash': 'new' }, this.ds, { status: { phase: 'Pending' } }));
    return p.sync;
  }
  markPodsReady(): void {
    for (const pod of this.pods) pod.status = markPodReady();
  }
}
const oldPods = (ds: Obj, n: number, ready = true) =>
  Array.from({ length: n }, (_, i) => newPod(`old-${i}`, `node-${i}`, { ...simpleDaemonSetLabel, 'controller-revision-hash': 'old' }, ds, ready ? { status: markPodReady() } : {}));
const rolling = (ru: Obj) => newDaemonSet('foo', {}, { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: ru } } });

test('TestDaemonSetUpdatesPods: maxUnavailable 2 over 5 nodes', () => {
  const sim = new Simulation(rolling({ maxUnavailable: 2 }), addNodes(0, 5));
  sim.pods = oldPods(sim.ds, 5);
  const steps: Array<[number, number]> = [];
  for (let i = 0; i < 4; i++) {
    steps.push(Object.values(sim.sync()) as [number, number]);
    steps.push(Object.values(sim.sync()) as [number, number]);
    sim.markPodsReady();
  }
  // [creates, deletes]: delete 2, create 2, delete 2, create 2, delete 1, create 1, nothing.
  assert.deepEqual(steps.slice(0, 7), [[0, 2], [2, 0], [0, 2], [2, 0], [0, 1], [1, 0], [0, 0]]);
});

test('TestDaemonSetUpdatesPodsWithMaxSurge: maxSurge 2 over 5 nodes', () => {
  const sim = new Simulation(rolling({ maxUnavailable: 0, maxSurge: 2 }), addNodes(0, 5));
  sim.pods = oldPods(sim.ds, 5);
  assert.deepEqual(sim.sync(), { creates: 2, deletes: 0 });
  assert.deepEqual(sim.sync(), { creates: 0, deletes: 0 });
  sim.markPodsReady();
  assert.deepEqual(sim.sync(), { creates: 2, deletes: 2 });
  assert.deepEqual(sim.sync(), { creates: 0, deletes: 0 });
  sim.markPodsReady();
  assert.deepEqual(sim.sync(), { creates: 1, deletes: 2 });
  assert.deepEqual(sim.sync(), { creates: 0, deletes: 0 });
  sim.markPodsReady();
  assert.deepEqual(sim.sync(), { creates: 0, deletes: 1 });
  assert.deepEqual(sim.sync(), { creates: 0, deletes: 0 });
});

test('TestDaemonSetUpdatesWhenNewPosIsNotReady: new pods that never get Ready stop the update', () => {
  const sim = new Simulation(rolling({ maxUnavailable: 3 }), addNodes(0, 5));
  sim.pods = oldPods(sim.ds, 5);
  assert.deepEqual(sim.sync(), { creates: 0, deletes: 3 });
  assert.deepEqual(sim.sync(), { creates: 3, deletes: 0 });
  assert.deepEqual(sim.sync(), { creates: 0, deletes: 0 });
});

test('TestDaemonSetUpdatesAllOldPodsNotReady / ...MaxSurge: unavailable old pods are replaced at once', () => {
  const sim = new Simulation(rolling({ maxUnavailable: 3 }), addNodes(0, 5));
  sim.pods = oldPods(sim.ds, 5, false);
  assert.deepEqual(sim.sync(), { creates: 0, deletes: 5 });
  const surge = new Simulation(rolling({ maxUnavailable: 0, maxSurge: 3 }), addNodes(0, 5));
  surge.pods = oldPods(surge.ds, 5, false);
  assert.deepEqual(surge.sync(), { creates: 5, deletes: 0 });
});

test('TestDaemonSetUpdatesNoTemplateChanged: pods already on the current revision are left alone', () => {
  const sim = new Simulation(rolling({ maxUnavailable: 3 }), addNodes(0, 5));
  sim.pods = Array.from({ length: 5 }, (_, i) => newPod(`p-${i}`, `node-${i}`, { ...simpleDaemonSetLabel, 'controller-revision-hash': 'new' }, sim.ds, { status: markPodReady() }));
  assert.deepEqual(sim.sync(), { creates: 0, deletes: 0 });
});

test('no rolling update without a known revision, nor with OnDelete', () => {
  const ds = rolling({ maxUnavailable: 2 });
  const p = placeDaemonSet(dsObject(ds), cluster(...addNodes(0, 3), ...oldPods(ds, 3)));
  assert.deepEqual(p.sync, { creates: 0, deletes: 0 });
  const onDelete = newDaemonSet('foo', {}, { spec: { updateStrategy: { type: 'OnDelete' } } });
  const q = placeDaemonSet(dsObject(onDelete), cluster(...addNodes(0, 3), ...oldPods(onDelete, 3)), { currentRevision: 'new' });
  assert.deepEqual(q.sync, { creates: 0, deletes: 0 });
});
