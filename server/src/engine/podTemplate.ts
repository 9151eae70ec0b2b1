/**
 * Shared walking helpers for the pod-template rules (pkg/apis/core/validation/validation.go
 * ValidatePodTemplateSpec → ValidatePodSpec): where the template's pod spec lives, its
 * container lists, map-key paths as the API server prints them, and "did you mean" values.
 */
import { keySpan, valueAt, valueSpan } from './ast';
import { isPlainObject, type ManifestObject } from './model';
import { objectMemo } from './objectMemo';
export { closestValue } from './text';
import { formatPath, type FieldPath, type Span } from './types';

/** `spec.template.spec` of a DaemonSet. */
export const POD_SPEC: readonly string[] = ['spec', 'template', 'spec'];

/** podshelper.VisitContainersWithPath: init containers, containers, then ephemeral containers. */
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** The template's containers (maps only: other items never reach validation), in VisitContainersWithPath order, with their paths. */
export function visitContainers(ds: ManifestObject): Array<{ path: FieldPath; value: Record<string, unknown> }> {
  const out: Array<{ path: FieldPath; value: Record<string, unknown> }> = [];
  for (const list of CONTAINER_LISTS) {
    const items = valueAt(ds, [...POD_SPEC, list]);
    if (!Array.isArray(items)) continue;
    items.forEach((c, i) => {
      if (isRecord(c)) out.push({ path: [...POD_SPEC, list, i], value: c });
    });
  }
  return out;
}

/** What holds a `resources` field (a container, or the pod spec itself), with its path relative to the DaemonSet. */
export interface ResourcesOwner {
  path: FieldPath;
  value: Record<string, unknown>;
}

/** A container of the template, with its path relative to the DaemonSet. */
export interface ContainerRef extends ResourcesOwner {
  list: 'containers' | 'initContainers';
  index: number;
}

/** A YAML mapping as plain data. */
export const isRecord = isPlainObject;

/** The template's pod spec as plain data (undefined when absent or not a map). */
export function podSpecOf(ds: ManifestObject): Record<string, unknown> | undefined {
  const v = valueAt(ds, POD_SPEC);
  return isRecord(v) ? v : undefined;
}

/**
 * The container lists of each object, computed once: five rules walk them. The lists, their refs and
 * the refs' resource entries are shared between the rules, which only read them.
 */
const containerLists = objectMemo<{ containers?: ContainerRef[]; initContainers?: ContainerRef[]; all?: ContainerRef[] }>();

function listsOf(ds: ManifestObject): { containers?: ContainerRef[]; initContainers?: ContainerRef[]; all?: ContainerRef[] } {
  let lists = containerLists.get(ds);
  if (!lists) containerLists.set(ds, (lists = {}));
  return lists;
}

/** The items of one container list; non-map items are skipped (the schema reports them). Shared: do not modify. */
export function containersOf(ds: ManifestObject, list: ContainerRef['list']): ContainerRef[] {
  const lists = listsOf(ds);
  const hit = lists[list];
  if (hit) return hit;
  const out: ContainerRef[] = [];
  const v = valueAt(ds, [...POD_SPEC, list]);
  if (Array.isArray(v)) {
    v.forEach((c, index) => {
      if (isRecord(c)) out.push({ list, index, path: [...POD_SPEC, list, index], value: c });
    });
  }
  lists[list] = out;
  return out;
}

/** Regular then init containers, the order ValidatePodSpec visits them. Shared: do not modify. */
export function allContainers(ds: ManifestObject): ContainerRef[] {
  const lists = listsOf(ds);
  return (lists.all ??= [...containersOf(ds, 'containers'), ...containersOf(ds, 'initContainers')]);
}

/** field.Path.Key: `resources.limits[cpu]` rather than `resources.limits.cpu`. */
export function formatKeyPath(path: FieldPath, key: string): string {
  return `${formatPath(path)}[${key}]`;
}

/** A string field as the API server sees it after decoding: absent and null are "". */
export function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : undefined;
}

/** The value span of the first path that exists. */
export function firstValueSpan(ds: ManifestObject, ...paths: FieldPath[]): Span | undefined {
  for (const p of paths) {
    const s = valueSpan(ds, p);
    if (s) return s;
  }
  return undefined;
}

/** One `resources.limits`/`resources.requests` entry of a container or of the pod, in document order. */
export interface ResourceEntry {
  list: 'limits' | 'requests';
  name: string;
  value: unknown;
  /** Field path of the entry (relative to the DaemonSet) for spans. */
  path: FieldPath;
  /** The path the API server prints, when it is not the entry's own (pod overhead: `overhead.limits[cpu]`). */
  printed?: string;
}

/** An entry's path as the API server prints it: `…resources.limits[cpu]`. */
export function printedPath(e: ResourceEntry): string {
  return e.printed ?? formatKeyPath(e.path.slice(0, -1), e.name);
}

const entriesOf = new WeakMap<ResourcesOwner, ResourceEntry[]>();

/** The limits then requests of a container or pod (validateResourceRequirements visits them in that order). Shared: do not modify. */
export function resourceEntries(c: ResourcesOwner): ResourceEntry[] {
  let entries = entriesOf.get(c);
  if (!entries) entriesOf.set(c, (entries = readResourceEntries(c)));
  return entries;
}

function readResourceEntries(c: ResourcesOwner): ResourceEntry[] {
  const out: ResourceEntry[] = [];
  const resources = c.value.resources;
  if (!isRecord(resources)) return out;
  for (const list of ['limits', 'requests'] as const) {
    const m = resources[list];
    if (!isRecord(m)) continue;
    const base = [...c.path, 'resources', list];
    for (const [name, value] of Object.entries(m)) {
      out.push({ list, name, value, path: [...base, name] });
    }
  }
  return out;
}

/** pkg/apis/core/helper IsHugePageResourceName. */
export function isHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** pkg/apis/core/helper IsNativeResource: unprefixed or in the kubernetes.io domain. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** pkg/apis/core/helper IsOvercommitAllowed: native resources other than huge pages. */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

/** Where to point at a container when a field it lacks is required: its name, else its first key. */
export function containerAnchor(ds: ManifestObject, c: ContainerRef): Span | undefined {
  const name = valueSpan(ds, [...c.path, 'name']);
  if (name && c.value.name) return name;
  const first = Object.keys(c.value)[0];
  return first === undefined ? undefined : keySpan(ds, [...c.path, first]);
}

/** For a field an item lacks: the span of the item's first key (never the whole item). */
export function firstKeySpan(ds: ManifestObject, itemPath: FieldPath, item: Record<string, unknown>): Span | undefined {
  const first = Object.keys(item)[0];
  return first === undefined ? undefined : keySpan(ds, [...itemPath, first]);
}

/** A pointer field is set: present and not null (YAML `key:` with no value is null). */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** The items of a list field that are maps, with their indices (other items are the schema's). */
export function items(v: unknown): Array<[number, Record<string, unknown>]> {
  if (!Array.isArray(v)) return [];
  const out: Array<[number, Record<string, unknown>]> = [];
  v.forEach((x, i) => {
    if (isRecord(x)) out.push([i, x]);
  });
  return out;
}
