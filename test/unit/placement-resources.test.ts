import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConflict, computePodResourceRequest, fitsRequest, getContainerPorts, placeDaemonSet } from '../../server/src/engine/placement';
import { cluster, dsFromYaml, dsObject, newDaemonSet, newNode, newPod } from './placement-helpers';

const c = (requests: Record<string, string>, extra: Record<string, unknown> = {}) => ({ name: 'c', image: 'i', resources: { requests }, ...extra });

test('computePodResourceRequest: max(sum of containers, each init container) + overhead (fit.go, resource helpers PodRequests)', () => {
  const r = computePodResourceRequest({
    containers: [c({ cpu: '100m', memory: '100Mi' }), c({ cpu: '200m' })],
    initContainers: [c({ cpu: '500m', memory: '10Mi' }), c({ memory: '300Mi' })],
    overhead: { cpu: '10m' },
  });
  assert.deepEqual(Object.fromEntries(r), { cpu: 510, memory: 300 * 2 ** 20 });
});

test('restartable (sidecar) init containers add to the sum and to later init containers', () => {
  const r = computePodResourceRequest({
    containers: [c({ cpu: '100m' })],
    initContainers: [c({ cpu: '50m' }, { restartPolicy: 'Always' }), c({ cpu: '400m' })],
  });
  // sum = 100 + 50 = 150; init max = max(50, 400 + 50) = 450.
  assert.equal(r.get('cpu'), 450);
});

test('limits without requests count as requests (SetDefaults_Pod)', () => {
  const r = computePodResourceRequest({ containers: [{ name: 'c', image: 'i', resources: { limits: { memory: '1Gi', 'nvidia.com/gpu': '1' } } }] });
  assert.deepEqual(Object.fromEntries(r), { memory: 2 ** 30, 'nvidia.com/gpu': 1 });
});

test('pod-level requests replace the aggregate of cpu, memory and huge pages only (IsSupportedPodLevelResource)', () => {
  const r = computePodResourceRequest({
    containers: [c({ cpu: '100m', memory: '100Mi', 'hugepages-2Mi': '4Mi', 'ephemeral-storage': '1Gi' })],
    resources: { requests: { cpu: '1', memory: '1Gi', 'hugepages-2Mi': '64Mi', 'ephemeral-storage': '5Gi' }, limits: { 'hugepages-2Mi': '64Mi' } },
    overhead: { cpu: '10m' },
  });
  assert.deepEqual(Object.fromEntries(r), { cpu: 1010, memory: 2 ** 30, 'hugepages-2Mi': 64 * 2 ** 20, 'ephemeral-storage': 2 ** 30 });
});

test('pod-level limits without requests: the created pod requests them where no container asks (SetDefaults_Pod defaultPodRequests)', () => {
  const r = computePodResourceRequest({
    containers: [c({ memory: '100Mi' }), { name: 'd', image: 'i' }],
    resources: { limits: { cpu: '2', memory: '1Gi', 'hugepages-2Mi': '8Mi' } },
  });
  // cpu: no container requests it, so the pod-level limit; memory: the containers' aggregate; huge pages
  // cannot be overcommitted and default to their limit.
  assert.deepEqual(Object.fromEntries(r), { cpu: 2000, memory: 100 * 2 ** 20, 'hugepages-2Mi': 8 * 2 ** 20 });
  // Requests alone are not defaulted from anything.
  assert.deepEqual(Object.fromEntries(computePodResourceRequest({ containers: [{ name: 'd', image: 'i' }], resources: { requests: { memory: '1Gi' } } })), { memory: 2 ** 30 });
});

test('fitsRequest: reasons in upstream order, equality fits, a pod asking for nothing is only checked for pod count (fit.go fitsRequest)', () => {
  const alloc = new Map([['pods', 2], ['cpu', 1000], ['memory', 100], ['example.com/dongle', 1]]);
  const node = { allocatable: alloc, requested: new Map([['cpu', 900], ['memory', 50]]), podCount: 2 };
  const want = new Map([['cpu', 200], ['memory', 60], ['example.com/dongle', 2]]);
  assert.deepEqual(fitsRequest(want, node).map((r) => r.reason), ['Too many pods', 'Insufficient cpu', 'Insufficient memory', 'Insufficient example.com/dongle']);
  assert.deepEqual(fitsRequest(new Map(), node).map((r) => r.reason), ['Too many pods']);
  assert.deepEqual(fitsRequest(new Map([['memory', 50]]), { ...node, podCount: 0 }), []);
});

test('missing allocatable is unknown, not zero; a scalar resource absent from a stated allocatable is zero', () => {
  assert.deepEqual(fitsRequest(new Map([['cpu', 100]]), { allocatable: undefined, requested: new Map(), podCount: 500 }), []);
  assert.deepEqual(fitsRequest(new Map([['cpu', 100]]), { allocatable: new Map([['memory', 1]]), requested: new Map(), podCount: 500 }), []);
  assert.deepEqual(fitsRequest(new Map([['nvidia.com/gpu', 1]]), { allocatable: new Map([['cpu', 1000]]), requested: new Map(), podCount: 0 }).map((r) => r.reason), ['Insufficient nvidia.com/gpu']);
});

test('host ports: hostNetwork defaults hostPort to containerPort; 0.0.0.0 conflicts with any IP (HostPortInfo.CheckConflict)', () => {
  const ports = getContainerPorts({ hostNetwork: true, containers: [{ name: 'c', ports: [{ containerPort: 9100 }, { containerPort: 53, protocol: 'UDP', hostIP: '10.0.0.1' }] }] });
  assert.deepEqual(ports.map((p) => `${p.ip}/${p.protocol}/${p.port}`), ['0.0.0.0/TCP/9100', '10.0.0.1/UDP/53']);
  const used = new Map([['10.0.0.2|TCP|9100', 'ns/a']]);
  assert.equal(checkConflict(used, ports[0]), 'ns/a');
  assert.equal(checkConflict(new Map([['0.0.0.0|UDP|53', 'ns/b']]), ports[1]), 'ns/b');
  assert.equal(checkConflict(new Map([['10.0.0.3|UDP|53', 'ns/b']]), ports[1]), undefined);
  assert.equal(checkConflict(new Map([['0.0.0.0|TCP|53', 'ns/b']]), ports[1]), undefined);
});

test('scheduler filters over a cluster: own pods do not count against the DaemonSet, terminal pods free their resources, ports conflict', () => {
  const ds = newDaemonSet('exporter', { hostNetwork: true, containers: [{ name: 'e', image: 'e', ports: [{ containerPort: 9100 }], resources: { requests: { cpu: '500m' } } }] });
  const node = (n: string) => newNode(n, {}, { allocatable: { cpu: '1', memory: '1Gi', pods: '110' } });
  const own = newPod('exporter-a', 'n1', { name: 'simple-daemon', type: 'production' }, ds, { spec: { hostNetwork: true, containers: [{ name: 'e', image: 'e', ports: [{ containerPort: 9100, hostPort: 9100 }], resources: { requests: { cpu: '500m' } } }] } });
  const done = newPod('job-1', 'n1', {}, undefined, { spec: { containers: [c({ cpu: '900m' })] }, status: { phase: 'Succeeded' } });
  const squatter = newPod('node-exporter-x', 'n2', {}, undefined, { metadata: { namespace: 'monitoring' }, spec: { containers: [{ name: 'x', image: 'x', ports: [{ containerPort: 9100, hostPort: 9100 }] }] } });
  const p = placeDaemonSet(dsObject(ds), cluster(node('n1'), node('n2'), own, done, squatter));
  assert.deepEqual(p.nodes.map((n) => n.schedulable), [true, false]);
  assert.equal(p.nodes[1].reasons[0].code, 'host-port-conflict');
  assert.equal(p.nodes[1].reasons[0].message, 'host port 9100/TCP is already used by pod `monitoring/node-exporter-x`');
  assert.equal(p.nodes[1].reasons[0].schedulerReason, "node(s) didn't have free ports for the requested pod ports");
});

test('too many pods and cpu in human units', () => {
  const ds = newDaemonSet('x', { containers: [c({ cpu: '250m' })] });
  const pods = [0, 1].map((i) => newPod(`p${i}`, 'n1', {}, undefined, { spec: { containers: [c({ cpu: '400m' })] } }));
  const p = placeDaemonSet(dsObject(ds), cluster(newNode('n1', {}, { allocatable: { cpu: '1', pods: '2' } }), ...pods));
  assert.deepEqual(p.nodes[0].reasons.map((r) => [r.code, r.message]), [
    ['too-many-pods', 'node allows 2 pods and already runs 2'],
    ['insufficient-resource', 'needs 250m cpu, 200m free'],
  ]);
});

test('PodResourcesOptions.SkipPodLevelResources: pod-level requests and their defaults are left out, the containers and overhead count', () => {
  const spec = { containers: [c({ cpu: '100m' })], resources: { requests: { memory: '1Gi' }, limits: { cpu: '2' } }, overhead: { cpu: '10m' } };
  assert.deepEqual(Object.fromEntries(computePodResourceRequest(spec)), { cpu: 110, memory: 2 ** 30 });
  assert.deepEqual(Object.fromEntries(computePodResourceRequest(spec, { skipPodLevelResources: true })), { cpu: 110 });
});

test('placement counts pod-level resources only where PodLevelResources is on for the target version and gates (scheduler PodRequests)', () => {
  // The containers ask for 100m; the pod level for 2 cpu, more than the node has.
  const ds = dsObject(newDaemonSet('agent', { containers: [c({ cpu: '100m' })], resources: { requests: { cpu: '2' } } }));
  const nodes = cluster(newNode('n1', {}, { allocatable: { cpu: '1', memory: '1Gi', pods: '110' } }));
  const reasons = (options: Parameters<typeof placeDaemonSet>[2]) => placeDaemonSet(ds, nodes, options).nodes[0].reasons.map((r) => r.message);
  const pending = ['needs 2 cpu, 1 free'];
  assert.deepEqual(reasons({}), pending, 'the default target, 1.35: on');
  assert.deepEqual(reasons({ kubernetesMinor: 34 }), pending, 'on by default from 1.34');
  assert.deepEqual(reasons({ kubernetesMinor: 33 }), [], 'off by default in 1.33: only the containers count');
  assert.deepEqual(reasons({ kubernetesMinor: 33, featureGates: { PodLevelResources: true } }), pending, 'alpha 1.32-1.33, turned on');
  assert.deepEqual(reasons({ kubernetesMinor: 35, featureGates: { PodLevelResources: false } }), [], 'beta, turned off');
  assert.deepEqual(reasons({ kubernetesMinor: 31, featureGates: { PodLevelResources: true } }), [], 'before the gate exists');
});

test('with PodLevelResources off, the pod-level requests of the pods already on a node are not counted either (NodeInfo)', () => {
  const ds = dsObject(newDaemonSet('agent', { containers: [c({ cpu: '500m' })] }));
  // A pod whose containers ask for 100m, its pod level for 900m: the daemon pod fits only if the pod level is skipped.
  const squatter = newPod('app', 'n1', {}, undefined, { spec: { containers: [c({ cpu: '100m' })], resources: { requests: { cpu: '900m' } } } });
  const nodes = cluster(newNode('n1', {}, { allocatable: { cpu: '1', memory: '1Gi', pods: '110' } }), squatter);
  assert.deepEqual(placeDaemonSet(ds, nodes, { kubernetesMinor: 35 }).nodes[0].reasons.map((r) => r.message), ['needs 500m cpu, 100m free']);
  assert.deepEqual(placeDaemonSet(ds, nodes, { kubernetesMinor: 33 }).nodes[0].reasons, []);
  // The same cluster placed again at 1.35 still counts them: one index per setting.
  assert.deepEqual(placeDaemonSet(ds, nodes, { kubernetesMinor: 35 }).nodes[0].reasons.map((r) => r.message), ['needs 500m cpu, 100m free']);
});

test('an insufficient resource points at the field that asks for it: the pod level where it replaces the containers', () => {
  const text = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      resources:
        requests: {cpu: "2"}
        limits: {memory: 2Gi, hugepages-2Mi: 4Mi}
      containers:
      - name: c
        image: i
        resources:
          requests: {cpu: 100m, memory: 2Gi}
`;
  const ds = dsFromYaml(text);
  const nodes = cluster(newNode('n1', {}, { allocatable: { cpu: '1', memory: '1Gi', pods: '110' } }));
  const where = (options: Parameters<typeof placeDaemonSet>[2]) => Object.fromEntries(placeDaemonSet(ds, nodes, options).nodes[0].reasons.map((r) => {
    const line = text.slice(text.lastIndexOf('\n', r.span!.start) + 1, text.indexOf('\n', r.span!.start));
    return [r.message.split(',')[0], `${line.trim()} @${r.span!.start - text.lastIndexOf('\n', r.span!.start) - 1}`];
  }));
  // cpu: the pod-level request; memory: the containers' (a pod-level limit does not replace what a
  // container asks); huge pages: the pod-level limit, which always stands for the request.
  assert.deepEqual(where({ kubernetesMinor: 35 }), {
    'needs 2 cpu': 'requests: {cpu: "2"} @8',
    'needs 2Gi memory': 'requests: {cpu: 100m, memory: 2Gi} @10',
    'needs 4Mi hugepages-2Mi': 'limits: {memory: 2Gi, hugepages-2Mi: 4Mi} @8',
  });
  // PodLevelResources off (1.33): only the containers count, and are pointed at.
  assert.deepEqual(where({ kubernetesMinor: 33 }), { 'needs 2Gi memory': 'requests: {cpu: 100m, memory: 2Gi} @10' });
});

test('host ports of restartable (sidecar) init containers count, on both sides; other init containers do not (scheduler util GetHostPorts)', () => {
  const sidecar = (port: number, extra: Record<string, unknown> = {}) => ({ name: `s${port}`, image: 's', restartPolicy: 'Always', ports: [{ containerPort: port }], ...extra });
  // hostNetwork: SetDefaults_Pod gives init containers hostPort = containerPort too.
  const ports = getContainerPorts({ hostNetwork: true, initContainers: [sidecar(9100), { name: 'setup', image: 'x', ports: [{ containerPort: 9200 }] }], containers: [{ name: 'c', ports: [{ containerPort: 9300 }] }] });
  assert.deepEqual(ports.map((p) => `${p.port}@${p.at.join('.')}`), ['9100@initContainers.0.0', '9300@containers.0.0']);

  const node = newNode('n1', {}, { allocatable: { cpu: '1', memory: '1Gi', pods: '110' } });
  // The daemon pod's sidecar binds 9100 on the host; another workload's main container already does.
  const ds = newDaemonSet('agent', { hostNetwork: true, initContainers: [sidecar(9100)] });
  const squatter = newPod('exporter', 'n1', {}, undefined, { spec: { containers: [{ name: 'x', image: 'x', ports: [{ containerPort: 9100, hostPort: 9100 }] }] } });
  const p = placeDaemonSet(dsObject(ds), cluster(node, squatter));
  assert.deepEqual(p.nodes[0].reasons.map((r) => [r.code, r.message]), [['host-port-conflict', 'host port 9100/TCP is already used by pod `default/exporter`']]);
  assert.equal(p.nodes[0].schedulable, false);
  // The other way round: the pod already there binds the port from its sidecar.
  const ds2 = newDaemonSet('agent', { hostNetwork: true, containers: [{ name: 'a', image: 'a', ports: [{ containerPort: 9100 }] }] });
  const mesh = newPod('mesh', 'n1', {}, undefined, { spec: { hostNetwork: true, initContainers: [sidecar(9100, { ports: [{ containerPort: 9100, hostPort: 9100 }] })] } });
  assert.equal(placeDaemonSet(dsObject(ds2), cluster(node, mesh)).nodes[0].schedulable, false);
  // Before kubernetes#132040 (1.33 patch releases, 1.34) the scheduler saw only `containers`.
  assert.equal(placeDaemonSet(dsObject(ds), cluster(node, squatter), { kubernetesMinor: 32 }).nodes[0].schedulable, true);
  assert.equal(placeDaemonSet(dsObject(ds2), cluster(node, mesh), { kubernetesMinor: 32 }).nodes[0].schedulable, true);
});

test('a host port conflict of a sidecar points at its hostPort in initContainers', () => {
  const text = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      initContainers:
      - name: proxy
        image: p
        restartPolicy: Always
        ports:
        - containerPort: 15001
          hostPort: 15001
      containers:
      - {name: a, image: a}
`;
  const squatter = newPod('other', 'n1', {}, undefined, { spec: { containers: [{ name: 'x', image: 'x', ports: [{ containerPort: 15001, hostPort: 15001 }] }] } });
  const p = placeDaemonSet(dsFromYaml(text), cluster(newNode('n1'), squatter));
  const span = p.nodes[0].reasons[0].span!;
  assert.equal(text.slice(span.start, span.end).startsWith('hostPort'), true, text.slice(span.start, span.end));
});
