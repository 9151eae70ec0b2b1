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
