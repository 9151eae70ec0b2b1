/**
 * Everything placement needs from one DaemonSet, computed once: the daemon pod's tolerations,
 * its parsed required node affinity, requests, host ports, selector, update strategy and the
 * manifest spans reasons point at. Matching a node then costs a few loops and no allocation.
 */
import { keySpan, reportSpan } from '../ast';
import { defaultedSelector, defaultUpdateStrategyType } from '../daemonSetDefaults';
import { isPlainObject, type ManifestObject } from '../model';
import { objectMemo } from '../objectMemo';
import type { Span } from '../types';
import { OS_LABEL, podOSOf } from './admission';
import { templateOf, templateTolerations } from './daemonPod';
import { getRequiredNodeAffinity, parseLabelSelector, type LabelRequirement, type RequiredNodeAffinity } from './nodeAffinity';
import { computePodResourceRequest, containerRequests, getContainerPorts, isSupportedPodLevelResource, podLevelResourcesEnabled, readResourceList, sidecarHostPortsCounted, type HostPort, type ResourceList } from './resources';
import { addOrUpdateDaemonPodTolerations, comparisonOperatorsEnabled } from './tolerations';
import type { RuntimeClassAdmission } from './runtimeClass';
import type { PlacementOptions, Toleration } from './types';

const TPL_SPEC = ['spec', 'template', 'spec'] as const;

export interface CompiledDaemonSet {
  ds: ManifestObject;
  name: string;
  namespace: string;
  uid?: string;
  podSpec: Record<string, unknown>;
  /** `spec.template.spec.nodeName`, when set. */
  nodeName?: string;
  hostNetwork: boolean;
  /** `spec.template.spec.os.name`, when set: the kubelet admits the pod only on a node of this OS. */
  podOS?: string;
  /** The template's own `kubernetes.io/os` label, when set: the kubelet admits the pod only on a node of this OS. */
  osLabel?: string;
  /** Tolerations after AddOrUpdateDaemonPodTolerations. */
  tolerations: Toleration[];
  affinity: RequiredNodeAffinity;
  requests: ResourceList;
  /** The scheduler counts pod-level resources (PodLevelResources on for the target version and gates): in `requests`, and in the node's pods. */
  podLevelResources: boolean;
  /** The scheduler counts the host ports of restartable init containers (GetHostPorts): in `hostPorts`, and in the node's pods. */
  sidecarHostPorts: boolean;
  hostPorts: HostPort[];
  /** `spec.selector` parsed; undefined when missing or unparsable (the controller then claims nothing). */
  selector?: LabelRequirement[];
  /** `spec.selector` deep-equals `{}`: the controller refuses to act (SelectingAll). */
  selectsAll: boolean;
  strategy: { type: string; maxUnavailable: unknown; maxSurge: unknown };
  minReadySeconds: number;
  enableComparisonOperators: boolean;
  currentRevision?: string;
  now: Date;
  spans: Spans;
  /**
   * What the RuntimeClass admission plugin does to the created pods (only when the cluster file holds
   * RuntimeClasses): `requests` then include the overhead it sets. The controller's own verdict
   * (NodeShouldRunDaemonPod) still reads only the template.
   */
  runtimeClass?: RuntimeClassAdmission;
}

/** The manifest spans reasons point at. */
export interface Spans {
  /** `spec.template.spec` (or its nearest existing ancestor). */
  templateSpec: Span;
  tolerations: Span;
  nodeName?: Span;
  nodeSelector: Map<string, Span>;
  affinity: Span;
  /** `spec.template.spec.os` (or the template spec). */
  os: Span;
  /** The template's `kubernetes.io/os` label (or the template spec). */
  osLabel: Span;
  /** `spec.template.spec.runtimeClassName` (or the template spec). */
  runtimeClassName: Span;
  /** `spec.template.spec.overhead` (or the template spec). */
  overhead: Span;
  /** Per resource, the `requests` (or `limits`, `overhead`) key that asks for it. */
  requests: Map<string, Span>;
  hostPorts: Span[];
}

const cache = objectMemo<Map<string, CompiledDaemonSet>>();

/** Compiles a DaemonSet for placement (cached per object and options). */
export function compileDaemonSet(ds: ManifestObject, options: PlacementOptions = {}): CompiledDaemonSet {
  keptSpans ??= new CompiledSpans({} as ManifestObject, {}, [], false);
  const gate = comparisonOperatorsEnabled(options);
  const podLevelResources = podLevelResourcesEnabled(options);
  const sidecarHostPorts = sidecarHostPortsCounted(options);
  const key = `${gate}|${podLevelResources}|${sidecarHostPorts}|${options.currentRevision ?? ''}|${options.now?.getTime() ?? ''}`;
  let byKey = cache.get(ds);
  const hit = byKey?.get(key);
  if (hit && options.now) return hit;
  const c = compile(ds, options, gate, podLevelResources, sidecarHostPorts);
  if (options.now) {
    if (!byKey) cache.set(ds, (byKey = new Map()));
    byKey.set(key, c);
  }
  return c;
}

function compile(ds: ManifestObject, options: PlacementOptions, gate: boolean, podLevelResources: boolean, sidecarHostPorts: boolean): CompiledDaemonSet {
  const v = ds.value;
  const meta = isPlainObject(v.metadata) ? v.metadata : {};
  const spec = isPlainObject(v.spec) ? v.spec : {};
  const { metadata: podMeta, spec: podSpec } = templateOf(ds);
  const hostNetwork = podSpec.hostNetwork === true;
  const tolerations = addOrUpdateDaemonPodTolerations(templateTolerations(podSpec), hostNetwork);
  const strat = isPlainObject(spec.updateStrategy) ? spec.updateStrategy : {};
  const ru = isPlainObject(strat.rollingUpdate) ? strat.rollingUpdate : undefined;
  // SetDefaults_DaemonSet of the manifest's own API version: an empty type is RollingUpdate in apps/v1
  // and apps/v1beta2 but OnDelete in extensions/v1beta1; RollingUpdate gets maxUnavailable 1 and
  // maxSurge 0 when unset (extensions/v1beta1 leaves maxSurge nil, which counts as 0).
  const type = typeof strat.type === 'string' && strat.type !== '' ? strat.type : defaultUpdateStrategyType(ds.apiVersion);
  const strategy = {
    type,
    maxUnavailable: type === 'RollingUpdate' ? (ru?.maxUnavailable ?? 1) : undefined,
    maxSurge: type === 'RollingUpdate' ? (ru?.maxSurge ?? 0) : undefined,
  };
  const selector = defaultedSelector(ds.apiVersion, spec.selector, podMeta.labels) ?? spec.selector;
  const selectsAll = isPlainObject(selector) && Object.keys(selector).length === 0;
  const requests = computePodResourceRequest(podSpec, { skipPodLevelResources: !podLevelResources });
  const hostPorts = getContainerPorts(podSpec, { sidecarHostPorts });
  const metaRec = meta as Record<string, unknown>;
  const minReadySeconds = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
  const { os, label: osLabel } = podOSOf(ds);
  return {
    ds,
    name: ds.name ?? '',
    namespace: ds.namespace ?? 'default',
    uid: typeof metaRec.uid === 'string' ? metaRec.uid : undefined,
    podSpec,
    nodeName: typeof podSpec.nodeName === 'string' && podSpec.nodeName !== '' ? podSpec.nodeName : undefined,
    hostNetwork,
    podOS: os,
    osLabel,
    tolerations,
    affinity: getRequiredNodeAffinity(podSpec),
    requests,
    podLevelResources,
    sidecarHostPorts,
    hostPorts,
    selector: selectsAll ? undefined : parseLabelSelector(selector),
    selectsAll,
    strategy,
    minReadySeconds,
    enableComparisonOperators: gate,
    currentRevision: options.currentRevision,
    now: options.now ?? new Date(),
    spans: new CompiledSpans(ds, podSpec, hostPorts, podLevelResources),
  };
}

/**
 * One empty `CompiledSpans` that lives as long as the process: the others live only while a DaemonSet
 * is placed, and this one keeps their class, and the placement code optimised for it, through the
 * collection that follows closing a large file (see fastYaml.ts `keptParser`).
 */
let keptSpans: CompiledSpans | undefined;

/**
 * Where the reasons of a verdict point, each found on first read: most DaemonSets are placed
 * without reporting most of them (a 1,000-DaemonSet file would otherwise look up every request,
 * host port and node selector key of every one).
 */
class CompiledSpans implements Spans {
  /** A map rather than an object whose keys depend on what was read first: one hidden class for all (see `keptSpans`). */
  private readonly cached = new Map<keyof Spans, Spans[keyof Spans]>();
  constructor(
    private readonly ds: ManifestObject,
    private readonly podSpec: Record<string, unknown>,
    private readonly ports: readonly HostPort[],
    /** Pod-level resources count (PodLevelResources): a resource they set is asked for there. */
    private readonly podLevel: boolean,
  ) {}

  private once<K extends keyof Spans>(key: K, compute: () => Spans[K]): Spans[K] {
    if (!this.cached.has(key)) this.cached.set(key, compute());
    return this.cached.get(key) as Spans[K];
  }

  get templateSpec(): Span {
    return this.once('templateSpec', () => reportSpan(this.ds, [...TPL_SPEC]));
  }

  get tolerations(): Span {
    return this.once('tolerations', () => keySpan(this.ds, [...TPL_SPEC, 'tolerations']) ?? this.templateSpec);
  }

  get nodeName(): Span | undefined {
    return this.once('nodeName', () => keySpan(this.ds, [...TPL_SPEC, 'nodeName']));
  }

  get nodeSelector(): Map<string, Span> {
    return this.once('nodeSelector', () => {
      const out = new Map<string, Span>();
      const sel = this.podSpec.nodeSelector;
      if (isPlainObject(sel)) {
        for (const k of Object.keys(sel)) out.set(k, keySpan(this.ds, [...TPL_SPEC, 'nodeSelector', k]) ?? reportSpan(this.ds, [...TPL_SPEC, 'nodeSelector']));
      }
      return out;
    });
  }

  get affinity(): Span {
    return this.once('affinity', () =>
      keySpan(this.ds, [...TPL_SPEC, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution']) ??
      reportSpan(this.ds, [...TPL_SPEC, 'affinity']));
  }

  get os(): Span {
    return this.once('os', () => keySpan(this.ds, [...TPL_SPEC, 'os']) ?? this.templateSpec);
  }

  get osLabel(): Span {
    return this.once('osLabel', () => keySpan(this.ds, ['spec', 'template', 'metadata', 'labels', OS_LABEL]) ?? this.templateSpec);
  }

  get runtimeClassName(): Span {
    return this.once('runtimeClassName', () => keySpan(this.ds, [...TPL_SPEC, 'runtimeClassName']) ?? this.templateSpec);
  }

  get overhead(): Span {
    return this.once('overhead', () => keySpan(this.ds, [...TPL_SPEC, 'overhead']) ?? this.templateSpec);
  }

  get requests(): Map<string, Span> {
    return this.once('requests', () => {
      const { ds, podSpec } = this;
      const out = new Map<string, Span>();
      for (const listName of ['containers', 'initContainers'] as const) {
        const list = Array.isArray(podSpec[listName]) ? (podSpec[listName] as unknown[]) : [];
        list.forEach((c, i) => {
          for (const r of containerRequests(c).keys()) {
            if (out.has(r)) continue;
            const res = isPlainObject(c) && isPlainObject(c.resources) ? c.resources : {};
            const field = isPlainObject(res.requests) && r in res.requests ? 'requests' : 'limits';
            const s = keySpan(ds, [...TPL_SPEC, listName, i, 'resources', field]);
            if (s) out.set(r, s);
          }
        });
      }
      // Pod-level requests replace the containers' aggregate of the resources the pod level supports;
      // a pod-level limit stands for a request only where neither asks (huge pages: always), as
      // computePodResourceRequest defaults them (defaultedPodRequests).
      if (this.podLevel && isPlainObject(podSpec.resources)) {
        const { requests, limits } = podSpec.resources;
        const asked = new Set<string>();
        if (isPlainObject(requests)) {
          const s = keySpan(ds, [...TPL_SPEC, 'resources', 'requests']);
          for (const r of Object.keys(requests)) {
            if (!isSupportedPodLevelResource(r)) continue;
            asked.add(r);
            if (s) out.set(r, s);
          }
        }
        if (isPlainObject(limits)) {
          const s = keySpan(ds, [...TPL_SPEC, 'resources', 'limits']);
          for (const r of Object.keys(limits)) {
            if (!isSupportedPodLevelResource(r) || asked.has(r) || (out.has(r) && !r.startsWith('hugepages-'))) continue;
            if (s) out.set(r, s);
          }
        }
      }
      for (const r of readResourceList(podSpec.overhead).keys()) {
        if (!out.has(r)) out.set(r, reportSpan(ds, [...TPL_SPEC, 'overhead']));
      }
      return out;
    });
  }

  get hostPorts(): Span[] {
    return this.once('hostPorts', () => this.ports.map((p) => reportSpan(this.ds, [...TPL_SPEC, p.at[0], p.at[1], 'ports', p.at[2], 'hostPort'])));
  }
}
