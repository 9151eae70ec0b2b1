/** Builders shared by the placement tests, shaped like upstream's test helpers (newNode, newDaemonSet, newPod). */
import { parseDocument, type ManifestObject } from '../../server/src/engine/model';
import { parseCluster } from '../../server/src/engine/cluster';
import type { ClusterModel, ClusterNode } from '../../server/src/engine/placement';

export const simpleDaemonSetLabel = { name: 'simple-daemon', type: 'production' };
export const simpleDaemonSetLabel2 = { name: 'simple-daemon', type: 'test' };
export const simpleNodeLabel = { color: 'blue', speed: 'fast' };

type Obj = Record<string, unknown>;

/** daemon_controller_test.go newDaemonSet: selector and template labels simpleDaemonSetLabel, one container. */
export function newDaemonSet(name: string, podSpec: Obj = {}, extra: { spec?: Obj; metadata?: Obj } = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default', ...(extra.metadata ?? {}) },
    spec: {
      selector: { matchLabels: simpleDaemonSetLabel },
      template: {
        metadata: { labels: simpleDaemonSetLabel },
        spec: { containers: [{ name: 'foo', image: 'foo/bar' }], ...podSpec },
      },
      ...(extra.spec ?? {}),
    },
  };
}

/** A ManifestObject for a DaemonSet given as data (JSON is YAML). */
export function dsObject(ds: Obj): ManifestObject {
  const m = parseDocument('ds.yaml', JSON.stringify(ds, null, 2));
  if (m.daemonSets.length !== 1) throw new Error('expected one DaemonSet');
  return m.daemonSets[0];
}

/** A ManifestObject for a DaemonSet given as YAML text. */
export function dsFromYaml(text: string): ManifestObject {
  return parseDocument('ds.yaml', text).daemonSets[0];
}

/** newNode: labels; allocatable as in allocatableResources(memory, cpu) with 100 pods when given. */
export function newNode(name: string, labels: Record<string, string> = {}, opts: { taints?: Obj[]; unschedulable?: boolean; allocatable?: Obj; conditions?: Obj[] } = {}): Obj {
  const node: Obj = { apiVersion: 'v1', kind: 'Node', metadata: { name, labels } };
  const spec: Obj = {};
  if (opts.taints) spec.taints = opts.taints;
  if (opts.unschedulable) spec.unschedulable = true;
  node.spec = spec;
  const status: Obj = {};
  if (opts.allocatable) status.allocatable = opts.allocatable;
  if (opts.conditions) status.conditions = opts.conditions;
  node.status = status;
  return node;
}

/** allocatableResources(memory, cpu): as upstream, with pods 100. */
export function allocatableResources(memory: string, cpu: string): Obj {
  return { memory, cpu, pods: '100' };
}

/** newPod(name, nodeName, labels, ds): a pod bound to nodeName, owned by ds when given. */
export function newPod(name: string, nodeName: string, labels: Record<string, string>, ds?: Obj, extra: { metadata?: Obj; spec?: Obj; status?: Obj } = {}): Obj {
  const meta: Obj = { name, namespace: 'default', labels, ...(extra.metadata ?? {}) };
  if (ds) {
    const dsMeta = ds.metadata as Obj;
    meta.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: dsMeta.name, controller: true, blockOwnerDeletion: true }];
  }
  const spec: Obj = { containers: [{ name: 'foo', image: 'foo/bar' }], ...(extra.spec ?? {}) };
  if (nodeName) spec.nodeName = nodeName;
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec, status: { phase: 'Running', ...(extra.status ?? {}) } };
}

/** A cluster from node and pod objects, as a `kubectl get -o json` List. */
export function cluster(...objects: Obj[]): ClusterModel {
  return parseCluster(parseDocument('cluster.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)));
}

/** The ClusterNode of a one-node cluster. */
export function clusterNode(node: Obj): ClusterNode {
  return cluster(node).nodes[0];
}

/** resourcePodSpec(nodeName, memory, cpu): one container with requests. */
export function resourcePodSpec(nodeName: string, memory: string, cpu: string): Obj {
  const spec: Obj = { containers: [{ name: 'foo', image: 'foo/bar', resources: { requests: { memory, cpu } } }] };
  if (nodeName) spec.nodeName = nodeName;
  return spec;
}

export const markPodReady = (since = '2026-01-01T00:00:00Z'): Obj => ({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] });
