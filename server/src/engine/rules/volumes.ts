import { locate, valueAt } from '../ast';
import { featureEnabled } from '../featureGates';
import { isDNS1123Label } from '../k8sNames';
import type { ManifestObject } from '../model';
import { objectMemo } from '../objectMemo';
import { isRecord, isSet, POD_SPEC, str } from '../podTemplate';
import { utf8Length } from '../text';
import type { FieldPath, Finding } from '../types';
import { ErrorList, Loc, validateSource, type VolumeError, type VolumeGates } from '../volumeSources';
import type { Rule, RuleContext } from './rule';

/**
 * The volume sources in validateVolumeSource's order: the JSON key, the name upstream prints when
 * a second source is given ("may not specify more than 1 volume type", spelled as upstream spells
 * it), and the name it validates the source under when that differs from the key.
 */
const SOURCES: ReadonlyArray<readonly [key: string, secondName: string, validatedAs?: string]> = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk', 'persistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret'],
  ['nfs', 'nfs'],
  ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd'],
  ['cinder', 'cinder'],
  ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'],
  ['downwardAPI', 'downwarAPI'],
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['configMap', 'configMap'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'],
  ['projected', 'projected'],
  ['scaleIO', 'scaleIO'],
  ['csi', 'csi'],
  ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];

/** The feature gates the volume checks depend on, for the target version and settings. */
export interface VolumeOptions extends VolumeGates {
  /** RecursiveReadOnlyMounts; off, a mount's `recursiveReadOnly` is dropped before validation. */
  recursiveReadOnlyMounts: boolean;
}

/** The options of each rule context: one object per validation of a file, asked for by every DaemonSet. */
const optionsOf = new WeakMap<RuleContext, VolumeOptions>();

export function volumeOptions(ctx: RuleContext): VolumeOptions {
  let options = optionsOf.get(ctx);
  if (!options) {
    options = {
      imageVolume: featureEnabled(ctx, 'ImageVolume'),
      clusterTrustBundleProjection: featureEnabled(ctx, 'ClusterTrustBundleProjection'),
      podCertificateRequest: featureEnabled(ctx, 'PodCertificateRequest'),
      csiDriverRequiredAlone: ctx.kubernetesMinor >= 35,
      recursiveReadOnlyMounts: featureEnabled(ctx, 'RecursiveReadOnlyMounts'),
    };
    optionsOf.set(ctx, options);
  }
  return options;
}

/** Whether two option sets are the same (the same context gives the same object). */
function sameOptions(a: VolumeOptions, b: VolumeOptions): boolean {
  return a === b || (a.imageVolume === b.imageVolume && a.clusterTrustBundleProjection === b.clusterTrustBundleProjection
    && a.podCertificateRequest === b.podCertificateRequest && a.recursiveReadOnlyMounts === b.recursiveReadOnlyMounts
    && a.csiDriverRequiredAlone === b.csiDriverRequiredAlone);
}

/** What ValidateVolumes finds in a pod template, shared by the `volumes` and `volume-mounts` rules. */
export interface VolumeAnalysis {
  errors: VolumeError[];
  /** ValidateVolumes' map of the volumes it accepts (a volume with any error is left out): name → whether it is a claim (PVC or ephemeral). */
  valid: Map<string, { claim: boolean }>;
  /** Every volume name written, for "did you mean". */
  names: string[];
  /** False when the list does not read as the API server would decode it (not a list, an item that is not a map, a name that is not a string, a template placeholder): mounts are then not matched against it. */
  known: boolean;
  /** Image volumes dropped before validation while the ImageVolume gate is off; mounts of them are dropped too. */
  dropped: Set<string>;
}

const analyses = objectMemo<{ options: VolumeOptions; model: unknown; base: number; analysis: VolumeAnalysis }>();

/** ValidateVolumes over the template's volumes, computed once per DaemonSet and options. */
export function analyzeVolumes(ds: ManifestObject, ctx: RuleContext): VolumeAnalysis {
  const options = volumeOptions(ctx);
  const hit = analyses.get(ds);
  if (hit && sameOptions(hit.options, options) && hit.model === ctx.model && hit.base === ds.base) return hit.analysis;
  const analysis = validateVolumes(ds, options);
  analyses.set(ds, { options, model: ctx.model, base: ds.base, analysis });
  return analysis;
}

const VOLUMES: FieldPath = [...POD_SPEC, 'volumes'];

/**
 * pkg/apis/core/validation/validation.go ValidateVolumes for a pod template (podMeta is nil, so
 * the names of PVCs created for ephemeral volumes are not checked): each volume's source
 * (validateVolumeSource), then its name (required, a DNS-1123 label, not a duplicate of an
 * accepted volume).
 */
function validateVolumes(ds: ManifestObject, options: VolumeOptions): VolumeAnalysis {
  const analysis: VolumeAnalysis = { errors: [], valid: new Map(), names: [], known: true, dropped: new Set() };
  const list = valueAt(ds, VOLUMES);
  if (list === undefined || list === null) return analysis;
  if (!Array.isArray(list)) {
    analysis.known = false;
    return analysis;
  }
  let printedIndex = 0;
  list.forEach((vol, index) => {
    if (!isRecord(vol)) {
      analysis.known = false;
      return;
    }
    const name = str(vol.name);
    const path = [...VOLUMES, index];
    // A template placeholder (`{{ … }}`) in the name: what it renders to is unknown.
    if (name === undefined || holdsPlaceholder(ds, [...path, 'name'])) analysis.known = false;
    else if (name !== '') analysis.names.push(name);
    if (!options.imageVolume && vol.image !== undefined && vol.image !== null) {
      // pkg/api/pod dropImageVolumes: the volume is removed before validation, and the list closes up.
      if (name !== undefined) analysis.dropped.add(name);
      return;
    }
    const loc = new Loc([...VOLUMES, printedIndex++], path);
    const e = new ErrorList(volumes, ds);
    validateVolumeSource(e, vol, loc, name ?? '', options);
    if (name === '') e.required(loc.child('name'), undefined, { absent: vol.name === undefined || vol.name === null });
    else if (name !== undefined) for (const msg of isDNS1123Label(name)) e.invalid(loc.child('name'), name, msg);
    if (name !== undefined && analysis.valid.has(name)) e.add(loc.child('name'), 'Duplicate', undefined, name);
    // A volume holding a placeholder may be valid once rendered: its mounts are not "Not found".
    if (e.length === 0 || holdsPlaceholder(ds, path)) {
      if (name !== undefined) analysis.valid.set(name, { claim: isSet(vol.persistentVolumeClaim) || isSet(vol.ephemeral) });
    }
    analysis.errors.push(...e.items);
  });
  return analysis;
}

/** Each source's place in SOURCES. */
const SOURCE_ORDER = new Map(SOURCES.map(([key], i) => [key, i]));

/**
 * Whether a volume's EmptyDir is set once defaulted: it sets an emptyDir (beside other sources or
 * not), or no source at all (SetDefaults_Volume then gives it one).
 */
export function isEmptyDirVolume(vol: Record<string, unknown>): boolean {
  if (isSet(vol.emptyDir)) return true;
  for (const key in vol) if (SOURCE_ORDER.has(key) && isSet(vol[key])) return false;
  return true;
}

/** validateVolumeSource: at most one source (none is an emptyDir once defaulted), validated by its own validator. */
function validateVolumeSource(e: ErrorList, vol: Record<string, unknown>, loc: Loc, volName: string, options: VolumeOptions): void {
  // The sources set, in upstream's order: a volume names one or two keys, SOURCES has thirty.
  const set: number[] = [];
  for (const key in vol) {
    const i = SOURCE_ORDER.get(key);
    if (i !== undefined && isSet(vol[key])) set.push(i);
  }
  if (set.length > 1) set.sort((a, b) => a - b);
  set.forEach((i, n) => {
    const [key, secondName, validatedAs] = SOURCES[i];
    const src = vol[key];
    if (n > 0) e.forbidden(new Loc([...loc.printed, secondName], [...loc.at, key]), 'may not specify more than 1 volume type');
    // Another type than a map is the schema's finding (the API server cannot decode it).
    else if (isRecord(src)) validateSource(e, key, src, new Loc([...loc.printed, validatedAs ?? key], [...loc.at, key]), options);
    if (key === 'iscsi' && isRecord(src) && isSet(src.initiatorName) && typeof src.targetPortal === 'string' && utf8Length(`${volName}:${src.targetPortal}`) > 64) {
      e.invalid(loc.child('name'), volName, 'Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.');
    }
  });
  // Upstream's `numVolumes == 0` → "must specify a volume type" is not reached from the API:
  // SetDefaults_Volume gives a volume without a source an emptyDir.
}

/** Whether a template placeholder (`{{ … }}`) lies inside the value at `path`: what it renders to is unknown. */
function holdsPlaceholder(ds: ManifestObject, path: FieldPath): boolean {
  const spans = ds.placeholders;
  if (!spans?.length) return false;
  const r = locate(ds, path).node?.range;
  return !!r && spans.some((p) => r[0] <= p.start && p.start < r[2]);
}

/**
 * pkg/apis/core/validation/validation.go ValidateVolumes and validateVolumeSource with the
 * validators of each source (engine/volumeSources.ts).
 */
export const volumes: Rule = {
  id: 'volumes',
  description: 'Volumes need a unique DNS-1123 name and one valid source (hostPath, configMap, secret, projected, downwardAPI, emptyDir, csi, …).',
  help: 'Upstream ValidateVolumes requires each volume to have a `name` (a lowercase RFC 1123 label, not used twice) and at most one volume source (`Forbidden: may not specify more than 1 volume type`; a volume without one is defaulted to an emptyDir), then checks the source: a hostPath `path` (required, no `..`) and `type` (Directory, DirectoryOrCreate, File, FileOrCreate, Socket, CharDevice, BlockDevice or empty); configMap `name` and secret `secretName`; `items` keys and relative paths without `..`; file modes between 0 and 0777 (octal; `0644` in YAML is octal, as the API server reads it); downwardAPI field paths (metadata.name, metadata.namespace, metadata.uid, metadata.labels, metadata.annotations) and resource fields; projected sources (one type each, no path twice, token expiration of at least 10 minutes); a non-negative emptyDir sizeLimit; a persistentVolumeClaim `claimName`; a csi `driver` (a DNS subdomain of at most 63 characters); an ephemeral `volumeClaimTemplate` with access modes and a storage request. A volume with an error is not created, so mounts of it are also `Not found` (rule volume-mounts).',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const out: Finding[] = [];
    for (const err of analyzeVolumes(ds, ctx).errors) {
      // The schema reports a missing field itself; a Kustomize patch leaves fields to its base.
      if (err.quiet || (ds.partial && err.absent)) continue;
      out.push(err.finding);
    }
    return out;
  },
};
