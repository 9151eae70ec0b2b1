/**
 * A DaemonSet in a template (`{{ … }}` shapes its YAML) is not placed in the editor, as `place` and `pod`
 * refuse it: the code lens, the preview and the pod view say it is a template to render first.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseCluster } from '../../server/src/engine/cluster';
import { parseDocument } from '../../server/src/engine/model';
import { daemonPodTolerations, placeDaemonSet } from '../../server/src/engine/placement';
import { templateIdentity } from '../../server/src/engine/templates';
import { templateUnreadableNote } from '../../server/src/engine/templateWords';
import { codeLenses } from '../../server/src/handlers/codeLens';
import { buildPlacementResult, podForNodeYaml } from '../../server/src/handlers/placement';
import { TEMPLATE_TAINT_UNKNOWN, templateLine, templateNote, templateTolerationsNote } from '../../server/src/protocol';
import { templateNote as cliTemplateNote } from '../../server/src/cli/place';
import { buildPreviewModel } from '../../client/src/preview/viewModel';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/templates', name), 'utf8');
/** A chart's DaemonSet (`{{ template … }}`, `.Values`, `.Release`) that still parses as YAML. */
const HELM = fixture('helm-values-daemonset.yaml');
/** An Ansible (Jinja) template: `{{ nodelocaldns_ds_nodeselector }}`, no Helm vocabulary. */
const JINJA = fixture('jinja-nodelocaldns.yaml');
/**
 * A node-exporter chart's DaemonSet that YAML reads unrendered: its name is an `include`, it sets no
 * namespace, and its tolerations hold placeholders (`key: {{ .Values.dedicatedNodes.taintKey }}`).
 */
const NODE_EXPORTER = fixture('helm-node-exporter-daemonset.yaml');
/** A fluent-bit chart's DaemonSet laid out as `helm create` does: YAML reads it only once rendered. */
const FLUENT_BIT = fixture('helm-fluent-bit-daemonset.yaml');
const CLUSTER_TEXT = readFileSync(join(__dirname, '../fixtures/placement/seed-cluster.yaml'), 'utf8');

const PLAIN = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
spec:
  selector:
    matchLabels: {app: node-exporter}
  template:
    metadata:
      labels: {app: node-exporter}
    spec:
      containers:
      - name: node-exporter
        image: quay.io/prometheus/node-exporter:v1.8.2
`;

function setup(text: string, uri = 'file:///w/chart/templates/daemonset.yaml') {
  const model = parseDocument(uri, text, 1);
  const doc = TextDocument.create(uri, 'yaml', 1, text);
  const clusterModel = parseCluster(parseDocument('file:///w/cluster.yaml', CLUSTER_TEXT));
  const clusterDoc = TextDocument.create('file:///w/cluster.yaml', 'yaml', 0, CLUSTER_TEXT);
  const info = { uri: 'file:///w/cluster.yaml', source: 'discovered' as const, nodeCount: clusterModel.nodes.length, podCount: 0, problems: 0 };
  return { model, doc, clusterModel, cluster: { info, model: clusterModel, doc: clusterDoc } };
}

describe('a DaemonSet in a template', () => {
  it('the fixtures hold a DaemonSet the engine reads, in a templated chunk', () => {
    for (const [text, helm] of [[HELM, true], [JINJA, false]] as const) {
      const { model } = setup(text);
      assert.equal(model.daemonSets.length, 1);
      assert.equal(model.templated, true);
      assert.equal(model.template?.helm, helm);
    }
  });

  it('code lens: "Helm template · not placed" for a chart, "Template · not placed" for Jinja, with or without a cluster file', () => {
    const place = (ds: Parameters<typeof placeDaemonSet>[0], c: Parameters<typeof placeDaemonSet>[1]) => placeDaemonSet(ds, c);
    for (const [text, title] of [
      [HELM, 'Helm template · not placed (render it first: helm template)'],
      [JINJA, 'Template · not placed (render it first with its template engine)'],
    ] as const) {
      const { model, doc, clusterModel } = setup(text);
      let placed = 0;
      const lenses = codeLenses(model, doc, clusterModel, {}, (ds, c) => (placed++, place(ds, c)));
      assert.deepEqual(lenses.map((l) => l.command!.title), [title]);
      assert.equal(placed, 0, 'a template is never placed');
      // Still above `kind: DaemonSet`, still opening the preview.
      assert.equal(lenses[0].range.start.line, text.split('\n').findIndex((l) => l === 'kind: DaemonSet'));
      assert.equal(lenses[0].command!.command, 'daemonsetLens.openPreviewToSide');
      assert.deepEqual(codeLenses(model, doc, undefined, {}, () => undefined).map((l) => l.command!.title), [title]);
    }
    // The same DaemonSet without template: placed.
    const plain = setup(PLAIN);
    assert.match(codeLenses(plain.model, plain.doc, plain.clusterModel, {}, place)[0].command!.title, /^runs on \d+ of \d+ nodes/);
    // A DaemonSet whose selector selects every pod: the controller makes no pod anywhere (syncDaemonSet).
    const all = setup(PLAIN.replace(/selector:\n(\s+)matchLabels:[^\n]*(\n\1 [^\n]*)*/, 'selector: {}'));
    assert.equal(all.model.daemonSets.length, 1);
    assert.equal(codeLenses(all.model, all.doc, all.clusterModel, {}, place)[0].command!.title, 'no pod on any node: the controller ignores this DaemonSet, whose selector selects all pods');
  });

  it('placement result: `template` instead of `placement`; the preview says so instead of placing it', () => {
    for (const [text, helm] of [[HELM, true], [JINJA, false]] as const) {
      const { model, doc, cluster } = setup(text);
      const r = buildPlacementResult({ model, doc, cluster, featureGates: {} });
      assert.deepEqual(r.daemonSets[0].template, { helm });
      assert.equal(r.daemonSets[0].placement, undefined);
      assert.equal(r.daemonSets[0].patch, undefined);
      const m = buildPreviewModel(r);
      assert.equal(m.summaries[0].text, templateLine(helm));
      assert.deepEqual(m.active?.warnings, [templateNote(helm)]);
      assert.deepEqual(m.active?.groups, []);
      assert.equal(m.active?.reconcile, undefined);
    }
    assert.match(templateNote(true), /Helm template .*not placed\. Place the output of helm template instead\.$/);
    assert.match(templateNote(false), /in a template .*Place the output of its template engine instead\.$/);
    // A plain DaemonSet keeps its placement and gets no `template` field.
    const plain = setup(PLAIN);
    const r = buildPlacementResult({ model: plain.model, doc: plain.doc, cluster: plain.cluster, featureGates: {} });
    assert.ok(r.daemonSets[0].placement);
    assert.equal('template' in r.daemonSets[0], false);
  });

  it('pod view: a note and no pod', () => {
    for (const [text, re] of [
      [HELM, /^This DaemonSet is in a Helm template \(\{\{ … \}\}\): .* Generate the pod from the output of helm template\.$/],
      [JINJA, /^kube-system\/nodelocaldns is in a template \(\{\{ … \}\}\): .* Generate the pod from the output of its template engine\.$/],
    ] as const) {
      const { model, clusterModel } = setup(text);
      const r = podForNodeYaml(model.daemonSets[0], 'worker-1', clusterModel, undefined, { helm: model.template!.helm });
      assert.match(r.note ?? '', re);
      assert.equal(r.yaml, `# ${r.note}\n`);
      assert.doesNotMatch(r.yaml, /^kind: Pod/m);
    }
  });

  it('the CLI says it with the same engine words as before', () => {
    assert.equal(cliTemplateNote(setup(HELM).model, 'daemonset.yaml', 'daemonset-lens place --cluster FILE'),
      "'daemonset.yaml' is a template ({{ … }}): its DaemonSets are known only once it is rendered; render it first (helm template RELEASE CHART | daemonset-lens place --cluster FILE -)");
    assert.equal(cliTemplateNote(setup(JINJA).model, 'ds.yaml', 'daemonset-lens pod --cluster FILE --node n'),
      "'ds.yaml' is a template ({{ … }}): its DaemonSets are known only once it is rendered; render it first with its template engine (… | daemonset-lens pod --cluster FILE --node n -)");
  });
});

describe('a templated DaemonSet as the preview, code lens and pod view name it', () => {
  it('its name and namespace as written; a namespace the template does not set is not "default"', () => {
    for (const [text, helm, namespace, name] of [
      [NODE_EXPORTER, true, '(release namespace)', '{{ include "prometheus-node-exporter.fullname" . }}'],
      [HELM, true, '{{ .Release.Namespace }}', '{{ template "fluentd-elasticsearch.fullname" . }}'],
      [JINJA, false, 'kube-system', 'nodelocaldns'],
      [JINJA.replace('  namespace: kube-system\n', ''), false, '(namespace not set)', 'nodelocaldns'],
    ] as const) {
      for (const withCluster of [false, true]) {
        const { model, doc, cluster, clusterModel } = setup(text);
        const r = buildPlacementResult({ model, doc, cluster: withCluster ? cluster : undefined, featureGates: {} });
        assert.deepEqual([r.daemonSets[0].namespace, r.daemonSets[0].name], [namespace, name]);
        assert.deepEqual(r.daemonSets[0].template, { helm });
        // The preview's summary row and title read the same fields.
        const m = buildPreviewModel(r);
        assert.deepEqual([m.summaries[0].namespace, m.summaries[0].name], [namespace, name]);
        assert.deepEqual([m.active?.namespace, m.active?.name], [namespace, name]);
        // The pod view, given what the handler gives it, says the same.
        const ds = model.daemonSets[0];
        const pod = podForNodeYaml(ds, 'worker-1', clusterModel, undefined, { helm, ...templateIdentity(model.text, ds, helm) });
        assert.ok(pod.note?.startsWith(`${namespace}/${name} is in a ${helm ? 'Helm ' : ''}template`), pod.note);
        assert.doesNotMatch(pod.note ?? '', /default\//);
      }
    }
  });

  it('a name split over lines or a namespace with a pipeline reads as one line, as written', () => {
    const text = NODE_EXPORTER.replace('  name: {{ include "prometheus-node-exporter.fullname" . }}\n',
      '  name: {{ include "prometheus-node-exporter.fullname"\n    . }}\n  namespace: {{ .Release.Namespace | quote }}\n');
    const { model, doc } = setup(text);
    const r = buildPlacementResult({ model, doc, featureGates: {} });
    assert.deepEqual([r.daemonSets[0].namespace, r.daemonSets[0].name], ['{{ .Release.Namespace | quote }}', '{{ include "prometheus-node-exporter.fullname" . }}']);
  });

  it('an ordinary manifest keeps its name, and "default" when it sets no namespace', () => {
    const plain = setup(PLAIN.replace('  namespace: monitoring\n', ''));
    const r = buildPlacementResult({ model: plain.model, doc: plain.doc, featureGates: {} });
    assert.deepEqual([r.daemonSets[0].namespace, r.daemonSets[0].name], ['default', 'node-exporter']);
    assert.match(podForNodeYaml(plain.model.daemonSets[0], 'worker-1', undefined, undefined).yaml, /for default\/node-exporter on node worker-1/);
  });
});

describe('a templated DaemonSet\'s tolerations', () => {
  const controller = daemonPodTolerations(false).map((toleration) => ({ toleration, source: 'automatic', why: 'always' }));

  it('only those the controller adds to every pod, never the placeholders read as tolerations', () => {
    for (const [text, helm] of [[NODE_EXPORTER, true], [HELM, true], [JINJA, false]] as const) {
      for (const withCluster of [false, true]) {
        const { model, doc, cluster } = setup(text);
        const r = buildPlacementResult({ model, doc, cluster: withCluster ? cluster : undefined, featureGates: {} });
        const ds = r.daemonSets[0];
        // Not `key: {{ … }}` read as a key-less "every taint", not network-unavailable for `hostNetwork: true` as written.
        assert.deepEqual(ds.tolerations, controller);
        const m = buildPreviewModel(r);
        assert.ok(m.active!.tolerations.every((t) => t.source === 'automatic' && t.why === 'always'), 'only the controller\'s, labelled');
        assert.equal(m.active!.tolerationsNote, templateTolerationsNote(helm));
        assert.equal(m.active!.notPlaced, true);
      }
    }
    assert.match(templateTolerationsNote(true), /^Only the tolerations the DaemonSet controller adds to every pod are listed\. The template's own tolerations .* are known only once it is rendered \(helm template\)\.$/);
  });

  it('a taint none of them tolerates is unknown until rendered, not "not tolerated"', () => {
    for (const withCluster of [false, true]) {
      const { model, doc, cluster } = setup(NODE_EXPORTER);
      const r = buildPlacementResult({ model, doc, cluster: withCluster ? cluster : undefined, featureGates: {} });
      const rules = buildPreviewModel(r).active!.rules;
      const row = (text: string) => rules.find((x) => x.text === text)!;
      const cp = row('node-role.kubernetes.io/control-plane:NoSchedule');
      assert.deepEqual([cp.tolerated, cp.unknown, cp.by], [false, TEMPLATE_TAINT_UNKNOWN, undefined]);
      assert.equal(row('node.kubernetes.io/network-unavailable:NoSchedule').unknown, TEMPLATE_TAINT_UNKNOWN);
      const notReady = row('node.kubernetes.io/not-ready:NoExecute');
      assert.deepEqual([notReady.tolerated, notReady.unknown, notReady.by], [true, undefined, 'added by the controller (always)']);
      assert.ok(rules.every((x) => x.tolerated || x.unknown === TEMPLATE_TAINT_UNKNOWN), 'no taint is said to be not tolerated');
    }
  });

  it('an ordinary manifest: its own tolerations, the controller\'s, and no unknown taint', () => {
    const plain = setup(NODE_EXPORTER.replace(/\{\{[^}]*\}\}/g, 'x').replace(/"x\/x:x"/, 'quay.io/prometheus/node-exporter:v1.8.2').replace(/containerPort: x/, 'containerPort: 9100').replace('key: x', 'key: dedicated').replace('effect: x', 'effect: NoExecute'));
    assert.equal(plain.model.templated, false);
    const r = buildPlacementResult({ model: plain.model, doc: plain.doc, featureGates: {} });
    const ds = r.daemonSets[0];
    assert.deepEqual(ds.tolerations.map((t) => t.source), ['manifest', 'manifest', ...controller.map(() => 'automatic'), 'automatic']);
    const m = buildPreviewModel(r);
    assert.ok(m.active!.rules.every((x) => !('unknown' in x)), 'no unknown taint');
    assert.equal('tolerationsNote' in m.active!, false);
    assert.equal('notPlaced' in m.active!, false);
  });
});

describe('a chart\'s DaemonSet that YAML reads only once rendered', () => {
  it('the preview says the file is a template to render, not that it holds no DaemonSet; the code lens says so above it', () => {
    for (const withCluster of [false, true]) {
      const { model, doc, cluster, clusterModel } = setup(FLUENT_BIT);
      assert.equal(model.daemonSets.length, 0, 'YAML cannot read it unrendered');
      const r = buildPlacementResult({ model, doc, cluster: withCluster ? cluster : undefined, featureGates: {} });
      assert.deepEqual(r.daemonSets, []);
      assert.equal(r.problem, templateUnreadableNote(true, 1));
      const m = buildPreviewModel(r);
      assert.equal(m.state, 'empty');
      assert.equal(m.message, 'This file is a Helm template ({{ … }}) that can be read as YAML only once it is rendered: its DaemonSet is not placed. Place the output of helm template instead.');
      const lenses = codeLenses(model, doc, withCluster ? clusterModel : undefined, {}, () => undefined);
      assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command!.title, l.command!.arguments]), [
        [FLUENT_BIT.split('\n').indexOf('kind: DaemonSet'), templateLine(true), [model.uri]],
      ]);
    }
    assert.equal(templateUnreadableNote(false, 2), 'This file is a template ({{ … }}) that can be read as YAML only once it is rendered: its 2 DaemonSets are not placed. Place the output of its template engine instead.');
  });

  it('beside a DaemonSet that is read, one that YAML reads only once rendered is said, not left out', () => {
    const both = `${NODE_EXPORTER.replace(/\n*$/, '\n')}---\n${FLUENT_BIT}`;
    const { model, doc } = setup(both);
    assert.equal(model.daemonSets.length, 1);
    const r = buildPlacementResult({ model, doc, featureGates: {} });
    assert.equal(r.problem, undefined);
    assert.equal(r.note, templateUnreadableNote(true, 1, true));
    assert.equal(r.note, 'One more DaemonSet of this Helm template ({{ … }}) can be read as YAML only once it is rendered: it is neither shown nor placed. Place the output of helm template instead.');
    const m = buildPreviewModel(r);
    assert.ok(m.active!.warnings.includes(r.note!), JSON.stringify(m.active!.warnings));
    // A template whose DaemonSets are all read has no such note.
    assert.equal(buildPlacementResult({ ...setup(NODE_EXPORTER), featureGates: {} }).note, undefined);
  });

  it('a template of something else, or a comment naming a DaemonSet, still holds no DaemonSet', () => {
    const configMap = `{{- if .Values.config.create }}
# Read by the kind: DaemonSet of this chart.
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "fluent-bit.fullname" . }}
  labels:
    {{- include "fluent-bit.labels" . | nindent 4 }}
data:
  note: |
    kind: DaemonSet
  ds.yaml: |
    apiVersion: apps/v1
    kind: DaemonSet
    metadata:
      name: embedded
  after: >-
    apiVersion: v1

    kind: DaemonSet
{{- end }}
`;
    const { model, doc } = setup(configMap);
    assert.equal(model.templated, true);
    const r = buildPlacementResult({ model, doc, featureGates: {} });
    assert.equal(r.problem, undefined);
    assert.equal(buildPreviewModel(r).message, 'daemonset.yaml holds no DaemonSet.');
    assert.deepEqual(codeLenses(model, doc, undefined, {}, () => undefined), []);
  });
});
