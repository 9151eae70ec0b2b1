import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/model';
import { validate } from '../../server/src/engine/validate';
import { RULES } from '../../server/src/engine/rules';
import { CALICO_NODE, check, CSI_NODE, edit, expectOne, FLUENT_BIT, fixAndRecheck, messages, NODE_EXPORTER, SIDECAR, T, VALID } from './container-helpers';

const CODES = ['container-probes', 'container-lifecycle'];
const PORT_RANGE = 'must be between 1 and 65535, inclusive';
const LINUX_SIGNALS = '"SIGABRT", "SIGALRM", "SIGBUS", "SIGCHLD", "SIGCLD", "SIGCONT", "SIGFPE", "SIGHUP", "SIGILL", "SIGINT", "SIGIO", "SIGIOT", "SIGKILL", "SIGPIPE", "SIGPOLL", "SIGPROF", "SIGPWR", "SIGQUIT", "SIGRTMAX", "SIGRTMAX-1", "SIGRTMAX-10", "SIGRTMAX-11", "SIGRTMAX-12", "SIGRTMAX-13", "SIGRTMAX-14", "SIGRTMAX-2", "SIGRTMAX-3", "SIGRTMAX-4", "SIGRTMAX-5", "SIGRTMAX-6", "SIGRTMAX-7", "SIGRTMAX-8", "SIGRTMAX-9", "SIGRTMIN", "SIGRTMIN+1", "SIGRTMIN+10", "SIGRTMIN+11", "SIGRTMIN+12", "SIGRTMIN+13", "SIGRTMIN+14", "SIGRTMIN+15", "SIGRTMIN+2", "SIGRTMIN+3", "SIGRTMIN+4", "SIGRTMIN+5", "SIGRTMIN+6", "SIGRTMIN+7", "SIGRTMIN+8", "SIGRTMIN+9", "SIGSEGV", "SIGSTKFLT", "SIGSTOP", "SIGSYS", "SIGTERM", "SIGTRAP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGUSR1", "SIGUSR2", "SIGVTALRM", "SIGWINCH", "SIGXCPU", "SIGXFSZ"';
const INIT_FORBIDDEN = 'Forbidden: may not be set for init containers without restartPolicy=Always';

test('node agents as their projects ship them give no probe or lifecycle finding, in every version', () => {
  for (const code of CODES) assert.ok(RULES.some((r) => r.id === code), `${code} is registered`);
  for (const [name, text] of Object.entries(VALID)) {
    for (const kubernetesVersion of ['1.35', '1.34', '1.33']) {
      const found = validate(parseDocument('ds.yaml', text), { rules: RULES, kubernetesVersion }).filter((f) => f.severity === 'error');
      assert.deepEqual(found.map((f) => `${f.code} ${f.path}: ${f.message}`), [], `${name} on ${kubernetesVersion}`);
    }
  }
});

// --- validateHandler -----------------------------------------------------------------------------

test('container-probes: a probe needs a handler, and only one', () => {
  const none = edit(FLUENT_BIT, '        livenessProbe:\n          httpGet:\n            path: /\n            port: http\n', '        livenessProbe:\n          initialDelaySeconds: 5\n');
  expectOne(none, 'container-probes', `${T}.containers[0].livenessProbe`, 'Required value: must specify a handler type', 'livenessProbe');
  const empty = edit(FLUENT_BIT, '        livenessProbe:\n          httpGet:\n            path: /\n            port: http\n', '        livenessProbe: {}\n');
  expectOne(empty, 'container-probes', `${T}.containers[0].livenessProbe`, 'Required value: must specify a handler type', 'livenessProbe');
  // exec, httpGet, tcpSocket, grpc: the later ones are forbidden.
  const two = edit(CALICO_NODE, '          periodSeconds: 10\n          initialDelaySeconds: 10\n', '          httpGet:\n            path: /liveness\n            port: 9099\n          tcpSocket:\n            port: 9099\n          periodSeconds: 10\n          initialDelaySeconds: 10\n');
  assert.deepEqual(messages(two, 'container-probes'), [
    `${T}.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type`,
    `${T}.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type`,
  ]);
  // A handler written empty (`exec:`) is unset.
  const nulled = edit(CALICO_NODE, '        readinessProbe:\n          exec:\n            command:\n            - /bin/calico-node\n            - -felix-ready\n            - -bird-ready\n', '        readinessProbe:\n          exec:\n');
  expectOne(nulled, 'container-probes', `${T}.containers[0].readinessProbe`, 'Required value: must specify a handler type', 'readinessProbe');
});

test('container-probes: exec needs a command', () => {
  const empty = edit(CALICO_NODE, '          exec:\n            command:\n            - /bin/calico-node\n            - -felix-live\n            - -bird-live\n', '          exec:\n            command: []\n');
  expectOne(empty, 'container-probes', `${T}.containers[0].livenessProbe.exec.command`, 'Required value', 'command');
  const absent = edit(CALICO_NODE, '          exec:\n            command:\n            - /bin/calico-node\n            - -felix-live\n            - -bird-live\n', '          exec: {}\n');
  expectOne(absent, 'container-probes', `${T}.containers[0].livenessProbe.exec.command`, 'Required value', 'exec');
});

test('container-probes: httpGet, tcpSocket and grpc ports are numbers from 1 to 65535 or IANA service names', () => {
  const zero = edit(NODE_EXPORTER, '            port: 9100\n            scheme: HTTP\n          initialDelaySeconds: 0\n          periodSeconds: 10\n          successThreshold: 1\n          timeoutSeconds: 1\n        readinessProbe', '            port: 0\n            scheme: HTTP\n          initialDelaySeconds: 0\n          periodSeconds: 10\n          successThreshold: 1\n          timeoutSeconds: 1\n        readinessProbe');
  expectOne(zero, 'container-probes', `${T}.containers[0].livenessProbe.httpGet.port`, `Invalid value: 0: ${PORT_RANGE}`, '0');
  const high = edit(CSI_NODE, '          grpc:\n            port: 9810', '          grpc:\n            port: 98100');
  expectOne(high, 'container-probes', `${T}.containers[2].readinessProbe.grpc.port`, `Invalid value: 98100: ${PORT_RANGE}`, '98100');
  // A port name as IsValidPortName checks it (the port it names is not looked up, as upstream).
  const upper = edit(CSI_NODE, '          httpGet:\n            path: /healthz\n            port: healthz', '          httpGet:\n            path: /healthz\n            port: Healthz');
  expectOne(upper, 'container-probes', `${T}.containers[0].livenessProbe.httpGet.port`, 'Invalid value: "Healthz": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'Healthz');
  const long = edit(CSI_NODE, 'tcpSocket:\n            port: probe-grpc', 'tcpSocket:\n            port: -csi-liveness-probe');
  assert.deepEqual(messages(long, 'container-probes'), [
    `${T}.containers[2].startupProbe.tcpSocket.port: Invalid value: "-csi-liveness-probe": must be no more than 15 characters`,
    `${T}.containers[2].startupProbe.tcpSocket.port: Invalid value: "-csi-liveness-probe": must not begin or end with a hyphen`,
  ]);
  const digits = edit(CSI_NODE, 'tcpSocket:\n            port: probe-grpc', 'tcpSocket:\n            port: "9810"');
  expectOne(digits, 'container-probes', `${T}.containers[2].startupProbe.tcpSocket.port`, 'Invalid value: "9810": must contain at least one letter (a-z)', '"9810"');
  // A missing port is the schema's (`port` is required there), not reported twice.
  const missing = edit(CSI_NODE, 'tcpSocket:\n            port: probe-grpc\n', 'tcpSocket: {}\n');
  assert.deepEqual(messages(missing, 'container-probes'), []);
  assert.deepEqual(messages(missing, 'missing-required-field'), [`${T}.containers[2].startupProbe.tcpSocket.port: Missing required field \`port\`.`]);
});

test('container-probes: httpGet scheme (an empty one is HTTP) and header names', () => {
  const lower = edit(NODE_EXPORTER, '            port: 9100\n            scheme: HTTP\n          initialDelaySeconds: 0\n          periodSeconds: 10\n          successThreshold: 1\n          timeoutSeconds: 1\n        readinessProbe', '            port: 9100\n            scheme: https\n          initialDelaySeconds: 0\n          periodSeconds: 10\n          successThreshold: 1\n          timeoutSeconds: 1\n        readinessProbe');
  const f = expectOne(lower, 'container-probes', `${T}.containers[0].livenessProbe.httpGet.scheme`, 'Unsupported value: "https": supported values: "HTTP", "HTTPS"', 'https');
  assert.match(fixAndRecheck(lower, f, 'Change scheme to HTTPS'), /scheme: HTTPS\n/);
  assert.deepEqual(messages(lower.replace('scheme: https', 'scheme: ""'), 'container-probes'), []);
  const header = edit(NODE_EXPORTER, '- name: X-Scrape-Source', '- name: X Scrape Source');
  expectOne(header, 'container-probes', `${T}.containers[0].livenessProbe.httpGet.httpHeaders`,
    "Invalid value: \"X Scrape Source\": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')", 'X Scrape Source');
});

// --- validateProbe and the probe kinds -----------------------------------------------------------

test('container-probes: timings and thresholds may not be negative; a probe grace period must be positive', () => {
  const text = edit(CALICO_NODE, '          periodSeconds: 10\n          initialDelaySeconds: 10\n          failureThreshold: 6\n          timeoutSeconds: 10\n',
    '          periodSeconds: -10\n          initialDelaySeconds: -1\n          failureThreshold: -6\n          timeoutSeconds: 0\n          terminationGracePeriodSeconds: 0\n');
  assert.deepEqual(messages(text, 'container-probes'), [
    `${T}.containers[0].livenessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0`,
    `${T}.containers[0].livenessProbe.periodSeconds: Invalid value: -10: must be greater than or equal to 0`,
    `${T}.containers[0].livenessProbe.failureThreshold: Invalid value: -6: must be greater than or equal to 0`,
    `${T}.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0`,
  ]);
});

test('container-probes: a liveness or startup probe\'s successThreshold must be 1 (0 is defaulted to 1), fixed to 1', () => {
  const text = edit(NODE_EXPORTER, '          successThreshold: 1\n          timeoutSeconds: 1\n        readinessProbe', '          successThreshold: 3\n          timeoutSeconds: 1\n        readinessProbe');
  const f = expectOne(text, 'container-probes', `${T}.containers[0].livenessProbe.successThreshold`, 'Invalid value: 3: must be 1', '3');
  assert.equal(f.fixes?.[0].isPreferred, true);
  const fixed = fixAndRecheck(text, f, 'Set successThreshold to 1');
  assert.equal(fixed, NODE_EXPORTER);
  // A readiness probe may need several successes.
  assert.deepEqual(messages(NODE_EXPORTER.replace(/successThreshold: 1\n(?=\s+timeoutSeconds: 1\n\s+tolerations)/, 'successThreshold: 3\n'), 'container-probes'), []);
  assert.deepEqual(messages(edit(NODE_EXPORTER, '          successThreshold: 1\n          timeoutSeconds: 1\n        readinessProbe', '          successThreshold: 0\n          timeoutSeconds: 1\n        readinessProbe'), 'container-probes'), []);
  const startup = edit(CSI_NODE, '          failureThreshold: 30\n          periodSeconds: 2\n', '          failureThreshold: 30\n          periodSeconds: 2\n          successThreshold: -1\n');
  assert.deepEqual(messages(startup, 'container-probes'), [
    `${T}.containers[2].startupProbe.successThreshold: Invalid value: -1: must be greater than or equal to 0`,
    `${T}.containers[2].startupProbe.successThreshold: Invalid value: -1: must be 1`,
  ]);
});

test('container-probes: a readiness probe may not set terminationGracePeriodSeconds, fixed by removing it', () => {
  const text = edit(CALICO_NODE, '            - -bird-ready\n          periodSeconds: 10\n', '            - -bird-ready\n          terminationGracePeriodSeconds: 30\n          periodSeconds: 10\n');
  const f = expectOne(text, 'container-probes', `${T}.containers[0].readinessProbe.terminationGracePeriodSeconds`, 'Invalid value: 30: must not be set for readinessProbes', '30');
  assert.equal(fixAndRecheck(text, f, 'Remove terminationGracePeriodSeconds'), CALICO_NODE);
});

test('container-probes: init containers may have probes only as sidecars (restartPolicy: Always)', () => {
  // A sidecar's probes are validated like a container's.
  const sidecar = edit(SIDECAR, '          failureThreshold: 30\n', '          failureThreshold: 30\n          successThreshold: 2\n');
  expectOne(sidecar, 'container-probes', `${T}.initContainers[0].startupProbe.successThreshold`, 'Invalid value: 2: must be 1', '2');
  const plain = edit(SIDECAR, '        restartPolicy: Always\n', '');
  assert.deepEqual(messages(plain, 'container-probes'), [
    `${T}.initContainers[0].readinessProbe: ${INIT_FORBIDDEN}`,
    `${T}.initContainers[0].startupProbe: ${INIT_FORBIDDEN}`,
  ]);
  expectOne(plain, 'container-probes', `${T}.initContainers[0].startupProbe`, INIT_FORBIDDEN, 'startupProbe');
  assert.deepEqual(messages(edit(SIDECAR, 'restartPolicy: Always', 'restartPolicy: OnFailure'), 'container-probes').length, 2);
  // Before SidecarContainers was on by default (1.29), restartPolicy was dropped.
  assert.equal(messages(SIDECAR, 'container-probes', { kubernetesVersion: '1.28' }).length, 2);
  assert.deepEqual(messages(SIDECAR, 'container-probes', { kubernetesVersion: '1.28', featureGates: { SidecarContainers: true } }), []);
});

test('container-probes and container-lifecycle: a Kustomize patch may leave handlers and restartPolicy to its base', () => {
  const patch = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: calico-node
  namespace: kube-system
spec:
  template:
    spec:
      initContainers:
      - name: upgrade-ipam
        lifecycle:
          postStart: {}
        livenessProbe:
          periodSeconds: 30
      containers:
      - name: calico-node
        livenessProbe:
          periodSeconds: 30
          successThreshold: 2
        lifecycle:
          preStop: {}
`;
  assert.deepEqual(messages(patch, 'container-probes', {}, true), [`${T}.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1`]);
  assert.deepEqual(messages(patch, 'container-lifecycle', {}, true), []);
});

// --- validateLifecycle ---------------------------------------------------------------------------

test('container-lifecycle: hooks need exactly one handler (exec, httpGet, tcpSocket or sleep)', () => {
  const empty = edit(CALICO_NODE, '          preStop:\n            exec:\n              command:\n              - /bin/calico-node\n              - -shutdown\n', '          preStop: {}\n');
  expectOne(empty, 'container-lifecycle', `${T}.containers[0].lifecycle.preStop`, 'Required value: must specify a handler type', 'preStop');
  const two = edit(CSI_NODE, '            sleep:\n              seconds: 5\n', '            httpGet:\n              path: /shutdown\n              port: 9809\n            sleep:\n              seconds: 5\n');
  expectOne(two, 'container-lifecycle', `${T}.containers[2].lifecycle.preStop.sleep`, 'Forbidden: may not specify more than 1 handler type', 'sleep');
  const noCommand = edit(CALICO_NODE, '          preStop:\n            exec:\n              command:\n              - /bin/calico-node\n              - -shutdown\n', '          postStart:\n            exec:\n              command: []\n');
  expectOne(noCommand, 'container-lifecycle', `${T}.containers[0].lifecycle.postStart.exec.command`, 'Required value', 'command');
  const port = edit(CSI_NODE, '            sleep:\n              seconds: 5\n', '            tcpSocket:\n              port: 0\n');
  expectOne(port, 'container-lifecycle', `${T}.containers[2].lifecycle.preStop.tcpSocket.port`, `Invalid value: 0: ${PORT_RANGE}`, '0');
  // An empty lifecycle is valid (nothing to run).
  assert.deepEqual(messages(edit(CALICO_NODE, '          preStop:\n            exec:\n              command:\n              - /bin/calico-node\n              - -shutdown\n', '          {}\n').replace('lifecycle:\n          {}', 'lifecycle: {}'), 'container-lifecycle'), []);
});

test('container-lifecycle: a sleep may not be negative nor outlast the pod\'s grace period (30 seconds by default)', () => {
  const long = edit(CSI_NODE, 'seconds: 5', 'seconds: 45');
  expectOne(long, 'container-lifecycle', `${T}.containers[2].lifecycle.preStop.sleep`, 'Invalid value: 45: must be non-negative and less than terminationGracePeriodSeconds (30)', '45');
  assert.deepEqual(messages(edit(long, 'terminationGracePeriodSeconds: 30', 'terminationGracePeriodSeconds: 60'), 'container-lifecycle'), []);
  const defaulted = edit(long, '      terminationGracePeriodSeconds: 30\n', '');
  expectOne(defaulted, 'container-lifecycle', `${T}.containers[2].lifecycle.preStop.sleep`, 'Invalid value: 45: must be non-negative and less than terminationGracePeriodSeconds (30)', '45');
  expectOne(edit(CSI_NODE, 'seconds: 5', 'seconds: -1'), 'container-lifecycle', `${T}.containers[2].lifecycle.preStop.sleep`,
    'Invalid value: -1: must be non-negative and less than terminationGracePeriodSeconds (30)', '-1');
  // calico-node ends at once (grace period 0): a sleep there is too long.
  const calico = edit(CALICO_NODE, '          preStop:\n            exec:\n              command:\n              - /bin/calico-node\n              - -shutdown\n', '          preStop:\n            sleep:\n              seconds: 2\n');
  expectOne(calico, 'container-lifecycle', `${T}.containers[0].lifecycle.preStop.sleep`, 'Invalid value: 2: must be non-negative and less than terminationGracePeriodSeconds (0)', '2');
});

test('container-lifecycle: a zero sleep needs PodLifecycleSleepActionAllowZero (on by default from 1.33); before 1.30 sleep is dropped', () => {
  const zero = 'Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds (30). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.';
  assert.deepEqual(messages(SIDECAR, 'container-lifecycle'), []);
  assert.deepEqual(messages(SIDECAR, 'container-lifecycle', { kubernetesVersion: '1.33' }), []);
  assert.deepEqual(messages(SIDECAR, 'container-lifecycle', { kubernetesVersion: '1.32' }), [`${T}.initContainers[0].lifecycle.preStop.sleep: ${zero}`]);
  assert.deepEqual(messages(SIDECAR, 'container-lifecycle', { kubernetesVersion: '1.33', featureGates: { PodLifecycleSleepActionAllowZero: false } }), [`${T}.initContainers[0].lifecycle.preStop.sleep: ${zero}`]);
  // GA and locked on in 1.34.
  assert.deepEqual(messages(SIDECAR, 'container-lifecycle', { kubernetesVersion: '1.34', featureGates: { PodLifecycleSleepActionAllowZero: false } }), []);
  // In 1.29 (PodLifecycleSleepAction alpha) a hook with only a sleep is dropped, and the lifecycle with it.
  const init = edit(SIDECAR, '        restartPolicy: Always\n', '');
  assert.deepEqual(messages(init, 'container-lifecycle', { kubernetesVersion: '1.29' }), []);
  assert.deepEqual(messages(init, 'container-lifecycle', { kubernetesVersion: '1.30' }), [`${T}.initContainers[0].lifecycle: ${INIT_FORBIDDEN}`]);
});

test('container-lifecycle: init containers may have a lifecycle only as sidecars', () => {
  const init = edit(CALICO_NODE, '        securityContext:\n          privileged: true\n      containers:', '        securityContext:\n          privileged: true\n        lifecycle:\n          postStart:\n            exec:\n              command: [touch, /tmp/started]\n      containers:');
  expectOne(init, 'container-lifecycle', `${T}.initContainers[0].lifecycle`, INIT_FORBIDDEN, 'lifecycle');
  const sidecar = edit(init, '      - name: upgrade-ipam\n', '      - name: upgrade-ipam\n        restartPolicy: Always\n');
  assert.deepEqual(messages(sidecar, 'container-lifecycle'), []);
});

test('container-lifecycle: stopSignal only with ContainerStopSignals, then spec.os.name and a signal of that OS', () => {
  const text = edit(CSI_NODE, '          preStop:\n            sleep:\n              seconds: 5\n', '          stopSignal: SIGINT\n');
  assert.deepEqual(messages(text, 'container-lifecycle'), []);
  const gate = { featureGates: { ContainerStopSignals: true } };
  expectOne(text, 'container-lifecycle', `${T}.containers[2].lifecycle.stopSignal`, 'Forbidden: may not be set for containers with empty `spec.os.name`', 'stopSignal', gate);
  const linux = edit(text, '      nodeSelector:\n', '      os:\n        name: linux\n      nodeSelector:\n');
  assert.deepEqual(messages(linux, 'container-lifecycle', gate), []);
  const bad = edit(linux, 'stopSignal: SIGINT', 'stopSignal: SIGSTOPP');
  expectOne(bad, 'container-lifecycle', `${T}.containers[2].lifecycle.stopSignal`, `Unsupported value: "SIGSTOPP": supported values: ${LINUX_SIGNALS}`, 'SIGSTOPP', gate);
  assert.equal(check(bad, 'container-lifecycle', gate)[0].fixes, undefined, 'no guess between SIGSTOP and SIGTSTP');
  const windows = edit(text, '      nodeSelector:\n        kubernetes.io/os: linux\n', '      os:\n        name: windows\n      nodeSelector:\n        kubernetes.io/os: windows\n');
  expectOne(windows, 'container-lifecycle', `${T}.containers[2].lifecycle.stopSignal`, 'Unsupported value: "SIGINT": supported values: "SIGKILL", "SIGTERM"', 'SIGINT', gate);
  const lower = edit(windows, 'stopSignal: SIGINT', 'stopSignal: term');
  const f = expectOne(lower, 'container-lifecycle', `${T}.containers[2].lifecycle.stopSignal`, 'Unsupported value: "term": supported values: "SIGKILL", "SIGTERM"', 'term', gate);
  assert.match(fixAndRecheck(lower, f, 'Change stopSignal to SIGTERM', gate), /stopSignal: SIGTERM\n/);
});

// --- bad input -----------------------------------------------------------------------------------

test('container-probes and container-lifecycle: values of the wrong shape are the schema\'s, and never throw', () => {
  const shapes = [
    ['        livenessProbe:\n          exec:', '        livenessProbe: x\n        startupProbe:\n          exec:'],
    ['        livenessProbe:\n          exec:', '        livenessProbe: [exec]\n        startupProbe:\n          exec:'],
    ['        readinessProbe:\n          exec:\n', '        readinessProbe:\n          httpGet: [port, 80]\n          tcpSocket: 80\n          exec:\n'],
    ['          periodSeconds: 10\n          initialDelaySeconds: 10\n', '          periodSeconds: "10"\n          initialDelaySeconds: 1.5\n          successThreshold: one\n          terminationGracePeriodSeconds: []\n'],
    ['        lifecycle:\n          preStop:', '        lifecycle:\n          postStart: [exec]\n          stopSignal: 15\n          preStop:'],
    ['              command:\n              - /bin/calico-node\n              - -shutdown\n', '              command: /bin/calico-node -shutdown\n'],
    ['      terminationGracePeriodSeconds: 0\n', '      terminationGracePeriodSeconds: soon\n'],
  ] as const;
  for (const [from, to] of shapes) {
    const text = edit(CALICO_NODE, from, to);
    const all = validate(parseDocument('ds.yaml', text), { rules: RULES, featureGates: { ContainerStopSignals: true } });
    assert.deepEqual(all.filter((f) => f.code === 'internal-error').map((f) => f.message), [], to);
    const ours = all.filter((f) => CODES.includes(f.code)).map((f) => `${f.path}: ${f.message}`);
    // The only ones: handlers of the wrong shape still count as handlers, after `exec`.
    if (to.includes('httpGet: [port, 80]')) {
      assert.deepEqual(ours, [
        `${T}.containers[0].readinessProbe.httpGet: Forbidden: may not specify more than 1 handler type`,
        `${T}.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type`,
      ]);
    } else assert.deepEqual(ours, [], to);
    assert.ok(all.some((f) => f.code === 'invalid-type'), `the schema reports ${to}`);
  }
  // A whole container list of the wrong shape.
  for (const containers of ['containers: calico', 'containers: [calico, 7, null]', 'containers: {name: x}']) {
    const text = CALICO_NODE.replace(/ {6}containers:\n[\s\S]*$/, `      ${containers}\n`);
    const all = validate(parseDocument('ds.yaml', text), { rules: RULES });
    assert.deepEqual(all.filter((f) => f.code === 'internal-error' || CODES.includes(f.code)).map((f) => f.message), [], containers);
  }
});
