/**
 * Placement cost vs cluster-file parsing cost: a 10,000-node `kubectl get nodes -o yaml` dump and 50
 * DaemonSets. The goal (issue 3): placing the 50 DaemonSets over the nodes costs less than parsing the
 * file that describes them. Prints the medians of several runs and the ratio.
 */
import { parseDocument } from '../server/src/engine/model';
import { parseCluster } from '../server/src/engine/cluster';
import { placeDaemonSet } from '../server/src/engine/placement';
import type { ManifestObject } from '../server/src/engine/model';

const NODES = Number(process.env.NODES ?? 10_000);
const DAEMONSETS = 50;
const RUNS = Number(process.env.RUNS ?? 5);

/** A deterministic pseudo-random generator, so every run sees the same cluster. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const POOLS = ['general', 'memory', 'gpu', 'spot', 'system'];

/** One node as kubectl prints it (annotations, labels, taints, addresses, allocatable, capacity, conditions, nodeInfo). */
function nodeYaml(i: number, r: () => number): string {
  const pool = POOLS[i % POOLS.length];
  const zone = ZONES[i % ZONES.length];
  const name = `ip-10-${(i >> 8) & 255}-${i & 255}-${i % 7}.eu-west-1.compute.internal`;
  const taints: string[] = [];
  if (pool === 'gpu') taints.push('    - effect: NoSchedule\n      key: nvidia.com/gpu\n      value: "true"');
  if (pool === 'system') taints.push('    - effect: NoSchedule\n      key: CriticalAddonsOnly\n      value: "true"');
  if (r() < 0.01) taints.push('    - effect: NoSchedule\n      key: node.kubernetes.io/not-ready\n    - effect: NoExecute\n      key: node.kubernetes.io/not-ready\n      timeAdded: "2026-11-28T14:51:40Z"');
  const cordoned = r() < 0.02;
  if (cordoned) taints.push('    - effect: NoSchedule\n      key: node.kubernetes.io/unschedulable\n      timeAdded: "2026-11-28T13:02:17Z"');
  const cpu = [2, 4, 8, 16][i % 4];
  return `- apiVersion: v1
  kind: Node
  metadata:
    annotations:
      alpha.kubernetes.io/provided-node-ip: 10.${(i >> 8) & 255}.${i & 255}.${i % 7}
      node.alpha.kubernetes.io/ttl: "0"
      volumes.kubernetes.io/controller-managed-attach-detach: "true"
    creationTimestamp: "2026-11-02T17:21:09Z"
    labels:
      eks.amazonaws.com/capacityType: ${pool === 'spot' ? 'SPOT' : 'ON_DEMAND'}
      eks.amazonaws.com/nodegroup: ${pool}
      kubernetes.io/arch: amd64
      kubernetes.io/hostname: ${name}
      kubernetes.io/os: ${i % 50 === 0 ? 'windows' : 'linux'}
      node.kubernetes.io/instance-type: m5.${cpu}xlarge
      topology.kubernetes.io/region: eu-west-1
      topology.kubernetes.io/zone: ${zone}
      workload: ${pool}
    name: ${name}
    resourceVersion: "${5120000 + i}"
    uid: 1a2b3c4d-5e6f-4a7b-8c9d-${String(i).padStart(12, '0')}
  spec:
    providerID: aws:///${zone}/i-${(0x1000000 + i).toString(16)}${cordoned ? '\n    unschedulable: true' : ''}${taints.length ? `\n    taints:\n${taints.join('\n')}` : ''}
  status:
    addresses:
    - address: 10.${(i >> 8) & 255}.${i & 255}.${i % 7}
      type: InternalIP
    - address: ${name}
      type: Hostname
    allocatable:
      cpu: ${cpu * 1000 - 70}m
      ephemeral-storage: "76224326324"
      memory: ${cpu * 3800000}Ki
      pods: "110"
    capacity:
      cpu: "${cpu}"
      ephemeral-storage: 83873772Ki
      memory: ${cpu * 4000000}Ki
      pods: "110"
    conditions:
    - lastHeartbeatTime: "2026-11-28T14:59:20Z"
      lastTransitionTime: "2026-11-02T17:21:31Z"
      message: kubelet is posting ready status
      reason: KubeletReady
      status: "True"
      type: Ready
    nodeInfo:
      kubeletVersion: v1.35.0-eks-3a10415
      operatingSystem: linux
`;
}

function clusterYaml(): string {
  const r = rng(42);
  const parts = ['apiVersion: v1\nitems:\n'];
  for (let i = 0; i < NODES; i++) parts.push(nodeYaml(i, r));
  parts.push('kind: List\nmetadata:\n  resourceVersion: ""\n');
  return parts.join('');
}

/** 50 DaemonSets of the kinds clusters run: CNI, log/metrics agents, GPU plugins, pool-pinned agents. */
function daemonSetsYaml(): string {
  const docs: string[] = [];
  for (let i = 0; i < DAEMONSETS; i++) {
    const kind = i % 5;
    const tolerations =
      kind === 0 ? '      tolerations:\n      - operator: Exists\n' :
      kind === 1 ? '      tolerations:\n      - key: nvidia.com/gpu\n        operator: Exists\n        effect: NoSchedule\n' :
      kind === 2 ? '      tolerations:\n      - key: CriticalAddonsOnly\n        operator: Exists\n' : '';
    const placement =
      kind === 1 ? '      nodeSelector:\n        workload: gpu\n' :
      kind === 3 ? '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - {key: topology.kubernetes.io/zone, operator: In, values: [eu-west-1a, eu-west-1b]}\n              - {key: eks.amazonaws.com/capacityType, operator: NotIn, values: [SPOT]}\n' :
      '      nodeSelector:\n        kubernetes.io/os: linux\n';
    docs.push(`apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent-${i}
  namespace: kube-system
spec:
  selector:
    matchLabels: {app: agent-${i}}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 10%}
  template:
    metadata:
      labels: {app: agent-${i}}
    spec:
${kind === 0 ? '      hostNetwork: true\n' : ''}${placement}${tolerations}      containers:
      - name: agent
        image: example.com/agent:${i}
${kind === 0 ? '        ports:\n        - containerPort: 9100\n' : ''}        resources:
          requests: {cpu: ${50 + i * 10}m, memory: ${64 + i * 16}Mi}
`);
  }
  return docs.join('---\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time<T>(fn: () => T): [number, T] {
  const t0 = process.hrtime.bigint();
  const v = fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, v];
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const text = clusterYaml();
const daemonSets: ManifestObject[] = parseDocument('ds.yaml', daemonSetsYaml()).daemonSets;
console.log(`cluster file: ${NODES} nodes, ${(text.length / 1024 / 1024).toFixed(1)} MiB of YAML; ${daemonSets.length} DaemonSets`);

const parseTimes: number[] = [];
const placeTimes: number[] = [];
let placedNodes = 0;
for (let run = 0; run < RUNS; run++) {
  gc();
  const [tParse, cluster] = time(() => parseCluster(parseDocument('cluster.yaml', text)));
  const problems = [...cluster.model.findings, ...cluster.findings];
  if (cluster.nodes.length !== NODES || problems.length > 0) throw new Error(`cluster file not read cleanly: ${cluster.nodes.length} nodes; ${problems.map((f) => f.message).join('; ')}`);
  gc();
  const [tPlace, placements] = time(() => daemonSets.map((ds) => placeDaemonSet(ds, cluster, { now: new Date('2026-11-28T15:00:00Z') })));
  placedNodes = placements.reduce((n, p) => n + p.desiredNumberScheduled, 0);
  parseTimes.push(tParse);
  placeTimes.push(tPlace);
  console.log(`run ${run + 1}: parse ${tParse.toFixed(0)} ms, place ${tPlace.toFixed(0)} ms`);
}
const mParse = median(parseTimes);
const mPlace = median(placeTimes);
console.log(`median parse (parseDocument + parseCluster): ${mParse.toFixed(0)} ms`);
console.log(`median place (${DAEMONSETS} DaemonSets x ${NODES} nodes, ${placedNodes} pods placed): ${mPlace.toFixed(0)} ms`);
console.log(`place / parse = ${(mPlace / mParse).toFixed(3)} ${mPlace < mParse ? '(goal met: placement costs less than parsing)' : '(GOAL MISSED: placement costs more than parsing)'}`);
