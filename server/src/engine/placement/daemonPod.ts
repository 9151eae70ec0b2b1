/**
 * The pod the DaemonSet controller creates, mirroring
 * - pkg/controller/daemon/util/daemonset_util.go (CreatePodTemplate, ReplaceDaemonSetPodNodeNameNodeAffinity,
 *   AddOrUpdateDaemonPodTolerations),
 * - pkg/controller/daemon/daemon_controller.go (syncNodes, NewPod),
 * - pkg/controller/controller_utils.go (GetPodFromTemplate, getPodsPrefix),
 * - pkg/api/pod/util.go (DropDisabledTemplateFields, which the API server applies to the template it
 *   stores, and so to every pod the controller copies from it),
 * - plugin/pkg/admission/runtimeclass/admission.go (setOverhead, setScheduling), which changes the pod
 *   as the API server creates it, when the cluster's RuntimeClasses are known.
 */
import { dropDisabledTemplateFields, type DisabledField } from '../dropDisabledFields';
import { isDNS1123Subdomain } from '../k8sNames';
import { targetOf } from '../kubernetesVersion';
import { isPlainObject, type ManifestObject } from '../model';
import { runtimeClassAdmission, type RuntimeClassAdmission } from './runtimeClass';
import { addOrUpdateDaemonPodTolerations, readToleration } from './tolerations';
import type { ClusterRuntimeClass, PlacementOptions, Toleration } from './types';

/** extensions.DaemonSetTemplateGenerationKey / DefaultDaemonSetUniqueLabelKey. */
export const DaemonSetTemplateGenerationKey = 'pod-template-generation';
export const ControllerRevisionHashLabelKey = 'controller-revision-hash';
/** The annotation the API server keeps on apps/v1 DaemonSets (deprecated.daemonset.template.generation). */
export const DeprecatedTemplateGenerationAnnotation = 'deprecated.daemonset.template.generation';

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/**
 * Fields of the pod API whose value is a map of strings (`map[string]string`), not a struct: metadata
 * labels and annotations, nodeSelector, csi volumeAttributes, flexVolume options (dnsConfig's
 * `options` is a list), a label selector's matchLabels (pod (anti-)affinity terms and their
 * namespaceSelector, topology spread constraints, clusterTrustBundle projections, ephemeral volume
 * claim templates) and a podCertificate projection's userAnnotations.
 */
const STRING_MAPS = new Set(['labels', 'annotations', 'nodeSelector', 'volumeAttributes', 'options', 'matchLabels', 'userAnnotations']);
/** Fields whose value is a resource list (`map[ResourceName]resource.Quantity`). */
const QUANTITY_MAPS = new Set(['limits', 'requests', 'overhead']);

/**
 * `value` as the API server reads it into Go and writes it back: a struct field written as `null`
 * takes its zero value and, being `omitempty`, is left out; in a map of strings a `null` value is
 * the empty string, in a resource list the quantity zero. Sequence items are kept as they are (a
 * `null` item is a zero struct, not a missing one). Changes `value` in place.
 */
export function withoutNullFields(value: unknown, mapOf?: 'string' | 'quantity'): void {
  if (Array.isArray(value)) {
    for (const item of value) withoutNullFields(item);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (v === null) {
      if (mapOf === 'string') value[k] = '';
      else if (mapOf === 'quantity') value[k] = '0';
      else delete value[k];
    } else if (!mapOf) {
      withoutNullFields(v, STRING_MAPS.has(k) && isPlainObject(v) ? 'string' : QUANTITY_MAPS.has(k) && isPlainObject(v) ? 'quantity' : undefined);
    }
  }
}

/** The DaemonSet's pod template (`spec.template`), or an empty one. */
export function templateOf(ds: ManifestObject | Record<string, unknown>): { metadata: Record<string, unknown>; spec: Record<string, unknown> } {
  const v = 'value' in ds && 'node' in ds ? (ds as ManifestObject).value : (ds as Record<string, unknown>);
  const spec = isPlainObject(v.spec) ? v.spec : {};
  const tpl = isPlainObject(spec.template) ? spec.template : {};
  return { metadata: isPlainObject(tpl.metadata) ? tpl.metadata : {}, spec: isPlainObject(tpl.spec) ? tpl.spec : {} };
}

/** The template's tolerations read leniently. */
export function templateTolerations(podSpec: Record<string, unknown>): Toleration[] {
  const raw = Array.isArray(podSpec.tolerations) ? podSpec.tolerations : [];
  const out: Toleration[] = [];
  for (const t of raw) {
    const r = readToleration(t);
    if (r) out.push(r);
  }
  return out;
}

/** The tolerations a daemon pod of this DaemonSet carries: the template's after AddOrUpdateDaemonPodTolerations. */
export function effectiveTolerations(ds: ManifestObject | Record<string, unknown>): Toleration[] {
  const { spec } = templateOf(ds);
  return addOrUpdateDaemonPodTolerations(templateTolerations(spec), spec.hostNetwork === true);
}

/**
 * ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes one term
 * `metadata.name In [nodename]`; preferred terms, pod (anti-)affinity stay.
 */
export function replaceDaemonSetPodNodeNameNodeAffinity(affinity: unknown, nodename: string): Record<string, unknown> {
  const nodeSelReq = { key: 'metadata.name', operator: 'In', values: [nodename] };
  const nodeSelector = { nodeSelectorTerms: [{ matchFields: [nodeSelReq] }] };
  if (!isPlainObject(affinity)) return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: nodeSelector } };
  const out: Record<string, unknown> = clone(affinity);
  if (!isPlainObject(out.nodeAffinity)) {
    out.nodeAffinity = { requiredDuringSchedulingIgnoredDuringExecution: nodeSelector };
    return out;
  }
  const na = out.nodeAffinity as Record<string, unknown>;
  // Both "nil" and "present" end with exactly this one term: every old term is replaced.
  na.requiredDuringSchedulingIgnoredDuringExecution = nodeSelector;
  return out;
}

/**
 * strconv.ParseInt(s, 10, 64), as Go prints the result: an optional sign and decimal digits within
 * int64 (`"007"` is 7, `"+3"` is 3). A number is taken as its integer value (YAML read it unquoted).
 */
function parseInt64(raw: unknown): bigint | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? BigInt(raw) : undefined;
  if (typeof raw !== 'string' || !/^[+-]?[0-9]+$/.test(raw)) return undefined;
  const v = BigInt(raw);
  return v > 9223372036854775807n || v < -9223372036854775808n ? undefined : v;
}

function generationAnnotation(ds: ManifestObject): unknown {
  const meta = isPlainObject(ds.value.metadata) ? ds.value.metadata : {};
  const ann = isPlainObject(meta.annotations) ? meta.annotations : {};
  return ann[DeprecatedTemplateGenerationAnnotation];
}

/**
 * The DaemonSet's template generation, as the controller reads it from the annotation the API server
 * writes (util.GetTemplateGeneration: strconv.ParseInt); undefined without one, or when it does not parse.
 */
export function templateGeneration(ds: ManifestObject): string | undefined {
  return parseInt64(generationAnnotation(ds))?.toString();
}

/**
 * The template generation the API server stores when the manifest is created, which syncNodes reads
 * back (util.GetTemplateGeneration) to label the pods: the `deprecated.daemonset.template.generation`
 * annotation (spec.templateGeneration in extensions/v1beta1) becomes spec.TemplateGeneration
 * (Convert_v1_DaemonSet_To_apps_DaemonSet, strconv.ParseInt), daemonSetStrategy.PrepareForCreate raises
 * it to at least 1, and Convert_apps_DaemonSet_To_v1_DaemonSet writes it back as the annotation. A
 * manifest without one is therefore generation 1. Undefined when the annotation is not an integer (the
 * API rejects it).
 */
export function createdTemplateGeneration(ds: ManifestObject): string | undefined {
  const spec = isPlainObject(ds.value.spec) ? ds.value.spec : {};
  const raw = ds.apiVersion === 'extensions/v1beta1' ? spec.templateGeneration : generationAnnotation(ds);
  if (raw === undefined || raw === null) return '1';
  const gen = parseInt64(raw);
  if (gen === undefined) return undefined;
  return (gen < 1n ? 1n : gen).toString();
}

/**
 * CreatePodTemplate: the template with the automatic tolerations and the labels
 * `pod-template-generation` (the generation of the created DaemonSet, see createdTemplateGeneration)
 * and `controller-revision-hash` (when given: it is the hash of the current ControllerRevision,
 * controller.ComputeHash over the Go template struct, which is not computed here).
 */
export function createPodTemplate(ds: ManifestObject, hash?: string): { metadata: Record<string, unknown>; spec: Record<string, unknown> } {
  const tpl = templateOf(ds);
  const metadata = clone(tpl.metadata);
  const spec = clone(tpl.spec);
  const tolerations = addOrUpdateDaemonPodTolerations(templateTolerations(spec), spec.hostNetwork === true);
  spec.tolerations = tolerations.map(tolerationToObject);
  const labels: Record<string, unknown> = isPlainObject(metadata.labels) ? metadata.labels : {};
  const gen = createdTemplateGeneration(ds);
  if (gen !== undefined) labels[DaemonSetTemplateGenerationKey] = gen;
  if (hash) labels[ControllerRevisionHashLabelKey] = hash;
  metadata.labels = labels;
  return { metadata, spec };
}

/** A toleration as the API writes it (field order key, operator, value, effect, tolerationSeconds). */
export function tolerationToObject(t: Toleration): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (t.key !== undefined) o.key = t.key;
  if (t.operator !== undefined) o.operator = t.operator;
  if (t.value !== undefined) o.value = t.value;
  if (t.effect !== undefined) o.effect = t.effect;
  if (t.tolerationSeconds !== undefined) o.tolerationSeconds = t.tolerationSeconds;
  return o;
}

/** controller_utils.go getPodsPrefix: `<name>-`, or the bare name when that is not a valid prefix. */
export function getPodsPrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  // ValidatePodName(prefix, true) masks the trailing dash before the DNS-1123 subdomain check.
  return isDNS1123Subdomain(`${controllerName}a`).length === 0 ? prefix : controllerName;
}

/**
 * The pod `syncNodes` creates on `nodeName`: GetPodFromTemplate over CreatePodTemplate with the node
 * affinity replaced; labels, annotations and finalizers of the template; `generateName`; namespace;
 * a controller ownerReference to the DaemonSet. `spec.nodeName` is left to the scheduler. The template
 * is the one the API server stores for the target version and gates (`options`, the engine's default
 * target when unset): without the fields DropDisabledTemplateFields drops, listed in `dropped`.
 * With `runtimeClasses` (the cluster file's), the pod as the RuntimeClass admission plugin leaves it:
 * the class's overhead, nodeSelector and tolerations; `runtimeClass` says what it did, or why it
 * refuses the pod (which is then shown as the controller asks for it, and never exists).
 */
export function newDaemonPodOf(
  ds: ManifestObject,
  nodeName: string,
  options: Pick<PlacementOptions, 'featureGates' | 'kubernetesMinor' | 'currentRevision'> & { runtimeClasses?: readonly ClusterRuntimeClass[] } = {},
): { pod: Record<string, unknown>; dropped: DisabledField[]; runtimeClass?: RuntimeClassAdmission } {
  const tpl = createPodTemplate(ds, options.currentRevision);
  const dsName = ds.name ?? '';
  const metadata: Record<string, unknown> = { generateName: getPodsPrefix(dsName), namespace: ds.namespace ?? 'default' };
  if (isPlainObject(tpl.metadata.labels) && Object.keys(tpl.metadata.labels).length > 0) metadata.labels = tpl.metadata.labels;
  if (isPlainObject(tpl.metadata.annotations) && Object.keys(tpl.metadata.annotations).length > 0) metadata.annotations = tpl.metadata.annotations;
  if (Array.isArray(tpl.metadata.finalizers) && tpl.metadata.finalizers.length > 0) metadata.finalizers = tpl.metadata.finalizers;
  const dsMeta = isPlainObject(ds.value.metadata) ? ds.value.metadata : {};
  const ref: Record<string, unknown> = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: dsName };
  if (typeof dsMeta.uid === 'string') ref.uid = dsMeta.uid;
  ref.controller = true;
  ref.blockOwnerDeletion = true;
  metadata.ownerReferences = [ref];
  const spec = tpl.spec;
  withoutNullFields(metadata);
  withoutNullFields(spec);
  const dropped = dropDisabledTemplateFields(spec, targetOf(options));
  spec.affinity = replaceDaemonSetPodNodeNameNodeAffinity(spec.affinity, nodeName);
  const rca = runtimeClassAdmission(spec, templateTolerations(spec), options.runtimeClasses);
  if (rca && !rca.rejection) applyRuntimeClass(spec, rca);
  return { pod: { apiVersion: 'v1', kind: 'Pod', metadata, spec }, dropped, ...(rca ? { runtimeClass: rca } : {}) };
}

/** admission.go setOverhead and setScheduling on the created pod's spec (in place). */
function applyRuntimeClass(spec: Record<string, unknown>, rca: RuntimeClassAdmission): void {
  const rc = rca.runtimeClass;
  // setOverhead: the class's podFixed replaces the pod's overhead (equal to it, or the pod is refused).
  if (rc?.overhead) {
    if (rca.overhead && Object.keys(rca.overhead).length > 0) spec.overhead = { ...rca.overhead };
    else delete spec.overhead;
  }
  // setScheduling: the class's nodeSelector merged in (a nil pod selector becomes the class's) and
  // MergeTolerations(pod's, class's).
  if (rc?.scheduling) {
    const sel = rc.scheduling.nodeSelector;
    if (isPlainObject(spec.nodeSelector)) {
      for (const [k, v] of Object.entries(rca.addedNodeSelector ?? {})) spec.nodeSelector[k] = v;
    } else if (sel) spec.nodeSelector = { ...sel };
    const tolerations = rca.tolerations ?? [];
    if (tolerations.length > 0) spec.tolerations = tolerations.map(tolerationToObject);
    else delete spec.tolerations;
  }
}

/** newDaemonPodOf's pod, for the target given by `options`. */
export function newDaemonPod(
  ds: ManifestObject,
  nodeName: string,
  hash?: string,
  options: Pick<PlacementOptions, 'featureGates' | 'kubernetesMinor'> = {},
): Record<string, unknown> {
  return newDaemonPodOf(ds, nodeName, { ...options, currentRevision: hash }).pod;
}
