import { replaceScalar } from '../edits';
import { allContainers, isRecord, items, str, type ContainerRef } from '../podTemplate';
import { editDistance, hasBackstep } from '../text';
import type { Finding } from '../types';
import { ErrorList, Loc, validateLocalDescendingPath } from '../volumeSources';
import type { Rule, RuleContext } from './rule';
import { analyzeVolumes, volumeOptions, type VolumeAnalysis } from './volumes';

// sets.List of the supported values: sorted.
const MOUNT_PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'];
const RECURSIVE_READ_ONLY = ['Disabled', 'Enabled', 'IfPossible'];

/**
 * pkg/apis/core/validation/validation.go validateContainerCommon → ValidateVolumeMounts and
 * ValidateVolumeDevices for each container, then each init container (ephemeral containers are
 * not allowed in a template: rule ephemeral-containers). A mount must name a volume ValidateVolumes
 * accepted; a volume with an error of its own is "Not found" too.
 */
export const volumeMounts: Rule = {
  id: 'volume-mounts',
  description: 'Volume mounts and devices must name a volume of the pod, at a unique path, with valid subPath, mountPropagation and recursiveReadOnly.',
  help: 'Upstream ValidateVolumeMounts requires a mount `name` that is a volume of the pod (`Not found: "varlogs"` for a typo, or for a volume with an error of its own) and a `mountPath` unique in the container (`must be unique`); `subPath` and `subPathExpr` (mutually exclusive) must be relative paths without `..`; `mountPropagation` must be None, HostToContainer or Bidirectional, and Bidirectional needs a privileged container; `recursiveReadOnly` must be Disabled, IfPossible or Enabled, and the latter two need `readOnly: true` and no mount propagation. ValidateVolumeDevices requires a unique name and devicePath, a persistentVolumeClaim or ephemeral volume, and neither shared with a mount. A quick fix renames a mistyped volume name to the volume it is close to.',
  defaultSeverity: 'error',
  // A Kustomize patch adds mounts of volumes its base declares.
  needsCompleteObject: true,
  check(ds, ctx) {
    const volumes = analyzeVolumes(ds, ctx);
    const rro = volumeOptions(ctx).recursiveReadOnlyMounts;
    const out: Finding[] = [];
    for (const c of allContainers(ds)) {
      const e = new ErrorList(volumeMounts, ds);
      const mounts = mountsOf(c, volumes);
      validateMounts(e, c, mounts, volumes, rro, ctx);
      validateDevices(e, c, mounts, volumes);
      for (const err of e.items) out.push(err.finding);
    }
    return out;
  },
};

interface Mount {
  index: number;
  /** Its index once pkg/api/pod dropImageVolumes has removed the mounts of dropped image volumes. */
  printedIndex: number;
  value: Record<string, unknown>;
}

function mountsOf(c: ContainerRef, volumes: VolumeAnalysis): Mount[] {
  const out: Mount[] = [];
  let printedIndex = 0;
  const list = c.value.volumeMounts;
  if (!Array.isArray(list)) return out;
  list.forEach((value, index) => {
    if (isRecord(value) && typeof value.name === 'string' && volumes.dropped.has(value.name)) return;
    const printed = printedIndex++;
    if (isRecord(value)) out.push({ index, printedIndex: printed, value });
  });
  return out;
}

/** ValidateVolumeMounts. Several errors print on `volumeMounts.<field>` without the index, as upstream builds them from the list's path. */
function validateMounts(e: ErrorList, c: ContainerRef, mounts: Mount[], volumes: VolumeAnalysis, rro: boolean, ctx: RuleContext): void {
  const listPath = [...c.path, 'volumeMounts'];
  // GetVolumeDeviceMap: name → devicePath, the last device of a name winning.
  const devices = new Map<string, string>();
  for (const [, d] of items(c.value.volumeDevices)) {
    const name = str(d.name);
    const path = str(d.devicePath);
    if (name !== undefined && path !== undefined) devices.set(name, path);
  }
  const devicePaths = new Set(devices.values());
  const privileged = isRecord(c.value.securityContext) && c.value.securityContext.privileged === true;
  const mountpoints = new Set<string>();
  for (const { index, printedIndex, value: m } of mounts) {
    const loc = new Loc([...listPath, printedIndex], [...listPath, index]);
    const name = e.requiredString(loc, m, 'name');
    if (name !== undefined && volumes.known && !volumes.valid.has(name)) notFound(e, loc.child('name'), name, volumes, ctx);
    const mountPath = e.requiredString(loc, m, 'mountPath');
    if (mountPath !== undefined) {
      if (mountpoints.has(mountPath)) e.invalid(loc.child('mountPath'), mountPath, 'must be unique');
      mountpoints.add(mountPath);
    }
    if (name !== undefined && devices.has(name)) e.invalid(loc.child('name'), name, 'must not already exist in volumeDevices');
    if (mountPath !== undefined && devicePaths.has(mountPath)) e.invalid(loc.child('mountPath'), mountPath, 'must not already exist as a path in volumeDevices');
    const listLoc = (field: string) => new Loc([...listPath, field], [...listPath, index, field]);
    const subPath = str(m.subPath) ?? '';
    if (subPath.length > 0) validateLocalDescendingPath(e, subPath, listLoc('subPath'));
    const subPathExpr = str(m.subPathExpr) ?? '';
    if (subPathExpr.length > 0) {
      if (subPath.length > 0) e.invalid(loc.child('subPathExpr'), subPathExpr, 'subPathExpr and subPath are mutually exclusive');
      validateLocalDescendingPath(e, subPathExpr, listLoc('subPathExpr'));
    }
    // validateMountPropagation (a set field, even ""), with the container at hand.
    const propagation = m.mountPropagation;
    if (typeof propagation === 'string') {
      if (!MOUNT_PROPAGATIONS.includes(propagation)) e.notSupported(listLoc('mountPropagation'), propagation, MOUNT_PROPAGATIONS);
      if (propagation === 'Bidirectional' && !privileged) {
        e.forbidden(listLoc('mountPropagation'), 'Bidirectional mount propagation is available only to privileged containers', 'value');
      }
    }
    // validateMountRecursiveReadOnly; with the RecursiveReadOnlyMounts gate off the field is dropped first.
    const recursive = m.recursiveReadOnly;
    if (rro && typeof recursive === 'string') {
      const at = listLoc('recursiveReadOnly');
      if (recursive === 'Enabled' || recursive === 'IfPossible') {
        if (m.readOnly !== true) e.forbidden(at, 'may only be specified when readOnly is true', 'value');
        if (typeof propagation === 'string' && propagation !== 'None') e.forbidden(at, 'may only be specified when mountPropagation is None or not specified', 'value');
      } else if (recursive !== 'Disabled') e.notSupported(at, recursive, RECURSIVE_READ_ONLY);
    }
  }
}

/** field.NotFound on a mount's name, with a fix to the volume it is a typo of. */
function notFound(e: ErrorList, loc: Loc, name: string, volumes: VolumeAnalysis, ctx: RuleContext): void {
  const f = e.add(loc, 'NotFound', undefined, name);
  if (ctx.fixes === false || name === '' || volumes.names.includes(name)) return;
  const target = closestVolume(name, volumes.names);
  if (!target) return;
  const edits = replaceScalar(ctx.model.text, e.ds, loc.at, target);
  if (edits.length) f.fixes = [{ title: `Use volume '${target}'`, edits, isPreferred: true }];
}

/**
 * The one volume name a mistyped name is close to: the same once case, `-`, `_` and `.` are
 * ignored, else at most 2 edits away (at most one for names of up to 5 characters). Undefined
 * when none is, or when two are equally close.
 */
export function closestVolume(name: string, names: readonly string[]): string | undefined {
  const loose = (s: string) => s.toLowerCase().replace(/[-_.]/g, '');
  const candidates = [...new Set(names)];
  const same = candidates.filter((n) => loose(n) === loose(name));
  if (same.length) return same.length === 1 ? same[0] : undefined;
  let best: string[] = [];
  let bestDistance = Infinity;
  for (const n of candidates) {
    const d = editDistance(name, n);
    if (d > Math.min(2, Math.floor(Math.max(name.length, n.length) / 3))) continue;
    if (d < bestDistance) {
      best = [n];
      bestDistance = d;
    } else if (d === bestDistance) best.push(n);
  }
  return best.length === 1 ? best[0] : undefined;
}

/** ValidateVolumeDevices, against the mounts after dropImageVolumes (GetVolumeMountMap). */
function validateDevices(e: ErrorList, c: ContainerRef, mounts: Mount[], volumes: VolumeAnalysis): void {
  const listPath = [...c.path, 'volumeDevices'];
  const mountMap = new Map<string, string>();
  for (const { value: m } of mounts) {
    const name = str(m.name);
    const path = str(m.mountPath);
    if (name !== undefined && path !== undefined) mountMap.set(name, path);
  }
  const mountPaths = new Set(mountMap.values());
  const devicePaths = new Set<string>();
  const deviceNames = new Set<string>();
  for (const [index, d] of items(c.value.volumeDevices)) {
    const loc = new Loc([...listPath, index]);
    const name = e.requiredString(loc, d, 'name');
    const match = name === undefined ? undefined : volumes.valid.get(name);
    if (name !== undefined) {
      if (deviceNames.has(name)) e.invalid(loc.child('name'), name, 'must be unique');
      if (match && !match.claim) e.invalid(loc.child('name'), name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode');
      if (!match && volumes.known) e.add(loc.child('name'), 'NotFound', undefined, name);
    }
    const devicePath = e.requiredString(loc, d, 'devicePath');
    if (devicePath !== undefined) {
      if (devicePaths.has(devicePath)) e.invalid(loc.child('devicePath'), devicePath, 'must be unique');
      if (hasBackstep(devicePath)) e.invalid(loc.child('devicePath'), devicePath, "can not contain backsteps ('..')");
      else devicePaths.add(devicePath);
    }
    if (name !== undefined && mountMap.has(name)) e.invalid(loc.child('name'), name, 'must not already exist in volumeMounts');
    if (devicePath !== undefined && mountPaths.has(devicePath)) e.invalid(loc.child('devicePath'), devicePath, 'must not already exist as a path in volumeMounts');
    if (name) deviceNames.add(name);
  }
}

