/**
 * Everything placement needs from one DaemonSet, computed once: the daemon pod's tolerations,
 * its parsed required node affinity, requests, host ports, selector, update strategy and the
 * manifest spans reasons point at. Matching a node then costs a few loops and no allocation.
 */
import { keySpan, reportSpan } from '../ast';
import { isPlainObject, type ManifestObject } from '../model';
import type { Span } from '../types';
import { templateOf, templateTolerations } from './daemonPod';
import { getRequiredNodeAffinity, parseLabelSelector, type LabelRequirement, type RequiredNodeAffinity } from './nodeAffinity';
import { computePodResourceRequest, containerRequests, getContainerPorts, readResourceList, type HostPort, type ResourceList } from './resources';
import { addOrUpdateDaemonPodTolerations, TaintTolerationComparisonOperators } from './tolerations';
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
  /** Tolerations after AddOrUpdateDaemonPodTolerations. */
  tolerations: Toleration[];
  affinity: RequiredNodeAffinity;
  requests: ResourceList;
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
  spans: {
    /** `spec.template.spec` (or its nearest existing ancestor). */
    templateSpec: Span;
    tolerations: Span;
    nodeName?: Span;
    nodeSelector: Map<string, Span>;
    affinity: Span;
    /** Per resource, the `requests` (or `limits`, `overhead`) key that asks for it. */
    requests: Map<string, Span>;
    hostPorts: Span[];
  };
}

const cache = new WeakMap<ManifestObject, Map<string, CompiledDaemonSet>>();

/** Compiles a DaemonSet for placement (cached per object and options). */
export function compileDaemonSet(ds: ManifestObject, options: PlacementOptions = {}): CompiledDaemonSet {
  const gate = !!options.featureGates?.[TaintTolerationComparisonOperators];
  const key = `${gate}|${options.currentRevision ?? ''}|${options.now?.getTime() ?? ''}`;
  let byKey = cache.get(ds);
  const hit = byKey?.get(key);
  if (hit && options.now) return hit;
  const c = compile(ds, options, gate);
  if (!byKey) cache.set(ds, (byKey = new Map()));
  if (options.now) byKey.set(key, c);
  return c;
}

function compile(ds: ManifestObject, options: PlacementOptions, gate: boolean): CompiledDaemonSet {
  const v = ds.value;
  const meta = isPlainObject(v.metadata) ? v.metadata : {};
  const spec = isPlainObject(v.spec) ? v.spec : {};
  const { spec: podSpec } = templateOf(ds);
  const hostNetwork = podSpec.hostNetwork === true;
  const tolerations = addOrUpdateDaemonPodTolerations(templateTolerations(podSpec), hostNetwork);
  const strat = isPlainObject(spec.updateStrategy) ? spec.updateStrategy : {};
  const ru = isPlainObject(strat.rollingUpdate) ? strat.rollingUpdate : undefined;
  const type = typeof strat.type === 'string' ? strat.type : 'RollingUpdate';
  // SetDefaults_DaemonSet: RollingUpdate gets maxUnavailable 1 and maxSurge 0 when unset.
  const strategy = {
    type,
    maxUnavailable: type === 'RollingUpdate' ? (ru?.maxUnavailable ?? 1) : undefined,
    maxSurge: type === 'RollingUpdate' ? (ru?.maxSurge ?? 0) : undefined,
  };
  const selectsAll = isPlainObject(spec.selector) && Object.keys(spec.selector).length === 0;
  const tplSpecSpan = reportSpan(ds, [...TPL_SPEC]);
  const nodeSelector = new Map<string, Span>();
  if (isPlainObject(podSpec.nodeSelector)) {
    for (const k of Object.keys(podSpec.nodeSelector)) nodeSelector.set(k, keySpan(ds, [...TPL_SPEC, 'nodeSelector', k]) ?? reportSpan(ds, [...TPL_SPEC, 'nodeSelector']));
  }
  const requests = computePodResourceRequest(podSpec);
  const reqSpans = new Map<string, Span>();
  const findRequestSpan = (listName: 'containers' | 'initContainers') => {
    const list = Array.isArray(podSpec[listName]) ? (podSpec[listName] as unknown[]) : [];
    list.forEach((c, i) => {
      for (const r of containerRequests(c).keys()) {
        if (reqSpans.has(r)) continue;
        const res = isPlainObject(c) && isPlainObject(c.resources) ? c.resources : {};
        const field = isPlainObject(res.requests) && r in res.requests ? 'requests' : 'limits';
        const s = keySpan(ds, [...TPL_SPEC, listName, i, 'resources', field]);
        if (s) reqSpans.set(r, s);
      }
    });
  };
  findRequestSpan('containers');
  findRequestSpan('initContainers');
  for (const r of readResourceList(podSpec.overhead).keys()) {
    if (!reqSpans.has(r)) reqSpans.set(r, reportSpan(ds, [...TPL_SPEC, 'overhead']));
  }
  const hostPorts = getContainerPorts(podSpec);
  const metaRec = meta as Record<string, unknown>;
  const minReadySeconds = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
  return {
    ds,
    name: ds.name ?? '',
    namespace: ds.namespace ?? 'default',
    uid: typeof metaRec.uid === 'string' ? metaRec.uid : undefined,
    podSpec,
    nodeName: typeof podSpec.nodeName === 'string' && podSpec.nodeName !== '' ? podSpec.nodeName : undefined,
    hostNetwork,
    tolerations,
    affinity: getRequiredNodeAffinity(podSpec),
    requests,
    hostPorts,
    selector: selectsAll ? undefined : parseLabelSelector(spec.selector),
    selectsAll,
    strategy,
    minReadySeconds,
    enableComparisonOperators: gate,
    currentRevision: options.currentRevision,
    now: options.now ?? new Date(),
    spans: {
      templateSpec: tplSpecSpan,
      tolerations: keySpan(ds, [...TPL_SPEC, 'tolerations']) ?? tplSpecSpan,
      nodeName: keySpan(ds, [...TPL_SPEC, 'nodeName']),
      nodeSelector,
      affinity:
        keySpan(ds, [...TPL_SPEC, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution']) ??
        reportSpan(ds, [...TPL_SPEC, 'affinity']),
      requests: reqSpans,
      hostPorts: hostPorts.map((p) => reportSpan(ds, [...TPL_SPEC, 'containers', p.at[0], 'ports', p.at[1], 'hostPort'])),
    },
  };
}
