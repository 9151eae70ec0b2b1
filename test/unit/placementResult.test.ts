import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse } from 'yaml';
import { parseCluster } from '../../server/src/engine/cluster';
import { parseDocument } from '../../server/src/engine/model';
import { codeLenses } from '../../server/src/handlers/codeLens';
import { buildPlacementResult, podForNodeYaml, taintRules } from '../../server/src/handlers/placement';
import { placeDaemonSet } from '../../server/src/engine/placement';
import { buildPreviewModel } from '../../client/src/preview/viewModel';
import { WELL_KNOWN_TAINTS } from '../../server/src/engine/taints';

/** Every (key, effect) of the catalogue; the six automatic tolerations cover six of them. */
const KNOWN = WELL_KNOWN_TAINTS.reduce((n, t) => n + t.effects.length, 0);

const MANIFEST = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-agent
  namespace: logging
spec:
  selector:
    matchLabels: {app: log-agent}
  template:
    metadata:
      labels: {app: log-agent}
    spec:
      tolerations:
      - key: dedicated
        operator: Equal
        value: gpu
        effect: NoSchedule
      containers:
      - name: agent
        image: fluent/fluent-bit:3.0
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: cni
  namespace: kube-system
spec:
  selector:
    matchLabels: {app: cni}
  template:
    metadata:
      labels: {app: cni}
    spec:
      hostNetwork: true
      tolerations:
      - operator: Exists
      containers:
      - name: cni
        image: cni:1
`;

const CLUSTER = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata:
    name: cp-1
    labels: {node-role.kubernetes.io/control-plane: ""}
  spec:
    taints:
    - {key: node-role.kubernetes.io/control-plane, effect: NoSchedule}
- apiVersion: v1
  kind: Node
  metadata:
    name: gpu-1
    labels: {pool: gpu}
  spec:
    taints:
    - {key: dedicated, value: gpu, effect: NoSchedule}
- apiVersion: v1
  kind: Node
  metadata:
    name: worker-1
    labels: {pool: general}
`;

function setup(manifest = MANIFEST, withCluster = true) {
  const model = parseDocument('file:///w/agent.yaml', manifest, 1);
  const doc = TextDocument.create('file:///w/agent.yaml', 'yaml', 1, manifest);
  const clusterModel = parseCluster(parseDocument('file:///w/cluster.yaml', CLUSTER));
  const clusterDoc = TextDocument.create('file:///w/cluster.yaml', 'yaml', 0, CLUSTER);
  const cluster = withCluster
    ? { info: { uri: 'file:///w/cluster.yaml', source: 'discovered' as const, nodeCount: clusterModel.nodes.length, podCount: 0, problems: 0 }, model: clusterModel, doc: clusterDoc }
    : undefined;
  return { model, doc, cluster, clusterModel };
}

describe('daemonset/placement result', () => {
  it('an extensions/v1beta1 DaemonSet without updateStrategy is OnDelete, as that API defaulted it', () => {
    const legacy = MANIFEST.split('---')[0].replace('apiVersion: apps/v1', 'apiVersion: extensions/v1beta1');
    const { model, doc, cluster } = setup(legacy);
    const r = buildPlacementResult({ model, doc, cluster, featureGates: {} });
    assert.equal(r.daemonSets[0].placement!.strategy, 'OnDelete');
    assert.deepEqual(r.daemonSets[0].placement!.rollingUpdate, { maxUnavailable: 0, maxSurge: 0 });
  });

  it('places every DaemonSet of the file over the cluster, with ranges for links', () => {
    const { model, doc, cluster } = setup();
    const r = buildPlacementResult({ model, doc, cluster, featureGates: {} });
    assert.equal(r.daemonSets.length, 2);
    assert.deepEqual(r.nodes.map((n) => n.name), ['cp-1', 'gpu-1', 'worker-1']);
    // The node links point at metadata.name in the cluster file.
    assert.deepEqual(r.nodes[0].location, { uri: 'file:///w/cluster.yaml', range: { start: { line: 6, character: 10 }, end: { line: 6, character: 14 } } });
    const agent = r.daemonSets[0];
    assert.equal(agent.name, 'log-agent');
    assert.equal(agent.namespace, 'logging');
    assert.deepEqual(agent.nameRange.start, { line: 3, character: 8 });
    const verdicts = Object.fromEntries(agent.placement!.nodes.map((v) => [v.node, v.shouldRun]));
    assert.deepEqual(verdicts, { 'cp-1': false, 'gpu-1': true, 'worker-1': true });
    const cp = agent.placement!.nodes.find((v) => v.node === 'cp-1')!;
    assert.equal(cp.reasons[0].code, 'untolerated-taint');
    assert.ok(cp.reasons[0].range, 'the reason links to the manifest');
    assert.ok(!('span' in cp.reasons[0]), 'offset spans do not leak to the client');
    assert.equal(agent.placement!.strategy, 'RollingUpdate');
    const cni = r.daemonSets[1];
    assert.equal(cni.placement!.desiredNumberScheduled, 3);
  });

  it('says when the controller ignores a DaemonSet, and the preview then shows no node running it', () => {
    const deleting = MANIFEST.split('---')[0].replace('  namespace: logging\n', '  namespace: logging\n  deletionTimestamp: "2026-01-01T00:00:00Z"\n');
    const { model, doc, cluster } = setup(deleting);
    const r = buildPlacementResult({ model, doc, cluster, featureGates: {} });
    assert.equal(r.daemonSets[0].placement!.ignored, 'deleting');
    const m = buildPreviewModel(r);
    assert.equal(m.summaries[0].counts!.runs, 0);
    assert.ok(m.active!.groups.flatMap((g) => g.nodes).every((n) => n.verdict === 'excluded'));
    assert.equal(buildPlacementResult({ ...setup(), featureGates: {} }).daemonSets[0].placement!.ignored, undefined);
  });

  it('tags tolerations as the manifest\'s or the controller\'s, in the controller\'s order', () => {
    const { model, doc, cluster } = setup();
    const r = buildPlacementResult({ model, doc, cluster, featureGates: {} });
    const agent = r.daemonSets[0];
    assert.deepEqual(agent.tolerations.map((t) => [t.source, t.toleration.key ?? '']), [
      ['manifest', 'dedicated'],
      ['automatic', 'node.kubernetes.io/not-ready'],
      ['automatic', 'node.kubernetes.io/unreachable'],
      ['automatic', 'node.kubernetes.io/disk-pressure'],
      ['automatic', 'node.kubernetes.io/memory-pressure'],
      ['automatic', 'node.kubernetes.io/pid-pressure'],
      ['automatic', 'node.kubernetes.io/unschedulable'],
    ]);
    assert.deepEqual(agent.tolerations[0].range!.start, { line: 13, character: 8 });
    // hostNetwork adds network-unavailable.
    const cni = r.daemonSets[1];
    assert.equal(cni.tolerations.at(-1)!.toleration.key, 'node.kubernetes.io/network-unavailable');
    assert.equal(cni.tolerations.at(-1)!.why, 'hostNetwork: true');
  });

  it('lists the rules: well-known taints and the cluster\'s, with the toleration that covers each', () => {
    const { model, doc, cluster } = setup();
    const agent = buildPlacementResult({ model, doc, cluster, featureGates: {} }).daemonSets[0];
    const byText = new Map(agent.rules.map((r) => [`${r.taint.key}${r.taint.value ? `=${r.taint.value}` : ''}:${r.taint.effect}`, r]));
    assert.equal(byText.get('node-role.kubernetes.io/control-plane:NoSchedule')!.toleratedBy, undefined);
    assert.deepEqual(byText.get('node-role.kubernetes.io/control-plane:NoSchedule')!.nodes, ['cp-1']);
    assert.equal(byText.get('dedicated=gpu:NoSchedule')!.toleratedBy, 0);
    assert.equal(byText.get('dedicated=gpu:NoSchedule')!.wellKnown, false);
    assert.equal(agent.tolerations[byText.get('node.kubernetes.io/unschedulable:NoSchedule')!.toleratedBy!].source, 'automatic');
    assert.equal(byText.get('node.kubernetes.io/not-ready:NoSchedule')!.toleratedBy, undefined, 'only the NoExecute variant is automatic');
    assert.ok(agent.rules[0].nodes.length > 0, 'taints present in the cluster come first');
  });

  it('describes a node autoscaler\'s taint on a node of the cluster file, as hover does', () => {
    const nodes = 'apiVersion: v1\nkind: Node\nmetadata: {name: spot-1}\nspec:\n  taints:\n  - {key: karpenter.sh/disrupted, effect: NoSchedule}\n';
    const rules = taintRules([], parseCluster(parseDocument('file:///w/cluster.yaml', nodes)), false);
    const r = rules.find((x) => x.taint.key === 'karpenter.sh/disrupted')!;
    assert.deepEqual(r.nodes, ['spot-1']);
    assert.equal(r.wellKnown, false);
    assert.match(r.description ?? '', /Karpenter is disrupting the node/);
    assert.ok(r.docs);
  });

  it('picks the DaemonSet under the cursor', () => {
    const { model, doc, cluster } = setup();
    const at = (line: number) => doc.offsetAt({ line, character: 2 });
    assert.equal(buildPlacementResult({ model, doc, cluster, featureGates: {}, offset: at(2) }).activeIndex, 0);
    assert.equal(buildPlacementResult({ model, doc, cluster, featureGates: {}, offset: at(30) }).activeIndex, 1);
    assert.equal(buildPlacementResult({ model, doc, cluster, featureGates: {} }).activeIndex, 0);
  });

  it('without a cluster file still answers with the rules and no placement', () => {
    const { model, doc } = setup(MANIFEST, false);
    const r = buildPlacementResult({ model, doc, featureGates: {} });
    assert.equal(r.cluster, undefined);
    assert.equal(r.daemonSets[0].placement, undefined);
    assert.equal(buildPreviewModel(r).summaries[1].text, `tolerates ${KNOWN} of ${KNOWN} well-known taints`);
    assert.match(buildPreviewModel(r).summaries[0].text, new RegExp(`^tolerates 6 of ${KNOWN} well-known taints$`));
  });

  it('counts pod-level requests where the target version serves them (PodLevelResources)', () => {
    const sized = MANIFEST.split('---')[0]
      .replace('      containers:\n', '      resources: {requests: {cpu: "2"}}\n      containers:\n')
      .replace('        image: fluent/fluent-bit:3.0\n', '        image: fluent/fluent-bit:3.0\n        resources: {requests: {cpu: 100m}}\n');
    const { model, doc } = setup(sized);
    const clusterText = CLUSTER.replace('    labels: {pool: general}\n', '    labels: {pool: general}\n  status: {allocatable: {cpu: "1", pods: "110"}}\n');
    const clusterModel = parseCluster(parseDocument('file:///w/cluster.yaml', clusterText));
    const cluster = { info: { uri: 'file:///w/cluster.yaml', source: 'discovered' as const, nodeCount: 3, podCount: 0, problems: 0 }, model: clusterModel, doc: TextDocument.create('file:///w/cluster.yaml', 'yaml', 0, clusterText) };
    const worker = (kubernetesMinor?: number) => buildPlacementResult({ model, doc, cluster, featureGates: {}, kubernetesMinor }).daemonSets[0].placement!.nodes.find((n) => n.node === 'worker-1')!;
    assert.equal(worker().schedulable, false);
    assert.equal(worker(34).schedulable, false);
    assert.equal(worker(33).schedulable, true);
  });

  it('never throws on odd input: binary files, no DaemonSet, broken YAML', () => {
    for (const text of ['\u0000\u0001', 'kind: ConfigMap\n', 'kind: DaemonSet\nspec: [\n', 'kind: DaemonSet\nspec:\n  template:\n    spec:\n      tolerations: 7\n']) {
      const { model, doc, cluster } = setup(text);
      const r = buildPlacementResult({ model, doc, cluster, featureGates: {} });
      assert.ok(Array.isArray(r.daemonSets));
    }
    const { model, doc, cluster } = setup('\u0000');
    assert.match(buildPlacementResult({ model, doc, cluster, featureGates: {} }).problem ?? '', /binary/);
  });
});

describe('code lens', () => {
  it('says where each DaemonSet runs, above its kind line, opening the preview', () => {
    const { model, doc, clusterModel } = setup();
    const lenses = codeLenses(model, doc, clusterModel, {}, (ds, c) => placeDaemonSet(ds, c));
    assert.deepEqual(lenses.map((l) => l.command!.title), ['runs on 2 of 3 nodes · 1 blocked by taints', 'runs on 3 of 3 nodes']);
    assert.deepEqual(lenses[0].range.start, { line: 1, character: 0 });
    assert.deepEqual(lenses[1].command!.arguments, ['file:///w/agent.yaml', 1]);
    assert.equal(lenses[0].command!.command, 'daemonsetLens.openPreviewToSide');
  });

  it('without a cluster file counts the well-known taints tolerated', () => {
    const { model, doc } = setup(MANIFEST, false);
    const lenses = codeLenses(model, doc, undefined, {}, () => undefined);
    assert.deepEqual(lenses.map((l) => l.command!.title), [`tolerates 6 of ${KNOWN} well-known taints`, `tolerates ${KNOWN} of ${KNOWN} well-known taints`]);
  });
});

describe('daemonset/podForNode', () => {
  it('shows the pod with the injected node affinity and the automatic tolerations', () => {
    const { model, clusterModel } = setup();
    const ds = model.daemonSets[0];
    const r = podForNodeYaml(ds, 'worker-1', clusterModel, placeDaemonSet(ds, clusterModel));
    assert.equal(r.note, undefined);
    const pod = parse(r.yaml) as { kind: string; metadata: { generateName: string; namespace: string }; spec: { affinity: unknown; tolerations: Array<{ key?: string }> } };
    assert.equal(pod.kind, 'Pod');
    assert.equal(pod.metadata.generateName, 'log-agent-');
    assert.equal(pod.metadata.namespace, 'logging');
    assert.deepEqual(pod.spec.affinity, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-1'] }] }] } } });
    assert.deepEqual(pod.spec.tolerations.map((t) => t.key), ['dedicated', 'node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/unschedulable']);
    assert.match(r.yaml, /^# The pod the DaemonSet controller would create for logging\/log-agent on node worker-1/);
  });

  it('labels the pod as the controller labels that of a newly created DaemonSet, and says what it cannot compute', () => {
    const { model, clusterModel } = setup();
    const ds = model.daemonSets[0];
    const r = podForNodeYaml(ds, 'worker-1', clusterModel, placeDaemonSet(ds, clusterModel));
    const pod = parse(r.yaml) as { metadata: { labels: Record<string, string> } };
    // PrepareForCreate stores template generation 1; syncNodes copies it into the label.
    assert.deepEqual(pod.metadata.labels, { app: 'log-agent', 'pod-template-generation': '1' });
    // The header no longer claims a controller-revision-hash label the pod does not carry.
    assert.match(r.yaml, /^# controller-revision-hash \(the hash of its current ControllerRevision, not computed here\)/m);
  });

  it('says when the controller would not create it', () => {
    const { model, clusterModel } = setup();
    const ds = model.daemonSets[0];
    const r = podForNodeYaml(ds, 'cp-1', clusterModel, placeDaemonSet(ds, clusterModel));
    assert.match(r.note!, /^The controller would NOT create this pod: .*control-plane/);
    assert.match(r.yaml, /# The controller would NOT create this pod/);
    assert.match(podForNodeYaml(ds, 'nope', clusterModel, undefined).note!, /no node named nope/);
  });
});
