import { test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/model';
import { validate, type ValidateOptions } from '../../server/src/engine/validate';
import { parseCluster } from '../../server/src/engine/cluster';
import { applyEdits } from '../../server/src/engine/edits';
import type { Finding } from '../../server/src/engine/types';
import { placementOf } from '../../server/src/engine/rules/placementOf';

const CLUSTER = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata:
    name: cp-1
    labels: {kubernetes.io/os: linux, node-role.kubernetes.io/control-plane: ""}
  spec:
    taints:
    - {key: node-role.kubernetes.io/control-plane, effect: NoSchedule}
  status: {allocatable: {cpu: "4", memory: 8Gi, pods: "110"}}
- apiVersion: v1
  kind: Node
  metadata:
    name: cp-2
    labels: {kubernetes.io/os: linux, node-role.kubernetes.io/control-plane: ""}
  spec:
    taints:
    - {key: node-role.kubernetes.io/control-plane, effect: NoSchedule}
  status: {allocatable: {cpu: "4", memory: 8Gi, pods: "110"}}
- apiVersion: v1
  kind: Node
  metadata:
    name: gpu-1
    labels: {kubernetes.io/os: linux, accelerator: nvidia}
  spec:
    taints:
    - {key: dedicated, value: gpu, effect: NoSchedule}
    - {key: nvidia.com/gpu, effect: NoExecute}
  status: {allocatable: {cpu: "8", memory: 32Gi, pods: "110"}}
- apiVersion: v1
  kind: Node
  metadata:
    name: small-1
    labels: {kubernetes.io/os: linux}
  status: {allocatable: {cpu: 500m, memory: 1Gi, pods: "110"}}
`;

const cluster = parseCluster(parseDocument('file:///nodes.yaml', CLUSTER));

function ds(podSpec: string, name = 'agent'): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
${podSpec.replace(/^/gm, '      ').trimEnd()}
`;
}

function run(text: string, options: ValidateOptions = {}): Finding[] {
  return validate(parseDocument('file:///ds.yaml', text), options);
}
function only(text: string, code: string, options: ValidateOptions = {}): Finding[] {
  return run(text, options).filter((f) => f.code === code);
}
function at(text: string, f: Finding): string {
  return text.slice(f.span.start, f.span.end);
}
/** Applies a fix by title and re-validates: returns the new text and the findings of `code`. */
function applyFix(text: string, f: Finding, title: string | RegExp, options: ValidateOptions = {}): { after: string; again: Finding[] } {
  const fix = f.fixes?.find((x) => (typeof title === 'string' ? x.title === title : title.test(x.title)));
  assert.ok(fix, `no fix ${title}; have ${f.fixes?.map((x) => x.title).join(' | ')}`);
  const after = applyEdits(text, fix.edits);
  const m = parseDocument('file:///ds.yaml', after);
  assert.equal(m.findings.filter((x) => x.severity === 'error').length, 0, `invalid YAML after fix:\n${after}`);
  return { after, again: only(after, f.code, options) };
}

const CALICO = `containers:
- name: calico-node
  image: docker.io/calico/node:v3.27.0
volumes:
- name: cni-net-dir
  hostPath: {path: /etc/cni/net.d/}`;

// --- missing-network-unavailable-toleration ---------------------------------------------

test('network agent without the network-unavailable toleration is reported on the template spec key', () => {
  const text = ds(CALICO);
  const [f, ...rest] = only(text, 'missing-network-unavailable-toleration');
  assert.equal(rest.length, 0);
  assert.equal(f.severity, 'warning');
  assert.equal(f.path, 'spec.template.spec.tolerations');
  assert.equal(at(text, f), 'spec');
  assert.equal(text.lastIndexOf('spec:', f.span.start + 5), text.indexOf('    spec:') + 4, 'the template spec key, not the DaemonSet spec');
  assert.match(f.message, /mounts \/etc\/cni\/net\.d/);
  assert.match(f.message, /node\.kubernetes\.io\/network-unavailable:NoSchedule/);
  const { again, after } = applyFix(text, f, 'Add toleration node.kubernetes.io/network-unavailable:NoSchedule');
  assert.equal(again.length, 0);
  assert.match(after, /      tolerations:\n      - key: node\.kubernetes\.io\/network-unavailable\n        operator: Exists\n        effect: NoSchedule\n/);
});

test('network-unavailable: reported on the tolerations key when there is one', () => {
  const text = ds(`${CALICO}\ntolerations:\n- {key: foo, operator: Exists}`);
  const [f] = only(text, 'missing-network-unavailable-toleration');
  assert.equal(at(text, f), 'tolerations');
});

test('network-unavailable: silent with hostNetwork, an explicit toleration, a key-less Exists, or no network signal', () => {
  assert.equal(only(ds(`hostNetwork: true\n${CALICO}`), 'missing-network-unavailable-toleration').length, 0);
  assert.equal(only(ds(`${CALICO}\ntolerations:\n- key: node.kubernetes.io/network-unavailable\n  operator: Exists\n  effect: NoSchedule`), 'missing-network-unavailable-toleration').length, 0);
  assert.equal(only(ds(`${CALICO}\ntolerations:\n- operator: Exists`), 'missing-network-unavailable-toleration').length, 0);
  // Effect-less key toleration tolerates every effect.
  assert.equal(only(ds(`${CALICO}\ntolerations:\n- {key: node.kubernetes.io/network-unavailable, operator: Exists}`), 'missing-network-unavailable-toleration').length, 0);
  assert.equal(only(ds('containers:\n- {name: web, image: nginx:1.25}'), 'missing-network-unavailable-toleration').length, 0);
  // A NoExecute toleration does not tolerate the NoSchedule taint.
  assert.equal(only(ds(`${CALICO}\ntolerations:\n- {key: node.kubernetes.io/network-unavailable, operator: Exists, effect: NoExecute}`), 'missing-network-unavailable-toleration').length, 1);
});

test('network-unavailable: well-known CNI images are signals; NET_ADMIN only supports another signal', () => {
  const caps = ds('containers:\n- name: agent\n  image: example.com/my/agent:1\n  securityContext:\n    capabilities:\n      add: ["NET_ADMIN"]');
  assert.equal(only(caps, 'missing-network-unavailable-toleration').length, 0, 'NET_ADMIN alone changes only the pod network namespace');
  const withCni = ds('containers:\n- name: agent\n  image: example.com/my/agent:1\n  securityContext:\n    capabilities:\n      add: ["NET_ADMIN"]\nvolumes:\n- {name: cni, hostPath: {path: /opt/cni/bin}}');
  const [f] = only(withCni, 'missing-network-unavailable-toleration');
  assert.match(f.message, /it mounts \/opt\/cni\/bin and adds NET_ADMIN\)/);
  assert.deepEqual(f.data?.signals, ['mounts /opt/cni/bin', 'adds NET_ADMIN']);
  for (const image of ['quay.io/cilium/cilium:v1.15.0', 'docker.io/flannel/flannel:v0.24.0', 'weaveworks/weave-kube:2.8.1', '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.16.0', 'antrea/antrea-agent-ubuntu:v1.15.0', 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.0.2', 'docker.io/cloudnativelabs/kube-router:v2.0.0']) {
    assert.equal(only(ds(`containers:\n- {name: a, image: "${image}"}`), 'missing-network-unavailable-toleration').length, 1, image);
  }
  for (const image of ['nginx:1.25', 'example.com/calicoish/app:1', 'registry.k8s.io/kube-proxy:v1.30.0']) {
    assert.equal(only(ds(`containers:\n- {name: a, image: "${image}"}`), 'missing-network-unavailable-toleration').length, 0, image);
  }
});

/** Calico's CSI node driver (projectcalico/calico manifests/csi-driver.yaml, trimmed): a storage agent. */
function calicoCsiNodeDriver(driverImage: string, registrarImage: string): string {
  return ds(`tolerations:
- {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
containers:
- name: calico-csi
  image: ${driverImage}
  securityContext: {privileged: true}
  volumeMounts:
  - {name: kubelet-dir, mountPath: /var/lib/kubelet/, mountPropagation: Bidirectional}
  - {name: socket-dir, mountPath: /csi}
- name: csi-node-driver-registrar
  image: ${registrarImage}
  volumeMounts:
  - {name: socket-dir, mountPath: /csi}
  - {name: registration-dir, mountPath: /registration}
volumes:
- {name: varrun, hostPath: {path: /var/run}}
- {name: etccalico, hostPath: {path: /etc/calico}}
- {name: kubelet-dir, hostPath: {path: /var/lib/kubelet, type: Directory}}
- {name: socket-dir, hostPath: {path: /var/lib/kubelet/plugins/csi.tigera.io/, type: DirectoryOrCreate}}
- {name: registration-dir, hostPath: {path: /var/lib/kubelet/plugins_registry/, type: Directory}}`, 'csi-node-driver');
}

test('network rules: a CSI node plugin that runs a network project\'s image is no network plugin', () => {
  for (const [driver, registrar] of [
    ['quay.io/calico/calico:master', 'quay.io/calico/calico:master'],
    ['calico/csi:v3.29.0', 'calico/node-driver-registrar:v3.29.0'],
  ]) {
    const text = calicoCsiNodeDriver(driver, registrar);
    assert.deepEqual(only(text, 'missing-network-unavailable-toleration'), [], driver);
    assert.deepEqual(only(text, 'missing-not-ready-toleration'), [], driver);
    // Still a node agent, which tolerates the control plane here.
    assert.deepEqual(only(text.replace(/ *tolerations:\n *- \{key: node-role[^\n]*\n/, ''), 'missing-control-plane-toleration').length, 1, driver);
  }
  // One that also installs CNI files is a network plugin whatever else it mounts.
  const withCni = calicoCsiNodeDriver('calico/csi:v3.29.0', 'calico/node-driver-registrar:v3.29.0') + '      - {name: cni, hostPath: {path: /opt/cni/bin}}\n';
  const [f] = only(withCni, 'missing-not-ready-toleration');
  assert.deepEqual(f.data?.signals, ['mounts /opt/cni/bin', 'runs calico/csi:v3.29.0', 'runs calico/node-driver-registrar:v3.29.0']);
});

// --- missing-control-plane-toleration -----------------------------------------------------

const FLUENT = `containers:
- name: fluent-bit
  image: cr.fluentbit.io/fluent/fluent-bit:3.0
  volumeMounts:
  - {name: varlog, mountPath: /var/log}
volumes:
- name: varlog
  hostPath:
    path: /var/log`;

test('control-plane: a log shipper without the toleration gets one finding with per-taint and "both" fixes', () => {
  const text = ds(FLUENT);
  const [f, ...rest] = only(text, 'missing-control-plane-toleration');
  assert.equal(rest.length, 0);
  assert.match(f.message, /mounts \/var\/log/);
  assert.match(f.message, /node-role\.kubernetes\.io\/control-plane:NoSchedule/);
  assert.doesNotMatch(f.message, /master/, '1.35 default: the legacy key is not required');
  assert.deepEqual(f.fixes!.map((x) => x.title), [
    'Add both control-plane tolerations (control-plane and legacy master)',
    'Add toleration node-role.kubernetes.io/control-plane:NoSchedule',
    'Disable missing-control-plane-toleration on this line',
  ]);
  const both = applyFix(text, f, /^Add both/);
  assert.equal(both.again.length, 0);
  assert.match(both.after, /- key: node-role\.kubernetes\.io\/control-plane\n        operator: Exists\n        effect: NoSchedule\n      - key: node-role\.kubernetes\.io\/master\n/);
  assert.equal(applyFix(text, f, 'Add toleration node-role.kubernetes.io/control-plane:NoSchedule').again.length, 0);
  assert.equal(applyFix(text, f, 'Disable missing-control-plane-toleration on this line').again.length, 0);
});

test('control-plane: before 1.25 the legacy master taint is required too', () => {
  const text = ds(`${FLUENT}\ntolerations:\n- {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}`);
  assert.equal(only(text, 'missing-control-plane-toleration').length, 0);
  const [f] = only(text, 'missing-control-plane-toleration', { kubernetesVersion: '1.24' });
  assert.match(f.message, /node-role\.kubernetes\.io\/master:NoSchedule/);
  assert.doesNotMatch(f.message, /control-plane:NoSchedule/);
  assert.equal(applyFix(text, f, 'Add toleration node-role.kubernetes.io/master:NoSchedule', { kubernetesVersion: '1.24' }).again.length, 0);
});

test('control-plane: with a cluster file, only the role taints its nodes carry count', () => {
  const legacy = parseCluster(parseDocument('file:///old.yaml', 'kind: Node\napiVersion: v1\nmetadata: {name: m-1}\nspec:\n  taints: [{key: node-role.kubernetes.io/master, effect: NoSchedule}]\n'));
  const [f] = only(ds(FLUENT), 'missing-control-plane-toleration', { cluster: legacy });
  assert.match(f.message, /master:NoSchedule/);
  assert.doesNotMatch(f.message, /control-plane:NoSchedule/);
  const managed = parseCluster(parseDocument('file:///m.yaml', 'kind: Node\napiVersion: v1\nmetadata: {name: w-1}\n'));
  assert.equal(only(ds(FLUENT), 'missing-control-plane-toleration', { cluster: managed }).length, 0);
});

test('control-plane: silent for ordinary workloads, explicit exclusion, and privileged agents that tolerate it', () => {
  assert.equal(only(ds('containers:\n- {name: web, image: nginx:1.25}'), 'missing-control-plane-toleration').length, 0);
  const excluded = `${FLUENT}\naffinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - {key: node-role.kubernetes.io/control-plane, operator: DoesNotExist}`;
  assert.equal(only(ds(excluded), 'missing-control-plane-toleration').length, 0);
  const priv = 'containers:\n- name: tool\n  image: example.com/tool:1\n  securityContext: {privileged: true}\nvolumes:\n- {name: sys, hostPath: {path: /sys}}';
  assert.match(only(ds(priv), 'missing-control-plane-toleration')[0].message, /\(it mounts \/sys and is privileged\)/);
  assert.equal(only(ds(`${priv}\ntolerations:\n- operator: Exists`), 'missing-control-plane-toleration').length, 0);
  assert.equal(only(ds(`${priv}\ntolerations:\n- {key: node-role.kubernetes.io/control-plane, operator: Exists}`), 'missing-control-plane-toleration').length, 0);
  // node-exporter mounts /proc and /sys and the root filesystem.
  const ne = 'containers:\n- {name: ne, image: quay.io/prometheus/node-exporter:v1.7.0}\nvolumes:\n- {name: proc, hostPath: {path: /proc}}';
  assert.equal(only(ds(ne), 'missing-control-plane-toleration').length, 1);
});

// --- cluster-aware rules --------------------------------------------------------------

test('untolerated-taint names the nodes missed and the blocking taints', () => {
  const text = ds('containers:\n- {name: web, image: nginx:1.25}');
  const [f, ...rest] = only(text, 'untolerated-taint', { cluster });
  assert.equal(rest.length, 0);
  assert.equal(f.message, "Won't run on cp-1, cp-2: taint node-role.kubernetes.io/control-plane:NoSchedule; on gpu-1: taints dedicated=gpu:NoSchedule, nvidia.com/gpu:NoExecute (NoExecute: running daemon pods are evicted)");
  assert.equal(at(text, f), 'spec');
  assert.deepEqual(f.data?.nodes, ['cp-1', 'cp-2', 'gpu-1']);
  const titles = f.fixes!.map((x) => x.title);
  assert.deepEqual(titles, [
    'Add all 3 blocking tolerations',
    'Add toleration node-role.kubernetes.io/control-plane:NoSchedule',
    'Add toleration dedicated=gpu:NoSchedule',
    'Add toleration nvidia.com/gpu:NoExecute',
    'Disable untolerated-taint on this line',
  ]);
  assert.equal(f.fixes![0].isPreferred, true);
  const all = applyFix(text, f, 'Add all 3 blocking tolerations', { cluster });
  assert.equal(all.again.length, 0);
  assert.match(all.after, /- key: dedicated\n        operator: Equal\n        value: gpu\n        effect: NoSchedule\n/);
  const one = applyFix(text, f, 'Add toleration dedicated=gpu:NoSchedule', { cluster });
  assert.equal(one.again.length, 1);
  assert.match(one.again[0].message, /^Won't run on cp-1, cp-2: taint node-role\.kubernetes\.io\/control-plane:NoSchedule; on gpu-1: taint nvidia\.com\/gpu:NoExecute/);
});

test('untolerated-taint: nodes excluded by nodeSelector are not blamed on taints; no cluster, no finding', () => {
  const text = ds('nodeSelector: {accelerator: nvidia}\ncontainers:\n- {name: web, image: nginx:1.25}');
  const [f] = only(text, 'untolerated-taint', { cluster });
  assert.match(f.message, /^Won't run on gpu-1: taints/);
  assert.doesNotMatch(f.message, /cp-1/);
  assert.equal(only(text, 'untolerated-taint').length, 0);
});

test('no-eligible-nodes is reported on metadata.name and counts the reasons', () => {
  const text = ds('nodeSelector: {disktype: ssd}\ncontainers:\n- {name: web, image: nginx:1.25}', 'ssd-agent');
  const [f, ...rest] = only(text, 'no-eligible-nodes', { cluster });
  assert.equal(rest.length, 0);
  assert.equal(at(text, f), 'ssd-agent');
  assert.equal(f.path, 'metadata.name');
  assert.equal(f.message, "No node of the cluster file (4 nodes) would run this DaemonSet: none matches the nodeSelector (disktype=ssd).");
  const tainted = ds('nodeSelector: {node-role.kubernetes.io/control-plane: ""}\ncontainers:\n- {name: web, image: nginx:1.25}');
  const [g] = only(tainted, 'no-eligible-nodes', { cluster });
  assert.match(g.message, /2 don't match the nodeSelector \(node-role\.kubernetes\.io\/control-plane=\), 2 have taints it does not tolerate/);
  // A label written without a value (`key:`) selects the empty value, as the API server reads it.
  const bare = ds('nodeSelector:\n  node-role.kubernetes.io/control-plane:\ncontainers:\n- {name: web, image: nginx:1.25}');
  assert.match(only(bare, 'no-eligible-nodes', { cluster })[0].message, /2 don't match the nodeSelector \(node-role\.kubernetes\.io\/control-plane=\), 2 have/);
  assert.equal(only(ds('containers:\n- {name: web, image: nginx:1.25}'), 'no-eligible-nodes', { cluster }).length, 0);
});

test('no-eligible-nodes offers the tolerations when only taints block', () => {
  const text = ds('nodeSelector: {node-role.kubernetes.io/control-plane: ""}\ntolerations: []\ncontainers:\n- {name: web, image: nginx:1.25}');
  const nodes = parseCluster(parseDocument('file:///c.yaml', CLUSTER.replace(/- apiVersion: v1\n  kind: Node\n  metadata:\n    name: (gpu|small)-1[\s\S]*?(?=- apiVersion|$)/g, '')));
  assert.equal(nodes.nodes.length, 2);
  const [f] = only(text, 'no-eligible-nodes', { cluster: nodes });
  assert.equal(applyFix(text, f, 'Add toleration node-role.kubernetes.io/control-plane:NoSchedule', { cluster: nodes }).again.length, 0);
});

test('unschedulable-on-nodes: resources that do not fit', () => {
  const text = ds('tolerations:\n- operator: Exists\ncontainers:\n- name: big\n  image: nginx:1.25\n  resources:\n    requests: {cpu: "1", memory: 256Mi}');
  const [f, ...rest] = only(text, 'unschedulable-on-nodes', { cluster });
  assert.equal(rest.length, 0);
  assert.equal(at(text, f), 'agent');
  assert.match(f.message, /^Daemon pods would stay Pending on small-1 \(/);
  assert.match(f.message, /cpu/);
  assert.deepEqual(f.data?.nodes, ['small-1']);
  assert.equal(only(text.replace('cpu: "1"', 'cpu: 100m'), 'unschedulable-on-nodes', { cluster }).length, 0);
});

test('unschedulable-on-nodes: pod-level requests count where the target version serves them (PodLevelResources)', () => {
  const text = ds('tolerations:\n- operator: Exists\nresources:\n  requests: {cpu: "1"}\ncontainers:\n- name: agent\n  image: nginx:1.25\n  resources:\n    requests: {cpu: 100m}');
  const nodes = (options: ValidateOptions) => only(text, 'unschedulable-on-nodes', { cluster, ...options }).map((f) => f.data?.nodes);
  assert.deepEqual(nodes({}), [['small-1']]);
  assert.deepEqual(nodes({ kubernetesVersion: '1.34' }), [['small-1']]);
  assert.deepEqual(nodes({ kubernetesVersion: '1.33' }), []);
  assert.deepEqual(nodes({ kubernetesVersion: '1.33', featureGates: { PodLevelResources: true } }), [['small-1']]);
  assert.deepEqual(nodes({ featureGates: { PodLevelResources: false } }), []);
  // One DaemonSet object placed for two targets: the shared placement is not reused across them.
  const model = parseDocument('file:///ds.yaml', text);
  const at = (kubernetesMinor: number) => placementOf({ model, featureGates: {}, kubernetesMinor, cluster }, model.daemonSets[0])?.nodes.find((n) => n.node === 'small-1')?.schedulable;
  assert.equal(at(35), false);
  assert.equal(at(33), true);
});

test('toleration-matches-no-taint: a hint on the first useless toleration, well-known keys left alone', () => {
  const text = ds('containers:\n- {name: web, image: nginx:1.25}\ntolerations:\n- {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoSchedule}\n- {key: dedicated, operator: Equal, value: cpu, effect: NoSchedule}\n- {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}\n- {key: typo-key, operator: Exists}');
  const [f, ...rest] = only(text, 'toleration-matches-no-taint', { cluster });
  assert.equal(rest.length, 0);
  assert.equal(f.severity, 'hint');
  assert.equal(f.path, 'spec.template.spec.tolerations[1]');
  assert.equal(at(text, f), '{key: dedicated, operator: Equal, value: cpu, effect: NoSchedule}');
  assert.match(f.message, /nodes carry dedicated=gpu:NoSchedule/);
  assert.match(f.message, /tolerations\[3\] \(typo-key:\*\)/);
  const { again } = applyFix(text, f, 'Remove this toleration', { cluster });
  assert.equal(again.length, 1);
  assert.equal(again[0].path, 'spec.template.spec.tolerations[2]');
  assert.equal(only(text, 'toleration-matches-no-taint').length, 0, 'needs a cluster file');
});

test('tolerates-all-taints: explains NoExecute and the nodes it opens', () => {
  const text = ds('containers:\n- {name: web, image: nginx:1.25}\ntolerations:\n- operator: Exists');
  const [f] = only(text, 'tolerates-all-taints', { cluster });
  assert.equal(at(text, f), 'operator: Exists');
  assert.match(f.message, /never evict/);
  assert.match(f.message, /out-of-service/);
  assert.match(f.message, /cp-1 \(node-role\.kubernetes\.io\/control-plane:NoSchedule\)/);
  assert.match(f.message, /gpu-1 \(dedicated=gpu:NoSchedule, nvidia\.com\/gpu:NoExecute\)/);
  assert.equal(applyFix(text, f, 'Disable tolerates-all-taints on this line', { cluster }).again.length, 0);
  const ns = ds('containers:\n- {name: web, image: nginx:1.25}\ntolerations:\n- {operator: Exists, effect: NoSchedule}');
  const [g] = only(ns, 'tolerates-all-taints', { cluster });
  assert.match(g.message, /every NoSchedule taint/);
  assert.match(g.message, /NoExecute taints still evict/);
  assert.doesNotMatch(g.message, /nvidia/);
  assert.equal(only(ds('containers:\n- {name: web, image: nginx:1.25}\ntolerations:\n- {key: a, operator: Exists}'), 'tolerates-all-taints', { cluster }).length, 0);
});

test('one finding per DaemonSet and rule, and every toleration rule offers a non-preferred disable fix', () => {
  const text = ds(`${CALICO}\n- name: log\n  hostPath: {path: /var/log}`) + '---\n' + ds(FLUENT, 'second');
  const findings = run(text, { cluster });
  const codes = ['missing-network-unavailable-toleration', 'missing-control-plane-toleration', 'untolerated-taint'];
  for (const code of codes) {
    const fs = findings.filter((f) => f.code === code);
    assert.ok(fs.length >= 1 && fs.length <= 2, code);
    for (const f of fs) {
      const d = f.fixes!.find((x) => x.title === `Disable ${code} on this line`);
      assert.ok(d && !d.isPreferred, code);
    }
  }
  assert.equal(findings.filter((f) => f.code === 'untolerated-taint').length, 2);
});

test('bad input never throws', () => {
  for (const spec of ['tolerations: 5\ncontainers: []', 'tolerations: [null, 3, {key: [1]}]\ncontainers: []', 'volumes: [{hostPath: null}, {hostPath: {path: 7}}]\ncontainers: [{image: 5}]']) {
    const fs = run(ds(spec), { cluster });
    assert.ok(!fs.some((f) => f.code === 'internal-error'), JSON.stringify(fs.filter((f) => f.code === 'internal-error')));
  }
});

test('corpus of real DaemonSets: no toleration rule fires without a cluster file', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const dir = new URL('../fixtures/corpus/', import.meta.url);
  const files = readdirSync(dir);
  assert.ok(files.length >= 20);
  const mine = new Set(['missing-network-unavailable-toleration', 'missing-not-ready-toleration', 'legacy-master-label', 'missing-control-plane-toleration', 'untolerated-taint', 'no-eligible-nodes', 'unschedulable-on-nodes', 'toleration-matches-no-taint', 'tolerates-all-taints']);
  for (const f of files) {
    const text = readFileSync(new URL(f, dir), 'utf8');
    const hits = validate(parseDocument(`file:///${f}`, text)).filter((x) => mine.has(x.code));
    assert.deepEqual(hits.map((h) => `${h.code}: ${h.message}`), [], f);
  }
});

test('refinements: CNI agents may tolerate everything; pool-targeted agents and unselected DaemonSets stay quiet', () => {
  // A network plugin with a key-less Exists toleration is the documented practice.
  assert.equal(only(ds(`${CALICO}\ntolerations:\n- operator: Exists`), 'tolerates-all-taints', { cluster }).length, 0);
  // So does a hostNetwork agent that changes the node's network (azure-npm, ip-masq-agent, kube-proxy),
  // although NET_ADMIN alone does not make it a network plugin; without hostNetwork it is reported.
  const npm = (hostNetwork: boolean) => ds(`hostNetwork: ${hostNetwork}\ncontainers:\n- name: npm\n  image: mcr.microsoft.com/containernetworking/azure-npm:v1.5.45\n  securityContext: {capabilities: {add: [NET_ADMIN]}}\ntolerations:\n- {operator: Exists, effect: NoExecute}\n- {operator: Exists, effect: NoSchedule}`);
  assert.equal(only(npm(true), 'missing-network-unavailable-toleration', { cluster }).length, 0);
  assert.equal(only(npm(true), 'tolerates-all-taints', { cluster }).length, 0);
  assert.equal(only(npm(false), 'tolerates-all-taints', { cluster }).length, 1);
  // A NoSchedule-only key-less toleration is a hint.
  const [h] = only(ds('containers: [{name: a, image: nginx}]\ntolerations:\n- {operator: Exists, effect: NoSchedule}'), 'tolerates-all-taints', { cluster });
  assert.equal(h.severity, 'hint');
  // A privileged agent aimed at a node pool is not expected on the control plane.
  assert.equal(only(ds('nodeSelector: {accelerator: nvidia}\ncontainers:\n- {name: a, image: x, securityContext: {privileged: true}}'), 'missing-control-plane-toleration').length, 0);
  assert.equal(only(ds('nodeSelector: {kubernetes.io/os: linux}\ncontainers:\n- {name: a, image: x, securityContext: {privileged: true}}\nvolumes:\n- {name: proc, hostPath: {path: /proc}}'), 'missing-control-plane-toleration').length, 1);
  // Tolerations of a DaemonSet that selects no node are not judged one by one.
  assert.equal(only(ds('nodeSelector: {disktype: ssd}\ncontainers: [{name: a, image: nginx}]\ntolerations:\n- {key: nope, operator: Exists}'), 'toleration-matches-no-taint', { cluster }).length, 0);
  // Conventional CriticalAddonsOnly tolerations are left alone.
  assert.equal(only(ds('containers: [{name: a, image: nginx}]\ntolerations:\n- {key: CriticalAddonsOnly, operator: Exists}'), 'toleration-matches-no-taint', { cluster }).length, 0);
});

test('untolerated-taint says when a blocking taint is transient', () => {
  const nr = parseCluster(parseDocument('file:///nr.yaml', 'kind: Node\napiVersion: v1\nmetadata: {name: new-1}\nspec:\n  taints: [{key: node.kubernetes.io/not-ready, effect: NoSchedule}]\n'));
  const [f] = only(ds('containers: [{name: a, image: nginx}]'), 'untolerated-taint', { cluster: nr });
  assert.equal(f.message, "Won't run on new-1: taint node.kubernetes.io/not-ready:NoSchedule (while the node is NotReady)");
});

test('node autoscalers\' taints: said to be transient where a node carries one, and a toleration of one is no useless toleration', () => {
  const scaling = parseCluster(parseDocument('file:///scaling.yaml', `apiVersion: v1
kind: List
items:
- kind: Node
  apiVersion: v1
  metadata: {name: old-1}
  spec:
    taints: [{key: karpenter.sh/disrupted, effect: NoSchedule}]
- kind: Node
  apiVersion: v1
  metadata: {name: old-2}
  spec:
    taints: [{key: ToBeDeletedByClusterAutoscaler, value: "1764460800", effect: NoSchedule}]
- kind: Node
  apiVersion: v1
  metadata: {name: new-1}
  spec:
    taints: [{key: karpenter.sh/unregistered, effect: NoExecute}]
- kind: Node
  apiVersion: v1
  metadata: {name: steady-1}
`));
  const [f] = only(ds('containers: [{name: a, image: nginx}]'), 'untolerated-taint', { cluster: scaling });
  assert.equal(f.message, "Won't run on old-1: taint karpenter.sh/disrupted:NoSchedule (while Karpenter drains and removes the node); " +
    'on old-2: taint ToBeDeletedByClusterAutoscaler=1764460800:NoSchedule (while the cluster autoscaler removes the node); ' +
    'on new-1: taint karpenter.sh/unregistered:NoExecute (until Karpenter registers the node) (NoExecute: running daemon pods are evicted)');
  // Loki's canary tolerates karpenter.sh/disrupted although no node carries it now: that is no mistake.
  const canary = ds('tolerations:\n- {key: karpenter.sh/disrupted, operator: Exists, effect: NoSchedule}\ncontainers: [{name: a, image: nginx}]');
  assert.deepEqual(only(canary, 'toleration-matches-no-taint', { cluster }), []);
  assert.equal(only(canary.replace('karpenter.sh/disrupted', 'example.com/disrupted'), 'toleration-matches-no-taint', { cluster }).length, 1);
});

test('toleration-matches-no-taint offers to fix a near miss (key typo, wrong value or effect)', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['{key: dedicatd, operator: Equal, value: gpu, effect: NoSchedule}', 'Change key to dedicated', /key: dedicated,/],
    ['{key: dedicated, operator: Equal, value: cpu, effect: NoSchedule}', 'Change value to gpu', /value: gpu,/],
    ['{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}', 'Change effect to NoExecute', /effect: NoExecute\}/],
  ];
  for (const [tol, title, expect] of cases) {
    const text = ds(`containers: [{name: web, image: nginx}]\ntolerations:\n- ${tol}`);
    const [f] = only(text, 'toleration-matches-no-taint', { cluster });
    assert.ok(f, tol);
    assert.equal(f.fixes![0].title, title);
    assert.equal(f.fixes![0].isPreferred, true);
    const { after, again } = applyFix(text, f, title, { cluster });
    assert.match(after, expect);
    assert.equal(again.length, 0);
  }
  // A typo in a long prefixed key is measured on its name: a prefix shared with another key is no typo.
  const typo = ds('containers: [{name: web, image: nginx}]\ntolerations:\n- {key: node-role.kubernetes.io/control-plan, operator: Exists, effect: NoSchedule}');
  assert.equal(only(typo, 'toleration-matches-no-taint', { cluster })[0].fixes![0].title, 'Change key to node-role.kubernetes.io/control-plane');
  const windows = ds('containers: [{name: web, image: nginx}]\ntolerations:\n- {key: node.kubernetes.io/os, operator: Exists, effect: NoSchedule}');
  const [w] = only(windows, 'toleration-matches-no-taint', { cluster: EXAMPLE_CLUSTER });
  assert.ok(w, 'the example cluster has no node.kubernetes.io/os taint');
  assert.deepEqual(w.fixes!.filter((x) => x.title.startsWith('Change key')).map((x) => x.title), []);
});

test('control-plane with a cluster file: the node agent rule names the nodes, untolerated-taint keeps only the other taints', () => {
  const findings = run(ds(FLUENT), { cluster });
  const cp = findings.filter((f) => f.code === 'missing-control-plane-toleration');
  assert.equal(cp.length, 1);
  assert.match(cp[0].message, /will not run on cp-1, cp-2 \(control-plane nodes of the cluster file\)/);
  for (const f of findings.filter((x) => x.code === 'untolerated-taint')) {
    assert.doesNotMatch(f.message, /control-plane/);
  }
  // An ordinary workload is no node agent: untolerated-taint names the control-plane taint itself.
  const web = run(ds('containers:\n- {name: web, image: nginx:1.25}'), { cluster }).filter((f) => f.code === 'untolerated-taint');
  assert.equal(web.length, 1);
  assert.match(web[0].message, /cp-1, cp-2: taint node-role\.kubernetes\.io\/control-plane:NoSchedule/);
});

// --- realistic manifests ------------------------------------------------------------------

/** Datadog's agent as its Helm chart renders it (trimmed): system-probe adds NET_ADMIN and NET_RAW, no hostNetwork, no CNI paths. */
const DATADOG_SYSTEM_PROBE = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: datadog
  namespace: datadog
spec:
  selector:
    matchLabels:
      app: datadog
  template:
    metadata:
      labels:
        app: datadog
    spec:
      containers:
      - name: agent
        image: gcr.io/datadoghq/agent:7.52.0
        volumeMounts:
        - {name: procdir, mountPath: /host/proc, readOnly: true}
      - name: system-probe
        image: gcr.io/datadoghq/agent:7.52.0
        securityContext:
          capabilities:
            add: [SYS_ADMIN, SYS_RESOURCE, SYS_PTRACE, NET_ADMIN, NET_BROADCAST, NET_RAW, IPC_LOCK, CHOWN, DAC_READ_SEARCH]
        volumeMounts:
        - {name: debugfs, mountPath: /sys/kernel/debug}
        - {name: procdir, mountPath: /host/proc, readOnly: true}
      nodeSelector:
        kubernetes.io/os: linux
      volumes:
      - name: procdir
        hostPath: {path: /proc}
      - name: debugfs
        hostPath: {path: /sys/kernel/debug}
`;

/** Calico's node agent (trimmed): not hostNetwork here, installs the CNI configuration and binaries on the host. */
const CALICO_NODE = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: calico-node
  namespace: kube-system
spec:
  selector:
    matchLabels: {k8s-app: calico-node}
  template:
    metadata:
      labels: {k8s-app: calico-node}
    spec:
      nodeSelector:
        kubernetes.io/os: linux
      initContainers:
      - name: install-cni
        image: docker.io/example/cni-installer:v1
        volumeMounts:
        - {mountPath: /host/opt/cni/bin, name: cni-bin-dir}
        - {mountPath: /host/etc/cni/net.d, name: cni-net-dir}
      containers:
      - name: node
        image: docker.io/example/node-agent:v1
        securityContext:
          capabilities:
            add: [NET_ADMIN, NET_RAW]
      tolerations:
      - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
      volumes:
      - name: cni-bin-dir
        hostPath: {path: /opt/cni/bin}
      - name: cni-net-dir
        hostPath: {path: /etc/cni/net.d}
`;

test('network-unavailable: Datadog system-probe (NET_ADMIN, NET_RAW, not hostNetwork) is no network plugin', () => {
  assert.deepEqual(only(DATADOG_SYSTEM_PROBE, 'missing-network-unavailable-toleration'), []);
  assert.deepEqual(only(DATADOG_SYSTEM_PROBE, 'missing-network-unavailable-toleration', { cluster }), []);
  // It is still a node agent (it mounts /proc): the control-plane rule is not about the network.
  assert.equal(only(DATADOG_SYSTEM_PROBE, 'missing-control-plane-toleration').length, 1);
});

test('network-unavailable: an agent that installs CNI config and binaries fires, and names its capabilities too', () => {
  const [f, ...rest] = only(CALICO_NODE, 'missing-network-unavailable-toleration');
  assert.equal(rest.length, 0);
  assert.match(f.message, /^This looks like a network plugin agent \(it mounts \/opt\/cni\/bin, mounts \/etc\/cni\/net\.d, adds NET_ADMIN and 1 more\)/);
  assert.deepEqual(f.data?.signals, ['mounts /opt/cni/bin', 'mounts /etc/cni/net.d', 'adds NET_ADMIN', 'adds NET_RAW']);
  // hostNetwork: the controller adds the toleration itself.
  assert.deepEqual(only(CALICO_NODE.replace('      nodeSelector:', '      hostNetwork: true\n      nodeSelector:'), 'missing-network-unavailable-toleration'), []);
});

/** The Windows node plugin of the SMB CSI driver (kubernetes-csi/csi-driver-smb, trimmed). */
const CSI_SMB_NODE_WINDOWS = `kind: DaemonSet
apiVersion: apps/v1
metadata:
  name: csi-smb-node-win
  namespace: kube-system
spec:
  selector:
    matchLabels:
      app: csi-smb-node-win
  template:
    metadata:
      labels:
        app: csi-smb-node-win
    spec:
      tolerations:
        - key: "node.kubernetes.io/os"
          operator: "Exists"
          effect: "NoSchedule"
      nodeSelector:
        kubernetes.io/os: windows
      priorityClassName: system-node-critical
      serviceAccountName: csi-smb-node-sa
      containers:
        - name: node-driver-registrar
          image: registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.13.0
          args: [--v=2, --csi-address=$(CSI_ENDPOINT), --kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)]
          volumeMounts:
            - {name: kubelet-dir, mountPath: "C:\\\\var\\\\lib\\\\kubelet"}
            - {name: plugin-dir, mountPath: "C:\\\\csi"}
        - name: smb
          image: registry.k8s.io/sig-storage/smbplugin:v1.17.0
          volumeMounts:
            - {name: kubelet-dir, mountPath: "C:\\\\var\\\\lib\\\\kubelet"}
      volumes:
        - name: kubelet-dir
          hostPath: {path: "C:\\\\var\\\\lib\\\\kubelet\\\\", type: Directory}
        - name: plugin-dir
          hostPath: {path: "C:\\\\var\\\\lib\\\\kubelet\\\\plugins\\\\smb.csi.k8s.io\\\\", type: DirectoryOrCreate}
`;

const EXAMPLE_CLUSTER = parseCluster(parseDocument('file:///cluster.yaml', readFileSync(new URL('../../examples/cluster.yaml', import.meta.url), 'utf8')));

/** FLUENT with a required node affinity of one term made of `exprs`. */
function fluentWithAffinity(...exprs: string[]): string {
  return ds(`${FLUENT}\naffinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n      - matchExpressions:\n${exprs.map((e) => `        - ${e}`).join('\n')}`);
}

test('control-plane: Windows-only DaemonSets are silent (nodeSelector or required affinity), with or without a cluster file', () => {
  assert.equal(EXAMPLE_CLUSTER.nodes.length, 11);
  assert.deepEqual(only(CSI_SMB_NODE_WINDOWS, 'missing-control-plane-toleration'), []);
  assert.deepEqual(only(CSI_SMB_NODE_WINDOWS, 'missing-control-plane-toleration', { cluster: EXAMPLE_CLUSTER }), []);
  assert.deepEqual(only(CSI_SMB_NODE_WINDOWS, 'missing-control-plane-toleration', { kubernetesVersion: '1.24' }), []);
  // Without the Windows selector the same agent is expected on the control plane.
  assert.equal(only(CSI_SMB_NODE_WINDOWS.replace('kubernetes.io/os: windows', 'kubernetes.io/os: linux'), 'missing-control-plane-toleration').length, 1);
  for (const expr of ['{key: kubernetes.io/os, operator: In, values: [windows]}', '{key: kubernetes.io/os, operator: NotIn, values: [linux]}', '{key: beta.kubernetes.io/os, operator: In, values: [windows]}']) {
    assert.deepEqual(only(fluentWithAffinity(expr), 'missing-control-plane-toleration'), [], expr);
    assert.deepEqual(only(fluentWithAffinity(expr), 'missing-control-plane-toleration', { cluster: EXAMPLE_CLUSTER }), [], expr);
  }
  // Linux admitted, or any OS in one of the ORed terms: still reported.
  assert.equal(only(fluentWithAffinity('{key: kubernetes.io/os, operator: In, values: [linux, windows]}'), 'missing-control-plane-toleration').length, 1);
  const either = ds(`${FLUENT}\naffinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n      - matchExpressions: [{key: kubernetes.io/os, operator: In, values: [windows]}]\n      - matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]`);
  assert.equal(only(either, 'missing-control-plane-toleration').length, 1);
});

test('control-plane: excluding the role label with NotIn [""] (kubeadm sets it to "") is deliberate, like DoesNotExist', () => {
  for (const key of ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master']) {
    assert.deepEqual(only(fluentWithAffinity(`{key: ${key}, operator: NotIn, values: [""]}`), 'missing-control-plane-toleration'), [], key);
    assert.deepEqual(only(fluentWithAffinity(`{key: ${key}, operator: DoesNotExist}`), 'missing-control-plane-toleration'), [], key);
  }
  const notIn = fluentWithAffinity('{key: node-role.kubernetes.io/control-plane, operator: NotIn, values: [""]}');
  assert.deepEqual(only(notIn, 'missing-control-plane-toleration', { cluster }), []);
  assert.deepEqual(only(notIn, 'untolerated-taint', { cluster }).filter((f) => /cp-/.test(f.message)), [], 'the control-plane nodes are not selected');
  // A value kubeadm never sets excludes nothing; aiming at the control plane is reported all the more.
  assert.equal(only(fluentWithAffinity('{key: node-role.kubernetes.io/control-plane, operator: NotIn, values: ["true"]}'), 'missing-control-plane-toleration').length, 1);
  assert.equal(only(fluentWithAffinity('{key: node-role.kubernetes.io/control-plane, operator: Exists}'), 'missing-control-plane-toleration').length, 1);
  assert.equal(only(ds(`nodeSelector: {node-role.kubernetes.io/control-plane: ""}\n${FLUENT}`), 'missing-control-plane-toleration').length, 1);
  // A worker-role or pool selection is not meant for the control plane.
  assert.deepEqual(only(ds(`nodeSelector: {node-role.kubernetes.io/worker: ""}\n${FLUENT}`), 'missing-control-plane-toleration'), []);
  assert.deepEqual(only(fluentWithAffinity('{key: node.kubernetes.io/instance-type, operator: In, values: [m6i.xlarge]}'), 'missing-control-plane-toleration'), []);
});

test('control-plane with a cluster file: only the control-plane nodes the DaemonSet selects are named; none, no finding', () => {
  const mixed = parseCluster(parseDocument('file:///mixed.yaml', CLUSTER
    .replace('name: cp-2\n    labels: {kubernetes.io/os: linux,', 'name: cp-2\n    labels: {kubernetes.io/os: linux, kubernetes.io/arch: arm64,')
    .replace('name: cp-1\n    labels: {kubernetes.io/os: linux,', 'name: cp-1\n    labels: {kubernetes.io/os: linux, kubernetes.io/arch: amd64,')));
  const arm = ds(`nodeSelector: {kubernetes.io/arch: arm64}\n${FLUENT}`);
  const [f, ...rest] = only(arm, 'missing-control-plane-toleration', { cluster: mixed });
  assert.equal(rest.length, 0);
  assert.match(f.message, /it will not run on cp-2 \(control-plane nodes of the cluster file\)\.$/);
  // No control-plane node of the cluster is arm64... or s390x: the toleration would change nothing.
  const s390x = ds(`nodeSelector: {kubernetes.io/arch: s390x}\n${FLUENT}`);
  assert.deepEqual(only(s390x, 'missing-control-plane-toleration', { cluster: mixed }), []);
  assert.equal(only(s390x, 'missing-control-plane-toleration').length, 1, 'without a cluster file the architecture is unknown');
  assert.deepEqual(only(s390x, 'untolerated-taint', { cluster: mixed }), []);
  // The example cluster: the Windows repro names no control-plane node and gets no finding.
  const win = ds(`nodeSelector: {kubernetes.io/os: windows}\n${FLUENT}`);
  assert.deepEqual(only(win, 'missing-control-plane-toleration', { cluster: EXAMPLE_CLUSTER }), []);
  const [all] = only(ds(FLUENT), 'missing-control-plane-toleration', { cluster: EXAMPLE_CLUSTER });
  assert.match(all.message, /will not run on cp-1, cp-2, cp-3 \(control-plane nodes of the cluster file\)/);
});

test('no-eligible-nodes: a count of one takes a singular verb', () => {
  // The Windows agent over the example cluster: ten Linux nodes, one Windows node tainted os=windows.
  const win = ds(`nodeSelector: {kubernetes.io/os: windows}\n${FLUENT}`);
  const [f] = only(win, 'no-eligible-nodes', { cluster: EXAMPLE_CLUSTER });
  assert.equal(f.message, "No node of the cluster file (11 nodes) would run this DaemonSet: 10 don't match the nodeSelector (kubernetes.io/os=windows), 1 has taints it does not tolerate.");
  const [g] = only(fluentWithAffinity('{key: kubernetes.io/os, operator: In, values: [windows]}'), 'no-eligible-nodes', { cluster: EXAMPLE_CLUSTER });
  assert.equal(g.message, "No node of the cluster file (11 nodes) would run this DaemonSet: 10 don't match the required node affinity, 1 has taints it does not tolerate.");
  // One node in all: "it".
  const one = parseCluster(parseDocument('file:///one.yaml', 'kind: Node\napiVersion: v1\nmetadata: {name: w-1, labels: {kubernetes.io/os: linux}}\n'));
  const [h] = only(win, 'no-eligible-nodes', { cluster: one });
  assert.equal(h.message, "No node of the cluster file (1 node) would run this DaemonSet: it doesn't match the nodeSelector (kubernetes.io/os=windows).");
  const pinned = ds('nodeName: elsewhere\ncontainers: [{name: a, image: nginx}]');
  const [p] = only(pinned, 'no-eligible-nodes', { cluster });
  assert.equal(p.message, 'No node of the cluster file (4 nodes) would run this DaemonSet: none is the node named by nodeName (elsewhere).');
  const [q] = only(pinned, 'no-eligible-nodes', { cluster: one });
  assert.equal(q.message, 'No node of the cluster file (1 node) would run this DaemonSet: it is not the node named by nodeName (elsewhere).');
});

/** NVIDIA's device plugin as its static manifest ships it with a privileged container (trimmed): GPU nodes only. */
const NVIDIA_DEVICE_PLUGIN = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: nvidia-device-plugin-daemonset
  namespace: nvidia-device-plugin
spec:
  selector:
    matchLabels:
      name: nvidia-device-plugin-ds
  updateStrategy:
    type: RollingUpdate
  template:
    metadata:
      labels:
        name: nvidia-device-plugin-ds
    spec:
      tolerations:
        - key: nvidia.com/gpu
          operator: Exists
          effect: NoSchedule
      priorityClassName: "system-node-critical"
      serviceAccountName: nvidia-device-plugin
      containers:
        - env:
            - name: FAIL_ON_INIT_ERROR
              value: "false"
          image: nvcr.io/nvidia/k8s-device-plugin:v0.17.0
          name: nvidia-device-plugin-ctr
          securityContext:
            privileged: true
          volumeMounts:
            - name: device-plugin
              mountPath: /var/lib/kubelet/device-plugins
      volumes:
        - name: device-plugin
          hostPath:
            path: /var/lib/kubelet/device-plugins
`;

test('control-plane: privileged alone is no node agent; with another sign it is named too', () => {
  assert.deepEqual(only(NVIDIA_DEVICE_PLUGIN, 'missing-control-plane-toleration'), []);
  assert.deepEqual(only(NVIDIA_DEVICE_PLUGIN, 'missing-control-plane-toleration', { cluster: EXAMPLE_CLUSTER }), []);
  // A one-off privileged node-setup job (Longhorn's SELinux workaround): nsenter in an init container, then pause.
  const workaround = ds('hostPID: true\ninitContainers:\n- name: iscsi-selinux-workaround\n  command: [nsenter, --mount=/proc/1/ns/mnt, --, bash, -c, semodule -vi local_longhorn.cil]\n  image: alpine:3.17\n  securityContext:\n    privileged: true\ncontainers:\n- {name: sleep, image: registry.k8s.io/pause:3.1}');
  assert.deepEqual(only(workaround, 'missing-control-plane-toleration'), []);
  // The same device plugin reading /proc and /sys is a node agent, and its privilege is said.
  const withProc = NVIDIA_DEVICE_PLUGIN.replace('      volumes:\n', '      volumes:\n        - name: proc\n          hostPath: {path: /proc}\n');
  const [f] = only(withProc, 'missing-control-plane-toleration');
  assert.match(f.message, /^This looks like a node agent \(it mounts \/proc and is privileged\) but it does not tolerate node-role\.kubernetes\.io\/control-plane:NoSchedule/);
  assert.deepEqual(f.data?.signals, ['mounts /proc', 'is privileged']);
});

test('corpus of real DaemonSets without their tolerations: which ones the node-agent and network rules take up', () => {
  const dir = new URL('../fixtures/corpus/', import.meta.url);
  const network: string[] = [];
  const notReady: string[] = [];
  const agents: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const ds0 = parseDocument(`file:///${f}`, readFileSync(new URL(f, dir), 'utf8')).daemonSets[0];
    const v = structuredClone(ds0.value) as { spec: { template: { spec: Record<string, unknown> } } };
    delete v.spec.template.spec.tolerations;
    const text = JSON.stringify(v, null, 2);
    const bare = run(text);
    const withCluster = run(text, { cluster: EXAMPLE_CLUSTER });
    if (bare.some((x) => x.code === 'missing-network-unavailable-toleration')) network.push(f);
    const nr = bare.filter((x) => x.code === 'missing-not-ready-toleration');
    assert.ok(nr.length <= 1, `${f}: one not-ready finding per DaemonSet`);
    if (nr.length) notReady.push(f);
    const cp = bare.filter((x) => x.code === 'missing-control-plane-toleration');
    const cpc = withCluster.filter((x) => x.code === 'missing-control-plane-toleration');
    assert.equal(cpc.length, cp.length, `${f}: the example cluster's control-plane nodes are Linux and unlabelled otherwise`);
    // A network plugin kept off the control plane leaves those nodes NotReady; other agents only miss them.
    const nodesNotReady = nr.length ? ', and without their network plugin those nodes stay NotReady' : '';
    for (const x of [...cp, ...cpc]) assert.equal(x.message.endsWith(`${nodesNotReady}.`) && (!!nr.length || !x.message.includes('NotReady')), true, `${f}: ${x.message}`);
    for (const x of cpc) assert.ok(x.message.includes('will not run on cp-1, cp-2, cp-3 (control-plane nodes of the cluster file)'), f);
    if (cp.length) agents.push(f);
  }
  // Only the CNI installer that is not hostNetwork; Calico, Cilium, Flannel, Weave and kube-router run with hostNetwork.
  assert.deepEqual(network, ['istio-cni-node.yaml']);
  // Every network plugin needs the not-ready toleration, hostNetwork or not; none of the other agents is taken for one.
  assert.deepEqual(notReady, ['aws-node.yaml', 'calico-node.yaml', 'cilium-agent.yaml', 'istio-cni-node.yaml', 'kube-flannel.yaml', 'kube-router.yaml', 'weave-net-list.yaml']);
  // Everything but the GPU and local-disk pools, MetalLB's speaker (no node-agent sign) and the Windows exporter.
  assert.deepEqual(agents, [
    'aws-ebs-csi-node.yaml', 'aws-node.yaml', 'calico-node.yaml', 'cilium-agent.yaml', 'csi-nfs-node.yaml', 'datadog-agent.json',
    'falco.yaml', 'filebeat.yaml', 'fluent-bit.yaml', 'fluentd-elasticsearch.yaml', 'gce-pd-csi-node.yaml', 'istio-cni-node.yaml',
    'kube-flannel.yaml', 'kube-proxy.yaml', 'kube-router.yaml', 'node-exporter.yaml', 'node-problem-detector.yaml', 'promtail.yaml',
    'secrets-store-csi-driver.yaml', 'vector-agent.yaml', 'weave-net-list.yaml',
  ]);
});

/** Linux control plane, a Linux worker that is still NotReady, and a tainted Windows node. */
const MIXED = parseCluster(parseDocument('file:///mixed.yaml', `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata:
    name: cp-1
    labels: {kubernetes.io/os: linux, node-role.kubernetes.io/control-plane: ""}
  spec:
    taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]
- apiVersion: v1
  kind: Node
  metadata:
    name: linux-new
    labels: {kubernetes.io/os: linux}
  spec:
    taints: [{key: node.kubernetes.io/not-ready, effect: NoSchedule}]
- apiVersion: v1
  kind: Node
  metadata:
    name: win-1
    labels: {kubernetes.io/os: windows}
  spec:
    taints: [{key: os, value: windows, effect: NoSchedule}]
`));

test('tolerates-all-taints names only the nodes the DaemonSet selects: a Windows-only nodeSelector', () => {
  // kube-proxy as a Windows HostProcess DaemonSet (sig-windows-tools).
  const text = ds(`securityContext:
  windowsOptions: {hostProcess: true, runAsUserName: "NT AUTHORITY\\\\system"}
hostNetwork: true
serviceAccountName: kube-proxy
nodeSelector:
  kubernetes.io/os: windows
tolerations:
- key: CriticalAddonsOnly
  operator: Exists
- operator: Exists
containers:
- name: kube-proxy
  image: sigwindowstools/kube-proxy:v1.35.0-calico-hostprocess
  args: ["$env:CONTAINER_SANDBOX_MOUNT_POINT/kube-proxy/start.ps1"]`, 'kube-proxy-windows');
  const [f] = only(text, 'tolerates-all-taints', { cluster: MIXED });
  assert.equal(at(text, f), 'operator: Exists');
  assert.match(f.message, /lets the pods onto win-1 \(os=windows:NoSchedule\)\.$/);
  assert.doesNotMatch(f.message, /cp-1|linux-new/);
  // Only the Windows nodes are in question: not every node, and not the (Linux) control plane.
  assert.match(f.message, /tolerates every taint: the pods run on every node they select, cordoned nodes included, and NoExecute/);
  // A DaemonSet that selects no nodes in particular may go anywhere.
  const [g] = only(ds('tolerations:\n- operator: Exists\ncontainers:\n- {name: agent, image: example.com/agent:1.0}'), 'tolerates-all-taints', { cluster: MIXED });
  assert.match(g.message, /the pods run on every node, control-plane and cordoned nodes included/);
});

test('tolerates-all-taints: a Linux-only node exporter is not said to go onto the Windows node', () => {
  // kube-prometheus nodeExporter-daemonset.yaml, reduced.
  const text = ds(`automountServiceAccountToken: true
hostNetwork: true
hostPID: true
nodeSelector:
  kubernetes.io/os: linux
priorityClassName: system-cluster-critical
securityContext: {runAsNonRoot: true, runAsUser: 65534}
serviceAccountName: node-exporter
tolerations:
- operator: Exists
containers:
- name: node-exporter
  image: quay.io/prometheus/node-exporter:v1.9.1
  args: [--web.listen-address=127.0.0.1:9101, --path.sysfs=/host/sys]`, 'node-exporter');
  const [f] = only(text, 'tolerates-all-taints', { cluster: MIXED });
  assert.match(f.message, /cp-1 \(node-role\.kubernetes\.io\/control-plane:NoSchedule\)/);
  assert.match(f.message, /linux-new \(node\.kubernetes\.io\/not-ready:NoSchedule\)/);
  assert.doesNotMatch(f.message, /win-1/);
  // The same selection written as required node affinity.
  const affinity = text.replace('      nodeSelector:\n        kubernetes.io/os: linux\n',
    '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - {key: kubernetes.io/os, operator: NotIn, values: [windows]}\n');
  assert.notEqual(affinity, text);
  const [g] = only(affinity, 'tolerates-all-taints', { cluster: MIXED });
  assert.match(g.message, /cp-1/);
  assert.doesNotMatch(g.message, /win-1/);
  // A DaemonSet that selects no node is told what the toleration means, with no node list.
  const none = text.replace('kubernetes.io/os: linux', 'kubernetes.io/os: plan9');
  const [h] = only(none, 'tolerates-all-taints', { cluster: MIXED });
  assert.doesNotMatch(h.message, /In the cluster file/);
});

test('tolerates-all-taints: NoSchedule-only, with a key-less NoExecute sibling (node-problem-detector)', () => {
  const text = ds(`serviceAccountName: node-problem-detector
hostNetwork: true
tolerations:
  - effect: NoSchedule
    operator: Exists
  - effect: NoExecute
    operator: Exists
containers:
- name: node-problem-detector
  image: registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.19
  securityContext: {privileged: true}`, 'node-problem-detector');
  const fs = only(text, 'tolerates-all-taints', { cluster });
  assert.equal(fs.length, 1);
  const [f] = fs;
  assert.equal(f.path, 'spec.template.spec.tolerations[0]');
  // The pods are never evicted: the second toleration says so, the message must too.
  assert.equal(f.severity, 'information');
  assert.doesNotMatch(f.message, /still evict/);
  assert.match(f.message, /every NoSchedule taint/);
  assert.match(f.message, /tolerations\[1\] \(no key, operator Exists, effect NoExecute\) the pods tolerate every NoExecute taint too, so they are never evicted/);
  // Both tolerations open gpu-1: its NoSchedule and its NoExecute taint.
  assert.match(f.message, /these tolerations let the pods onto .*gpu-1 \(dedicated=gpu:NoSchedule, nvidia\.com\/gpu:NoExecute\)/);
  // The other order reports on the NoExecute one and mentions the NoSchedule one.
  const swapped = text.replace('effect: NoSchedule', 'effect: @').replace('effect: NoExecute', 'effect: NoSchedule').replace('effect: @', 'effect: NoExecute');
  const [g] = only(swapped, 'tolerates-all-taints', { cluster });
  assert.equal(g.severity, 'information');
  assert.match(g.message, /^This toleration \(no key, operator Exists, effect NoExecute\) tolerates every NoExecute taint: the pods are never evicted/);
  assert.match(g.message, /With tolerations\[1\] \(no key, operator Exists, effect NoSchedule\) the pods also go onto every node/);
});

test('tolerates-all-taints: NoSchedule-only says which NoExecute taints the pods tolerate anyway', () => {
  const text = ds(`tolerations:
- {operator: Exists, effect: NoSchedule}
- {key: nvidia.com/gpu, operator: Exists, effect: NoExecute, tolerationSeconds: 60}
containers:
- {name: dcgm-exporter, image: nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04}`, 'dcgm-exporter');
  const [f] = only(text, 'tolerates-all-taints', { cluster });
  assert.equal(f.severity, 'hint');
  assert.match(f.message, /NoExecute taints still evict the pods, except node\.kubernetes\.io\/not-ready and node\.kubernetes\.io\/unreachable \(which the DaemonSet controller tolerates on every daemon pod\) and nvidia\.com\/gpu \(tolerations\[1\], which delays eviction by 60s\)\./);
  // gpu-1's NoExecute taint is tolerated by the keyed toleration, not opened by the key-less one.
  assert.match(f.message, /gpu-1 \(dedicated=gpu:NoSchedule\)/);
});

const PLACEMENT_RULES = ['untolerated-taint', 'no-eligible-nodes', 'unschedulable-on-nodes', 'missing-control-plane-toleration', 'missing-network-unavailable-toleration', 'missing-not-ready-toleration', 'legacy-master-label', 'toleration-matches-no-taint', 'tolerates-all-taints'];

test('placement and toleration rules stay silent on Kustomize patches', () => {
  // An overlay patch that only adds args (intel-device-plugins-for-kubernetes gpu_plugin overlay):
  // no selector, no image, no tolerations. The base it patches tolerates everything.
  const patch = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: intel-gpu-plugin
spec:
  template:
    spec:
      containers:
      - name: intel-gpu-plugin
        args:
        - "-v=4"
        - "-allow-ids=0x56a6,0x56a5"
`;
  const model = parseDocument('file:///overlay/add-args.yaml', patch);
  assert.equal(model.daemonSets[0].partial, true);
  const hits = validate(model, { cluster }).filter((f) => PLACEMENT_RULES.includes(f.code));
  assert.deepEqual(hits.map((f) => f.code), []);
  // A patch that changes tolerations and images: complete-looking containers, but the adapter knows
  // it is listed in a kustomization, so it is partial and its tolerations are not judged alone.
  const tolPatch = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluent-bit
  namespace: logging
spec:
  template:
    spec:
      nodeSelector: {disktype: ssd}
      tolerations:
      - {operator: Exists, effect: NoSchedule}
      - {key: typo-key, operator: Exists}
      containers:
      - name: fluent-bit
        image: cr.fluentbit.io/fluent/fluent-bit:3.2.0
        securityContext: {privileged: true}
        resources: {requests: {cpu: "16"}}
`;
  const listed = validate(parseDocument('file:///overlay/patch.yaml', tolPatch, undefined, undefined, { partial: true }), { cluster });
  assert.deepEqual(listed.filter((f) => PLACEMENT_RULES.includes(f.code)).map((f) => f.code), []);
  // The same text checked as a whole DaemonSet does get placement findings.
  const alone = validate(parseDocument('file:///alone/patch.yaml', tolPatch), { cluster });
  assert.ok(alone.some((f) => PLACEMENT_RULES.includes(f.code)), alone.map((f) => f.code).join(' '));
});

// --- missing-not-ready-toleration --------------------------------------------------------

/** flannel-io/flannel Documentation/kube-flannel.yml (v0.28), reduced; `{{TOL}}` is where its tolerations go. */
const FLANNEL = `affinity:
  nodeAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      nodeSelectorTerms:
      - matchExpressions:
        - key: kubernetes.io/os
          operator: In
          values:
          - linux
hostNetwork: true
priorityClassName: system-node-critical
{{TOL}}serviceAccountName: flannel
initContainers:
- name: install-cni-plugin
  image: ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3
  command: [cp]
  args: [-f, /flannel, /opt/cni/bin/flannel]
  volumeMounts:
  - name: cni-plugin
    mountPath: /opt/cni/bin
containers:
- name: kube-flannel
  image: ghcr.io/flannel-io/flannel:v0.28.9
  command: [/opt/bin/flanneld]
  args: [--ip-masq, --kube-subnet-mgr]
  securityContext:
    privileged: false
    capabilities:
      add: [NET_ADMIN, NET_RAW]
volumes:
- name: cni-plugin
  hostPath:
    path: /opt/cni/bin
- name: cni
  hostPath:
    path: /etc/cni/net.d`;

const flannel = (tolerations: string) => ds(FLANNEL.replace('{{TOL}}', tolerations ? `tolerations:\n${tolerations}\n` : ''), 'kube-flannel-ds');
const CP_ONLY = '- key: node-role.kubernetes.io/control-plane\n  operator: Exists\n  effect: NoSchedule';
const NR = 'missing-not-ready-toleration';

/** kubernetes/kubernetes cluster/addons/kube-proxy (kubeadm's DaemonSet), reduced: hostNetwork and NET_ADMIN, not a network plugin. */
const KUBE_PROXY = `hostNetwork: true
priorityClassName: system-node-critical
serviceAccountName: kube-proxy
tolerations:
- key: CriticalAddonsOnly
  operator: Exists
containers:
- name: kube-proxy
  image: registry.k8s.io/kube-proxy:v1.35.0
  command: [/usr/local/bin/kube-proxy, --config=/var/lib/kube-proxy/config.conf]
  securityContext:
    privileged: true
volumes:
- name: xtables-lock
  hostPath: {path: /run/xtables.lock, type: FileOrCreate}
- name: lib-modules
  hostPath: {path: /lib/modules}`;

/** fluent/helm-charts fluent-bit DaemonSet, rendered and reduced: a log shipper, no network plugin. */
const FLUENT_BIT = `serviceAccountName: fluent-bit
containers:
- name: fluent-bit
  image: cr.fluentbit.io/fluent/fluent-bit:3.1.9
volumes:
- name: varlog
  hostPath: {path: /var/log}
- name: varlibdockercontainers
  hostPath: {path: /var/lib/docker/containers}`;

test('not-ready: a hostNetwork flannel that tolerates only the control-plane taint deadlocks new nodes', () => {
  const text = flannel(CP_ONLY);
  const [f, ...rest] = only(text, NR);
  assert.equal(rest.length, 0, 'one finding per DaemonSet');
  assert.equal(f.severity, 'warning');
  assert.equal(f.path, 'spec.template.spec.tolerations');
  assert.equal(at(text, f), 'tolerations');
  assert.match(f.message, /^This looks like a network plugin agent \(it mounts \/opt\/cni\/bin, mounts \/etc\/cni\/net\.d, runs ghcr\.io\/flannel-io\/flannel:v0\.28\.9 and 3 more\) but it does not tolerate node\.kubernetes\.io\/not-ready:NoSchedule: /);
  assert.match(f.message, /it is not Ready until its network plugin runs, so the agent never starts there and the node stays NotReady \(the DaemonSet controller tolerates not-ready only as NoExecute\)\.$/);
  assert.deepEqual(f.data?.taints, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
  assert.equal(only(text, 'missing-network-unavailable-toleration').length, 0, 'hostNetwork: the controller adds network-unavailable');
  assert.deepEqual(f.fixes?.map((x) => [x.title, !!x.isPreferred]), [
    ['Add toleration node.kubernetes.io/not-ready:NoSchedule', true],
    [`Disable ${NR} on this line`, false],
  ]);
  const { after, again } = applyFix(text, f, 'Add toleration node.kubernetes.io/not-ready:NoSchedule');
  assert.equal(again.length, 0);
  assert.ok(after.includes(`${CP_ONLY.replace(/^/gm, '      ')}\n      - key: node.kubernetes.io/not-ready\n        operator: Exists\n        effect: NoSchedule\n      serviceAccountName: flannel\n`), after);
  const disabled = applyFix(text, f, `Disable ${NR} on this line`);
  assert.equal(disabled.again.length, 0);
});

test('not-ready: without hostNetwork both network rules report, each with its own toleration', () => {
  const text = flannel(CP_ONLY).replace('hostNetwork: true', 'hostNetwork: false');
  const [nu] = only(text, 'missing-network-unavailable-toleration');
  const [nr] = only(text, NR);
  assert.ok(nu && nr);
  const both = applyFix(applyFix(text, nu, /network-unavailable/).after, only(applyFix(text, nu, /network-unavailable/).after, NR)[0], /not-ready/);
  assert.equal(both.again.length, 0);
  assert.equal(only(both.after, 'missing-network-unavailable-toleration').length, 0);
});

test('not-ready: anchored on the template spec key when there is no tolerations key', () => {
  const text = flannel('');
  const [f] = only(text, NR);
  assert.equal(at(text, f), 'spec');
  const { after, again } = applyFix(text, f, 'Add toleration node.kubernetes.io/not-ready:NoSchedule');
  assert.equal(again.length, 0);
  assert.match(after, /\n {6}tolerations:\n {6}- key: node\.kubernetes\.io\/not-ready\n {8}operator: Exists\n {8}effect: NoSchedule\n/);
});

test('not-ready: silent for the tolerations real network plugins ship, and for agents that are no network plugin', () => {
  // flannel and calico-node: every NoSchedule taint; cilium and aws-node: everything; antrea: key-less Exists too.
  for (const tol of [
    '- effect: NoSchedule\n  operator: Exists',
    '- effect: NoSchedule\n  operator: Exists\n- key: CriticalAddonsOnly\n  operator: Exists\n- effect: NoExecute\n  operator: Exists',
    '- operator: Exists',
    '- {key: node.kubernetes.io/not-ready, operator: Exists}',
    '- {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoSchedule}',
  ]) assert.equal(only(flannel(tol), NR).length, 0, tol);
  // The controller's own NoExecute toleration does not cover NoSchedule; neither does PreferNoSchedule or a value.
  for (const tol of [
    '- {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute}',
    '- {key: node.kubernetes.io/not-ready, operator: Exists, effect: PreferNoSchedule}',
    '- {key: node.kubernetes.io/not-ready, operator: Equal, value: "true", effect: NoSchedule}',
  ]) assert.equal(only(flannel(tol), NR).length, 1, tol);
  assert.equal(only(ds(KUBE_PROXY, 'kube-proxy'), NR).length, 0, 'kube-proxy changes packet rules, not the pod network');
  assert.equal(only(ds(FLUENT_BIT, 'fluent-bit'), NR).length, 0);
  assert.equal(only(ds(CALICO), NR).length, 1, 'calico-node without tolerations');
});

test('not-ready: with a cluster file, the rule names the NotReady nodes and untolerated-taint leaves that taint to it', () => {
  const text = flannel(CP_ONLY);
  const [nr, ...more] = only(text, NR, { cluster: MIXED });
  assert.equal(more.length, 0);
  assert.match(nr.message, / In the cluster file, linux-new carries it now: the agent does not run there\.$/);
  assert.deepEqual(nr.data?.nodes, ['linux-new']);
  assert.deepEqual(only(text, 'untolerated-taint', { cluster: MIXED }), [], 'one finding, one fix, for the not-ready taint');
  assert.doesNotMatch(only(text, NR)[0].message, /In the cluster file/);
  // A log shipper waits for the node to become Ready, which it will: untolerated-taint says so.
  const shipper = ds(`${FLUENT_BIT}\ntolerations:\n${CP_ONLY}`, 'fluent-bit');
  const [v] = only(shipper, 'untolerated-taint', { cluster: MIXED });
  assert.match(v.message, /linux-new: taint node\.kubernetes\.io\/not-ready:NoSchedule \(while the node is NotReady\)/);
});

test('control-plane: a network plugin kept off the control plane leaves those nodes NotReady; a log shipper only misses them', () => {
  const [cni] = only(flannel(''), 'missing-control-plane-toleration');
  assert.equal(cni.severity, 'information');
  assert.match(cni.message, /^This looks like a network plugin agent \(it mounts \/opt\/cni\/bin, .*\) but it does not tolerate node-role\.kubernetes\.io\/control-plane:NoSchedule: it will not run on control-plane nodes, and without their network plugin those nodes stay NotReady\.$/);
  const [withCluster] = only(flannel(''), 'missing-control-plane-toleration', { cluster: MIXED });
  assert.match(withCluster.message, /will not run on cp-1 \(control-plane nodes of the cluster file\), and without their network plugin those nodes stay NotReady\.$/);
  const [shipper] = only(ds(FLUENT_BIT, 'fluent-bit'), 'missing-control-plane-toleration');
  assert.match(shipper.message, /^This looks like a node agent \(it mounts \/var\/log, .*: it will not run on control-plane nodes\.$/);
  assert.doesNotMatch(shipper.message, /NotReady/);
});

test('untolerated-taint: Lt/Gt tolerate only where their gate exists (1.35) and is on', () => {
  const sla = parseCluster(parseDocument('file:///sla.yaml', `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {name: edge-1, labels: {kubernetes.io/os: linux}}
  spec:
    taints:
    - {key: example.com/sla, value: "950", effect: NoSchedule}
  status: {allocatable: {cpu: "4", memory: 8Gi, pods: "110"}}
`));
  const text = ds('tolerations:\n- {key: example.com/sla, operator: Gt, value: "900", effect: NoSchedule}\ncontainers:\n- {name: web, image: nginx:1.25}');
  const gates = { TaintTolerationComparisonOperators: true };
  assert.deepEqual(only(text, 'untolerated-taint', { cluster: sla, featureGates: gates }), []);
  for (const options of [{ featureGates: {} }, { featureGates: gates, kubernetesVersion: '1.34' }]) {
    const [f] = only(text, 'untolerated-taint', { cluster: sla, ...options });
    assert.equal(f?.message, "Won't run on edge-1: taint example.com/sla=950:NoSchedule", JSON.stringify(options));
  }
});

test('imageMatches: a name matches a path segment, or one it starts with before "-", "_" or ".", asked once or many times', async () => {
  const { imageMatches } = await import('../../server/src/engine/rules/tolerationSupport');
  const names = ['calico', 'node'];
  for (let round = 0; round < 2; round++) {
    assert.equal(imageMatches('docker.io/calico/node:v3.27.0', names), 'calico');
    assert.equal(imageMatches('quay.io/tigera/calico-node:v3', names), 'calico');
    assert.equal(imageMatches('registry:5000/calico_cni', names), 'calico');
    assert.equal(imageMatches('calico.io/operator', ['calico']), undefined, 'the registry host is no segment');
    assert.equal(imageMatches('example/calicox:1', names), undefined);
    assert.equal(imageMatches('example/nodes:1', names), undefined);
    assert.equal(imageMatches('example/node.exporter@sha256:abc', names), 'node');
  }
});
