/**
 * kubectl reads YAML as go-yaml v2 does: a plain `yes`, `on`, `y`, `no`, `off` or `n` is a boolean.
 * Both readers of the engine (the fast path and `yaml`) read them so, and validation follows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/model';
import { parseFastChunk } from '../../server/src/engine/fastYaml';
import { validate } from '../../server/src/engine/validate';
import { replaceScalar } from '../../server/src/engine/edits';
import { podSpecManifest } from './podSpecManifest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCluster } from '../../server/src/engine/cluster';
import { podForNodeYaml } from '../../server/src/handlers/placement';
import { nodeIO } from '../../server/src/cli/common';
import { runPod } from '../../server/src/cli/pod';

const WORDS: Array<[string, boolean]> = [
  ['y', true], ['Y', true], ['yes', true], ['Yes', true], ['YES', true], ['on', true], ['On', true], ['ON', true],
  ['n', false], ['N', false], ['no', false], ['No', false], ['NO', false], ['off', false], ['Off', false], ['OFF', false],
  ['true', true], ['False', false],
];

test('plain YAML 1.1 booleans are booleans, in the fast path and in yaml alike; quoted ones and look-alikes stay strings', () => {
  const text = WORDS.map(([w], i) => `k${i}: ${w}`).join('\n') + '\nq1: "yes"\nq2: \'off\'\nw1: yess\nw2: onn\nw3: NoSchedule\nw4: oN\n';
  const fast = parseFastChunk(text);
  assert.ok(fast, 'the fast path reads it');
  const expected: Record<string, unknown> = Object.fromEntries(WORDS.map(([, v], i) => [`k${i}`, v]));
  Object.assign(expected, { q1: 'yes', q2: 'off', w1: 'yess', w2: 'onn', w3: 'NoSchedule', w4: 'oN' });
  assert.deepEqual(fast.values[0], expected);
  // The same text with a template action is read by `yaml` itself, not the fast path.
  const viaYaml = parseDocument('file:///t.yaml', `${text}x: "{{ .Values.x }}"\n`);
  const { x: _x, ...rest } = viaYaml.chunks[0].chunk.values[0] as Record<string, unknown>;
  assert.deepEqual(rest, expected);
});

const agent = (spec: string) => podSpecManifest(spec, { name: 'agent', namespace: 'kube-system' });

test('hostNetwork: yes is true to the API server: no type error, and the pod is on the host network', () => {
  const text = agent(`hostNetwork: yes
containers:
- name: agent
  image: busybox:1.36
  stdin: on
  securityContext:
    privileged: Y
`);
  const findings = validate(parseDocument('file:///ds.yaml', text));
  assert.deepEqual(findings.filter((f) => f.code === 'invalid-type').map((f) => f.path), []);
});

test('a boolean where the API wants a string is its error, as for kubectl (unquoted yes in a label or an env value)', () => {
  const text = agent(`containers:
- name: agent
  image: busybox:1.36
  env:
  - name: VERBOSE
    value: yes
nodeSelector:
  gpu: on
`);
  const paths = validate(parseDocument('file:///ds.yaml', text)).filter((f) => f.severity === 'error').map((f) => f.path);
  assert.ok(paths.includes('spec.template.spec.containers[0].env[0].value'), paths.join(', '));
  assert.ok(paths.includes('spec.template.spec.nodeSelector[gpu]'), paths.join(', '));
});

test('a fix that writes the string yes quotes it, so that it is not read back as a boolean', () => {
  const text = agent(`containers:
- name: agent
  image: busybox:1.36
  env:
  - name: VERBOSE
    value: "no"
`);
  const model = parseDocument('file:///ds.yaml', text);
  const [edit] = replaceScalar(text, model.daemonSets[0], ['spec', 'template', 'spec', 'containers', 0, 'env', 0, 'value'], 'yes');
  assert.ok(edit, 'an edit');
  assert.match(edit.newText, /^["']yes["']$/);
});

test('the pod printed as YAML (CLI and preview) quotes a string yes, on or n, so that kubectl reads the string back', async () => {
  const root = join(__dirname, '..', 'fixtures');
  const ds = readFileSync(join(root, 'placement/fluentd.yaml'), 'utf8')
    .replace('        name: fluentd\n', '        name: fluentd\n        logging: "yes"\n        "on": "n"\n');
  assert.notEqual(ds, readFileSync(join(root, 'placement/fluentd.yaml'), 'utf8'));
  const model = parseDocument('file:///ds.yaml', ds);
  const cluster = parseCluster(parseDocument('file:///cluster.yaml', readFileSync(join(root, 'placement/seed-cluster.yaml'), 'utf8')));
  const preview = podForNodeYaml(model.daemonSets[0], 'worker-1', cluster, undefined).yaml;
  let out = '';
  const io = nodeIO({ cwd: root, stdout: (t) => void (out += t), stderr: () => {}, readStdin: async () => new TextEncoder().encode(ds) });
  assert.equal(await runPod(['--cluster', 'placement/seed-cluster.yaml', '--node', 'worker-1', '-'], io), 0);
  for (const yaml of [preview, out]) {
    const pod = parseDocument('file:///pod.yaml', yaml).objects[0].value as { metadata: { labels: Record<string, unknown> } };
    assert.equal(pod.metadata.labels.logging, 'yes', yaml);
    assert.equal(pod.metadata.labels.on, 'n', yaml);
  }
});

test('a hand-written node label yes in the cluster file is read as the yes it says, with the warning that it is not a string', () => {
  const text = 'kind: Node\nmetadata:\n  name: n1\n  labels: {gpu: yes, rack: 07, zone: a}\n';
  const cluster = parseCluster(parseDocument('file:///cluster.yaml', text));
  assert.deepEqual(cluster.nodes[0].labels, { gpu: 'yes', rack: '07', zone: 'a' });
  assert.deepEqual(cluster.findings.map((f) => [f.code, f.message]), [
    ['cluster-label-not-string', 'Label "gpu" should be a string; it is read as "yes".'],
    ['cluster-label-not-string', 'Label "rack" should be a string; it is read as "07".'],
  ]);
});
