import type { ErrorObject, ValidateFunction } from 'ajv';
import { Scalar, type Node } from 'yaml';
import { isMap, isPair, isScalar, isSeq } from './yamlNodes';
import schemaDocument from '../../../schemas/daemonset.schema.json';
import daemonSetValidator from '../../../schemas/daemonset.validator.js';
import { keySpan, locate, objectAnchor, reportSpan, valueSpan } from './ast';
import { formatBadValue, supportedValues } from './fieldErrors';
import { goYamlNumber } from './goYamlNumber';
import type { ManifestObject } from './model';
import { valueFacts } from './valueFacts';
import type { Finding, Fix, Span } from './types';
import { editDistance } from './text';
import { INT_FORMATS } from './schemaFormats';

/**
 * JSON-schema findings for apps/v1 DaemonSets: ajv over schemas/daemonset.schema.json (generated
 * from the Kubernetes OpenAPI specs by scripts/generate-schema.mjs), each error mapped back to
 * the YAML node it is about and worded plainly. What the API server reports with its own wording
 * (selector, restartPolicy, …) is left to the rules. The validator is ajv's code for that schema,
 * generated ahead (schemas/daemonset.validator.js, by scripts/generate-validator.ts) rather than
 * compiled at each start.
 */

/** The subset of JSON schema the generated document uses. */
interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  format?: string;
  description?: string;
}

interface SchemaDocument extends SchemaNode {
  definitions: Record<string, SchemaNode>;
}

const SCHEMA = schemaDocument as unknown as SchemaDocument;

const NODE_AFFINITY = String.raw`^spec\.template\.spec\.affinity\.nodeAffinity\.`;

/** Required fields of the common volume sources, which the `volumes` rule reports as the API server does. */
const VOLUME_REQUIRED: readonly RegExp[] = (() => {
  const volume = String.raw`^spec\.template\.spec\.volumes\[\d+\]\.`;
  const source = String.raw`(projected\.sources\[\d+\]\.)?`;
  return [
    new RegExp(`${volume}(name|hostPath\\.path|csi\\.driver|persistentVolumeClaim\\.claimName|ephemeral\\.volumeClaimTemplate\\.spec)$`),
    new RegExp(`${volume}${source}(configMap|secret)\\.items\\[\\d+\\]\\.(key|path)$`),
    new RegExp(`${volume}${source}downwardAPI\\.items\\[\\d+\\]\\.(path|fieldRef\\.fieldPath|resourceFieldRef\\.resource)$`),
    new RegExp(`${volume}projected\\.sources\\[\\d+\\]\\.serviceAccountToken\\.path$`),
  ];
})();

/**
 * Required fields the schema stays silent about (matched against the Kubernetes path of the
 * missing field). The OpenAPI `required` lists are looser and stricter than the API server in
 * places: a field is listed here when a rule already reports its absence in the API server's own
 * words, or when the server accepts the field's zero value.
 */
const SILENT_REQUIRED: readonly RegExp[] = [
  // Reported by rules, worded as the API server words it.
  /^spec\.selector$/, // selector-matches-labels (on spec.template.metadata.labels)
  /^spec\.selector\.matchExpressions\[\d+\]\.(key|operator)$/, // selector-syntax
  /^spec\.template\.spec\.containers$/, // containers-required
  /^spec\.template\.spec\.(containers|initContainers)\[\d+\]\.name$/, // container-name
  /^spec\.template\.spec\.(containers|initContainers)\[\d+\]\.ports\[\d+\]\.containerPort$/, // container-ports
  /^spec\.template\.spec\.(containers|initContainers)\[\d+\]\.env\[\d+\]\.name$/, // container-env
  /^spec\.template\.spec\.(containers|initContainers)\[\d+\]\.env\[\d+\]\.valueFrom\.(fieldRef\.fieldPath|resourceFieldRef\.resource|(configMapKeyRef|secretKeyRef)\.key|fileKeyRef\.(key|volumeName|path))$/, // container-env
  new RegExp(`${NODE_AFFINITY}requiredDuringSchedulingIgnoredDuringExecution\\.nodeSelectorTerms$`), // node-affinity
  new RegExp(`${NODE_AFFINITY}.*\\.(matchExpressions|matchFields)\\[\\d+\\]\\.(key|operator)$`), // node-affinity
  new RegExp(`${NODE_AFFINITY}preferredDuringSchedulingIgnoredDuringExecution\\[\\d+\\]\\.weight$`), // node-affinity
  /^spec\.template\.spec\.os\.name$/, // pod-os
  /^spec\.template\.spec\.securityContext\.sysctls\[\d+\]\.name$/, // pod-security-context
  /^spec\.template\.spec\.securityContext\.(seccompProfile|appArmorProfile)\.type$/, // pod-security-context
  /^spec\.template\.spec\.(containers|initContainers)\[\d+\]\.securityContext\.(seccompProfile|appArmorProfile)\.type$/, // security-context
  /^spec\.template\.spec\.hostAliases\[\d+\]\.ip$/, // host-aliases
  /^spec\.template\.spec\.(containers|initContainers)\[\d+\]\.resizePolicy\[\d+\]\.(resourceName|restartPolicy)$/, // container-policies
  /^spec\.template\.spec\.(containers|initContainers)\[\d+\]\.restartPolicyRules\[\d+\]\.(action|exitCodes\.operator)$/, // container-restart-policy
  /^spec\.template\.spec\.(readinessGates\[\d+\]\.conditionType|schedulingGates\[\d+\]\.name)$/, // pod-gates
  /^spec\.template\.spec\.topologySpreadConstraints\[\d+\]\.(maxSkew|topologyKey|whenUnsatisfiable)$/, // topology-spread
  ...VOLUME_REQUIRED, // volumes
  /^spec\.template\.spec\.(containers|initContainers)\[\d+\]\.volumeMounts\[\d+\]\.(name|mountPath)$/, // volume-mounts
  /^spec\.template\.spec\.(containers|initContainers)\[\d+\]\.volumeDevices\[\d+\]\.(name|devicePath)$/, // volume-mounts
  // Zero values the API server accepts.
  /^status\./, // ignored on create and update of the main resource
  new RegExp(`${NODE_AFFINITY}preferredDuringSchedulingIgnoredDuringExecution\\[\\d+\\]\\.preference$`), // an empty term
  /\.httpHeaders\[\d+\]\.value$/, // validateHTTPHeaders checks names only
  /\.sleep\.seconds$/, // a zero-second sleep hook is valid (PodLifecycleSleepActionAllowZero, GA)
  /\.iscsi\.lun$/, // LUN 0 is valid
];

/**
 * Projected volume sources (and the pod's `workloadRef`) the API server drops before validating while
 * their feature gate is off for the target (pkg/api/pod/util.go dropDisabledClusterTrustBundleProjection,
 * dropDisabledPodCertificateProjection and dropDisabledWorkloadRef, from DropDisabledTemplateFields on
 * create): validation never sees them, so a required field missing inside them is not reported (the
 * `volumes` rule does not count such a source either). Decoding still reads them: unknown fields and
 * wrong types are.
 */
export interface DroppedSources {
  /** ClusterTrustBundleProjection is off: `projected.sources[].clusterTrustBundle` is dropped. */
  clusterTrustBundle?: boolean;
  /** PodCertificateRequest is off: `projected.sources[].podCertificate` is dropped. */
  podCertificate?: boolean;
  /** GenericWorkload is off: `spec.template.spec.workloadRef` is dropped. */
  workloadRef?: boolean;
}

const PROJECTED_SOURCE = String.raw`^spec\.template\.spec\.volumes\[\d+\]\.projected\.sources\[\d+\]\.`;
const IN_CLUSTER_TRUST_BUNDLE = new RegExp(`${PROJECTED_SOURCE}clusterTrustBundle\\.`);
const IN_POD_CERTIFICATE = new RegExp(`${PROJECTED_SOURCE}podCertificate\\.`);
const IN_WORKLOAD_REF = /^spec\.template\.spec\.workloadRef\./;

/** JSON-schema findings for one apps/v1 DaemonSet; `dropped`: the sources the API server drops for the target. */
export function schemaFindings(ds: ManifestObject, dropped: DroppedSources = {}): Finding[] {
  const found = findingsFromValidator(ds, daemonSetValidator, SCHEMA);
  if (!dropped.clusterTrustBundle && !dropped.podCertificate && !dropped.workloadRef) return found;
  return found.filter((f) => f.code !== 'missing-required-field'
    || !((dropped.clusterTrustBundle && IN_CLUSTER_TRUST_BUNDLE.test(f.path)) || (dropped.podCertificate && IN_POD_CERTIFICATE.test(f.path))
      || (dropped.workloadRef && IN_WORKLOAD_REF.test(f.path))));
}

/**
 * Runs `validate` on the DaemonSet's data and maps its errors to findings; `root` is the schema
 * document it was compiled from (used to tell map keys from fields and to suggest field names).
 */
export function findingsFromValidator(ds: ManifestObject, validate: ValidateFunction, schema: object): Finding[] {
  const root = schema as SchemaNode & { definitions?: Record<string, SchemaNode> };
  const data = withoutNulls(ds.value);
  try {
    if (validate(data)) return [];
  } catch {
    return [];
  }
  const errors = (validate.errors ?? []).slice();
  const out: Finding[] = [];
  const byKey = new Map<string, Finding>();
  for (const err of errors) {
    const f = toFinding(ds, data, err, errors, root);
    if (!f) continue;
    if (f.code === 'missing-required-field' && (ds.partial || SILENT_REQUIRED.some((re) => re.test(f.path)))) continue;
    // ajv reports a type list, or each branch of a oneOf, as several errors at one place: keep one.
    const key = `${f.code}\u0000${f.path}\u0000${f.span.start}`;
    const seen = byKey.get(key);
    if (seen) {
      if (f.code === 'invalid-type') mergeExpected(seen, f);
      continue;
    }
    byKey.set(key, f);
    out.push(f);
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

type Seg = string | number;

function toFinding(ds: ManifestObject, data: unknown, err: ErrorObject, all: ErrorObject[], root: SchemaNode & { definitions?: Record<string, SchemaNode> }): Finding | undefined {
  const path = decodePointer(err.instancePath, data);
  switch (err.keyword) {
    case 'additionalProperties': {
      const name = String((err.params as { additionalProperty: string }).additionalProperty);
      const parent = resolveRef(err.parentSchema as SchemaNode, root);
      return unknownField(ds, path, name, Object.keys(parent?.properties ?? {}), root);
    }
    case 'required': {
      const name = String((err.params as { missingProperty: string }).missingProperty);
      return missingField(ds, path, name, root);
    }
    case 'type': {
      const t = (err.params as { type: string | string[] }).type;
      const expected = Array.isArray(t) ? t : String(t).split(',');
      return wrongType(ds, path, expected, valueAtPath(data, path), root);
    }
    case 'format': {
      const format = String((err.params as { format: string }).format);
      const f = INT_FORMATS[format];
      const v = valueAtPath(data, path);
      const message = f
        ? `Expected ${f.text} (from ${f.min} to ${f.max}), got ${formatBadValue(v)}.`
        : `Expected a value in ${format} format, got ${formatBadValue(v)}.`;
      return finding('invalid-type', message, ds, path, root, valueSpanOf(ds, path));
    }
    case 'enum': {
      const allowed = ((err.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const v = valueAtPath(data, path);
      return finding('invalid-enum-value', `Unsupported value: ${formatBadValue(v)}: ${supportedValues(allowed)}`, ds, path, root, valueSpanOf(ds, path));
    }
    case 'const': {
      const allowed = [String((err.params as { allowedValue: unknown }).allowedValue)];
      const v = valueAtPath(data, path);
      return finding('invalid-enum-value', `Unsupported value: ${formatBadValue(v)}: ${supportedValues(allowed)}`, ds, path, root, valueSpanOf(ds, path));
    }
    case 'oneOf':
    case 'anyOf': {
      // The branches' own errors say what is wrong; speak only when none of them is reported.
      const prefix = `${err.schemaPath}/`;
      if (all.some((e) => e !== err && e.schemaPath.startsWith(prefix))) return undefined;
      return finding('invalid-type', `${formatBadValue(valueAtPath(data, path))} is not one of the forms this field accepts.`, ds, path, root, valueSpanOf(ds, path));
    }
    default: {
      // Keywords the generated schema does not use today (minimum, pattern, …): ajv's words.
      const v = valueAtPath(data, path);
      return finding('invalid-type', `Invalid value ${formatBadValue(v)}: ${err.message ?? 'does not match the schema'}.`, ds, path, root, valueSpanOf(ds, path));
    }
  }
}

function unknownField(ds: ManifestObject, parent: Seg[], name: string, allowed: string[], root: SchemaNode): Finding {
  const path = [...parent, name];
  const where = parent.length ? `\`${k8sPath(parent, root)}\`` : 'a DaemonSet';
  const suggestion = closestName(name, allowed);
  const belongsIn = suggestion ? undefined : placeOf(parent, name, root);
  const span = keySpan(ds, path) ?? reportSpan(ds, path);
  const message = suggestion
    ? `Unknown field \`${name}\` in ${where}: did you mean \`${suggestion}\`?`
    : belongsIn !== undefined
      ? `Unknown field \`${name}\` in ${where}: it belongs in ${belongsIn ? `\`${belongsIn}\`` : 'the top level of the DaemonSet'}.`
      : `Unknown field \`${name}\` in ${where}; the API server rejects unknown fields.`;
  const f = finding('unknown-field', message, ds, path, root, span);
  if (belongsIn !== undefined) f.data = { belongsIn };
  if (suggestion) {
    f.data = { ...f.data, suggestion };
    const keyNode = locate(ds, path).pair?.key;
    f.fixes = [{ title: `Rename to \`${suggestion}\``, edits: [{ span, newText: requote(keyNode, suggestion) }], isPreferred: true }];
  }
  return f;
}

function missingField(ds: ManifestObject, parent: Seg[], name: string, root: SchemaNode): Finding {
  const path = [...parent, name];
  return finding('missing-required-field', `Missing required field \`${name}\`.`, ds, path, root, parentSpan(ds, parent));
}

function wrongType(ds: ManifestObject, path: Seg[], expected: string[], value: unknown, root: SchemaNode): Finding {
  const got = jsonType(value);
  let message = `Expected ${joinOr(expected.map(typeWord))}, got ${typeWord(got)}.`;
  const node = locate(ds, path).node;
  const span = valueSpanOf(ds, path);
  let fix: Fix | undefined;
  if (isScalar(node) && expected.includes('string') && !expected.includes('integer') && !expected.includes('number') && (got === 'integer' || got === 'number' || got === 'boolean') && node.type === Scalar.PLAIN && typeof node.source === 'string') {
    // `version: 1.10` is the number 1.1 to YAML; quoting keeps the text.
    const quoted = JSON.stringify(node.source);
    message += ` Quote it to make it a string: ${quoted}.`;
    fix = { title: `Quote the value: ${quoted}`, edits: [{ span, newText: quoted }], isPreferred: true };
  } else if (isScalar(node) && got === 'string' && typeof value === 'string' && (expected.includes('integer') || expected.includes('number'))
    && /^-?\d+(\.\d+)?$/.test(value) && (expected.includes('number') || !value.includes('.')) && node.type !== Scalar.PLAIN) {
    const unquoted = goYamlNumber(value);
    if (unquoted === Number(value)) {
      message += ' Remove the quotes to make it a number.';
      fix = { title: `Remove the quotes: ${value}`, edits: [{ span, newText: value }], isPreferred: true };
    } else {
      // A leading 0 makes it octal to kubectl (go-yaml v2): `"0100"` unquoted is 64, which the fix must not hide.
      message += ` Remove the quotes to make it a number: unquoted, kubectl reads ${value} as octal, ${unquoted}.`;
      fix = { title: `Remove the quotes: ${value} (octal, ${unquoted})`, edits: [{ span, newText: value }] };
    }
  }
  const f = finding('invalid-type', message, ds, path, root, span);
  f.data = { expected, got };
  if (fix) f.fixes = [fix];
  return f;
}

function mergeExpected(into: Finding, from: Finding): void {
  const a = (into.data?.expected as string[] | undefined) ?? [];
  const b = (from.data?.expected as string[] | undefined) ?? [];
  const expected = [...new Set([...a, ...b])];
  if (expected.length === a.length) return;
  const got = String(into.data?.got ?? '');
  into.message = into.message.replace(/^Expected .*?, got /, `Expected ${joinOr(expected.map(typeWord))}, got `);
  into.data = { ...into.data, expected, got };
}

function finding(code: string, message: string, ds: ManifestObject, path: Seg[], root: SchemaNode, span: Span): Finding {
  return { code, severity: 'error', message, path: k8sPath(path, root), span };
}

/**
 * The value's span, else its key's, else the nearest ancestor's key. A block mapping or list
 * spans many lines, so its key stands for it.
 */
function valueSpanOf(ds: ManifestObject, path: Seg[]): Span {
  const node = locate(ds, path).node;
  if ((isMap(node) || isSeq(node)) && !node.flow) {
    const key = keySpan(ds, path);
    if (key && typeof path[path.length - 1] === 'string') return key;
  }
  return valueSpan(ds, path) ?? reportSpan(ds, path, 'value');
}

/**
 * Where to report a field missing from the object at `parent`: the parent's key; for a list
 * item (which has no key) its first key; for the DaemonSet itself its `kind`.
 */
function parentSpan(ds: ManifestObject, parent: Seg[]): Span {
  if (parent.length === 0) return objectAnchor(ds);
  if (typeof parent[parent.length - 1] === 'number') {
    const node = locate(ds, parent).node;
    if (isMap(node)) {
      const first = node.items.find((it) => isPair(it));
      const r = (first?.key as Node | undefined)?.range;
      if (r) return { start: r[0] + ds.base, end: r[1] + ds.base };
    }
    const r = (node as Node | undefined)?.range;
    if (r) return { start: r[0] + ds.base, end: Math.max(r[1], r[0] + 1) + ds.base };
  }
  return keySpan(ds, parent) ?? reportSpan(ds, parent);
}

/** The new key text in the old key's quoting style. */
function requote(keyNode: unknown, name: string): string {
  if (isScalar(keyNode)) {
    if (keyNode.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(name);
    if (keyNode.type === Scalar.QUOTE_SINGLE) return `'${name.replace(/'/g, "''")}'`;
  }
  return name;
}

/** JSON pointer -> path segments, with indices as numbers where the data holds a list. */
function decodePointer(pointer: string, data: unknown): Seg[] {
  if (!pointer) return [];
  const out: Seg[] = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur) && /^\d+$/.test(seg)) {
      const i = Number(seg);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(seg);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function valueAtPath(data: unknown, path: Seg[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

function resolveRef(s: SchemaNode | undefined, root: SchemaNode & { definitions?: Record<string, SchemaNode> }): SchemaNode | undefined {
  let cur = s;
  for (let i = 0; cur?.$ref && i < 32; i++) {
    const m = /^#\/(?:definitions|\$defs)\/(.+)$/.exec(cur.$ref);
    if (!m) return cur;
    const name = decodeURIComponent(m[1]).replace(/~1/g, '/').replace(/~0/g, '~');
    const next = root.definitions?.[name];
    if (!next) return cur;
    cur = next;
  }
  return cur;
}

/** The schema of each prefix of `path`: element i is the schema at path.slice(0, i). */
function schemasAlong(path: Seg[], root: SchemaNode & { definitions?: Record<string, SchemaNode> }): Array<SchemaNode | undefined> {
  const out: Array<SchemaNode | undefined> = [resolveRef(root, root)];
  let schema = out[0];
  for (const seg of path) {
    if (typeof seg === 'number') schema = resolveRef(schema?.items, root);
    else {
      const field = schema?.properties?.[seg];
      schema = resolveRef(field ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined), root);
    }
    out.push(schema);
  }
  return out;
}

/**
 * Where a field misplaced under `parent` is valid: the nearest enclosing object that has it (a
 * field indented too deep), else an object below `parent`, through mappings only, at most three
 * levels down (a field indented too shallow: `tolerations` under `spec` belongs in
 * `spec.template.spec`). "" is the top level; undefined when there is no such place.
 */
function placeOf(parent: Seg[], name: string, root: SchemaNode & { definitions?: Record<string, SchemaNode> }): string | undefined {
  const along = schemasAlong(parent, root);
  for (let i = parent.length - 1; i >= 0; i--) {
    if (along[i]?.properties?.[name]) return k8sPath(parent.slice(0, i), root);
  }
  let level: Array<{ path: Seg[]; schema: SchemaNode }> = [];
  const start = along[parent.length];
  if (start) level.push({ path: parent, schema: start });
  for (let depth = 0; depth < 3 && level.length > 0; depth++) {
    const next: typeof level = [];
    for (const { path, schema } of level) {
      for (const [field, sub] of Object.entries(schema.properties ?? {})) {
        const child = resolveRef(sub, root);
        if (!child?.properties) continue;
        if (child.properties[name]) return k8sPath([...path, field], root);
        next.push({ path: [...path, field], schema: child });
      }
    }
    level = next;
  }
  return undefined;
}

/**
 * The Kubernetes field path: fields joined by dots, list indices in brackets, and map keys in
 * brackets as field.Path.Key writes them (`metadata.labels[app]`).
 */
function k8sPath(path: Seg[], root: SchemaNode & { definitions?: Record<string, SchemaNode> }): string {
  let out = '';
  let schema: SchemaNode | undefined = resolveRef(root, root);
  for (const seg of path) {
    if (typeof seg === 'number') {
      out += `[${seg}]`;
      schema = resolveRef(schema?.items, root);
      continue;
    }
    const field = schema?.properties?.[seg];
    if (field || !schema || typeof schema.additionalProperties !== 'object') {
      out += out ? `.${seg}` : seg;
      schema = resolveRef(field, root);
    } else {
      out += `[${seg}]`;
      schema = resolveRef(schema.additionalProperties, root);
    }
  }
  return out;
}

/** The closest allowed name within a small edit distance (case differences count as close). */
export function closestName(name: string, allowed: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameCase = allowed.find((a) => a.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDist = Infinity;
  for (const a of [...allowed].sort()) {
    if (Math.abs(a.length - name.length) > limit) continue;
    const d = editDistance(lower, a.toLowerCase());
    if (d < bestDist) {
      best = a;
      bestDist = d;
    }
  }
  return bestDist <= limit ? best : undefined;
}

export { editDistance };

/**
 * A copy without null map entries: the API server treats `field: null` (and `field:`) as unset.
 * A recursive alias (`spec: &a {x: *a}`) is cut where it closes the circle.
 */
function withoutNulls(v: Record<string, unknown>): unknown {
  // Most manifests have neither: validating the object itself spares a deep copy per DaemonSet
  // (ajv is configured not to mutate its input).
  const facts = valueFacts(v);
  return facts.nullEntry || facts.recursive ? copyWithoutNulls(v, new Set()) : v;
}

function copyWithoutNulls(v: unknown, ancestors: Set<object>): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (ancestors.has(v)) return '<recursive alias>';
  ancestors.add(v);
  let out: unknown;
  if (Array.isArray(v)) out = v.map((x) => copyWithoutNulls(x, ancestors));
  else {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x !== null && x !== undefined) o[k] = copyWithoutNulls(x, ancestors);
    }
    out = o;
  }
  ancestors.delete(v);
  return out;
}

function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean (true or false)',
  object: 'a mapping (key: value fields)',
  array: 'a list',
  null: 'an empty value',
};

function typeWord(t: string): string {
  return TYPE_WORDS[t] ?? t;
}

function joinOr(words: string[]): string {
  if (words.length <= 1) return words[0] ?? 'a different type';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
