import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/model';
import { validate, type ValidateOptions } from '../../server/src/engine/validate';
import { RULES } from '../../server/src/engine/rules';
import type { Finding, Fix, TextEdit } from '../../server/src/engine/types';
import { podSpecManifest } from './podSpecManifest';

// Upstream detail texts (apimachinery/pkg/util/validation), spelled out so a wording change shows.
const LABEL_NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const DNS_LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS_SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUANTITY_REGEX = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const T = 'spec.template.spec';

/** A DaemonSet whose pod spec is `podSpec` (written at column 0). */
const daemonSet = (podSpec: string, name = 'node-exporter'): string => podSpecManifest(podSpec, { name, namespace: 'monitoring' });

const EXPORTER = `
containers:
- name: node-exporter
  image: quay.io/prometheus/node-exporter:v1.8.2
  args: [--path.rootfs=/host]
  ports:
  - name: metrics
    containerPort: 9100
    hostPort: 9100
  resources:
    requests: {cpu: 100m, memory: 64Mi}
    limits: {cpu: 250m, memory: 128Mi}
hostNetwork: true
hostPID: true
tolerations:
- operator: Exists
`;

function check(text: string, code: string, options: ValidateOptions = {}): Finding[] {
  return validate(parseDocument('ds.yaml', text), { rules: RULES, ...options }).filter((f) => f.code === code);
}

const under = (text: string, f: Finding) => text.slice(f.span.start, f.span.end);

/** Applies a fix's edits, last first (edits never overlap). */
function applyFix(text: string, fix: Fix): string {
  const edits: TextEdit[] = [...fix.edits].sort((a, b) => b.span.start - a.span.start);
  return edits.reduce((t, e) => t.slice(0, e.span.start) + e.newText + t.slice(e.span.end), text);
}

/** Asserts exactly one finding with this path, message and text under its span, and returns it. */
function expectOne(text: string, code: string, path: string, message: string, spanText: string, options?: ValidateOptions): Finding {
  const found = check(text, code, options).filter((f) => f.path === path);
  assert.equal(found.length, 1, `${code} at ${path}: ${JSON.stringify(check(text, code, options).map((f) => [f.path, f.message]))}`);
  const [f] = found;
  assert.equal(f.message, message);
  assert.equal(under(text, f), spanText);
  assert.equal(f.severity, 'error');
  return f;
}

function expectNone(text: string, code: string, options?: ValidateOptions): void {
  assert.deepEqual(check(text, code, options).map((f) => `${f.path}: ${f.message}`), []);
}

/** Applies the fix titled `title` and checks the finding at `path` is gone. */
function fixAndRecheck(text: string, f: Finding, title: string, code: string, options?: ValidateOptions): string {
  const fix = f.fixes?.find((x) => x.title === title);
  assert.ok(fix, `fix "${title}" among ${JSON.stringify(f.fixes?.map((x) => x.title))}`);
  const fixed = applyFix(text, fix);
  assert.notEqual(fixed, text);
  assert.deepEqual(check(fixed, code, options).filter((x) => x.path === f.path).map((x) => x.message), []);
  return fixed;
}

test('the realistic baseline triggers none of the pod-spec rules', () => {
  const text = daemonSet(EXPORTER);
  for (const code of ['toleration-key', 'toleration-operator', 'toleration-effect', 'containers-required', 'container-name', 'container-image',
    'container-ports', 'ephemeral-containers', 'dns-policy', 'node-selector-labels', 'node-name', 'pod-spec-names', 'node-affinity',
    'resource-quantities', 'requests-within-limits', 'pod-os']) {
    assert.ok(RULES.some((r) => r.id === code), `${code} is registered`);
    expectNone(text, code);
  }
});

// --- tolerations -------------------------------------------------------------------------------

test('toleration-key: a key that is not a label key', () => {
  const text = daemonSet(EXPORTER.replace('- operator: Exists', '- key: node-role.kubernetes.io/control plane\n  operator: Exists\n  effect: NoSchedule'));
  expectOne(text, 'toleration-key', `${T}.tolerations[0].key`, `Invalid value: "node-role.kubernetes.io/control plane": ${LABEL_NAME_PART}`, 'node-role.kubernetes.io/control plane');
  expectNone(text.replace('control plane', 'control-plane'), 'toleration-key');
});

test('toleration-operator: unknown operator, fixed to the closest one', () => {
  const text = daemonSet(EXPORTER.replace('- operator: Exists', '- key: node-role.kubernetes.io/control-plane\n  operator: exists\n  effect: NoSchedule'));
  const f = expectOne(text, 'toleration-operator', `${T}.tolerations[0].operator`, 'Unsupported value: "exists": supported values: "Equal", "Exists"', 'exists');
  assert.equal(f.fixes?.[0].isPreferred, true);
  const fixed = fixAndRecheck(text, f, 'Change operator to Exists', 'toleration-operator');
  assert.match(fixed, /operator: Exists\n/);
  const typo = daemonSet(EXPORTER.replace('- operator: Exists', '- key: dedicated\n  operator: Equl\n  value: gpu'));
  fixAndRecheck(typo, expectOne(typo, 'toleration-operator', `${T}.tolerations[0].operator`, 'Unsupported value: "Equl": supported values: "Equal", "Exists"', 'Equl'), 'Change operator to Equal', 'toleration-operator');
});

test('toleration-operator: an empty key needs operator Exists (also when operator is omitted)', () => {
  const text = daemonSet(EXPORTER.replace('- operator: Exists', '- effect: NoSchedule'));
  const f = expectOne(text, 'toleration-operator', `${T}.tolerations[0].operator`, 'Invalid value: "": operator must be Exists when `key` is empty, which means "match all values and all keys"', 'effect');
  const fixed = fixAndRecheck(text, f, 'Set operator: Exists (tolerate every taint)', 'toleration-operator');
  assert.match(fixed, /- effect: NoSchedule\n {8}operator: Exists\n/);
  const equal = daemonSet(EXPORTER.replace('- operator: Exists', '- operator: Equal\n  value: "true"'));
  expectOne(equal, 'toleration-operator', `${T}.tolerations[0].operator`, 'Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"', 'Equal');
});

test('toleration-operator: Exists with a value, and Equal with a value that is not a label value (both on .operator)', () => {
  const text = daemonSet(EXPORTER.replace('- operator: Exists', '- key: nvidia.com/gpu\n  operator: Exists\n  value: present\n  effect: NoSchedule'));
  const f = expectOne(text, 'toleration-operator', `${T}.tolerations[0].operator`, "Invalid value: \"present\": value must be empty when `operator` is 'Exists'", 'present');
  assert.match(fixAndRecheck(text, f, 'Clear value (Exists matches any value)', 'toleration-operator'), /value: ""/);
  assert.match(fixAndRecheck(text, f, 'Change operator to Equal (match value present)', 'toleration-operator'), /operator: Equal\n/);
  const bad = daemonSet(EXPORTER.replace('- operator: Exists', '- key: gpu-model\n  operator: Equal\n  value: "tesla v100"\n  effect: NoSchedule'));
  expectOne(bad, 'toleration-operator', `${T}.tolerations[0].operator`, `Invalid value: "tesla v100": ${LABEL_VALUE}`, '"tesla v100"');
  expectNone(bad.replace('"tesla v100"', 'tesla-v100'), 'toleration-operator');
});

test('toleration-operator: at 1.35, Lt/Gt are listed among the supported values until their gate is on, then need a canonical integer', () => {
  // validation-1.35.go ValidateTolerations: case core.TolerationOpLt, core.TolerationOpGt.
  const text = daemonSet(EXPORTER.replace('- operator: Exists', '- key: example.com/sla\n  operator: Gt\n  value: "950"\n  effect: NoSchedule'));
  expectOne(text, 'toleration-operator', `${T}.tolerations[0].operator`, 'Unsupported value: "Gt": supported values: "Equal", "Exists", "Lt", "Gt"', 'Gt');
  const gates = { featureGates: { TaintTolerationComparisonOperators: true } };
  expectNone(text, 'toleration-operator', gates);
  // content.IsDecimalInteger, then strconv.ParseInt, both on .value.
  const notInt = text.replace('"950"', '"high"');
  assert.deepEqual(check(notInt, 'toleration-operator', gates).map((f) => [f.path, f.message, under(notInt, f)]), [
    [`${T}.tolerations[0].value`, 'Invalid value: "high": must be a valid decimal integer in canonical form', '"high"'],
    [`${T}.tolerations[0].value`, 'Invalid value: "high": strconv.ParseInt: parsing "high": invalid syntax', '"high"'],
  ]);
  // A leading zero parses but is not canonical; a value past int64 is canonical but does not parse.
  expectOne(text.replace('"950"', '"0950"'), 'toleration-operator', `${T}.tolerations[0].value`, 'Invalid value: "0950": must be a valid decimal integer in canonical form', '"0950"', gates);
  expectOne(text.replace('"950"', '"9223372036854775808"'), 'toleration-operator', `${T}.tolerations[0].value`, 'Invalid value: "9223372036854775808": strconv.ParseInt: parsing "9223372036854775808": value out of range', '"9223372036854775808"', gates);
  // Any other operator still lists only Equal and Exists, gate or not.
  const other = text.replace('operator: Gt', 'operator: Greater');
  expectOne(other, 'toleration-operator', `${T}.tolerations[0].operator`, 'Unsupported value: "Greater": supported values: "Equal", "Exists"', 'Greater', gates);
});

test('toleration-operator: before 1.35, Lt/Gt are unknown operators, whatever the settings say of their gate', () => {
  const text = daemonSet(EXPORTER.replace('- operator: Exists', '- key: example.com/sla\n  operator: Lt\n  value: "950"\n  effect: NoSchedule'));
  const settings: Array<Record<string, boolean>> = [{}, { TaintTolerationComparisonOperators: true }];
  for (const featureGates of settings) {
    expectOne(text, 'toleration-operator', `${T}.tolerations[0].operator`, 'Unsupported value: "Lt": supported values: "Equal", "Exists"', 'Lt', { kubernetesVersion: '1.34', featureGates });
  }
});

test('toleration-effect: unknown effects are fixed to the closest (case-insensitive first)', () => {
  const text = daemonSet(EXPORTER.replace('- operator: Exists', '- key: node-role.kubernetes.io/control-plane\n  operator: Exists\n  effect: NoSchedul'));
  const f = expectOne(text, 'toleration-effect', `${T}.tolerations[0].effect`, 'Unsupported value: "NoSchedul": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"', 'NoSchedul');
  assert.equal(f.fixes?.[0].title, 'Change effect to NoSchedule');
  assert.equal(f.fixes?.[0].isPreferred, true);
  assert.match(fixAndRecheck(text, f, 'Change effect to NoSchedule', 'toleration-effect'), /effect: NoSchedule\n/);
  const lower = text.replace('effect: NoSchedul', "effect: 'noexecute'");
  const g = expectOne(lower, 'toleration-effect', `${T}.tolerations[0].effect`, 'Unsupported value: "noexecute": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"', "'noexecute'");
  assert.match(fixAndRecheck(lower, g, 'Change effect to NoExecute', 'toleration-effect'), /effect: 'NoExecute'/);
  const nonsense = text.replace('effect: NoSchedul', 'effect: Sometimes');
  assert.equal(check(nonsense, 'toleration-effect')[0].fixes, undefined);
});

test('toleration-effect: tolerationSeconds only with NoExecute, reported on .effect', () => {
  const text = daemonSet(EXPORTER.replace('- operator: Exists', '- key: node.kubernetes.io/unreachable\n  operator: Exists\n  effect: NoSchedule\n  tolerationSeconds: 300'));
  expectOne(text, 'toleration-effect', `${T}.tolerations[0].effect`, "Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set", 'NoSchedule');
  const noEffect = text.replace(/^ *effect: NoSchedule\n/m, '');
  expectOne(noEffect, 'toleration-effect', `${T}.tolerations[0].effect`, "Invalid value: \"\": effect must be 'NoExecute' when `tolerationSeconds` is set", 'tolerationSeconds');
  expectNone(text.replace('effect: NoSchedule', 'effect: NoExecute'), 'toleration-effect');
});

// --- containers ----------------------------------------------------------------------------------

test('containers-required: an empty container list; skipped for Kustomize patches', () => {
  const text = daemonSet('containers: []\nhostNetwork: true\n');
  expectOne(text, 'containers-required', `${T}.containers`, 'Required value', 'containers');
  const patch = validate(parseDocument('patch.yaml', daemonSet('hostNetwork: true\n'), undefined, undefined, { partial: true }), { rules: RULES });
  assert.equal(patch.filter((f) => f.code === 'containers-required').length, 0);
  expectNone(daemonSet(EXPORTER), 'containers-required');
});

test('container-name: DNS-1123 label, dots, required, and unique across containers and initContainers', () => {
  const upper = daemonSet(EXPORTER.replace('- name: node-exporter', '- name: NodeExporter'));
  expectOne(upper, 'container-name', `${T}.containers[0].name`, `Invalid value: "NodeExporter": ${DNS_LABEL}`, 'NodeExporter');
  const dots = daemonSet(EXPORTER.replace('- name: node-exporter', '- name: node.exporter'));
  expectOne(dots, 'container-name', `${T}.containers[0].name`, 'Invalid value: "node.exporter": must not contain dots', 'node.exporter');
  const missing = daemonSet(EXPORTER.replace('- name: node-exporter\n  image:', '- image:'));
  expectOne(missing, 'container-name', `${T}.containers[0].name`, 'Required value', 'image');
  const init = (name: string) => daemonSet(`${EXPORTER}initContainers:\n- name: ${name}\n  image: busybox:1.36\n  command: [sh, -c, 'sysctl -w net.core.somaxconn=1024']\n`);
  expectOne(init('node-exporter'), 'container-name', `${T}.initContainers[0].name`, 'Duplicate value: "node-exporter"', 'node-exporter');
  expectNone(init('sysctl'), 'container-name');
});

test('container-image: required for every container; skipped for Kustomize patches', () => {
  const empty = daemonSet(EXPORTER.replace('image: quay.io/prometheus/node-exporter:v1.8.2', 'image: ""'));
  expectOne(empty, 'container-image', `${T}.containers[0].image`, 'Required value', '""');
  const init = daemonSet(`${EXPORTER}initContainers:\n- name: wait-for-proc\n  command: [sh, -c, 'test -d /host/proc']\n`);
  expectOne(init, 'container-image', `${T}.initContainers[0].image`, 'Required value', 'wait-for-proc');
  const patch = validate(parseDocument('patch.yaml', empty, undefined, undefined, { partial: true }), { rules: RULES });
  assert.equal(patch.filter((f) => f.code === 'container-image').length, 0);
  expectNone(daemonSet(EXPORTER), 'container-image');
});

test('container-ports: ranges, names, protocols', () => {
  const range = daemonSet(EXPORTER.replace('containerPort: 9100\n    hostPort: 9100', 'containerPort: 91000'));
  expectOne(range, 'container-ports', `${T}.containers[0].ports[0].containerPort`, 'Invalid value: 91000: must be between 1 and 65535, inclusive', '91000');
  const zero = daemonSet(EXPORTER.replace('containerPort: 9100\n    hostPort: 9100', 'containerPort: 0'));
  expectOne(zero, 'container-ports', `${T}.containers[0].ports[0].containerPort`, 'Required value', '0');
  const absent = daemonSet(EXPORTER.replace('containerPort: 9100\n    hostPort: 9100', 'protocol: TCP'));
  expectOne(absent, 'container-ports', `${T}.containers[0].ports[0].containerPort`, 'Required value', 'name');
  const name = daemonSet(EXPORTER.replace('- name: metrics', '- name: Metrics_Port'));
  const names = check(name, 'container-ports').map((f) => f.message);
  assert.deepEqual(names, ['Invalid value: "Metrics_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']);
  const proto = daemonSet(EXPORTER.replace('hostPort: 9100', 'hostPort: 9100\n    protocol: tcp'));
  expectOne(proto, 'container-ports', `${T}.containers[0].ports[0].protocol`, 'Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"', 'tcp');
});

test('container-ports: duplicate host ports across containers (not across init containers)', () => {
  const sidecar = '- name: kube-rbac-proxy\n  image: quay.io/brancz/kube-rbac-proxy:v0.18.0\n  ports:\n  - containerPort: 9100\n    hostPort: 9100\n';
  const text = daemonSet(EXPORTER.replace('hostNetwork: true', `${sidecar}hostNetwork: true`));
  expectOne(text, 'container-ports', `${T}.containers[1].ports[0].hostPort`, 'Duplicate value: "TCP//9100"', '9100');
  const udp = sidecar.replace('hostPort: 9100\n', 'hostPort: 9100\n    protocol: UDP\n');
  expectNone(daemonSet(EXPORTER.replace('hostNetwork: true', `${udp}hostNetwork: true`)), 'container-ports');
  const init = daemonSet(`${EXPORTER}initContainers:\n${sidecar.replace('kube-rbac-proxy\n', 'probe-port\n')}`);
  expectNone(init, 'container-ports');
  // Within one init container the ports still collide; upstream checks a one-element slice, so its path says [0].
  const twoInits = daemonSet(`${EXPORTER}initContainers:\n- name: first\n  image: busybox:1.36\n${sidecar.replace('kube-rbac-proxy\n', 'probe-port\n').replace(/\n$/, '\n  - containerPort: 9101\n    hostPort: 9100\n')}`);
  const dup = expectOne(twoInits, 'container-ports', `${T}.initContainers[0].ports[1].hostPort`, 'Duplicate value: "TCP//9100"', '9100');
  assert.ok(dup.span.start > twoInits.indexOf('probe-port'), 'the span is in the second init container');
});

test('container-ports: with hostNetwork, hostPort must equal containerPort', () => {
  const text = daemonSet(EXPORTER.replace('hostPort: 9100', 'hostPort: 19100'));
  expectOne(text, 'container-ports', `${T}.containers[0].ports[0].hostPort`, 'Invalid value: 19100: must match `containerPort` when `hostNetwork` is true', '19100');
  expectNone(text.replace('hostNetwork: true', 'hostNetwork: false'), 'container-ports');
  // Templates are not defaulted since 1.28: an unset hostPort is fine in the template...
  const once = daemonSet(EXPORTER.replace('    hostPort: 9100\n', ''));
  expectNone(once, 'container-ports');
  // ... but two of them collide in every pod: SetDefaults_Pod sets hostPort = containerPort with
  // hostNetwork, and pod validation rejects the duplicate, so the DaemonSet never runs a pod.
  const twice = daemonSet(EXPORTER.replace('    hostPort: 9100\n', '').replace('hostNetwork: true', '- name: shadow\n  image: busybox:1.36\n  ports:\n  - containerPort: 9100\nhostNetwork: true'));
  const pods = check(twice, 'container-ports');
  assert.deepEqual(pods.map((f) => [f.path, f.severity]), [[`${T}.containers[1].ports[0].hostPort`, 'error']]);
  assert.equal(pods[0].message, 'Duplicate value: "TCP//9100": the DaemonSet is accepted, but every pod it creates is rejected (spec.containers[1].ports[0].hostPort), as with hostNetwork a pod\'s hostPort defaults to its containerPort');
  // At the second port.
  assert.equal(pods[0].span.start, twice.indexOf('containerPort: 9100', twice.indexOf('shadow')));
  // Other protocols, or no hostNetwork, do not collide.
  expectNone(daemonSet(EXPORTER.replace('    hostPort: 9100\n', '').replace('hostNetwork: true', '- name: shadow\n  image: busybox:1.36\n  ports:\n  - containerPort: 9100\n    protocol: UDP\nhostNetwork: true')), 'container-ports');
  expectNone(twice.replace('hostNetwork: true', 'hostNetwork: false'), 'container-ports');
  // An explicit duplicate hostPort is the template's own error, reported once as before.
  const explicit = daemonSet(EXPORTER.replace('hostNetwork: true', '- name: shadow\n  image: busybox:1.36\n  ports:\n  - containerPort: 9100\n    hostPort: 9100\nhostNetwork: true'));
  assert.deepEqual(check(explicit, 'container-ports').map((f) => f.message), ['Duplicate value: "TCP//9100"']);
  // Before 1.28 templates got hostPort = containerPort, so the same two ports collide in the template.
  const old = check(twice, 'container-ports', { kubernetesVersion: '1.27' });
  assert.deepEqual(old.map((f) => [f.path, f.message]), [[`${T}.containers[1].ports[0].hostPort`, 'Duplicate value: "TCP//9100"']]);
  // From 1.28 to 1.30 the deprecated gate DefaultHostNetworkHostPortsInPodTemplates defaults them
  // again; 1.31 removed it, and naming it changes nothing there.
  const gate = { DefaultHostNetworkHostPortsInPodTemplates: true };
  assert.deepEqual(check(twice, 'container-ports', { kubernetesVersion: '1.30', featureGates: gate }).map((f) => f.message), ['Duplicate value: "TCP//9100"']);
  assert.deepEqual(check(twice, 'container-ports', { kubernetesVersion: '1.31', featureGates: gate }).map((f) => f.message), [pods[0].message]);
});

test('ephemeral-containers: forbidden in templates, fix removes the block', () => {
  const text = daemonSet(`${EXPORTER}ephemeralContainers:\n- name: debugger\n  image: busybox:1.36\n  stdin: true\ndnsPolicy: ClusterFirstWithHostNet\n`);
  const f = expectOne(text, 'ephemeral-containers', `${T}.ephemeralContainers`, 'Forbidden: ephemeral containers not allowed in pod template', 'ephemeralContainers');
  const fixed = fixAndRecheck(text, f, 'Remove ephemeralContainers', 'ephemeral-containers');
  assert.equal(fixed, daemonSet(`${EXPORTER}dnsPolicy: ClusterFirstWithHostNet\n`));
  expectNone(daemonSet(`${EXPORTER}ephemeralContainers: []\n`), 'ephemeral-containers');
});

// --- pod spec ------------------------------------------------------------------------------------

test('dns-policy: unknown policies, fixed to the closest', () => {
  const text = daemonSet(`${EXPORTER}dnsPolicy: ClusterFirstWithHostNetwork\n`);
  const f = expectOne(text, 'dns-policy', `${T}.dnsPolicy`, 'Unsupported value: "ClusterFirstWithHostNetwork": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"', 'ClusterFirstWithHostNetwork');
  assert.match(fixAndRecheck(text, f, 'Change dnsPolicy to ClusterFirstWithHostNet', 'dns-policy'), /dnsPolicy: ClusterFirstWithHostNet\n/);
  expectNone(daemonSet(`${EXPORTER}dnsPolicy: ClusterFirstWithHostNet\n`), 'dns-policy');
});

test('node-selector-labels: keys and values are label keys and values, reported on nodeSelector', () => {
  const text = daemonSet(`${EXPORTER}nodeSelector:\n  "node role": worker\n  kubernetes.io/os: "linux amd64"\n`);
  const found = check(text, 'node-selector-labels');
  assert.deepEqual(found.map((f) => [f.path, f.message, under(text, f)]), [
    [`${T}.nodeSelector`, `Invalid value: "node role": ${LABEL_NAME_PART}`, '"node role"'],
    [`${T}.nodeSelector`, `Invalid value: "linux amd64": ${LABEL_VALUE}`, '"linux amd64"'],
  ]);
  expectNone(daemonSet(`${EXPORTER}nodeSelector:\n  kubernetes.io/os: linux\n  node-role.kubernetes.io/worker: ""\n`), 'node-selector-labels');
});

test('node-name: a DNS-1123 subdomain', () => {
  const text = daemonSet(`${EXPORTER}nodeName: Worker_1\n`);
  expectOne(text, 'node-name', `${T}.nodeName`, `Invalid value: "Worker_1": ${DNS_SUBDOMAIN}`, 'Worker_1');
  expectNone(daemonSet(`${EXPORTER}nodeName: worker-1.example.com\n`), 'node-name');
});

test('pod-spec-names: serviceAccountName, priorityClassName, runtimeClassName, hostname', () => {
  const text = daemonSet(`${EXPORTER}serviceAccountName: Node_Exporter\npriorityClassName: System-Node-Critical\nruntimeClassName: ""\nhostname: node.exporter\n`);
  assert.deepEqual(check(text, 'pod-spec-names').map((f) => [f.path, f.message, under(text, f)]), [
    [`${T}.serviceAccountName`, `Invalid value: "Node_Exporter": ${DNS_SUBDOMAIN}`, 'Node_Exporter'],
    [`${T}.hostname`, 'Invalid value: "node.exporter": must not contain dots', 'node.exporter'],
    [`${T}.priorityClassName`, `Invalid value: "System-Node-Critical": ${DNS_SUBDOMAIN}`, 'System-Node-Critical'],
    [`${T}.runtimeClassName`, `Invalid value: "": ${DNS_SUBDOMAIN}`, '""'],
  ]);
  expectNone(daemonSet(`${EXPORTER}serviceAccountName: node-exporter\npriorityClassName: system-node-critical\nruntimeClassName: gvisor\n`), 'pod-spec-names');
});

test('pod-spec-names: from 1.35 (HostnameOverride on) hostnameOverride may not be set beside hostNetwork or setHostnameAsFQDN, and is a short subdomain', () => {
  // validation-1.35.go validatePodHostName; pkg/api/pod dropDisabledFields drops the field while the gate is off.
  const text = daemonSet(`${EXPORTER}hostnameOverride: node-exporter.example\n`);
  expectOne(text, 'pod-spec-names', `${T}.hostnameOverride`, 'Forbidden: may not be specified when hostNetwork is true', 'hostnameOverride');
  const fqdn = daemonSet(`${EXPORTER.replace('hostNetwork: true\n', '')}setHostnameAsFQDN: true\nhostnameOverride: ${'Node_'.repeat(13)}\n`);
  assert.deepEqual(check(fqdn, 'pod-spec-names').map((f) => [f.path, f.message, under(fqdn, f)]), [
    [`${T}.hostnameOverride`, 'Forbidden: may not be specified when setHostnameAsFQDN is true', 'hostnameOverride'],
    [`${T}.hostnameOverride`, 'Too long: may not be more than 64 bytes', 'Node_'.repeat(13)],
    [`${T}.hostnameOverride`, `Invalid value: "${'Node_'.repeat(13)}": ${DNS_SUBDOMAIN}`, 'Node_'.repeat(13)],
  ]);
  expectNone(daemonSet(`${EXPORTER.replace('hostNetwork: true\n', '')}hostnameOverride: node-exporter.example\n`), 'pod-spec-names');
  // 1.34: the gate is alpha and off, and the field is dropped; turned on, it is checked as in 1.35.
  expectNone(text, 'pod-spec-names', { kubernetesVersion: '1.34' });
  expectOne(text, 'pod-spec-names', `${T}.hostnameOverride`, 'Forbidden: may not be specified when hostNetwork is true', 'hostnameOverride', { kubernetesVersion: '1.34', featureGates: { HostnameOverride: true } });
  expectNone(text, 'pod-spec-names', { kubernetesVersion: '1.33', featureGates: { HostnameOverride: true } });
});

const R = `${T}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
const P = `${T}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution`;

function withAffinity(required: string, preferred = ''): string {
  const ind = (s: string, n: number) => s.replace(/^(?=.)/gm, ' '.repeat(n));
  return daemonSet(`${EXPORTER}affinity:\n  nodeAffinity:\n${required ? `    requiredDuringSchedulingIgnoredDuringExecution:\n${ind(required, 6)}` : ''}${preferred ? `    preferredDuringSchedulingIgnoredDuringExecution:\n${ind(preferred, 4)}` : ''}`);
}

test('node-affinity: required selector needs terms; expressions need values that fit the operator', () => {
  expectOne(withAffinity('nodeSelectorTerms: []\n'), 'node-affinity', `${R}.nodeSelectorTerms`, 'Required value: must have at least one node selector term', 'nodeSelectorTerms');
  const text = withAffinity(`nodeSelectorTerms:
- matchExpressions:
  - key: topology.kubernetes.io/zone
    operator: In
  - key: node-role.kubernetes.io/control-plane
    operator: DoesNotExist
    values: ["true"]
  - key: example.com/cores
    operator: Gt
    values: ["8", "16"]
  - key: kubernetes.io/arch
    operator: in
    values: [amd64]
  - key: kubernetes.io/os!
    operator: Exists
  - key: kubernetes.io/arch
    operator: NotIn
    values: ["arm 64"]
`);
  const E = `${R}.nodeSelectorTerms[0].matchExpressions`;
  assert.deepEqual(check(text, 'node-affinity').map((f) => [f.path, f.message, under(text, f)]), [
    [`${E}[0].values`, "Required value: must be specified when `operator` is 'In' or 'NotIn'", 'In'],
    [`${E}[1].values`, "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'", 'values'],
    [`${E}[2].values`, "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'", 'values'],
    [`${E}[3].operator`, 'Invalid value: "in": not a valid selector operator', 'in'],
    [`${E}[4].key`, `Invalid value: "kubernetes.io/os!": ${LABEL_NAME_PART}`, 'kubernetes.io/os!'],
    [`${E}[5].values[0]`, `Invalid value: "arm 64": ${LABEL_VALUE}`, '"arm 64"'],
  ]);
  // Missing key and operator: reported on the requirement's first key, not on the whole item.
  const bare = withAffinity('nodeSelectorTerms:\n- matchExpressions:\n  - values: [linux]\n');
  assert.deepEqual(check(bare, 'node-affinity').map((f) => [f.path, f.message, under(bare, f)]), [
    [`${E}[0].operator`, 'Invalid value: "": not a valid selector operator', 'values'],
    [`${E}[0].key`, 'Invalid value: "": name part must be non-empty', 'values'],
    [`${E}[0].key`, `Invalid value: "": ${LABEL_NAME_PART}`, 'values'],
  ]);
});

test('node-affinity: matchFields only metadata.name with In/NotIn and one node name', () => {
  const text = withAffinity(`nodeSelectorTerms:
- matchFields:
  - key: metadata.name
    operator: Exists
  - key: metadata.name
    operator: In
    values: [worker-1, worker-2]
  - key: metadata.labels
    operator: In
    values: [worker-1]
  - key: metadata.name
    operator: NotIn
    values: [Worker_3]
`);
  const F = `${R}.nodeSelectorTerms[0].matchFields`;
  assert.deepEqual(check(text, 'node-affinity').map((f) => [f.path, f.message, under(text, f)]), [
    [`${F}[0].operator`, 'Invalid value: "Exists": not a valid selector operator', 'Exists'],
    [`${F}[1].values`, "Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector", 'values'],
    [`${F}[2].key`, 'Invalid value: "metadata.labels": not a valid field selector key', 'metadata.labels'],
    [`${F}[3].values[0]`, `Invalid value: "Worker_3": ${DNS_SUBDOMAIN}`, 'Worker_3'],
  ]);
});

test('node-affinity: preferred weights 1-100; preferred terms allow invalid label values', () => {
  const text = withAffinity('', `- weight: 0
  preference:
    matchExpressions:
    - key: node.kubernetes.io/instance-type
      operator: In
      values: ["m5 large"]
- weight: 101
  preference: {}
- preference: {}
`);
  assert.deepEqual(check(text, 'node-affinity').map((f) => [f.path, f.message, under(text, f)]), [
    [`${P}[0].weight`, 'Invalid value: 0: must be in the range 1-100', '0'],
    [`${P}[1].weight`, 'Invalid value: 101: must be in the range 1-100', '101'],
    [`${P}[2].weight`, 'Invalid value: 0: must be in the range 1-100', 'preference'],
  ]);
  const good = withAffinity(`nodeSelectorTerms:
- matchExpressions:
  - key: kubernetes.io/os
    operator: In
    values: [linux]
  - key: example.com/cores
    operator: Gt
    values: ["8"]
- matchFields:
  - key: metadata.name
    operator: NotIn
    values: [worker-1]
- {}
`, `- weight: 50
  preference:
    matchExpressions:
    - key: node.kubernetes.io/instance-type
      operator: In
      values: ["m5 large"]
`);
  expectNone(good, 'node-affinity');
});

// --- resources -----------------------------------------------------------------------------------

test('resource-quantities: quantities that do not parse, negative amounts, unknown names', () => {
  const text = daemonSet(EXPORTER.replace('requests: {cpu: 100m, memory: 64Mi}', 'requests: {cpu: -100m, memory: 64MB, cpus: 1}').replace('limits: {cpu: 250m, memory: 128Mi}', 'limits: {cpu: 1K, memory: 128Mi}'));
  const C = `${T}.containers[0].resources`;
  assert.deepEqual(check(text, 'resource-quantities').map((f) => [f.path, f.message, under(text, f)]), [
    [`${C}.limits[cpu]`, "unable to parse quantity's suffix", '1K'],
    [`${C}.requests[cpu]`, 'Invalid value: "-100m": must be greater than or equal to 0', '-100m'],
    [`${C}.requests[memory]`, QUANTITY_REGEX, '64MB'],
    [`${C}.requests[cpus]`, 'Invalid value: "cpus": must be a standard resource type or fully qualified', 'cpus'],
    [`${C}.requests[cpus]`, 'Invalid value: "cpus": must be a standard resource for containers', 'cpus'],
  ]);
});

test('resource-quantities: a malformed name also gets what validateContainerResourceName adds after validateResourceName', () => {
  const text = daemonSet(EXPORTER.replace('requests: {cpu: 100m, memory: 64Mi}', 'requests: {cpu.: 100m, nvidia.com/gpu_: 1}'));
  const C = `${T}.containers[0].resources`;
  assert.deepEqual(check(text, 'resource-quantities').map((f) => [f.path, f.message, under(text, f)]), [
    [`${C}.requests[cpu.]`, `Invalid value: "cpu.": ${LABEL_NAME_PART}`, 'cpu.'],
    [`${C}.requests[cpu.]`, 'Invalid value: "cpu.": must be a standard resource for containers', 'cpu.'],
    [`${C}.requests[nvidia.com/gpu_]`, `Invalid value: "nvidia.com/gpu_": ${LABEL_NAME_PART}`, 'nvidia.com/gpu_'],
    [`${C}.requests[nvidia.com/gpu_]`, 'Invalid value: "nvidia.com/gpu_": doesn\'t follow extended resource name standard', 'nvidia.com/gpu_'],
  ]);
});

test('resource-quantities: init containers, extended resources and huge pages', () => {
  const text = daemonSet(`${EXPORTER}initContainers:
- name: setup
  image: busybox:1.36
  resources:
    limits:
      memory: "1 Gi"
      nvidia.com/gpu: 500m
      hugepages-2Mi: 3Mi
`);
  const C = `${T}.initContainers[0].resources`;
  assert.deepEqual(check(text, 'resource-quantities').map((f) => [f.path, f.message, under(text, f)]), [
    [`${C}.limits[memory]`, QUANTITY_REGEX, '"1 Gi"'],
    [`${C}.limits[nvidia.com/gpu]`, 'Invalid value: "500m": must be an integer', '500m'],
    [`${C}.limits[hugepages-2Mi]`, 'Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi', '3Mi'],
  ]);
  const noCpu = daemonSet(`${EXPORTER}initContainers:\n- name: setup\n  image: busybox:1.36\n  resources:\n    limits:\n      hugepages-2Mi: 4Mi\n`);
  expectOne(noCpu, 'resource-quantities', `${T}.initContainers[0].resources`, 'Forbidden: HugePages require cpu or memory', 'resources');
  expectNone(daemonSet(`${EXPORTER}initContainers:\n- name: setup\n  image: busybox:1.36\n  resources:\n    limits: {memory: 1Gi, nvidia.com/gpu: 1, hugepages-2Mi: 4Mi}\n    requests: {memory: 512Mi, nvidia.com/gpu: "1", hugepages-2Mi: 4Mi}\n`), 'resource-quantities');
});

test('resource-quantities and requests-within-limits: a Kustomize patch may leave cpu, memory and limits to its base', () => {
  const text = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: dpdk-agent
spec:
  template:
    spec:
      containers:
      - name: agent
        resources:
          requests:
            hugepages-1Gi: 2Gi
            example.com/vf: 1
`;
  // The manifest the patch belongs to, with the selector and image a patch leaves out.
  const complete = (patch: string) => patch
    .replace('spec:\n  template:\n    spec:\n', 'spec:\n  selector:\n    matchLabels: {app: dpdk-agent}\n  template:\n    metadata:\n      labels: {app: dpdk-agent}\n    spec:\n')
    .replace('      - name: agent\n', '      - name: agent\n        image: registry.example.com/dpdk-agent:1.0\n');
  const codes = (asPatch: boolean) => validate(parseDocument('patch.yaml', asPatch ? text : complete(text)), { rules: RULES })
    .filter((f) => f.code === 'resource-quantities' || f.code === 'requests-within-limits').map((f) => [f.code, f.message]);
  assert.deepEqual(codes(true), []);
  // The same resources in a complete manifest are wrong.
  assert.deepEqual(codes(false), [
    ['resource-quantities', 'Forbidden: HugePages require cpu or memory'],
    ['requests-within-limits', 'Required value: Limit must be set for non overcommitable resources'],
    ['requests-within-limits', 'Required value: Limit must be set for non overcommitable resources'],
  ]);
});

test('requests-within-limits: a request above its limit, with fixes either way', () => {
  const text = daemonSet(EXPORTER.replace('requests: {cpu: 100m, memory: 64Mi}', 'requests: {cpu: 500m, memory: 0.5Gi}').replace('limits: {cpu: 250m, memory: 128Mi}', 'limits: {cpu: 250m, memory: 256Mi}'));
  const path = `${T}.containers[0].resources.requests`;
  const found = check(text, 'requests-within-limits');
  assert.deepEqual(found.map((f) => [f.path, f.message, under(text, f)]), [
    [path, 'Invalid value: "500m": must be less than or equal to cpu limit of 250m', '500m'],
    [path, 'Invalid value: "512Mi": must be less than or equal to memory limit of 256Mi', '0.5Gi'],
  ]);
  for (const title of ['Set the cpu request to the limit (250m)', 'Set the cpu limit to the request (500m)']) {
    const fixed = applyFix(text, found[0].fixes!.find((x) => x.title === title)!);
    assert.deepEqual(check(fixed, 'requests-within-limits').map((f) => f.message), ['Invalid value: "512Mi": must be less than or equal to memory limit of 256Mi']);
  }
  expectNone(daemonSet(EXPORTER.replace('limits: {cpu: 250m, memory: 128Mi}', 'limits: {cpu: "0.1", memory: 64Mi}')), 'requests-within-limits');
});

test('requests-within-limits: extended resources need a limit equal to the request (containers and init containers)', () => {
  const gpu = (requests: string, limits: string) => daemonSet(`containers:
- name: nvidia-device-plugin
  image: nvcr.io/nvidia/k8s-device-plugin:v0.16.2
initContainers:
- name: gpu-check
  image: nvcr.io/nvidia/cuda:12.4.1-base-ubuntu22.04
  command: [nvidia-smi]
  resources:
    requests: {${requests}}
    limits: {${limits}}
`, 'nvidia-device-plugin');
  const I = `${T}.initContainers[0].resources`;
  expectOne(gpu('nvidia.com/gpu: 1', 'nvidia.com/gpu: 2'), 'requests-within-limits', `${I}.requests`, 'Invalid value: "1": must be equal to nvidia.com/gpu limit of 2', '1');
  expectOne(gpu('nvidia.com/gpu: 1', 'memory: 1Gi'), 'requests-within-limits', `${I}.limits`, 'Required value: Limit must be set for non overcommitable resources', 'nvidia.com/gpu');
  expectNone(gpu('nvidia.com/gpu: 1, cpu: 100m', 'nvidia.com/gpu: 1, cpu: 200m'), 'requests-within-limits');
});

// --- pod OS (ValidatePodSpec: validateOS, then validateLinux / validateWindows) ------------------

const WINDOWS_AGENT = `
os:
  name: windows
securityContext:
  windowsOptions:
    hostProcess: true
    runAsUserName: "NT AUTHORITY\\\\system"
hostNetwork: true
containers:
- name: agent
  image: mcr.microsoft.com/windows/nanoserver:ltsc2022
`;

test('pod-os: a Windows HostProcess agent and a Linux exporter that set os.name are valid', () => {
  expectNone(daemonSet(WINDOWS_AGENT), 'pod-os');
  expectNone(daemonSet(`${EXPORTER}os:\n  name: linux\nsecurityContext:\n  seLinuxOptions: {type: spc_t}\n  runAsUser: 65534\n`), 'pod-os');
  // Unset (or null) os is no OS at all.
  expectNone(daemonSet(`${EXPORTER}os: null\n`), 'pod-os');
  expectNone(daemonSet(`${EXPORTER}securityContext:\n  windowsOptions: {runAsUserName: x}\n`), 'pod-os');
});

test('pod-os: os.name is required when os is set (validateOS), and the schema leaves that to the rule', () => {
  const empty = daemonSet(`${EXPORTER}os: {}\n`);
  expectOne(empty, 'pod-os', `${T}.os.name`, 'Required value: cannot be empty', 'os');
  assert.deepEqual(check(empty, 'missing-required-field'), []);
  expectOne(daemonSet(`${EXPORTER}os:\n  name: ""\n`), 'pod-os', `${T}.os.name`, 'Required value: cannot be empty', '""');
  // A Kustomize patch's os merges with its base's, which may carry the name.
  const patch = `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: node-exporter\nspec:\n  template:\n    spec:\n      os: {}\n`;
  assert.deepEqual(check(patch, 'pod-os'), []);
});

test('pod-os: only linux and windows, reported on os itself, fixed to the closest name', () => {
  const text = daemonSet(`${WINDOWS_AGENT}`.replace('name: windows', 'name: Windows'));
  const f = expectOne(text, 'pod-os', `${T}.os`, 'Unsupported value: "Windows": supported values: "linux", "windows"', 'Windows');
  const fixed = fixAndRecheck(text, f, 'Change os.name to windows', 'pod-os');
  assert.match(fixed, /\n {8}name: windows\n/);
  const darwin = daemonSet(`${EXPORTER}os: {name: darwin}\n`);
  const g = expectOne(darwin, 'pod-os', `${T}.os`, 'Unsupported value: "darwin": supported values: "linux", "windows"', 'darwin');
  assert.equal(g.fixes, undefined, 'no OS name is close to darwin');
  // An unsupported name in a patch replaces the base's: still reported.
  const patch = `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: node-exporter\nspec:\n  template:\n    spec:\n      os: {name: linux-amd64}\n`;
  assert.deepEqual(check(patch, 'pod-os').map((x) => x.message), ['Unsupported value: "linux-amd64": supported values: "linux", "windows"']);
  // A patch that deletes a Linux-only field from its base does not set it.
  const deleting = `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: node-exporter\nspec:\n  template:\n    spec:\n      os: {name: windows}\n      securityContext:\n        seLinuxOptions: {$patch: delete}\n        runAsUser: 1000\n`;
  assert.deepEqual(check(deleting, 'pod-os').map((x) => x.path), [`${T}.securityContext.runAsUser`]);
  // A name of another type is the schema's.
  expectNone(daemonSet(`${EXPORTER}os: {name: 1}\n`), 'pod-os');
});

test('pod-os: a linux pod may not set windowsOptions, in the pod or any container (validateLinux)', () => {
  const text = daemonSet(`${EXPORTER}os: {name: linux}\nsecurityContext:\n  windowsOptions: {runAsUserName: ContainerUser}\ninitContainers:\n- name: init\n  image: busybox:1.36\n  securityContext:\n    windowsOptions: {gmsaCredentialSpecName: webapp}\n`);
  assert.deepEqual(check(text, 'pod-os').map((f) => [f.path, f.message, under(text, f)]), [
    [`${T}.securityContext.windowsOptions`, 'Forbidden: windows options cannot be set for a linux pod', 'windowsOptions'],
    [`${T}.initContainers[0].securityContext.windowsOptions`, 'Forbidden: windows options cannot be set for a linux pod', 'windowsOptions'],
  ]);
});

test('pod-os: a windows pod may not set the Linux-only fields, in upstream order and at upstream paths (validateWindows)', () => {
  const text = daemonSet(`
os: {name: windows}
hostUsers: false
hostPID: true
hostIPC: true
shareProcessNamespace: false
securityContext:
  appArmorProfile: {type: RuntimeDefault}
  seLinuxOptions: {level: "s0:c123,c456"}
  seccompProfile: {type: RuntimeDefault}
  fsGroup: 2000
  fsGroupChangePolicy: OnRootMismatch
  sysctls: [{name: net.core.somaxconn, value: "1024"}]
  runAsUser: 1000
  runAsGroup: 3000
  supplementalGroups: []
  supplementalGroupsPolicy: Merge
  seLinuxChangePolicy: MountOption
  windowsOptions: {runAsUserName: ContainerUser}
containers:
- name: agent
  image: mcr.microsoft.com/windows/servercore:ltsc2022
  securityContext:
    runAsGroup: 3000
    runAsUser: 1000
    procMount: Default
    allowPrivilegeEscalation: false
    privileged: false
    readOnlyRootFilesystem: true
    capabilities: {drop: [ALL]}
    seccompProfile: {type: RuntimeDefault}
    seLinuxOptions: {type: spc_t}
    appArmorProfile: {type: Unconfined}
    windowsOptions: {runAsUserName: ContainerUser}
initContainers:
- name: init
  image: mcr.microsoft.com/windows/nanoserver:ltsc2022
  securityContext: {privileged: true}
`);
  const C = `${T}.containers[0].securityContext`;
  const S = `${T}.securityContext`;
  assert.deepEqual(check(text, 'pod-os').map((f) => f.path), [
    `${S}.appArmorProfile`, `${S}.seLinuxOptions`, `${T}.hostUsers`, `${T}.hostPID`, `${T}.hostIPC`, `${S}.seccompProfile`, `${S}.fsGroup`,
    `${S}.fsGroupChangePolicy`, `${S}.sysctls`, `${T}.shareProcessNamespace`, `${S}.runAsUser`, `${S}.runAsGroup`, `${S}.supplementalGroups`,
    `${S}.supplementalGroupsPolicy`, `${S}.seLinuxChangePolicy`,
    // VisitContainersWithPath: init containers first, then containers; each in validateWindows' order.
    `${T}.initContainers[0].securityContext.privileged`,
    `${C}.appArmorProfile`, `${C}.seLinuxOptions`, `${C}.seccompProfile`, `${C}.capabilities`, `${C}.readOnlyRootFilesystem`, `${C}.privileged`,
    `${C}.allowPrivilegeEscalation`, `${C}.procMount`, `${C}.runAsUser`, `${C}.runAsGroup`,
  ]);
  for (const f of check(text, 'pod-os')) {
    assert.equal(f.message, 'Forbidden: cannot be set for a windows pod');
    assert.equal(under(text, f), f.path.slice(f.path.lastIndexOf('.') + 1), 'on the forbidden key');
  }
  // hostPID and hostIPC are plain booleans upstream: false is not set. An empty sysctls list is not either.
  expectNone(daemonSet(`${WINDOWS_AGENT}hostPID: false\nhostIPC: false\n`.replace('  windowsOptions:', '  sysctls: []\n  windowsOptions:')), 'pod-os');
});

test('bad shapes never throw and produce no pod-spec findings', () => {
  for (const spec of ['os: windows\n', 'os: [linux]\nsecurityContext: 5\n', 'os: {name: windows}\nsecurityContext: [1]\ncontainers: [{name: a, image: b, securityContext: x}]\n', 'containers: 5\n', 'containers:\n- 5\n- [a]\ntolerations: x\n', 'tolerations:\n- key: 5\n  operator: [Exists]\n  effect: {a: 1}\n', 'affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms: x\n', 'containers:\n- name: a\n  image: b\n  resources: {limits: [1], requests: {cpu: {a: 1}}}\n  ports: [x, {containerPort: "80"}]\n']) {
    const text = daemonSet(spec);
    const found = validate(parseDocument('ds.yaml', text), { rules: RULES }).filter((f) => f.code === 'internal-error');
    assert.deepEqual(found, []);
  }
});
