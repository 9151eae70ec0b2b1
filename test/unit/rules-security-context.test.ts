/**
 * security-context, pod-security-context, dns-config and host-aliases: ValidateSecurityContext,
 * validatePodSpecSecurityContext, validateHostUsers, validatePodDNSConfig and ValidateHostAliases
 * (pkg/apis/core/validation/validation.go), on the node agents that lean on them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/engine/edits';
import { parseDocument } from '../../server/src/engine/model';
import { RULES } from '../../server/src/engine/rules';
import type { Finding } from '../../server/src/engine/types';
import { validate, type ValidateOptions } from '../../server/src/engine/validate';
import { podSpecManifest } from './podSpecManifest';

const NEW_RULES = ['security-context', 'pod-security-context', 'dns-config', 'host-aliases'];
const T = 'spec.template.spec';
// Upstream detail texts (apimachinery/pkg/util/validation and validation.go), spelled out so a wording change shows.
const ID_RANGE = 'must be between 0 and 2147483647, inclusive';
const DNS_SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const INVALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

function findings(text: string, options: ValidateOptions = {}): Finding[] {
  return validate(parseDocument('file:///ds.yaml', text), options);
}
/** [path, message, text under the span] of the findings of `code`. */
function summary(text: string, code: string, options: ValidateOptions = {}): Array<[string, string, string]> {
  return findings(text, options).filter((f) => f.code === code).map((f) => [f.path, f.message, text.slice(f.span.start, f.span.end)]);
}
const ours = (text: string, options: ValidateOptions = {}) => findings(text, options).filter((f) => NEW_RULES.includes(f.code) || f.code === 'internal-error');

/** A DaemonSet whose pod spec is `podSpec` (written at column 0). */
const daemonSet = (name: string, podSpec: string): string => podSpecManifest(podSpec, { name, namespace: 'kube-system', labelKey: 'k8s-app' });

/** Replaces `from` with `to` in a manifest from `daemonSet`, both written as at column 0 of the pod spec; `from` must be there. */
function edit(text: string, from: string, to: string): string {
  const indent = (s: string) => s.replace(/\n(?=.)/g, '\n      ');
  assert.ok(text.includes(indent(from)), `${JSON.stringify(from)} in the manifest`);
  return text.replace(indent(from), indent(to));
}

/** calico-node (manifests/calico.yaml): privileged, on the host network, with a privileged init container. */
const CALICO = daemonSet('calico-node', `
hostNetwork: true
serviceAccountName: calico-node
priorityClassName: system-node-critical
tolerations:
- effect: NoSchedule
  operator: Exists
- key: CriticalAddonsOnly
  operator: Exists
- effect: NoExecute
  operator: Exists
initContainers:
- name: install-cni
  image: docker.io/calico/cni:v3.30.2
  command: ["/opt/cni/bin/install"]
  securityContext:
    privileged: true
containers:
- name: calico-node
  image: docker.io/calico/node:v3.30.2
  securityContext:
    privileged: true
  resources:
    requests:
      cpu: 250m
`);

/** The cilium agent (Helm chart 1.17, rendered): capabilities instead of privileged, SELinux spc_t, AppArmor unconfined. */
const CILIUM = daemonSet('cilium', `
hostNetwork: true
securityContext:
  appArmorProfile:
    type: Unconfined
initContainers:
- name: mount-cgroup
  image: quay.io/cilium/cilium:v1.17.4
  securityContext:
    seLinuxOptions:
      level: s0
      type: spc_t
    capabilities:
      add: [SYS_ADMIN, SYS_CHROOT, SYS_PTRACE]
      drop: [ALL]
containers:
- name: cilium-agent
  image: quay.io/cilium/cilium:v1.17.4
  securityContext:
    seLinuxOptions:
      level: s0
      type: spc_t
    capabilities:
      add: [CHOWN, KILL, NET_ADMIN, NET_RAW, IPC_LOCK, SYS_MODULE, SYS_ADMIN, SYS_RESOURCE, DAC_OVERRIDE, FOWNER, SETGID, SETUID]
      drop: [ALL]
`);

/** prometheus node-exporter (kube-prometheus): non-root 65534, hostPID and hostNetwork, hardened container. */
const NODE_EXPORTER = daemonSet('node-exporter', `
hostNetwork: true
hostPID: true
securityContext:
  runAsNonRoot: true
  runAsUser: 65534
  runAsGroup: 65534
  fsGroup: 65534
containers:
- name: node-exporter
  image: quay.io/prometheus/node-exporter:v1.9.1
  args: [--path.rootfs=/host/root]
  securityContext:
    readOnlyRootFilesystem: true
    allowPrivilegeEscalation: false
    capabilities:
      drop: [ALL]
    seccompProfile:
      type: RuntimeDefault
`);

/** The aws-ebs-csi-driver node plugin: privileged, and saying allowPrivilegeEscalation: true. */
function csiNode(escalation: string): string {
  return daemonSet('ebs-csi-node', `
securityContext:
  runAsNonRoot: false
  runAsUser: 0
  runAsGroup: 0
  fsGroup: 0
containers:
- name: ebs-plugin
  image: public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.44.0
  args: [node, --endpoint=$(CSI_ENDPOINT)]
  securityContext:
    readOnlyRootFilesystem: true
    privileged: true
    allowPrivilegeEscalation: ${escalation} # needed to mount volumes
- name: node-driver-registrar
  image: public.ecr.aws/csi-components/csi-node-driver-registrar:v2.13.0
  securityContext:
    readOnlyRootFilesystem: true
    allowPrivilegeEscalation: false
`);
}

/** falco (Helm chart, modern eBPF): unconfined seccomp and AppArmor, SYS_ADMIN without privileged. */
function falco(driverLoader = ''): string {
  return daemonSet('falco', `
securityContext:
  seccompProfile:
    type: Unconfined
containers:
- name: falco
  image: docker.io/falcosecurity/falco:0.41.3
  securityContext:
    seccompProfile:
      type: Unconfined
    appArmorProfile:
      type: Unconfined
    capabilities:
      add: [BPF, SYS_RESOURCE, PERFMON, SYS_PTRACE]
initContainers:
- name: falco-driver-loader
  image: docker.io/falcosecurity/falco-driver-loader:0.41.3
  securityContext:
    allowPrivilegeEscalation: false
    capabilities:
      add: [SYS_ADMIN]
      drop: [ALL]
${driverLoader}`);
}

/** An ingress controller on the host network that tunes the kernel for its connections. */
function ingress(sysctls: string, host = 'hostNetwork: true'): string {
  return daemonSet('ingress-nginx-controller', `
${host}
dnsPolicy: ClusterFirstWithHostNet
securityContext:
  sysctls:
${sysctls.replace(/^(?=.)/gm, '  ')}
containers:
- name: controller
  image: registry.k8s.io/ingress-nginx/controller:v1.12.1
  securityContext:
    runAsUser: 101
    allowPrivilegeEscalation: false
    capabilities:
      add: [NET_BIND_SERVICE]
      drop: [ALL]
`);
}

/** node-local-dns (kubernetes/dns): dnsConfig and hostAliases on a hostNetwork cache. */
function nodeLocalDNS(extra = ''): string {
  return daemonSet('node-local-dns', `
hostNetwork: true
dnsPolicy: Default
dnsConfig:
  nameservers: [169.254.20.10]
  searches: [kube-system.svc.cluster.local, svc.cluster.local, cluster.local.]
  options:
  - name: ndots
    value: "2"
  - name: edns0
hostAliases:
- ip: 127.0.0.1
  hostnames: [localhost.localdomain]
- ip: "fe80::1"
  hostnames: [ip6-localhost]
${extra}containers:
- name: node-cache
  image: registry.k8s.io/dns/k8s-dns-node-cache:1.25.0
  securityContext:
    capabilities:
      add: [NET_ADMIN]
`);
}

test('real node agents give no finding from the security-context, pod-security-context, dns-config and host-aliases rules', () => {
  for (const id of NEW_RULES) assert.ok(RULES.some((r) => r.id === id), `${id} is registered`);
  const valid = [CALICO, CILIUM, NODE_EXPORTER, csiNode('true'), falco(), ingress('- name: kernel.shm_rmid_forced\n  value: "1"'), ingress('- name: net.core.somaxconn\n  value: "32768"', 'hostNetwork: false'), nodeLocalDNS()];
  for (const text of valid) {
    assert.deepEqual(ours(text).map((f) => [f.code, f.path, f.message]), [], text.split('\n')[3]);
    // 1.32 (before the user-namespace and procMount gates went on) and 1.36 (strict IP validation) too.
    for (const kubernetesVersion of ['1.32', '1.36']) assert.deepEqual(ours(text, { kubernetesVersion }).map((f) => f.message), []);
  }
});

test('security-context: privileged with allowPrivilegeEscalation: false, as the API server words it, fixed by setting it to true', () => {
  const text = csiNode('false');
  const sc = `{"Capabilities":null,"Privileged":true,"SELinuxOptions":null,"WindowsOptions":null,"RunAsUser":null,"RunAsGroup":null,"RunAsNonRoot":null,"ReadOnlyRootFilesystem":true,"AllowPrivilegeEscalation":false,"ProcMount":null,"SeccompProfile":null,"AppArmorProfile":null}`;
  assert.deepEqual(summary(text, 'security-context'), [
    [`${T}.containers[0].securityContext`, `Invalid value: ${sc}: cannot set \`allowPrivilegeEscalation\` to false and \`privileged\` to true`, 'allowPrivilegeEscalation'],
  ]);
  const [f] = findings(text).filter((x) => x.code === 'security-context');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.fixes?.map((x) => [x.title, x.isPreferred]), [['Set allowPrivilegeEscalation: true', true]]);
  const fixed = applyEdits(text, f.fixes![0].edits);
  // One token changes; the comment stays.
  assert.equal(fixed, text.replace('allowPrivilegeEscalation: false # needed', 'allowPrivilegeEscalation: true # needed'));
  assert.deepEqual(ours(fixed), []);
  // Before 1.34 the API server printed the struct with %#v.
  const [old] = summary(text, 'security-context', { kubernetesVersion: '1.33' });
  assert.equal(old[1], 'Invalid value: core.SecurityContext{Capabilities:(*core.Capabilities)(nil), Privileged:(*bool)(0xc000…), SELinuxOptions:(*core.SELinuxOptions)(nil), WindowsOptions:(*core.WindowsSecurityContextOptions)(nil), RunAsUser:(*int64)(nil), RunAsGroup:(*int64)(nil), RunAsNonRoot:(*bool)(nil), ReadOnlyRootFilesystem:(*bool)(0xc000…), AllowPrivilegeEscalation:(*bool)(0xc000…), ProcMount:(*core.ProcMountType)(nil), SeccompProfile:(*core.SeccompProfile)(nil), AppArmorProfile:(*core.AppArmorProfile)(nil)}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true');
});

test('security-context: CAP_SYS_ADMIN with allowPrivilegeEscalation: false (SYS_ADMIN, which upstream does not check, passes)', () => {
  assert.deepEqual(summary(falco(), 'security-context'), []);
  const text = falco().replace('add: [SYS_ADMIN]', 'add: [CAP_SYS_ADMIN]');
  const sc = `{"Capabilities":{"Add":["CAP_SYS_ADMIN"],"Drop":["ALL"]},"Privileged":null,"SELinuxOptions":null,"WindowsOptions":null,"RunAsUser":null,"RunAsGroup":null,"RunAsNonRoot":null,"ReadOnlyRootFilesystem":null,"AllowPrivilegeEscalation":false,"ProcMount":null,"SeccompProfile":null,"AppArmorProfile":null}`;
  assert.deepEqual(summary(text, 'security-context'), [
    [`${T}.initContainers[0].securityContext`, `Invalid value: ${sc}: cannot set \`allowPrivilegeEscalation\` to false and \`capabilities.Add\` CAP_SYS_ADMIN`, 'CAP_SYS_ADMIN'],
  ]);
  const [f] = findings(text).filter((x) => x.code === 'security-context');
  assert.deepEqual(ours(applyEdits(text, f.fixes![0].edits)), []);
});

test('security-context: IDs, procMount, seccomp, AppArmor and Windows options', () => {
  const text = falco(`- name: probe
  image: docker.io/falcosecurity/falcoctl:0.11.2
  securityContext:
    runAsUser: -1
    runAsGroup: 4294967296
    procMount: Unmasked
    seccompProfile:
      type: Localhost
      localhostProfile: /var/lib/kubelet/seccomp/../falco.json
    appArmorProfile:
      type: Localhost
      localhostProfile: "falco "
    windowsOptions:
      gmsaCredentialSpecName: Falco_Spec
      runAsUserName: "DOMAIN\\\\sub\\\\user"
- name: tracer
  image: docker.io/falcosecurity/falcoctl:0.11.2
  securityContext:
    procMount: Masked
    seccompProfile:
      type: runtime/default
    appArmorProfile:
      type: Unconfined
      localhostProfile: falco
`);
  const C = `${T}.initContainers[1].securityContext`;
  assert.deepEqual(summary(text, 'security-context'), [
    [`${C}.runAsUser`, `Invalid value: -1: ${ID_RANGE}`, '-1'],
    [`${C}.runAsGroup`, `Invalid value: 4294967296: ${ID_RANGE}`, '4294967296'],
    [`${C}.procMount`, 'Invalid value: "Unmasked": `hostUsers` must be false to use `Unmasked`', 'Unmasked'],
    [`${C}.seccompProfile.localhostProfile`, 'Invalid value: "/var/lib/kubelet/seccomp/../falco.json": must be a relative path', '/var/lib/kubelet/seccomp/../falco.json'],
    [`${C}.seccompProfile.localhostProfile`, 'Invalid value: "/var/lib/kubelet/seccomp/../falco.json": must not contain \'..\'', '/var/lib/kubelet/seccomp/../falco.json'],
    [`${C}.windowsOptions.gmsaCredentialSpecName`, `Invalid value: "Falco_Spec": ${DNS_SUBDOMAIN}`, 'Falco_Spec'],
    [`${C}.windowsOptions.runAsUserName`, 'Invalid value: "DOMAIN\\\\sub\\\\user": runAsUserName cannot contain more than one backslash', '"DOMAIN\\\\sub\\\\user"'],
    [`${C}.appArmorProfile.localhostProfile`, 'Invalid value: "falco ": must not be padded with whitespace', '"falco "'],
    [`${T}.initContainers[2].securityContext.procMount`, 'Unsupported value: "Masked": supported values: "Default", "Unmasked"', 'Masked'],
    [`${T}.initContainers[2].securityContext.seccompProfile.type`, 'Unsupported value: "runtime/default": supported values: "Localhost", "RuntimeDefault", "Unconfined"', 'runtime/default'],
    [`${T}.initContainers[2].securityContext.appArmorProfile.localhostProfile`, 'Invalid value: "falco": can only be set when AppArmor type is Localhost', 'falco'],
  ]);
  // With hostUsers: false the pod has its own user namespace, where Unmasked is allowed.
  const userns = edit(text, 'securityContext:\n  seccompProfile:\n    type: Unconfined\ncontainers', 'hostUsers: false\nsecurityContext:\n  seccompProfile:\n    type: Unconfined\ncontainers');
  assert.ok(!summary(userns, 'security-context').some(([p]) => p.endsWith('procMount') && p.includes('[1]')));
  // Before 1.33 ProcMountType was off: a set procMount is forced to Default, never an error.
  assert.ok(!summary(text, 'security-context', { kubernetesVersion: '1.32' }).some(([p]) => p.endsWith('procMount')));
  assert.ok(summary(text, 'security-context', { kubernetesVersion: '1.32', featureGates: { ProcMountType: true } }).some(([p]) => p.endsWith('procMount')));
});

test('security-context: a seccomp or AppArmor profile without its type or Localhost profile, in the API server\'s words and not the schema\'s', () => {
  const text = edit(edit(falco(), '    appArmorProfile:\n      type: Unconfined\n', '    appArmorProfile:\n      localhostProfile: falco\n'), '    seccompProfile:\n      type: Unconfined\n    appArmorProfile', '    seccompProfile:\n      type: Localhost\n    appArmorProfile');
  assert.deepEqual(summary(text, 'security-context'), [
    [`${T}.containers[0].securityContext.seccompProfile.localhostProfile`, 'Required value: must be set when seccomp type is Localhost', 'type'],
    [`${T}.containers[0].securityContext.appArmorProfile.type`, 'Required value: type is required when appArmorProfile is set', 'localhostProfile'],
  ]);
  assert.deepEqual(findings(text).filter((f) => f.code === 'missing-required-field').map((f) => f.path), []);
});

test('pod-security-context: net.* sysctls with hostNetwork, IPC ones with hostIPC, malformed and duplicate names', () => {
  const text = ingress(`- name: net.core.somaxconn
  value: "32768"
- name: net/ipv4/ip_local_port_range
  value: "1024 65000"
- name: kernel.shm_rmid_forced
  value: "1"
- name: Net.Core.RmemMax
  value: "1"
- name: net.core.somaxconn
  value: "4096"
- value: "1"
`, 'hostNetwork: true\nhostIPC: true');
  const S = `${T}.securityContext.sysctls`;
  assert.deepEqual(summary(text, 'pod-security-context'), [
    [`${S}[0].name`, 'Invalid value: "net.core.somaxconn": may not be specified when \'hostNetwork\' is true', 'net.core.somaxconn'],
    [`${S}[1].name`, 'Invalid value: "net/ipv4/ip_local_port_range": may not be specified when \'hostNetwork\' is true', 'net/ipv4/ip_local_port_range'],
    [`${S}[2].name`, 'Invalid value: "kernel.shm_rmid_forced": may not be specified when \'hostIPC\' is true', 'kernel.shm_rmid_forced'],
    [`${S}[3].name`, 'Invalid value: "Net.Core.RmemMax": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$', 'Net.Core.RmemMax'],
    [`${S}[4].name`, 'Duplicate value: "net.core.somaxconn"', 'net.core.somaxconn'],
    [`${S}[4].name`, 'Invalid value: "net.core.somaxconn": may not be specified when \'hostNetwork\' is true', 'net.core.somaxconn'],
    [`${S}[5].name`, 'Required value', 'value'],
  ]);
  // The missing name is the rule's to report, not the schema's.
  assert.deepEqual(findings(text).filter((f) => f.code === 'missing-required-field').map((f) => f.path), []);
});

test('appArmorProfile is validated from 1.30, the release that added the field (older API servers drop it)', () => {
  const text = edit(edit(falco(), 'seccompProfile:\n    type: Unconfined\n', 'appArmorProfile:\n    type: unconfined\n'),
    '    appArmorProfile:\n      type: Unconfined\n', '    appArmorProfile:\n      type: Localhost\n');
  const paths = (kubernetesVersion: string) => ours(text, { kubernetesVersion }).map((f) => f.path);
  assert.deepEqual(paths('1.30'), [
    `${T}.securityContext.appArmorProfile.type`,
    `${T}.containers[0].securityContext.appArmorProfile.localhostProfile`,
  ]);
  assert.deepEqual(paths('1.29'), []);
});

test('pod-security-context: the API server checks sysctls against host namespaces from 1.29 (the kubelet did before)', () => {
  const text = ingress('- name: net.ipv4.ip_local_port_range\n  value: "1024 65000"');
  const paths = (kubernetesVersion: string) => summary(text, 'pod-security-context', { kubernetesVersion }).map(([p]) => p);
  assert.deepEqual(paths('1.28'), []);
  assert.deepEqual(paths('1.29'), [`${T}.securityContext.sysctls[0].name`]);
  // The name itself was checked long before.
  assert.deepEqual(summary(ingress('- name: Net.Core.Somaxconn\n  value: "1"'), 'pod-security-context', { kubernetesVersion: '1.28' }).map(([p]) => p),
    [`${T}.securityContext.sysctls[0].name`]);
});

test('pod-security-context: IDs, shareProcessNamespace with hostPID, policies and profiles', () => {
  const text = daemonSet('node-exporter', `
hostPID: true
shareProcessNamespace: true
securityContext:
  runAsUser: 65534
  runAsGroup: -1
  fsGroup: 2147483648
  supplementalGroups: [65534, -2]
  fsGroupChangePolicy: Recursive
  supplementalGroupsPolicy: Loose
  seLinuxChangePolicy: MountOption
  seccompProfile:
    type: RuntimeDefault
    localhostProfile: profiles/audit.json
  appArmorProfile:
    type: unconfined
containers:
- name: node-exporter
  image: quay.io/prometheus/node-exporter:v1.9.1
`);
  const S = `${T}.securityContext`;
  assert.deepEqual(summary(text, 'pod-security-context'), [
    [`${S}.fsGroup`, `Invalid value: 2147483648: ${ID_RANGE}`, '2147483648'],
    [`${S}.runAsGroup`, `Invalid value: -1: ${ID_RANGE}`, '-1'],
    [`${S}.supplementalGroups[1]`, `Invalid value: -2: ${ID_RANGE}`, '-2'],
    [`${S}.shareProcessNamespace`, 'Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled', 'shareProcessNamespace'],
    [`${S}.fsGroupChangePolicy`, 'Unsupported value: "Recursive": supported values: "Always", "OnRootMismatch"', 'Recursive'],
    [`${S}.seccompProfile.localhostProfile`, 'Invalid value: {"Type":"RuntimeDefault","LocalhostProfile":"profiles/audit.json"}: can only be set when seccomp type is Localhost', 'profiles/audit.json'],
    [`${S}.appArmorProfile.type`, 'Unsupported value: "unconfined": supported values: "Localhost", "RuntimeDefault", "Unconfined"', 'unconfined'],
    [`${S}.supplementalGroupsPolicy`, 'Unsupported value: "Loose": supported values: "Merge", "Strict"', 'Loose'],
    [`${S}.seLinuxChangePolicy`, 'Unsupported value: "MountOption": supported values: "Recursive"', 'MountOption'],
  ]);
  // MountOption needs SELinuxMount (off by default until 1.37).
  assert.ok(!summary(text, 'pod-security-context', { featureGates: { SELinuxMount: true } }).some(([p]) => p.endsWith('seLinuxChangePolicy')));
  assert.ok(summary(text.replace('MountOption', 'Always'), 'pod-security-context', { featureGates: { SELinuxMount: true } }).some(([p, m]) => p.endsWith('seLinuxChangePolicy') && m === 'Unsupported value: "Always": supported values: "MountOption", "Recursive"'));
  // Before 1.33 the SupplementalGroupsPolicy and SELinuxChangePolicy gates were off: the fields are dropped.
  const old = summary(text, 'pod-security-context', { kubernetesVersion: '1.32' }).map(([p]) => p);
  assert.ok(!old.some((p) => p.endsWith('seLinuxChangePolicy') || p.endsWith('supplementalGroupsPolicy')));
  assert.ok(old.includes(`${S}.seccompProfile.localhostProfile`));
  assert.equal(summary(text, 'pod-security-context', { kubernetesVersion: '1.32' }).find(([p]) => p.endsWith('localhostProfile'))![1],
    'Invalid value: core.SeccompProfile{Type:"RuntimeDefault", LocalhostProfile:(*string)(0xc000…)}: can only be set when seccomp type is Localhost');
});

test('pod-security-context: SupplementalGroupsPolicy is locked on from 1.35, where setting it false changes nothing', () => {
  const text = daemonSet('agent', `
securityContext:
  supplementalGroupsPolicy: Loose
containers:
- name: agent
  image: registry.example.com/agent:1.0
`);
  const off = { SupplementalGroupsPolicy: false };
  const policy = (kubernetesVersion: string) => summary(text, 'pod-security-context', { kubernetesVersion, featureGates: off }).map(([p]) => p);
  // Still a gate in 1.34: turned off, the field is dropped before validation.
  assert.deepEqual(policy('1.34'), []);
  // GA and locked to its default in 1.35: the setting cannot turn it off.
  assert.deepEqual(policy('1.35'), [`${T}.securityContext.supplementalGroupsPolicy`]);
});

test('pod-security-context: hostUsers: false forbids the host namespaces (at upstream\'s HostPID / HostIPC paths) and volumeDevices', () => {
  const text = edit(edit(NODE_EXPORTER, 'hostNetwork: true\n', 'hostUsers: false\nhostNetwork: true\nhostIPC: true\n'),
    '  args: [--path.rootfs=/host/root]\n', '  args: [--path.rootfs=/host/root]\n  volumeDevices:\n  - name: disk\n    devicePath: /dev/xvdb\n');
  const forbidden = 'Forbidden: when `hostUsers` is false';
  assert.deepEqual(summary(text, 'pod-security-context'), [
    [`${T}.hostNetwork`, forbidden, 'hostNetwork'],
    [`${T}.HostPID`, forbidden, 'hostPID'],
    [`${T}.HostIPC`, forbidden, 'hostIPC'],
    [`${T}.containers[0].volumeDevices`, forbidden, 'volumeDevices'],
  ]);
  assert.ok(!summary(text, 'pod-security-context', { featureGates: { UserNamespacesHostNetworkSupport: true } }).some(([p]) => p.endsWith('.hostNetwork')));
  // UserNamespacesSupport was off by default before 1.33: hostUsers is dropped.
  assert.deepEqual(summary(text, 'pod-security-context', { kubernetesVersion: '1.32' }), []);
});

test('dns-config: dnsPolicy None needs nameservers; at most 3 valid IPs; search domains; option names', () => {
  const none = nodeLocalDNS().replace('dnsPolicy: Default', 'dnsPolicy: None');
  assert.deepEqual(summary(none, 'dns-config'), []);
  const noConfig = none.replace(/ *dnsConfig:\n(.*\n)*?(?= *hostAliases)/, '');
  assert.ok(!noConfig.includes('dnsConfig'));
  assert.deepEqual(summary(noConfig, 'dns-config'), [[`${T}.dnsConfig`, 'Required value: must provide `dnsConfig` when `dnsPolicy` is None', 'None']]);
  const noServers = edit(none, 'dnsConfig:\n  nameservers: [169.254.20.10]\n', 'dnsConfig:\n');
  assert.deepEqual(summary(noServers, 'dns-config'), [[`${T}.dnsConfig.nameservers`, 'Required value: must provide at least one DNS nameserver when `dnsPolicy` is None', 'searches']]);

  let text = nodeLocalDNS().replace('[169.254.20.10]', '[169.254.20.10, 10.96.0.10, "010.96.0.1", "::ffff:10.0.0.1", 10.96.0]')
    .replace('cluster.local.]', 'cluster.local., _tcp.example.com, ".", Example.com]');
  text = edit(text, '  - name: edns0\n', '  - value: "1"\n');
  assert.deepEqual(summary(text, 'dns-config'), [
    [`${T}.dnsConfig.nameservers`, 'Invalid value: ["169.254.20.10","10.96.0.10","010.96.0.1","::ffff:10.0.0.1","10.96.0"]: must not have more than 3 nameservers', 'nameservers'],
    [`${T}.dnsConfig.nameservers[4]`, `Invalid value: "10.96.0": ${INVALID_IP}`, '10.96.0'],
    [`${T}.dnsConfig.searches[5]`, "Invalid value: \"Example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')", 'Example.com'],
    [`${T}.dnsConfig.options[1]`, 'Required value: must not be empty', 'value'],
  ]);
  // StrictIPCIDRValidation (on by default from 1.36) rejects leading zeros and IPv4-mapped IPv6.
  assert.deepEqual(summary(text, 'dns-config', { kubernetesVersion: '1.36' }).filter(([p]) => /nameservers\[[23]\]/.test(p)).map(([, m]) => m), [
    'Invalid value: "010.96.0.1": must not have leading 0s',
    'Invalid value: "::ffff:10.0.0.1": must not be an IPv4-mapped IPv6 address',
  ]);
  // Before RelaxedDNSSearchValidation (1.33) underscores and "." were rejected, and lists printed with %#v.
  const old = summary(text, 'dns-config', { kubernetesVersion: '1.32' });
  assert.equal(old[0][1], 'Invalid value: []string{"169.254.20.10", "10.96.0.10", "010.96.0.1", "::ffff:10.0.0.1", "10.96.0"}: must not have more than 3 nameservers');
  assert.deepEqual(old.filter(([p]) => p.includes('searches')).map(([p, m]) => [p, m]), [
    [`${T}.dnsConfig.searches[3]`, `Invalid value: "_tcp.example.com": ${DNS_SUBDOMAIN}`],
    [`${T}.dnsConfig.searches[4]`, `Invalid value: "": ${DNS_SUBDOMAIN}`],
    [`${T}.dnsConfig.searches[5]`, `Invalid value: "Example.com": ${DNS_SUBDOMAIN}`],
  ]);
});

test('host-aliases: an IP that is missing or not an address, and hostnames that are not subdomains', () => {
  const text = edit(nodeLocalDNS(), '- ip: "fe80::1"\n  hostnames: [ip6-localhost]', '- hostnames: [metadata]\n- ip: 169.254.169.254.1\n  hostnames: [metadata.google.internal, Metadata_Server]');
  assert.deepEqual(summary(text, 'host-aliases'), [
    [`${T}.hostAliases[1].ip`, `Invalid value: "": ${INVALID_IP}`, 'hostnames'],
    [`${T}.hostAliases[2].ip`, `Invalid value: "169.254.169.254.1": ${INVALID_IP}`, '169.254.169.254.1'],
    [`${T}.hostAliases[2].hostnames[1]`, `Invalid value: "Metadata_Server": ${DNS_SUBDOMAIN}`, 'Metadata_Server'],
  ]);
  // The rule reports the missing ip in the API server's words; the schema stays silent.
  assert.deepEqual(findings(text).filter((f) => f.code === 'missing-required-field').map((f) => f.path), []);
});

test('a Kustomize patch: what its base may supply is not required, a conflict within the patch is still reported', () => {
  const patch = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ebs-csi-node
spec:
  template:
    spec:
      dnsPolicy: None
      securityContext:
        appArmorProfile: {}
      containers:
      - name: ebs-plugin
        securityContext:
          privileged: true
          allowPrivilegeEscalation: false
          procMount: Unmasked
          seccompProfile:
            type: Localhost
`;
  assert.ok(parseDocument('file:///ds.yaml', patch).daemonSets[0].partial);
  assert.deepEqual(ours(patch).map((f) => [f.code, f.path, f.message.replace(/\{.*\}/, '{…}')]), [
    ['security-context', `${T}.containers[0].securityContext`, 'Invalid value: {…}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true'],
  ]);
});

test('bad input never throws: values of the wrong type are left to the schema', () => {
  const text = daemonSet('broken', `
hostNetwork: true
hostUsers: "no"
dnsPolicy: None
dnsConfig: {nameservers: [1, null, {}], searches: "cluster.local", options: [x, {name: 5}, null]}
hostAliases: [x, null, {ip: 5, hostnames: [1]}, {ip: "1.2.3.4", hostnames: x}]
securityContext:
  runAsUser: "1000"
  fsGroup: 1.5
  supplementalGroups: x
  sysctls: {}
  seccompProfile: x
  appArmorProfile: {type: 5}
  windowsOptions: []
  seLinuxChangePolicy: 1
containers:
- name: a
  image: a
  securityContext: "x"
- name: b
  image: b
  securityContext:
    capabilities: []
    allowPrivilegeEscalation: false
    privileged: "true"
    procMount: 1
    seccompProfile: {type: [Localhost], localhostProfile: {}}
    appArmorProfile: null
    windowsOptions: {runAsUserName: 7, gmsaCredentialSpec: {}}
- name: c
  image: c
  securityContext:
    allowPrivilegeEscalation: false
    privileged: true
    capabilities: {add: CAP_SYS_ADMIN}
initContainers: [x, null]
`);
  const found = ours(text);
  assert.ok(!found.some((f) => f.code === 'internal-error'), JSON.stringify(found));
  // Only the well-typed conflict of container c is checked.
  assert.deepEqual(found.map((f) => [f.code, f.path]), [['security-context', `${T}.containers[2].securityContext`]]);
  assert.match(found[0].message, /^Invalid value: \{"Capabilities":\{"Add":null,"Drop":null\},"Privileged":true,/);
  // Sysctls that are a map, a pod security context that is a string: nothing but the schema's type errors.
  for (const variant of [edit(text, '  sysctls: {}\n', '  sysctls: [null, x, {name: 5}, {name: []}]\n'), text.replace(/ {6}securityContext:\n {8}runAsUser(.*\n)*? {6}containers:/, '      securityContext: x\n      containers:')]) {
    assert.ok(!ours(variant).some((f) => f.code === 'internal-error' || f.code === 'pod-security-context'), JSON.stringify(ours(variant)));
  }
});
