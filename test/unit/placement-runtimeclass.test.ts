/**
 * RuntimeClasses in the cluster file: the RuntimeClass admission plugin
 * (plugin/pkg/admission/runtimeclass/admission.go) gives the pods the controller creates the class's
 * overhead, nodeSelector and tolerations, or refuses them; the controller itself decides from the
 * template (NodeShouldRunDaemonPod), so a class's nodeSelector leaves pods Pending and its
 * tolerations bring none onto a tainted node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCluster } from '../../server/src/engine/cluster';
import { parseDocument } from '../../server/src/engine/model';
import { mergeTolerations, newDaemonPodOf, placeDaemonSet, podForNode, runtimeClassAdmission } from '../../server/src/engine/placement';
import { countVerdicts, placementLine, verdictOf } from '../../server/src/protocol';
import { toPlaceJson, toPlaceText } from '../../server/src/cli/place';
import { podForNodeYaml } from '../../server/src/handlers/placement';
import { validate } from '../../server/src/engine/validate';
import { allocatableResources, cluster, dsObject, newDaemonSet, newNode } from './placement-helpers';

type Obj = Record<string, unknown>;

/** gVisor on a dedicated, tainted pool, as GKE Sandbox sets it up. */
const gvisor: Obj = {
  apiVersion: 'node.k8s.io/v1',
  kind: 'RuntimeClass',
  metadata: { name: 'gvisor' },
  handler: 'runsc',
  overhead: { podFixed: { cpu: '250m', memory: '120Mi' } },
  scheduling: {
    nodeSelector: { 'sandbox.gke.io/runtime': 'gvisor' },
    tolerations: [{ key: 'sandbox.gke.io/runtime', operator: 'Equal', value: 'gvisor', effect: 'NoSchedule' }],
  },
};

/** Kata Containers as kata-deploy installs it: overhead and a label selector, no tolerations. */
const kata: Obj = {
  apiVersion: 'node.k8s.io/v1',
  kind: 'RuntimeClass',
  metadata: { name: 'kata-qemu' },
  handler: 'kata-qemu',
  overhead: { podFixed: { memory: '160Mi', cpu: '250m' } },
  scheduling: { nodeSelector: { 'katacontainers.io/kata-runtime': 'true' } },
};

const sandboxTaint = { key: 'sandbox.gke.io/runtime', value: 'gvisor', effect: 'NoSchedule' };

function agent(podSpec: Obj = {}): ReturnType<typeof dsObject> {
  return dsObject(newDaemonSet('sandboxed-agent', {
    containers: [{ name: 'agent', image: 'example.com/agent:1.0', resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
    ...podSpec,
  }));
}

test('the cluster file reads RuntimeClasses, alone or in a List with the nodes', () => {
  const c = cluster(newNode('n1'), gvisor, kata);
  assert.equal(c.nodes.length, 1);
  assert.deepEqual(c.runtimeClasses?.map((r) => [r.name, r.handler, r.overhead?.podFixed, r.scheduling?.nodeSelector]), [
    ['gvisor', 'runsc', { cpu: '250m', memory: '120Mi' }, { 'sandbox.gke.io/runtime': 'gvisor' }],
    ['kata-qemu', 'kata-qemu', { memory: '160Mi', cpu: '250m' }, { 'katacontainers.io/kata-runtime': 'true' }],
  ]);
  assert.deepEqual(c.runtimeClasses?.[0].scheduling?.tolerations, [{ key: 'sandbox.gke.io/runtime', operator: 'Equal', value: 'gvisor', effect: 'NoSchedule' }]);
  // `kubectl get runtimeclass -o yaml` on its own: a List of RuntimeClass.
  const yaml = [
    'apiVersion: v1',
    'kind: List',
    'items:',
    '- apiVersion: node.k8s.io/v1',
    '  kind: RuntimeClass',
    '  metadata:',
    '    name: runc',
    '  handler: runc',
    '- apiVersion: node.k8s.io/v1',
    '  kind: RuntimeClass',
    '  metadata:',
    '    name: bad',
    '  handler: x',
    '  overhead:',
    '    podFixed:',
    '      memory: lots',
    '',
  ].join('\n');
  const alone = parseCluster(parseDocument('file:///rc.yaml', yaml));
  assert.deepEqual(alone.runtimeClasses?.map((r) => r.name), ['runc', 'bad']);
  assert.deepEqual(alone.runtimeClasses?.[1].overhead, { podFixed: {} });
  assert.ok(alone.findings.some((f) => f.code === 'cluster-bad-quantity' && f.path === 'overhead.podFixed.memory'));
});

test('without RuntimeClasses in the cluster file nothing changes: which exist is unknown', () => {
  const ds = agent({ runtimeClassName: 'gvisor' });
  const c = cluster(newNode('n1', {}, { allocatable: allocatableResources('1Gi', '1') }));
  assert.equal(runtimeClassAdmission({ runtimeClassName: 'gvisor' }, [], c.runtimeClasses), undefined);
  const p = placeDaemonSet(ds, c);
  assert.deepEqual(p.nodes.map((n) => [n.shouldRun, n.schedulable, n.created]), [[true, true, undefined]]);
  const { pod, runtimeClass } = newDaemonPodOf(ds, 'n1', { runtimeClasses: c.runtimeClasses });
  assert.equal(runtimeClass, undefined);
  assert.equal((pod.spec as Obj).overhead, undefined);
  assert.equal((pod.spec as Obj).nodeSelector, undefined);
});

test("a class's nodeSelector the node lacks leaves the created pod Pending; the controller still creates it", () => {
  const ds = agent({ runtimeClassName: 'kata-qemu' });
  const c = cluster(
    newNode('kata-1', { 'katacontainers.io/kata-runtime': 'true' }, { allocatable: allocatableResources('4Gi', '2') }),
    newNode('plain-1', {}, { allocatable: allocatableResources('4Gi', '2') }),
    newNode('other-1', { 'katacontainers.io/kata-runtime': 'false' }, { allocatable: allocatableResources('4Gi', '2') }),
    kata,
  );
  const p = placeDaemonSet(ds, c);
  assert.equal(p.desiredNumberScheduled, 3);
  const byNode = new Map(p.nodes.map((n) => [n.node, n]));
  assert.equal(verdictOf(byNode.get('kata-1')!), 'runs');
  for (const name of ['plain-1', 'other-1']) {
    const v = byNode.get(name)!;
    assert.equal(v.shouldRun, true, 'NodeShouldRunDaemonPod reads the template only');
    assert.equal(v.create, 1);
    assert.equal(v.schedulable, false);
    assert.equal(verdictOf(v), 'pending');
    assert.deepEqual(v.reasons.map((r) => [r.code, r.schedulerReason]), [['runtime-class-node-selector-mismatch', "node(s) didn't match Pod's node affinity/selector"]]);
    assert.equal(v.preemption, undefined);
  }
  assert.match(byNode.get('plain-1')!.reasons[0].message, /RuntimeClass `kata-qemu` adds nodeSelector `katacontainers\.io\/kata-runtime=true`.*node has no label `katacontainers\.io\/kata-runtime`.*stays Pending/);
  assert.match(byNode.get('other-1')!.reasons[0].message, /node has `false`/);
  // The pod view shows the merged selector.
  const pod = podForNode(ds, c, 'plain-1')!;
  assert.deepEqual((pod.spec as Obj).nodeSelector, { 'katacontainers.io/kata-runtime': 'true' });
});

test("a class's tolerations bring no pod onto a tainted node: the controller decides from the template", () => {
  const ds = agent({ runtimeClassName: 'gvisor' });
  const c = cluster(
    newNode('sandbox-1', { 'sandbox.gke.io/runtime': 'gvisor' }, { taints: [sandboxTaint], allocatable: allocatableResources('4Gi', '2') }),
    gvisor,
  );
  const [v] = placeDaemonSet(ds, c).nodes;
  assert.equal(v.shouldRun, false);
  assert.equal(v.reasons[0].code, 'untolerated-taint');
  assert.match(v.reasons[0].message, /RuntimeClass `gvisor` tolerates `sandbox\.gke\.io\/runtime=gvisor:NoSchedule`, but the controller decides from the template's tolerations/);
  // Tolerated in the template, the pod runs there and carries the class's toleration merged with the controller's.
  const tolerant = agent({ runtimeClassName: 'gvisor', tolerations: [{ key: 'sandbox.gke.io/runtime', operator: 'Exists' }] });
  const [w] = placeDaemonSet(tolerant, c).nodes;
  assert.equal(verdictOf(w), 'runs');
  const tolerations = ((podForNode(tolerant, c, 'sandbox-1')!.spec as Obj).tolerations as Obj[]);
  // The template's key-only toleration (no effect) is a superset of the class's: the class's is not added.
  assert.deepEqual(tolerations.filter((t) => t.key === 'sandbox.gke.io/runtime'), [{ key: 'sandbox.gke.io/runtime', operator: 'Exists' }]);
  assert.ok(tolerations.some((t) => t.key === 'node.kubernetes.io/not-ready' && t.effect === 'NoExecute'));
});

test("the class's overhead counts in the resource fit and is the pod's spec.overhead", () => {
  const ds = agent({ runtimeClassName: 'kata-qemu' });
  // 300m free: 100m of requests fit, 100m + 250m overhead do not.
  const node = newNode('kata-1', { 'katacontainers.io/kata-runtime': 'true' }, { allocatable: { cpu: '300m', memory: '4Gi', pods: '110' } });
  const without = placeDaemonSet(ds, cluster(node, { ...kata, overhead: undefined }));
  assert.equal(verdictOf(without.nodes[0]), 'runs');
  const c = cluster(node, kata);
  const [v] = placeDaemonSet(ds, c).nodes;
  assert.equal(verdictOf(v), 'pending');
  assert.deepEqual(v.reasons.map((r) => [r.code, r.message, r.schedulerReason]), [['insufficient-resource', 'needs 350m cpu, 300m free', 'Insufficient cpu']]);
  const { pod, runtimeClass } = newDaemonPodOf(ds, 'kata-1', { runtimeClasses: c.runtimeClasses });
  assert.deepEqual((pod.spec as Obj).overhead, { memory: '160Mi', cpu: '250m' });
  assert.equal(runtimeClass?.runtimeClass?.name, 'kata-qemu');
  // A template overhead equal to the class's, written otherwise (Quantity.Cmp), is accepted.
  const same = agent({ runtimeClassName: 'kata-qemu', overhead: { cpu: '0.25', memory: '160Mi' } });
  assert.equal(placeDaemonSet(same, c).nodes[0].created, undefined);
});

test('a pod the plugin refuses is never created: a reason on every node the controller targets', () => {
  const nodes = [
    newNode('n1', { 'katacontainers.io/kata-runtime': 'true', 'kubernetes.io/arch': 'amd64' }, { allocatable: allocatableResources('4Gi', '2') }),
    newNode('n2', { 'katacontainers.io/kata-runtime': 'true', 'kubernetes.io/arch': 'amd64' }, { allocatable: allocatableResources('4Gi', '2') }),
    newNode('cp', { 'katacontainers.io/kata-runtime': 'true', 'kubernetes.io/arch': 'amd64' }, { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
  ];
  const cases: Array<[Obj, string, RegExp]> = [
    [{ runtimeClassName: 'gvisor' }, 'runtime-class-not-found', /pod rejected: RuntimeClass "gvisor" not found/],
    [{ runtimeClassName: 'kata-qemu', overhead: { cpu: '100m', memory: '160Mi' } }, 'runtime-class-overhead-mismatch', /Pod's Overhead doesn't match RuntimeClass's defined Overhead/],
    [{ runtimeClassName: 'kata-arm64', nodeSelector: { 'kubernetes.io/arch': 'amd64' } }, 'runtime-class-node-selector-conflict', /conflict: runtimeClass\.scheduling\.nodeSelector\[kubernetes\.io\/arch\] = arm64; pod\.spec\.nodeSelector\[kubernetes\.io\/arch\] = amd64/],
    [{ overhead: { cpu: '250m' } }, 'runtime-class-overhead-without-class', /Pod Overhead set without corresponding RuntimeClass defined Overhead/],
    [{ runtimeClassName: 'runc', overhead: { cpu: '250m' } }, 'runtime-class-overhead-without-class', /Pod Overhead set without corresponding RuntimeClass defined Overhead/],
  ];
  const runc: Obj = { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'runc' }, handler: 'runc' };
  const kataArm: Obj = { ...kata, metadata: { name: 'kata-arm64' }, scheduling: { nodeSelector: { 'kubernetes.io/arch': 'arm64' } } };
  const c = cluster(...nodes, kata, runc, kataArm);
  for (const [podSpec, code, message] of cases) {
    const p = placeDaemonSet(agent(podSpec), c);
    const label = JSON.stringify(podSpec);
    assert.equal(p.desiredNumberScheduled, 2, label);
    for (const v of p.nodes.filter((n) => n.shouldRun)) {
      assert.equal(v.created, false, label);
      assert.equal(verdictOf(v), 'refused', label);
      assert.equal(v.schedulable, null, label);
      assert.equal(v.create, 1, `${label}: the controller keeps asking`);
      assert.deepEqual(v.reasons.map((r) => r.code), [code], label);
      assert.match(v.reasons[0].message, message, label);
      assert.match(v.reasons[0].message, /^the API server refuses to create the pod/, label);
    }
    // The excluded node keeps its own reason.
    assert.equal(p.nodes.find((n) => n.node === 'cp')!.reasons[0].code, 'untolerated-taint', label);
    const counts = countVerdicts(p.desiredNumberScheduled, p.nodes);
    assert.equal(counts.refused, 2, label);
    assert.equal(placementLine(counts), 'runs on 0 of 3 nodes · 2 refused by the API server · 1 blocked by taints');
  }
  const p = placeDaemonSet(agent({ runtimeClassName: 'gvisor' }), c);
  const json = toPlaceJson([{ file: 'ds.yaml', placement: p }]);
  assert.equal(json.daemonSets[0].nodes[0].created, false);
  assert.equal('created' in json.daemonSets[0].nodes[2], false);
  assert.match(toPlaceText([{ file: 'ds.yaml', placement: p }]), /n1 +not created +create +the API server refuses/);
  const view = podForNodeYaml(agent({ runtimeClassName: 'gvisor' }), 'n1', c, p);
  assert.match(view.yaml, /# The RuntimeClass admission plugin refuses this pod \(pod rejected: RuntimeClass "gvisor" not found\)/);
  assert.match(view.note ?? '', /the API server refuses to create it/);
});

test('MergeTolerations: both lists in order, less the tolerations another one is a superset of', () => {
  // The pod's Exists toleration covers the class's Equal one: the class's is dropped, not the pod's.
  assert.deepEqual(mergeTolerations(
    [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }, { key: 'b', operator: 'Exists' }],
    [{ key: 'a', operator: 'Equal', value: 'x', effect: 'NoSchedule' }],
  ), [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }, { key: 'b', operator: 'Exists' }]);
  // Same key and effect, different values: neither covers the other, both stay.
  assert.deepEqual(mergeTolerations(
    [{ key: 'a', operator: 'Equal', value: 'x', effect: 'NoSchedule' }],
    [{ key: 'a', operator: 'Equal', value: 'y', effect: 'NoSchedule' }],
  ), [{ key: 'a', operator: 'Equal', value: 'x', effect: 'NoSchedule' }, { key: 'a', operator: 'Equal', value: 'y', effect: 'NoSchedule' }]);
  // A later superset (an empty effect, a key-less Exists) wins over an earlier one; equal ones are kept once.
  assert.deepEqual(mergeTolerations(
    [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }, { key: 'c', operator: 'Equal', value: 'v' }],
    [{ key: 'a', operator: 'Exists' }, { key: 'c', operator: 'Equal', value: 'v' }],
  ), [{ key: 'c', operator: 'Equal', value: 'v' }, { key: 'a', operator: 'Exists' }]);
  assert.deepEqual(mergeTolerations([{ key: 'a', operator: 'Exists' }], [{ operator: 'Exists' }]), [{ operator: 'Exists' }]);
});

test('runtime-class-rejected: an error at the cause when the plugin refuses every pod; silent without RuntimeClasses', () => {
  const text = [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    '  name: falco',
    '  namespace: falco',
    'spec:',
    '  selector:',
    '    matchLabels: {app: falco}',
    '  template:',
    '    metadata:',
    '      labels: {app: falco}',
    '    spec:',
    '      runtimeClassName: gvisor',
    '      containers:',
    '      - name: falco',
    '        image: falcosecurity/falco:0.39.2',
    '',
  ].join('\n');
  const findings = (c: ReturnType<typeof cluster>) => validate(parseDocument('file:///falco.yaml', text), { cluster: c }).filter((f) => f.code === 'runtime-class-rejected');
  const [f] = findings(cluster(newNode('n1'), newNode('n2'), kata));
  assert.equal(f.severity, 'error');
  assert.equal(text.slice(f.span.start, f.span.end), 'runtimeClassName');
  assert.equal(f.path, 'spec.template.spec.runtimeClassName');
  assert.match(f.message, /^The API server refuses to create the pod \(RuntimeClass admission: pod rejected: RuntimeClass "gvisor" not found\).*on all 2 nodes/);
  assert.deepEqual(findings(cluster(newNode('n1'), newNode('n2'))), []);
  assert.deepEqual(findings(cluster(newNode('n1'), gvisor)).length, 0, 'gvisor exists: the pods are created (and stay Pending off the sandbox pool)');
});

test('runtime-class-rejected: a nodeSelector conflict is reported at the template key, with its path', () => {
  const text = [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata: {name: agent}',
    'spec:',
    '  selector: {matchLabels: {app: agent}}',
    '  template:',
    '    metadata: {labels: {app: agent}}',
    '    spec:',
    '      runtimeClassName: kata-arm64',
    '      nodeSelector:',
    '        kubernetes.io/arch: amd64',
    '      containers: [{name: agent, image: example.com/agent:1.0}]',
    '',
  ].join('\n');
  const kataArm: Obj = { ...kata, metadata: { name: 'kata-arm64' }, scheduling: { nodeSelector: { 'kubernetes.io/arch': 'arm64' } } };
  const [f, ...rest] = validate(parseDocument('file:///agent.yaml', text), { cluster: cluster(newNode('n1', { 'kubernetes.io/arch': 'amd64' }), kataArm) }).filter((x) => x.code === 'runtime-class-rejected');
  assert.equal(rest.length, 0);
  assert.equal(text.slice(f.span.start, f.span.end), 'kubernetes.io/arch');
  assert.equal(f.path, 'spec.template.spec.nodeSelector[kubernetes.io/arch]');
});

test('a RuntimeClass nodeSelector value that is not a string: a scalar is read as written, a list or a map left out, each with a finding', () => {
  const text = [
    'apiVersion: node.k8s.io/v1',
    'kind: RuntimeClass',
    'metadata: {name: gvisor}',
    'handler: runsc',
    'scheduling:',
    '  nodeSelector: {pool: [a, b], zone: {x: 1}, rack: 07, empty: , ok: sandbox}',
    '',
  ].join('\n');
  const c = parseCluster(parseDocument('cluster.yaml', text));
  assert.deepEqual(c.runtimeClasses?.[0].scheduling?.nodeSelector, { rack: '07', empty: '', ok: 'sandbox' });
  assert.deepEqual(c.findings.filter((f) => f.code === 'cluster-label-not-string').map((f) => [f.severity, f.path, f.message, text.slice(f.span.start, f.span.end)]), [
    ['error', 'scheduling.nodeSelector.pool', 'scheduling.nodeSelector "pool" must be a string, not a list; it is left out.', '[a, b]'],
    ['error', 'scheduling.nodeSelector.zone', 'scheduling.nodeSelector "zone" must be a string, not a map; it is left out.', '{x: 1}'],
    ['warning', 'scheduling.nodeSelector.rack', 'scheduling.nodeSelector "rack" should be a string; it is read as "07".', '07'],
  ]);
});
