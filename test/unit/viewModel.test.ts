import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPreviewModel, groupOf, placementLine, rulesLine, searchText, tolerationText } from '../../client/src/preview/viewModel';
import { PATCH_BASE_TOLERATIONS_NOTE, PATCH_LINE, PATCH_NOTE, PATCH_OWN_TOLERATIONS_NOTE, PATCH_TAINT_UNKNOWN, templateLine, templateNote, type DaemonSetPlacementInfo, type PlacementResult, type WireNode, type WireNodeVerdict } from '../../server/src/protocol';
import { placeDaemonSet } from '../../server/src/engine/placement';
import { cluster, dsObject, markPodReady, newDaemonSet, newNode, newPod, simpleDaemonSetLabel } from './placement-helpers';

const R = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 4 } });
const CP_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

function node(name: string, labels: Record<string, string> = {}, taints = [] as WireNode['taints']): WireNode {
  return { name, labels, taints, unschedulable: false, location: { uri: 'file:///w/cluster.yaml', range: R(1) } };
}

function verdict(name: string, kind: 'runs' | 'pending' | 'excluded', extra: Partial<WireNodeVerdict> = {}): WireNodeVerdict {
  return {
    node: name,
    shouldRun: kind !== 'excluded',
    shouldContinueRunning: kind !== 'excluded',
    schedulable: kind === 'excluded' ? null : kind === 'runs',
    reasons: kind === 'excluded'
      ? [{ code: 'untolerated-taint', message: 'taint `node-role.kubernetes.io/control-plane:NoSchedule` is not tolerated', taint: CP_TAINT, range: R(20) }]
      : kind === 'pending' ? [{ code: 'insufficient-resource', message: 'Insufficient cpu', range: R(30) }] : [],
    notes: [],
    daemonPods: [],
    create: kind === 'excluded' ? 0 : 1,
    delete: [],
    ...extra,
  };
}

function ds(name: string, verdicts: WireNodeVerdict[] | undefined, tolerations: DaemonSetPlacementInfo['tolerations'] = []): DaemonSetPlacementInfo {
  return {
    index: 0,
    name,
    namespace: 'kube-system',
    range: R(0),
    nameRange: R(3),
    hostNetwork: false,
    tolerations: [
      ...tolerations,
      { toleration: { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }, source: 'automatic', why: 'always' },
    ],
    rules: [
      { taint: CP_TAINT, wellKnown: true, nodes: [], toleratedBy: tolerations.length > 0 ? 0 : undefined },
      { taint: { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }, wellKnown: true, nodes: [], toleratedBy: tolerations.length },
      { taint: { key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }, wellKnown: true, nodes: [] },
      { taint: { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, wellKnown: false, nodes: ['gpu-1'] },
    ],
    placement: verdicts && {
      desiredNumberScheduled: verdicts.filter((v) => v.shouldRun).length,
      nodes: verdicts,
      sync: { creates: verdicts.reduce((s, v) => s + v.create, 0), deletes: verdicts.reduce((s, v) => s + v.delete.length, 0) },
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
      strategy: 'RollingUpdate',
    },
  };
}

function result(nodes: WireNode[], daemonSets: DaemonSetPlacementInfo[], podCount = 0): PlacementResult {
  return {
    uri: 'file:///w/agent.yaml',
    version: 1,
    cluster: { uri: 'file:///w/cluster.yaml', source: 'discovered', nodeCount: nodes.length, podCount, problems: 0 },
    nodes,
    daemonSets,
    activeIndex: 0,
  };
}

const NODES = [
  node('cp-1', { 'node-role.kubernetes.io/control-plane': '' }, [CP_TAINT]),
  node('worker-10', { 'cloud.google.com/gke-nodepool': 'default' }),
  node('worker-2', { 'cloud.google.com/gke-nodepool': 'default' }),
  node('win-1', { 'kubernetes.io/os': 'windows' }),
];

describe('preview view model', () => {
  it('a Kustomize patch is said to be one, not placed', () => {
    const patch: DaemonSetPlacementInfo = { ...ds('agent-patch', undefined), patch: true };
    const m = buildPreviewModel(result(NODES, [patch]));
    assert.equal(m.summaries[0].text, PATCH_LINE);
    assert.deepEqual(m.active?.warnings, [PATCH_NOTE]);
    assert.deepEqual(m.active?.groups, []);
    assert.equal(m.active?.reconcile, undefined);
  });

  it("a patch that sets no tolerations keeps its base's: taints the controller's do not cover are unknown, not untolerated", () => {
    const patch: DaemonSetPlacementInfo = { ...ds('agent-patch', undefined), patch: true, baseTolerations: true, rules: [{ taint: CP_TAINT, nodes: ['cp-1'], wellKnown: true }] };
    const m = buildPreviewModel(result(NODES, [patch]));
    assert.equal(m.active?.tolerationsNote, PATCH_BASE_TOLERATIONS_NOTE);
    assert.equal(m.active?.rules[0].tolerated, false);
    assert.equal(m.active?.rules[0].unknown, PATCH_TAINT_UNKNOWN);
    // A patch that sets tolerations: they replace the base's, so an uncovered taint is not tolerated.
    const own: DaemonSetPlacementInfo = { ...patch, baseTolerations: undefined };
    const o = buildPreviewModel(result(NODES, [own]));
    assert.equal(o.active?.tolerationsNote, PATCH_OWN_TOLERATIONS_NOTE);
    assert.equal(o.active?.rules[0].unknown, undefined);
  });

  it('a DaemonSet in a template is said to be one (Helm or not), not placed', () => {
    const helm: DaemonSetPlacementInfo = { ...ds('agent', undefined), template: { helm: true } };
    const m = buildPreviewModel(result(NODES, [helm]));
    assert.equal(m.summaries[0].text, 'Helm template · not placed (render it first: helm template)');
    assert.deepEqual(m.active?.warnings, [templateNote(true)]);
    assert.deepEqual(m.active?.groups, []);
    assert.equal(m.active?.reconcile, undefined);
    const jinja: DaemonSetPlacementInfo = { ...ds('nodelocaldns', undefined), template: { helm: false } };
    const j = buildPreviewModel(result(NODES, [jinja]));
    assert.equal(j.summaries[0].text, templateLine(false));
    assert.doesNotMatch(j.summaries[0].text, /Helm/);
    assert.deepEqual(j.active?.warnings, [templateNote(false)]);
  });

  it('summarises each DaemonSet: desired, will run, pending, excluded', () => {
    const r = result(NODES, [ds('agent', [verdict('cp-1', 'excluded'), verdict('worker-10', 'runs'), verdict('worker-2', 'pending'), verdict('win-1', 'runs')])]);
    const m = buildPreviewModel(r);
    assert.equal(m.state, 'placement');
    assert.equal(m.fileName, 'agent.yaml');
    assert.equal(m.cluster?.fileName, 'cluster.yaml');
    assert.deepEqual(m.summaries[0].counts, { nodes: 4, desired: 3, runs: 2, pending: 1, rejected: 0, excluded: 1, blockedByTaints: 1 });
    assert.equal(m.summaries[0].text, 'runs on 2 of 4 nodes · 1 pending · 1 blocked by taints');
    assert.equal(m.summaries[0].active, true);
  });

  it('a node reached by preemption runs, says so in its headline and names the pods evicted', () => {
    const preempts = verdict('worker-2', 'runs', {
      preemption: {
        outcome: 'preempts',
        victims: ['rook-ceph/rook-ceph-mon-a-5d8c6b7f9-k4m2n'],
        reasons: [{ code: 'insufficient-resource', message: 'needs 250m cpu, 200m free', schedulerReason: 'Insufficient cpu' }],
        priorityClassName: 'system-node-critical',
        priority: 2000001000,
      },
    });
    const mayPreempt = verdict('worker-10', 'pending', {
      preemption: { outcome: 'may-preempt', victims: ['shop/checkout-6d5f7c8b9-z8x7c'], reasons: [{ code: 'insufficient-resource', message: 'Insufficient cpu' }], priorityClassName: 'tenant-agents' },
    });
    const m = buildPreviewModel(result(NODES, [ds('agent', [verdict('cp-1', 'excluded'), preempts, mayPreempt])]));
    assert.equal(m.summaries[0].text, 'runs on 1 of 3 nodes · 1 by preempting other pods · 1 pending · 1 blocked by taints');
    const rows = m.active!.groups.flatMap((g) => g.nodes);
    const w2 = rows.find((n) => n.name === 'worker-2')!;
    assert.equal(w2.verdict, 'runs');
    assert.equal(w2.headline, 'Runs after preempting 1 pod');
    assert.deepEqual(w2.notes, ['Needs room (needs 250m cpu, 200m free): the scheduler evicts lower-priority rook-ceph/rook-ceph-mon-a-5d8c6b7f9-k4m2n.']);
    const w10 = rows.find((n) => n.name === 'worker-10')!;
    assert.equal(w10.headline, 'Pending: Insufficient cpu');
    assert.match(w10.notes[0], /^Priority class tenant-agents is not in the cluster or pods file: if it ranks above shop\/checkout-6d5f7c8b9-z8x7c, the scheduler evicts them/);
  });

  it('groups nodes by role, then node pool, then OS, control plane first, names in natural order', () => {
    const r = result(NODES, [ds('agent', [verdict('worker-10', 'runs'), verdict('win-1', 'runs'), verdict('worker-2', 'runs'), verdict('cp-1', 'excluded')])]);
    const groups = buildPreviewModel(r).active!.groups;
    assert.deepEqual(groups.map((g) => g.id), ['role:control-plane', 'pool:default', 'os:windows']);
    assert.deepEqual(groups[1].nodes.map((n) => n.name), ['worker-2', 'worker-10']);
    assert.deepEqual(groups[0].counts, { runs: 0, pending: 0, rejected: 0, excluded: 1 });
  });

  it('gives each node its verdict, a human headline and links to the cluster file and the manifest', () => {
    const r = result(NODES, [ds('agent', [verdict('cp-1', 'excluded'), verdict('worker-2', 'pending'), verdict('worker-10', 'runs')])]);
    const rows = buildPreviewModel(r).active!.groups.flatMap((g) => g.nodes);
    const cp = rows.find((n) => n.name === 'cp-1')!;
    assert.equal(cp.verdict, 'excluded');
    assert.equal(cp.headline, 'Excluded: taint `node-role.kubernetes.io/control-plane:NoSchedule` is not tolerated');
    assert.deepEqual(cp.reasons[0].taint, CP_TAINT);
    assert.deepEqual(cp.reasons[0].link, { uri: 'file:///w/agent.yaml', range: R(20) });
    assert.deepEqual(cp.link, { uri: 'file:///w/cluster.yaml', range: R(1) });
    assert.deepEqual(cp.taints, ['node-role.kubernetes.io/control-plane:NoSchedule']);
    assert.ok(searchText(cp).includes('node-role.kubernetes.io/control-plane'));
    const w2 = rows.find((n) => n.name === 'worker-2')!;
    assert.equal(w2.verdict, 'pending');
    assert.equal(w2.headline, 'Pending: Insufficient cpu');
    assert.equal(w2.reasons[0].taint, undefined, 'only taint reasons offer "add toleration"');
    assert.equal(rows.find((n) => n.name === 'worker-10')!.headline, 'Runs');
  });

  it('shows the reconcile plan and the rolling update only when the cluster file has pods', () => {
    const verdicts = [
      verdict('cp-1', 'excluded', { daemonPods: ['agent-old'], delete: ['agent-old'], shouldContinueRunning: false }),
      verdict('worker-2', 'runs', { daemonPods: ['agent-a', 'agent-b'], delete: ['agent-b'], create: 0 }),
      verdict('worker-10', 'runs'),
    ];
    const without = buildPreviewModel(result(NODES, [ds('agent', verdicts)], 0));
    assert.equal(without.active!.reconcile, undefined);
    assert.deepEqual(without.active!.groups.flatMap((g) => g.nodes).flatMap((n) => n.plan), []);
    const m = buildPreviewModel(result(NODES, [ds('agent', verdicts)], 3));
    assert.deepEqual(m.active!.reconcile, { creates: 1, deletes: 2, keeps: 1, text: 'Next sync: create 1 pod, keep 1, delete 2.' });
    const rows = new Map(m.active!.groups.flatMap((g) => g.nodes).map((n) => [n.name, n]));
    assert.deepEqual(rows.get('worker-2')!.plan.map((p) => p.action), ['keep', 'delete']);
    assert.match(rows.get('worker-2')!.plan[1].text, /delete agent-b \(extra/);
    assert.deepEqual(rows.get('cp-1')!.plan, [{ action: 'delete', text: 'delete agent-old (the node no longer runs this DaemonSet)' }]);
    assert.deepEqual(rows.get('worker-10')!.plan, [{ action: 'create', text: 'create a pod' }]);
    assert.match(m.active!.rollingUpdate!.text, /up to 1 node at a time/);
  });

  it('without a cluster file shows the rules: tolerated and untolerated taints, with who tolerates them', () => {
    const r: PlacementResult = { ...result([], [ds('agent', undefined)]), cluster: undefined };
    const m = buildPreviewModel(r);
    assert.equal(m.state, 'rules');
    assert.equal(m.summaries[0].text, 'tolerates 1 of 3 well-known taints');
    const rules = m.active!.rules;
    assert.equal(rules[0].tolerated, false);
    assert.equal(rules[1].tolerated, true);
    assert.equal(rules[1].by, 'added by the controller (always)');
    assert.deepEqual(m.active!.groups, []);
    assert.deepEqual(m.active!.tolerations.map((t) => t.source), ['automatic']);
  });

  it('a toleration added turns the control-plane nodes to runs, and says so', () => {
    const before = result(NODES, [ds('agent', [verdict('cp-1', 'excluded'), verdict('worker-2', 'runs')])]);
    const tol = { toleration: { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }, source: 'manifest' as const, range: R(21) };
    const after = result(NODES, [ds('agent', [verdict('cp-1', 'runs'), verdict('worker-2', 'runs')], [tol])]);
    const m = buildPreviewModel(after, { previous: before });
    assert.deepEqual(m.changes.map((c) => c.kind), ['toleration-added', 'verdict']);
    assert.equal(m.changes[1].text, 'Node cp-1: excluded → runs after toleration node-role.kubernetes.io/control-plane:NoSchedule (any value) was added.');
    const rows = new Map(m.active!.groups.flatMap((g) => g.nodes).map((n) => [n.name, n]));
    assert.equal(rows.get('cp-1')!.changed, 'verdict');
    assert.equal(rows.get('worker-2')!.changed, undefined);
    assert.deepEqual(m.active!.tolerations[0].link, { uri: 'file:///w/agent.yaml', range: R(21) });
  });

  it('a node added says a pod will be created; a node removed says its pod is garbage-collected', () => {
    const before = result(NODES.slice(0, 3), [ds('agent', [verdict('cp-1', 'excluded'), verdict('worker-2', 'runs'), verdict('worker-10', 'runs')])]);
    const after = result([...NODES.slice(0, 2), node('worker-3')], [ds('agent', [verdict('cp-1', 'excluded'), verdict('worker-10', 'runs'), verdict('worker-3', 'runs')])]);
    const m = buildPreviewModel(after, { previous: before });
    assert.deepEqual(m.changes, [
      { kind: 'node-added', text: 'Node worker-3 added: a pod will be created.', nodes: ['worker-3'] },
      { kind: 'node-removed', text: 'Node worker-2 removed: its pod is garbage-collected.', nodes: ['worker-2'] },
    ]);
    const w3 = m.active!.groups.flatMap((g) => g.nodes).find((n) => n.name === 'worker-3')!;
    assert.equal(w3.changed, 'added');
  });

  it('reports no change when nothing changed, and never diffs across files or DaemonSets', () => {
    const r = result(NODES, [ds('agent', [verdict('cp-1', 'excluded')])]);
    assert.deepEqual(buildPreviewModel(r, { previous: r }).changes, []);
    const other = { ...result(NODES, [ds('agent', [verdict('cp-1', 'runs')])]), uri: 'file:///w/other.yaml' };
    assert.deepEqual(buildPreviewModel(r, { previous: other }).changes, []);
    const others = result(NODES, [ds('other', [verdict('cp-1', 'runs')]), { ...ds('third', []), index: 1 }]);
    assert.deepEqual(buildPreviewModel(r, { previous: others }).changes, [], 'a different DaemonSet is not the same one');
    const renamed = result(NODES, [ds('agent-typo', [verdict('cp-1', 'runs')])]);
    assert.equal(buildPreviewModel(r, { previous: renamed }).changes[0]?.text, 'Node cp-1: runs → excluded.', 'renamed in place: same DaemonSet');
  });

  it('says what to do when there is nothing to show', () => {
    assert.equal(buildPreviewModel(null).state, 'empty');
    const none = buildPreviewModel({ ...result(NODES, []), cluster: undefined });
    assert.equal(none.state, 'empty');
    assert.equal(none.message, 'agent.yaml holds no DaemonSet.');
    const bad = buildPreviewModel({ ...result(NODES, []), problem: 'This is a binary file, not YAML: it was not read.' });
    assert.equal(bad.message, 'This is a binary file, not YAML: it was not read.');
  });

  it('picks the DaemonSet under the cursor', () => {
    const r = { ...result(NODES, [ds('a', [verdict('cp-1', 'runs')]), { ...ds('b', [verdict('cp-1', 'excluded')]), index: 1 }]), activeIndex: 1 };
    const m = buildPreviewModel(r);
    assert.equal(m.active!.name, 'b');
    assert.deepEqual(m.summaries.map((s) => s.active), [false, true]);
  });

  it('counts a node as blocked by taints only when a toleration alone would let it run', () => {
    const both = verdict('win-1', 'excluded');
    both.reasons = [{ code: 'node-selector-mismatch', message: 'nodeSelector does not match' }, ...both.reasons];
    const m = buildPreviewModel(result(NODES, [ds('agent', [verdict('cp-1', 'excluded'), both, verdict('worker-2', 'runs')])]));
    assert.equal(m.summaries[0].text, 'runs on 1 of 3 nodes · 1 blocked by taints · 1 excluded by selector or affinity');
  });

  it('formats lines, groups and tolerations', () => {
    assert.equal(placementLine({ nodes: 9, runs: 7, pending: 0, excluded: 2, blockedByTaints: 2 }), 'runs on 7 of 9 nodes · 2 blocked by taints');
    assert.equal(placementLine({ nodes: 3, runs: 1, pending: 0, excluded: 2, blockedByTaints: 0 }), 'runs on 1 of 3 nodes · 2 excluded by selector or affinity');
    assert.equal(rulesLine({ rules: [] }), 'tolerates 0 of 0 well-known taints');
    assert.deepEqual(groupOf({ 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/master': '' }), { id: 'role:master', title: 'Role: master' });
    assert.deepEqual(groupOf({ 'kubernetes.io/role': 'node' }), { id: 'role:node', title: 'Role: node' });
    assert.deepEqual(groupOf({ 'kubernetes.io/os': 'linux' }), { id: 'other', title: 'Other nodes' });
    assert.equal(tolerationText({ operator: 'Exists' }), 'every taint');
    assert.equal(tolerationText({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }), 'dedicated=gpu:NoSchedule');
    assert.equal(tolerationText({ key: 'k', operator: 'Exists', tolerationSeconds: 60, effect: 'NoExecute' }), 'k:NoExecute (any value) for 60s');
  });
});

describe('a DaemonSet the controller ignores', () => {
  function previewOf(manifest: ReturnType<typeof newDaemonSet>, ...objects: Parameters<typeof cluster>) {
    const p = placeDaemonSet(dsObject(manifest), cluster(...objects));
    const info: DaemonSetPlacementInfo = {
      ...ds('foo', undefined),
      placement: {
        desiredNumberScheduled: p.desiredNumberScheduled,
        nodes: p.nodes.map(({ reasons, ...v }) => ({ ...v, reasons: reasons.map(({ span: _, ...r }) => r) })),
        sync: p.sync,
        rollingUpdate: p.rollingUpdate,
        strategy: p.updateStrategy,
        ...(p.warnings ? { warnings: p.warnings } : {}),
        ...(p.ignored ? { ignored: p.ignored } : {}),
      },
    };
    return buildPreviewModel(result([node('node-0'), node('node-1')], [info], objects.length));
  }

  it('with a selector that selects all pods: no node runs the pod, none is counted to run', () => {
    const manifest = newDaemonSet('foo', {}, { spec: { selector: {} } });
    const m = previewOf(manifest, newNode('node-0'), newNode('node-1'), newPod('foo-a', 'node-0', simpleDaemonSetLabel, manifest));
    const rows = m.active!.groups.flatMap((g) => g.nodes);
    assert.deepEqual(rows.map((r) => r.verdict), ['excluded', 'excluded']);
    assert.ok(rows.every((r) => r.headline === 'Excluded: the controller ignores this DaemonSet, whose selector selects all pods'), rows.map((r) => r.headline).join('; '));
    assert.deepEqual(rows.flatMap((r) => r.plan), []);
    const s = m.summaries[0];
    assert.deepEqual([s.counts!.desired, s.counts!.runs, s.counts!.pending, s.counts!.excluded], [0, 0, 0, 2]);
    assert.equal(s.text, 'no pod on any node: the controller ignores this DaemonSet, whose selector selects all pods');
    assert.equal(m.active!.reconcile!.text, 'Next sync: nothing; the controller ignores this DaemonSet, whose selector selects all pods.');
    assert.doesNotMatch(m.active!.rollingUpdate!.text, /new pod|up to/);
    assert.ok(m.active!.warnings.includes('This daemon set is selecting all pods. A non-empty selector is required.'));
  });

  it('being deleted: no node runs the pod', () => {
    const manifest = newDaemonSet('foo', {}, { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } });
    const m = previewOf(manifest, newNode('node-0'), newNode('node-1'), newPod('foo-a', 'node-0', simpleDaemonSetLabel, manifest));
    const rows = m.active!.groups.flatMap((g) => g.nodes);
    assert.deepEqual(rows.map((r) => r.verdict), ['excluded', 'excluded']);
    assert.deepEqual(rows.flatMap((r) => r.plan), [{ action: 'keep', text: 'keep foo-a' }]);
    assert.match(rows[0].notes.join(' '), /neither creates nor deletes/);
    assert.doesNotMatch(rows[0].notes.join(' '), /NoExecute/);
    assert.equal(m.summaries[0].counts!.runs, 0);
    assert.match(m.summaries[0].text, /being deleted/);
    assert.equal(m.active!.reconcile!.text, 'Next sync: nothing; the controller ignores this DaemonSet, which is being deleted, and the pod it finds stays as it is.');
  });

  it('a DaemonSet the controller acts on is shown as before', () => {
    const manifest = newDaemonSet('foo');
    const m = previewOf(manifest, newNode('node-0'), newNode('node-1'));
    assert.deepEqual(m.active!.groups.flatMap((g) => g.nodes).map((r) => r.verdict), ['runs', 'runs']);
    assert.equal(m.summaries[0].counts!.runs, 2);
  });
});

describe('the plan of a rolling update', () => {
  it('with maxSurge and maxUnavailable both set, says the surge path is taken and the API server refuses it', () => {
    const manifest = newDaemonSet('foo', {}, { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2, maxSurge: 1 } } } });
    const p = placeDaemonSet(dsObject(manifest), cluster(newNode('node-0'), newNode('node-1'), newNode('node-2')));
    assert.deepEqual(p.rollingUpdate, { maxUnavailable: 2, maxSurge: 1 });
    const info: DaemonSetPlacementInfo = {
      ...ds('foo', undefined),
      placement: { desiredNumberScheduled: p.desiredNumberScheduled, nodes: p.nodes.map(({ reasons, ...v }) => ({ ...v, reasons: reasons.map(({ span: _, ...r }) => r) })), sync: p.sync, rollingUpdate: p.rollingUpdate, strategy: p.updateStrategy },
    };
    const text = buildPreviewModel(result([node('node-0'), node('node-1'), node('node-2')], [info], 1)).active!.rollingUpdate!.text;
    assert.match(text, /^RollingUpdate: a new pod is started on up to 1 node at a time before the old one is deleted \(3 desired\)\./);
    assert.match(text, /maxUnavailable \(2\) plays no part once maxSurge is set/);
    assert.match(text, /maxSurge may not be set when maxUnavailable is non-zero/);
    // Either one alone: no such line.
    const surgeOnly = buildPreviewModel(result([node('node-0')], [{ ...info, placement: { ...info.placement!, rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }], 1)).active!.rollingUpdate!.text;
    assert.doesNotMatch(surgeOnly, /maxUnavailable|refuses/);
  });
  it('says an outdated pod the rolling update deletes is replaced, not extra or failed', () => {
    const manifest = newDaemonSet('foo', {}, { spec: { minReadySeconds: 15, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } } });
    const at = (s: number) => new Date(s * 1000).toISOString();
    const cur = { ...simpleDaemonSetLabel, 'controller-revision-hash': 'h1' };
    const objects = [
      newNode('node-0'),
      newNode('node-1'),
      newPod('node-0-new', 'node-0', cur, manifest, { metadata: { creationTimestamp: at(100) }, status: markPodReady(at(900)) }),
      newPod('node-0-old', 'node-0', simpleDaemonSetLabel, manifest, { metadata: { creationTimestamp: at(50) }, status: markPodReady() }),
      newPod('node-1-new', 'node-1', cur, manifest, { metadata: { creationTimestamp: at(100) }, status: markPodReady() }),
    ];
    const p = placeDaemonSet(dsObject(manifest), cluster(...objects), { currentRevision: 'h1', now: new Date(at(1000)) });
    assert.deepEqual(p.nodes[0].delete, ['node-0-old']);
    const info: DaemonSetPlacementInfo = {
      ...ds('foo', undefined),
      placement: { desiredNumberScheduled: p.desiredNumberScheduled, nodes: p.nodes.map(({ reasons, ...v }) => ({ ...v, reasons: reasons.map(({ span: _, ...r }) => r) })), sync: p.sync, rollingUpdate: p.rollingUpdate, strategy: p.updateStrategy },
    };
    const m = buildPreviewModel(result([node('node-0'), node('node-1')], [info], 3));
    const row = m.active!.groups.flatMap((g) => g.nodes).find((n) => n.name === 'node-0')!;
    const del = row.plan.find((x) => x.action === 'delete')!;
    assert.doesNotMatch(del.text, /extra, failed or succeeded/);
    assert.match(del.text, /^delete node-0-old \(outdated: .*rolling update/);
  });
});
