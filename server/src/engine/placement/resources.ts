/**
 * The scheduler filters that still apply to a daemon pod once the controller created it:
 * - NodeResourcesFit: pkg/scheduler/framework/plugins/noderesources/fit.go (fitsRequest,
 *   computePodResourceRequest) over component-helpers/resource/helpers.go PodRequests;
 * - NodePorts: pkg/scheduler/framework/plugins/nodeports/node_ports.go (fitsPorts) over
 *   pkg/scheduler/util/utils.go GetHostPorts (getContainerPorts here)
 *   over pkg/scheduler/framework/types.go HostPortInfo.CheckConflict.
 * Amounts are integers: cpu in millicores (Quantity.MilliValue), everything else in base units (Value).
 */
import { featureEnabled } from '../featureGates';
import { targetOf } from '../kubernetesVersion';
import { isPlainObject } from '../model';
import { parseQuantity } from '../quantity';
import type { PlacementOptions } from './types';

export type ResourceList = Map<string, number>;

/** Resource amount in the scheduler's integer unit; undefined when not a quantity. */
export function resourceAmount(resource: string, q: unknown): number | undefined {
  const v = parseQuantity(q);
  if (v === undefined) return undefined;
  // MilliValue / Value round up to the next integer.
  return resource === 'cpu' ? Math.ceil(v * 1000 - 1e-6) : Math.ceil(v - 1e-6);
}

/** A quantity map as ResourceList (invalid entries skipped). */
export function readResourceList(v: unknown): ResourceList {
  const out: ResourceList = new Map();
  if (!isPlainObject(v)) return out;
  for (const [k, q] of Object.entries(v)) {
    const n = resourceAmount(k, q);
    if (n !== undefined) out.set(k, n);
  }
  return out;
}

/** Adds and compares amounts of one representation: scheduler integers, or exact quantities. */
export interface ResourceArithmetic<T> {
  add(a: T, b: T): T;
  /** Negative, zero or positive, as Quantity.Cmp. */
  cmp(a: T, b: T): number;
}

/** The scheduler's integer amounts. */
const SCHEDULER_UNITS: ResourceArithmetic<number> = { add: (a, b) => a + b, cmp: (a, b) => a - b };

/** helpers.go addResourceList. */
function addResourceList<T>(into: Map<string, T>, add: Map<string, T>, ar: ResourceArithmetic<T>): void {
  for (const [k, v] of add) {
    const cur = into.get(k);
    into.set(k, cur === undefined ? v : ar.add(cur, v));
  }
}

/** helpers.go maxResourceList: each resource becomes the larger of the two. */
function maxResourceList<T>(into: Map<string, T>, other: Map<string, T>, ar: ResourceArithmetic<T>): void {
  for (const [k, v] of other) {
    const cur = into.get(k);
    if (cur === undefined || ar.cmp(v, cur) > 0) into.set(k, v);
  }
}

/**
 * A container's effective requests: requests, and for resources with a limit but no request the
 * limit (pkg/apis/core/v1/defaults.go SetDefaults_Pod, which the API server applies on create).
 */
export function containerRequests(c: unknown): ResourceList {
  if (!isPlainObject(c) || !isPlainObject(c.resources)) return new Map();
  const req = readResourceList(c.resources.requests);
  for (const [k, v] of readResourceList(c.resources.limits)) if (!req.has(k)) req.set(k, v);
  return req;
}

/**
 * component-helpers/resource/helpers.go AggregateContainerRequests (and AggregateContainerLimits, the
 * same formula over limits), after the sidecar KEP: the sum of the containers and the restartable
 * init containers, or, when larger, an init container plus the restartable ones started before it.
 * `resourcesOf` reads one container's requests (or limits).
 */
export function aggregateContainerResources<T>(
  podSpec: Record<string, unknown>,
  resourcesOf: (container: unknown, init: boolean) => Map<string, T>,
  ar: ResourceArithmetic<T>,
): Map<string, T> {
  const reqs = new Map<string, T>();
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers : [];
  for (const c of containers) addResourceList(reqs, resourcesOf(c, false), ar);
  const restartableInitContainerReqs = new Map<string, T>();
  const initContainerReqs = new Map<string, T>();
  const inits = Array.isArray(podSpec.initContainers) ? podSpec.initContainers : [];
  for (const c of inits) {
    let containerReqs = resourcesOf(c, true);
    if (isPlainObject(c) && c.restartPolicy === 'Always') {
      addResourceList(reqs, containerReqs, ar);
      addResourceList(restartableInitContainerReqs, containerReqs, ar);
      containerReqs = restartableInitContainerReqs;
    } else {
      const tmp = new Map<string, T>();
      addResourceList(tmp, containerReqs, ar);
      addResourceList(tmp, restartableInitContainerReqs, ar);
      containerReqs = tmp;
    }
    maxResourceList(initContainerReqs, containerReqs, ar);
  }
  maxResourceList(reqs, initContainerReqs, ar);
  return reqs;
}

/** helpers.go supportedPodLevelResources plus the huge pages prefix, as SupportedPodLevelResources lists them (sorted). */
export const SUPPORTED_POD_LEVEL_RESOURCES: readonly string[] = ['cpu', 'hugepages-', 'memory'];

/** helpers.go IsSupportedPodLevelResource: cpu, memory and huge pages. */
export function isSupportedPodLevelResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');
}

/**
 * How PodRequests reads the status of a pod being resized in place (PodResourcesOptions.UseStatusResources,
 * which the scheduler's cache sets while InPlacePodVerticalScaling is on), release by release:
 * - `allocated`, 1.27–1.31 (pkg/api/v1/resource/helpers.go PodRequests, InPlacePodVerticalScalingEnabled):
 *   a container with a status counts max(spec, `allocatedResources`), only `allocatedResources` when
 *   `status.resize` is Infeasible;
 * - `actuated`, 1.32 (component-helpers/resource/helpers.go AggregateContainerRequests): a container whose
 *   status has `resources` counts max(spec, `resources.requests`), only the status when `status.resize` is Infeasible;
 * - `actuatedAndAllocated`, from 1.33 (determineContainerReqs): containers and
 *   restartable init containers whose status has `resources` count max(spec, `resources.requests`,
 *   `allocatedResources`), max of the two statuses when the PodResizePending condition's reason is Infeasible.
 * Other init containers always count their spec.
 */
export type StatusResources = 'allocated' | 'actuated' | 'actuatedAndAllocated';

/** component-helpers/resource/helpers.go PodResourcesOptions, the options placement sets. */
export interface PodResourcesOptions {
  /** Pod-level `spec.resources` are left out, as every caller upstream sets it while PodLevelResources is off. */
  skipPodLevelResources?: boolean;
  /** UseStatusResources: the pod's status counts as the target's release reads it; unset, the spec alone. */
  useStatusResources?: StatusResources;
}

/**
 * What the target's scheduler cache passes as UseStatusResources for the pods on a node
 * (pkg/scheduler/framework/types.go calculateResource, later PodInfo.CalculateResource:
 * `UseStatusResources: <InPlacePodVerticalScaling enabled>`; InPlacePodVerticalScalingEnabled before 1.32):
 * undefined while the gate is off.
 */
export function statusResourcesFor(options: Pick<PlacementOptions, 'featureGates' | 'kubernetesMinor'>): StatusResources | undefined {
  const target = targetOf(options);
  if (!featureEnabled(target, 'InPlacePodVerticalScaling')) return undefined;
  if (target.kubernetesMinor >= 33) return 'actuatedAndAllocated';
  return target.kubernetesMinor === 32 ? 'actuated' : 'allocated';
}

/** helpers.go max(a, b...): per resource the largest; a missing list counts as empty. */
function maxOf(...lists: ResourceList[]): ResourceList {
  const out: ResourceList = new Map();
  for (const l of lists) maxResourceList(out, l, SCHEDULER_UNITS);
  return out;
}

/** helpers.go IsPodResizeInfeasible: the first PodResizePending condition decides (1.33+). */
export function isPodResizeInfeasible(status: Record<string, unknown>): boolean {
  if (!Array.isArray(status.conditions)) return false;
  for (const c of status.conditions) {
    if (isPlainObject(c) && c.type === 'PodResizePending') return c.reason === 'Infeasible';
  }
  return false;
}

/**
 * The per-container requests PodRequests counts with UseStatusResources (see StatusResources): the
 * container statuses are found by name, in `containerStatuses` and, from 1.33, `initContainerStatuses`.
 */
function statusContainerRequests(status: Record<string, unknown>, mode: StatusResources): (c: unknown, init: boolean) => ResourceList {
  const statuses = new Map<string, Record<string, unknown>>();
  const lists = mode === 'actuatedAndAllocated' ? [status.containerStatuses, status.initContainerStatuses] : [status.containerStatuses];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const cs of list) if (isPlainObject(cs) && typeof cs.name === 'string') statuses.set(cs.name, cs);
  }
  // Before 1.33 the kubelet said so in `status.resize`; from 1.33 in the PodResizePending condition.
  const infeasible = mode === 'actuatedAndAllocated' ? isPodResizeInfeasible(status) : status.resize === 'Infeasible';
  return (c, init) => {
    const spec = containerRequests(c);
    if (!isPlainObject(c) || typeof c.name !== 'string') return spec;
    // Only 1.33+ reads the status of restartable init containers; other init containers use their spec.
    if (init && (mode !== 'actuatedAndAllocated' || c.restartPolicy !== 'Always')) return spec;
    const cs = statuses.get(c.name);
    if (!cs) return spec;
    const allocated = readResourceList(cs.allocatedResources);
    if (mode === 'allocated') return infeasible ? allocated : maxOf(spec, allocated);
    // `found && cs.Resources != nil`
    if (cs.resources === undefined || cs.resources === null) return spec;
    const actuated = readResourceList(isPlainObject(cs.resources) ? cs.resources.requests : undefined);
    if (mode === 'actuated') return infeasible ? actuated : maxOf(spec, actuated);
    return infeasible ? maxOf(actuated, allocated) : maxOf(spec, actuated, allocated);
  };
}

/**
 * Whether the scheduler counts pod-level resources for the target version and gates: its
 * NodeResourcesFit plugin and its cache's NodeInfo call PodRequests with
 * `SkipPodLevelResources: !<PodLevelResources enabled>` (and, with the gate off, the API server has
 * dropped the field from the template anyway: pkg/api/pod/util.go dropDisabledPodLevelResources).
 */
export function podLevelResourcesEnabled(options: PlacementOptions): boolean {
  return featureEnabled(targetOf(options), 'PodLevelResources');
}

/**
 * resource.PodRequests / computePodResourceRequest: AggregateContainerRequests (over the defaulted
 * container requests, or with `opts.useStatusResources` what a resize in flight holds, read from
 * `podStatus`) + overhead. Pod-level `spec.resources.requests` (PodLevelResources), as defaulted,
 * replace the aggregate of each resource they set that the pod level supports (IsSupportedPodLevelResource),
 * unless `opts.skipPodLevelResources`.
 */
export function computePodResourceRequest(podSpec: Record<string, unknown>, opts: PodResourcesOptions = {}, podStatus?: Record<string, unknown>): ResourceList {
  const perContainer = opts.useStatusResources && podStatus ? statusContainerRequests(podStatus, opts.useStatusResources) : containerRequests;
  const reqs = aggregateContainerResources(podSpec, perContainer, SCHEDULER_UNITS);
  if (!opts.skipPodLevelResources && isPlainObject(podSpec.resources)) {
    // The API server defaulted the pod-level requests from the containers' spec when the pod was created.
    const specReqs = perContainer === containerRequests ? reqs : aggregateContainerResources(podSpec, containerRequests, SCHEDULER_UNITS);
    for (const [r, v] of defaultedPodRequests(podSpec.resources, specReqs)) if (isSupportedPodLevelResource(r)) reqs.set(r, v);
  }
  addResourceList(reqs, readResourceList(podSpec.overhead), SCHEDULER_UNITS);
  return reqs;
}

/**
 * The pod-level requests of the pod the controller creates (pkg/apis/core/v1/defaults.go
 * defaultPodRequests, part of SetDefaults_Pod): with pod-level limits, a supported resource without a
 * pod-level request takes the containers' aggregate request when it can be overcommitted and a
 * container requests it, else its pod-level limit. `aggregate` is AggregateContainerRequests.
 *
 * SetDefaults_Pod runs defaultHugePagePodLimits first: a pod with pod-level resources gets, for each
 * huge page size its containers limit and the pod level neither limits nor requests, a pod-level limit
 * of the containers' aggregate limit, which defaultPodRequests then copies into the request. That
 * changes no count here: a container's huge pages request must equal its limit (ValidateResourceRequirements),
 * so the copied request is the aggregate this function would have kept, and the requests it adds
 * for the other resources are their aggregates too.
 */
function defaultedPodRequests(resources: Record<string, unknown>, aggregate: ResourceList): ResourceList {
  const podReqs = readResourceList(resources.requests);
  const podLims = readResourceList(resources.limits);
  if (podLims.size === 0) return podReqs;
  for (const [r, v] of aggregate) {
    // IsOvercommitAllowed: of the pod-level resources, all but huge pages.
    if (!podReqs.has(r) && isSupportedPodLevelResource(r) && !r.startsWith('hugepages-')) podReqs.set(r, v);
  }
  for (const [r, v] of podLims) if (!podReqs.has(r) && isSupportedPodLevelResource(r)) podReqs.set(r, v);
  return podReqs;
}

/** v1helper.IsScalarResourceName: extended, hugepages, prefixed native and attachable-volume resources. */
export function isScalarResourceName(name: string): boolean {
  return name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');
}

/** One failed resource check, in fitsRequest's order. */
export interface InsufficientResource {
  resourceName: string;
  /** "Too many pods", "Insufficient cpu", … exactly as the scheduler says. */
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/** What a node offers and what its pods already take. `allocatable` undefined: the file does not say. */
export interface NodeResources {
  allocatable?: ResourceList;
  requested: ResourceList;
  podCount: number;
}

/**
 * fit.go fitsRequest: pods first, then cpu, memory, ephemeral-storage, then scalar resources. An
 * allocatable the cluster file does not state is unknown and not checked (the real scheduler reads 0);
 * a scalar resource missing from a stated allocatable is 0, as on a real node that lacks the device.
 */
export function fitsRequest(podRequest: ResourceList, node: NodeResources): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = node.allocatable;
  if (!alloc) return out;
  const allowedPodNumber = alloc.get('pods');
  if (allowedPodNumber !== undefined && node.podCount + 1 > allowedPodNumber) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: node.podCount, capacity: allowedPodNumber });
  }
  let any = false;
  for (const v of podRequest.values()) if (v !== 0) any = true;
  if (!any) return out;
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const want = podRequest.get(r) ?? 0;
    const cap = alloc.get(r);
    if (want > 0 && cap !== undefined) {
      const used = node.requested.get(r) ?? 0;
      if (want > cap - used) out.push({ resourceName: r, reason: `Insufficient ${r}`, requested: want, used, capacity: cap });
    }
  }
  for (const [r, want] of podRequest) {
    if (!isScalarResourceName(r) || want === 0) continue;
    const cap = alloc.get(r) ?? 0;
    const used = node.requested.get(r) ?? 0;
    if (want > cap - used) out.push({ resourceName: r, reason: `Insufficient ${r}`, requested: want, used, capacity: cap });
  }
  return out;
}

/** A host port a container asks for (v1.ContainerPort with hostPort > 0). */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
  /** The container list, container index and port index, for spans. */
  at: [ContainerList, number, number];
}

type ContainerList = 'initContainers' | 'containers';

/** What decides which containers' host ports the scheduler counts. */
export interface HostPortOptions {
  /**
   * Restartable (sidecar) init containers' host ports count too (pkg/scheduler/util GetHostPorts,
   * kubernetes#132040: 1.34, and 1.33 from a patch release on); before, only `containers`.
   */
  sidecarHostPorts?: boolean;
}

/** Whether the target's scheduler counts the host ports of restartable init containers (GetHostPorts). */
export function sidecarHostPortsCounted(options: Pick<PlacementOptions, 'featureGates' | 'kubernetesMinor'>): boolean {
  return targetOf(options).kubernetesMinor >= 33;
}

/**
 * pkg/scheduler/util GetHostPorts, which the NodePorts filter and the scheduler cache's NodeInfo read:
 * the host ports of the restartable init containers (they run as long as the pod), then of the
 * containers. With hostNetwork the API server defaults hostPort to containerPort in both lists
 * (defaults.go SetDefaults_Pod), so those count too.
 */
export function getContainerPorts(podSpec: Record<string, unknown>, opts: HostPortOptions = { sidecarHostPorts: true }): HostPort[] {
  const out: HostPort[] = [];
  const hostNetwork = podSpec.hostNetwork === true;
  const collect = (list: ContainerList, onlyRestartable: boolean) => {
    const containers = Array.isArray(podSpec[list]) ? (podSpec[list] as unknown[]) : [];
    containers.forEach((c, ci) => {
      if (!isPlainObject(c) || !Array.isArray(c.ports)) return;
      if (onlyRestartable && c.restartPolicy !== 'Always') return;
      c.ports.forEach((p, pi) => {
        if (!isPlainObject(p)) return;
        let hostPort = typeof p.hostPort === 'number' ? p.hostPort : 0;
        if (hostPort <= 0 && hostNetwork && typeof p.containerPort === 'number') hostPort = p.containerPort;
        if (hostPort <= 0) return;
        out.push({
          ip: typeof p.hostIP === 'string' && p.hostIP ? p.hostIP : '0.0.0.0',
          protocol: typeof p.protocol === 'string' && p.protocol ? p.protocol : 'TCP',
          port: hostPort,
          at: [list, ci, pi],
        });
      });
    });
  };
  if (opts.sidecarHostPorts) collect('initContainers', true);
  collect('containers', false);
  return out;
}

/** Host ports used on a node, with the pod that uses each. */
export type HostPortInfo = Map<string, string>;

const portKey = (ip: string, protocol: string, port: number) => `${ip}|${protocol}|${port}`;

export function addHostPort(info: HostPortInfo, p: HostPort, pod: string): void {
  info.set(portKey(p.ip, p.protocol, p.port), pod);
}

/** HostPortInfo.CheckConflict: 0.0.0.0 conflicts with every IP on the same protocol and port. Returns the user. */
export function checkConflict(info: HostPortInfo, p: HostPort): string | undefined {
  if (info.size === 0) return undefined;
  if (p.ip === '0.0.0.0') {
    const suffix = `|${p.protocol}|${p.port}`;
    for (const [k, pod] of info) if (k.endsWith(suffix)) return pod;
    return undefined;
  }
  return info.get(portKey(p.ip, p.protocol, p.port)) ?? info.get(portKey('0.0.0.0', p.protocol, p.port));
}
