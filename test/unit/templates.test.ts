import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, Parser } from 'yaml';
import { parseCluster } from '../../server/src/engine/cluster';
import { parseChunk, parseDocument } from '../../server/src/engine/model';
import { isHelmTemplate, scanTemplates } from '../../server/src/engine/templates';
import { validate } from '../../server/src/engine/validate';

const FIXTURES = join(__dirname, '../fixtures/templates');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const TEMPLATE_NOTE = 'template-not-validated';

function scan(text: string) {
  return scanTemplates(text, Array.from(new Parser().parse(text)));
}

function check(name: string, text = fixture(name), cluster?: string) {
  const model = parseDocument(`file:///${name}`, text);
  const options = cluster ? { cluster: parseCluster(parseDocument('file:///cluster.yaml', readFileSync(join(__dirname, '../../', cluster), 'utf8'))) } : {};
  return { model, findings: validate(model, options) };
}

const codes = (findings: Array<{ code: string }>) => findings.map((f) => f.code).sort();

test('a {{ in a comment, a quoted, block or plain scalar is content; anywhere else it is structure', () => {
  const content: Array<[string, string]> = [
    ['comment', '# set {{ .Values.image }}\na: 1\n'],
    ['comment after a value', 'a: 1 # {{ .Values.a }}\n'],
    ['block scalar header comment', 'a: | # {{ x }}\n  text\n'],
    ['double-quoted', 'image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n'],
    ['single-quoted', "description: '{{ $labels.instance }} is down'\n"],
    ['literal block', 'tmpl: |\n  {{ define "x" }}\n  {{- range .Alerts }}{{ end }}\n  {{ end }}\n'],
    ['folded block', 'd: >-\n  {{ $labels.instance }} is\n  down\n'],
    ['plain, mid-value', 'description: Filesystem on {{ $labels.device }} is full\n'],
    ['plain key', 'labels:\n  app-{{ x }}: y\n'],
  ];
  for (const [name, text] of content) assert.equal(scan(text).structuralAt, -1, name);
  const structural: Array<[string, string, number]> = [
    ['control line', 'a: 1\n{{- if .Values.x }}\nb: 2\n{{- end }}\n', 5],
    ['template comment', '{{/* the agent */}}\na: 1\n', 0],
    ['plain value (a flow mapping to YAML)', 'name: {{ include "x.fullname" . }}\n', 6],
    ['include at an indentation', 'labels:\n  {{- include "x.labels" . | nindent 4 }}\n', 10],
    ['after a comment that also has one', '# {{ c }}\nimage: {{ .Values.image }}\n', 17],
    ['control line swallowed by a multi-line plain scalar', 'args:\n  - --v=2\n    {{- if .Values.debug }}\n', 20],
    ['Salt', "image: {{pillar['registry']}}/kube-proxy\n", 7],
  ];
  for (const [name, text, at] of structural) assert.equal(scan(text).structuralAt, at, name);
});

test('placeholders are the scalars that hold a template action, from key or header to the end of the text', () => {
  const text = 'a: "{{ x }}"\nb: plain {{ y }}\nc: |\n  {{ z }}\nd: "no action"\ne: "{{ unterminated"\n';
  const spans = scan(text).placeholders.map((p) => text.slice(p.start, p.end));
  assert.deepEqual(spans, ['"{{ x }}"', 'plain {{ y }}', '|\n  {{ z }}\n']);
});

test('a chunk with template text only in content parses as yaml itself parses it', () => {
  const text = fixture('prometheus-bundle.yaml').split('---\n')[0];
  const chunk = parseChunk(text);
  assert.equal(chunk.templated, false);
  assert.deepEqual(chunk.findings, []);
  assert.deepEqual(chunk.values, parseAllDocuments(text).map((d) => (d as { toJS(): unknown }).toJS()));
});

test('Helm chart template: recognised, one note naming helm template at the first action, nothing else', () => {
  const { model, findings } = check('helm-chart-daemonset.yaml');
  assert.equal(model.templated, true);
  assert.deepEqual(codes(findings), [TEMPLATE_NOTE]);
  assert.match(findings[0].message, /Render it \(helm template\)/);
  assert.deepEqual(findings[0].span, { start: 0, end: 2 });
});

test('a Salt template is a template, but the note does not send its author to helm', () => {
  const text = fixture('salt-kube-proxy.yaml');
  const { model, findings } = check('salt-kube-proxy.yaml', text);
  assert.equal(model.templated, true);
  assert.deepEqual(codes(findings), [TEMPLATE_NOTE]);
  assert.doesNotMatch(findings[0].message, /helm/);
  assert.match(findings[0].message, /Render it with its template engine/);
  // Reported at the first {{ of the structure, not at the comment above it.
  assert.equal(text.slice(findings[0].span.start, findings[0].span.start + 9), "{{pillar[");
});

test('isHelmTemplate knows Helm by its objects and functions, not by {{- alone', () => {
  assert.equal(isHelmTemplate('name: {{ .Release.Name }}'), true);
  assert.equal(isHelmTemplate('{{- include "x" . | nindent 4 }}'), true);
  assert.equal(isHelmTemplate('{{/* c */}}'), true);
  assert.equal(isHelmTemplate('cpu: {{ cpurequest }}\n{{- if pillar.x }}'), false);
  assert.equal(isHelmTemplate('image: {{site.imageNames["node"]}}'), false);
});

test('a {{ in a comment leaves the DaemonSet checked: restartPolicy: Never is reported, no template note', () => {
  const text = fixture('comment-placeholder.yaml');
  const { model, findings } = check('comment-placeholder.yaml', text);
  assert.equal(model.templated, false);
  assert.ok(!findings.some((f) => f.code === TEMPLATE_NOTE));
  const never = findings.find((f) => f.code === 'restart-policy-always');
  assert.equal(never && text.slice(never.span.start, never.span.end), 'Never');
});

test('PrometheusRule, Alertmanager templates and a DaemonSet in one bundle: no note, the DaemonSet is checked', () => {
  const text = fixture('prometheus-bundle.yaml');
  const { model, findings } = check('prometheus-bundle.yaml', text);
  assert.equal(model.templated, false);
  assert.equal(model.daemonSets.length, 1);
  assert.ok(!findings.some((f) => f.code === TEMPLATE_NOTE || f.code.startsWith('yaml-')));
  const effect = findings.find((f) => f.code === 'toleration-effect');
  assert.equal(effect && text.slice(effect.span.start, effect.span.end), 'NoSchedul');
});

test('quoted placeholders: no false type or value errors, the real error stays, no note', () => {
  const text = fixture('quoted-placeholders.yaml');
  const { model, findings } = check('quoted-placeholders.yaml', text);
  assert.equal(model.templated, false);
  assert.deepEqual(codes(findings), ['restart-policy-always']);
  // Without the placeholders' values the same text would be full of errors: the filter is what hides them.
  const plain = text.replace(/"\{\{ \.Values\.port \}\}"/g, '"8080"');
  assert.ok(codes(check('p.yaml', plain).findings).filter((c) => c === 'invalid-type').length >= 2);
});

test('quoted placeholders in the fields the placement reads: no placement findings from the cluster file', () => {
  const text = fixture('quoted-placeholders.yaml');
  assert.deepEqual(codes(check('q.yaml', text, 'examples/cluster.yaml').findings), ['restart-policy-always']);
  // A placeholder only in the image leaves the placement known: the untolerated taints are reported.
  const imageOnly = `apiVersion: apps/v1
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
      - name: agent
        image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
`;
  assert.ok(codes(check('i.yaml', imageOnly, 'examples/cluster.yaml').findings).includes('untolerated-taint'));
  const keyPlaceholder = imageOnly.replace('      containers:', '      tolerations:\n      - key: "{{ .Values.key }}"\n        operator: Exists\n      containers:');
  assert.deepEqual(codes(check('k.yaml', keyPlaceholder, 'examples/cluster.yaml').findings), []);
});

test('a finding reported on an ancestor that holds a placeholder is kept: it is not about the placeholder', () => {
  const text = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  template:
    metadata:
      labels: {app: "{{ .Values.app }}"}
    spec:
      containers:
      - image: "{{ .Values.image }}"
`;
  const found = check('m.yaml', text).findings.map((f) => [f.code, f.path]);
  // No selector at all matches nothing, whatever the labels render to.
  assert.deepEqual(found.find((f) => f[0] === 'selector-matches-labels'), ['selector-matches-labels', 'spec.template.metadata.labels']);
  // The container without a name is reported on the container, which holds the image placeholder.
  assert.ok(found.some(([, path]) => path === 'spec.template.spec.containers[0].name'), JSON.stringify(found));
  // A selector that may match once rendered is not judged.
  const withSelector = text.replace('spec:\n  template:', 'spec:\n  selector:\n    matchLabels: {app: agent}\n  template:');
  assert.ok(!codes(check('s.yaml', withSelector).findings).includes('selector-matches-labels'));
});

test('an edit that adds a {{ to a comment of one document of a large file keeps the others cached and checked', () => {
  const one = fixture('comment-placeholder.yaml').replace(/^#.*\n/, '');
  const many = Array.from({ length: 50 }, (_, i) => one.replace('log-agent', `agent-${i}`)).join('---\n');
  const before = validate(parseDocument('file:///many.yaml', many)).filter((f) => f.code === 'restart-policy-always').length;
  const edited = many.replace('kind: DaemonSet\n', 'kind: DaemonSet\n# {{ .Values.x }}\n');
  const after = validate(parseDocument('file:///many.yaml', edited));
  assert.equal(before, 50);
  assert.equal(after.filter((f) => f.code === 'restart-policy-always').length, 50);
  assert.ok(!after.some((f) => f.code === TEMPLATE_NOTE));
});
