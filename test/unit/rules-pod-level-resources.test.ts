/**
 * pod-level-resources: validatePodResources for `spec.template.spec.resources` (PodLevelResources),
 * with upstream's messages and field paths, the sidecar formula of AggregateContainerRequests, and the
 * feature gate by target version.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/engine/edits';
import { parseDocument } from '../../server/src/engine/model';
import { RULES } from '../../server/src/engine/rules';
import type { Finding } from '../../server/src/engine/types';
import { validate, type ValidateOptions } from '../../server/src/engine/validate';

const RULE = 'pod-level-resources';
const R = 'spec.template.spec.resources';
const QUANTITY_REGEX = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const SUPPORTED = 'supported values: "cpu", "hugepages-", "memory"';

/** node-exporter with kube-rbac-proxy beside it; `podResources` is spliced into the pod spec (at column 6). */
function nodeExporter(podResources: string, opts: { exporter?: string; proxy?: string; extra?: string } = {}): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: node-exporter}
  template:
    metadata:
      labels: {app.kubernetes.io/name: node-exporter}
    spec:
      hostNetwork: true
      hostPID: true
${podResources}${opts.extra ?? ''}      containers:
      - name: node-exporter
        image: quay.io/prometheus/node-exporter:v1.8.2
        args: [--path.rootfs=/host]
        resources:
          ${opts.exporter ?? 'requests: {cpu: 500m, memory: 64Mi}'}
      - name: kube-rbac-proxy
        image: quay.io/brancz/kube-rbac-proxy:v0.18.1
        ports:
        - {name: https, containerPort: 9100, hostPort: 9100}
        resources:
          ${opts.proxy ?? 'requests: {cpu: 1, memory: 32Mi}'}
      tolerations:
      - operator: Exists
`;
}

/** The pod-level block as it sits in the pod spec. */
const podLevel = (body: string) => `      resources:\n${body.replace(/^\n/, '').replace(/^(?=.)/gm, '        ')}`;

function check(text: string, options: ValidateOptions = {}): Finding[] {
  const all = validate(parseDocument('file:///ds.yaml', text), options);
  assert.deepEqual(all.filter((f) => f.code === 'internal-error').map((f) => f.message), []);
  return all.filter((f) => f.code === RULE);
}
const at = (text: string, f: Finding) => text.slice(f.span.start, f.span.end);
const summary = (text: string, options?: ValidateOptions) => check(text, options).map((f) => [f.path, f.message, at(text, f)]);

test('pod-level-resources is registered, an error by default', () => {
  const rule = RULES.find((r) => r.id === RULE);
  assert.ok(rule);
  assert.equal(rule.defaultSeverity, 'error');
});

test('valid pod-level requests and limits that cover the containers: nothing to report', () => {
  // 500m + 1 = 1500m and 64Mi + 32Mi = 96Mi; the limits are above every container limit.
  const valid = nodeExporter(podLevel(`
requests: {cpu: 1500m, memory: 96Mi}
limits: {cpu: 2, memory: 256Mi}
`));
  assert.deepEqual(summary(valid), []);
  // One millicore less than the containers ask for is not.
  assert.deepEqual(summary(valid.replace('cpu: 1500m', 'cpu: 1499m')).map(([, m]) => m), [
    'Invalid value: "1499m": must be greater than or equal to aggregate container requests of 1500m',
  ]);
  // Only limits, or only requests at the aggregate, are valid too.
  assert.deepEqual(summary(nodeExporter(podLevel('limits: {cpu: "1.5", memory: 1Gi}\n'))), []);
  assert.deepEqual(summary(nodeExporter(podLevel('requests: {cpu: "1.5"}\n'))), []);
  // An empty resources block, and none at all.
  assert.deepEqual(summary(nodeExporter('      resources: {}\n')), []);
  assert.deepEqual(summary(nodeExporter('')), []);
});

test('a windows pod may not set pod-level resources, and nothing else is said about them', () => {
  const text = nodeExporter(podLevel(`
requests: {cpu: 1, ephemeral-storage: 1Gi}
limits: {cpu: 500m}
claims: [{name: gpu}]
`), { extra: '      os:\n        name: windows\n' });
  assert.deepEqual(summary(text), [[R, 'Forbidden: may not be set for a windows pod', 'resources']]);
  assert.deepEqual(summary(nodeExporter('      resources: {}\n', { extra: '      os: {name: windows}\n' })), [[R, 'Forbidden: may not be set for a windows pod', 'resources']]);
  // A linux pod gets the detailed findings instead.
  assert.deepEqual(summary(text.replace('name: windows', 'name: linux')).map(([path]) => path), [
    `${R}.claims`,
    `${R}.requests[ephemeral-storage]`,
    `${R}.requests`,
    `${R}.requests[cpu]`,
  ]);
});

test('claims may not be set at pod level', () => {
  const text = nodeExporter(podLevel(`
requests: {cpu: 2}
claims:
- name: gpu
`));
  assert.deepEqual(summary(text), [[`${R}.claims`, 'Forbidden: claims may not be set for Resources at pod-level', 'claims']]);
  assert.deepEqual(summary(text.replace('claims:\n        - name: gpu', 'claims: []')), [[`${R}.claims`, 'Forbidden: claims may not be set for Resources at pod-level', 'claims']]);
  assert.deepEqual(summary(text.replace('claims:\n        - name: gpu', 'claims: null')), []);
});

test('only cpu, memory and hugepages-* are supported at pod level; other names as validateResourceName says', () => {
  const text = nodeExporter(podLevel(`
limits: {cpu: 2, ephemeral-storage: 2Gi, nvidia.com/gpu: 1}
requests: {cpus: 2}
`));
  assert.deepEqual(summary(text), [
    [`${R}.limits[ephemeral-storage]`, `Unsupported value: "ephemeral-storage": ${SUPPORTED}`, 'ephemeral-storage'],
    [`${R}.limits[nvidia.com/gpu]`, `Unsupported value: "nvidia.com/gpu": ${SUPPORTED}`, 'nvidia.com/gpu'],
    // validatePodResourceName stops at validateResourceName's error.
    [`${R}.requests[cpus]`, 'Invalid value: "cpus": must be a standard resource type or fully qualified', 'cpus'],
  ]);
});

test('quantities must parse and not be negative', () => {
  const text = nodeExporter(podLevel(`
requests: {cpu: "1.5 cores", memory: -96Mi}
`));
  assert.deepEqual(summary(text), [
    [`${R}.requests[cpu]`, QUANTITY_REGEX, '"1.5 cores"'],
    [`${R}.requests[memory]`, 'Invalid value: "-96Mi": must be greater than or equal to 0', '-96Mi'],
    [`${R}.requests[memory]`, 'Invalid value: "-96Mi": must be greater than or equal to aggregate container requests of 96Mi', '-96Mi'],
  ]);
});

test('a pod-level request above its limit, fixed either way by editing one scalar', () => {
  const text = nodeExporter(podLevel(`
requests: {cpu: 2, memory: 96Mi}
limits: {cpu: 1, memory: 256Mi}
`), { proxy: 'requests: {cpu: 500m, memory: 32Mi}' });
  const [f, ...rest] = check(text);
  assert.deepEqual(rest.map((x) => x.message), []);
  assert.equal(f.path, `${R}.requests`);
  assert.equal(f.message, 'Invalid value: "2": must be less than or equal to cpu limit of 1');
  assert.equal(at(text, f), '2');
  const titles = f.fixes!.map((x) => x.title);
  assert.deepEqual(titles, ['Set the cpu request to the limit (1)', 'Set the cpu limit to the request (2)']);
  for (const fix of f.fixes!) {
    assert.equal(fix.edits.length, 1);
    const fixed = applyEdits(text, fix.edits);
    assert.deepEqual(summary(fixed), []);
  }
});

test('huge pages at pod level: equal request and limit, a multiple of the page size, beside cpu or memory', () => {
  const hp = (body: string) => nodeExporter(podLevel(body), { exporter: 'requests: {cpu: 100m}', proxy: 'requests: {cpu: 100m}' });
  assert.deepEqual(summary(hp('requests: {cpu: 200m, hugepages-2Mi: 4Mi}\nlimits: {hugepages-2Mi: 8Mi}\n')), [
    [`${R}.requests`, 'Invalid value: "4Mi": must be equal to hugepages-2Mi limit of 8Mi', '4Mi'],
  ]);
  assert.deepEqual(summary(hp('requests: {cpu: 200m, hugepages-2Mi: 4Mi}\n')), [
    [`${R}.limits`, 'Required value: Limit must be set for non overcommitable resources', 'hugepages-2Mi'],
  ]);
  assert.deepEqual(summary(hp('limits: {hugepages-1Gi: 1Gi}\n')), [[R, 'Forbidden: HugePages require cpu or memory', 'resources']]);
  assert.deepEqual(summary(hp('limits: {memory: 1Gi, hugepages-2Mi: 3Mi}\n')), [
    [`${R}.limits[hugepages-2Mi]`, 'Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi', '3Mi'],
  ]);
  assert.deepEqual(summary(hp('requests: {cpu: 200m, hugepages-2Mi: 4Mi}\nlimits: {hugepages-2Mi: 4Mi}\n')), []);
});

test('pod-level requests must cover the aggregate container requests, with a fix that raises them', () => {
  const text = nodeExporter(podLevel(`
requests: {cpu: 1, memory: 64Mi}
`));
  const found = check(text);
  assert.deepEqual(found.map((f) => [f.path, f.message, at(text, f)]), [
    [`${R}.requests[cpu]`, 'Invalid value: "1": must be greater than or equal to aggregate container requests of 1500m', '1'],
    [`${R}.requests[memory]`, 'Invalid value: "64Mi": must be greater than or equal to aggregate container requests of 96Mi', '64Mi'],
  ]);
  const fix = found[0].fixes?.[0];
  assert.ok(fix);
  assert.equal(fix.title, "Raise the pod-level cpu request to the containers' 1500m");
  assert.equal(fix.edits.length, 1);
  const fixed = applyEdits(text, fix.edits);
  assert.ok(fixed.includes('requests: {cpu: "1500m", memory: 64Mi}'), fixed);
  assert.deepEqual(summary(fixed).map(([path]) => path), [`${R}.requests[memory]`]);
  assert.deepEqual(summary(applyEdits(fixed, check(fixed)[0].fixes![0].edits)), []);
  // No fix where the aggregate would exceed the pod-level limit: it would only move the error.
  const capped = nodeExporter(podLevel('requests: {cpu: 1}\nlimits: {cpu: 1200m}\n'), { proxy: 'requests: {cpu: 1, memory: 32Mi}\n          limits: {cpu: 1}' });
  const [f] = check(capped);
  assert.equal(f.message, 'Invalid value: "1": must be greater than or equal to aggregate container requests of 1500m');
  assert.equal(f.fixes, undefined);
  // A container limit without a request is no request here: a pod template gets no SetDefaults_Pod.
  assert.deepEqual(summary(nodeExporter(podLevel('requests: {cpu: 1500m}\n'), { proxy: 'limits: {cpu: 4, memory: 32Mi}' })), []);
});

test('sidecar init containers (restartPolicy: Always) add to the containers; other init containers count by the largest', () => {
  const withInit = (inits: string, pod: string) =>
    nodeExporter(podLevel(pod), { extra: `      initContainers:\n${inits.replace(/^(?=.)/gm, '      ')}` });
  const sidecar = `- name: config-reloader
  image: quay.io/prometheus-operator/prometheus-config-reloader:v0.76.0
  restartPolicy: Always
  resources:
    requests: {cpu: 700m}
`;
  // 500m + 1 + 700m = 2200m.
  assert.deepEqual(summary(withInit(sidecar, 'requests: {cpu: 2}\n')), [
    [`${R}.requests[cpu]`, 'Invalid value: "2": must be greater than or equal to aggregate container requests of 2200m', '2'],
  ]);
  assert.deepEqual(summary(withInit(sidecar, 'requests: {cpu: 2200m}\n')), []);
  // The same container as a plain init container runs alone before the others: max(1500m, 700m).
  assert.deepEqual(summary(withInit(sidecar.replace('  restartPolicy: Always\n', ''), 'requests: {cpu: 1500m}\n')), []);

  // A plain init container larger than the containers sets the aggregate, plus the sidecars started before it.
  const setup = `- name: setup
  image: busybox:1.36
  command: [sh, -c, "sysctl -w net.core.rmem_max=2500000"]
  resources:
    requests: {cpu: "2", memory: 16Mi}
`;
  assert.deepEqual(summary(withInit(setup, 'requests: {cpu: 1500m}\n')), [
    [`${R}.requests[cpu]`, 'Invalid value: "1500m": must be greater than or equal to aggregate container requests of 2', '1500m'],
  ]);
  // max(1500m + 700m, 2 + 700m) = 2700m.
  assert.deepEqual(summary(withInit(sidecar + setup, 'requests: {cpu: "2.5"}\n')), [
    [`${R}.requests[cpu]`, 'Invalid value: "2500m": must be greater than or equal to aggregate container requests of 2700m', '"2.5"'],
  ]);
  // After the plain init container, the sidecar no longer adds to it: max(2200m, 2).
  assert.deepEqual(summary(withInit(setup + sidecar, 'requests: {cpu: 2200m}\n')), []);
});

test('pod-level huge pages limits must cover the containers\' aggregate limits', () => {
  const dpdk = (podHugePages: string) => nodeExporter(podLevel(`
requests: {cpu: 2, memory: 1Gi, hugepages-2Mi: ${podHugePages}}
limits: {memory: 1Gi, hugepages-2Mi: ${podHugePages}}
`), { exporter: 'limits: {memory: 768Mi, hugepages-2Mi: 64Mi}', proxy: 'limits: {memory: 512Mi, hugepages-2Mi: 32Mi}' });
  assert.deepEqual(summary(dpdk('64Mi')), [
    [`${R}.limits[hugepages-2Mi]`, 'Invalid value: "64Mi": must be greater than or equal to aggregate container limits of 96Mi', '64Mi'],
  ]);
  // Memory limits may add up past the pod's (768Mi + 512Mi > 1Gi), each within it: only huge pages are summed.
  assert.deepEqual(summary(dpdk('96Mi')), []);
});

test('no container limit may exceed the pod-level limit (reported at the path upstream builds)', () => {
  const text = nodeExporter(podLevel(`
requests: {cpu: 1500m, memory: 96Mi}
limits: {cpu: 1500m, memory: 128Mi}
`), { exporter: 'requests: {cpu: 500m, memory: 64Mi}\n          limits: {cpu: 2, memory: 128Mi}', proxy: 'requests: {cpu: 1, memory: 32Mi}\n          limits: {memory: 0.25Gi}' });
  assert.deepEqual(summary(text), [
    [`${R}.containers[0][cpu].limits`, 'Invalid value: "2": must be less than or equal to pod limits of 1500m', '2'],
    [`${R}.containers[1][memory].limits`, 'Invalid value: "256Mi": must be less than or equal to pod limits of 128Mi', '0.25Gi'],
  ]);
  // Init containers are not compared with the pod limits.
  const init = `      initContainers:\n      - name: setup\n        image: busybox:1.36\n        resources:\n          limits: {cpu: 4}\n`;
  assert.deepEqual(summary(nodeExporter(podLevel('limits: {cpu: 2}\n'), { extra: init })), []);
});

test('the gate: from 1.34 by default, in 1.32 and 1.33 only with PodLevelResources, never before 1.32, off when set false', () => {
  const text = nodeExporter(podLevel('requests: {cpu: 1}\n'));
  const finding = [[`${R}.requests[cpu]`, 'Invalid value: "1": must be greater than or equal to aggregate container requests of 1500m', '1']];
  assert.deepEqual(summary(text), finding);
  assert.deepEqual(summary(text, { kubernetesVersion: '1.34' }), finding);
  assert.deepEqual(summary(text, { kubernetesVersion: '1.33' }), []);
  assert.deepEqual(summary(text, { kubernetesVersion: '1.33', featureGates: { PodLevelResources: true } }), finding);
  assert.deepEqual(summary(text, { kubernetesVersion: '1.32', featureGates: { PodLevelResources: true } }), finding);
  assert.deepEqual(summary(text, { kubernetesVersion: '1.31', featureGates: { PodLevelResources: true } }), []);
  assert.deepEqual(summary(text, { featureGates: { PodLevelResources: false } }), []);
  // With the gate off the field is still decoded (1.32 on): a quantity that does not parse fails the request.
  const garbage = nodeExporter(podLevel('requests: {cpu: 1, memory: 96 Mi, ephemeral-storage: 1Gi}\n'));
  const parseError = [[`${R}.requests[memory]`, QUANTITY_REGEX, '96 Mi']];
  assert.deepEqual(summary(garbage, { kubernetesVersion: '1.33' }), parseError);
  assert.deepEqual(summary(garbage, { featureGates: { PodLevelResources: false } }), parseError);
  assert.deepEqual(summary(garbage, { kubernetesVersion: '1.31' }), []);
});

test('the setting turns the rule down or off', () => {
  const text = nodeExporter(podLevel('requests: {cpu: 1}\n'));
  assert.deepEqual(check(text, { severities: { [RULE]: 'warning' } }).map((f) => f.severity), ['warning']);
  assert.deepEqual(check(text, { severities: { [RULE]: 'off' } }), []);
});

test('a Kustomize patch may leave the pod-level cpu, memory and limits to its base', () => {
  const text = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: dpdk-agent
spec:
  template:
    spec:
      resources:
        requests:
          hugepages-2Mi: 64Mi
      containers:
      - name: agent
`;
  // The manifest the patch belongs to, with the selector and image a patch leaves out.
  const complete = (patch: string) => patch
    .replace('spec:\n  template:\n    spec:\n', 'spec:\n  selector:\n    matchLabels: {app: dpdk-agent}\n  template:\n    metadata:\n      labels: {app: dpdk-agent}\n    spec:\n')
    .replace('      - name: agent\n', '      - name: agent\n        image: registry.example.com/dpdk-agent:1.0\n');
  const found = (asPatch: boolean) => validate(parseDocument('patch.yaml', asPatch ? text : complete(text)), {})
    .filter((f) => f.code === RULE).map((f) => f.message);
  assert.deepEqual(found(true), []);
  assert.deepEqual(found(false), ['Forbidden: HugePages require cpu or memory', 'Required value: Limit must be set for non overcommitable resources']);
});

test('bad input never throws', () => {
  const cases = [
    '      resources: x\n',
    '      resources: []\n',
    '      resources: 5\n',
    '      resources: null\n',
    podLevel('requests: []\nlimits: x\n'),
    podLevel('requests: {cpu: [1], memory: {a: 1}}\nlimits: {cpu: true}\n'),
    podLevel('requests: {cpu: null}\nlimits: {cpu: ~}\nclaims: x\n'),
    podLevel('requests: {"": 1, "a/b/c": 2}\n'),
  ];
  for (const pod of cases) {
    for (const extra of ['', '      os: windows\n', '      os: {name: 5}\n', '      initContainers: [1, x, {resources: 5}, {restartPolicy: Always, resources: {requests: x}}]\n']) {
      const text = nodeExporter(pod, { extra });
      for (const f of check(text)) {
        assert.ok(typeof f.message === 'string' && f.span.start <= f.span.end, JSON.stringify(f));
      }
    }
  }
  // Quantities that do not decode are reported as the decoder words them, and skipped when summing.
  assert.deepEqual(summary(nodeExporter(podLevel('requests: {cpu: [1]}\n'))), [[`${R}.requests[cpu]`, QUANTITY_REGEX, '[1]']]);
  assert.deepEqual(summary(nodeExporter(podLevel('requests: {cpu: 1}\n'), { exporter: 'requests: {cpu: lots}', proxy: 'requests: {cpu: 1}' })), []);
  // Containers that are not maps add nothing.
  const rule = RULES.find((r) => r.id === RULE)!;
  const model = parseDocument('file:///ds.yaml', nodeExporter(podLevel('requests: {cpu: 1}\n')).replace(/      containers:[\s\S]*?      tolerations:/, '      containers: [1, "x", null]\n      tolerations:'));
  assert.deepEqual(rule.check(model.daemonSets[0], { model, featureGates: {}, kubernetesMinor: 35 }), []);
});
