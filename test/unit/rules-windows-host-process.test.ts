/**
 * windows-host-process: validateWindowsHostProcessPod (pkg/apis/core/validation/validation.go), which
 * ValidatePodSpec runs on every pod spec whatever its os.name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits } from '../../server/src/engine/edits';
import { parseDocument } from '../../server/src/engine/model';
import type { Finding } from '../../server/src/engine/types';
import { validate } from '../../server/src/engine/validate';

const RULE = 'windows-host-process';
const FIXTURES = join(__dirname, '..', 'fixtures');
const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');
const KUBE_PROXY = read('pod-os/kube-proxy-windows.yaml');
const WINDOWS_EXPORTER = read('pod-os/windows-exporter-hostprocess.yaml');
const NODE_EXPORTER = read('pod-os/node-exporter-linux.yaml');
const FLUENT_BIT = read('pod-os/fluent-bit-windows.yaml');

function findings(text: string): Finding[] {
  return validate(parseDocument('file:///ds.yaml', text));
}
const only = (text: string) => findings(text).filter((f) => f.code === RULE);
const at = (text: string, f: Finding) => text.slice(f.span.start, f.span.end);
const summary = (text: string) => only(text).map((f) => [f.path, f.message, at(text, f)]);

/** Calico for Windows (calico-node-windows): the pod sets hostProcess, each container may override it. */
function calicoWindows(opts: { hostNetwork?: string; node?: string; felix?: string; os?: boolean } = {}): string {
  const override = (v?: string) => (v === undefined ? '' : `        securityContext:\n          windowsOptions:\n            hostProcess: ${v}\n`);
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: calico-node-windows
  namespace: calico-system
spec:
  selector:
    matchLabels: {k8s-app: calico-node-windows}
  template:
    metadata:
      labels: {k8s-app: calico-node-windows}
    spec:
${opts.os === false ? '' : '      os:\n        name: windows\n'}      nodeSelector:
        kubernetes.io/os: windows
      securityContext:
        windowsOptions:
          hostProcess: true
          runAsUserName: "NT AUTHORITY\\\\system"
${opts.hostNetwork ?? '      hostNetwork: true\n'}      serviceAccountName: calico-node
      containers:
      - name: node
        image: docker.io/calico/node-windows:v3.30.2
        args: ["$env:CONTAINER_SANDBOX_MOUNT_POINT/node.ps1"]
${override(opts.node)}      - name: felix
        image: docker.io/calico/node-windows:v3.30.2
        args: ["$env:CONTAINER_SANDBOX_MOUNT_POINT/felix-service.ps1"]
${override(opts.felix)}      tolerations:
      - operator: Exists
        effect: NoSchedule
`;
}

test('real HostProcess DaemonSets with hostNetwork: true are accepted', () => {
  for (const text of [KUBE_PROXY, WINDOWS_EXPORTER, calicoWindows(), calicoWindows({ node: 'true', felix: 'true' }), NODE_EXPORTER, FLUENT_BIT]) {
    assert.deepEqual(summary(text), []);
  }
});

test('kube-proxy for Windows without hostNetwork: an error on hostNetwork, fixed by setting it', () => {
  const text = KUBE_PROXY.replace('      hostNetwork: true\n', '');
  const [f, ...rest] = only(text);
  assert.equal(rest.length, 0);
  assert.equal(f.severity, 'error');
  assert.equal(f.path, 'spec.template.spec.hostNetwork');
  assert.equal(f.message, 'Invalid value: false: hostNetwork must be true if pod contains any hostProcess containers');
  // No hostNetwork key: the span is the pod-level hostProcess that requires it.
  assert.equal(at(text, f), 'hostProcess');
  assert.deepEqual(f.fixes?.map((x) => [x.title, !!x.isPreferred]), [['Set hostNetwork: true', true]]);
  const fixed = applyEdits(text, f.fixes![0].edits);
  assert.deepEqual(summary(fixed), []);
  assert.deepEqual(findings(fixed).filter((g) => g.severity === 'error'), []);
  // Only the new line: comments and the rest of the spec are kept.
  assert.deepEqual(fixed.split('\n').filter((l) => !text.split('\n').includes(l)), ['      hostNetwork: true']);

  // hostNetwork: false is reported on its key, and the fix flips it.
  const off = KUBE_PROXY.replace('      hostNetwork: true\n', '      hostNetwork: false\n');
  const [g] = only(off);
  assert.equal(at(off, g), 'hostNetwork');
  assert.equal(applyEdits(off, g.fixes![0].edits), KUBE_PROXY);
});

test('without os.name too: validateWindowsHostProcessPod runs on every pod spec', () => {
  const text = calicoWindows({ os: false, hostNetwork: '' });
  assert.deepEqual(summary(text), [['spec.template.spec.hostNetwork', 'Invalid value: false: hostNetwork must be true if pod contains any hostProcess containers', 'hostProcess']]);
});

test('a container that opts out of the pod-level hostProcess: mismatch on the container, and not all are HostProcess', () => {
  const text = calicoWindows({ felix: 'false' });
  assert.deepEqual(summary(text), [
    ['spec.template.spec.containers[1].securityContext.windowsOptions.hostProcess', 'Invalid value: false: pod hostProcess value must be identical if both are specified, was true', 'false'],
    // Reported on the pod spec, pointed at the container that is not a HostProcess container.
    ['spec.template.spec', 'Invalid value: "": If pod contains any hostProcess containers then all containers must be HostProcess containers', 'felix'],
  ]);
  // The same value at both levels is fine.
  assert.deepEqual(summary(calicoWindows({ felix: 'true' })), []);
});

test('HostProcess set on one container only: the others do not inherit it', () => {
  // windows-exporter with hostProcess on the exporter container instead of the pod, and an init container left out.
  const text = WINDOWS_EXPORTER
    .replace('      securityContext:\n        windowsOptions:\n          hostProcess: true\n          runAsUserName: "NT AUTHORITY\\\\system"\n', '')
    .replace('          volumeMounts:\n', '          securityContext:\n            windowsOptions:\n              hostProcess: true\n          volumeMounts:\n');
  assert.notEqual(text, WINDOWS_EXPORTER);
  assert.deepEqual(summary(text), [
    ['spec.template.spec', 'Invalid value: "": If pod contains any hostProcess containers then all containers must be HostProcess containers', 'configure-firewall'],
  ]);
  // Without hostNetwork as well: the error points at the container's hostProcess.
  const noNet = text.replace('      hostNetwork: true\n', '');
  const errs = only(noNet);
  assert.deepEqual(errs.map((f) => f.path), ['spec.template.spec', 'spec.template.spec.hostNetwork']);
  assert.equal(noNet.slice(0, errs[1].span.start).split('\n').length, noNet.split('\n').findIndex((l) => l.includes('hostProcess: true')) + 1);
});

test('hostProcess: false everywhere, or not set, asks for nothing', () => {
  const text = calicoWindows({ hostNetwork: '' }).replace('          hostProcess: true\n', '          hostProcess: false\n');
  assert.deepEqual(summary(text), []);
  // A mismatch is still one.
  assert.deepEqual(summary(calicoWindows({ hostNetwork: '', node: 'true' }).replace('          hostProcess: true\n', '          hostProcess: false\n')).map((s) => s[0]), [
    'spec.template.spec.containers[0].securityContext.windowsOptions.hostProcess',
    'spec.template.spec',
    'spec.template.spec.hostNetwork',
  ]);
});

test('a Kustomize patch: only the mismatch it shows; its base may hold hostNetwork and more containers', () => {
  const patch = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: calico-node-windows
spec:
  template:
    spec:
      securityContext:
        windowsOptions:
          hostProcess: true
      containers:
      - name: node
        args: ["$env:CONTAINER_SANDBOX_MOUNT_POINT/node.ps1", "-v"]
      - name: felix
        securityContext:
          windowsOptions:
            hostProcess: false
`;
  assert.deepEqual(summary(patch).map((s) => s[0]), ['spec.template.spec.containers[1].securityContext.windowsOptions.hostProcess']);
  // The same object as a complete manifest gets all three.
  const full = patch.replace('metadata:\n  name: calico-node-windows\n', 'metadata:\n  name: calico-node-windows\n  namespace: calico-system\n').replace('spec:\n  template:\n', 'spec:\n  selector:\n    matchLabels: {k8s-app: calico-node-windows}\n  template:\n    metadata:\n      labels: {k8s-app: calico-node-windows}\n').replace(/( {6}- name: \w+\n)/g, '$1        image: docker.io/calico/node-windows:v3.30.3\n');
  assert.deepEqual(summary(full).map((s) => s[0]), ['spec.template.spec.containers[1].securityContext.windowsOptions.hostProcess', 'spec.template.spec', 'spec.template.spec.hostNetwork']);
});

test('values of another type are left to the schema; bad input does not throw', () => {
  assert.deepEqual(summary(calicoWindows({ hostNetwork: '      hostNetwork: "true"\n' })), []);
  for (const bad of ['      securityContext: 3\n', '      containers: {a: 1}\n', '      securityContext:\n        windowsOptions: [true]\n']) {
    assert.doesNotThrow(() => only(KUBE_PROXY.replace('      serviceAccountName: kube-proxy\n', bad)));
  }
});
