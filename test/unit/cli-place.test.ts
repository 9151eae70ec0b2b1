import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { nodeIO } from '../../server/src/cli/common';
import { lineIndexOf, runPlace } from '../../server/src/cli/place';
import { parseDocument } from '../../server/src/engine/model';
import { runPod } from '../../server/src/cli/pod';
import { main } from '../../server/src/cli';

const ROOT = join(__dirname, '..', 'fixtures');

async function run(fn: (argv: string[], io: ReturnType<typeof nodeIO>) => Promise<number>, argv: string[], stdin = '') {
  let out = '';
  let err = '';
  const io = nodeIO({ cwd: ROOT, stdout: (t) => void (out += t), stderr: (t) => void (err += t), readStdin: async () => new TextEncoder().encode(stdin) });
  const code = await fn(argv, io);
  return { code, out, err };
}

test('place --format json: exactly the documented shape', async () => {
  const r = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', '--format', 'json', 'placement/fluentd.yaml']);
  assert.equal(r.code, 0);
  assert.equal(r.err, '');
  const json = JSON.parse(r.out);
  assert.deepEqual(Object.keys(json), ['daemonSets']);
  const ds = json.daemonSets[0];
  assert.deepEqual(Object.keys(ds), ['name', 'namespace', 'file', 'desiredNumberScheduled', 'nodes', 'sync', 'rollingUpdate', 'updateStrategy']);
  assert.deepEqual([ds.name, ds.namespace, ds.file, ds.desiredNumberScheduled], ['fluentd', 'kube-system', 'placement/fluentd.yaml', 2]);
  assert.deepEqual(ds.nodes[0], {
    node: 'cp-1',
    shouldRun: false,
    shouldContinueRunning: true,
    schedulable: null,
    admitted: null,
    reasons: [{ code: 'untolerated-taint', message: 'taint `node-role.kubernetes.io/control-plane:NoSchedule` is not tolerated' }],
    daemonPods: ['fluentd-x7k2p'],
    create: 0,
    delete: [],
  });
  assert.deepEqual(ds.nodes[3].reasons, [{ code: 'insufficient-resource', message: 'needs 200Mi memory, 120Mi free' }]);
  for (const n of ds.nodes) assert.deepEqual(Object.keys(n), ['node', 'shouldRun', 'shouldContinueRunning', 'schedulable', 'admitted', 'reasons', 'daemonPods', 'create', 'delete']);
  assert.deepEqual(ds.sync, { creates: 2, deletes: 0 });
  assert.deepEqual(ds.rollingUpdate, { maxUnavailable: 1, maxSurge: 0 });
  assert.equal(ds.updateStrategy, 'RollingUpdate');
});

test('place text: a table per DaemonSet with node, verdict and reason', async () => {
  const r = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', 'placement/fluentd.yaml']);
  assert.equal(r.code, 0);
  const lines = r.out.split('\n');
  assert.equal(lines[0], 'DaemonSet kube-system/fluentd (placement/fluentd.yaml): runs on 1 of 4 nodes · 1 pending · 2 blocked by taints; next sync creates 2, deletes 0; rolling update maxUnavailable 1, maxSurge 0');
  assert.match(lines[1], /^ {2}NODE +VERDICT +SYNC +REASON$/);
  assert.match(lines[2], /^ {2}cp-1 +keeps pod +- +taint `node-role\.kubernetes\.io\/control-plane:NoSchedule` is not tolerated$/);
  assert.match(lines[3], /^ {2}worker-1 +runs +create +note: node is cordoned/);
  assert.match(lines[4], /^ {2}worker-2 +no pod +- +taint `node\.kubernetes\.io\/not-ready:NoSchedule` is not tolerated$/);
  assert.match(lines[5], /^ {2}worker-3 +runs, Pending +create +needs 200Mi memory, 120Mi free \(Insufficient memory\)$/);
});

test('place: --pods adds pods from another file; --feature-gates enables toleration Lt/Gt; manifests from stdin', async () => {
  const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: sla-agent}
spec:
  selector: {matchLabels: {app: sla}}
  template:
    metadata: {labels: {app: sla}}
    spec:
      tolerations: [{key: sla, operator: Gt, value: "900", effect: NoSchedule}]
      containers: [{name: a, image: a}]
`;
  const cluster = 'clusters/minimal.yaml';
  const off = await run(runPlace, ['--cluster', cluster, '--format', 'json', '-'], ds.replace('key: sla', 'key: site').replace('"900"', '"5"'));
  assert.equal(JSON.parse(off.out).daemonSets[0].nodes[0].shouldRun, false);
  const gated = await run(runPlace, ['--cluster', 'placement/sla-cluster.yaml', '--feature-gates', 'TaintTolerationComparisonOperators=true', '--format', 'json', '-'], ds);
  assert.equal(gated.code, 0, gated.err);
  assert.deepEqual(JSON.parse(gated.out).daemonSets[0].nodes.map((n: { shouldRun: boolean }) => n.shouldRun), [true, false]);
  const ungated = await run(runPlace, ['--cluster', 'placement/sla-cluster.yaml', '--format', 'json', '-'], ds);
  assert.deepEqual(JSON.parse(ungated.out).daemonSets[0].nodes.map((n: { shouldRun: boolean }) => n.shouldRun), [false, false]);
  // The gate exists from 1.35: at 1.34 the API server rejects Gt, and naming the gate changes nothing.
  const older = await run(runPlace, ['--cluster', 'placement/sla-cluster.yaml', '--kubernetes-version', '1.34', '--feature-gates', 'TaintTolerationComparisonOperators=true', '--format', 'json', '-'], ds);
  assert.deepEqual(JSON.parse(older.out).daemonSets[0].nodes.map((n: { shouldRun: boolean }) => n.shouldRun), [false, false]);
  const withPods = await run(runPlace, ['--cluster', 'placement/sla-cluster.yaml', '--pods', 'placement/sla-pods.yaml', '--format', 'json', '-'], ds);
  assert.deepEqual(JSON.parse(withPods.out).daemonSets[0].nodes[1].daemonPods, ['sla-agent-q9x8w']);
  assert.deepEqual(JSON.parse(withPods.out).daemonSets[0].sync, { creates: 0, deletes: 0 });
});

test('place: pod-level resources count as the target version and --feature-gates decide (PodLevelResources)', async () => {
  const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      tolerations: [{operator: Exists}]
      resources: {requests: {memory: 3Gi}}
      containers: [{name: a, image: a, resources: {requests: {memory: 100Mi}}}]
`;
  const schedulable = async (...options: string[]) => {
    const r = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', ...options, '--format', 'json', '-'], ds);
    assert.equal(r.code, 0, r.err);
    return Object.fromEntries(JSON.parse(r.out).daemonSets[0].nodes.map((n: { node: string; schedulable: boolean }) => [n.node, n.schedulable]));
  };
  const counted = await schedulable();
  assert.equal(counted['worker-3'], false, 'worker-3 has 1Gi');
  assert.deepEqual(await schedulable('--kubernetes-version', '1.34'), counted);
  const skipped = await schedulable('--kubernetes-version', '1.33');
  assert.deepEqual(Object.values(skipped), Object.values(skipped).map(() => true));
  assert.deepEqual(await schedulable('--kubernetes-version', '1.33', '--feature-gates', 'PodLevelResources=true'), counted);
  assert.deepEqual(await schedulable('--feature-gates', 'PodLevelResources=false'), skipped);
});

test('place: usage and read errors exit 2 with one line', async () => {
  for (const argv of [
    ['placement/fluentd.yaml'],
    ['--cluster', 'placement/seed-cluster.yaml'],
    ['--cluster', 'nope.yaml', 'placement/fluentd.yaml'],
    ['--cluster', 'placement/seed-cluster.yaml', 'nope.yaml'],
    ['--cluster', 'placement/seed-cluster.yaml', '--now', 'yesterday', 'placement/fluentd.yaml'],
    ['--cluster', 'placement/seed-cluster.yaml', '--format', 'xml', 'placement/fluentd.yaml'],
    ['--cluster', 'placement/seed-cluster.yaml', '--feature-gates', 'Foo', 'placement/fluentd.yaml'],
  ]) {
    const r = await run(runPlace, argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.out, '');
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, /^daemonset-lens place: /);
  }
});

test('place: cluster-file problems go to stderr with positions; readable nodes are still placed', async () => {
  const broken = 'kind: Node\nmetadata: {name: a}\nspec: {taints: [{key: x, effect: Never}]}\n---\nkind: Node\nmetadata: {labels: {}}\n';
  const r = await run(runPlace, ['--cluster', '-', '--format', 'json', 'placement/fluentd.yaml'], broken);
  assert.equal(r.code, 0);
  assert.match(r.err, /^<stdin>:3:34: error cluster-taint-bad-effect Unsupported taint effect "Never"/m);
  assert.match(r.err, /^<stdin>:6:1: error cluster-node-without-name /m);
  assert.deepEqual(JSON.parse(r.out).daemonSets[0].nodes.map((n: { node: string }) => n.node), ['a']);
});

test('place: Kustomize patches are skipped with a note, whether recognised by content or by the kustomization', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'dsl-place-'));
  const write = (name: string, text: string) => {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  };
  try {
    write('cluster.yaml', 'apiVersion: v1\nkind: Node\nmetadata: {name: cp-1}\nspec:\n  taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]\n');
    write('base/ds.yaml', 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      tolerations: [{operator: Exists}]\n      containers: [{name: agent, image: busybox:1.36}]\n');
    // No image, no selector: a patch by its content.
    write('overlay/args.yaml', 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  template:\n    spec:\n      containers:\n      - name: agent\n        args: ["-v=4"]\n');
    // An image: a patch only because the kustomization lists it.
    write('overlay/image.yaml', 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  template:\n    spec:\n      containers: [{name: agent, image: busybox:1.37}]\n');
    write('overlay/kustomization.yaml', 'resources:\n- ../base\npatchesStrategicMerge:\n- image.yaml\npatches:\n- path: args.yaml\n');
    const io = nodeIO({ cwd: dir, stdout: (t) => void (out += t), stderr: (t) => void (err += t), readStdin: async () => new Uint8Array() });
    let out = '';
    let err = '';
    const code = await runPlace(['--cluster', 'cluster.yaml', '-f', 'json', 'base/ds.yaml', 'overlay/args.yaml', 'overlay/image.yaml'], io);
    assert.equal(code, 0);
    const json = JSON.parse(out);
    assert.deepEqual(json.daemonSets.map((d: { file: string }) => d.file), ['base/ds.yaml']);
    assert.equal(json.daemonSets[0].desiredNumberScheduled, 1);
    const notes = err.trim().split('\n');
    assert.equal(notes.length, 2, err);
    assert.match(notes[0], /^daemonset-lens place: skipped DaemonSet default\/agent in 'overlay\/args\.yaml': a Kustomize patch listed in the kustomization of its folder; place the built manifest instead \(kustomize build DIR \| daemonset-lens place --cluster FILE -\)$/);
    assert.match(notes[1], /skipped DaemonSet default\/agent in 'overlay\/image\.yaml': a Kustomize patch listed/);
    // `pod` does not make a pod of a patch either: exit 2, and what to give instead.
    out = '';
    err = '';
    assert.equal(await runPod(['--cluster', 'cluster.yaml', '--node', 'cp-1', 'overlay/image.yaml'], io), 2);
    assert.equal(out, '');
    assert.match(err, /^daemonset-lens pod: 'overlay\/image\.yaml' holds a Kustomize patch listed in the kustomization of its folder; give the built manifest instead \(kustomize build DIR \| daemonset-lens pod --cluster FILE --node cp-1 -\)\n/);
    err = '';
    assert.equal(await runPod(['--cluster', 'cluster.yaml', '--node', 'cp-1', 'base/ds.yaml'], io), 0);
    // Without a kustomization, a patch by content is still skipped; the image one is placed.
    rmSync(join(dir, 'overlay', 'kustomization.yaml'));
    out = '';
    err = '';
    assert.equal(await runPlace(['--cluster', 'cluster.yaml', 'overlay'], io), 0);
    assert.match(err, /skipped DaemonSet default\/agent in 'overlay\/args\.yaml': a partial manifest \(a Kustomize patch\)/);
    assert.match(out, /^DaemonSet default\/agent \(overlay\/image\.yaml\): runs on 0 of 1 node · 1 blocked by taints;/);
    err = '';
    assert.equal(await runPod(['--cluster', 'cluster.yaml', '--node', 'cp-1', 'overlay/args.yaml'], io), 2);
    assert.match(err, /'overlay\/args\.yaml' holds a partial manifest \(a Kustomize patch\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pod: prints the pod the controller would create, as YAML or JSON', async () => {
  const y = await run(runPod, ['--cluster', 'placement/seed-cluster.yaml', '--node', 'worker-1', '--current-revision', '5d8f9c7b6', 'placement/fluentd.yaml']);
  assert.equal(y.code, 0);
  assert.equal(y.err, '');
  const pod = parseYaml(y.out);
  assert.equal(pod.kind, 'Pod');
  assert.equal(pod.metadata.generateName, 'fluentd-');
  assert.equal(pod.metadata.labels['controller-revision-hash'], '5d8f9c7b6');
  assert.deepEqual(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-1'] }] }]);
  assert.equal(pod.spec.tolerations.length, 6);
  const j = await run(runPod, ['--cluster', 'placement/seed-cluster.yaml', '--node', 'worker-1', '--format', 'json', 'placement/fluentd.yaml']);
  assert.deepEqual(JSON.parse(j.out).spec.affinity, pod.spec.affinity);
  // A node the DaemonSet does not run on: the pod is printed, with a note on stderr.
  const cp = await run(runPod, ['--cluster', 'placement/seed-cluster.yaml', '--node', 'cp-1', 'placement/fluentd.yaml']);
  assert.equal(cp.code, 0);
  assert.match(cp.err, /would not create this pod on 'cp-1': taint `node-role.kubernetes.io\/control-plane:NoSchedule` is not tolerated/);
});

test('place: on a mixed Linux/Windows cluster a Windows DaemonSet without an OS nodeSelector is created, then rejected by the kubelet, on the Linux nodes', async () => {
  const t = await run(runPlace, ['--cluster', 'clusters/aks-mixed.yaml', 'pod-os/kube-proxy-windows.yaml']);
  assert.equal(t.code, 0);
  assert.equal(t.err, '');
  const lines = t.out.split('\n');
  assert.equal(lines[0], 'DaemonSet kube-system/kube-proxy-windows (pod-os/kube-proxy-windows.yaml): runs on 2 of 5 nodes · 3 rejected by the kubelet; next sync creates 5, deletes 0; rolling update maxUnavailable 1, maxSurge 0');
  for (const [i, node] of ['aks-system-28461937-vmss000000', 'aks-system-28461937-vmss000001', 'aks-general-14205963-vmss000000'].entries()) {
    assert.match(lines[2 + i], new RegExp(`^  ${node} +created, rejected +create +os\\.name \`windows\` does not match the node's OS \`linux\` \\(kubelet: PodOSNotSupported\\)$`));
  }
  assert.match(lines[5], /^ {2}akswin22000000 +runs +create$/);
  const j = JSON.parse((await run(runPlace, ['--cluster', 'clusters/aks-mixed.yaml', '-f', 'json', 'pod-os/kube-proxy-windows.yaml'])).out);
  const nodes = j.daemonSets[0].nodes as Array<{ node: string; schedulable: boolean | null; admitted: boolean | null; reasons: Array<{ code: string }> }>;
  assert.deepEqual(nodes.map((n) => [n.schedulable, n.admitted, n.reasons.map((r) => r.code)]), [
    [true, false, ['pod-os-not-supported']], [true, false, ['pod-os-not-supported']], [true, false, ['pod-os-not-supported']], [true, true, []], [true, true, []],
  ]);
  // `pod` says so on stderr for a Linux node, and not for a Windows one.
  const pod = await run(runPod, ['--cluster', 'clusters/aks-mixed.yaml', '--node', 'aks-general-14205963-vmss000000', 'pod-os/kube-proxy-windows.yaml']);
  assert.equal(pod.code, 0);
  const revisionNote = 'daemonset-lens pod: note: the controller also labels the pod controller-revision-hash=<hash of the current ControllerRevision>; give it with --current-revision\n';
  assert.equal(pod.err, "daemonset-lens pod: note: the kubelet of 'aks-general-14205963-vmss000000' would reject this pod: os.name `windows` does not match the node's OS `linux` (PodOSNotSupported)\n" + revisionNote);
  assert.equal(parseYaml(pod.out).spec.os.name, 'windows');
  assert.equal((await run(runPod, ['--cluster', 'clusters/aks-mixed.yaml', '--node', 'akswin22000001', 'pod-os/kube-proxy-windows.yaml'])).err, revisionNote);
});

test('pod: usage errors exit 2', async () => {
  for (const argv of [
    ['--cluster', 'placement/seed-cluster.yaml', 'placement/fluentd.yaml'],
    ['--cluster', 'placement/seed-cluster.yaml', '--node', 'ghost', 'placement/fluentd.yaml'],
    ['--cluster', 'placement/seed-cluster.yaml', '--node', 'worker-1'],
    ['--cluster', 'placement/seed-cluster.yaml', '--node', 'worker-1', 'clusters/minimal.yaml'],
  ]) {
    const r = await run(runPod, argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.err, /^daemonset-lens pod: .+\n$/);
  }
});

test('the daemonset-lens entry dispatches place and pod', async () => {
  const r = await run((argv, io) => main(argv, io), ['place', '--cluster', 'placement/seed-cluster.yaml', '--format', 'json', 'placement/fluentd.yaml']);
  assert.equal(r.code, 0);
  assert.equal(JSON.parse(r.out).daemonSets.length, 1);
  const h = await run((argv, io) => main(argv, io), ['pod', '--help']);
  assert.match(h.out, /^Usage: daemonset-lens pod/);
});

test('place with pods: a higher-priority daemon pod runs after preempting, the victims are named (text and json)', async () => {
  const args = ['--cluster', 'placement/preemption-nodes.yaml', '--pods', 'placement/preemption-pods.yaml', 'placement/preemption-agent.yaml'];
  const r = await run(runPlace, args);
  assert.equal(r.code, 0);
  const lines = r.out.split('\n');
  assert.match(lines[2], /^ {2}storage-1 +runs, preempts 1 +create +needs 250m cpu, 200m free \(Insufficient cpu\); evicts lower-priority rook-ceph\/rook-ceph-mon-a-5d8c6b7f9-k4m2n$/);
  assert.match(lines[3], /^ {2}worker-1 +runs, preempts 1 +create +host port 9962\/TCP .*; evicts lower-priority monitoring\/legacy-metrics-7f9d8c6b5-q2w8e$/);
  assert.match(lines[5], /^ {2}edge-1 +runs, Pending +create +needs 250m cpu, 100m free \(Insufficient cpu\)$/);
  const json = JSON.parse((await run(runPlace, ['--format', 'json', ...args])).out);
  const [storage, , worker2, edge] = json.daemonSets[0].nodes;
  assert.deepEqual(storage.preemption, {
    outcome: 'preempts',
    victims: ['rook-ceph/rook-ceph-mon-a-5d8c6b7f9-k4m2n'],
    reasons: [{ code: 'insufficient-resource', message: 'needs 250m cpu, 200m free' }],
    priorityClassName: 'system-node-critical',
    priority: 2000001000,
  });
  assert.equal(storage.schedulable, true);
  assert.deepEqual(storage.reasons, []);
  assert.deepEqual(Object.keys(worker2), ['node', 'shouldRun', 'shouldContinueRunning', 'schedulable', 'admitted', 'reasons', 'daemonPods', 'create', 'delete']);
  assert.equal(edge.schedulable, false);
});

// kubereboot/kured kured-ds.yaml of the extensions/v1beta1 days: no selector, no updateStrategy.
const KURED = 'placement/kured-legacy.yaml';
const KURED_REMOVED = `${KURED}:8:13: error removed-api-version apiVersion: DaemonSet extensions/v1beta1 was removed in Kubernetes 1.16: use apps/v1. (apps/v1 requires spec.selector to match the template labels.)`;

test('place: an extensions/v1beta1 DaemonSet gets that API\'s defaults (OnDelete) and the removed-api-version note of check', async () => {
  const text = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', KURED]);
  assert.equal(text.code, 0);
  // SetDefaults_DaemonSet (pkg/apis/extensions/v1beta1): an empty updateStrategy.type is OnDelete, not a rolling update.
  assert.equal(text.out.split('\n')[0], `DaemonSet kube-system/kured (${KURED}): runs on 2 of 4 nodes · 2 blocked by taints; next sync creates 2, deletes 0; update strategy OnDelete`);
  assert.equal(text.err, KURED_REMOVED + '\n');
  const json = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', '--format', 'json', KURED]);
  assert.equal(json.err, KURED_REMOVED + '\n');
  const ds = JSON.parse(json.out).daemonSets[0];
  assert.equal(ds.updateStrategy, 'OnDelete');
  assert.deepEqual(ds.rollingUpdate, { maxUnavailable: 0, maxSurge: 0 });
  assert.deepEqual(ds.diagnostics, [{
    code: 'removed-api-version',
    severity: 'error',
    message: 'DaemonSet extensions/v1beta1 was removed in Kubernetes 1.16: use apps/v1. (apps/v1 requires spec.selector to match the template labels.)',
    path: 'apiVersion',
    range: { start: { line: 7, character: 12 }, end: { line: 7, character: 30 } },
  }]);
  // Below 1.16 the version is served: a note, as check gives it.
  const old = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', '--kubernetes-version', '1.15', '--format', 'json', KURED]);
  assert.equal(old.code, 0);
  assert.match(old.err, /^placement\/kured-legacy\.yaml:8:13: information removed-api-version apiVersion: DaemonSet extensions\/v1beta1 is deprecated and removed in Kubernetes 1\.16 \(the target is 1\.15\)/);
  assert.equal(JSON.parse(old.out).daemonSets[0].diagnostics[0].severity, 'information');
  const bad = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', '--kubernetes-version', 'latest', KURED]);
  assert.equal(bad.code, 2);
  assert.equal(bad.err, "daemonset-lens place: --kubernetes-version: 'latest' is not a version like 1.35\n");
});

test('place: extensions/v1beta1 defaults the selector to the template labels, so the DaemonSet owns its running pods', async () => {
  const pods = `apiVersion: v1
kind: Pod
metadata:
  name: kured-8d2lq
  namespace: kube-system
  labels: {name: kured, pod-template-generation: "1"}
  ownerReferences:
  - {apiVersion: apps/v1, kind: DaemonSet, name: kured, controller: true, blockOwnerDeletion: true}
spec:
  nodeName: worker-1
  containers: [{name: kured, image: quay.io/weaveworks/kured}]
status:
  phase: Running
  conditions: [{type: Ready, status: "True"}]
`;
  const r = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', '--pods', '-', '--format', 'json', KURED], pods);
  assert.equal(r.code, 0, r.err);
  const worker1 = JSON.parse(r.out).daemonSets[0].nodes.find((n: { node: string }) => n.node === 'worker-1');
  assert.deepEqual([worker1.daemonPods, worker1.create], [['kured-8d2lq'], 0]);
});

test('place: apps/v1beta2 keeps RollingUpdate as apps/v1 does, and is reported as removed', async () => {
  const { readFileSync } = await import('node:fs');
  const v1beta2 = readFileSync(join(ROOT, KURED), 'utf8')
    .replace('apiVersion: extensions/v1beta1', 'apiVersion: apps/v1beta2')
    .replace('spec:\n  template:', 'spec:\n  selector:\n    matchLabels:\n      name: kured\n  template:');
  const r = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', '--format', 'json', '-'], v1beta2);
  const ds = JSON.parse(r.out).daemonSets[0];
  assert.equal(ds.updateStrategy, 'RollingUpdate');
  assert.deepEqual(ds.rollingUpdate, { maxUnavailable: 1, maxSurge: 0 });
  assert.equal(ds.diagnostics[0].message, 'DaemonSet apps/v1beta2 was removed in Kubernetes 1.16: use apps/v1. (apps/v1 requires spec.selector to match the template labels.)');
  assert.match(r.err, /^<stdin>:8:13: error removed-api-version apiVersion: DaemonSet apps\/v1beta2 was removed in Kubernetes 1\.16/);
  // apps/v1 gets neither the note nor the field.
  const v1 = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', '--format', 'json', '-'], v1beta2.replace('apps/v1beta2', 'apps/v1'));
  assert.equal(v1.err, '');
  assert.equal('diagnostics' in JSON.parse(v1.out).daemonSets[0], false);
});

test('place and pod: a Helm or Jinja template is reported as one to render first, not as a file without a DaemonSet', async () => {
  const helm = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', 'templates/helm-chart-daemonset.yaml', 'templates/salt-kube-proxy.yaml']);
  assert.equal(helm.code, 0);
  assert.equal(helm.out, '');
  assert.equal(helm.err,
    "daemonset-lens place: 'templates/helm-chart-daemonset.yaml' is a template ({{ … }}): its DaemonSets are known only once it is rendered; render it first (helm template RELEASE CHART | daemonset-lens place --cluster FILE -)\n" +
    "daemonset-lens place: 'templates/salt-kube-proxy.yaml' is a template ({{ … }}): its DaemonSets are known only once it is rendered; render it first with its template engine (… | daemonset-lens place --cluster FILE -)\n");
  assert.doesNotMatch(helm.err, /no DaemonSet/);
  const pod = await run(runPod, ['--cluster', 'placement/seed-cluster.yaml', '--node', 'worker-1', 'templates/helm-chart-daemonset.yaml']);
  assert.equal(pod.code, 2);
  assert.equal(pod.out, '');
  assert.equal(pod.err, "daemonset-lens pod: 'templates/helm-chart-daemonset.yaml' is a template ({{ … }}): its DaemonSets are known only once it is rendered; render it first (helm template RELEASE CHART | daemonset-lens pod --cluster FILE --node worker-1 -)\n");
});

test('place on a folder: files without a DaemonSet are passed over; a file named on the command line still gets its line', async () => {
  // kubernetes-sigs/aws-ebs-csi-driver deploy/kubernetes/base: RBAC, CSIDriver, ServiceAccount and the node DaemonSet.
  const folder = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', 'placement/ebs-csi-base']);
  assert.equal(folder.code, 0);
  assert.equal(folder.err, '');
  assert.match(folder.out, /^DaemonSet default\/ebs-csi-node \(placement\/ebs-csi-base\/node\.yaml\): runs on/);
  const named = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', 'placement/ebs-csi-base', 'placement/ebs-csi-base/csidriver.yaml']);
  assert.equal(named.err, "daemonset-lens place: no DaemonSet in 'placement/ebs-csi-base/csidriver.yaml'\n");
  // The folder's DaemonSet file named as well: it is placed once, and the folder has a DaemonSet.
  const both = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', 'placement/ebs-csi-base', 'placement/ebs-csi-base/node.yaml']);
  assert.equal(both.err, '');
  assert.equal(both.out.match(/^DaemonSet /gm)?.length, 1);
  const first = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', 'placement/ebs-csi-base/node.yaml', 'placement/ebs-csi-base']);
  assert.equal(first.err, '');
  // A folder that holds no DaemonSet at all: one line for the folder.
  const none = await run(runPlace, ['--cluster', 'placement/seed-cluster.yaml', 'clusters']);
  assert.equal(none.code, 0);
  assert.equal(none.out, '');
  assert.equal(none.err, `daemonset-lens place: no DaemonSet in the ${readdirSync(join(ROOT, 'clusters')).length} files of 'clusters'\n`);
});

test('place on a chart folder: only the templates that may hold a DaemonSet are named', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'dsl-chart-'));
  try {
    mkdirSync(join(dir, 'chart', 'templates'), { recursive: true });
    writeFileSync(join(dir, 'cluster.yaml'), readFileSync(join(ROOT, 'placement/seed-cluster.yaml')));
    writeFileSync(join(dir, 'chart', 'templates', 'daemonset.yaml'), readFileSync(join(ROOT, 'templates/helm-chart-daemonset.yaml')));
    writeFileSync(join(dir, 'chart', 'templates', 'configmap.yaml'), `{{- if .Values.config.create }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "agent.fullname" . }}
  labels:
    {{- include "agent.labels" . | nindent 4 }}
data:
  agent.yaml: |
    {{- toYaml .Values.config.content | nindent 4 }}
{{- end }}
`);
    let out = '';
    let err = '';
    const io = nodeIO({ cwd: dir, stdout: (t) => void (out += t), stderr: (t) => void (err += t), readStdin: async () => new Uint8Array() });
    assert.equal(await runPlace(['--cluster', 'cluster.yaml', 'chart'], io), 0);
    assert.equal(out, '');
    assert.equal(err, "daemonset-lens place: 'chart/templates/daemonset.yaml' is a template ({{ … }}): its DaemonSets are known only once it is rendered; render it first (helm template RELEASE CHART | daemonset-lens place --cluster FILE -)\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pod: the labels of a newly created DaemonSet\'s pod: pod-template-generation 1, and a note for controller-revision-hash', async () => {
  // fluentd.yaml has no deprecated.daemonset.template.generation annotation: the API server stores 1 on create.
  const r = await run(runPod, ['--cluster', 'placement/seed-cluster.yaml', '--node', 'worker-1', 'placement/fluentd.yaml']);
  assert.equal(r.code, 0);
  assert.deepEqual(parseYaml(r.out).metadata.labels, { name: 'fluentd', 'pod-template-generation': '1' });
  assert.equal(r.err, 'daemonset-lens pod: note: the controller also labels the pod controller-revision-hash=<hash of the current ControllerRevision>; give it with --current-revision\n');
  const legacy = await run(runPod, ['--cluster', 'placement/seed-cluster.yaml', '--node', 'worker-1', KURED]);
  assert.equal(legacy.code, 0);
  assert.equal(legacy.err.split('\n')[0], KURED_REMOVED);
});

test('place: a DaemonSet with errors is placed as written, with the errors check reports, on stderr and in JSON', async () => {
  const ds = (tolerations: string, name = 'agent') => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      tolerations: ${tolerations}
      containers: [{name: a, image: a}]
`;
  // An empty key with Equal, and a value with Exists: both rejected by ValidateTolerations.
  const bad = ds('[{key: "", operator: Equal}, {operator: Exists, value: x}]', 'bad');
  const good = ds('[{operator: Exists}]', 'good');
  const text = `${bad}---\n${good}`;
  const r = await run(runPlace, ['--cluster', 'clusters/minimal.yaml', '--format', 'json', '-'], text);
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out);
  assert.deepEqual(json.daemonSets.map((d: { name: string }) => d.name), ['bad', 'good']);
  const codes = (json.daemonSets[0].diagnostics ?? []).map((d: { code: string; severity: string }) => `${d.severity} ${d.code}`);
  assert.ok(codes.length >= 2 && codes.every((c: string) => c === 'error toleration-operator'), JSON.stringify(codes));
  assert.equal(json.daemonSets[1].diagnostics, undefined);
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, codes.length, r.err);
  assert.ok(lines.every((l) => /^<stdin>:9:\d+: error toleration-operator /.test(l)), r.err);
  // The text table says nothing different; the errors go to stderr there too.
  const t = await run(runPlace, ['--cluster', 'clusters/minimal.yaml', '-'], text);
  assert.equal(t.err, r.err);
});

test('place: a DaemonSet the controller ignores says so instead of "runs on N of M" (syncDaemonSet returns early)', async () => {
  const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: a}]
`;
  const r = await run(runPlace, ['--cluster', 'clusters/minimal.yaml', '-'], ds);
  assert.match(r.out, /^DaemonSet default\/agent \(<stdin>\): no pod on any node: the controller ignores this DaemonSet, whose selector selects all pods; /m);
  const json = JSON.parse((await run(runPlace, ['--cluster', 'clusters/minimal.yaml', '--format', 'json', '-'], ds)).out);
  assert.equal(json.daemonSets[0].ignored, 'selects-all');
  assert.equal(JSON.parse((await run(runPlace, ['--cluster', 'clusters/minimal.yaml', '--format', 'json', '-'], ds.replace('selector: {}', 'selector: {matchLabels: {app: agent}}'))).out).daemonSets[0].ignored, undefined);
  assert.doesNotMatch(r.out, /runs on \d+ of/);
});

test('place: the table of a DaemonSet the controller ignores says no pod on every node, and why', async () => {
  const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, deletionTimestamp: "2026-01-01T00:00:00Z"}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      tolerations: [{operator: Exists}]
      containers: [{name: a, image: a}]
`;
  const r = await run(runPlace, ['--cluster', 'clusters/minimal.yaml', '-'], ds);
  const rows = r.out.split('\n').filter((l) => /^ {2}\S/.test(l) && !/^ {2}(NODE|warning:)/.test(l));
  assert.ok(rows.length > 0, r.out);
  for (const row of rows) {
    assert.match(row, /^ {2}\S+\s+no pod\s+-\s+the controller ignores this DaemonSet, which is being deleted/, row);
  }
});

test('the line index of a file is built once, however many of its DaemonSets have errors to place', () => {
  const model = parseDocument('many.yaml', 'a: 1\r\nb: 2\n');
  const index = lineIndexOf(model);
  assert.equal(lineIndexOf(model), index);
  assert.deepEqual(index.positionAt(7), { line: 1, character: 1 });
  assert.notEqual(lineIndexOf(parseDocument('many.yaml', model.text)), index, 'another model, another index');
});
