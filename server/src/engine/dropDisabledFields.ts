/**
 * The pod-spec fields the API server drops from a new DaemonSet's template while their feature gate is
 * off for the target, mirroring pkg/api/pod/util.go DropDisabledTemplateFields → dropDisabledFields
 * (Kubernetes 1.34 and 1.35) with oldPodSpec nil: on create no field is "in use", so every drop applies.
 * The controller copies the stored template, so the pods it creates never carry these fields.
 */
import { featureEnabled, featureExists, type PodFeatureGate } from './featureGates';
import type { Target } from './kubernetesVersion';
import { isPlainObject } from './model';
import { isSet, items } from './podTemplate';
import { formatPath, type FieldPath } from './types';

/** A field the API server leaves out of the stored template (or, for procMount, resets). */
export interface DisabledField {
  /** Relative to the pod: `spec.hostnameOverride`, `spec.containers[0].restartPolicy`. */
  path: FieldPath;
  /** The gate whose being off drops it. */
  gate: PodFeatureGate;
  /** dropDisabledProcMountField does not drop the field but forces it to this value. */
  forcedTo?: string;
}

type Obj = Record<string, unknown>;

/** VisitContainers(podSpec, AllContainers): init containers, containers, ephemeral containers. */
const ALL_CONTAINERS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * dropDisabledFields on a new template's pod spec, in place (the caller passes a copy). Returns what
 * it removed, paths relative to the pod.
 */
export function dropDisabledTemplateFields(podSpec: Obj, ctx: Target): DisabledField[] {
  const dropped: DisabledField[] = [];
  const off = (gate: PodFeatureGate) => !featureEnabled(ctx, gate);
  const drop = (obj: Obj, key: string, path: FieldPath, gate: PodFeatureGate) => {
    if (!isSet(obj[key])) return;
    delete obj[key];
    dropped.push({ path: [...path, key], gate });
  };
  const containers = function* (lists: readonly (typeof ALL_CONTAINERS)[number][] = ALL_CONTAINERS): Generator<[Obj, FieldPath, string]> {
    for (const list of lists) for (const [i, c] of items(podSpec[list])) yield [c, ['spec', list, i], list];
  };
  const spec: FieldPath = ['spec'];
  const sc = isPlainObject(podSpec.securityContext) ? podSpec.securityContext : undefined;
  const scPath: FieldPath = ['spec', 'securityContext'];

  if (sc && off('UserNamespacesSupport')) drop(sc, 'hostUsers', scPath, 'UserNamespacesSupport');
  if (sc && off('SupplementalGroupsPolicy')) drop(sc, 'supplementalGroupsPolicy', scPath, 'SupplementalGroupsPolicy');

  // dropDisabledPodLevelResources
  if (off('PodLevelResources')) drop(podSpec, 'resources', spec, 'PodLevelResources');

  // dropDisabledProcMountField: "we cannot force the field to nil", so a set procMount becomes Default.
  if (off('ProcMountType')) {
    for (const [c, path] of containers()) {
      const csc = c.securityContext;
      if (!isPlainObject(csc) || !isSet(csc.procMount) || csc.procMount === 'Default') continue;
      csc.procMount = 'Default';
      dropped.push({ path: [...path, 'securityContext', 'procMount'], gate: 'ProcMountType', forcedTo: 'Default' });
    }
  }

  // dropDisabledNodeInclusionPolicyFields, dropDisabledMatchLabelKeysFieldInTopologySpread
  for (const [i, tsc] of items(podSpec.topologySpreadConstraints)) {
    const path: FieldPath = ['spec', 'topologySpreadConstraints', i];
    if (off('NodeInclusionPolicyInPodTopologySpread')) {
      drop(tsc, 'nodeTaintsPolicy', path, 'NodeInclusionPolicyInPodTopologySpread');
      drop(tsc, 'nodeAffinityPolicy', path, 'NodeInclusionPolicyInPodTopologySpread');
    }
    if (off('MatchLabelKeysInPodTopologySpread')) drop(tsc, 'matchLabelKeys', path, 'MatchLabelKeysInPodTopologySpread');
  }

  // dropDisabledMatchLabelKeysFieldInPodAffinity: required and preferred terms of pod affinity and anti-affinity.
  if (off('MatchLabelKeysInPodAffinity') && isPlainObject(podSpec.affinity)) {
    for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
      const a = podSpec.affinity[kind];
      if (!isPlainObject(a)) continue;
      const terms: Array<[Obj, FieldPath]> = [];
      for (const [i, t] of items(a.requiredDuringSchedulingIgnoredDuringExecution)) {
        terms.push([t, ['spec', 'affinity', kind, 'requiredDuringSchedulingIgnoredDuringExecution', i]]);
      }
      for (const [i, w] of items(a.preferredDuringSchedulingIgnoredDuringExecution)) {
        if (isPlainObject(w.podAffinityTerm)) terms.push([w.podAffinityTerm, ['spec', 'affinity', kind, 'preferredDuringSchedulingIgnoredDuringExecution', i, 'podAffinityTerm']]);
      }
      for (const [t, path] of terms) {
        drop(t, 'matchLabelKeys', path, 'MatchLabelKeysInPodAffinity');
        drop(t, 'mismatchLabelKeys', path, 'MatchLabelKeysInPodAffinity');
      }
    }
  }

  // dropDisabledDynamicResourceAllocationFields: the containers' claims (their resources stay) and the pod's.
  if (off('DynamicResourceAllocation')) {
    for (const [c, path] of containers()) {
      if (isPlainObject(c.resources)) drop(c.resources, 'claims', [...path, 'resources'], 'DynamicResourceAllocation');
    }
    drop(podSpec, 'resourceClaims', spec, 'DynamicResourceAllocation');
  }

  // dropDisabledClusterTrustBundleProjection, dropDisabledPodCertificateProjection: the source is
  // emptied, not removed from the list.
  const ctb = off('ClusterTrustBundleProjection');
  const podCert = off('PodCertificateRequest');
  if (ctb || podCert) {
    for (const [i, vol] of items(podSpec.volumes)) {
      if (!isPlainObject(vol.projected)) continue;
      for (const [j, source] of items(vol.projected.sources)) {
        const path: FieldPath = ['spec', 'volumes', i, 'projected', 'sources', j];
        if (ctb) drop(source, 'clusterTrustBundle', path, 'ClusterTrustBundleProjection');
        if (podCert) drop(source, 'podCertificate', path, 'PodCertificateRequest');
      }
    }
  }

  // dropDisabledWorkloadRef
  if (off('GenericWorkload')) drop(podSpec, 'workloadRef', spec, 'GenericWorkload');

  if (off('InPlacePodVerticalScaling')) for (const [c, path] of containers()) drop(c, 'resizePolicy', path, 'InPlacePodVerticalScaling');

  if (off('SidecarContainers')) for (const [c, path] of containers(['initContainers'])) drop(c, 'restartPolicy', path, 'SidecarContainers');

  // dropContainerRestartRules runs only where the gate exists (1.34 on); before, validateContainers
  // rejects a regular container's restartPolicy instead (the container-restart-policy rule).
  if (featureExists(ctx, 'ContainerRestartRules') && off('ContainerRestartRules')) {
    for (const [c, path, list] of containers()) {
      if (list !== 'initContainers' || c.restartPolicy !== 'Always') drop(c, 'restartPolicy', path, 'ContainerRestartRules');
      drop(c, 'restartPolicyRules', path, 'ContainerRestartRules');
    }
  }

  if (off('RecursiveReadOnlyMounts')) {
    for (const [c, path] of containers()) {
      for (const [j, m] of items(c.volumeMounts)) drop(m, 'recursiveReadOnly', [...path, 'volumeMounts', j], 'RecursiveReadOnlyMounts');
    }
  }

  if (off('HostnameOverride')) drop(podSpec, 'hostnameOverride', spec, 'HostnameOverride');

  // dropFileKeyRefInUse: valueFrom stays, emptied.
  if (off('EnvFiles')) {
    for (const [c, path] of containers()) {
      for (const [j, env] of items(c.env)) {
        if (isPlainObject(env.valueFrom)) drop(env.valueFrom, 'fileKeyRef', [...path, 'env', j, 'valueFrom'], 'EnvFiles');
      }
    }
  }

  if (off('PodLifecycleSleepAction')) dropPodLifecycleSleepAction(podSpec, dropped);
  if (off('ImageVolume')) dropImageVolumes(podSpec, dropped);
  if (sc && off('SELinuxChangePolicy')) drop(sc, 'seLinuxChangePolicy', scPath, 'SELinuxChangePolicy');

  // dropContainerStopSignals: a lifecycle left empty goes too.
  if (off('ContainerStopSignals')) {
    for (const [c, path] of containers()) {
      const lc = c.lifecycle;
      if (!isPlainObject(lc) || !isSet(lc.stopSignal)) continue;
      drop(lc, 'stopSignal', [...path, 'lifecycle'], 'ContainerStopSignals');
      if (!isSet(lc.postStart) && !isSet(lc.preStop)) delete c.lifecycle;
    }
  }
  return dropped;
}

/** dropPodLifecycleSleepAction: a handler left with no other action goes, and so does a lifecycle left with nothing. */
function dropPodLifecycleSleepAction(podSpec: Obj, dropped: DisabledField[]): void {
  for (const list of ALL_CONTAINERS) {
    for (const [i, c] of items(podSpec[list])) {
      const lc = c.lifecycle;
      if (!isPlainObject(lc)) continue;
      const path: FieldPath = ['spec', list, i, 'lifecycle'];
      for (const hook of ['preStop', 'postStart'] as const) {
        const h = lc[hook];
        if (!isPlainObject(h) || !isSet(h.sleep)) continue;
        if (isSet(h.exec) || isSet(h.httpGet) || isSet(h.tcpSocket)) {
          delete h.sleep;
          dropped.push({ path: [...path, hook, 'sleep'], gate: 'PodLifecycleSleepAction' });
        } else {
          delete lc[hook];
          dropped.push({ path: [...path, hook], gate: 'PodLifecycleSleepAction' });
        }
      }
      if (!isSet(lc.preStop) && !isSet(lc.postStart) && !isSet(lc.stopSignal)) delete c.lifecycle;
    }
  }
}

/** dropImageVolumes: image volumes leave the list, and every container's mounts of them go too. */
function dropImageVolumes(podSpec: Obj, dropped: DisabledField[]): void {
  const names = new Set<unknown>();
  if (Array.isArray(podSpec.volumes)) {
    const kept = podSpec.volumes.filter((v, i) => {
      if (!isPlainObject(v) || !isSet(v.image)) return true;
      names.add(v.name);
      dropped.push({ path: ['spec', 'volumes', i], gate: 'ImageVolume' });
      return false;
    });
    // A nil list is omitted (omitempty).
    if (kept.length > 0) podSpec.volumes = kept;
    else delete podSpec.volumes;
  }
  for (const list of ALL_CONTAINERS) {
    for (const [i, c] of items(podSpec[list])) {
      if (!Array.isArray(c.volumeMounts)) continue;
      const kept = c.volumeMounts.filter((m, j) => {
        if (!isPlainObject(m) || !names.has(m.name)) return true;
        dropped.push({ path: ['spec', list, i, 'volumeMounts', j], gate: 'ImageVolume' });
        return false;
      });
      if (kept.length > 0) c.volumeMounts = kept;
      else delete c.volumeMounts;
    }
  }
}

/**
 * One sentence naming what `dropped` left out of the pod, by gate (undefined when nothing was):
 * `… in Kubernetes 1.34 from the stored template, so the pod lacks: spec.hostnameOverride (HostnameOverride).`
 */
export function disabledFieldsNote(dropped: readonly DisabledField[], kubernetesMinor: number): string | undefined {
  if (dropped.length === 0) return undefined;
  const byGate = new Map<PodFeatureGate, string[]>();
  for (const d of dropped) {
    const list = byGate.get(d.gate) ?? [];
    list.push(d.forcedTo === undefined ? formatPath(d.path) : `${formatPath(d.path)}, reset to ${d.forcedTo}`);
    byGate.set(d.gate, list);
  }
  const parts = [...byGate].map(([gate, paths]) => `${paths.join(', ')} (${gate})`);
  return `The API server drops the fields whose feature gate is off in Kubernetes 1.${kubernetesMinor} from the stored template, so the pod lacks: ${parts.join('; ')}.`;
}
