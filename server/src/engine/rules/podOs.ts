import { valueAt, valueSpan } from '../ast';
import { replaceScalar } from '../edits';
import { supportedValues } from '../fieldErrors';
import type { ManifestObject } from '../model';
import { closestValue, isRecord, POD_SPEC, str, visitContainers } from '../podTemplate';
import type { FieldPath, Finding } from '../types';
import { apiFinding, type Rule } from './rule';

const OS = [...POD_SPEC, 'os'];
const NAME = [...OS, 'name'];
/** validOS, as sets.List prints it (sorted). */
export const VALID_OS = ['linux', 'windows'];

type Kind = 'bool' | 'object' | 'list' | 'number' | 'string';

/**
 * validateWindows, the pod spec's fields in its order, at the paths it reports (the internal type keeps
 * hostPID, hostIPC, hostUsers and shareProcessNamespace in the security context; their errors name the
 * v1 fields). hostPID and hostIPC are plain booleans there: only `true` counts as set. The others are
 * pointers or slices: any value counts, `[]` included; sysctls only when it has items.
 */
const WINDOWS_POD_FIELDS: ReadonlyArray<{ path: FieldPath; kind: Kind; nonEmpty?: boolean; trueOnly?: boolean }> = [
  { path: ['securityContext', 'appArmorProfile'], kind: 'object' },
  { path: ['securityContext', 'seLinuxOptions'], kind: 'object' },
  { path: ['hostUsers'], kind: 'bool' },
  { path: ['hostPID'], kind: 'bool', trueOnly: true },
  { path: ['hostIPC'], kind: 'bool', trueOnly: true },
  { path: ['securityContext', 'seccompProfile'], kind: 'object' },
  { path: ['securityContext', 'fsGroup'], kind: 'number' },
  { path: ['securityContext', 'fsGroupChangePolicy'], kind: 'string' },
  { path: ['securityContext', 'sysctls'], kind: 'list', nonEmpty: true },
  { path: ['shareProcessNamespace'], kind: 'bool' },
  { path: ['securityContext', 'runAsUser'], kind: 'number' },
  { path: ['securityContext', 'runAsGroup'], kind: 'number' },
  { path: ['securityContext', 'supplementalGroups'], kind: 'list' },
  { path: ['securityContext', 'supplementalGroupsPolicy'], kind: 'string' },
  { path: ['securityContext', 'seLinuxChangePolicy'], kind: 'string' },
];

/** validateWindows, each container's `securityContext` fields in its order. */
const WINDOWS_CONTAINER_FIELDS: ReadonlyArray<{ field: string; kind: Kind }> = [
  { field: 'appArmorProfile', kind: 'object' },
  { field: 'seLinuxOptions', kind: 'object' },
  { field: 'seccompProfile', kind: 'object' },
  { field: 'capabilities', kind: 'object' },
  { field: 'readOnlyRootFilesystem', kind: 'bool' },
  { field: 'privileged', kind: 'bool' },
  { field: 'allowPrivilegeEscalation', kind: 'bool' },
  { field: 'procMount', kind: 'string' },
  { field: 'runAsUser', kind: 'number' },
  { field: 'runAsGroup', kind: 'number' },
];


/**
 * pkg/apis/core/validation/validation.go ValidatePodSpec, its `spec.OS != nil` block: validateOS (the
 * name is required and must be linux or windows), then, when it passed, validateLinux (no
 * windowsOptions) or validateWindows (none of the Linux-only fields). The name is what the kubelet
 * checks at admission; none of this decides where the pods go.
 */
export const podOs: Rule = {
  id: 'pod-os',
  description: 'os.name must be linux or windows, and the pod spec must not set fields that OS does not support.',
  help: 'Upstream validateOS: when `os` is set, `os.name` is required (`Required value: cannot be empty`) and must be linux or windows (`Unsupported value`, reported on `os`). Then validateLinux forbids `securityContext.windowsOptions` (pod and containers) for a linux pod, and validateWindows forbids, for a windows pod, hostUsers, hostPID, hostIPC, shareProcessNamespace, the pod security context\'s appArmorProfile, seLinuxOptions, seccompProfile, fsGroup, fsGroupChangePolicy, sysctls, runAsUser, runAsGroup, supplementalGroups, supplementalGroupsPolicy and seLinuxChangePolicy, and each container security context\'s appArmorProfile, seLinuxOptions, seccompProfile, capabilities, readOnlyRootFilesystem, privileged, allowPrivilegeEscalation, procMount, runAsUser and runAsGroup (`Forbidden: cannot be set for a windows pod`). Remove the fields, or fix `os.name`.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const os = valueAt(ds, OS);
    if (os === undefined || os === null || !isRecord(os)) return []; // no os (null is unset); a non-map: the schema reports the type
    const name = str(os.name);
    if (name === undefined) return []; // not a string: the schema reports the type
    if (name === '') {
      // A Kustomize patch's `os` merges with its base's, which may carry the name.
      if (ds.partial) return [];
      return [apiFinding(podOs, ds, NAME, 'Required', 'cannot be empty', undefined, 'value')];
    }
    if (!VALID_OS.includes(name)) {
      // field.NotSupported(fldPath, …) on `os` itself, not on `os.name`.
      const f = apiFinding(podOs, ds, OS, 'NotSupported', supportedValues(VALID_OS), name);
      f.span = valueSpan(ds, NAME) ?? f.span;
      const best = closestValue(name, VALID_OS);
      if (best) {
        const edits = replaceScalar(ctx.model.text, ds, NAME, best);
        if (edits.length) f.fixes = [{ title: `Change os.name to ${best}`, edits, isPreferred: true }];
      }
      return [f];
    }
    return name === 'linux' ? validateLinux(ds) : validateWindows(ds);
  },
};

/** validateLinux: no windowsOptions in the pod's or any container's security context. */
function validateLinux(ds: ManifestObject): Finding[] {
  const out: Finding[] = [];
  const detail = 'windows options cannot be set for a linux pod';
  const podSC = valueAt(ds, [...POD_SPEC, 'securityContext']);
  if (isRecord(podSC) && isRecord(podSC.windowsOptions)) out.push(apiFinding(podOs, ds, [...POD_SPEC, 'securityContext', 'windowsOptions'], 'Forbidden', detail));
  for (const [path, sc] of containerSecurityContexts(ds)) {
    if (isRecord(sc.windowsOptions)) out.push(apiFinding(podOs, ds, [...path, 'windowsOptions'], 'Forbidden', detail));
  }
  return out;
}

/** validateWindows: none of the fields Windows does not support, in the pod spec then in each container. */
function validateWindows(ds: ManifestObject): Finding[] {
  const detail = 'cannot be set for a windows pod';
  return windowsForbiddenFields(ds).map((path) => apiFinding(podOs, ds, path, 'Forbidden', detail));
}

/**
 * The paths of the fields validateWindows forbids for a windows pod that the template sets, in its
 * order: settings only a Linux pod may carry, whether or not `os.name` is set.
 */
export function windowsForbiddenFields(ds: ManifestObject): FieldPath[] {
  const out: FieldPath[] = [];
  for (const f of WINDOWS_POD_FIELDS) {
    const path = [...POD_SPEC, ...f.path];
    const v = valueAt(ds, path);
    if (isSet(v, f.kind) && (!f.trueOnly || v === true) && (!f.nonEmpty || (Array.isArray(v) && v.length > 0))) out.push(path);
  }
  for (const [path, sc] of containerSecurityContexts(ds)) {
    for (const f of WINDOWS_CONTAINER_FIELDS) {
      if (isSet(sc[f.field], f.kind)) out.push([...path, f.field]);
    }
  }
  return out;
}

/** Each container's `securityContext` (a map) with its path, in VisitContainersWithPath order. */
function containerSecurityContexts(ds: ManifestObject): Array<[FieldPath, Record<string, unknown>]> {
  const out: Array<[FieldPath, Record<string, unknown>]> = [];
  for (const { path, value } of visitContainers(ds)) if (isRecord(value.securityContext)) out.push([[...path, 'securityContext'], value.securityContext]);
  return out;
}

/**
 * A field the decoder would set: present, not null, and of its type (a value of another type never
 * reaches validation: the decoder rejects the object, and the schema reports the type).
 */
function isSet(v: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'bool': return typeof v === 'boolean';
    // A Kustomize `{$patch: delete}` removes the field from the base rather than setting it.
    case 'object': return isRecord(v) && !('$patch' in v);
    case 'list': return Array.isArray(v);
    case 'number': return typeof v === 'number';
    case 'string': return typeof v === 'string';
  }
}
