import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/model';
import { validate, type ValidateOptions } from '../../server/src/engine/validate';
import { RULES } from '../../server/src/engine/rules';
import { closestVolume } from '../../server/src/engine/rules/volumeMounts';
import type { Finding, Fix, TextEdit } from '../../server/src/engine/types';
import { podSpecManifest } from './podSpecManifest';

const T = 'spec.template.spec';
const DNS_LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS_SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const FILE_MODE = 'must be a number between 0 and 0777 (octal), both inclusive';
const HOST_PATH_TYPES = 'supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"';
const CODES = ['volumes', 'volume-mounts'];

/** A DaemonSet whose pod spec is `podSpec` (written at column 0). */
const daemonSet = (podSpec: string, name = 'agent'): string => podSpecManifest(podSpec, { name, namespace: 'kube-system' });

function all(text: string, options: ValidateOptions = {}): Finding[] {
  return validate(parseDocument('ds.yaml', text), options);
}

function check(text: string, options: ValidateOptions = {}): Finding[] {
  return all(text, options).filter((f) => CODES.includes(f.code));
}

const under = (text: string, f: Finding) => text.slice(f.span.start, f.span.end);
const summary = (fs: Finding[]) => fs.map((f) => `${f.code} ${f.path}: ${f.message}`);

/** Asserts exactly these findings of the two rules, in order: [code, path, message, text under the span]. */
function expectFindings(text: string, expected: Array<[string, string, string, string]>, options?: ValidateOptions): Finding[] {
  const found = check(text, options);
  assert.deepEqual(found.map((f) => [f.code, f.path, f.message, under(text, f)]), expected, JSON.stringify(summary(found), null, 1));
  for (const f of found) assert.equal(f.severity, 'error');
  return found;
}

function expectNone(text: string, options?: ValidateOptions): void {
  assert.deepEqual(summary(check(text, options)), []);
  assert.deepEqual(all(text, options).filter((f) => f.code === 'internal-error').map((f) => f.message), []);
}

/** Applies a fix's edits, last first (edits never overlap). */
function applyFix(text: string, fix: Fix): string {
  const edits: TextEdit[] = [...fix.edits].sort((a, b) => b.span.start - a.span.start);
  return edits.reduce((t, e) => t.slice(0, e.span.start) + e.newText + t.slice(e.span.end), text);
}

// --- Realistic node agents: valid, so neither rule says anything -------------------------------

const FLUENT_BIT = `
serviceAccountName: fluent-bit
containers:
- name: fluent-bit
  image: cr.fluentbit.io/fluent/fluent-bit:3.1.9
  env:
  - name: NODE_NAME
    valueFrom:
      fieldRef:
        fieldPath: spec.nodeName
  volumeMounts:
  - name: config
    mountPath: /fluent-bit/etc/conf
  - name: varlog
    mountPath: /var/log
  - name: varlibdockercontainers
    mountPath: /var/lib/docker/containers
    readOnly: true
    recursiveReadOnly: IfPossible
  - name: etcmachineid
    mountPath: /etc/machine-id
    readOnly: true
  - name: state
    mountPath: /var/fluent-bit/state
    subPathExpr: $(NODE_NAME)
volumes:
- name: config
  configMap:
    name: fluent-bit
    defaultMode: 0644
    items:
    - key: fluent-bit.conf
      path: fluent-bit.conf
    - key: parsers.conf
      path: parsers.conf
      mode: 0o600
- name: varlog
  hostPath:
    path: /var/log
- name: varlibdockercontainers
  hostPath:
    path: /var/lib/docker/containers
- name: etcmachineid
  hostPath:
    path: /etc/machine-id
    type: File
- name: state
  hostPath:
    path: /var/fluent-bit/state
    type: DirectoryOrCreate
tolerations:
- operator: Exists
`;

const NODE_EXPORTER = `
hostNetwork: true
hostPID: true
containers:
- name: node-exporter
  image: quay.io/prometheus/node-exporter:v1.8.2
  args: [--path.procfs=/host/proc, --path.sysfs=/host/sys, --path.rootfs=/host/root]
  ports:
  - {name: metrics, containerPort: 9100}
  volumeMounts:
  - {name: proc, mountPath: /host/proc, readOnly: true}
  - {name: sys, mountPath: /host/sys, readOnly: true}
  - name: root
    mountPath: /host/root
    mountPropagation: HostToContainer
    readOnly: true
  - name: textfile
    mountPath: /var/lib/node-exporter
    subPath: textfile
  - name: tmp
    mountPath: /tmp
- name: kube-rbac-proxy
  image: quay.io/brancz/kube-rbac-proxy:v0.18.1
  volumeMounts:
  - name: tls
    mountPath: /etc/tls/private
    readOnly: true
  - name: kube-api-access
    mountPath: /var/run/secrets/kubernetes.io/serviceaccount
    readOnly: true
volumes:
- {name: proc, hostPath: {path: /proc}}
- {name: sys, hostPath: {path: /sys}}
- {name: root, hostPath: {path: /}}
- name: textfile
  emptyDir: {}
- name: tmp
  emptyDir:
    medium: Memory
    sizeLimit: 64Mi
- name: tls
  secret:
    secretName: node-exporter-tls
    defaultMode: 420
    optional: true
- name: kube-api-access
  projected:
    defaultMode: 0644
    sources:
    - serviceAccountToken:
        expirationSeconds: 3607
        path: token
    - configMap:
        name: kube-root-ca.crt
        items:
        - key: ca.crt
          path: ca.crt
    - downwardAPI:
        items:
        - path: namespace
          fieldRef:
            apiVersion: v1
            fieldPath: metadata.namespace
- name: podinfo
  downwardAPI:
    items:
    - path: labels
      fieldRef: {fieldPath: metadata.labels}
    - path: annotations
      fieldRef: {fieldPath: "metadata.annotations['prometheus.io/scrape']"}
    - path: mem_limit
      resourceFieldRef:
        containerName: node-exporter
        resource: limits.memory
        divisor: 1Mi
    - path: cpu_request
      resourceFieldRef: {containerName: node-exporter, resource: requests.cpu, divisor: 1m}
`;

const CSI_NODE = `
priorityClassName: system-node-critical
containers:
- name: node-driver-registrar
  image: registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.12.0
  args: [--csi-address=/csi/csi.sock, --kubelet-registration-path=/var/lib/kubelet/plugins/ebs.csi.aws.com/csi.sock]
  volumeMounts:
  - name: plugin-dir
    mountPath: /csi
  - name: registration-dir
    mountPath: /registration
- name: ebs-plugin
  image: public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.36.0
  securityContext:
    privileged: true
  volumeMounts:
  - name: kubelet-dir
    mountPath: /var/lib/kubelet
    mountPropagation: Bidirectional
  - name: plugin-dir
    mountPath: /csi
  - name: device-dir
    mountPath: /dev
- name: liveness-probe
  image: registry.k8s.io/sig-storage/livenessprobe:v2.14.0
  volumeMounts:
  - {name: plugin-dir, mountPath: /csi}
volumes:
- name: kubelet-dir
  hostPath:
    path: /var/lib/kubelet
    type: Directory
- name: plugin-dir
  hostPath:
    path: /var/lib/kubelet/plugins/ebs.csi.aws.com/
    type: DirectoryOrCreate
- name: registration-dir
  hostPath:
    path: /var/lib/kubelet/plugins_registry/
    type: Directory
- name: device-dir
  hostPath:
    path: /dev
    type: Directory
- name: scratch
  ephemeral:
    volumeClaimTemplate:
      metadata:
        labels: {type: scratch}
      spec:
        accessModes: [ReadWriteOnce]
        storageClassName: gp3
        resources:
          requests:
            storage: 1Gi
- name: secrets-store
  csi:
    driver: secrets-store.csi.k8s.io
    readOnly: true
    volumeAttributes: {secretProviderClass: agent}
    nodePublishSecretRef: {name: store-creds}
`;

const CALICO_NODE = `
hostNetwork: true
serviceAccountName: calico-node
initContainers:
- name: upgrade-ipam
  image: docker.io/calico/cni:v3.28.2
  command: [/opt/cni/bin/calico-ipam, -upgrade]
  volumeMounts:
  - {mountPath: /var/lib/cni/networks, name: host-local-net-dir}
  - {mountPath: /host/opt/cni/bin, name: cni-bin-dir}
  securityContext: {privileged: true}
- name: install-cni
  image: docker.io/calico/cni:v3.28.2
  command: [/opt/cni/bin/install]
  volumeMounts:
  - {mountPath: /host/opt/cni/bin, name: cni-bin-dir}
  - {mountPath: /host/etc/cni/net.d, name: cni-net-dir}
  securityContext: {privileged: true}
- name: mount-bpffs
  image: docker.io/calico/node:v3.28.2
  command: [calico-node, -init, -best-effort]
  volumeMounts:
  - {mountPath: /sys/fs, name: sys-fs, mountPropagation: Bidirectional}
  - {mountPath: /var/run/calico, name: var-run-calico, mountPropagation: Bidirectional}
  - {mountPath: /nodeproc, name: nodeproc, readOnly: true}
  securityContext: {privileged: true}
containers:
- name: calico-node
  image: docker.io/calico/node:v3.28.2
  securityContext: {privileged: true}
  volumeMounts:
  - {mountPath: /host/etc/cni/net.d, name: cni-net-dir, readOnly: false}
  - {mountPath: /lib/modules, name: lib-modules, readOnly: true}
  - {mountPath: /run/xtables.lock, name: xtables-lock, readOnly: false}
  - {mountPath: /var/run/calico, name: var-run-calico, readOnly: false}
  - {mountPath: /var/lib/calico, name: var-lib-calico, readOnly: false}
  - {mountPath: /var/run/nodeagent, name: policysync}
  - {mountPath: /sys/fs/bpf, name: bpffs}
  - {mountPath: /var/log/calico/cni, name: cni-log-dir, readOnly: true}
volumes:
- {name: lib-modules, hostPath: {path: /lib/modules}}
- {name: var-run-calico, hostPath: {path: /var/run/calico, type: DirectoryOrCreate}}
- {name: var-lib-calico, hostPath: {path: /var/lib/calico, type: DirectoryOrCreate}}
- {name: xtables-lock, hostPath: {path: /run/xtables.lock, type: FileOrCreate}}
- {name: sys-fs, hostPath: {path: /sys/fs/, type: DirectoryOrCreate}}
- {name: bpffs, hostPath: {path: /sys/fs/bpf, type: Directory}}
- {name: nodeproc, hostPath: {path: /proc}}
- {name: cni-bin-dir, hostPath: {path: /opt/cni/bin, type: DirectoryOrCreate}}
- {name: cni-net-dir, hostPath: {path: /etc/cni/net.d}}
- {name: cni-log-dir, hostPath: {path: /var/log/calico/cni}}
- {name: host-local-net-dir, hostPath: {path: /var/lib/cni/networks}}
- {name: policysync, hostPath: {type: DirectoryOrCreate, path: /var/run/nodeagent}}
`;

test('realistic node agents (fluent-bit, node-exporter, a CSI node plugin, calico-node) give no volume finding', () => {
  for (const id of CODES) assert.ok(RULES.some((r) => r.id === id), `${id} is registered`);
  for (const [name, spec] of Object.entries({ FLUENT_BIT, NODE_EXPORTER, CSI_NODE, CALICO_NODE })) {
    const text = daemonSet(spec, name.toLowerCase().replace(/_/g, '-'));
    expectNone(text);
    // Nor does the schema report anything about them.
    assert.deepEqual(summary(all(text).filter((f) => f.severity === 'error')), [], name);
  }
});

// --- volume-mounts: names ----------------------------------------------------------------------

test('volume-mounts: a mount of a volume that does not exist is Not found, with a fix to the close one', () => {
  const text = daemonSet(FLUENT_BIT.replace('  - name: varlog\n    mountPath: /var/log', '  - name: varlogs\n    mountPath: /var/log'));
  const [f] = expectFindings(text, [['volume-mounts', `${T}.containers[0].volumeMounts[1].name`, 'Not found: "varlogs"', 'varlogs']]);
  assert.deepEqual(f.fixes?.map((x) => [x.title, x.isPreferred]), [["Use volume 'varlog'", true]]);
  assert.deepEqual(f.fixes![0].edits.map((e) => [under(text, { ...f, span: e.span }), e.newText]), [['varlogs', 'varlog']]);
  const fixed = applyFix(text, f.fixes![0]);
  assert.equal(fixed, daemonSet(FLUENT_BIT));
  expectNone(fixed);
});

test('volume-mounts: the fix keeps quotes, ignores case and dashes, and is offered only for one close name', () => {
  const quoted = daemonSet(NODE_EXPORTER.replace('{name: sys, mountPath', '{name: "Sys", mountPath'));
  const [f] = expectFindings(quoted, [['volume-mounts', `${T}.containers[0].volumeMounts[1].name`, 'Not found: "Sys"', '"Sys"']]);
  const fixedQuoted = applyFix(quoted, f.fixes![0]);
  assert.equal(fixedQuoted, daemonSet(NODE_EXPORTER.replace('{name: sys, mountPath', '{name: "sys", mountPath')));
  expectNone(fixedQuoted);
  const dashes = daemonSet(CALICO_NODE.replace('{mountPath: /lib/modules, name: lib-modules', '{mountPath: /lib/modules, name: libmodules'));
  const [g] = check(dashes);
  assert.equal(g.fixes?.[0].title, "Use volume 'lib-modules'");
  expectNone(applyFix(dashes, g.fixes![0]));
  // Far from every volume: no fix.
  const far = daemonSet(FLUENT_BIT.replace('  - name: varlog\n    mountPath: /var/log', '  - name: journal\n    mountPath: /var/log'));
  assert.equal(expectFindings(far, [['volume-mounts', `${T}.containers[0].volumeMounts[1].name`, 'Not found: "journal"', 'journal']])[0].fixes, undefined);
  // Two volumes equally close: no guess.
  assert.equal(closestVolume('data', ['data1', 'data2']), undefined);
  assert.equal(closestVolume('data', ['data1', 'config']), 'data1');
  assert.equal(closestVolume('log', ['lib']), undefined, 'two edits of a three-letter name is another name');
  assert.equal(closestVolume('cfg', ['cgf']), 'cgf', 'two letters swapped is one edit');
});

test('volume-mounts: init containers are checked too, and a mount of a volume with an error is Not found (no fix)', () => {
  const text = daemonSet(CALICO_NODE
    .replace('{mountPath: /host/etc/cni/net.d, name: cni-net-dir}\n  securityContext', '{mountPath: /host/etc/cni/net.d, name: cni-netdir}\n  securityContext')
    .replace('{name: var-lib-calico, hostPath: {path: /var/lib/calico, type: DirectoryOrCreate}}', '{name: var-lib-calico, hostPath: {path: /var/lib/calico, type: Dir}}'));
  const found = expectFindings(text, [
    ['volumes', `${T}.volumes[2].hostPath.type`, `Unsupported value: "Dir": ${HOST_PATH_TYPES}`, 'Dir'],
    ['volume-mounts', `${T}.containers[0].volumeMounts[4].name`, 'Not found: "var-lib-calico"', 'var-lib-calico'],
    ['volume-mounts', `${T}.initContainers[1].volumeMounts[1].name`, 'Not found: "cni-netdir"', 'cni-netdir'],
  ]);
  assert.equal(found[1].fixes, undefined, 'the volume exists; it has an error of its own');
  assert.equal(found[2].fixes?.[0].title, "Use volume 'cni-net-dir'");
});

test('volume-mounts: name and mountPath are required (reported once, not also by the schema) and mountPath unique', () => {
  const text = daemonSet(`
containers:
- name: agent
  image: busybox
  volumeMounts:
  - mountPath: /a
  - name: data
  - name: data
    mountPath: /b
  - name: data
    mountPath: /b
volumes:
- name: data
  emptyDir: {}
`);
  expectFindings(text, [
    ['volume-mounts', `${T}.containers[0].volumeMounts[0].name`, 'Required value', 'mountPath'],
    ['volume-mounts', `${T}.containers[0].volumeMounts[0].name`, 'Not found: ""', 'mountPath'],
    ['volume-mounts', `${T}.containers[0].volumeMounts[1].mountPath`, 'Required value', 'name'],
    ['volume-mounts', `${T}.containers[0].volumeMounts[3].mountPath`, 'Invalid value: "/b": must be unique', '/b'],
  ]);
  assert.deepEqual(all(text).filter((f) => f.code === 'missing-required-field').map((f) => f.path), []);
});

// --- volume-mounts: subPath, propagation, recursiveReadOnly, devices ---------------------------

test('volume-mounts: subPath and subPathExpr, printed on volumeMounts.<field> as upstream prints them', () => {
  const text = daemonSet(NODE_EXPORTER.replace('    subPath: textfile', '    subPath: ../textfile\n    subPathExpr: /$(NODE_NAME)'));
  expectFindings(text, [
    ['volume-mounts', `${T}.containers[0].volumeMounts.subPath`, `Invalid value: "../textfile": must not contain '..'`, '../textfile'],
    ['volume-mounts', `${T}.containers[0].volumeMounts[3].subPathExpr`, 'Invalid value: "/$(NODE_NAME)": subPathExpr and subPath are mutually exclusive', '/$(NODE_NAME)'],
    ['volume-mounts', `${T}.containers[0].volumeMounts.subPathExpr`, 'Invalid value: "/$(NODE_NAME)": must be a relative path', '/$(NODE_NAME)'],
  ]);
});

test('volume-mounts: Bidirectional propagation needs a privileged container; unknown values are unsupported', () => {
  const unprivileged = daemonSet(CSI_NODE.replace('  securityContext:\n    privileged: true\n', ''));
  expectFindings(unprivileged, [
    ['volume-mounts', `${T}.containers[1].volumeMounts.mountPropagation`, 'Forbidden: Bidirectional mount propagation is available only to privileged containers', 'Bidirectional'],
  ]);
  const unknown = daemonSet(CSI_NODE.replace('mountPropagation: Bidirectional', 'mountPropagation: bidirectional'));
  expectFindings(unknown, [
    ['volume-mounts', `${T}.containers[1].volumeMounts.mountPropagation`, 'Unsupported value: "bidirectional": supported values: "Bidirectional", "HostToContainer", "None"', 'bidirectional'],
  ]);
  // An init container is judged by its own securityContext.
  const init = daemonSet(CALICO_NODE.replace('  - {mountPath: /nodeproc, name: nodeproc, readOnly: true}\n  securityContext: {privileged: true}', '  - {mountPath: /nodeproc, name: nodeproc, readOnly: true}'));
  expectFindings(init, [
    ['volume-mounts', `${T}.initContainers[2].volumeMounts.mountPropagation`, 'Forbidden: Bidirectional mount propagation is available only to privileged containers', 'Bidirectional'],
    ['volume-mounts', `${T}.initContainers[2].volumeMounts.mountPropagation`, 'Forbidden: Bidirectional mount propagation is available only to privileged containers', 'Bidirectional'],
  ]);
});

test('volume-mounts: recursiveReadOnly needs readOnly and no propagation; unchecked while its gate is off (1.30)', () => {
  const text = daemonSet(FLUENT_BIT.replace('    readOnly: true\n    recursiveReadOnly: IfPossible', '    recursiveReadOnly: Enabled\n    mountPropagation: HostToContainer'));
  expectFindings(text, [
    ['volume-mounts', `${T}.containers[0].volumeMounts.recursiveReadOnly`, 'Forbidden: may only be specified when readOnly is true', 'Enabled'],
    ['volume-mounts', `${T}.containers[0].volumeMounts.recursiveReadOnly`, 'Forbidden: may only be specified when mountPropagation is None or not specified', 'Enabled'],
  ]);
  const unknown = daemonSet(FLUENT_BIT.replace('recursiveReadOnly: IfPossible', 'recursiveReadOnly: "true"'));
  expectFindings(unknown, [
    ['volume-mounts', `${T}.containers[0].volumeMounts.recursiveReadOnly`, 'Unsupported value: "true": supported values: "Disabled", "Enabled", "IfPossible"', '"true"'],
  ]);
  expectNone(text, { kubernetesVersion: '1.30' });
  assert.equal(check(text, { kubernetesVersion: '1.30', featureGates: { RecursiveReadOnlyMounts: true } }).length, 2);
  assert.equal(check(text, { kubernetesVersion: '1.31' }).length, 2);
});

test('volume-mounts: volumeDevices need a claim, unique names and paths, none shared with a mount', () => {
  const text = daemonSet(`
containers:
- name: agent
  image: busybox
  volumeMounts:
  - {name: cache, mountPath: /cache}
  volumeDevices:
  - {name: raw, devicePath: /dev/xvda}
  - {name: raw, devicePath: /dev/xvda}
  - {name: cache, devicePath: /cache}
  - {name: missing, devicePath: /dev/../x}
volumes:
- name: raw
  ephemeral:
    volumeClaimTemplate:
      spec:
        accessModes: [ReadWriteOnce]
        volumeMode: Block
        resources: {requests: {storage: 10Gi}}
- {name: cache, emptyDir: {}}
`);
  expectFindings(text, [
    ['volume-mounts', `${T}.containers[0].volumeMounts[0].name`, 'Invalid value: "cache": must not already exist in volumeDevices', 'cache'],
    ['volume-mounts', `${T}.containers[0].volumeMounts[0].mountPath`, 'Invalid value: "/cache": must not already exist as a path in volumeDevices', '/cache'],
    ['volume-mounts', `${T}.containers[0].volumeDevices[1].name`, 'Invalid value: "raw": must be unique', 'raw'],
    ['volume-mounts', `${T}.containers[0].volumeDevices[1].devicePath`, 'Invalid value: "/dev/xvda": must be unique', '/dev/xvda'],
    ['volume-mounts', `${T}.containers[0].volumeDevices[2].name`, 'Invalid value: "cache": can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode', 'cache'],
    ['volume-mounts', `${T}.containers[0].volumeDevices[2].name`, 'Invalid value: "cache": must not already exist in volumeMounts', 'cache'],
    ['volume-mounts', `${T}.containers[0].volumeDevices[2].devicePath`, 'Invalid value: "/cache": must not already exist as a path in volumeMounts', '/cache'],
    ['volume-mounts', `${T}.containers[0].volumeDevices[3].name`, 'Not found: "missing"', 'missing'],
    ['volume-mounts', `${T}.containers[0].volumeDevices[3].devicePath`, `Invalid value: "/dev/../x": can not contain backsteps ('..')`, '/dev/../x'],
  ]);
});

// --- volumes -----------------------------------------------------------------------------------

test('volumes: names are required, DNS-1123 labels and unique (a duplicate of a volume with an error is not one)', () => {
  const text = daemonSet(`
containers:
- {name: agent, image: busybox}
volumes:
- emptyDir: {}
- {name: Data, emptyDir: {}}
- {name: data, emptyDir: {}}
- {name: data, hostPath: {path: /data}}
- {name: bad, hostPath: {path: ""}}
- {name: bad, emptyDir: {}}
`);
  expectFindings(text, [
    ['volumes', `${T}.volumes[0].name`, 'Required value', 'emptyDir'],
    ['volumes', `${T}.volumes[1].name`, `Invalid value: "Data": ${DNS_LABEL}`, 'Data'],
    ['volumes', `${T}.volumes[3].name`, 'Duplicate value: "data"', 'data'],
    ['volumes', `${T}.volumes[4].hostPath.path`, 'Required value', '""'],
  ]);
  assert.deepEqual(all(text).filter((f) => f.code === 'missing-required-field').map((f) => f.path), []);
});

test('volumes: at most one volume source (none is an emptyDir), with upstream spelling of the second one', () => {
  const text = daemonSet(`
containers:
- name: agent
  image: busybox
  volumeMounts:
  - {name: none, mountPath: /scratch}
volumes:
- name: none
- name: two
  hostPath: {path: /var/log}
  emptyDir: {}
- name: three
  configMap: {name: a}
  downwardAPI: {items: []}
  emptyDir: {}
  cephfs: {monitors: [m]}
`);
  // SetDefaults_Volume: a volume without a source gets an emptyDir, so "must specify a volume type" never comes.
  expectFindings(text, [
    ['volumes', `${T}.volumes[1].hostPath`, 'Forbidden: may not specify more than 1 volume type', 'hostPath'],
    ['volumes', `${T}.volumes[2].cephFS`, 'Forbidden: may not specify more than 1 volume type', 'cephfs'],
    ['volumes', `${T}.volumes[2].downwarAPI`, 'Forbidden: may not specify more than 1 volume type', 'downwardAPI'],
    ['volumes', `${T}.volumes[2].configMap`, 'Forbidden: may not specify more than 1 volume type', 'configMap'],
  ]);
});

test('volumes: hostPath path and type', () => {
  const text = daemonSet(`
containers:
- {name: agent, image: busybox}
volumes:
- name: a
  hostPath: {type: Directory}
- name: b
  hostPath: {path: /var/lib/../../etc}
- name: c
  hostPath: {path: /run/agent.sock, type: socket}
- name: d
  hostPath: {path: /run/containerd, type: ""}
`);
  expectFindings(text, [
    ['volumes', `${T}.volumes[0].hostPath.path`, 'Required value', 'hostPath'],
    ['volumes', `${T}.volumes[1].hostPath.path`, `Invalid value: "/var/lib/../../etc": must not contain '..'`, '/var/lib/../../etc'],
    ['volumes', `${T}.volumes[2].hostPath.type`, `Unsupported value: "socket": ${HOST_PATH_TYPES}`, 'socket'],
  ]);
  assert.deepEqual(all(text).filter((f) => f.code === 'missing-required-field').map((f) => f.path), []);
});

test('volumes: configMap and secret names, items and modes (YAML 1.1 octal as the API server reads it)', () => {
  const text = daemonSet(`
containers:
- {name: agent, image: busybox}
volumes:
- name: config
  configMap:
    defaultMode: 0777
    items:
    - path: agent.conf
    - key: a
      path: /etc/a
    - key: b
      path: ../b
    - key: c
      path: ..c
    - key: d
      path: d
      mode: 01000
    - key: e
      path: e
      mode: -1
- name: creds
  secret:
    secretName: ""
    defaultMode: 0o1777
`);
  expectFindings(text, [
    ['volumes', `${T}.volumes[0].configMap.name`, 'Required value', 'configMap'],
    ['volumes', `${T}.volumes[0].configMap.items[0].key`, 'Required value', 'path'],
    ['volumes', `${T}.volumes[0].configMap.items[1].path`, 'Invalid value: "/etc/a": must be a relative path', '/etc/a'],
    ['volumes', `${T}.volumes[0].configMap.items[2].path`, `Invalid value: "../b": must not contain '..'`, '../b'],
    ['volumes', `${T}.volumes[0].configMap.items[3].path`, `Invalid value: "..c": must not start with '..'`, '..c'],
    ['volumes', `${T}.volumes[0].configMap.items[4].mode`, `Invalid value: 512: ${FILE_MODE}`, '01000'],
    ['volumes', `${T}.volumes[0].configMap.items[5].mode`, `Invalid value: -1: ${FILE_MODE}`, '-1'],
    ['volumes', `${T}.volumes[1].secret.secretName`, 'Required value', '""'],
    ['volumes', `${T}.volumes[1].secret.defaultMode`, `Invalid value: 1023: ${FILE_MODE}`, '0o1777'],
  ]);
  assert.deepEqual(all(text).filter((f) => f.code === 'missing-required-field').map((f) => f.path), []);
});

test('volumes: a mode written with underscores is the integer kubectl reads (0_1000 is octal 512), not a string', () => {
  const text = daemonSet(`
containers:
- {name: agent, image: busybox}
volumes:
- name: config
  configMap:
    name: agent
    defaultMode: 0_644
    items:
    - {key: a, path: a, mode: 0_1000}
    - {key: b, path: b, mode: 0x1_ff}
`);
  expectFindings(text, [
    ['volumes', `${T}.volumes[0].configMap.items[0].mode`, `Invalid value: 512: ${FILE_MODE}`, '0_1000'],
  ]);
  assert.deepEqual(all(text).filter((f) => f.code === 'invalid-type').map((f) => f.path), []);
});

test('volumes: a mode reached through an alias is read from its anchor as the API server reads it (0644 is octal)', () => {
  const text = daemonSet(`
containers:
- name: agent
  image: busybox
  volumeMounts:
  - {name: config, mountPath: /etc/agent}
  - {name: certs, mountPath: /etc/certs}
  - {name: keys, mountPath: /etc/keys}
volumes:
- name: config
  configMap:
    name: agent
    defaultMode: &mode 0644
- name: certs
  secret:
    secretName: certs
    defaultMode: *mode
- name: keys
  secret: &keys
    secretName: keys
    items:
    - {key: a, path: a, mode: 0600}
- name: keys2
  secret: *keys
- name: wide
  secret:
    secretName: wide
    defaultMode: &wide 01000
- name: wide2
  configMap:
    name: wide2
    defaultMode: *wide
`);
  expectFindings(text, [
    ['volumes', `${T}.volumes[4].secret.defaultMode`, `Invalid value: 512: ${FILE_MODE}`, '01000'],
    ['volumes', `${T}.volumes[5].configMap.defaultMode`, `Invalid value: 512: ${FILE_MODE}`, '*wide'],
  ]);
});

test('volumes: downwardAPI items, printed on downwardAPI.<field> as upstream prints them', () => {
  const text = daemonSet(`
containers:
- {name: agent, image: busybox}
volumes:
- name: podinfo
  downwardAPI:
    items:
    - fieldRef: {fieldPath: spec.nodeName}
    - path: ok
      fieldRef: {fieldPath: metadata.labels.app}
    - path: sub
      fieldRef: {fieldPath: "metadata.name['x']"}
    - path: both
      fieldRef: {fieldPath: metadata.name}
      resourceFieldRef: {containerName: agent, resource: limits.cpu}
    - path: none
    - path: cpu
      resourceFieldRef: {resource: limits.cpu}
    - path: mem
      resourceFieldRef: {containerName: agent, resource: limits.gpu}
    - path: div
      resourceFieldRef: {containerName: agent, resource: limits.cpu, divisor: 1Mi}
    - path: v2
      fieldRef: {apiVersion: v2, fieldPath: metadata.name}
    - path: anno
      fieldRef: {fieldPath: "metadata.annotations['a b']"}
`);
  expectFindings(text, [
    ['volumes', `${T}.volumes[0].downwardAPI.path`, 'Required value', 'fieldRef'],
    ['volumes', `${T}.volumes[0].downwardAPI.fieldRef.fieldPath`, 'Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"', 'spec.nodeName'],
    ['volumes', `${T}.volumes[0].downwardAPI.fieldRef.fieldPath`, 'Invalid value: "metadata.labels.app": error converting fieldPath: field label not supported: metadata.labels.app', 'metadata.labels.app'],
    ['volumes', `${T}.volumes[0].downwardAPI.fieldRef.fieldPath`, `Invalid value: "metadata.name['x']": error converting fieldPath: field label does not support subscript: metadata.name['x']`, `"metadata.name['x']"`],
    ['volumes', `${T}.volumes[0].downwardAPI`, 'Invalid value: "resource": fieldRef and resourceFieldRef can not be specified simultaneously', 'path'],
    ['volumes', `${T}.volumes[0].downwardAPI`, 'Required value: one of fieldRef and resourceFieldRef is required', 'path'],
    ['volumes', `${T}.volumes[0].downwardAPI.resourceFieldRef.containerName`, 'Required value', 'resourceFieldRef'],
    ['volumes', `${T}.volumes[0].downwardAPI.resourceFieldRef.resource`, 'Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"', 'limits.gpu'],
    ['volumes', `${T}.volumes[0].downwardAPI.resourceFieldRef.divisor`, `Invalid value: "limits.cpu": only divisor's values 1m and 1 are supported with the cpu resource`, '1Mi'],
    ['volumes', `${T}.volumes[0].downwardAPI.fieldRef.fieldPath`, 'Invalid value: "metadata.name": error converting fieldPath: unsupported pod version: v2', 'metadata.name'],
    ['volumes', `${T}.volumes[0].downwardAPI.fieldRef`, `Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`, `{fieldPath: "metadata.annotations['a b']"}`],
  ]);
});

test('volumes: projected sources, duplicate paths and service account tokens', () => {
  const text = daemonSet(`
containers:
- {name: agent, image: busybox}
volumes:
- name: token
  projected:
    defaultMode: 0644
    sources:
    - serviceAccountToken: {expirationSeconds: 300}
    - configMap: {name: ca, items: [{key: ca.crt, path: ca.crt}]}
      secret: {name: ca, items: [{key: ca.crt, path: ca.crt}]}
    - downwardAPI:
        items:
        - {path: ca.crt, fieldRef: {fieldPath: metadata.name}}
    - serviceAccountToken: {path: /token}
`);
  expectFindings(text, [
    ['volumes', `${T}.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds`, 'Invalid value: 300: may not specify a duration less than 10 minutes', '300'],
    ['volumes', `${T}.volumes[0].projected.path`, 'Required value', 'serviceAccountToken'],
    ['volumes', `${T}.volumes[0].projected`, 'Invalid value: "ca": conflicting duplicate paths', 'ca.crt'],
    ['volumes', `${T}.volumes[0].projected.sources[1]`, 'Forbidden: may not specify more than 1 volume type per source', 'configMap'],
    ['volumes', `${T}.volumes[0].projected`, 'Invalid value: "ca.crt": conflicting duplicate paths', 'ca.crt'],
    ['volumes', `${T}.volumes[0].projected.path`, 'Invalid value: "/token": must be a relative path', '/token'],
  ]);
  assert.deepEqual(all(text).filter((f) => f.code === 'missing-required-field').map((f) => f.path), []);
});

test('volumes: clusterTrustBundle and podCertificate sources whose gate is off are dropped, so nothing is required inside them', () => {
  const text = daemonSet(`
containers:
- {name: agent, image: busybox}
volumes:
- name: certs
  projected:
    sources:
    - clusterTrustBundle: {signerName: example.com/ca, paht: ca.pem}
    - podCertificate: {credentialBundlePath: bundle.pem}
      configMap: {name: extra}
`);
  const schema = (options: ValidateOptions) => all(text, options).filter((f) => f.code === 'missing-required-field' || f.code === 'unknown-field').map((f) => `${f.code} ${f.path}`);
  // 1.35: ClusterTrustBundleProjection and PodCertificateRequest are off by default. The API server drops
  // both sources before validating; decoding still rejects the unknown field.
  const decodeOnly = [`unknown-field ${T}.volumes[0].projected.sources[0].clusterTrustBundle.paht`];
  assert.deepEqual(schema({}), decodeOnly);
  expectFindings(text, []);
  assert.deepEqual(schema({ kubernetesVersion: '1.34', featureGates: { PodCertificateRequest: false } }), decodeOnly);
  // With the gates on they are validated: the required fields are missing, and a podCertificate beside a configMap is two sources.
  const gatesOn = { featureGates: { ClusterTrustBundleProjection: true, PodCertificateRequest: true } };
  assert.deepEqual(schema(gatesOn), [
    `missing-required-field ${T}.volumes[0].projected.sources[0].clusterTrustBundle.path`,
    `unknown-field ${T}.volumes[0].projected.sources[0].clusterTrustBundle.paht`,
    `missing-required-field ${T}.volumes[0].projected.sources[1].podCertificate.signerName`,
    `missing-required-field ${T}.volumes[0].projected.sources[1].podCertificate.keyType`,
  ]);
  expectFindings(text, [
    ['volumes', `${T}.volumes[0].projected.sources[1]`, 'Forbidden: may not specify more than 1 volume type per source', 'podCertificate'],
  ], gatesOn);
  // One gate on, the other off.
  assert.deepEqual(schema({ featureGates: { ClusterTrustBundleProjection: true } }), [
    `missing-required-field ${T}.volumes[0].projected.sources[0].clusterTrustBundle.path`,
    `unknown-field ${T}.volumes[0].projected.sources[0].clusterTrustBundle.paht`,
  ]);
});

test('volumes: emptyDir sizeLimit (medium is not validated by the API server), PVC claimName, csi driver', () => {
  const text = daemonSet(`
containers:
- {name: agent, image: busybox}
volumes:
- {name: a, emptyDir: {medium: Disk, sizeLimit: -1Gi}}
- {name: b, emptyDir: {sizeLimit: 1 Gi}}
- {name: c, persistentVolumeClaim: {readOnly: true}}
- {name: d, csi: {driver: csi_driver}}
- name: e
  csi:
    driver: ${'a'.repeat(64)}
    nodePublishSecretRef: {name: Creds}
`);
  expectFindings(text, [
    ['volumes', `${T}.volumes[0].emptyDir.sizeLimit`, 'Forbidden: SizeLimit field must be a valid resource quantity', '-1Gi'],
    ['volumes', `${T}.volumes[1].emptyDir.sizeLimit`, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", '1 Gi'],
    ['volumes', `${T}.volumes[2].persistentVolumeClaim.claimName`, 'Required value', 'persistentVolumeClaim'],
    ['volumes', `${T}.volumes[3].csi.driver`, `Invalid value: "csi_driver": ${DNS_SUBDOMAIN}`, 'csi_driver'],
    ['volumes', `${T}.volumes[4].csi.driver`, 'Too long: may not be more than 63 bytes', 'a'.repeat(64)],
    ['volumes', `${T}.volumes[4].csi.name`, `Invalid value: "Creds": ${DNS_SUBDOMAIN}`, 'Creds'],
  ]);
});

test('volumes: an empty csi driver is only Required from 1.35, Required and not a DNS subdomain before', () => {
  // validation-1.35.go ValidateCSIDriverName returns after the Required error (kubernetes/kubernetes#134233).
  const text = daemonSet(`
containers:
- {name: agent, image: busybox}
volumes:
- {name: a, csi: {driver: ""}}
`);
  expectFindings(text, [
    ['volumes', `${T}.volumes[0].csi.driver`, 'Required value', '""'],
  ]);
  expectFindings(text, [
    ['volumes', `${T}.volumes[0].csi.driver`, 'Required value', '""'],
    ['volumes', `${T}.volumes[0].csi.driver`, `Invalid value: "": ${DNS_SUBDOMAIN}`, '""'],
  ], { kubernetesVersion: '1.34' });
});

test('volumes: an ephemeral volume needs a claim template with access modes and a storage request', () => {
  const text = daemonSet(`
containers:
- {name: agent, image: busybox}
volumes:
- {name: a, ephemeral: {}}
- name: b
  ephemeral:
    volumeClaimTemplate:
      metadata: {name: scratch}
      spec:
        accessModes: [ReadWriteOncePod, ReadWriteOnce, Shared]
        resources: {requests: {storage: "0"}}
        volumeMode: Raw
- name: c
  ephemeral:
    volumeClaimTemplate:
      spec: {}
`);
  expectFindings(text, [
    ['volumes', `${T}.volumes[0].ephemeral.volumeClaimTemplate`, 'Required value', 'ephemeral'],
    ['volumes', `${T}.volumes[1].ephemeral.volumeClaimTemplate.metadata.name`, 'Forbidden: cannot be set', 'name'],
    ['volumes', `${T}.volumes[1].ephemeral.volumeClaimTemplate.spec.accessModes`, 'Unsupported value: "Shared": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"', 'Shared'],
    ['volumes', `${T}.volumes[1].ephemeral.volumeClaimTemplate.spec.accessModes`, 'Forbidden: may not use ReadWriteOncePod with other access modes', 'accessModes'],
    ['volumes', `${T}.volumes[1].ephemeral.volumeClaimTemplate.spec.resources[storage]`, 'Invalid value: "0": must be greater than zero', '"0"'],
    ['volumes', `${T}.volumes[1].ephemeral.volumeClaimTemplate.spec.volumeMode`, 'Unsupported value: "Raw": supported values: "Block", "Filesystem"', 'Raw'],
    ['volumes', `${T}.volumes[2].ephemeral.volumeClaimTemplate.spec.accessModes`, 'Required value: at least 1 access mode is required', 'spec'],
    ['volumes', `${T}.volumes[2].ephemeral.volumeClaimTemplate.spec.resources[storage]`, 'Required value', 'spec'],
  ]);
});

test('volumes: image volumes are validated from 1.35; before, they and their mounts are dropped and the list closes up', () => {
  const text = daemonSet(`
containers:
- name: agent
  image: busybox
  volumeMounts:
  - {name: model, mountPath: /model}
  - {name: scratch, mountPath: /scratch}
volumes:
- {name: model, image: {reference: "registry.example/model:v1", pullPolicy: Sometimes}}
- {name: scratch, emptyDir: {}, hostPath: {path: /scratch}}
`);
  expectFindings(text, [
    ['volumes', `${T}.volumes[0].image.pullPolicy`, 'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"', 'Sometimes'],
    ['volumes', `${T}.volumes[1].hostPath`, 'Forbidden: may not specify more than 1 volume type', 'hostPath'],
    ['volume-mounts', `${T}.containers[0].volumeMounts[0].name`, 'Not found: "model"', 'model'],
    ['volume-mounts', `${T}.containers[0].volumeMounts[1].name`, 'Not found: "scratch"', 'scratch'],
  ]);
  expectFindings(text, [
    ['volumes', `${T}.volumes[0].hostPath`, 'Forbidden: may not specify more than 1 volume type', 'hostPath'],
    ['volume-mounts', `${T}.containers[0].volumeMounts[0].name`, 'Not found: "scratch"', 'scratch'],
  ], { kubernetesVersion: '1.34' });
  assert.equal(check(text, { kubernetesVersion: '1.34', featureGates: { ImageVolume: true } }).length, 4);
});

test('volumes: in-tree sources get their cheap checks; a field the schema reports missing is not reported twice', () => {
  const text = daemonSet(`
containers:
- {name: agent, image: busybox}
volumes:
- {name: a, nfs: {server: "", path: exports}}
- {name: b, iscsi: {targetPortal: "10.0.0.1:3260", iqn: foo, lun: 300}}
- {name: c, gcePersistentDisk: {pdName: disk, partition: 256}}
- {name: d, flexVolume: {driver: example/flex, options: {kubernetes.io/secret: x}}}
- {name: e, storageos: {}}
- {name: f, rbd: {monitors: [], image: img}}
- {name: g, glusterfs: {path: /vol}}
`);
  expectFindings(text, [
    ['volumes', `${T}.volumes[0].nfs.server`, 'Required value', '""'],
    ['volumes', `${T}.volumes[0].nfs.path`, 'Invalid value: "exports": must be an absolute path', 'exports'],
    ['volumes', `${T}.volumes[1].iscsi.iqn`, 'Invalid value: "foo": must be valid format starting with iqn, eui, or naa', 'foo'],
    ['volumes', `${T}.volumes[1].iscsi.lun`, 'Invalid value: 300: must be between 0 and 255, inclusive', '300'],
    ['volumes', `${T}.volumes[2].persistentDisk.partition`, 'Invalid value: 256: must be between 1 and 255, inclusive', '256'],
    ['volumes', `${T}.volumes[3].flexVolume.options[kubernetes.io/secret]`, 'Invalid value: "kubernetes.io/secret": kubernetes.io and k8s.io namespaces are reserved', 'kubernetes.io/secret'],
    ['volumes', `${T}.volumes[4].storageos.volumeName`, 'Required value', 'storageos'],
    ['volumes', `${T}.volumes[5].rbd.monitors`, 'Required value', '[]'],
  ]);
  // glusterfs.endpoints is missing: the schema says so, and the volume counts as invalid.
  assert.deepEqual(all(text).filter((f) => f.code === 'missing-required-field').map((f) => f.path), [`${T}.volumes[6].glusterfs.endpoints`]);
});

// --- partial manifests and bad input -----------------------------------------------------------

test('a Kustomize patch: mounts of the base volumes are not Not found, and absent fields are left to the base', () => {
  const patch = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluent-bit
spec:
  template:
    spec:
      containers:
      - name: fluent-bit
        volumeMounts:
        - name: varlog
          mountPath: /var/log
          mountPropagation: Sideways
      volumes:
      - name: extra
        hostPath: {path: /var/log/extra, type: Dir}
      - name: config
        configMap: {items: [{key: a}]}
      - name: varlog
        $patch: delete
`;
  const found = validate(parseDocument('patch.yaml', patch, undefined, undefined, { partial: true })).filter((f) => CODES.includes(f.code));
  assert.deepEqual(summary(found), [`volumes ${T}.volumes[0].hostPath.type: Unsupported value: "Dir": ${HOST_PATH_TYPES}`]);
});

test('bad input never throws and never makes mounts Not found; the rest is still checked', () => {
  const mounts = `
containers:
- name: agent
  image: busybox
  volumeMounts:
  - {name: data, mountPath: /data, mountPropagation: Sideways}
`;
  const cases = [
    `${mounts}volumes: "x"\n`,
    `${mounts}volumes: {name: data}\n`,
    `${mounts}volumes: [x, 5, null]\n`,
    `${mounts}volumes:\n- name: 5\n  emptyDir: {}\n`,
    `${mounts}volumes:\n- name: data\n  hostPath: /data\n`,
    `${mounts}volumes:\n- name: data\n  hostPath: {path: [a], type: 5}\n`,
    `${mounts}volumes:\n- name: data\n  configMap: {name: a, items: x, defaultMode: rw}\n`,
    `${mounts}volumes:\n- name: data\n  configMap: {name: a, items: [x, {key: k, path: 5, mode: "0644"}]}\n`,
    `${mounts}volumes:\n- name: data\n  projected: {sources: [x, {secret: y}, {downwardAPI: {items: [7]}}]}\n`,
    `${mounts}volumes:\n- name: data\n  downwardAPI: {items: [{path: p, fieldRef: x}, {path: q, resourceFieldRef: {containerName: a, resource: 5, divisor: [1]}}]}\n`,
    `${mounts}volumes:\n- name: data\n  ephemeral: {volumeClaimTemplate: {metadata: x, spec: {accessModes: x, resources: 5}}}\n`,
    `${mounts}volumes:\n- name: data\n  emptyDir: {sizeLimit: {a: 1}}\n`,
    // The decoder rejects a quantity that does not parse, before any validation.
    `${mounts}volumes:\n- name: data\n  emptyDir: {sizeLimit: 1 Gi}\n`,
  ];
  const propagation = `volume-mounts ${T}.containers[0].volumeMounts.mountPropagation: Unsupported value: "Sideways": supported values: "Bidirectional", "HostToContainer", "None"`;
  for (const podSpec of cases) {
    const text = daemonSet(podSpec);
    assert.doesNotThrow(() => all(text));
    assert.deepEqual(summary(all(text).filter((f) => f.code === 'internal-error' || f.code === 'volume-mounts')), [propagation], podSpec);
  }
  const badMounts = [
    'containers:\n- {name: a, image: b, volumeMounts: {}}\n',
    'containers:\n- {name: a, image: b, volumeMounts: "x", volumeDevices: 5}\n',
    'containers:\n- {name: a, image: b, volumeMounts: [1, x, null, {name: [x], mountPath: {}}], volumeDevices: [x]}\n',
    'containers:\n- {name: a, image: b, volumeMounts: [{name: v, mountPath: /v, mountPropagation: 5, recursiveReadOnly: [], subPath: 7}]}\n',
    'containers: x\n',
  ];
  for (const podSpec of badMounts) {
    const text = daemonSet(`${podSpec}volumes: [{name: v, emptyDir: {}}, {name: V, emptyDir: {}}]\n`);
    assert.doesNotThrow(() => all(text));
    assert.deepEqual(summary(all(text).filter((f) => f.code === 'internal-error' || CODES.includes(f.code))), [`volumes ${T}.volumes[1].name: Invalid value: "V": ${DNS_LABEL}`], podSpec);
  }
});

test('a template placeholder in a volume leaves the mounts of that volume alone', () => {
  const text = daemonSet(`
containers:
- name: agent
  image: busybox
  volumeMounts:
  - {name: config, mountPath: /etc/agent}
  - {name: varlogs, mountPath: /var/log}
volumes:
- name: config
  hostPath: {path: "{{ .Values.root }}/../etc/agent"}
- name: varlog
  hostPath: {path: /var/log}
`);
  const [f] = expectFindings(text, [['volume-mounts', `${T}.containers[0].volumeMounts[1].name`, 'Not found: "varlogs"', 'varlogs']]);
  assert.equal(f.fixes?.[0].title, "Use volume 'varlog'");
  // A templated name: no mount can be said to be missing.
  expectNone(text.replace('- name: varlog\n', '- name: "{{ .Values.logVolume }}"\n'));
});
