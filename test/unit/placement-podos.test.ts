/**
 * The pod's OS in placement: the DaemonSet controller (NodeShouldRunDaemonPod) and the scheduler do
 * not read it, the kubelet does (pkg/kubelet/lifecycle/predicate.go rejectPodAdmissionBasedOnOSSelector,
 * rejectPodAdmissionBasedOnOSField). On a node of another OS the pod is created, bound, then rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseCluster } from '../../server/src/engine/cluster';
import { parseDocument } from '../../server/src/engine/model';
import {
  nodeShouldRunDaemonPod, placeDaemonSet, rejectPodAdmissionBasedOnOSField, rejectPodAdmissionBasedOnOSSelector, type ClusterModel,
} from '../../server/src/engine/placement';
import { codeLenses } from '../../server/src/handlers/codeLens';
import { buildPlacementResult, podForNodeYaml } from '../../server/src/handlers/placement';
import { buildPreviewModel } from '../../client/src/preview/viewModel';
import { countVerdicts, placementLine, verdictOf } from '../../server/src/protocol';
import { toPlaceJson, toPlaceText } from '../../server/src/cli/place';
import { cluster, dsFromYaml, dsObject, newDaemonSet, newNode, newPod, simpleDaemonSetLabel } from './placement-helpers';

type Obj = Record<string, unknown>;
const FIXTURES = join(__dirname, '..', 'fixtures');
const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');
const aks: ClusterModel = parseCluster(parseDocument('file:///aks-mixed.yaml', read('clusters/aks-mixed.yaml')));
const LINUX = ['aks-system-28461937-vmss000000', 'aks-system-28461937-vmss000001', 'aks-general-14205963-vmss000000'];
const WINDOWS = ['akswin22000000', 'akswin22000001'];

/** A node as a kubelet reports it: the OS label and status.nodeInfo.operatingSystem. */
function osNode(name: string, os: string | undefined, labelOS: string | undefined = os, extra: Obj = {}): Obj {
  const node = newNode(name, labelOS ? { 'kubernetes.io/os': labelOS } : {}, extra);
  if (os) (node.status as Obj).nodeInfo = { architecture: 'amd64', operatingSystem: os };
  return node;
}

test('the cluster file: a node runs the OS its kubelet reports, else the one its kubernetes.io/os label says', () => {
  assert.deepEqual(aks.nodes.map((n) => [n.name, n.os]), [...LINUX.map((n) => [n, 'linux']), ...WINDOWS.map((n) => [n, 'windows'])]);
  const c = cluster(osNode('reported', 'windows', undefined), osNode('labelled', undefined, 'windows'), osNode('lying-label', 'linux', 'windows'), newNode('bare'));
  assert.deepEqual(c.nodes.map((n) => n.os), ['windows', 'windows', 'linux', undefined]);
  assert.deepEqual(c.findings, []);
});

test('rejectPodAdmissionBasedOnOSSelector reads the pod\'s own label, rejectPodAdmissionBasedOnOSField its os.name', () => {
  assert.equal(rejectPodAdmissionBasedOnOSSelector(undefined, 'linux'), false);
  assert.equal(rejectPodAdmissionBasedOnOSSelector('linux', 'linux'), false);
  assert.equal(rejectPodAdmissionBasedOnOSSelector('windows', 'linux'), true);
  assert.equal(rejectPodAdmissionBasedOnOSField(undefined, 'windows'), false);
  assert.equal(rejectPodAdmissionBasedOnOSField('windows', 'windows'), false);
  assert.equal(rejectPodAdmissionBasedOnOSField('windows', 'linux'), true);
});

test('a Windows DaemonSet without a nodeSelector: created and bound on the Linux nodes, then rejected by their kubelets', () => {
  const text = read('pod-os/kube-proxy-windows.yaml');
  const p = placeDaemonSet(dsFromYaml(text), aks);
  // The controller does not read os.name: every node should run a pod.
  assert.equal(p.desiredNumberScheduled, 5);
  assert.equal(p.sync.creates, 5);
  for (const name of LINUX) {
    const v = p.nodes.find((n) => n.node === name)!;
    assert.deepEqual([v.shouldRun, v.schedulable, v.admitted, v.create], [true, true, false, 1], name);
    assert.deepEqual(v.reasons.map((r) => [r.code, r.message, r.kubeletReason]), [['pod-os-not-supported', 'os.name `windows` does not match the node\'s OS `linux`', 'PodOSNotSupported']]);
    // The reason points at the `os` key of the template.
    assert.equal(text.slice(v.reasons[0].span!.start, v.reasons[0].span!.end), 'os');
    assert.equal(verdictOf(v), 'rejected');
  }
  for (const name of WINDOWS) {
    const v = p.nodes.find((n) => n.node === name)!;
    assert.deepEqual([v.shouldRun, v.schedulable, v.admitted, v.reasons], [true, true, true, []], name);
    assert.equal(verdictOf(v), 'runs');
  }
  const counts = countVerdicts(p.desiredNumberScheduled, p.nodes);
  assert.deepEqual(counts, { nodes: 5, desired: 5, runs: 2, pending: 0, rejected: 3, excluded: 0, blockedByTaints: 0 });
  assert.equal(placementLine(counts), 'runs on 2 of 5 nodes · 3 rejected by the kubelet');
});

test('with nodeSelector kubernetes.io/os: windows the controller keeps off the Linux nodes: nothing to reject', () => {
  const text = read('pod-os/kube-proxy-windows.yaml').replace('      serviceAccountName: kube-proxy\n', '      serviceAccountName: kube-proxy\n      nodeSelector:\n        kubernetes.io/os: windows\n');
  const p = placeDaemonSet(dsFromYaml(text), aks);
  assert.equal(p.desiredNumberScheduled, 2);
  assert.deepEqual(p.nodes.map((n) => verdictOf(n)), ['excluded', 'excluded', 'excluded', 'runs', 'runs']);
  assert.deepEqual(p.nodes[0].reasons.map((r) => r.code), ['node-selector-mismatch']);
  assert.deepEqual(p.nodes.map((n) => n.admitted), [null, null, null, true, true]);
});

test('a Linux DaemonSet (os.name: linux) whose nodeSelector picks only the architecture is rejected on the Windows nodes', () => {
  const p = placeDaemonSet(dsFromYaml(read('pod-os/node-exporter-linux.yaml')), aks);
  assert.deepEqual(p.nodes.filter((n) => n.admitted === false).map((n) => n.node), WINDOWS);
  assert.equal(p.nodes.find((n) => n.node === WINDOWS[0])!.reasons[0].message, 'os.name `linux` does not match the node\'s OS `windows`');
  assert.deepEqual(p.nodes.filter((n) => verdictOf(n) === 'runs').map((n) => n.node), LINUX);
});

test('without os.name nothing changes: the pods run on every OS the selection allows', () => {
  const ds = dsObject(newDaemonSet('agent'));
  const p = placeDaemonSet(ds, aks);
  assert.deepEqual(p.nodes.map((n) => [verdictOf(n), n.admitted]), aks.nodes.map(() => ['runs', true]));
});

test('labels that lie: the controller trusts the label, the kubelet its own OS', () => {
  const c = cluster(osNode('win-ok', 'windows'), osNode('relabelled', 'linux', 'windows'), osNode('hand-written', undefined, 'windows'), newNode('unknown'));
  const ds = dsObject(newDaemonSet('win', { os: { name: 'windows' }, nodeSelector: { 'kubernetes.io/os': 'windows' } }));
  const p = placeDaemonSet(ds, c);
  // relabelled carries kubernetes.io/os=windows, so the controller creates a pod there...
  assert.deepEqual(nodeShouldRunDaemonPod(c.nodes[1], ds), { shouldRun: true, shouldContinueRunning: true });
  // ...and its kubelet, which runs linux, rejects it.
  assert.deepEqual(p.nodes.map((n) => [n.node, verdictOf(n)]), [['win-ok', 'runs'], ['relabelled', 'rejected'], ['hand-written', 'runs'], ['unknown', 'excluded']]);
  // A node whose OS the file does not say is not judged.
  const anyNode = placeDaemonSet(dsObject(newDaemonSet('win2', { os: { name: 'windows' } })), c);
  assert.equal(verdictOf(anyNode.nodes[3]), 'runs');
});

test('the template\'s own kubernetes.io/os label is checked first (PodOSSelectorNodeLabelDoesNotMatch), then os.name', () => {
  const labels = { ...simpleDaemonSetLabel, 'kubernetes.io/os': 'windows' };
  const byLabel = newDaemonSet('labelled');
  const tpl = (byLabel.spec as Obj).template as Obj;
  tpl.metadata = { labels };
  (byLabel.spec as Obj).selector = { matchLabels: simpleDaemonSetLabel };
  const c = cluster(osNode('linux-1', 'linux'), osNode('win-1', 'windows'));
  const p = placeDaemonSet(dsObject(byLabel), c);
  assert.deepEqual(p.nodes[0].reasons.map((r) => [r.code, r.kubeletReason, r.message]), [['pod-os-label-mismatch', 'PodOSSelectorNodeLabelDoesNotMatch', 'pod label `kubernetes.io/os=windows` does not match the node\'s OS `linux`']]);
  assert.equal(verdictOf(p.nodes[1]), 'runs');
  // Both wrong: Admit returns at the first check.
  (tpl.spec as Obj).os = { name: 'windows' };
  const both = placeDaemonSet(dsObject(byLabel), c);
  assert.deepEqual(both.nodes[0].reasons.map((r) => r.kubeletReason), ['PodOSSelectorNodeLabelDoesNotMatch']);
});

test('a pod the scheduler cannot place never reaches the kubelet: Pending, not rejected', () => {
  const c = cluster(osNode('small-linux', 'linux', 'linux', { allocatable: { cpu: '1', memory: '1Gi', pods: '10' } }));
  const ds = dsObject(newDaemonSet('big-win', { os: { name: 'windows' }, containers: [{ name: 'a', image: 'a', resources: { requests: { cpu: '2' } } }] }));
  const v = placeDaemonSet(ds, c).nodes[0];
  assert.deepEqual([verdictOf(v), v.schedulable, v.admitted], ['pending', false, null]);
  assert.deepEqual(v.reasons.map((r) => r.code), ['insufficient-resource']);
});

test('a pod the kubelet rejected is Failed: the next sync deletes it, and creates it again the sync after', () => {
  const ds = newDaemonSet('win', { os: { name: 'windows' } });
  const failed = newPod('win-x7k2p', 'linux-1', simpleDaemonSetLabel, ds, { status: { phase: 'Failed', reason: 'PodOSNotSupported', message: 'Pod was rejected: Failed to admit pod as the OS field doesn\'t match node OS' } });
  const v = placeDaemonSet(dsObject(ds), cluster(osNode('linux-1', 'linux'), failed)).nodes[0];
  assert.deepEqual([verdictOf(v), v.create, v.delete], ['rejected', 0, ['win-x7k2p']]);
});

test('the code lens, the pod view and the CLI say the pods are rejected by the kubelet', () => {
  const text = read('pod-os/kube-proxy-windows.yaml');
  const model = parseDocument('file:///w/kube-proxy-windows.yaml', text, 1);
  const doc = TextDocument.create(model.uri, 'yaml', 1, text);
  const lenses = codeLenses(model, doc, aks, {}, (ds, c) => placeDaemonSet(ds, c));
  assert.deepEqual(lenses.map((l) => l.command!.title), ['runs on 2 of 5 nodes · 3 rejected by the kubelet']);

  const ds = model.daemonSets[0];
  const placement = placeDaemonSet(ds, aks);
  const pod = podForNodeYaml(ds, LINUX[0], aks, placement);
  assert.equal(pod.note, 'The pod would be created and bound to the node, then rejected by the kubelet: os.name `windows` does not match the node\'s OS `linux` (PodOSNotSupported). The controller deletes the failed pod and creates it again, with back-off.');
  assert.equal(podForNodeYaml(ds, WINDOWS[0], aks, placement).note, undefined);

  const json = toPlaceJson([{ file: 'kube-proxy-windows.yaml', placement }]);
  const node = json.daemonSets[0].nodes[0];
  assert.deepEqual([node.shouldRun, node.schedulable, node.admitted, node.reasons], [true, true, false, [{ code: 'pod-os-not-supported', message: 'os.name `windows` does not match the node\'s OS `linux`' }]]);
  assert.equal(json.daemonSets[0].nodes[3].admitted, true);
  const lines = toPlaceText([{ file: 'kube-proxy-windows.yaml', placement }]).split('\n');
  assert.equal(lines[0], 'DaemonSet kube-system/kube-proxy-windows (kube-proxy-windows.yaml): runs on 2 of 5 nodes · 3 rejected by the kubelet; next sync creates 5, deletes 0; rolling update maxUnavailable 1, maxSurge 0');
  assert.match(lines[2], /^ {2}aks-system-28461937-vmss000000 +created, rejected +create +os\.name `windows` does not match the node's OS `linux` \(kubelet: PodOSNotSupported\)$/);
  assert.match(lines[5], /^ {2}akswin22000000 +runs +create$/);
});

test('the preview: the Linux nodes are "Rejected by the kubelet", counted apart from runs, pending and excluded', () => {
  const text = read('pod-os/kube-proxy-windows.yaml');
  const model = parseDocument('file:///w/kube-proxy-windows.yaml', text, 1);
  const doc = TextDocument.create(model.uri, 'yaml', 1, text);
  const clusterText = read('clusters/aks-mixed.yaml');
  const clusterDoc = TextDocument.create('file:///w/aks-mixed.yaml', 'yaml', 0, clusterText);
  const result = buildPlacementResult({
    model, doc, featureGates: {},
    cluster: { info: { uri: clusterDoc.uri, source: 'setting', nodeCount: aks.nodes.length, podCount: 0, problems: 0 }, model: aks, doc: clusterDoc },
  });
  // The wire verdict keeps the kubelet's verdict and reason; the reason links to the `os` key.
  const wire = result.daemonSets[0].placement!.nodes[0];
  assert.equal(wire.admitted, false);
  assert.equal(wire.reasons[0].kubeletReason, 'PodOSNotSupported');
  assert.deepEqual(wire.reasons[0].range, { start: { line: 19, character: 6 }, end: { line: 19, character: 8 } });
  const m = buildPreviewModel(result);
  assert.deepEqual(m.summaries[0].counts, { nodes: 5, desired: 5, runs: 2, pending: 0, rejected: 3, excluded: 0, blockedByTaints: 0 });
  assert.equal(m.summaries[0].text, 'runs on 2 of 5 nodes · 3 rejected by the kubelet');
  const rows = m.active!.groups.flatMap((g) => g.nodes);
  const linux = rows.find((r) => r.name === LINUX[0])!;
  assert.equal(linux.verdict, 'rejected');
  assert.equal(linux.headline, 'Rejected by the kubelet: os.name `windows` does not match the node\'s OS `linux`');
  assert.match(linux.notes.join('\n'), /the kubelet refuses to run it \(PodOSNotSupported\): the pod fails, and the controller deletes it and creates it again/);
  assert.equal(rows.find((r) => r.name === WINDOWS[0])!.verdict, 'runs');
  assert.deepEqual(m.active!.groups.map((g) => g.counts), [{ runs: 2, pending: 0, rejected: 3, excluded: 0 }]);
});
