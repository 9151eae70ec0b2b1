/**
 * Templates in the editor: a DaemonSet whose YAML `{{ … }}` shapes (a Helm chart's, a Jinja template's)
 * is known only once rendered, so it is not placed, as the CLI's `place` and `pod` refuse it: the code
 * lens, the placement preview and the pod for a node say it is a template to render first.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeLens } from 'vscode-languageserver-protocol';
import type { PlacementResult, PodForNodeResult } from '../../server/src/protocol';
import { clusterFile } from './fixtures';
import { TestClient } from './lspClient';

const clients: TestClient[] = [];
after(() => Promise.all(clients.map((c) => c.dispose())));

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/templates', name), 'utf8');
const HELM = fixture('helm-values-daemonset.yaml');
const JINJA = fixture('jinja-nodelocaldns.yaml');
/** The Jinja DaemonSet as its role renders it. */
const RENDERED = JINJA.replace('{{ nodelocaldns_ds_nodeselector }}', '{kubernetes.io/os: linux}')
  .replace('"{{ nodelocaldns_image_repo }}:{{ nodelocaldns_image_tag }}"', 'registry.k8s.io/dns/k8s-dns-node-cache:1.23.1')
  .replace('"{{ nodelocaldns_ip }}"', '"169.254.25.10"')
  .replace('{{ nodelocaldns_memory_limit }}', '200Mi').replace('{{ nodelocaldns_cpu_requests }}', '100m').replace('{{ nodelocaldns_memory_requests }}', '70Mi');
const FILES: Record<string, string> = { 'chart/templates/daemonset.yaml': HELM, 'roles/dns/templates/nodelocaldns.yaml': JINJA, 'rendered/nodelocaldns.yaml': RENDERED };

test('a templated DaemonSet is not placed: code lens, placement preview and pod for a node say it is a template', async () => {
  const client = new TestClient({ 'cluster.yaml': clusterFile(), ...FILES });
  clients.push(client);
  await client.initialize();
  const lensTitles = async (path: string) => {
    await client.open(path, FILES[path]);
    const lenses = await client.conn.sendRequest<CodeLens[] | null>('textDocument/codeLens', { textDocument: { uri: client.uri(path) } });
    return (lenses ?? []).map((l) => l.command?.title);
  };
  assert.deepEqual(await lensTitles('chart/templates/daemonset.yaml'), ['Helm template · not placed (render it first: helm template)']);
  assert.deepEqual(await lensTitles('roles/dns/templates/nodelocaldns.yaml'), ['Template · not placed (render it first with its template engine)']);
  // Rendered, the same DaemonSet is placed.
  assert.match((await lensTitles('rendered/nodelocaldns.yaml'))[0] ?? '', /^runs on \d+ of 3 nodes/);

  for (const [path, helm] of [['chart/templates/daemonset.yaml', true], ['roles/dns/templates/nodelocaldns.yaml', false]] as const) {
    const uri = client.uri(path);
    const placement = (await client.conn.sendRequest<PlacementResult | null>('daemonset/placement', { uri }))!;
    assert.equal(placement.daemonSets.length, 1);
    assert.deepEqual(placement.daemonSets[0].template, { helm });
    assert.equal(placement.daemonSets[0].placement, undefined);
    // The rest of the answer keeps its shape (older previews read it as before).
    assert.ok(Array.isArray(placement.daemonSets[0].rules) && placement.nodes.length === 3);

    const index = placement.daemonSets[0].index;
    const pod = (await client.conn.sendRequest<PodForNodeResult | null>('daemonset/podForNode', { uri, index, node: 'worker-1' }))!;
    assert.match(pod.note ?? '', helm ? /in a Helm template .*helm template\.$/ : /in a template .*its template engine\.$/);
    assert.doesNotMatch(pod.yaml, /^kind: Pod/m);
  }
  const rendered = (await client.conn.sendRequest<PlacementResult | null>('daemonset/placement', { uri: client.uri('rendered/nodelocaldns.yaml') }))!;
  assert.ok(rendered.daemonSets[0].placement);
  assert.equal(rendered.daemonSets[0].template, undefined);
});

/** Chart DaemonSets: one YAML reads unrendered (templated name, no namespace, placeholders in its tolerations), one it cannot. */
const CHARTS: Record<string, string> = {
  'node-exporter/templates/daemonset.yaml': fixture('helm-node-exporter-daemonset.yaml'),
  'fluent-bit/templates/daemonset.yaml': fixture('helm-fluent-bit-daemonset.yaml'),
};

for (const withCluster of [false, true]) {
  test(`a chart's DaemonSet ${withCluster ? 'with' : 'without'} a cluster file: named as written, only the controller's tolerations, never "holds no DaemonSet"`, async () => {
    const client = new TestClient({ ...(withCluster ? { 'cluster.yaml': clusterFile() } : {}), ...CHARTS });
    clients.push(client);
    await client.initialize();
    const lenses = async (path: string) => {
      await client.open(path, CHARTS[path]);
      const got = await client.conn.sendRequest<CodeLens[] | null>('textDocument/codeLens', { textDocument: { uri: client.uri(path) } });
      return (got ?? []).map((l) => [l.range.start.line, l.command?.title]);
    };
    const helmLine = 'Helm template · not placed (render it first: helm template)';

    const exporter = 'node-exporter/templates/daemonset.yaml';
    assert.deepEqual(await lenses(exporter), [[CHARTS[exporter].split('\n').indexOf('kind: DaemonSet'), helmLine]]);
    const uri = client.uri(exporter);
    const placement = (await client.conn.sendRequest<PlacementResult | null>('daemonset/placement', { uri }))!;
    assert.equal(placement.cluster === undefined, !withCluster);
    const ds = placement.daemonSets[0];
    assert.deepEqual([ds.namespace, ds.name, ds.template], ['(release namespace)', '{{ include "prometheus-node-exporter.fullname" . }}', { helm: true }]);
    assert.equal(ds.placement, undefined);
    // `key: {{ .Values.dedicatedNodes.taintKey }}` and `effect: {{ … }}` are not read as key-less "every taint" tolerations.
    assert.deepEqual(ds.tolerations.map((t) => [t.source, t.why, t.toleration.key, t.toleration.effect]), [
      ['automatic', 'always', 'node.kubernetes.io/not-ready', 'NoExecute'],
      ['automatic', 'always', 'node.kubernetes.io/unreachable', 'NoExecute'],
      ['automatic', 'always', 'node.kubernetes.io/disk-pressure', 'NoSchedule'],
      ['automatic', 'always', 'node.kubernetes.io/memory-pressure', 'NoSchedule'],
      ['automatic', 'always', 'node.kubernetes.io/pid-pressure', 'NoSchedule'],
      ['automatic', 'always', 'node.kubernetes.io/unschedulable', 'NoSchedule'],
    ]);
    const cp = ds.rules.find((r) => r.taint.key === 'node-role.kubernetes.io/control-plane')!;
    assert.equal(cp.toleratedBy, undefined);
    assert.deepEqual(cp.nodes, withCluster ? ['cp-1'] : []);
    const pod = (await client.conn.sendRequest<PodForNodeResult | null>('daemonset/podForNode', { uri, index: ds.index, node: 'worker-1' }))!;
    assert.ok(pod.note?.startsWith('(release namespace)/{{ include "prometheus-node-exporter.fullname" . }} is in a Helm template ({{ … }}):'), pod.note);
    assert.doesNotMatch(pod.yaml, /^kind: Pod/m);

    const fluentBit = 'fluent-bit/templates/daemonset.yaml';
    assert.deepEqual(await lenses(fluentBit), [[CHARTS[fluentBit].split('\n').indexOf('kind: DaemonSet'), helmLine]]);
    const unread = (await client.conn.sendRequest<PlacementResult | null>('daemonset/placement', { uri: client.uri(fluentBit) }))!;
    assert.deepEqual(unread.daemonSets, []);
    assert.equal(unread.problem, 'This file is a Helm template ({{ … }}) that can be read as YAML only once it is rendered: its DaemonSet is not placed. Place the output of helm template instead.');
  });
}
