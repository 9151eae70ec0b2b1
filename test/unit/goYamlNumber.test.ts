/**
 * kubectl reads YAML numbers as go-yaml v2's resolve does (sigs.k8s.io/yaml): underscores dropped,
 * then strconv.ParseInt / ParseUint with base 0 (0x, 0o, 0b, a leading 0 for octal), then
 * YAML-style floats. Both readers of the engine read them so, validation follows, and the YAML the
 * engine prints quotes the strings kubectl would read as numbers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goYamlNumber } from '../../server/src/engine/goYamlNumber';
import { stringifyForKubectl } from '../../server/src/engine/goYamlBool';
import { parseDocument } from '../../server/src/engine/model';
import { parseFastChunk } from '../../server/src/engine/fastYaml';
import { validate } from '../../server/src/engine/validate';
import { parseCluster } from '../../server/src/engine/cluster';
import { podForNodeYaml } from '../../server/src/handlers/placement';
import { nodeIO } from '../../server/src/cli/common';
import { runPod } from '../../server/src/cli/pod';
import { podSpecManifest } from './podSpecManifest';

/** Plain scalars and what go-yaml v2 resolves them to (a number, or the string itself). */
const RESOLVED: Array<[string, number | string]> = [
  // ParseInt(s, 0, 64) after dropping every underscore.
  ['0', 0], ['-0', 0], ['+0', 0], ['00', 0], ['42', 42], ['+42', 42], ['-42', -42],
  ['0644', 420], ['-0644', -420], ['+0644', 420], ['0_644', 420], ['0777', 511],
  ['8_080', 8080], ['1_000', 1000], ['1__000', 1000], ['1_', 1], ['+_1', 1], ['-_1', -1], ['_1', '_1'],
  ['0x1F', 31], ['0X1f', 31], ['-0x1F', -31], ['+0x1F', 31], ['0x_1F', 31], ['0_x1F', 31], ['0x', '0x'],
  ['0o17', 15], ['0O17', 15], ['-0o17', -15], ['0o', '0o'], ['0o8', '0o8'],
  ['0b101', 5], ['0B101', 5], ['-0b101', -5], ['0b1_01', 5], ['0b', '0b'], ['0b2', '0b2'],
  // Then the 0b branch: ParseInt of the digits after `0b` with base 2, which takes a sign.
  ['0b-1', -1], ['0b+11', 3], ['0B-1', '0B-1'], ['-0b-1', '-0b-1'],
  // Not octal: ParseInt fails, the YAML-style float reads it in decimal.
  ['08', 8], ['09', 9], ['0_9', 9], ['-08', -8],
  // int64 overflow: ParseUint for an unsigned value up to 2^64-1, else the float, else a string.
  ['9223372036854775807', 9223372036854775807], ['-9223372036854775808', -9223372036854775808],
  ['9223372036854775808', 9223372036854775808], ['18446744073709551615', 18446744073709551615],
  ['0xFFFFFFFFFFFFFFFF', 18446744073709551615], ['18446744073709551616', 18446744073709551616],
  ['-9223372036854775809', -9223372036854775809], ['+9223372036854775808', 9223372036854775808],
  ['0x10000000000000000', '0x10000000000000000'], ['-0x8000000000000001', '-0x8000000000000001'],
  ['0o2000000000000000000000', '0o2000000000000000000000'],
  ['0b' + '1'.repeat(65), '0b' + '1'.repeat(65)],
  // Octal digits beyond 64 bits: the float reads the digits in decimal.
  ['02000000000000000000000', 2000000000000000000000],
  // YAML-style floats, underscores dropped first; ParseFloat's overflow leaves a string.
  ['1.5', 1.5], ['1.', 1], ['-.5', -0.5], ['+.5', 0.5], ['1e3', 1000], ['1E+3', 1000], ['1_000.5', 1000.5],
  ['1.5_0e1_0', 1.5e10], ['0644.5', 644.5], ['1e400', '1e400'], ['-1e400', '-1e400'], ['1e-400', 0],
  ['1' + '0'.repeat(400), '1' + '0'.repeat(400)],
  // A leading dot: ParseFloat on the text as written (underscores only between digits).
  ['.5', 0.5], ['.5e3', 500], ['.5_0', 0.5], ['.5e1_0', 5e9], ['._5', '._5'], ['.5_', '.5_'], ['.5__0', '.5__0'], ['.', '.'], ['.e5', '.e5'],
  ['.1e400', '.1e400'],
  // The resolve map.
  ['.inf', Infinity], ['+.Inf', Infinity], ['-.INF', -Infinity], ['.iNf', '.iNf'],
  // Not numbers.
  ['1:20', '1:20'], ['2024-01-01', '2024-01-01'], ['1.2.3', '1.2.3'], ['0x1p-2', '0x1p-2'], ['10Gi', '10Gi'], ['1e', '1e'], ['-', '-'], ['+', '+'],
  ['１２', '１２'], ['0xＦ', '0xＦ'],
];

test('plain scalars resolve to the numbers go-yaml v2 resolves them to (resolve.go), or stay strings', () => {
  for (const [source, want] of RESOLVED) {
    const got = goYamlNumber(source);
    if (typeof want === 'string') assert.equal(got, undefined, `${source} is a string to go-yaml`);
    else assert.equal(got, want, source);
  }
  assert.ok(Number.isNaN(goYamlNumber('.nan')));
});

/** The table as a YAML map from k<i> to each scalar, and the values kubectl reads from it. */
function table(rows: Array<[string, number | string]>): { text: string; expected: Record<string, unknown> } {
  const text = rows.map(([s], i) => `k${i}: ${s}`).join('\n') + '\n';
  return { text, expected: Object.fromEntries(rows.map(([, v], i) => [`k${i}`, v])) };
}

test('both readers of the engine read numbers as kubectl does, values and keys', () => {
  // A plain `-` or `.` alone is not a scalar value in block YAML; the others are.
  const rows = RESOLVED.filter(([s]) => s !== '-' && s !== '.' && s !== '+');
  const { text, expected } = table(rows);
  const fast = parseFastChunk(text);
  assert.ok(fast, 'the fast path reads it');
  assert.deepEqual(fast.values[0], expected);
  // With a template action in it, `yaml` itself reads the chunk.
  const viaYaml = parseDocument('file:///t.yaml', `${text}x: "{{ .Values.x }}"\n`);
  const { x: _x, ...rest } = viaYaml.chunks[0].chunk.values[0] as Record<string, unknown>;
  assert.deepEqual(rest, expected);
  // Through an alias, the anchor's value; a quoted number stays a string; a key is the number's text.
  const other = parseDocument('file:///t.yaml', 'a: &m 0_644\nb: *m\nc: "0644"\nd: \'8_080\'\n0_10: x\n0x10: z\n');
  assert.deepEqual(other.chunks[0].chunk.values[0], { a: 420, b: 420, c: '0644', d: '8_080', 8: 'x', 16: 'z' });
});

const agent = (spec: string) => podSpecManifest(spec, { name: 'agent', namespace: 'kube-system' });

test('numbers with underscores or a base prefix are numbers to the API server: no type error where it wants an integer', () => {
  const text = agent(`containers:
- name: agent
  image: busybox:1.36
  ports:
  - containerPort: 8_080
    hostPort: 0x1F90
  securityContext:
    runAsUser: 1_000
    runAsGroup: +0o1750
terminationGracePeriodSeconds: 0b11110
`);
  const findings = validate(parseDocument('file:///ds.yaml', text));
  assert.deepEqual(findings.filter((f) => f.code === 'invalid-type').map((f) => f.path), []);
  assert.deepEqual(findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.path}`), []);
});

test('a number where the API wants a string is its error, with the hint to quote it (label 1_000, env value 0x10)', () => {
  const text = agent(`containers:
- name: agent
  image: busybox:1.36
  env:
  - name: MASK
    value: 0x10
nodeSelector:
  build: 1_000
`);
  const found = validate(parseDocument('file:///ds.yaml', text)).filter((f) => f.code === 'invalid-type');
  assert.deepEqual(found.map((f) => [f.path, f.message]), [
    ['spec.template.spec.containers[0].env[0].value', 'Expected a string, got an integer. Quote it to make it a string: "0x10".'],
    ['spec.template.spec.nodeSelector[build]', 'Expected a string, got an integer. Quote it to make it a string: "1_000".'],
  ]);
});

test('a number beyond what go-yaml reads is the string it is to kubectl (1e400, a 65-bit hex)', () => {
  const text = agent(`containers:
- name: agent
  image: busybox:1.36
  ports:
  - containerPort: 0x10000000000000000
terminationGracePeriodSeconds: 1e400
`);
  const found = validate(parseDocument('file:///ds.yaml', text)).filter((f) => f.code === 'invalid-type');
  assert.deepEqual(found.map((f) => [f.path, f.message]), [
    ['spec.template.spec.containers[0].ports[0].containerPort', 'Expected an integer, got a string.'],
    ['spec.template.spec.terminationGracePeriodSeconds', 'Expected an integer, got a string.'],
  ]);
});

const LOOK_ALIKES = ['0_644', '1_000', '8_080', '0b101', '0B101', '-0x1F', '+0o17', '0X1F', '.5_0', '0b-1', '1_000.5', '-0', '0644', '1e3', '0x10000000000000000'];

test('YAML the engine prints quotes every string kubectl would read as a number, and leaves other strings plain', () => {
  const value = Object.fromEntries(LOOK_ALIKES.map((s, i) => [`k${i}`, s]));
  const yaml = stringifyForKubectl({ ...value, n: 420, f: 1.5, big: 1e21, q: '10Gi', v: 'v1.2.3', [LOOK_ALIKES[0]]: 'key' });
  for (const s of [...LOOK_ALIKES]) assert.ok(yaml.includes(`"${s}"`), `${s} is quoted:\n${yaml}`);
  assert.match(yaml, /^q: 10Gi$/m);
  assert.match(yaml, /^v: v1\.2\.3$/m);
  // Read back as kubectl reads it: the same values.
  assert.deepEqual(parseDocument('file:///p.yaml', yaml).objects[0].value, { ...value, n: 420, f: 1.5, big: 1e21, q: '10Gi', v: 'v1.2.3', [LOOK_ALIKES[0]]: 'key' });
});

test('the pod printed as YAML (CLI and preview) keeps a string label 1_000 a string for kubectl', async () => {
  const root = join(__dirname, '..', 'fixtures');
  const ds = readFileSync(join(root, 'placement/fluentd.yaml'), 'utf8')
    .replace('        name: fluentd\n', '        name: fluentd\n        build: "1_000"\n        "0_1": "0b101"\n');
  assert.notEqual(ds, readFileSync(join(root, 'placement/fluentd.yaml'), 'utf8'));
  const model = parseDocument('file:///ds.yaml', ds);
  const cluster = parseCluster(parseDocument('file:///cluster.yaml', readFileSync(join(root, 'placement/seed-cluster.yaml'), 'utf8')));
  const preview = podForNodeYaml(model.daemonSets[0], 'worker-1', cluster, undefined).yaml;
  let out = '';
  const io = nodeIO({ cwd: root, stdout: (t) => void (out += t), stderr: () => {}, readStdin: async () => new TextEncoder().encode(ds) });
  assert.equal(await runPod(['--cluster', 'placement/seed-cluster.yaml', '--node', 'worker-1', '-'], io), 0);
  for (const yaml of [preview, out]) {
    const pod = parseDocument('file:///pod.yaml', yaml).objects[0].value as { metadata: { labels: Record<string, unknown> } };
    assert.equal(pod.metadata.labels.build, '1_000', yaml);
    assert.equal(pod.metadata.labels['0_1'], '0b101', yaml);
  }
});

test('a JSON manifest with YAML-only numbers reads as kubectl reads it: JSON fails, the stream is read again as YAML', () => {
  // apimachinery util/yaml YAMLOrJSONDecoder.Decode (kubectl 1.33 and later): a syntax error in the
  // first JSON object rewinds the stream and decodes it with the YAML decoder, where 0644 is octal and
  // 0x50 hexadecimal. Older kubectl rejects the file with the JSON syntax error.
  const text = '{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"a"},"spec":{"selector":{"matchLabels":{"app":"a"}},"template":{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[{"name":"a","image":"a","ports":[{"containerPort":0x50}]}],"volumes":[{"name":"v","configMap":{"name":"c","defaultMode":0644}}]}}}}\n';
  const model = parseDocument('file:///ds.json', text);
  assert.deepEqual(model.findings, []);
  const spec = (model.daemonSets[0].value as any).spec.template.spec;
  assert.equal(spec.volumes[0].configMap.defaultMode, 0o644);
  assert.equal(spec.containers[0].ports[0].containerPort, 80);
  assert.deepEqual(validate(model).filter((f) => f.severity === 'error'), []);
});
