import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPodTemplate, getPodsPrefix, newDaemonPod, podForNode, replaceDaemonSetPodNodeNameNodeAffinity } from '../../server/src/engine/placement';
import { getTargetNodeNameFromAffinity } from '../../server/src/engine/cluster';
import { cluster, dsFromYaml, dsObject, newDaemonSet, newNode } from './placement-helpers';

const pinned = (host: string) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [host] }] }] } },
});
const required = (terms: unknown[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } });
const preferred = [{ weight: 1, preference: { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['host_1'] }] } }];

// pkg/controller/daemon/util/daemonset_util_test.go TestReplaceDaemonSetPodNodeNameNodeAffinity.
const REPLACE: Array<[string, unknown, unknown]> = [
  ['nil affinity', undefined, pinned('host_1')],
  ['matchExpressions on kubernetes.io/hostname', required([{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['host_1'] }] }]), pinned('host_1')],
  ['preferred terms are kept', { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: preferred } }, { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: preferred, ...pinned('host_1').nodeAffinity } }],
  ['matchFields with two hosts', required([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host_1', 'host_2'] }] }]), pinned('host_1')],
  ['two terms (expressions, fields) become one', required([{ matchExpressions: [{ key: 'hostname', operator: 'In', values: ['host_1'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host_2'] }] }]), pinned('host_1')],
  ['NotIn matchFields', required([{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['host_2'] }] }]), pinned('host_1')],
  ['unknown field key', required([{ matchFields: [{ key: 'metadata.foo', operator: 'In', values: ['bar'] }] }]), pinned('host_1')],
];

for (const [name, affinity, expected] of REPLACE) {
  test(`ReplaceDaemonSetPodNodeNameNodeAffinity (TestReplaceDaemonSetPodNodeNameNodeAffinity): ${name}`, () => {
    assert.deepEqual(replaceDaemonSetPodNodeNameNodeAffinity(affinity, 'host_1'), expected);
  });
}

test('ReplaceDaemonSetPodNodeNameNodeAffinity keeps pod (anti-)affinity and does not modify its input', () => {
  const input = { podAntiAffinity: { x: 1 }, ...required([{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }]) };
  const copy = JSON.parse(JSON.stringify(input));
  const out = replaceDaemonSetPodNodeNameNodeAffinity(input, 'n');
  assert.deepEqual(out.podAntiAffinity, { x: 1 });
  assert.deepEqual(input, copy);
});

test('CreatePodTemplate adds pod-template-generation and, only when known, controller-revision-hash (TestCreatePodTemplate)', () => {
  const ds = dsObject(newDaemonSet('x', {}, { metadata: { annotations: { 'deprecated.daemonset.template.generation': '2' } } }));
  assert.deepEqual(createPodTemplate(ds).metadata.labels, { name: 'simple-daemon', type: 'production', 'pod-template-generation': '2' });
  assert.equal((createPodTemplate(ds, '3242341807').metadata.labels as Record<string, string>)['controller-revision-hash'], '3242341807');
});

test('pod-template-generation of a created DaemonSet: 1 without the annotation (PrepareForCreate), never below 1', () => {
  const gen = (annotations?: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    (createPodTemplate(dsObject(newDaemonSet('y', {}, { ...extra, metadata: annotations ? { annotations } : {} }))).metadata.labels as Record<string, string>)['pod-template-generation'];
  // daemonSetStrategy.PrepareForCreate sets spec.templateGeneration to 1 when below 1; the apps/v1
  // conversion writes it back as the annotation that syncNodes reads (GetTemplateGeneration).
  assert.equal(gen(), '1');
  assert.equal(gen({ 'deprecated.daemonset.template.generation': '0' }), '1');
  assert.equal(gen({ 'deprecated.daemonset.template.generation': '7' }), '7');
  // strconv.ParseInt in the conversion: the value is stored as a number and written back without its zeros or sign.
  assert.equal(gen({ 'deprecated.daemonset.template.generation': '007' }), '7');
  assert.equal(gen({ 'deprecated.daemonset.template.generation': '+12' }), '12');
  assert.equal(gen({ 'deprecated.daemonset.template.generation': '-4' }), '1');
  assert.equal(gen({ 'deprecated.daemonset.template.generation': '9223372036854775807' }), '9223372036854775807');
  assert.equal(gen({ 'deprecated.daemonset.template.generation': '9223372036854775808' }), undefined);
  // Not an integer: the API server rejects the object (strconv.ParseInt in the conversion); no label.
  assert.equal(gen({ 'deprecated.daemonset.template.generation': 'two' }), undefined);
  // extensions/v1beta1 keeps it in spec.templateGeneration.
  const ext = dsObject({ ...newDaemonSet('z', {}, { spec: { templateGeneration: 3 } }), apiVersion: 'extensions/v1beta1' });
  assert.equal((createPodTemplate(ext).metadata.labels as Record<string, string>)['pod-template-generation'], '3');
});

test('GetTargetNodeName: spec.nodeName, else a single metadata.name In value (TestGetTargetNodeName)', () => {
  assert.equal(getTargetNodeNameFromAffinity({ affinity: pinned('node-1') }), 'node-1');
  assert.equal(getTargetNodeNameFromAffinity({ affinity: required([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1', 'node-2'] }] }]) }), undefined);
  assert.equal(getTargetNodeNameFromAffinity({}), undefined);
  // The first metadata.name In requirement decides: not unique is an error, and later terms are not read.
  const notUniqueFirst = required([
    { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1', 'node-2'] }] },
    { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-3'] }] },
  ]);
  assert.equal(getTargetNodeNameFromAffinity({ affinity: notUniqueFirst }), undefined);
  // Other requirements before it are passed over.
  assert.equal(getTargetNodeNameFromAffinity({ affinity: required([{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['x'] }, { key: 'metadata.name', operator: 'In', values: ['node-3'] }] }]) }), 'node-3');
  const cl = cluster(newNode('node-1'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod1', namespace: 'default' }, spec: { nodeName: 'node-1' } });
  assert.equal(cl.pods[0].nodeName, 'node-1');
});

test('the pod the controller creates: template, generateName, namespace, ownerReference, tolerations, pinned affinity (syncNodes, GetPodFromTemplate)', () => {
  const ds = dsObject({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'fluentd', namespace: 'logging', uid: 'u-1', annotations: { 'deprecated.daemonset.template.generation': '4' } },
    spec: {
      selector: { matchLabels: { app: 'fluentd' } },
      template: {
        metadata: { name: 'ignored', labels: { app: 'fluentd' }, annotations: { a: 'b' }, finalizers: ['f'] },
        spec: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }],
          affinity: { nodeAffinity: { ...required([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }]).nodeAffinity, preferredDuringSchedulingIgnoredDuringExecution: preferred } },
          containers: [{ name: 'fluentd', image: 'fluentd:v1' }],
        },
      },
    },
  });
  const pod = newDaemonPod(ds, 'worker-1', 'abc123') as any;
  assert.deepEqual(pod.metadata, {
    generateName: 'fluentd-',
    namespace: 'logging',
    labels: { app: 'fluentd', 'pod-template-generation': '4', 'controller-revision-hash': 'abc123' },
    annotations: { a: 'b' },
    finalizers: ['f'],
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid: 'u-1', controller: true, blockOwnerDeletion: true }],
  });
  assert.equal(pod.spec.nodeName, undefined);
  assert.deepEqual(pod.spec.nodeSelector, { 'kubernetes.io/os': 'linux' });
  assert.deepEqual(pod.spec.tolerations.map((t: any) => `${t.key}:${t.effect}${t.tolerationSeconds ? `/${t.tolerationSeconds}` : ''}`), [
    'node.kubernetes.io/not-ready:NoExecute',
    'node.kubernetes.io/unreachable:NoExecute',
    'node.kubernetes.io/disk-pressure:NoSchedule',
    'node.kubernetes.io/memory-pressure:NoSchedule',
    'node.kubernetes.io/pid-pressure:NoSchedule',
    'node.kubernetes.io/unschedulable:NoSchedule',
  ]);
  assert.deepEqual(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, pinned('worker-1').nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution);
  assert.deepEqual(pod.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution, preferred);
  // The manifest is not modified.
  assert.equal((ds.value as any).spec.template.spec.tolerations.length, 1);
});

test('the pod the controller creates reads null fields as Go does: left out, or empty in a map of strings, zero in a resource list', () => {
  const ds = dsFromYaml(`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata:
      labels: {app: agent, tier: null}
      annotations: null
    spec:
      hostnameOverride: null
      nodeSelector: {disk: null}
      affinity: null
      volumes:
      - name: cfg
        configMap: {name: cfg, defaultMode: null}
      - name: drv
        flexVolume: {driver: x/y, options: {a: null}}
      containers:
      - name: agent
        image: agent:1
        env: [{name: X, value: null}]
        resources: {limits: {cpu: null, memory: 64Mi}, requests: null}
        securityContext: {privileged: null, capabilities: {add: null}}
`);
  const pod = newDaemonPod(ds, 'n1') as any;
  assert.deepEqual(pod.metadata.labels, { app: 'agent', tier: '', 'pod-template-generation': '1' });
  assert.equal('annotations' in pod.metadata, false);
  assert.equal('hostnameOverride' in pod.spec, false);
  assert.deepEqual(pod.spec.nodeSelector, { disk: '' });
  assert.deepEqual(pod.spec.affinity, pinned('n1'));
  assert.deepEqual(pod.spec.volumes, [{ name: 'cfg', configMap: { name: 'cfg' } }, { name: 'drv', flexVolume: { driver: 'x/y', options: { a: '' } } }]);
  assert.deepEqual(pod.spec.containers[0].env, [{ name: 'X' }]);
  assert.deepEqual(pod.spec.containers[0].resources, { limits: { cpu: '0', memory: '64Mi' } });
  assert.deepEqual(pod.spec.containers[0].securityContext, { capabilities: {} });
  // The manifest is not modified.
  assert.equal((ds.value as any).spec.template.spec.hostnameOverride, null);
});

test('the pod the controller creates: a null in a label selector or in userAnnotations is the empty string, as in any map of strings', () => {
  // matchLabels and userAnnotations are map[string]string: Go decodes {app: null} to {app: ""}, a selector
  // that still asks for the label (left out, the selector would match every pod).
  const ds = dsFromYaml(`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata:
      labels: {app: agent}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - topologyKey: kubernetes.io/hostname
            labelSelector: {matchLabels: {app: null}}
            namespaceSelector: {matchLabels: {team: null}}
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {tier: null}}}
      dnsConfig:
        options: [{name: ndots, value: null}]
      volumes:
      - name: cert
        projected:
          sources:
          - podCertificate: {signerName: example.com/s, keyType: ED25519, credentialBundlePath: c.pem, userAnnotations: {owner: null}}
      containers:
      - name: agent
        image: agent:1
`);
  const pod = newDaemonPod(ds, 'n1', undefined, { featureGates: { PodCertificateRequest: true } }) as any;
  const term = pod.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
  assert.deepEqual(term.labelSelector, { matchLabels: { app: '' } });
  assert.deepEqual(term.namespaceSelector, { matchLabels: { team: '' } });
  assert.deepEqual(pod.spec.topologySpreadConstraints[0].labelSelector, { matchLabels: { tier: '' } });
  // dnsConfig.options is a list of structs: a null value is left out, as a nil *string.
  assert.deepEqual(pod.spec.dnsConfig, { options: [{ name: 'ndots' }] });
  assert.deepEqual(pod.spec.volumes[0].projected.sources[0].podCertificate.userAnnotations, { owner: '' });
});

test('podForNode: undefined for a node the cluster does not have; template nodeName is kept', () => {
  const ds = dsObject(newDaemonSet('x', { nodeName: 'n1' }));
  const cl = cluster(newNode('n1'));
  assert.equal(podForNode(ds, cl, 'nope'), undefined);
  assert.equal((podForNode(ds, cl, 'n1') as any).spec.nodeName, 'n1');
});

test('getPodsPrefix: `<name>-` for valid names (controller_utils.go)', () => {
  assert.equal(getPodsPrefix('fluentd'), 'fluentd-');
  assert.equal(getPodsPrefix('Bad_Name'), 'Bad_Name');
});
