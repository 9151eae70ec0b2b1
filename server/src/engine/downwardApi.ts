/**
 * The downward API as the API server validates it, shared by env vars (`valueFrom`) and downwardAPI
 * volumes (and their projected form): field labels, resource field paths and divisors.
 */

/** pkg/fieldpath SplitMaybeSubscriptedPath: `metadata.labels['key']` → metadata.labels, key. */
export function splitMaybeSubscriptedPath(fieldPath: string): { path: string; subscript?: string } {
  if (!fieldPath.endsWith("']")) return { path: fieldPath };
  const s = fieldPath.slice(0, -2);
  const at = s.indexOf("['");
  if (at <= 0) return { path: fieldPath };
  return { path: s.slice(0, at), subscript: s.slice(at + 2) };
}

/** The labels pkg/apis/core/pods/helpers.go ConvertDownwardAPIFieldLabel knows (1.34), besides `spec.host`. */
const CONVERTIBLE_FIELD_LABELS = new Set([
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid',
  'spec.nodeName', 'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName',
  'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
]);

/** pkg/apis/core/pods/helpers.go ConvertDownwardAPIFieldLabel (the label only): the internal path, or the error. */
export function convertDownwardAPIFieldLabel(version: string, label: string): { path: string } | { error: string } {
  if (version !== 'v1') return { error: `unsupported pod version: ${version}` };
  const split = splitMaybeSubscriptedPath(label);
  if (split.subscript !== undefined) {
    if (split.path === 'metadata.annotations' || split.path === 'metadata.labels') return { path: label };
    return { error: `field label does not support subscript: ${label}` };
  }
  if (CONVERTIBLE_FIELD_LABELS.has(label)) return { path: label };
  // For old v1 clients that send spec.host.
  if (label === 'spec.host') return { path: 'spec.nodeName' };
  return { error: `field label not supported: ${label}` };
}

/** validContainerResourceFieldPathExpressions, as sets.List sorts them. */
export const RESOURCE_FIELD_PATHS: readonly string[] = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
/** validContainerResourceFieldPathPrefixesWithDownwardAPIHugePages. */
const HUGE_PAGES_FIELD_PREFIXES = ['limits.hugepages-', 'requests.hugepages-'];

/** validateContainerResourceFieldSelector's test of `resource`: a listed path or a huge pages one. */
export function isResourceFieldPath(resource: string): boolean {
  return RESOURCE_FIELD_PATHS.includes(resource) || isHugePagesFieldPath(resource);
}

function isHugePagesFieldPath(resource: string): boolean {
  return HUGE_PAGES_FIELD_PREFIXES.some((p) => resource.startsWith(p));
}

/** validContainerResourceDivisorFor{CPU,Memory,EphemeralStorage,HugePages}. */
const CPU_DIVISORS = ['1m', '1'];
const BYTE_DIVISORS = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];
const BYTE_DIVISORS_TEXT = "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the";

/**
 * validateContainerResourceDivisor for a divisor that parses and is not zero (`canonical`, its
 * canonical text): the error for `resource`, if its divisors do not include it.
 */
export function divisorError(resource: string, canonical: string): string | undefined {
  if (resource === 'limits.cpu' || resource === 'requests.cpu') {
    return CPU_DIVISORS.includes(canonical) ? undefined : "only divisor's values 1m and 1 are supported with the cpu resource";
  }
  if (BYTE_DIVISORS.includes(canonical)) return undefined;
  if (resource === 'limits.memory' || resource === 'requests.memory') return `${BYTE_DIVISORS_TEXT} memory resource`;
  if (resource === 'limits.ephemeral-storage' || resource === 'requests.ephemeral-storage') return `${BYTE_DIVISORS_TEXT} local ephemeral storage resource`;
  if (isHugePagesFieldPath(resource)) return `${BYTE_DIVISORS_TEXT} hugepages resource`;
  return undefined;
}
