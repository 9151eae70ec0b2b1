import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/model';
import { parseCluster } from '../../server/src/engine/cluster';
import { completeAt, yamlPositionAt, type CompletionContext } from '../../server/src/engine/completion';

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
    - {key: node-role.kubernetes.io/control-plane, effect: NoSchedule}
- apiVersion: v1
  kind: Node
  metadata:
    name: gpu-1
    labels: {kubernetes.io/os: linux, accelerator: nvidia, gpu-count: "8"}
  spec:
    taints:
    - {key: dedicated, value: gpu, effect: NoSchedule}
`;
const cluster = parseCluster(parseDocument('file:///nodes.yaml', CLUSTER));

/** Completions at the `|` marker, with the text each item would replace. */
function complete(textWithCursor: string, ctx: CompletionContext = {}) {
  const offset = textWithCursor.indexOf('|');
  assert.ok(offset >= 0, 'missing | marker');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const items = completeAt(parseDocument('file:///ds.yaml', text), offset, ctx);
  return { items, labels: items.map((i) => i.label), replaced: items[0] ? text.slice(items[0].span!.start, items[0].span!.end) : undefined };
}

const HEAD = `apiVersion: apps/v1
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
      containers:
      - name: a
        image: nginx
`;

test('toleration keys: the cluster taints first, then the well-known ones, on an empty value', () => {
  const { items, labels } = complete(`${HEAD}      tolerations:\n      - key: |\n`, { cluster });
  assert.deepEqual(labels.slice(0, 2), ['node-role.kubernetes.io/control-plane', 'dedicated']);
  assert.ok(labels.includes('node.kubernetes.io/network-unavailable'));
  assert.ok(labels.includes('node.kubernetes.io/not-ready'));
  assert.equal(new Set(labels).size, labels.length, 'no duplicates');
  assert.match(items[1].detail!, /taint on gpu-1/);
  assert.ok(items[0].sortText! < items[2].sortText!);
  // Without a cluster: the well-known catalogue only.
  const plain = complete(`${HEAD}      tolerations:\n      - key: |\n`);
  assert.ok(!plain.labels.includes('dedicated'));
  assert.ok(plain.labels.includes('node-role.kubernetes.io/control-plane'));
  assert.match(plain.items.find((i) => i.label === 'node.kubernetes.io/network-unavailable')!.documentation!, /only to `hostNetwork: true` pods/);
});

test('toleration effect being typed: the three effects, replacing the partial word', () => {
  const r = complete(`${HEAD}      tolerations:\n      - key: a\n        effect: No|\n`);
  assert.deepEqual(r.labels, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
  assert.equal(r.replaced, 'No');
  assert.equal(r.items[0].kind, 'enum');
  // Also with text after the cursor and CRLF.
  const crlf = complete(`${HEAD}      tolerations:\r\n      - key: a\r\n        effect: NoSch|edule\r\n`);
  assert.equal(crlf.replaced, 'NoSchedule');
});

test('toleration operator and field names, indented sequences', () => {
  assert.deepEqual(complete(`${HEAD}      tolerations:\n        - key: a\n          operator: |`).labels, ['Equal', 'Exists']);
  assert.deepEqual(complete(`${HEAD}      tolerations:\n        - key: a\n          operator: |`, { featureGates: { TaintTolerationComparisonOperators: true } }).labels, ['Equal', 'Exists', 'Lt', 'Gt']);
  assert.deepEqual(complete(`${HEAD}      tolerations:\n        - key: a\n          operator: |`, { featureGates: { TaintTolerationComparisonOperators: true }, kubernetesMinor: 34 }).labels, ['Equal', 'Exists'], 'the gate exists from 1.35');
  const fields = complete(`${HEAD}      tolerations:\n        - key: a\n          |`);
  assert.deepEqual(fields.labels, ['key', 'operator', 'value', 'effect', 'tolerationSeconds']);
  assert.equal(fields.items[3].insertText, 'effect: ');
  assert.deepEqual(complete(`${HEAD}      tolerations:\n      - |`).labels.slice(0, 2), ['key', 'operator']);
});

test('toleration value: the values of that key in the cluster', () => {
  const r = complete(`${HEAD}      tolerations:\n      - key: dedicated\n        operator: Equal\n        value: |\n        effect: NoSchedule\n`, { cluster });
  assert.deepEqual(r.labels, ['gpu']);
  assert.match(r.items[0].detail!, /gpu-1/);
});

test('nodeSelector keys and values from the cluster file', () => {
  const keys = complete(`${HEAD}      nodeSelector:\n        |`, { cluster });
  assert.ok(keys.labels.includes('accelerator'));
  assert.ok(keys.labels.includes('kubernetes.io/os'));
  assert.equal(keys.items.find((i) => i.label === 'accelerator')!.insertText, 'accelerator: ');
  assert.ok(keys.labels.includes('topology.kubernetes.io/zone'), 'well-known labels too');
  const vals = complete(`${HEAD}      nodeSelector:\n        accelerator: nv|`, { cluster });
  assert.deepEqual(vals.labels, ['nvidia']);
  assert.equal(vals.replaced, 'nv');
  // Values that YAML would read as numbers or booleans are quoted.
  assert.equal(complete(`${HEAD}      nodeSelector:\n        gpu-count: |`, { cluster }).items[0].insertText, '"8"');
  // Empty label values.
  assert.equal(complete(`${HEAD}      nodeSelector:\n        node-role.kubernetes.io/control-plane: |`, { cluster }).items[0].insertText, '""');
});

test('node affinity: keys, operators and values (block and flow)', () => {
  const aff = `${HEAD}      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - key: `;
  assert.ok(complete(`${aff}|`, { cluster }).labels.includes('accelerator'));
  assert.deepEqual(complete(`${aff}accelerator\n                operator: |`, { cluster }).labels, ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);
  assert.deepEqual(complete(`${aff}accelerator\n                operator: In\n                values: [|]`, { cluster }).labels, ['nvidia']);
  assert.deepEqual(complete(`${aff}kubernetes.io/os\n                operator: In\n                values:\n                - |`, { cluster }).labels, ['linux']);
  assert.deepEqual(complete(`${aff}kubernetes.io/arch\n                operator: In\n                values:\n                - |`, { cluster }).labels.slice(0, 2), ['amd64', 'arm64'], 'typical values when the cluster has none');
});

test('node affinity values: after other items (flush or indented sequence), and in a flow match expression', () => {
  const aff = `${HEAD}      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n`;
  const block = `${aff}              - key: accelerator\n                operator: In\n                values:\n                - amd\n                # more\n                - n|`;
  const second = complete(block, { cluster });
  assert.deepEqual(second.labels, ['nvidia']);
  assert.equal(second.replaced, 'n');
  assert.deepEqual(complete(`${aff}              - key: accelerator\n                operator: In\n                values:\n                - a\n                - |`, { cluster }).labels, ['nvidia']);
  assert.deepEqual(complete(`${aff}              - key: accelerator\n                operator: In\n                values:\n                  - a\n                  - |`, { cluster }).labels, ['nvidia'], 'indented sequence');
  assert.deepEqual(complete(`${aff}              - operator: In\n                values:\n                - a\n                - |\n                key: kubernetes.io/os\n`, { cluster }).labels, ['linux']);
  // The items of another expression's values are not this one's.
  assert.deepEqual(complete(`${aff}              - key: accelerator\n                values:\n                - a\n              - operator: In\n                - |`, { cluster }).labels, []);
  // A whole expression written as a flow map.
  assert.deepEqual(complete(`${aff}              - {key: accelerator, operator: In, values: [|]}`, { cluster }).labels, ['nvidia']);
  assert.deepEqual(complete(`${aff}              - {key: "kubernetes.io/os", operator: In, values: [windows, |]}`, { cluster }).labels, ['linux']);
});

test('toleration value in a flow map: the values of the key written beside it', () => {
  assert.deepEqual(complete(`${HEAD}      tolerations: [{key: a}, {key: dedicated, operator: Equal, value: |, effect: NoSchedule}]`, { cluster }).labels, ['gpu']);
  assert.deepEqual(complete(`${HEAD}      tolerations:\n      - {operator: Equal, value: g|, key: 'dedicated'}`, { cluster }).labels, ['gpu']);
  assert.deepEqual(complete(`${HEAD}      tolerations: [{key: other, value: |}]`, { cluster }).labels, []);
});

test('cluster file: taint keys and effects', () => {
  const text = `${CLUSTER}- apiVersion: v1\n  kind: Node\n  metadata: {name: new}\n  spec:\n    taints:\n    - key: node.kubernetes.io/|`;
  const r = complete(text, { isClusterFile: true });
  assert.ok(r.labels.includes('node.kubernetes.io/out-of-service'));
  assert.equal(r.replaced, 'node.kubernetes.io/');
  assert.deepEqual(complete(`${CLUSTER}- kind: Node\n  spec:\n    taints:\n    - key: a\n      effect: |`, { isClusterFile: true }).labels, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
});

test('nothing elsewhere: other fields, comments, flow maps', () => {
  assert.deepEqual(complete(`${HEAD}      dnsPolicy: |`, { cluster }).labels, []);
  assert.deepEqual(complete(`${HEAD}      tolerations:\n      - key: a # effect: |`).labels, []);
  assert.deepEqual(complete('|').labels, []);
  assert.deepEqual(complete('\n\n|\n').labels, []);
});

test('yamlPositionAt reads paths through flush and indented sequences and Lists', () => {
  const at = (s: string) => yamlPositionAt(s.replace('|', ''), s.indexOf('|'));
  assert.deepEqual(at('items:\n- spec:\n    template:\n      spec:\n        tolerations:\n        - |')!.path, ['items', '-', 'spec', 'template', 'spec', 'tolerations', '-']);
  assert.deepEqual(at('a:\n  - tolerations:\n    - key: x|')!.path, ['a', '-', 'tolerations', '-']);
  assert.deepEqual(at('a:\n  b:\n    # comment\n\n    c: |')!.path, ['a', 'b']);
  assert.equal(at('a: 1\n---\nb:\n  c: |')!.path.join('.'), 'b');
});

test('flow maps and flow sequences of maps on the line being typed', () => {
  const eff = complete(`${HEAD}      tolerations:\n      - {key: a, operator: Exists, effect: No|}\n`);
  assert.deepEqual(eff.labels, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
  assert.equal(eff.replaced, 'No');
  assert.ok(complete(`${HEAD}      tolerations: [{key: |`, { cluster }).labels.includes('dedicated'));
  assert.deepEqual(complete(`${HEAD}      tolerations: [{key: a, operator: Exists}, {key: b, operator: |}]`).labels, ['Equal', 'Exists']);
  assert.deepEqual(complete(`${HEAD}      tolerations:\n      - {key: a, |}`).labels, ['key', 'operator', 'value', 'effect', 'tolerationSeconds']);
  assert.deepEqual(complete(`${HEAD}      nodeSelector: {accelerator: |}`, { cluster }).labels, ['nvidia']);
  assert.ok(complete(`${HEAD}      nodeSelector: {|}`, { cluster }).labels.includes('accelerator'));
  assert.deepEqual(complete(`${HEAD}      tolerations: [{key: a, x: [1, |`).labels, []);
});

test('os.name: linux or windows, explained; name is the only key under os', () => {
  const v = complete(`${HEAD}      os:\n        name: wi|\n`);
  assert.deepEqual(v.labels, ['linux', 'windows']);
  assert.equal(v.replaced, 'wi');
  assert.match(v.items[1].documentation!, /Linux-only fields .* are rejected/);
  assert.match(v.items[1].documentation!, /does not steer scheduling/);
  const k = complete(`${HEAD}      os:\n        |\n`);
  assert.deepEqual(k.items.map((i) => [i.label, i.insertText]), [['name', 'name: ']]);
  // Elsewhere a `name` key is not an OS.
  assert.ok(!complete(`${HEAD}\n      - name: |\n`).labels.includes('windows'));
});
