import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { nodeIO } from '../../server/src/cli/common';
import { runPod } from '../../server/src/cli/pod';
import { newDaemonPod, newDaemonPodOf, podForNode } from '../../server/src/engine/placement';
import { podForNodeYaml } from '../../server/src/handlers/placement';
import { cluster, dsObject, newDaemonSet, newNode } from './placement-helpers';

// The pod shown is the template the API server stores: pkg/api/pod/util.go DropDisabledTemplateFields
// on create (no old object), then the controller's copy.

type Obj = Record<string, any>;
type Target = { kubernetesMinor: number; featureGates?: Record<string, boolean> };

function podSpec(spec: Obj, target: Target): Obj {
  return (newDaemonPod(dsObject(newDaemonSet('agent', spec)), 'n1', undefined, target) as Obj).spec;
}

const container = (extra: Obj = {}): Obj => ({ name: 'agent', image: 'agent:1', ...extra });

test('pod-level resources: dropped without PodLevelResources (1.33), kept with the gate or from 1.34', () => {
  const spec = { resources: { limits: { cpu: '1' } } };
  assert.equal(podSpec(spec, { kubernetesMinor: 33 }).resources, undefined);
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 33, featureGates: { PodLevelResources: true } }).resources, spec.resources);
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 34 }).resources, spec.resources);
  assert.equal(podSpec(spec, { kubernetesMinor: 34, featureGates: { PodLevelResources: false } }).resources, undefined);
});

test('hostnameOverride: dropped in 1.34 (HostnameOverride off), kept in 1.35 or with the gate', () => {
  const spec = { hostnameOverride: 'agent-host' };
  assert.equal(podSpec(spec, { kubernetesMinor: 34 }).hostnameOverride, undefined);
  assert.equal(podSpec(spec, { kubernetesMinor: 34, featureGates: { HostnameOverride: true } }).hostnameOverride, 'agent-host');
  assert.equal(podSpec(spec, { kubernetesMinor: 35 }).hostnameOverride, 'agent-host');
});

test('image volumes: dropped with their mounts while ImageVolume is off (1.34), the other volumes and mounts kept', () => {
  const spec = {
    volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }, { name: 'tools', image: { reference: 'tools:1' } }],
    initContainers: [container({ name: 'init', volumeMounts: [{ name: 'tools', mountPath: '/tools' }] })],
    containers: [container({ volumeMounts: [{ name: 'tools', mountPath: '/tools' }, { name: 'cfg', mountPath: '/cfg' }] })],
  };
  const off = podSpec(spec, { kubernetesMinor: 34 });
  assert.deepEqual(off.volumes, [{ name: 'cfg', configMap: { name: 'cfg' } }]);
  assert.deepEqual(off.containers[0].volumeMounts, [{ name: 'cfg', mountPath: '/cfg' }]);
  // A list left empty is nil, so omitted.
  assert.equal('volumeMounts' in off.initContainers[0], false);
  const on = podSpec(spec, { kubernetesMinor: 35 });
  assert.deepEqual(on.volumes, spec.volumes);
  assert.deepEqual(on.containers[0].volumeMounts, spec.containers[0].volumeMounts);
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 34, featureGates: { ImageVolume: true } }).initContainers[0].volumeMounts, spec.initContainers[0].volumeMounts);
});

test('clusterTrustBundle and podCertificate projected sources: emptied while their gates are off (1.35 default), kept with them', () => {
  const sources = [
    { clusterTrustBundle: { signerName: 'example.com/signer', path: 'ca.pem' } },
    { podCertificate: { signerName: 'example.com/signer', keyType: 'ED25519', credentialBundlePath: 'creds.pem' } },
    { configMap: { name: 'cfg' } },
  ];
  const spec = { volumes: [{ name: 'certs', projected: { sources } }] };
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 35 }).volumes[0].projected.sources, [{}, {}, { configMap: { name: 'cfg' } }]);
  const gates = { ClusterTrustBundleProjection: true, PodCertificateRequest: true };
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 35, featureGates: gates }).volumes[0].projected.sources, sources);
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 35, featureGates: { PodCertificateRequest: true } }).volumes[0].projected.sources, [{}, sources[1], sources[2]]);
});

test('container restartPolicy and restartPolicyRules: dropContainerRestartRules in 1.34 (ContainerRestartRules off); kept in 1.35, and before the gate exists', () => {
  const rules = [{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }];
  const spec = {
    initContainers: [
      container({ name: 'sidecar', restartPolicy: 'Always' }),
      container({ name: 'once', restartPolicy: 'OnFailure', restartPolicyRules: rules }),
    ],
    containers: [container({ restartPolicy: 'Never', restartPolicyRules: rules })],
  };
  const off = podSpec(spec, { kubernetesMinor: 34 });
  assert.equal(off.initContainers[0].restartPolicy, 'Always');
  assert.equal(off.initContainers[1].restartPolicy, undefined);
  assert.equal(off.initContainers[1].restartPolicyRules, undefined);
  assert.equal(off.containers[0].restartPolicy, undefined);
  assert.equal(off.containers[0].restartPolicyRules, undefined);
  for (const target of [{ kubernetesMinor: 35 }, { kubernetesMinor: 34, featureGates: { ContainerRestartRules: true } }, { kubernetesMinor: 33 }]) {
    const on = podSpec(spec, target);
    assert.equal(on.containers[0].restartPolicy, 'Never', `minor ${target.kubernetesMinor}`);
    assert.deepEqual(on.containers[0].restartPolicyRules, rules);
    assert.equal(on.initContainers[1].restartPolicy, 'OnFailure');
  }
});

test('an init container restartPolicy: dropped without SidecarContainers (1.28), kept from 1.29', () => {
  const spec = { initContainers: [container({ name: 'sidecar', restartPolicy: 'Always' })] };
  assert.equal(podSpec(spec, { kubernetesMinor: 28 }).initContainers[0].restartPolicy, undefined);
  assert.equal(podSpec(spec, { kubernetesMinor: 29 }).initContainers[0].restartPolicy, 'Always');
});

test('recursiveReadOnly: dropped with RecursiveReadOnlyMounts off (1.32 with the gate false), kept by default and once locked on (1.33)', () => {
  const spec = { containers: [container({ volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true, recursiveReadOnly: 'Enabled' }] })] };
  const off = podSpec(spec, { kubernetesMinor: 32, featureGates: { RecursiveReadOnlyMounts: false } });
  assert.deepEqual(off.containers[0].volumeMounts, [{ name: 'data', mountPath: '/data', readOnly: true }]);
  assert.equal(podSpec(spec, { kubernetesMinor: 32 }).containers[0].volumeMounts[0].recursiveReadOnly, 'Enabled');
  assert.equal(podSpec(spec, { kubernetesMinor: 33, featureGates: { RecursiveReadOnlyMounts: false } }).containers[0].volumeMounts[0].recursiveReadOnly, 'Enabled');
});

test('workloadRef: dropped without GenericWorkload (1.35 default), kept with it', () => {
  const spec = { workloadRef: { name: 'w', podGroup: 'g' } };
  assert.equal(podSpec(spec, { kubernetesMinor: 35 }).workloadRef, undefined);
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 35, featureGates: { GenericWorkload: true } }).workloadRef, spec.workloadRef);
});

test('pod security context: hostUsers, supplementalGroupsPolicy and seLinuxChangePolicy dropped in 1.32, kept in 1.33', () => {
  const securityContext = { runAsUser: 1000, hostUsers: false, supplementalGroupsPolicy: 'Strict', seLinuxChangePolicy: 'MountOption' };
  assert.deepEqual(podSpec({ securityContext }, { kubernetesMinor: 32 }).securityContext, { runAsUser: 1000 });
  assert.deepEqual(podSpec({ securityContext }, { kubernetesMinor: 33 }).securityContext, securityContext);
});

test('procMount: reset to Default without ProcMountType (1.32), kept from 1.33', () => {
  const spec = { containers: [container({ securityContext: { procMount: 'Unmasked' } })] };
  assert.equal(podSpec(spec, { kubernetesMinor: 32 }).containers[0].securityContext.procMount, 'Default');
  assert.equal(podSpec(spec, { kubernetesMinor: 33 }).containers[0].securityContext.procMount, 'Unmasked');
});

test('resizePolicy: dropped without InPlacePodVerticalScaling (1.32), kept from 1.33', () => {
  const spec = { containers: [container({ resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] })] };
  assert.equal(podSpec(spec, { kubernetesMinor: 32 }).containers[0].resizePolicy, undefined);
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 33 }).containers[0].resizePolicy, spec.containers[0].resizePolicy);
});

test('lifecycle stopSignal: dropped without ContainerStopSignals (1.35 default), the lifecycle with it when nothing else is left', () => {
  const preStop = { exec: { command: ['stop'] } };
  const spec = {
    os: { name: 'linux' },
    containers: [container({ lifecycle: { stopSignal: 'SIGUSR1' } }), container({ name: 'b', lifecycle: { preStop, stopSignal: 'SIGUSR1' } })],
  };
  const off = podSpec(spec, { kubernetesMinor: 35 });
  assert.equal('lifecycle' in off.containers[0], false);
  assert.deepEqual(off.containers[1].lifecycle, { preStop });
  assert.equal(podSpec(spec, { kubernetesMinor: 35, featureGates: { ContainerStopSignals: true } }).containers[0].lifecycle.stopSignal, 'SIGUSR1');
});

test('lifecycle sleep: dropped without PodLifecycleSleepAction (1.29), with a hook that has no other action; kept from 1.30', () => {
  const spec = {
    containers: [
      container({ lifecycle: { preStop: { sleep: { seconds: 5 } } } }),
      container({ name: 'b', lifecycle: { preStop: { sleep: { seconds: 5 }, exec: { command: ['stop'] } }, postStart: { sleep: { seconds: 1 } } } }),
    ],
  };
  const off = podSpec(spec, { kubernetesMinor: 29 });
  assert.equal('lifecycle' in off.containers[0], false);
  assert.deepEqual(off.containers[1].lifecycle, { preStop: { exec: { command: ['stop'] } } });
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 30 }).containers[1].lifecycle, spec.containers[1].lifecycle);
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 29, featureGates: { PodLifecycleSleepAction: true } }).containers[0].lifecycle, spec.containers[0].lifecycle);
});

test('env fileKeyRef: dropped without EnvFiles (1.34), valueFrom left empty; kept in 1.35', () => {
  const env = [{ name: 'TOKEN', valueFrom: { fileKeyRef: { volumeName: 'cfg', path: 'env', key: 'TOKEN' } } }];
  const spec = { containers: [container({ env })] };
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 34 }).containers[0].env, [{ name: 'TOKEN', valueFrom: {} }]);
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 35 }).containers[0].env, env);
});

test('topology spread: matchLabelKeys dropped before MatchLabelKeysInPodTopologySpread is on (1.26), node inclusion policies while theirs is off (1.27 with the gate false)', () => {
  const tsc = { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', matchLabelKeys: ['app'], nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Honor' };
  const spec = { topologySpreadConstraints: [tsc] };
  assert.equal(podSpec(spec, { kubernetesMinor: 26 }).topologySpreadConstraints[0].matchLabelKeys, undefined);
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 27 }).topologySpreadConstraints[0], tsc);
  const { nodeAffinityPolicy, nodeTaintsPolicy, ...rest } = tsc;
  void nodeAffinityPolicy;
  void nodeTaintsPolicy;
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 27, featureGates: { NodeInclusionPolicyInPodTopologySpread: false } }).topologySpreadConstraints[0], rest);
});

test('newDaemonPodOf lists what it dropped; the manifest is left as written', () => {
  const ds = dsObject(newDaemonSet('agent', { hostnameOverride: 'h', resources: { limits: { cpu: '1' } }, containers: [container({ securityContext: { procMount: 'Unmasked' } })] }));
  const { dropped } = newDaemonPodOf(ds, 'n1', { kubernetesMinor: 32 });
  assert.deepEqual(dropped.map((d) => [d.path.join('.'), d.gate, d.forcedTo]), [
    ['spec.resources', 'PodLevelResources', undefined],
    ['spec.containers.0.securityContext.procMount', 'ProcMountType', 'Default'],
    ['spec.hostnameOverride', 'HostnameOverride', undefined],
  ]);
  const tpl = (ds.value as Obj).spec.template.spec;
  assert.equal(tpl.hostnameOverride, 'h');
  assert.equal(tpl.containers[0].securityContext.procMount, 'Unmasked');
  // podForNode applies the placement options' target.
  assert.equal((podForNode(ds, cluster(newNode('n1')), 'n1', { kubernetesMinor: 34 }) as Obj).spec.hostnameOverride, undefined);
  assert.equal((podForNode(ds, cluster(newNode('n1')), 'n1', { kubernetesMinor: 35 }) as Obj).spec.hostnameOverride, 'h');
});

test('the preview\'s pod leaves out the dropped fields for the target and says why', () => {
  const ds = dsObject(newDaemonSet('agent', { hostnameOverride: 'agent-host' }));
  const c = cluster(newNode('n1'));
  const old = podForNodeYaml(ds, 'n1', c, undefined, undefined, { kubernetesMinor: 34, featureGates: {} });
  assert.equal((parseYaml(old.yaml) as Obj).spec.hostnameOverride, undefined);
  assert.match(old.yaml, /^# The API server drops the fields whose feature gate is off in Kubernetes 1\.34 from the stored template, so the pod lacks: spec\.hostnameOverride \(HostnameOverride\)\.$/m);
  const current = podForNodeYaml(ds, 'n1', c, undefined, undefined, { kubernetesMinor: 35, featureGates: {} });
  assert.equal((parseYaml(current.yaml) as Obj).spec.hostnameOverride, 'agent-host');
  assert.doesNotMatch(current.yaml, /drops the fields/);
});

test('daemonset-lens pod leaves out the dropped fields for --kubernetes-version and --feature-gates, with a note', async () => {
  const manifest = stringify(newDaemonSet('agent', { hostnameOverride: 'agent-host' }));
  const run = async (argv: string[]) => {
    let out = '';
    let err = '';
    const io = nodeIO({ cwd: join(__dirname, '..', 'fixtures'), stdout: (t) => void (out += t), stderr: (t) => void (err += t), readStdin: async () => new TextEncoder().encode(manifest) });
    const code = await runPod(['--cluster', 'placement/seed-cluster.yaml', '--node', 'worker-1', ...argv, '-'], io);
    return { code, out, err };
  };
  const old = await run(['--kubernetes-version', '1.34']);
  assert.equal(old.code, 0);
  assert.equal((parseYaml(old.out) as Obj).spec.hostnameOverride, undefined);
  assert.match(old.err, /^daemonset-lens pod: note: The API server drops the fields whose feature gate is off in Kubernetes 1\.34 from the stored template, so the pod lacks: spec\.hostnameOverride \(HostnameOverride\)\.$/m);
  const gated = await run(['--kubernetes-version', '1.34', '--feature-gates', 'HostnameOverride=true']);
  assert.equal((parseYaml(gated.out) as Obj).spec.hostnameOverride, 'agent-host');
  assert.doesNotMatch(gated.err, /drops the fields/);
  assert.equal((parseYaml((await run([])).out) as Obj).spec.hostnameOverride, 'agent-host');
});

test('resource claims: dropped without DynamicResourceAllocation (1.33 default, 1.34 with the gate false), kept from 1.34 and once locked on (1.35)', () => {
  const spec = {
    resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'gpu' }],
    initContainers: [container({ name: 'init', resources: { claims: [{ name: 'gpu' }] } })],
    containers: [container({ resources: { limits: { cpu: '1' }, claims: [{ name: 'gpu' }] } })],
  };
  const off = podSpec(spec, { kubernetesMinor: 33 });
  assert.equal(off.resourceClaims, undefined);
  // The containers' resources stay, without their claims (Resources is not a pointer).
  assert.deepEqual(off.initContainers[0].resources, {});
  assert.deepEqual(off.containers[0].resources, { limits: { cpu: '1' } });
  assert.equal(podSpec(spec, { kubernetesMinor: 34, featureGates: { DynamicResourceAllocation: false } }).resourceClaims, undefined);
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 33, featureGates: { DynamicResourceAllocation: true } }).resourceClaims, spec.resourceClaims);
  const on = podSpec(spec, { kubernetesMinor: 34 });
  assert.deepEqual(on.resourceClaims, spec.resourceClaims);
  assert.deepEqual(on.containers[0].resources, spec.containers[0].resources);
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 35, featureGates: { DynamicResourceAllocation: false } }).resourceClaims, spec.resourceClaims);
});

test('pod (anti-)affinity matchLabelKeys and mismatchLabelKeys: dropped without MatchLabelKeysInPodAffinity (1.30), kept from 1.31', () => {
  const term = { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'agent' } }, matchLabelKeys: ['pod-template-hash'], mismatchLabelKeys: ['tenant'] };
  const spec = {
    affinity: {
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: term }] },
    },
  };
  const { topologyKey, labelSelector } = term;
  const off = podSpec(spec, { kubernetesMinor: 30 });
  assert.deepEqual(off.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution, [{ topologyKey, labelSelector }]);
  assert.deepEqual(off.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution, [{ weight: 1, podAffinityTerm: { topologyKey, labelSelector } }]);
  const on = podSpec(spec, { kubernetesMinor: 31 });
  assert.deepEqual(on.affinity.podAffinity, spec.affinity.podAffinity);
  assert.deepEqual(on.affinity.podAntiAffinity, spec.affinity.podAntiAffinity);
  assert.deepEqual(podSpec(spec, { kubernetesMinor: 33, featureGates: { MatchLabelKeysInPodAffinity: false } }).affinity.podAffinity, spec.affinity.podAffinity);
});
