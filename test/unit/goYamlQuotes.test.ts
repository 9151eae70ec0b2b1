import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/model';
import { validate } from '../../server/src/engine/validate';

// Quoted values whose next lines sit at their key's indentation: kubectl (go-yaml's
// yaml_parser_scan_flow_scalar) reads them whole; YAML 1.2 and the `yaml` package do not.

/** A network agent whose description annotation was wrapped by hand, at the key's indentation. */
const FLANNEL = (description: string, eol = '\n') => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  annotations:
${description}
  name: kube-flannel-ds
  namespace: kube-flannel
spec:
  selector:
    matchLabels:
      app: flannel
  template:
    metadata:
      labels:
        app: flannel
    spec:
      hostNetwork: true
      priorityClassName: system-node-critical
      tolerations:
      - operator: Exists
        effect: NoSchedule
      containers:
      - name: kube-flannel
        image: docker.io/flannel/flannel:v0.25.7
        command: ["/opt/bin/flanneld", "--ip-masq", "--kube-subnet-mgr"]
`.replace(/\n/g, eol);

const SINGLE = `    description: 'Flannel agent; runs on every node of\n    the cluster'`;

function read(text: string) {
  const model = parseDocument('flannel.yaml', text);
  const findings = validate(model, { kubernetesVersion: '1.35' });
  return { model, findings, annotations: (model.daemonSets[0]?.value as { metadata: { annotations: Record<string, string> } } | undefined)?.metadata.annotations };
}

test('a single-quoted value continued at its key\'s indentation is read as kubectl reads it, with a warning on its first line', () => {
  const text = FLANNEL(SINGLE);
  const { model, findings, annotations } = read(text);
  assert.equal(model.daemonSets.length, 1, 'the DaemonSet is still there');
  assert.deepEqual(annotations, { description: 'Flannel agent; runs on every node of the cluster' });
  assert.deepEqual(findings.map((f) => [f.code, f.severity, text.slice(f.span.start, f.span.end)]), [
    ['yaml-warning', 'warning', `'Flannel agent; runs on every node of`],
  ]);
  assert.match(findings[0].message, /kubectl reads them as part of the value/);
});

test('double quotes, escapes, several lines, a line at column 0, CRLF', () => {
  const text = FLANNEL(`    description: "Flannel agent:\\t runs on\n    every node\nof the \\"cluster\\""`, '\r\n');
  const { findings, annotations } = read(text);
  assert.deepEqual(annotations, { description: 'Flannel agent:\t runs on every node of the "cluster"' });
  assert.deepEqual(findings.map((f) => f.code), ['yaml-warning']);
  assert.equal(text.slice(findings[0].span.start, findings[0].span.end), '"Flannel agent:\\t runs on');
});

test('values indented deeper than their key, as YAML 1.2 wants, get no warning', () => {
  const { findings, annotations } = read(FLANNEL(`    description: 'Flannel agent; runs on every node of\n      the cluster'`));
  assert.deepEqual(findings, []);
  assert.deepEqual(annotations, { description: 'Flannel agent; runs on every node of the cluster' });
});

test('a quote that is never closed is still a syntax error', () => {
  const { findings } = read(FLANNEL(`    description: 'Flannel agent; runs on every node of`));
  assert.ok(findings.some((f) => f.code === 'yaml-syntax' && /Missing closing/.test(f.message)), JSON.stringify(findings.map((f) => f.message)));
  assert.ok(!findings.some((f) => f.code === 'yaml-warning'));
  // Closed only by the next value's opening quote: kubectl fails on it too, and the error stays where it is.
  const text = FLANNEL(`    description: 'Flannel agent\n  namespace: 'kube-flannel'`);
  const unclosed = read(text).findings;
  assert.ok(!unclosed.some((f) => f.code === 'yaml-warning'), JSON.stringify(unclosed.map((f) => f.message)));
  const missing = unclosed.find((f) => /Missing closing/.test(f.message));
  assert.ok(missing, JSON.stringify(unclosed.map((f) => f.message)));
  assert.equal(text.slice(0, missing.span.start).split('\n').length, 5, 'on the line of the quote that is not closed');
});

test('the rest of the file is checked as usual: the same findings at the same places as once indented', () => {
  const broken = (description: string) => FLANNEL(description).replace('operator: Exists\n        effect: NoSchedule', 'operator: Exist\n        effect: NoSchedule');
  const text = broken(SINGLE);
  const indented = broken(SINGLE.replace('\n    the', '\n      the'));
  const at = (t: string, fs: ReturnType<typeof read>['findings']) => fs.map((f) => [f.code, f.message, t.slice(f.span.start, f.span.end), t.slice(0, f.span.start).split('\n').length]);
  const expected = at(indented, read(indented).findings);
  assert.ok(expected.some(([code]) => code === 'toleration-operator'), 'the broken operator is reported');
  assert.deepEqual(at(text, read(text).findings), [at(text, read(text).findings)[0], ...expected]);
  assert.equal(read(text).findings[0].code, 'yaml-warning');
});

test('in a sequence, in a multi-document file, and in a Helm template', () => {
  const args = `      - name: kube-flannel\n        args:\n        - '--iface-regex=eth.*\n        |ens.*'\n        - --ip-masq\n`;
  const text = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: flannel\n---\n${FLANNEL(`    description: flannel`).replace(/      - name: kube-flannel\n/, args)}`;
  const { model, findings } = read(text);
  const container = (model.daemonSets[0].value as { spec: { template: { spec: { containers: Array<{ args: string[] }> } } } }).spec.template.spec.containers[0];
  assert.deepEqual(container.args, ['--iface-regex=eth.* |ens.*', '--ip-masq']);
  assert.deepEqual(findings.map((f) => f.code), ['yaml-warning']);
  const helm = FLANNEL(SINGLE).replace('  name: kube-flannel-ds', '  name: {{ include "flannel.fullname" . }}');
  const templated = parseDocument('daemonset.yaml', helm);
  assert.equal(templated.templated, true);
  assert.ok(!templated.findings.some((f) => f.code === 'yaml-syntax'), JSON.stringify(templated.findings.map((f) => f.message)));
});
