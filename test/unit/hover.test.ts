import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from '../../server/src/engine/model';
import { parseCluster } from '../../server/src/engine/cluster';
import { hoverAt, preparedHovers, prepareHovers, type HoverContext } from '../../server/src/engine/hover';
import { indexObject } from '../../server/src/engine/nodeAt';

const CLUSTER = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata:
    name: cp-1
    labels: {kubernetes.io/os: linux, node-role.kubernetes.io/control-plane: ""}
  spec:
    taints:
    - key: node-role.kubernetes.io/control-plane
      effect: NoSchedule
- apiVersion: v1
  kind: Node
  metadata:
    name: w-1
    labels: {kubernetes.io/os: linux, disktype: ssd}
- apiVersion: v1
  kind: Node
  metadata:
    name: w-2
    labels: {kubernetes.io/os: windows, disktype: hdd}
    `;
const FIXTURES = join(__dirname, '../fixtures');
const cluster = parseCluster(parseDocument('file:///nodes.yaml', CLUSTER));

/** Hover at the `|` marker. */
function hover(textWithCursor: string, ctx: HoverContext = {}) {
  const offset = textWithCursor.indexOf('|');
  assert.ok(offset >= 0, 'missing | marker');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const r = hoverAt(parseDocument('file:///ds.yaml', text), offset, ctx);
  return r && { ...r, hovered: text.slice(r.span.start, r.span.end) };
}

function ds(podSpec: string): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
${podSpec.replace(/^/gm, '      ').trimEnd()}
`;
}

test('toleration key: catalogue text, default toleration, docs link, nodes carrying it', () => {
  const text = ds('containers: [{name: a, image: nginx}]\ntolerations:\n- key: node-role.kubernetes.io/contr|ol-plane\n  operator: Exists\n  effect: NoSchedule');
  const h = hover(text)!;
  assert.equal(h.hovered, 'node-role.kubernetes.io/control-plane');
  assert.match(h.markdown, /well-known taint/);
  assert.match(h.markdown, /kubeadm/);
  assert.match(h.markdown, /does \*\*not\*\* tolerate it by default/);
  assert.match(h.markdown, /https:\/\/kubernetes\.io\/docs\/reference\/labels-annotations-taints\/#node-role-kubernetes-io-control-plane-taint/);
  assert.doesNotMatch(h.markdown, /cluster file/);
  const hc = hover(text, { cluster })!;
  assert.match(hc.markdown, /1 of 3 nodes carry `node-role\.kubernetes\.io\/control-plane:NoSchedule`: `cp-1`/);
  assert.match(hc.markdown, /it tolerates `node-role\.kubernetes\.io\/control-plane:NoSchedule` on `cp-1`/);
});

test('toleration key no node carries: said once, and the docs link closes the hover', () => {
  const text = ds('containers: []\ntolerations:\n- key: dedi|cated\n  operator: Equal\n  value: logging\n  effect: NoSchedule');
  const h = hover(text, { cluster })!;
  assert.equal(h.markdown.match(/\*In the cluster file:\*/g)?.length, 1);
  assert.match(h.markdown, /no node carries this taint \(3 nodes\)/);
  assert.doesNotMatch(h.markdown, /matches no taint/);
  assert.match(h.markdown, /Tolerates taints with `dedicated`, value `logging`, effect NoSchedule\.\n\n\[Taints and tolerations\]\([^)]+\)$/);
  // Carried but not matched (another value): both paragraphs, each with its own news.
  const carried = parseCluster(parseDocument('file:///n.yaml', CLUSTER.replace('key: node-role.kubernetes.io/control-plane', 'key: dedicated\n      value: gpu')));
  const other = hover(text, { cluster: carried })!;
  assert.match(other.markdown, /1 of 3 nodes carry `dedicated=gpu:NoSchedule`: `cp-1`/);
  assert.match(other.markdown, /it matches no taint of the 3 nodes/);
  assert.match(other.markdown, /\[Taints and tolerations\]\([^)]+\)$/);
});

test('a one-node cluster file is counted in the singular', () => {
  const one = parseCluster(parseDocument('file:///one.yaml', 'kind: Node\napiVersion: v1\nmetadata: {name: kind-control-plane}\n'));
  const h = hover(ds('containers: []\ntolerations:\n- key: dedi|cated\n  operator: Equal\n  value: logging\n  effect: NoSchedule'), { cluster: one })!;
  assert.match(h.markdown, /no node carries this taint \(1 node\)/);
  const t = hover(ds('containers: []\ntoler|ations:\n- {key: dedicated, operator: Exists}'), { cluster: one })!;
  assert.match(t.markdown, /every NoSchedule\/NoExecute taint of the 1 node is tolerated/);
});

test('toleration key on the key itself and for default-tolerated taints', () => {
  const h = hover(ds('containers: []\ntolerations:\n- k|ey: node.kubernetes.io/not-ready\n  operator: Exists\n  effect: NoSchedule'))!;
  assert.equal(h.hovered, 'key');
  assert.match(h.markdown, /tolerates `node\.kubernetes\.io\/not-ready:NoExecute` by default/);
  assert.match(h.markdown, /\*\*not\*\* `NoSchedule`/);
  const n = hover(ds('containers: []\ntolerations:\n- {key: node.kubernetes.io/network-unavail|able, operator: Exists}'))!;
  assert.match(n.markdown, /only to `hostNetwork: true` pods/);
});

test('effect and operator values', () => {
  const e = hover(ds('containers: []\ntolerations:\n- {key: a, operator: Exists, effect: NoEx|ecute}'))!;
  assert.equal(e.hovered, 'NoExecute');
  assert.match(e.markdown, /taint effect/);
  assert.match(e.markdown, /evicted/);
  const o = hover(ds('containers: []\ntolerations:\n- {key: a, operator: Exi|sts}'))!;
  assert.match(o.markdown, /toleration operator/);
  assert.match(o.markdown, /whatever its value/);
  const bad = hover(ds('containers: []\ntolerations:\n- {key: a, operator: Exists, effect: NoSchedul|e2}'))!;
  assert.match(bad.markdown, /is not a taint effect/);
  // An empty effect or operator is no value: every effect, and Equal.
  for (const written of ['effect: |', 'effect: |""', 'effect: |~']) {
    const empty = hover(ds(`containers: []\ntolerations:\n- key: a\n  operator: Exists\n  ${written}\n`))!;
    assert.doesNotMatch(empty.markdown, /is not a taint effect/, written);
    assert.match(empty.markdown, /^\*\*`effect`\*\* is empty: the toleration matches every effect/, written);
  }
  const noKey = hover(ds('containers: []\ntolerations:\n- {key: |, effect: NoSchedule}'))!;
  assert.match(noKey.markdown, /^\*\*\(no key\)\*\* — a toleration without a key must have `operator: Exists`/);
  assert.match(hover(ds('containers: []\ntolerations:\n- {key: |, operator: Exists}'))!.markdown, /^\*\*\(no key\)\*\* — with `operator: Exists`, this toleration matches/);
  const noOp = hover(ds('containers: []\ntolerations:\n- {key: a, value: b, operator: |""}'))!;
  assert.match(noOp.markdown, /^\*\*`operator`\*\* is empty: it means `Equal`/);
});

test('hostNetwork explains the network-unavailable toleration', () => {
  const h = hover(ds('hostNet|work: true\ncontainers: []'))!;
  assert.equal(h.hovered, 'hostNetwork');
  assert.match(h.markdown, /node\.kubernetes\.io\/network-unavailable:NoSchedule/);
  assert.match(h.markdown, /AddOrUpdateDaemonPodTolerations/);
});

test('os and os.name: checked by the API server and the kubelet, not used for scheduling', () => {
  const h = hover(ds('os:\n  name: win|dows\ncontainers: []'), { cluster })!;
  assert.equal(h.hovered, 'windows');
  assert.match(h.markdown, /^\*\*`os\.name`\*\*: `windows` — the operating system of the pod's containers/);
  assert.match(h.markdown, /validateWindows/);
  assert.match(h.markdown, /rejects the pod on a node of another OS \(`PodOSNotSupported`\)/);
  assert.match(h.markdown, /\*\*It does not steer scheduling:\*\* neither the DaemonSet controller nor the scheduler reads it/);
  assert.match(h.markdown, /nodeSelector and required node affinity do \*\*not\*\* keep its pods off linux nodes/);
  assert.match(h.markdown, /\*In the cluster file:\* 1 of 3 nodes runs windows: `w-2`; 2 run another OS: `cp-1`, `w-1`\./);
  assert.match(h.markdown, /\[Pod OS\]\(https:\/\/kubernetes\.io\/docs\/concepts\/workloads\/pods\/#pod-os\)$/);
  // On the keys too, and with a nodeSelector that keeps the pods on Windows nodes.
  const k = hover(ds('o|s:\n  name: windows\nnodeSelector: {kubernetes.io/os: windows}\ncontainers: []'))!;
  assert.equal(k.hovered, 'os');
  assert.match(k.markdown, /nodeSelector or required node affinity keeps its pods on windows nodes/);
  assert.equal(hover(ds('os: {na|me: linux}\ncontainers: []'))!.hovered, 'name');
  // A name the API server rejects.
  assert.match(hover(ds('os:\n  name: Win|dows\ncontainers: []'))!.markdown, /`Windows` is not an OS the API server accepts: use `linux` or `windows`\./);
});

test('nodeSelector label: catalogue and matching nodes', () => {
  const h = hover(ds('nodeSelector:\n  kubernetes.io/o|s: linux\ncontainers: []'), { cluster })!;
  assert.equal(h.hovered, 'kubernetes.io/os');
  assert.match(h.markdown, /well-known node label/);
  assert.match(h.markdown, /2 of 3 nodes match: `cp-1`, `w-1`/);
  assert.match(h.markdown, /`linux` \(2\), `windows` \(1\)/);
  assert.match(h.markdown, /#kubernetes-io-os/);
  const v = hover(ds('nodeSelector:\n  disktype: s|sd\ncontainers: []'), { cluster })!;
  assert.match(v.markdown, /1 of 3 nodes match: `w-1`/);
});

test('node affinity expression: nodes that match it', () => {
  const text = ds(`affinity:
  nodeAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      nodeSelectorTerms:
      - matchExpressions:
        - key: disk|type
          operator: In
          values: [ssd, nvme]
containers: []`);
  const h = hover(text, { cluster })!;
  assert.match(h.markdown, /`disktype In \[ssd, nvme\]` matches 1 of 3 nodes: `w-1`/);
});

test('cluster file: taints and labels of nodes', () => {
  const at = CLUSTER.indexOf('node-role.kubernetes.io/control-plane\n') + 5;
  const model = parseDocument('file:///nodes.yaml', CLUSTER);
  const h = hoverAt(model, at, { isClusterFile: true })!;
  assert.match(h.markdown, /well-known taint/);
  assert.match(h.markdown, /1 of 3 nodes carry/);
  const e = hoverAt(model, CLUSTER.indexOf('NoSchedule') + 2, { isClusterFile: true })!;
  assert.match(e.markdown, /taint effect/);
  const l = hoverAt(model, CLUSTER.indexOf('disktype') + 1, { isClusterFile: true })!;
  assert.match(l.markdown, /`ssd` \(1\), `hdd` \(1\)/);
});

test('nothing to say: other fields, outside objects, broken YAML', () => {
  assert.equal(hover(ds('containers: [{name: a, ima|ge: nginx}]')), undefined);
  assert.equal(hover('# just a comment |\n'), undefined);
  assert.equal(hover(']]: [|{'), undefined);
  // A broken flow collection is still read as far as it goes.
  assert.match(hover('kind: DaemonSet\nspec: {template: {spec: {tolerations: [{key: a|, effect: [}')?.markdown ?? '', /taint key/);
});

test('a document with a syntax error elsewhere still gets hovers', () => {
  const text = ds('containers: []\ntolerations:\n- key: node-role.kubernetes.io/contr|ol-plane\n  effect: NoSchedule\nnodeSelector: {a: [}');
  const h = hover(text)!;
  assert.ok(h, 'hover despite the broken nodeSelector');
  assert.match(h.markdown, /kubeadm/);
});

test('tolerations key: the defaults the controller adds and the taints still not tolerated', () => {
  const h = hover(ds('containers: []\ntolera|tions:\n- {key: dedicated, operator: Exists}'), { cluster })!;
  assert.equal(h.hovered, 'tolerations');
  assert.match(h.markdown, /`node\.kubernetes\.io\/not-ready:NoExecute` \(Exists\)/);
  assert.match(h.markdown, /`node\.kubernetes\.io\/unschedulable:NoSchedule`/);
  assert.doesNotMatch(h.markdown, /- `node\.kubernetes\.io\/network-unavailable/);
  assert.match(h.markdown, /not tolerated on `cp-1` \(node-role\.kubernetes\.io\/control-plane:NoSchedule\)/);
  const hn = hover(ds('hostNetwork: true\ncontainers: []\ntolera|tions: []'))!;
  assert.match(hn.markdown, /- `node\.kubernetes\.io\/network-unavailable:NoSchedule` \(Exists\)/);
});

test('toleration key: says when the controller already adds the toleration', () => {
  const same = hover(ds('containers: []\ntolerations:\n- {key: node.kubernetes.io/not-re|ady, operator: Exists, effect: NoExecute, tolerationSeconds: 30}'))!;
  assert.match(same.markdown, /already gets this toleration from the controller\*\*, which replaces yours and drops its `tolerationSeconds`/);
  const hn = hover(ds('hostNetwork: true\ncontainers: []\ntolerations:\n- {key: node.kubernetes.io/network-unava|ilable, operator: Exists, effect: NoSchedule}'))!;
  assert.match(hn.markdown, /already gets this toleration/);
  const not = hover(ds('containers: []\ntolerations:\n- {key: node.kubernetes.io/network-unava|ilable, operator: Exists, effect: NoSchedule}'))!;
  assert.doesNotMatch(not.markdown, /already/);
});

test('in a file of many documents, hover finds the document under the cursor (first, middle, last, and between)', () => {
  const one = (i: number) => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent-${i}
spec:
  template:
    spec:
      tolerations:
      - key: ${i % 2 ? 'node.kubernetes.io/not-ready' : 'node-role.kubernetes.io/control-plane'}
        operator: Exists
`;
  const docs = Array.from({ length: 300 }, (_, i) => one(i));
  const text = docs.join('---\n# between\n');
  const model = parseDocument('file:///many.yaml', text);
  for (const i of [0, 1, 150, 151, 299]) {
    const at = text.indexOf('- key: ', text.indexOf(`name: agent-${i}\n`)) + 9;
    const r = hoverAt(model, at, { cluster });
    const alone = hoverAt(parseDocument('file:///one.yaml', docs[i]), docs[i].indexOf('- key: ') + 9, { cluster });
    assert.ok(r && alone, `hover on document ${i}`);
    assert.equal(r.markdown, alone.markdown);
    assert.equal(text.slice(r.span.start, r.span.end), docs[i].slice(alone.span.start, alone.span.end));
  }
  // On the separator comment between two documents there is nothing to explain.
  assert.equal(hoverAt(model, text.indexOf('# between') + 3, { cluster }), undefined);
});

/**
 * Hovers computed ahead (prepareHovers, run by the server once a document's diagnostics are out)
 * answer what the hover computes on request, at every offset: for the context they were computed
 * for, and, when the context changes, by computing again.
 */
function assertPreparedEverywhere(name: string, text: string, contexts: HoverContext[]): number {
  const model = parseDocument(`file:///${name}`, text);
  const computed = contexts.map((ctx) => Array.from({ length: text.length + 1 }, (_, off) => hoverAt(model, off, ctx)));
  let answered = 0;
  for (const obj of model.objects) indexObject(obj);
  for (const [i, ctx] of contexts.entries()) {
    const shared = new Map<string, string>();
    for (const obj of model.objects) prepareHovers(model, obj, ctx, shared);
    // Asked in that context, then in the next one (each differs from the one before it in one input).
    for (const j of [i, (i + 1) % contexts.length]) {
      const other = contexts[j];
      for (let off = 0; off <= text.length; off++) {
        const want = computed[j][off];
        if (want && i === j) answered++;
        assert.deepEqual(hoverAt(model, off, other), want, `${name} at offset ${off}, prepared for context ${i}, asked in context ${j}`);
      }
    }
  }
  return answered;
}

test('hovers computed ahead answer what hovers computed on request answer, at every offset of the fixtures', () => {
  const gates = { TaintTolerationComparisonOperators: true };
  let answered = 0;
  for (const dir of ['corpus', 'invalid', 'lsp', 'clusters', 'pod-os']) {
    for (const f of readdirSync(join(FIXTURES, dir)).filter((n) => /\.(ya?ml|json)$/.test(n))) {
      const text = readFileSync(join(FIXTURES, dir, f), 'utf8');
      const own = parseCluster(parseDocument(`file:///${f}`, text));
      // Each context differs from another in one input only: the cluster, then the gates, then whether this is the cluster file.
      const contexts: HoverContext[] = [{ cluster, featureGates: gates }, { cluster: own, featureGates: gates }, { cluster: own }, { cluster: own, isClusterFile: true }, { isClusterFile: true }, {}];
      answered += assertPreparedEverywhere(`${dir}/${f}`, text, contexts);
    }
  }
  assert.ok(answered > 2_000, `only ${answered} offsets had a hover`);
});

test('hovers computed ahead follow the feature gates: Gt and Lt tolerations', () => {
  const nodes = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata: {name: gpu-1}\n  spec:\n    taints:\n    - {key: example.com/gpu-generation, value: "5", effect: NoSchedule}\n`;
  const ds = `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      tolerations:\n      - key: example.com/gpu-generation\n        operator: Gt\n        value: "3"\n        effect: NoSchedule\n      - key: example.com/gpu-generation\n        operator: Lt\n        value: "9"\n`;
  const gpu = parseCluster(parseDocument('file:///gpu.yaml', nodes));
  const on = { cluster: gpu, featureGates: { TaintTolerationComparisonOperators: true } };
  const off = { cluster: gpu, featureGates: {} };
  const model = parseDocument('file:///gt.yaml', ds);
  const at = ds.indexOf('Gt');
  assert.notDeepEqual(hoverAt(model, at, on)?.markdown, hoverAt(model, at, off)?.markdown, 'the gate changes this answer');
  // The gate exists from 1.35: at an older target the settings naming it change nothing.
  const older = { ...on, kubernetesMinor: 34 };
  assert.equal(hoverAt(model, at, older)?.markdown, hoverAt(model, at, off)?.markdown);
  assert.ok(assertPreparedEverywhere('gt.yaml', ds, [on, off, older, { ...on, kubernetesMinor: 35 }]) > 0);
});

test('a Gt or Lt toleration says which taint values it tolerates as the scheduler compares them', () => {
  // toleration.go compareNumericValues: Gt tolerates a taint value greater than the toleration's, Lt one less.
  const nodes = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata: {name: gpu-1}\n  spec:\n    taints:\n    - {key: example.com/gpu-generation, value: "5", effect: NoSchedule}\n`;
  const ds = `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      tolerations:\n      - key: example.com/gpu-generation\n        operator: Gt\n        value: "3"\n        effect: NoSchedule\n      - key: example.com/gpu-generation\n        operator: Lt\n        value: "9"\n        effect: NoSchedule\n`;
  const ctx = { cluster: parseCluster(parseDocument('file:///gpu.yaml', nodes)), featureGates: { TaintTolerationComparisonOperators: true } };
  const model = parseDocument('file:///gt.yaml', ds);
  const gt = hoverAt(model, ds.indexOf('Gt'), ctx)?.markdown ?? '';
  const lt = hoverAt(model, ds.indexOf('Lt'), ctx)?.markdown ?? '';
  assert.match(gt, /value > 3,/);
  assert.match(lt, /value < 9,/);
  // Both tolerate the node's taint of value 5, as the summaries say.
  for (const md of [gt, lt]) assert.match(md, /it tolerates `example\.com\/gpu-generation=5:NoSchedule` on `gpu-1`/);
});

test('hovers are not computed ahead where they depend on the whole file: nodes without a cluster model', () => {
  const model = parseDocument('file:///nodes.yaml', CLUSTER);
  for (const obj of model.objects) indexObject(obj);
  const nodes = model.objects.filter((o) => o.kind === 'Node');
  assert.equal(nodes.length, 3);
  for (const obj of nodes) {
    assert.equal(prepareHovers(model, obj, {}, new Map()), 'none');
    assert.equal(prepareHovers(model, obj, { isClusterFile: true }, new Map()), 'none');
    assert.equal(prepareHovers(model, obj, { cluster, isClusterFile: true }, new Map()), 'done');
    assert.equal(prepareHovers(model, obj, { cluster, isClusterFile: true }, new Map()), 'none', 'computed once per context');
  }
});

test('equal hovers computed ahead share one string', () => {
  const ds = (i: number) => `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent-${i}\nspec:\n  template:\n    spec:\n      tolerations:\n      - key: dedicated\n        operator: Exists\n`;
  const text = Array.from({ length: 3 }, (_, i) => ds(i)).join('---\n');
  const model = parseDocument('file:///three.yaml', text);
  const shared = new Map<string, string>();
  for (const obj of model.objects) indexObject(obj);
  assert.equal(prepareHovers(model, model.objects[0], { cluster }, shared), 'done');
  const one = shared.size;
  assert.ok(one >= 3, `${one} distinct answers in one DaemonSet`);
  for (const obj of model.objects.slice(1)) assert.equal(prepareHovers(model, obj, { cluster }, shared), 'done');
  assert.equal(shared.size, one, 'the other DaemonSets add no answer of their own');
  const at = (i: number) => text.indexOf('key: dedicated', text.indexOf(`agent-${i}\n`)) + 6;
  const answers = [0, 1, 2].map((i) => hoverAt(model, at(i), { cluster }));
  assert.ok(answers[0]?.markdown.includes('dedicated'));
  assert.ok(answers.every((a) => a?.markdown === answers[0]?.markdown));
  assert.deepEqual(answers.map((a) => text.slice(a!.span.start, a!.span.end)), ['dedicated', 'dedicated', 'dedicated']);
});

test('computing hovers ahead stops when told to and carries on where it stopped', () => {
  const tolerations = Array.from({ length: 300 }, (_, i) => `      - key: example.com/t-${i % 7}\n        operator: Exists\n`).join('');
  const text = `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: many\nspec:\n  template:\n    spec:\n      tolerations:\n${tolerations}`;
  const whole = parseDocument('file:///whole.yaml', text);
  const sliced = parseDocument('file:///sliced.yaml', text);
  for (const m of [whole, sliced]) indexObject(m.objects[0]);
  assert.equal(prepareHovers(whole, whole.objects[0], { cluster }, new Map()), 'done');
  // Told to stop at each chance: it gets a little further each call, and no answer is used before the end.
  const shared = new Map<string, string>();
  let calls = 0;
  let r: string;
  do {
    r = prepareHovers(sliced, sliced.objects[0], { cluster }, shared, () => true);
    calls++;
    if (r === 'more') assert.equal(preparedHovers(sliced, { cluster }), undefined);
  } while (r === 'more' && calls < 1000);
  assert.equal(r, 'done');
  assert.ok(calls > 5, `${calls} calls`);
  assert.deepEqual(preparedHovers(sliced, { cluster })?.map((h) => h.markdown), preparedHovers(whole, { cluster })?.map((h) => h.markdown));
  // The `tolerations` key, and the key and value of `key` and `operator` in each toleration.
  assert.equal(preparedHovers(sliced, { cluster })?.length, 1 + 300 * 4);
  // Another context starts again from the beginning.
  assert.equal(prepareHovers(sliced, sliced.objects[0], {}, new Map(), () => true), 'more');
  assert.equal(preparedHovers(sliced, {}), undefined);
});

test('toleration key of a node autoscaler\'s taint: what it means, who sets it, and its own documentation', () => {
  const h = hover(ds('containers: [{name: a, image: nginx}]\ntolerations:\n- key: karpenter.sh/disr|upted\n  operator: Exists\n  effect: NoSchedule'))!;
  assert.equal(h.hovered, 'karpenter.sh/disrupted');
  assert.match(h.markdown, /taint of a node autoscaler \(NoSchedule\)/);
  assert.match(h.markdown, /Karpenter is disrupting the node/);
  assert.match(h.markdown, /\[Autoscaler documentation\]\(https:\/\/karpenter\.sh\/docs\/concepts\/disruption\/\)/);
  assert.doesNotMatch(h.markdown, /well-known taint|Not a well-known/);
});

test('toleration key the controller does not add: the hover does not advise adding the toleration it is on', () => {
  const h = hover(ds('containers: [{name: a, image: nginx}]\ntolerations:\n- key: dedi|cated\n  operator: Equal\n  value: logging\n  effect: NoSchedule'), { cluster })!;
  assert.equal(h.hovered, 'dedicated');
  assert.match(h.markdown, /does \*\*not\*\* tolerate it by default: this toleration is what lets the pods onto nodes that carry it\./);
  assert.doesNotMatch(h.markdown, /add a toleration/);
  // On the taint in the cluster file, the advice stands.
  const nodes = 'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nspec:\n  taints:\n  - {key: dedicated, value: logging, effect: NoSchedule}\n';
  const onTaint = hoverAt(parseDocument('file:///nodes.yaml', nodes), nodes.indexOf('dedicated') + 2, { isClusterFile: true });
  assert.match(onTaint?.markdown ?? '', /add a toleration if the DaemonSet must run on such nodes/);
});
