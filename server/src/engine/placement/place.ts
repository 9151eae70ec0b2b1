/**
 * DaemonSets over a cluster: the controller's verdict per node (NodeShouldRunDaemonPod), the scheduler
 * filters that still apply (NodePorts, NodeResourcesFit), the kubelet's admission of the pod's OS,
 * one reconcile pass (manage) and the rolling-update numbers. The cluster is indexed once (per node: taints, labels, allocatable, what
 * its pods already use), each DaemonSet compiled once; then every node costs a few loops.
 */
import type { ManifestObject } from '../model';
import { formatQuantity } from '../quantity';
import { admissionReasons } from './admission';
import { compileDaemonSet, type CompiledDaemonSet } from './compile';
import { explainNotes, explainShouldRun, nodeShouldRunDaemonPod, NONE } from './controller';
import { addHostPort, checkConflict, computePodResourceRequest, fitsRequest, getContainerPorts, readResourceList, statusResourcesFor, type HostPort, type HostPortInfo, type HostPortOptions, type PodResourcesOptions, type ResourceList } from './resources';
import { HighestUserDefinablePriority, PreemptNever, resolvePodPriority, selectVictimsOnNode, type ResolvedPriority } from './preemption';
import { getNodesToDaemonPods, getUnscheduledPodsWithoutNode, podsShouldBeOnNode, specNodeName, type NodePlan } from './sync';
import { rollingUpdateSummary } from './update';
import { rollingUpdate, type RollingUpdatePlan } from './rollingUpdate';
import { createPodTemplate, getPodsPrefix, newDaemonPodOf, templateGeneration } from './daemonPod';
import { runtimeClassAdmission, runtimeClassRejectionReason, runtimeClassSelectorReasons, withRuntimeClass, withRuntimeClassTolerationNote } from './runtimeClass';
import type { ClusterModel, ClusterNode, ClusterPod, DaemonSetPlacement, NodeVerdict, PlacementOptions, Preemption, Reason } from './types';
import { isPlainObject } from '../model';

/** A node with what the scheduler cache would know about it. */
export interface IndexedNode {
  node: ClusterNode;
  allocatable?: ResourceList;
  /** Sum of the requests of the non-terminal pods bound to the node. */
  requested: ResourceList;
  podCount: number;
  /** Host ports in use → the pods (`ns/name`) using them. */
  ports: HostPortInfo;
  /** Non-terminal pods bound to the node. */
  pods: ClusterPod[];
}

export interface ClusterIndex {
  nodes: IndexedNode[];
  byName: Map<string, IndexedNode>;
  nodeNames: Set<string>;
  podRequests: Map<ClusterPod, ResourceList>;
  /** Host ports of the bound pods that use any. */
  podPorts: Map<ClusterPod, HostPort[]>;
}

const NOTHING: Readonly<NodePlan> = Object.freeze({ create: false, delete: NONE as string[] });

/** Per ClusterModel object, its index per setting (pod-level resources skipped, status resources read, sidecar host ports counted). */
const indexCache = new WeakMap<ClusterModel, Map<string, ClusterIndex>>();

const podKey = (p: ClusterPod) => `${p.namespace}/${p.name}`;

/**
 * Indexes a cluster once (cached per ClusterModel object and `opts`). The requests of its pods are
 * counted as the scheduler's cache counts them (NodeInfo, PodRequests with the same
 * SkipPodLevelResources as the pod being scheduled, and UseStatusResources: a pod resized in place
 * holds the larger of what its spec asks and what its status says is allocated), and their host ports
 * as GetHostPorts lists them.
 */
export function indexCluster(cluster: ClusterModel, opts: PodResourcesOptions & HostPortOptions = {}): ClusterIndex {
  const skip = !!opts.skipPodLevelResources;
  const sidecarHostPorts = opts.sidecarHostPorts ?? true;
  const useStatusResources = opts.useStatusResources;
  const key = `${skip}|${useStatusResources ?? ''}|${sidecarHostPorts}`;
  let byOpts = indexCache.get(cluster);
  const hit = byOpts?.get(key);
  if (hit) return hit;
  const nodes: IndexedNode[] = [];
  const byName = new Map<string, IndexedNode>();
  for (const node of cluster.nodes) {
    const n: IndexedNode = { node, allocatable: node.allocatable ? readResourceList(node.allocatable) : undefined, requested: new Map(), podCount: 0, ports: new Map(), pods: [] };
    nodes.push(n);
    byName.set(node.name, n);
  }
  const podRequests = new Map<ClusterPod, ResourceList>();
  const podPorts = new Map<ClusterPod, HostPort[]>();
  for (const pod of cluster.pods) {
    // The scheduler cache holds bound pods; terminal ones no longer take resources.
    if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    const n = byName.get(specNodeName(pod));
    if (!n) continue;
    const spec = isPlainObject(pod.value.spec) ? pod.value.spec : {};
    const status = isPlainObject(pod.value.status) ? pod.value.status : undefined;
    const req = computePodResourceRequest(spec, { skipPodLevelResources: skip, useStatusResources }, status);
    podRequests.set(pod, req);
    for (const [k, v] of req) n.requested.set(k, (n.requested.get(k) ?? 0) + v);
    n.podCount++;
    n.pods.push(pod);
    const ports = getContainerPorts(spec, { sidecarHostPorts });
    if (ports.length > 0) podPorts.set(pod, ports);
    for (const p of ports) addHostPort(n.ports, p, podKey(pod));
  }
  const index = { nodes, byName, nodeNames: new Set(byName.keys()), podRequests, podPorts };
  if (!byOpts) indexCache.set(cluster, (byOpts = new Map()));
  byOpts.set(key, index);
  return index;
}

function fmt(amount: number, resource: string): string {
  return formatQuantity(resource === 'cpu' ? amount / 1000 : amount, resource);
}

/**
 * The scheduler filters for this DaemonSet's pod on `n` (NodePorts, then NodeResourcesFit); the
 * DaemonSet's own pods on the node are left out, as the pod would take their place.
 */
export function schedulerReasons(c: CompiledDaemonSet, n: IndexedNode, index: ClusterIndex, ownPods: readonly ClusterPod[]): Reason[] {
  const own = ownPods.length === 0 ? (NONE as ClusterPod[]) : ownPods.filter((p) => index.podRequests.has(p) && specNodeName(p) === n.node.name);
  let ports = n.ports;
  let requested = n.requested;
  let podCount = n.podCount;
  if (own.length > 0) {
    const ownKeys = new Set(own.map(podKey));
    if (c.hostPorts.length > 0 && n.ports.size > 0) {
      ports = new Map();
      for (const [k, v] of n.ports) if (!ownKeys.has(v)) ports.set(k, v);
    }
    requested = new Map(n.requested);
    for (const p of own) for (const [k, v] of index.podRequests.get(p)!) requested.set(k, (requested.get(k) ?? 0) - v);
    podCount -= own.length;
  }
  return filterReasons(c, n.allocatable, requested, podCount, ports);
}

/** NodePorts then NodeResourcesFit for the daemon pod over what the node's pods take. */
function filterReasons(c: CompiledDaemonSet, allocatable: ResourceList | undefined, requested: ResourceList, podCount: number, ports: HostPortInfo): Reason[] {
  const reasons: Reason[] = [];
  if (c.hostPorts.length > 0 && ports.size > 0) {
    c.hostPorts.forEach((p, i) => {
      const user = checkConflict(ports, p);
      if (user === undefined) return;
      reasons.push({
        code: 'host-port-conflict',
        message: `host port ${p.port}/${p.protocol}${p.ip !== '0.0.0.0' ? ` on ${p.ip}` : ''} is already used by pod \`${user}\``,
        span: c.spans.hostPorts[i],
        schedulerReason: "node(s) didn't have free ports for the requested pod ports",
      });
    });
  }
  for (const r of fitsRequest(c.requests, { allocatable, requested, podCount })) {
    if (r.resourceName === 'pods') {
      reasons.push({
        code: 'too-many-pods',
        message: `node allows ${r.capacity} pods and already runs ${r.used}`,
        span: c.spans.templateSpec,
        schedulerReason: r.reason,
      });
      continue;
    }
    const free = Math.max(0, r.capacity - r.used);
    reasons.push({
      code: 'insufficient-resource',
      message: `needs ${fmt(r.requested, r.resourceName)} ${r.resourceName}, ${fmt(free, r.resourceName)} free`,
      span: c.spans.requests.get(r.resourceName) ?? c.spans.templateSpec,
      schedulerReason: r.reason,
    });
  }
  return reasons.length > 0 ? reasons : (NONE as Reason[]);
}

/**
 * DefaultPreemption (PostFilter) for a daemon pod the filters reject on `n`: PodEligibleToPreemptOthers,
 * then SelectVictimsOnNode over the node's other pods. A pod with a template `nodeName` skips the
 * scheduler, so nothing preempts for it. With a class the input does not define, victims are those a
 * class of the highest user-definable value would evict (`may-preempt`).
 */
function preemptionOnNode(
  c: CompiledDaemonSet,
  n: IndexedNode,
  index: ClusterIndex,
  ownPods: readonly ClusterPod[],
  reasons: readonly Reason[],
  priority: ResolvedPriority,
  cluster: ClusterModel,
): Preemption | undefined {
  if (c.nodeName || priority.preemptionPolicy === PreemptNever || n.pods.length === 0) return undefined;
  const own = new Set(ownPods);
  const others = n.pods.filter((p) => !own.has(p));
  const fits = (remaining: ReadonlySet<ClusterPod>): boolean => {
    const requested: ResourceList = new Map();
    const ports: HostPortInfo = new Map();
    for (const p of remaining) {
      for (const [k, v] of index.podRequests.get(p) ?? NO_REQUESTS) requested.set(k, (requested.get(k) ?? 0) + v);
      if (c.hostPorts.length > 0) for (const hp of index.podPorts.get(p) ?? NONE as HostPort[]) addHostPort(ports, hp, podKey(p));
    }
    return filterReasons(c, n.allocatable, requested, remaining.size, ports).length === 0;
  };
  const victims = selectVictimsOnNode(others, priority.priority ?? HighestUserDefinablePriority, fits, cluster);
  if (!victims || victims.length === 0) return undefined;
  const out: Preemption = {
    outcome: priority.priority === undefined ? 'may-preempt' : 'preempts',
    victims: victims.map(podKey),
    reasons: reasons.map((r) => (r.schedulerReason ? { code: r.code, message: r.message, schedulerReason: r.schedulerReason } : { code: r.code, message: r.message })),
  };
  if (priority.priorityClassName) out.priorityClassName = priority.priorityClassName;
  if (priority.priority !== undefined) out.priority = priority.priority;
  return out;
}

const NO_REQUESTS: ResourceList = new Map();

/** Places one DaemonSet over a cluster: per-node verdicts, the next sync's creates/deletes, rolling-update numbers. */
export function placeDaemonSet(ds: ManifestObject, cluster: ClusterModel, options: PlacementOptions = {}): DaemonSetPlacement {
  const compiled = compileDaemonSet(ds, options);
  // The RuntimeClass admission plugin changes (or refuses) the pods the controller creates.
  const rca = runtimeClassAdmission(compiled.podSpec, compiled.tolerations, cluster.runtimeClasses);
  const c = rca ? withRuntimeClass(compiled, rca) : compiled;
  const index = indexCluster(cluster, { skipPodLevelResources: !c.podLevelResources, useStatusResources: statusResourcesFor(options), sidecarHostPorts: c.sidecarHostPorts });
  const nodeToDaemonPods = getNodesToDaemonPods(c, cluster.pods);
  const warnings: string[] = [];
  // syncDaemonSet: a selector that selects everything (or cannot be parsed) stops the controller.
  let ignored: DaemonSetPlacement['ignored'];
  const dsMeta = isPlainObject(c.ds.value.metadata) ? c.ds.value.metadata : {};
  if (dsMeta.deletionTimestamp) {
    warnings.push('The DaemonSet is being deleted (metadata.deletionTimestamp): the controller does nothing with it.');
    ignored = 'deleting';
  } else if (c.selectsAll) {
    warnings.push('This daemon set is selecting all pods. A non-empty selector is required.');
    ignored = 'selects-all';
  } else if (c.selector === undefined && c.ds.value.spec !== undefined && isPlainObject(c.ds.value.spec) && c.ds.value.spec.selector !== undefined) {
    warnings.push('spec.selector cannot be parsed: the controller does nothing with this DaemonSet.');
    ignored = 'bad-selector';
  }
  const acts = ignored === undefined;
  const nodes: NodeVerdict[] = [];
  let desired = 0;
  let creates = 0;
  let deletes = 0;
  const empty: ClusterPod[] = [];
  let priority: ResolvedPriority | undefined;
  for (const n of index.nodes) {
    const node = n.node;
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, c);
    const daemonPods = nodeToDaemonPods.get(node.name) ?? empty;
    let reasons: Reason[];
    let schedulable: boolean | null = null;
    let admitted: boolean | null = null;
    let created: boolean | undefined;
    let preemption: Preemption | undefined;
    if (shouldRun && c.runtimeClass?.rejection) {
      // The controller creates the pod and the API server refuses it: nothing reaches the scheduler.
      desired++;
      reasons = runtimeClassRejectionReason(c);
      created = false;
    } else if (shouldRun && (reasons = runtimeClassSelectorReasons(c, node)).length > 0) {
      // The scheduler's NodeAffinity filter fails first (before NodePorts and NodeResourcesFit), and
      // as UnschedulableAndUnresolvable: no preemption.
      desired++;
      schedulable = false;
    } else if (shouldRun) {
      desired++;
      reasons = schedulerReasons(c, n, index, daemonPods);
      schedulable = reasons.length === 0;
      if (!schedulable) {
        priority ??= resolvePodPriority(c.podSpec, cluster.priorityClasses);
        preemption = preemptionOnNode(c, n, index, daemonPods, reasons, priority, cluster);
        // The scheduler evicts the victims and binds the pod: it runs.
        if (preemption?.outcome === 'preempts') {
          schedulable = true;
          reasons = NONE as Reason[];
        }
      }
      // Only a scheduled pod reaches the kubelet.
      if (schedulable) {
        reasons = admissionReasons(c, node);
        admitted = reasons.length === 0;
      }
    } else {
      reasons = withRuntimeClassTolerationNote(c, explainShouldRun(c, node));
    }
    const plan = acts ? podsShouldBeOnNode(c, node.name, daemonPods, shouldRun, shouldContinueRunning) : NOTHING;
    if (plan.create) creates++;
    deletes += plan.delete.length;
    nodes.push({
      node: node.name,
      shouldRun,
      shouldContinueRunning,
      schedulable,
      admitted,
      ...(created === false ? { created } : {}),
      reasons,
      notes: explainNotes(c, node),
      daemonPods: daemonPods.length > 0 ? daemonPods.map((p) => p.name) : (NONE as string[]),
      create: plan.create ? 1 : 0,
      delete: plan.delete,
      ...(plan.replaced ? { replaced: plan.replaced } : {}),
      ...(preemption ? { preemption } : {}),
    });
  }
  const result: DaemonSetPlacement = {
    name: c.name,
    namespace: c.namespace,
    desiredNumberScheduled: desired,
    nodes,
    sync: { creates, deletes },
    rollingUpdate: { maxUnavailable: 0, maxSurge: 0 },
    updateStrategy: c.strategy.type,
  };
  if (acts) {
    const orphans = getUnscheduledPodsWithoutNode(index.nodeNames, nodeToDaemonPods);
    if (orphans.length > 0) {
      result.deletesWithoutNode = orphans;
      result.sync.deletes += orphans.length;
    }
  }
  const ru = rollingUpdateSummary(c, desired);
  result.rollingUpdate = { maxUnavailable: ru.maxUnavailable, maxSurge: ru.maxSurge };
  if (ru.error) warnings.push(`updateStrategy.rollingUpdate: ${ru.error}`);
  // updateDaemonSet: rollingUpdate runs after manage once manage's creations and deletions are observed
  // (as upstream's tests model a sync: the fake pod control observes them at once). Only a known current
  // revision (--current-revision, or the template generation) tells new pods from old ones.
  const revisionKnown = !!c.currentRevision || templateGeneration(c.ds) !== undefined;
  if (acts && !ru.error && c.strategy.type === 'RollingUpdate' && revisionKnown) {
    const plan = rollingUpdate(c, nodes.map((n) => ({ name: n.node, shouldRun: n.shouldRun })), afterManage(c, nodes, nodeToDaemonPods, result.deletesWithoutNode), ru.maxSurge, ru.maxUnavailable);
    applyRollingUpdate(result, plan, nodeToDaemonPods);
  }
  if (warnings.length > 0) result.warnings = warnings;
  if (ignored) result.ignored = ignored;
  return result;
}

/** The daemon pods per node once manage's plan is carried out: deleted pods gone, created ones new and not Ready. */
function afterManage(c: CompiledDaemonSet, nodes: readonly NodeVerdict[], nodeToDaemonPods: ReadonlyMap<string, ClusterPod[]>, deletedWithoutNode: readonly string[] = []): Map<string, ClusterPod[]> {
  const deleted = new Set<string>(deletedWithoutNode);
  for (const n of nodes) for (const name of n.delete) deleted.add(name);
  const out = new Map<string, ClusterPod[]>();
  for (const [node, pods] of nodeToDaemonPods) out.set(node, deleted.size ? pods.filter((p) => !deleted.has(p.name)) : pods);
  let labels: Record<string, string> | undefined;
  for (const n of nodes) {
    if (!n.create) continue;
    // The labels CreatePodTemplate gives new pods decide IsPodUpdated; computed once.
    labels ??= stringLabels(createPodTemplate(c.ds, c.currentRevision).metadata.labels);
    const created: ClusterPod = {
      name: `${getPodsPrefix(c.name)}(new)`,
      namespace: c.namespace,
      labels,
      nodeName: n.node,
      phase: 'Pending',
      ready: false,
      source: c.ds,
      value: {},
    };
    out.set(n.node, [...(out.get(n.node) ?? []), created]);
  }
  return out;
}

function stringLabels(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainObject(v)) for (const [k, l] of Object.entries(v)) if (typeof l === 'string') out[k] = l;
  return out;
}

function applyRollingUpdate(result: DaemonSetPlacement, plan: RollingUpdatePlan, nodeToDaemonPods: ReadonlyMap<string, ClusterPod[]>): void {
  const byNode = new Map(result.nodes.map((n) => [n.node, n]));
  for (const name of plan.newNodesToCreate) {
    const v = byNode.get(name);
    if (v && v.create === 0) {
      v.create = 1;
      result.sync.creates++;
    }
  }
  for (const podName of plan.oldPodsToDelete) {
    let placed = false;
    for (const [node, pods] of nodeToDaemonPods) {
      if (!pods.some((p) => p.name === podName)) continue;
      const v = byNode.get(node);
      if (v) {
        v.delete = [...v.delete, podName];
        v.replaced = [...(v.replaced ?? []), podName];
      }
      else result.deletesWithoutNode = [...(result.deletesWithoutNode ?? []), podName];
      placed = true;
      break;
    }
    if (placed) result.sync.deletes++;
  }
}

/** The pod the controller would create on `nodeName` (undefined when the cluster has no such node). */
export function podForNode(ds: ManifestObject, cluster: ClusterModel, nodeName: string, options: PlacementOptions = {}): Record<string, unknown> | undefined {
  if (!cluster.nodes.some((n) => n.name === nodeName)) return undefined;
  return newDaemonPodOf(ds, nodeName, { ...options, runtimeClasses: cluster.runtimeClasses }).pod;
}

/**
 * daemon_controller.go manage: the nodes that get a new pod and the pods deleted in the next sync
 * (podsShouldBeOnNode per node, plus unbound pods whose node is gone).
 */
export function manage(ds: ManifestObject, cluster: ClusterModel, options: PlacementOptions = {}): { nodesNeedingDaemonPods: string[]; podsToDelete: string[] } {
  const p = placeDaemonSet(ds, cluster, options);
  const nodesNeedingDaemonPods: string[] = [];
  const podsToDelete: string[] = [];
  for (const n of p.nodes) {
    if (n.create > 0) nodesNeedingDaemonPods.push(n.node);
    podsToDelete.push(...n.delete);
  }
  podsToDelete.push(...(p.deletesWithoutNode ?? []));
  return { nodesNeedingDaemonPods, podsToDelete };
}
