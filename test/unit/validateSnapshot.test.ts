/**
 * Pins the exact output of `validate` (and of the findings -> LSP diagnostics conversion) on a wide
 * input: every fixture and example as one multi-document stream and file by file, with and without a
 * cluster file, severities, an older Kubernetes version and feature gates, plus DaemonSets mutated to
 * reach the schema's and the rules' rarer paths. Performance work on the engine must leave every byte
 * of it unchanged. After an intended change of findings, regenerate the snapshot with
 * `UPDATE_SNAPSHOT=1 node --import tsx --test test/unit/validateSnapshot.test.ts` and review its diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toDiagnostic } from '../../server/src/convert';
import { addPods, parseCluster } from '../../server/src/engine/cluster';
import { ChunkCache, parseDocument } from '../../server/src/engine/model';
import type { ClusterModel } from '../../server/src/engine/placement/types';
import type { Finding } from '../../server/src/engine/types';
import { FindingsCache, fixesOf, validate, type ValidateOptions } from '../../server/src/engine/validate';

const REPO = resolve(__dirname, '../..');
const SNAPSHOT = join(REPO, 'test/fixtures/snapshots/validate.json');
const UPDATE = process.env.UPDATE_SNAPSHOT === '1';

const FIXTURE_DIRS = ['test/fixtures/corpus', 'test/fixtures/lsp', 'test/fixtures/invalid', 'test/fixtures/placement', 'examples', 'test/fixtures/pod-os'];

function fixtureFiles(): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  for (const dir of FIXTURE_DIRS) {
    for (const f of readdirSync(join(REPO, dir)).filter((n) => /\.(ya?ml|json)$/.test(n)).sort()) {
      out.push({ name: `${dir}/${f}`, text: readFileSync(join(REPO, dir, f), 'utf8') });
    }
  }
  return out;
}

function clusterOf(path: string, podsPath?: string): ClusterModel {
  const cluster = parseCluster(parseDocument(`file:///${path}`, readFileSync(join(REPO, path), 'utf8')));
  if (!podsPath) return cluster;
  return addPods(cluster, parseCluster(parseDocument(`file:///${podsPath}`, readFileSync(join(REPO, podsPath), 'utf8'))));
}

/** A ~60-line node agent (as in bench/lsp.bench.ts), for mutations. */
function agent(name: string, extraPodSpec = '', extraContainer = ''): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
  namespace: logging
  labels:
    app.kubernetes.io/name: ${name}
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
    spec:
      serviceAccountName: ${name}
      priorityClassName: system-node-critical
${extraPodSpec}      tolerations:
      - key: dedicated
        operator: Equal
        value: logging
        effect: NoSchedule
      containers:
      - name: shipper
        image: fluent/fluent-bit:3.1.0
        args: ["--config", "/fluent-bit/etc/fluent-bit.conf"]
${extraContainer}        ports:
        - name: http
          containerPort: 2020
          protocol: TCP
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            memory: 256Mi
        volumeMounts:
        - name: varlog
          mountPath: /var/log
      volumes:
      - name: varlog
        hostPath:
          path: /var/log
`;
}

/** DaemonSets that reach the schema's and rules' rarer paths, one per document. */
function mutations(): string[] {
  return [
    agent('plain'),
    agent('nulls', '      nodeSelector:\n      hostNetwork: null\n', '        env: ~\n'),
    agent('unknown-fields', '      tolerationz: []\n      restartPolicy: Never\n', '        imagePullPolicy: Sometimes\n        resourses: {}\n'),
    agent('wrong-types', '      hostNetwork: "true"\n      terminationGracePeriodSeconds: "30"\n', '        stdin: 1\n        workingDir: 1.10\n'),
    agent('bad-tolerations', '', '').replace('operator: Equal', 'operator: equals').replace('effect: NoSchedule', 'effect: NoSchedul'),
    agent('exists-all').replace('      - key: dedicated\n        operator: Equal\n        value: logging\n        effect: NoSchedule\n', '      - operator: Exists\n'),
    agent('flow-tolerations').replace(/      tolerations:\n(      - .*\n|        .*\n)+?(?=      containers)/, '      tolerations: []\n'),
    agent('no-tolerations').replace(/      tolerations:\n(      - .*\n|        .*\n)+?(?=      containers)/, ''),
    agent('cni-agent', '      hostNetwork: false\n', '        securityContext:\n          capabilities:\n            add: ["NET_ADMIN"]\n')
      .replace('path: /var/log', 'path: /etc/cni/net.d'),
    agent('big-requests').replace('cpu: 100m', 'cpu: "64"').replace('memory: 128Mi', 'memory: 1Ti').replace('memory: 256Mi', 'memory: 64Mi'),
    agent('host-port', '', '').replace('containerPort: 2020', 'containerPort: 2020\n          hostPort: 70000'),
    agent('ünïcödé-näme').replace('app.kubernetes.io/name: ünïcödé-näme\n  template', 'app.kubernetes.io/name: "ß-label"\n  template'),
    agent(`long-${'x'.repeat(70)}`),
    agent('label-value-multibyte').replace(/(labels:\n\s+app\.kubernetes\.io\/name: )label-value-multibyte/, `$1${'é'.repeat(40)}`),
    agent('selector-mismatch').replace(/(template:\n    metadata:\n      labels:\n        app\.kubernetes\.io\/name: )selector-mismatch/, '$1other'),
    agent('suppressed').replace('      tolerations:', '      # daemonset-lens-disable-next-line missing-control-plane-toleration\n      tolerations:'),
    agent('aliases', '      nodeSelector: &sel\n        kubernetes.io/os: linux\n      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - key: kubernetes.io/os\n                operator: In\n                values: [linux]\n'),
    'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: &m\n  name: recursive\n  self: *m\nspec: &s\n  again: *s\n',
    agent('node-name', '      nodeName: node-0\n      dnsPolicy: Sometimes\n'),
    agent('removed').replace('apiVersion: apps/v1', 'apiVersion: extensions/v1beta1'),
    agent('crlf').replace(/\n/g, '\r\n'),
    '{"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "json-one", "labels": {"a": "b"}}, "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "prom/node-exporter", "securityContext": {"privileged": true}}]}}}}\n',
    'apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: DaemonSet\n  metadata:\n    name: in-list\n  spec:\n    template:\n      spec:\n        containers:\n        - name: a\n          image: fluent/fluentd\n        tolerations:\n        - key: x\n          operator: Exists\n          effect: NoExecute\n          tolerationSeconds: 5\n',
    'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: {{ .Values.name }}\nspec: {}\n',
    'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: broken\nspec:\n  selector: [\n',
    agent('windows-linux-fields', '      os: {name: windows}\n      hostPID: true\n', '        securityContext: {runAsUser: 1000, capabilities: {drop: [ALL]}}\n'),
  ];
}

function joinDocs(texts: string[]): string {
  return texts.map((t) => (t.endsWith('\n') ? t : `${t}\n`)).join('---\n');
}

interface Case {
  name: string;
  text: string;
  options: () => ValidateOptions;
}

function cases(): Case[] {
  const files = fixtureFiles();
  // A binary file (invalid/archived.yaml) would make the whole stream one `binary-file` finding.
  const all = joinDocs(files.filter((f) => !/[\u0000-\u0008\u000e-\u001a]/.test(f.text)).map((f) => f.text));
  const muts = joinDocs(mutations());
  const kubeadm = clusterOf('test/fixtures/clusters/kubeadm.yaml');
  const example = clusterOf('examples/cluster.yaml', 'examples/pods.yaml');
  const out: Case[] = [
    { name: 'stream: no options', text: all, options: () => ({}) },
    { name: 'stream: kubeadm cluster', text: all, options: () => ({ cluster: kubeadm, clusterStamp: 'kubeadm' }) },
    { name: 'stream: example cluster and pods', text: all, options: () => ({ cluster: example, clusterStamp: 'example' }) },
    {
      name: 'stream: 1.24, gates, severities',
      text: all,
      options: () => ({
        kubernetesVersion: '1.24',
        featureGates: { TaintTolerationComparisonOperators: true },
        severities: { 'unknown-field': 'warning', 'missing-control-plane-toleration': 'off', 'toleration-matches-no-taint': 'error' },
        cluster: kubeadm,
        clusterStamp: 'kubeadm',
      }),
    },
    { name: 'mutations: no options', text: muts, options: () => ({}) },
    { name: 'mutations: example cluster', text: muts, options: () => ({ cluster: example, clusterStamp: 'example' }) },
    { name: 'mutations: file-wide suppression', text: `# daemonset-lens-disable toleration-matches-no-taint, unknown-field\n${muts}`, options: () => ({ cluster: kubeadm, clusterStamp: 'kubeadm' }) },
  ];
  for (const f of files) out.push({ name: `file: ${f.name}`, text: f.text, options: () => ({ cluster: kubeadm, clusterStamp: 'kubeadm' }) });
  return out;
}

interface Result {
  findings: Finding[];
  /** The LSP diagnostics the server publishes for these findings. */
  diagnostics: string;
}

function run(c: Case, cache?: FindingsCache, chunks?: ChunkCache): Result {
  const model = parseDocument(`file:///${c.name.replace(/\W+/g, '-')}.yaml`, c.text, 1, chunks);
  const findings = validate(model, { ...c.options(), cache });
  const doc = TextDocument.create(model.uri, 'yaml', 7, c.text);
  const diagnostics = JSON.stringify(findings.map((f) => toDiagnostic(doc, f)));
  return { findings, diagnostics };
}

/** One finding per line: compact, and a change shows as the lines it changed. */
function serialize(results: Record<string, { findings: Finding[]; diagnostics: string }>): string {
  const cases = Object.entries(results).map(([name, r]) => {
    const findings = r.findings.map((f) => `   ${JSON.stringify(f)}`).join(',\n');
    return ` ${JSON.stringify(name)}: {\n  "diagnostics": ${JSON.stringify(r.diagnostics)},\n  "findings": [${findings ? `\n${findings}\n  ` : ''}]\n }`;
  });
  return `{\n${cases.join(',\n')}\n}\n`;
}

const digest = (s: string) => createHash('sha256').update(s).digest('hex');

test('validate and the diagnostics conversion give exactly the pinned output', () => {
  const actual: Record<string, { findings: Finding[]; diagnostics: string }> = {};
  for (const c of cases()) {
    const r = run(c);
    // The diagnostics repeat the findings with positions: a digest keeps the snapshot readable.
    actual[c.name] = { findings: r.findings, diagnostics: digest(r.diagnostics) };
  }
  const json = serialize(actual);
  if (UPDATE || !existsSync(SNAPSHOT)) {
    if (!UPDATE) assert.fail(`${SNAPSHOT} is missing: run with UPDATE_SNAPSHOT=1 to create it`);
    writeFileSync(SNAPSHOT, json);
    return;
  }
  const expected = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as typeof actual;
  assert.deepEqual(Object.keys(JSON.parse(json)), Object.keys(expected), 'the same cases');
  for (const name of Object.keys(expected)) {
    assert.deepEqual(JSON.parse(JSON.stringify(actual[name].findings)), expected[name].findings, `findings of "${name}"`);
    assert.equal(actual[name].diagnostics, expected[name].diagnostics, `diagnostics of "${name}"`);
  }
  assert.equal(json, readFileSync(SNAPSHOT, 'utf8'), 'byte for byte');
});

test('the pinned output covers what it must', () => {
  const snapshot = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Record<string, { findings: Finding[] }>;
  const codes = new Set(Object.values(snapshot).flatMap((r) => r.findings.map((f) => f.code)));
  for (const code of [
    'unknown-field', 'invalid-type', 'missing-control-plane-toleration', 'missing-network-unavailable-toleration',
    'untolerated-taint', 'toleration-matches-no-taint', 'tolerates-all-taints', 'unschedulable-on-nodes', 'removed-api-version',
    'toleration-operator', 'toleration-effect', 'selector-matches-labels', 'metadata-name', 'yaml-syntax', 'template-not-validated',
    'pod-os', 'os-without-node-selector',
  ]) assert.ok(codes.has(code), `the snapshot has a ${code} finding`);
  for (const name of ['stream: no options', 'stream: kubeadm cluster', 'mutations: example cluster']) {
    assert.ok(snapshot[name].findings.length >= 20, `${name}: many findings`);
  }
});

test('cached and incremental validation give what a cold validation gives', () => {
  const muts = mutations();
  const c: Case = { name: 'incremental', text: joinDocs(muts), options: () => ({ cluster: clusterOf('test/fixtures/clusters/kubeadm.yaml'), clusterStamp: 'k' }) };
  const cold = run(c);
  const cache = new FindingsCache();
  const chunks = new ChunkCache();
  assert.deepEqual(run(c, cache, chunks), cold, 'first, filling the cache');
  assert.deepEqual(run(c, cache, chunks), cold, 'second, from the cache');
  // An edit of one document: the others come from the cache, shifted to their new offsets.
  const edited: Case = { ...c, text: joinDocs([`${muts[0]}# a comment that moves every later document\n`, ...muts.slice(1)]) };
  assert.deepEqual(run(edited, cache, chunks), run(edited), 'after an edit');
});

test('without fixes, validate gives the same findings, and fixesOf gives each its fixes', () => {
  let withFixes = 0;
  for (const c of cases()) {
    const uri = `file:///${c.name.replace(/\W+/g, '-')}.yaml`;
    const full = validate(parseDocument(uri, c.text), c.options());
    const model = parseDocument(uri, c.text);
    // Through a cache, as the language server validates: cached findings come back without fixes too.
    const cache = new FindingsCache();
    validate(model, { ...c.options(), fixes: false, cache });
    const bare = validate(model, { ...c.options(), fixes: false, cache });
    assert.equal(JSON.stringify(bare), JSON.stringify(full.map((f) => ({ ...f, fixes: undefined }))), c.name);
    for (let i = 0; i < bare.length; i++) {
      assert.equal(JSON.stringify(fixesOf(model, bare[i], c.options())), JSON.stringify(full[i].fixes ?? []), `${c.name}: ${bare[i].code} at ${bare[i].span.start}`);
      if (full[i].fixes?.length) withFixes++;
    }
  }
  assert.ok(withFixes > 200, `only ${withFixes} findings with fixes`);
});

test('the findings cache keeps at most its capacity, dropping the oldest entries first', () => {
  const cache = new FindingsCache(3);
  const f = (n: number): Finding[] => [{ code: `c${n}`, severity: 'hint', message: '', path: '', span: { start: n, end: n } }];
  cache.set('a', 'o1', f(1));
  cache.set('a', 'o2', f(2));
  cache.set('b', 'o1', f(3));
  assert.deepEqual([cache.get('a', 'o1'), cache.get('a', 'o2'), cache.get('b', 'o1')], [f(1), f(2), f(3)]);
  cache.set('a', 'o2', f(4)); // a replacement is no new entry
  assert.deepEqual(cache.get('a', 'o1'), f(1));
  cache.set('c', 'o1', f(5));
  assert.equal(cache.get('a', 'o1'), undefined, 'the oldest entry went');
  assert.deepEqual([cache.get('a', 'o2'), cache.get('b', 'o1'), cache.get('c', 'o1')], [f(4), f(3), f(5)]);
  cache.set('d', 'o1', f(6));
  assert.equal(cache.get('a', 'o2'), undefined);
  assert.deepEqual([cache.get('b', 'o1'), cache.get('c', 'o1'), cache.get('d', 'o1')], [f(3), f(5), f(6)]);
});
