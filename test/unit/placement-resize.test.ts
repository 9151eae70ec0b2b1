import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/model';
import { addPods, parseCluster } from '../../server/src/engine/cluster';
import { computePodResourceRequest, placeDaemonSet, type PlacementOptions, type StatusResources } from '../../server/src/engine/placement';
import { dsFromYaml } from './placement-helpers';

// One node with 2 cpu, as `kubectl get nodes -o yaml` prints it.
const NODES = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata:
    name: worker-1
    labels: {kubernetes.io/hostname: worker-1, kubernetes.io/os: linux}
  spec: {}
  status:
    allocatable: {cpu: "2", memory: 8Gi, pods: "110"}
`;

// A DaemonSet whose pod asks for 1 cpu.
const DS = dsFromYaml(`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: log-agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: log-agent}}
  template:
    metadata: {labels: {app: log-agent}}
    spec:
      containers:
      - name: agent
        image: fluent/fluent-bit:3.2
        resources:
          requests: {cpu: "1", memory: 200Mi}
`);

/** `kubectl get pods -A -o yaml` with one running pod on worker-1; `status` is the pod's status block. */
function podsFile(spec: string, status: string): string {
  return `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: api-7d4b9c-x2x8q
    namespace: shop
    creationTimestamp: "2026-03-02T09:14:07Z"
    ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: api-7d4b9c, uid: 0b6f1c7e-2f5a-4c55-9d0e-3f0b2d1b6a11, controller: true, blockOwnerDeletion: true}
  spec:
    nodeName: worker-1
${spec}
  status:
    phase: Running
    qosClass: Burstable
${status}
`;
}

const APP_SPEC = (cpu: string) => `    containers:
    - name: api
      image: registry.example.com/shop/api:2.4.1
      resizePolicy:
      - {resourceName: cpu, restartPolicy: NotRequired}
      resources:
        requests: {cpu: ${cpu}, memory: 512Mi}
        limits: {memory: 1Gi}`;

function place(pods: string, options: PlacementOptions = {}) {
  const nodes = parseCluster(parseDocument('nodes.yaml', NODES));
  const cluster = addPods(nodes, parseCluster(parseDocument('pods.yaml', pods)));
  return placeDaemonSet(DS, cluster, options).nodes[0];
}

const messages = (n: ReturnType<typeof place>) => n.reasons.map((r) => r.message);

// A resize from 1500m down to 500m cpu that the kubelet has accepted (allocatedResources follows the
// spec at once) but not yet carried out: the container still runs with 1500m (status resources).
const SCALING_DOWN = podsFile(APP_SPEC('500m'), `    conditions:
    - {type: PodResizeInProgress, status: "True", lastTransitionTime: "2026-03-02T10:01:44Z"}
    - {type: Ready, status: "True", lastTransitionTime: "2026-03-02T09:14:31Z"}
    containerStatuses:
    - name: api
      ready: true
      restartCount: 0
      started: true
      image: registry.example.com/shop/api:2.4.1
      imageID: registry.example.com/shop/api@sha256:5c1e0f3f0c2d4b9e8a7f6e5d4c3b2a19081726354453627180918273645546aa
      containerID: containerd://8f3b5d7e9a1c2b4d6f8e0a1c3b5d7f9e
      allocatedResources: {cpu: 500m, memory: 512Mi}
      resources:
        requests: {cpu: 1500m, memory: 512Mi}
        limits: {memory: 1Gi}
      state:
        running: {startedAt: "2026-03-02T09:14:29Z"}`);

test('a pod mid-resize holds what its status says it runs with, beyond its spec: the daemon pod no longer fits (1.35)', () => {
  // The spec asks 500m, the running container holds 1500m: max(spec, actuated, allocated) = 1500m.
  assert.deepEqual(messages(place(SCALING_DOWN)), ['needs 1 cpu, 500m free']);
  assert.equal(place(SCALING_DOWN).schedulable, false);
  // On by default from 1.33 (beta), locked on in 1.35.
  assert.deepEqual(messages(place(SCALING_DOWN, { kubernetesMinor: 33 })), ['needs 1 cpu, 500m free']);
  assert.deepEqual(messages(place(SCALING_DOWN, { kubernetesMinor: 35, featureGates: { InPlacePodVerticalScaling: false } })), ['needs 1 cpu, 500m free']);
  // Off by default before 1.33: the scheduler counts the spec alone, and the daemon pod fits.
  assert.equal(place(SCALING_DOWN, { kubernetesMinor: 32 }).schedulable, true);
  assert.equal(place(SCALING_DOWN, { kubernetesMinor: 34, featureGates: { InPlacePodVerticalScaling: false } }).schedulable, true);
  // 1.32 with the gate on reads `resources.requests` too (max(spec, actuated)).
  assert.deepEqual(messages(place(SCALING_DOWN, { kubernetesMinor: 32, featureGates: { InPlacePodVerticalScaling: true } })), ['needs 1 cpu, 500m free']);
  // 1.27-1.31 read `allocatedResources` only, which here equals the spec.
  assert.equal(place(SCALING_DOWN, { kubernetesMinor: 31, featureGates: { InPlacePodVerticalScaling: true } }).schedulable, true);
});

// A resize up to 3 cpu, more than the node has: the kubelet marks it Infeasible and keeps 500m.
const INFEASIBLE = podsFile(APP_SPEC('"3"'), `    conditions:
    - type: PodResizePending
      status: "True"
      reason: Infeasible
      message: 'Node didn''t have enough capacity: cpu, requested: 3000, capacity: 2000'
      lastTransitionTime: "2026-03-02T10:05:12Z"
    - {type: Ready, status: "True", lastTransitionTime: "2026-03-02T09:14:31Z"}
    containerStatuses:
    - name: api
      ready: true
      restartCount: 0
      started: true
      image: registry.example.com/shop/api:2.4.1
      imageID: registry.example.com/shop/api@sha256:5c1e0f3f0c2d4b9e8a7f6e5d4c3b2a19081726354453627180918273645546aa
      containerID: containerd://8f3b5d7e9a1c2b4d6f8e0a1c3b5d7f9e
      allocatedResources: {cpu: 500m, memory: 512Mi}
      resources:
        requests: {cpu: 500m, memory: 512Mi}
        limits: {memory: 1Gi}
      state:
        running: {startedAt: "2026-03-02T09:14:29Z"}`);

test('a pod whose spec asks more than its status allocates, the resize Infeasible: the spec is not counted and the daemon pod fits', () => {
  // determineEffectiveRequests: an infeasible resize counts max(actuated, allocated) = 500m.
  const n = place(INFEASIBLE);
  assert.equal(n.schedulable, true);
  assert.deepEqual(n.reasons, []);
  // Spec only (gate off before 1.33), the 3 cpu the spec asks leave nothing.
  assert.deepEqual(messages(place(INFEASIBLE, { kubernetesMinor: 32 })), ['needs 1 cpu, 0 free']);
});

test('the same resize only Deferred (or only asked for): the larger spec counts', () => {
  const deferred = INFEASIBLE.replace('reason: Infeasible', 'reason: Deferred');
  assert.deepEqual(messages(place(deferred)), ['needs 1 cpu, 0 free']);
  const noCondition = INFEASIBLE.replace(/ {4}- type: PodResizePending\n(?: {6}.*\n)+/, '');
  assert.doesNotMatch(noCondition, /PodResizePending/);
  assert.deepEqual(messages(place(noCondition)), ['needs 1 cpu, 0 free']);
});

test('before 1.33 an infeasible resize was told by status.resize, and 1.27-1.31 read allocatedResources', () => {
  const legacy = INFEASIBLE.replace(/ {4}conditions:\n {4}- type: PodResizePending\n(?: {6}.*\n)+/, '    resize: Infeasible\n    conditions:\n');
  assert.match(legacy, /resize: Infeasible\n {4}conditions:\n {4}- \{type: Ready/);
  const on = (kubernetesMinor: number) => ({ kubernetesMinor, featureGates: { InPlacePodVerticalScaling: true } });
  // 1.32: the status resources alone; 1.31: allocatedResources alone.
  assert.equal(place(legacy, on(32)).schedulable, true);
  assert.equal(place(legacy, on(31)).schedulable, true);
  // From 1.33 `status.resize` is no longer read: without the condition the spec counts.
  assert.deepEqual(messages(place(legacy, on(33))), ['needs 1 cpu, 0 free']);
  // The condition is not read before 1.33.
  assert.deepEqual(messages(place(INFEASIBLE, on(32))), ['needs 1 cpu, 0 free']);
});

test('PodRequests with status resources: sidecars read their initContainerStatuses from 1.33, other init containers keep their spec', () => {
  const spec = {
    initContainers: [
      { name: 'proxy', image: 'envoy', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } },
      { name: 'migrate', image: 'm', resources: { requests: { cpu: '200m' } } },
    ],
    containers: [{ name: 'app', image: 'a', resources: { requests: { cpu: '300m' } } }],
  };
  const status = {
    initContainerStatuses: [
      { name: 'proxy', allocatedResources: { cpu: '700m' }, resources: { requests: { cpu: '700m' } } },
      { name: 'migrate', allocatedResources: { cpu: '5' }, resources: { requests: { cpu: '5' } } },
    ],
    containerStatuses: [{ name: 'app', allocatedResources: { cpu: '300m' }, resources: { requests: { cpu: '300m' } } }],
  };
  const cpu = (useStatusResources?: StatusResources) => computePodResourceRequest(spec, { useStatusResources }, status).get('cpu');
  // Spec: max(300 + 100, 200 + 100) = 400.
  assert.equal(cpu(), 400);
  // 1.33+: the sidecar holds 700m: max(300 + 700, 200 + 700) = 1000; `migrate` keeps its 200m spec.
  assert.equal(cpu('actuatedAndAllocated'), 1000);
  // 1.32 and before read no init container status.
  assert.equal(cpu('actuated'), 400);
  assert.equal(cpu('allocated'), 400);
  // A container status without `resources` is not read from 1.32 on (`cs.Resources != nil`); 1.27-1.31 read it.
  const bare = { containerStatuses: [{ name: 'app', allocatedResources: { cpu: '900m' } }] };
  assert.equal(computePodResourceRequest(spec, { useStatusResources: 'actuatedAndAllocated' }, bare).get('cpu'), 400);
  assert.equal(computePodResourceRequest(spec, { useStatusResources: 'allocated' }, bare).get('cpu'), 1000);
});

test('the cluster index is kept per setting: the same cluster placed with InPlacePodVerticalScaling on, off, then on again', () => {
  const nodes = parseCluster(parseDocument('nodes.yaml', NODES));
  const cluster = addPods(nodes, parseCluster(parseDocument('pods.yaml', SCALING_DOWN)));
  // 1.34: pod-level resources and sidecar host ports are counted either way; only the gate differs.
  const off = { kubernetesMinor: 34, featureGates: { InPlacePodVerticalScaling: false } };
  assert.equal(placeDaemonSet(DS, cluster, { kubernetesMinor: 34 }).nodes[0].schedulable, false);
  assert.equal(placeDaemonSet(DS, cluster, off).nodes[0].schedulable, true);
  assert.equal(placeDaemonSet(DS, cluster, { kubernetesMinor: 34 }).nodes[0].schedulable, false);
});

test('pod-level requests the API server defaulted from the containers keep their spec value while a container is resized', () => {
  // Pod-level limits without requests: SetDefaults_Pod copied the containers' 300m spec into the pod level.
  const spec = { containers: [{ name: 'app', image: 'a', resources: { requests: { cpu: '300m' } } }], resources: { limits: { cpu: '2' } } };
  const status = { containerStatuses: [{ name: 'app', allocatedResources: { cpu: '900m' }, resources: { requests: { cpu: '900m' } } }] };
  assert.equal(computePodResourceRequest(spec, {}, status).get('cpu'), 300);
  // The pod level replaces the aggregate (PodRequests reads no pod-level status without InPlacePodLevelResourcesVerticalScaling).
  assert.equal(computePodResourceRequest(spec, { useStatusResources: 'actuatedAndAllocated' }, status).get('cpu'), 300);
  // Without pod-level resources the resized container counts.
  assert.equal(computePodResourceRequest({ containers: spec.containers }, { useStatusResources: 'actuatedAndAllocated' }, status).get('cpu'), 900);
});
