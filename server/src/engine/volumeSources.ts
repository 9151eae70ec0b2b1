/**
 * The volume sources of a pod template as the API server validates them, mirroring
 * pkg/apis/core/validation/validation.go (Kubernetes 1.34.1) validateVolumeSource and the
 * per-source validators it calls, with their upstream messages and field paths — including the
 * paths upstream prints somewhere else than where the value is (`downwardAPI.path` for
 * `downwardAPI.items[0].path`, `projected.path` for a token's path, `csi.name` for the secret
 * name, `persistentDisk` for gcePersistentDisk). The span is always the value's own.
 *
 * Defaulting the API server does before validation is applied here (a hostPath `type` of "",
 * fieldRef `apiVersion: v1`, token `expirationSeconds: 3600`, an image volume's pullPolicy); the
 * model reads integers as the Kubernetes YAML decoder does (`defaultMode: 0644` is octal 420,
 * engine/goYamlNumber.ts). A value of the wrong type is the schema's finding and is skipped here.
 */
import { locate, valueAt } from './ast';
import { supportedValues, type FieldErrorType } from './fieldErrors';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from './k8sNames';
import { findingAt, GoValue, spanAt, validateAnnotations, validateLabels } from './metaValidation';
import type { ManifestObject } from './model';
import { firstKeySpan, isRecord, isSet, items, str } from './podTemplate';
import { canonicalQuantity, compareQuantities, quantityError } from './quantity';
import type { Rule } from './rules/rule';
import { hasBackstep, localDescendingPathErrors, utf8Length } from './text';
import type { FieldPath, Finding, Span } from './types';
import { isMap, isSeq } from './yamlNodes';
import { convertDownwardAPIFieldLabel, divisorError, isResourceFieldPath, RESOURCE_FIELD_PATHS, splitMaybeSubscriptedPath } from './downwardApi';

type RuleRef = Pick<Rule, 'id' | 'defaultSeverity'>;

/** One upstream error about a volume. */
export interface VolumeError {
  finding: Finding;
  /** About a field that is not there at all (a Kustomize patch may leave it to its base). */
  absent?: boolean;
  /** Counted (the volume is not valid, so mounts of it are "Not found") but not reported: the schema reports the missing field. */
  quiet?: boolean;
  /** The decoder's error: the API server rejects the request with it alone, so it makes nothing "Not found". */
  decode?: boolean;
}

/** Where upstream prints an error (`printed`), and where its value is in the YAML (`at`). */
export class Loc {
  constructor(
    readonly printed: FieldPath,
    readonly at: FieldPath = printed,
  ) {}
  child(...segs: Array<string | number>): Loc {
    return new Loc([...this.printed, ...segs], [...this.at, ...segs]);
  }
}

/** A field.ErrorList being built, for one DaemonSet. */
export class ErrorList {
  readonly items: VolumeError[] = [];
  constructor(
    readonly rule: RuleRef,
    readonly ds: ManifestObject,
  ) {}

  /** How many errors validation gives (the decoder's are not among them). */
  get length(): number {
    let n = 0;
    for (const it of this.items) if (!it.decode) n++;
    return n;
  }

  add(loc: Loc, type: FieldErrorType, detail?: string, badValue?: unknown, on: 'key' | 'value' = 'value', flags: { absent?: boolean; quiet?: boolean; decode?: boolean } = {}): Finding {
    const finding = findingAt(this.rule, this.ds, loc.printed, this.spanOf(loc.at, on), type, detail, badValue);
    this.items.push({ finding, ...flags });
    return finding;
  }

  /**
   * The span of the value (or key) at `at`. A list item stands for itself by its first key, and
   * a block mapping or list by its key: they span many lines.
   */
  private spanOf(at: FieldPath, on: 'key' | 'value'): Span {
    if (typeof at[at.length - 1] === 'number') {
      const item = valueAt(this.ds, at);
      const first = isRecord(item) ? firstKeySpan(this.ds, at, item) : undefined;
      if (first) return first;
    }
    const node = locate(this.ds, at).node;
    if ((isMap(node) || isSeq(node)) && !node.flow) on = 'key';
    return spanAt(this.ds, at, on);
  }

  /** field.Required, on a value that is there but empty, or (`absent`) not there at all. */
  required(loc: Loc, detail?: string, flags: { absent?: boolean; quiet?: boolean } = {}): void {
    this.add(loc, 'Required', detail, undefined, 'value', flags);
  }

  invalid(loc: Loc, badValue: unknown, detail: string, flags: { absent?: boolean } = {}): void {
    this.add(loc, 'Invalid', detail, badValue, 'value', flags);
  }

  notSupported(loc: Loc, badValue: unknown, values: readonly string[]): void {
    this.add(loc, 'NotSupported', supportedValues(values), badValue);
  }

  forbidden(loc: Loc, detail: string, on: 'key' | 'value' = 'key'): void {
    this.add(loc, 'Forbidden', detail, undefined, on);
  }

  /** The decoder's own error (a quantity that does not parse), which upstream reports instead of validating. */
  decodeError(loc: Loc, message: string): void {
    const f = this.add(loc, 'Invalid', '', undefined, 'value', { decode: true });
    f.message = message;
  }

  /**
   * `len(field) == 0` → Required. `schema`: the OpenAPI schema requires the field and reports its
   * absence itself. Returns the string, or undefined for another type (the schema's finding).
   */
  requiredString(loc: Loc, src: Record<string, unknown>, field: string, schema = false, detail?: string): string | undefined {
    const v = src[field];
    const s = str(v);
    if (s === '') {
      const absent = v === undefined || v === null;
      this.required(loc.child(field), detail, { absent, quiet: absent && schema });
    }
    return s;
  }

  /**
   * An integer field; undefined when unset or not an integer. The model reads numbers as the
   * Kubernetes YAML decoder does (engine/goYamlNumber.ts: `0644` is 420), through aliases too.
   */
  int(_loc: Loc, v: unknown): number | undefined {
    return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
  }

  /** A resource.Quantity field: its canonical form, or undefined (unset, or a decode error reported here). */
  quantity(loc: Loc, v: unknown): string | undefined {
    // Another type than a string or a number is the schema's finding.
    if (typeof v !== 'string' && typeof v !== 'number') return undefined;
    const error = quantityError(v);
    if (error !== undefined) {
      this.decodeError(loc, error);
      return undefined;
    }
    return canonicalQuantity(v);
  }
}

/** The value when it is a map; another type is the schema's finding (the API server cannot decode it) and is not looked into. */
function record(v: unknown): Record<string, unknown> | undefined {
  return isRecord(v) ? v : undefined;
}

const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';
const PD_PARTITION_ERROR = 'must be between 1 and 255, inclusive'; // validation.InclusiveRangeError(1, 255)

function validateMode(e: ErrorList, loc: Loc, v: unknown): void {
  const mode = e.int(loc, v);
  if (mode !== undefined && (mode > 0o777 || mode < 0)) e.invalid(loc, mode, FILE_MODE_ERROR);
}

/** validatePathNoBacksteps: no `..` element (the API server runs on Linux: filepath.ToSlash changes nothing). */
function validatePathNoBacksteps(e: ErrorList, targetPath: string, loc: Loc): void {
  if (hasBackstep(targetPath)) e.invalid(loc, targetPath, "must not contain '..'");
}

/** validateLocalDescendingPath: relative, no `..` element. */
export function validateLocalDescendingPath(e: ErrorList, targetPath: string, loc: Loc): void {
  for (const msg of localDescendingPathErrors(targetPath)) e.invalid(loc, targetPath, msg);
}

/** ValidateLocalNonReservedPath: validateLocalDescendingPath, and not starting with `..` (`..` itself gets both errors upstream). */
function validateLocalNonReservedPath(e: ErrorList, targetPath: string, loc: Loc): void {
  validateLocalDescendingPath(e, targetPath, loc);
  if (targetPath.startsWith('..') && !targetPath.startsWith('../')) e.invalid(loc, targetPath, "must not start with '..'");
}

/** validateKeyToPath. */
function validateKeyToPath(e: ErrorList, kp: Record<string, unknown>, loc: Loc): string | undefined {
  e.requiredString(loc, kp, 'key');
  const path = e.requiredString(loc, kp, 'path');
  if (path !== undefined) validateLocalNonReservedPath(e, path, loc.child('path'));
  validateMode(e, loc.child('mode'), kp.mode);
  return path;
}

// supportedHostPathTypes, sorted (sets.List); "" is HostPathUnset, the default.
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** validateHostPathVolumeSource. */
function validateHostPath(e: ErrorList, src: Record<string, unknown>, loc: Loc): void {
  const path = e.requiredString(loc, src, 'path');
  if (path === '' || path === undefined) return;
  validatePathNoBacksteps(e, path, loc.child('path'));
  // validateHostPathType; SetDefaults_HostPathVolumeSource makes an unset type "".
  const type = src.type;
  if (typeof type === 'string' && !HOST_PATH_TYPES.includes(type)) e.notSupported(loc.child('type'), type, HOST_PATH_TYPES);
}

/** The emptyDir check of validateVolumeSource: sizeLimit not negative (medium is not validated by the API server). */
function validateEmptyDir(e: ErrorList, src: Record<string, unknown>, loc: Loc): void {
  const sizeLimit = e.quantity(loc.child('sizeLimit'), src.sizeLimit);
  if (sizeLimit !== undefined && compareQuantities(src.sizeLimit, 0) === -1) {
    e.forbidden(loc.child('sizeLimit'), 'SizeLimit field must be a valid resource quantity', 'value');
  }
}

/** validateSecretVolumeSource / validateConfigMapVolumeSource (`nameField` is secretName or name). */
function validateObjectVolume(e: ErrorList, src: Record<string, unknown>, loc: Loc, nameField: string): void {
  e.requiredString(loc, src, nameField);
  validateMode(e, loc.child('defaultMode'), src.defaultMode);
  for (const [i, kp] of items(src.items)) validateKeyToPath(e, kp, loc.child('items', i));
}

/** validVolumeDownwardAPIFieldPathExpressions, sorted. */
const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
/** validateObjectFieldSelector with the volume expressions (apiVersion defaults to v1, SetDefaults_ObjectFieldSelector). */
function validateObjectFieldSelector(e: ErrorList, fs: Record<string, unknown>, loc: Loc): void {
  const apiVersion = str(fs.apiVersion);
  const fieldPath = e.requiredString(loc, fs, 'fieldPath');
  if (apiVersion === undefined || fieldPath === undefined || fieldPath === '') return;
  // podshelper.ConvertDownwardAPIFieldLabel
  const converted = convertDownwardAPIFieldLabel(apiVersion || 'v1', fieldPath);
  if ('error' in converted) {
    e.invalid(loc.child('fieldPath'), fieldPath, `error converting fieldPath: ${converted.error}`);
    return;
  }
  const { path: internal, subscript } = splitMaybeSubscriptedPath(converted.path);
  if (subscript !== undefined) {
    // ValidateQualifiedName on the subscript (lower-cased for annotations), reported on fieldRef itself.
    const key = internal === 'metadata.annotations' ? subscript.toLowerCase() : subscript;
    for (const msg of isQualifiedName(key)) e.invalid(loc, key, msg);
    return;
  }
  if (!VOLUME_FIELD_PATHS.includes(internal)) e.notSupported(loc.child('fieldPath'), internal, VOLUME_FIELD_PATHS);
}

/** validateContainerResourceFieldSelector(…, volume=true) and validateContainerResourceDivisor. */
function validateResourceFieldSelector(e: ErrorList, fs: Record<string, unknown>, loc: Loc): void {
  const containerName = str(fs.containerName);
  const resource = str(fs.resource);
  if (containerName === '') e.requiredString(loc, fs, 'containerName');
  else if (resource === '') e.requiredString(loc, fs, 'resource');
  else if (resource !== undefined && !isResourceFieldPath(resource)) {
    e.notSupported(loc.child('resource'), resource, RESOURCE_FIELD_PATHS);
  }
  const divisor = e.quantity(loc.child('divisor'), fs.divisor);
  if (divisor === undefined || resource === undefined || compareQuantities(fs.divisor, 0) === 0) return;
  const detail = divisorError(resource, divisor);
  if (detail) e.invalid(loc.child('divisor'), resource, detail);
}

/**
 * validateDownwardAPIVolumeFile. Upstream passes the downwardAPI source's path, not the item's, so
 * every error prints `…downwardAPI.path` (`loc.printed`) while its span is the item's (`loc.at`).
 */
function validateDownwardAPIVolumeFile(e: ErrorList, file: Record<string, unknown>, loc: Loc): string | undefined {
  const path = e.requiredString(loc, file, 'path');
  if (path !== undefined) validateLocalNonReservedPath(e, path, loc.child('path'));
  const { fieldRef, resourceFieldRef } = file;
  if (isSet(fieldRef)) {
    if (isRecord(fieldRef)) validateObjectFieldSelector(e, fieldRef, loc.child('fieldRef'));
    if (isSet(resourceFieldRef)) e.invalid(loc, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously');
  } else if (isSet(resourceFieldRef)) {
    if (isRecord(resourceFieldRef)) validateResourceFieldSelector(e, resourceFieldRef, loc.child('resourceFieldRef'));
  } else {
    e.required(loc, 'one of fieldRef and resourceFieldRef is required');
  }
  validateMode(e, loc.child('mode'), file.mode);
  return path;
}

/** validateDownwardAPIVolumeSource. */
function validateDownwardAPI(e: ErrorList, src: Record<string, unknown>, loc: Loc): void {
  validateMode(e, loc.child('defaultMode'), src.defaultMode);
  for (const [i, file] of items(src.items)) validateDownwardAPIVolumeFile(e, file, new Loc(loc.printed, [...loc.at, 'items', i]));
}

/** Feature gates whose fields are dropped before validation while they are off (pkg/api/pod dropDisabledPodFields). */
export interface VolumeGates {
  imageVolume: boolean;
  clusterTrustBundleProjection: boolean;
  podCertificateRequest: boolean;
  /** From 1.35 an empty csi `driver` is only Required (ValidateCSIDriverName returns early). */
  csiDriverRequiredAlone: boolean;
}

/**
 * validateProjectedVolumeSource → validateProjectionSources. clusterTrustBundle and podCertificate
 * sources (feature gates off by default) are dropped when their gate is off; with it on they count
 * as a source, but their fields are left unchecked.
 */
function validateProjected(e: ErrorList, src: Record<string, unknown>, loc: Loc, gates: VolumeGates): void {
  validateMode(e, loc.child('defaultMode'), src.defaultMode);
  const allPaths = new Set<string>();
  const addPath = (path: string | undefined, badValue: unknown, at: Loc) => {
    if (path === undefined || path.length === 0) return;
    if (allPaths.has(path)) e.invalid(new Loc(loc.printed, at.at), badValue, 'conflicting duplicate paths');
    else allPaths.add(path);
  };
  for (const [i, source] of items(src.sources)) {
    const srcLoc = loc.child('sources', i);
    let numSources = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      if (!isSet(source[kind])) continue;
      numSources++;
      const s = record(source[kind]);
      if (!s) continue;
      const projLoc = srcLoc.child(kind);
      const name = e.requiredString(projLoc, s, 'name');
      for (const [j, kp] of items(s.items)) {
        const itemLoc = projLoc.child('items', j);
        const path = validateKeyToPath(e, kp, itemLoc);
        addPath(path, name ?? '', itemLoc.child('path'));
      }
    }
    if (isSet(source.downwardAPI)) {
      numSources++;
      const projLoc = srcLoc.child('downwardAPI');
      for (const [j, file] of items(record(source.downwardAPI)?.items)) {
        const fileLoc = new Loc(projLoc.printed, [...projLoc.at, 'items', j]);
        const path = validateDownwardAPIVolumeFile(e, file, fileLoc);
        addPath(path, path, fileLoc.child('path'));
      }
    }
    const token = record(source.serviceAccountToken);
    if (isSet(source.serviceAccountToken)) numSources++;
    if (token) {
      const projLoc = srcLoc.child('serviceAccountToken');
      // SetDefaults_ServiceAccountTokenProjection: 3600 seconds.
      const expLoc = projLoc.child('expirationSeconds');
      const exp = token.expirationSeconds === undefined || token.expirationSeconds === null ? 3600 : e.int(expLoc, token.expirationSeconds);
      if (exp !== undefined && exp < 10 * 60) e.invalid(expLoc, exp, 'may not specify a duration less than 10 minutes');
      if (exp !== undefined && exp > 2 ** 32) e.invalid(expLoc, exp, 'may not specify a duration larger than 2^32 seconds');
      // Upstream reports the token's path on the projected source (fldPath.Child("path")).
      const pathLoc = new Loc(loc.printed, projLoc.at);
      const path = e.requiredString(pathLoc, token, 'path');
      if (path) validateLocalNonReservedPath(e, path, pathLoc.child('path'));
    }
    if (gates.clusterTrustBundleProjection && isSet(source.clusterTrustBundle)) numSources++;
    if (gates.podCertificateRequest && isSet(source.podCertificate)) numSources++;
    if (numSources > 1) e.forbidden(srcLoc, 'may not specify more than 1 volume type per source');
  }
}

/**
 * ValidateCSIDriverName. Kubernetes 1.35 (validation-1.35.go, kubernetes/kubernetes#134233) returns
 * after the Required error of an empty driver; before, the empty name was also checked for length and
 * as a DNS subdomain.
 */
function validateCSIDriverName(e: ErrorList, src: Record<string, unknown>, loc: Loc, requiredAlone: boolean): void {
  const driver = e.requiredString(loc, src, 'driver');
  if (driver === undefined || (driver === '' && requiredAlone)) return;
  const driverLoc = loc.child('driver');
  if (utf8Length(driver) > 63) e.add(driverLoc, 'TooLong', 'may not be more than 63 bytes');
  // "" is also not a DNS subdomain: before 1.35 a missing driver gets both errors upstream.
  for (const msg of isDNS1123Subdomain(driver.toLowerCase())) e.invalid(driverLoc, driver, msg, { absent: !isSet(src.driver) });
}

/** validateCSIVolumeSource. */
function validateCSI(e: ErrorList, src: Record<string, unknown>, loc: Loc, gates: VolumeGates): void {
  validateCSIDriverName(e, src, loc, gates.csiDriverRequiredAlone);
  const ref = record(src.nodePublishSecretRef);
  if (!ref) return;
  const name = e.requiredString(loc.child('nodePublishSecretRef'), ref, 'name');
  // ValidateSecretName, reported on csi.name upstream.
  if (name) for (const msg of isDNS1123Subdomain(name)) e.invalid(new Loc([...loc.printed, 'name'], [...loc.at, 'nodePublishSecretRef', 'name']), name, msg);
}

// ObjectMeta fields, in struct order (validateFieldAllowList walks them by reflection); only labels and annotations are allowed.
const OBJECT_META_FIELDS = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];
const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

function isZero(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);
}

/**
 * validateEphemeralVolumeSource → ValidatePersistentVolumeClaimTemplate: ValidateTemplateObjectMeta
 * (labels, annotations, no other metadata) and, of ValidatePersistentVolumeClaimSpec, access modes,
 * the storage request, storageClassName, volumeMode and volumeAttributesClassName. The selector and
 * dataSource/dataSourceRef are left unchecked.
 */
function validateEphemeral(e: ErrorList, src: Record<string, unknown>, loc: Loc): void {
  const tplLoc = loc.child('volumeClaimTemplate');
  if (!isSet(src.volumeClaimTemplate)) {
    e.required(tplLoc, undefined, { absent: true });
    return;
  }
  const template = record(src.volumeClaimTemplate);
  if (!template) return;
  const metaLoc = tplLoc.child('metadata');
  const meta = record(template.metadata) ?? {};
  for (const f of validateAnnotations(e.rule, e.ds, [...metaLoc.at, 'annotations'], [...metaLoc.printed, 'annotations'])) e.items.push({ finding: f });
  for (const f of validateLabels(e.rule, e.ds, [...metaLoc.at, 'labels'], [...metaLoc.printed, 'labels'])) e.items.push({ finding: f });
  for (const field of OBJECT_META_FIELDS) {
    if (field !== 'labels' && field !== 'annotations' && !isZero(meta[field])) e.forbidden(metaLoc.child(field), 'cannot be set');
  }
  const spec = record(template.spec) ?? {};
  const specLoc = tplLoc.child('spec');
  const modes = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  const modesLoc = specLoc.child('accessModes');
  if (!isSet(spec.accessModes) || (Array.isArray(spec.accessModes) && modes.length === 0)) {
    e.required(modesLoc, 'at least 1 access mode is required', { absent: !isSet(spec.accessModes) });
  }
  let rwop = false;
  let other = false;
  modes.forEach((mode, i) => {
    if (typeof mode !== 'string') return;
    if (!ACCESS_MODES.includes(mode)) e.notSupported(new Loc(modesLoc.printed, [...modesLoc.at, i]), mode, ACCESS_MODES);
    if (mode === 'ReadWriteOncePod') rwop = true;
    else if (ACCESS_MODES.includes(mode)) other = true;
  });
  if (rwop && other) e.forbidden(modesLoc, 'may not use ReadWriteOncePod with other access modes');
  // field.Path.Key: upstream prints `resources[storage]` for `resources.requests.storage`.
  const storageLoc = new Loc([...specLoc.printed, 'resources[storage]'], [...specLoc.at, 'resources', 'requests', 'storage']);
  const { resources } = spec;
  const requests = isRecord(resources) ? resources.requests : undefined;
  const storage = isRecord(requests) ? requests.storage : undefined;
  const undecodable = (isSet(resources) && !isRecord(resources)) || (isSet(requests) && !isRecord(requests));
  if (!isSet(storage)) {
    if (!undecodable) e.required(storageLoc, undefined, { absent: true });
  } else {
    const canonical = e.quantity(storageLoc, storage);
    if (canonical !== undefined && compareQuantities(storage, 0) !== 1) e.invalid(storageLoc, canonical, 'must be greater than zero');
  }
  for (const field of ['storageClassName', 'volumeAttributesClassName']) {
    const name = spec[field];
    if (typeof name === 'string' && name.length > 0) for (const msg of isDNS1123Subdomain(name)) e.invalid(specLoc.child(field), name, msg);
  }
  const volumeMode = spec.volumeMode;
  if (typeof volumeMode === 'string' && volumeMode !== 'Block' && volumeMode !== 'Filesystem') e.notSupported(specLoc.child('volumeMode'), volumeMode, ['Block', 'Filesystem']);
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

/** validateImageVolumeSource for a template (ResourceIsPod false: reference may be empty); "" is defaulted. */
function validateImage(e: ErrorList, src: Record<string, unknown>, loc: Loc): void {
  const policy = src.pullPolicy;
  if (typeof policy === 'string' && policy !== '' && !PULL_POLICIES.includes(policy)) e.notSupported(loc.child('pullPolicy'), policy, PULL_POLICIES);
}

// --- In-tree sources, most of them deprecated or removed from the kubelet. Only their cheap and
// exact checks are mirrored: required fields, ranges, paths. Left unchecked: quobyte's
// host:port list (net.SplitHostPort), azureDisk's cachingMode, kind and diskURI (they depend on
// defaults). A required field the schema already reports missing counts but is not reported again.

function validatePartition(e: ErrorList, src: Record<string, unknown>, loc: Loc): void {
  const partition = e.int(loc.child('partition'), src.partition);
  if (partition !== undefined && (partition < 0 || partition > 255)) e.invalid(loc.child('partition'), partition, PD_PARTITION_ERROR);
}

const ISCSI_IQN = /iqn\.\d{4}-\d{2}\.([A-Za-z0-9.-]+)(:[^,;*&$|\t\n\v\f\r ]+)$/;
const ISCSI_EUI = /^eui.[A-Za-z0-9]{16}$/;
const ISCSI_NAA = /^naa.[A-Za-z0-9]{32}$/;

function iscsiFormatError(name: string): 'prefix' | 'format' | undefined {
  if (!name.startsWith('iqn') && !name.startsWith('eui') && !name.startsWith('naa')) return 'prefix';
  if (name.startsWith('iqn') && !ISCSI_IQN.test(name)) return 'format';
  if (name.startsWith('eui') && !ISCSI_EUI.test(name)) return 'format';
  if (name.startsWith('naa') && !ISCSI_NAA.test(name)) return 'format';
  return undefined;
}

function validateISCSI(e: ErrorList, src: Record<string, unknown>, loc: Loc): void {
  e.requiredString(loc, src, 'targetPortal', true);
  const iqn = e.requiredString(loc, src, 'iqn', true);
  if (iqn) {
    const err = iscsiFormatError(iqn);
    if (err === 'prefix') e.invalid(loc.child('iqn'), iqn, 'must be valid format starting with iqn, eui, or naa');
    else if (err === 'format') e.invalid(loc.child('iqn'), iqn, 'must be valid format');
  }
  const lun = e.int(loc.child('lun'), src.lun);
  if (lun !== undefined && (lun < 0 || lun > 255)) e.invalid(loc.child('lun'), lun, 'must be between 0 and 255, inclusive');
  if ((src.chapAuthDiscovery === true || src.chapAuthSession === true) && !isSet(src.secretRef)) e.required(loc.child('secretRef'), undefined, { absent: true });
  const initiator = src.initiatorName;
  if (typeof initiator === 'string') {
    const err = iscsiFormatError(initiator);
    const at = new Loc([...loc.printed, 'initiatorname'], [...loc.at, 'initiatorName']);
    if (err === 'prefix') e.invalid(at, initiator, 'must be valid format starting with iqn, eui, or naa');
    else if (err === 'format') e.invalid(at, initiator, 'must be valid format');
  }
}

function validateFC(e: ErrorList, src: Record<string, unknown>, loc: Loc): void {
  const wwns = Array.isArray(src.targetWWNs) ? src.targetWWNs : [];
  const wwids = Array.isArray(src.wwids) ? src.wwids : [];
  if (wwns.length < 1 && wwids.length < 1) e.required(loc.child('targetWWNs'), 'must specify either targetWWNs or wwids, but not both');
  if (wwns.length !== 0 && wwids.length !== 0) {
    // A []string prints as Go's %#v.
    const value = new GoValue(`[]string{${wwns.map((w) => JSON.stringify(String(w))).join(', ')}}`);
    e.invalid(loc.child('targetWWNs'), value, 'targetWWNs and wwids can not be specified simultaneously');
  }
  if (wwns.length !== 0) {
    const lun = e.int(loc.child('lun'), src.lun);
    if (src.lun === undefined || src.lun === null) e.required(loc.child('lun'), 'lun is required if targetWWNs is specified', { absent: true });
    else if (lun !== undefined && (lun < 0 || lun > 255)) e.invalid(loc.child('lun'), lun, 'must be between 0 and 255, inclusive');
  }
}

function validateFlocker(e: ErrorList, src: Record<string, unknown>, loc: Loc): void {
  const name = str(src.datasetName) ?? '';
  const uuid = str(src.datasetUUID) ?? '';
  if (name.length === 0 && uuid.length === 0) e.required(loc, 'one of datasetName and datasetUUID is required');
  if (name.length !== 0 && uuid.length !== 0) e.invalid(loc, 'resource', 'datasetName and datasetUUID can not be specified simultaneously');
  if (name.includes('/')) e.invalid(loc.child('datasetName'), name, "must not contain '/'");
}

function validateFlexVolume(e: ErrorList, src: Record<string, unknown>, loc: Loc): void {
  e.requiredString(loc, src, 'driver', true);
  if (!isRecord(src.options)) return;
  for (const k of Object.keys(src.options)) {
    const slash = k.indexOf('/');
    const namespace = slash >= 0 ? k.slice(0, slash) : k;
    const normalized = `.${namespace.toLowerCase()}`;
    if (normalized.endsWith('.kubernetes.io') || normalized.endsWith('.k8s.io')) {
      e.add(new Loc([...loc.printed, `options[${k}]`], [...loc.at, 'options', k]), 'Invalid', 'kubernetes.io and k8s.io namespaces are reserved', k, 'key');
    }
  }
}

function validateQuobyte(e: ErrorList, src: Record<string, unknown>, loc: Loc): void {
  const registry = e.requiredString(loc, src, 'registry', true, 'must be a host:port pair or multiple pairs separated by commas');
  const tenant = str(src.tenant) ?? '';
  if (registry !== '' && utf8Length(tenant) >= 65) e.required(loc.child('tenant'), 'must be a UUID and may not exceed a length of 64 characters');
  e.requiredString(loc, src, 'volume', true);
}

function validateStorageOS(e: ErrorList, src: Record<string, unknown>, loc: Loc): void {
  const name = e.requiredString(loc, src, 'volumeName');
  if (name) for (const msg of isDNS1123Label(name)) e.invalid(loc.child('volumeName'), name, msg);
  const ns = str(src.volumeNamespace);
  if (ns) for (const msg of isDNS1123Label(ns)) e.invalid(loc.child('volumeNamespace'), ns, msg);
  const ref = record(src.secretRef);
  if (ref) e.requiredString(loc.child('secretRef'), ref, 'name');
}

function requiredList(e: ErrorList, src: Record<string, unknown>, field: string, loc: Loc): void {
  const v = src[field];
  if (v === undefined || v === null) e.required(loc.child(field), undefined, { absent: true, quiet: true });
  else if (Array.isArray(v) && v.length === 0) e.required(loc.child(field));
}

/** Fields each simple in-tree source requires (`len(x) == 0` → Required); `true`: the schema requires it too. */
const REQUIRED_FIELDS: Record<string, Array<[field: string, schema: boolean]>> = {
  gitRepo: [['repository', true]],
  gcePersistentDisk: [['pdName', true]],
  awsElasticBlockStore: [['volumeID', true]],
  nfs: [['server', true], ['path', true]],
  glusterfs: [['endpoints', true], ['path', true]],
  cinder: [['volumeID', true]],
  azureFile: [['secretName', true], ['shareName', true]],
  vsphereVolume: [['volumePath', true]],
  photonPersistentDisk: [['pdID', true]],
  portworxVolume: [['volumeID', true]],
  azureDisk: [['diskName', true], ['diskURI', true]],
  scaleIO: [['gateway', true], ['system', true], ['volumeName', false]],
};

/** The validator of each volume source (`loc` is where upstream prints it). */
export function validateSource(e: ErrorList, key: string, src: Record<string, unknown>, loc: Loc, gates: VolumeGates): void {
  for (const [field, schema] of REQUIRED_FIELDS[key] ?? []) e.requiredString(loc, src, field, schema);
  switch (key) {
    case 'emptyDir': return validateEmptyDir(e, src, loc);
    case 'hostPath': return validateHostPath(e, src, loc);
    case 'secret': return validateObjectVolume(e, src, loc, 'secretName');
    case 'configMap': return validateObjectVolume(e, src, loc, 'name');
    case 'persistentVolumeClaim': {
      e.requiredString(loc, src, 'claimName');
      return;
    }
    case 'downwardAPI': return validateDownwardAPI(e, src, loc);
    case 'projected': return validateProjected(e, src, loc, gates);
    case 'csi': return validateCSI(e, src, loc, gates);
    case 'ephemeral': return validateEphemeral(e, src, loc);
    case 'image': return validateImage(e, src, loc);
    case 'gitRepo': {
      const directory = str(src.directory);
      if (directory !== undefined) validateLocalDescendingPath(e, directory, loc.child('directory'));
      return;
    }
    case 'gcePersistentDisk':
    case 'awsElasticBlockStore': return validatePartition(e, src, loc);
    case 'nfs': {
      // path.IsAbs: "" is not absolute either.
      const path = str(src.path);
      if (path !== undefined && !path.startsWith('/')) e.invalid(loc.child('path'), path, 'must be an absolute path', { absent: !isSet(src.path) });
      return;
    }
    case 'iscsi': return validateISCSI(e, src, loc);
    case 'flocker': return validateFlocker(e, src, loc);
    case 'rbd': {
      requiredList(e, src, 'monitors', loc);
      e.requiredString(loc, src, 'image', true);
      return;
    }
    case 'cinder': {
      const ref = record(src.secretRef);
      if (ref) e.requiredString(loc.child('secretRef'), ref, 'name');
      return;
    }
    case 'cephfs': return requiredList(e, src, 'monitors', loc);
    case 'quobyte': return validateQuobyte(e, src, loc);
    case 'fc': return validateFC(e, src, loc);
    case 'flexVolume': return validateFlexVolume(e, src, loc);
    case 'storageos': return validateStorageOS(e, src, loc);
  }
}
