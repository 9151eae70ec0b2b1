/**
 * Object-metadata and label-selector validation shared by the DaemonSet rules, mirroring
 * apimachinery/pkg/apis/meta/v1/validation/validation.go (ValidateLabels, ValidateLabelName,
 * ValidateLabelSelector, ValidateLabelSelectorRequirement), apimachinery/pkg/api/validation
 * (ValidateAnnotations, ValidateAnnotationsSize) and apimachinery/pkg/apis/meta/v1/helpers.go
 * (LabelSelectorAsSelector with labels.NewRequirement). Findings carry the upstream path; their
 * span is the exact key or value in the YAML, which the upstream path (a whole map) cannot give.
 */
import type { Node } from 'yaml';
import { isMap, isPair } from './yamlNodes';
import { keySpan, locate, objectAnchor, valueAt, valueSpan } from './ast';
import { isLabelValue, isQualifiedName } from './k8sNames';
import type { ManifestObject } from './model';
import { apiFinding, type Rule } from './rules/rule';
import type { FieldErrorType } from './fieldErrors';
import type { FieldPath, Finding, Span } from './types';
import { utf8Length } from './text';

type RuleRef = Pick<Rule, 'id' | 'defaultSeverity'>;

/** upstream apimachinery/pkg/api/validation/objectmeta.go TotalAnnotationSizeLimitB (256 KiB). */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10);

/**
 * The span for a finding about `path`: its key (or value) when present; for a field missing from
 * a list item, the item's first key (the item itself spans many lines); else the nearest
 * ancestor's key; else the object's anchor.
 */
export function spanAt(ds: ManifestObject, path: FieldPath, on: 'key' | 'value' = 'key'): Span {
  const exact = on === 'value' ? valueSpan(ds, path) : keySpan(ds, path);
  if (exact) return exact;
  for (let n = path.length - 1; n > 0; n--) {
    const p = path.slice(0, n);
    if (typeof p[p.length - 1] === 'number') {
      const node = locate(ds, p).node;
      if (locate(ds, p).depth !== p.length) continue;
      if (isMap(node)) {
        const first = node.items.find((it) => isPair(it));
        const r = (first?.key as Node | undefined)?.range;
        if (r) return { start: ds.base + r[0], end: ds.base + r[1] };
      }
      const s = valueSpan(ds, p);
      if (s) return s;
      continue;
    }
    const s = keySpan(ds, p);
    if (s) return s;
  }
  return objectAnchor(ds);
}

/**
 * A bad value printed as Go prints it where JSON quoting would be wrong: `%#v` of a struct or
 * map, or the String() of an IntOrString (unquoted).
 */
export class GoValue {
  constructor(readonly text: string) {}
}

const VALUE_TYPE_TEXT: Partial<Record<FieldErrorType, string>> = { Invalid: 'Invalid value', NotSupported: 'Unsupported value', Duplicate: 'Duplicate value' };

/** A finding with the upstream path `apiPath` (and wording), reported at `span`. */
export function findingAt(rule: RuleRef, ds: ManifestObject, apiPath: FieldPath, span: Span, type: FieldErrorType, detail?: string, badValue?: unknown): Finding {
  const f = apiFinding(rule, ds, apiPath, type, detail, badValue);
  const head = VALUE_TYPE_TEXT[type];
  if (badValue instanceof GoValue && head) f.message = `${head}: ${badValue.text}${detail ? `: ${detail}` : ''}`;
  f.span = span;
  return f;
}

/**
 * A map of strings as the API server decodes it: null values are "", anything else that is not
 * a string makes the map undecodable (the schema reports the type error) and gives undefined.
 */
export function stringMap(v: unknown): Map<string, string> | undefined {
  if (v === undefined || v === null) return new Map();
  if (typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out = new Map<string, string>();
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === null) out.set(k, '');
    else if (typeof x === 'string') out.set(k, x);
    else return undefined;
  }
  return out;
}

/**
 * ValidateLabels(labels, fldPath): every key a qualified name, every value a label value; all
 * errors on `apiPath` (the map), with the key or the value as bad value. `yamlPath` locates the map.
 */
export function validateLabels(rule: RuleRef, ds: ManifestObject, yamlPath: FieldPath, apiPath: FieldPath): Finding[] {
  const labels = valueAt(ds, yamlPath);
  if (!labels || typeof labels !== 'object' || Array.isArray(labels)) return [];
  const out: Finding[] = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    const keyPath = [...yamlPath, k];
    for (const msg of isQualifiedName(k)) out.push(findingAt(rule, ds, apiPath, spanAt(ds, keyPath), 'Invalid', msg, k));
    // Non-string values are type errors (schema); null decodes to "".
    const value = v === null ? '' : v;
    if (typeof value !== 'string') continue;
    for (const msg of isLabelValue(value)) out.push(findingAt(rule, ds, apiPath, spanAt(ds, keyPath, 'value'), 'Invalid', msg, value));
  }
  return out;
}

/**
 * ValidateAnnotations(annotations, fldPath): keys are qualified names once lower-cased (case does
 * not matter for annotations), and keys plus values total at most 256 KiB.
 */
export function validateAnnotations(rule: RuleRef, ds: ManifestObject, yamlPath: FieldPath, apiPath: FieldPath): Finding[] {
  const annotations = valueAt(ds, yamlPath);
  if (!annotations || typeof annotations !== 'object' || Array.isArray(annotations)) return [];
  const out: Finding[] = [];
  let totalSize = 0;
  for (const [k, v] of Object.entries(annotations as Record<string, unknown>)) {
    for (const msg of isQualifiedName(k.toLowerCase())) out.push(findingAt(rule, ds, apiPath, spanAt(ds, [...yamlPath, k]), 'Invalid', msg, k));
    totalSize += byteLength(k) + (typeof v === 'string' ? byteLength(v) : 0);
  }
  if (totalSize > TOTAL_ANNOTATION_SIZE_LIMIT_B) {
    // field.TooLong(fldPath, "", TotalAnnotationSizeLimitB): the value is omitted from the message.
    out.push(findingAt(rule, ds, apiPath, spanAt(ds, yamlPath), 'TooLong', `may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT_B} bytes`));
  }
  return out;
}

/** metav1.LabelSelectorOperator values. */
export const LABEL_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/**
 * ValidateLabelSelector(selector at `path`, AllowInvalidLabelValueInSelector false): matchLabels
 * through ValidateLabels, each matchExpressions entry through ValidateLabelSelectorRequirement
 * (operator, values for the operator, key as a label key, values as label values).
 */
export function validateLabelSelector(rule: RuleRef, ds: ManifestObject, path: FieldPath): Finding[] {
  const selector = valueAt(ds, path);
  if (!selector || typeof selector !== 'object' || Array.isArray(selector)) return [];
  const out: Finding[] = validateLabels(rule, ds, [...path, 'matchLabels'], [...path, 'matchLabels']);
  const exprs = (selector as Record<string, unknown>).matchExpressions;
  if (!Array.isArray(exprs)) return out;
  exprs.forEach((e, i) => {
    if (!e || typeof e !== 'object' || Array.isArray(e)) return;
    out.push(...validateLabelSelectorRequirement(rule, ds, e as Record<string, unknown>, [...path, 'matchExpressions', i]));
  });
  return out;
}

/** ValidateLabelSelectorRequirement; values that do not decode (wrong types) are the schema's. */
function validateLabelSelectorRequirement(rule: RuleRef, ds: ManifestObject, sr: Record<string, unknown>, path: FieldPath): Finding[] {
  const out: Finding[] = [];
  const operator = sr.operator === undefined || sr.operator === null ? '' : sr.operator;
  const key = sr.key === undefined || sr.key === null ? '' : sr.key;
  const rawValues = sr.values === undefined || sr.values === null ? [] : sr.values;
  const values = Array.isArray(rawValues) ? rawValues : undefined;
  const valuesPath = [...path, 'values'];
  // A missing `values` is reported on the operator that needs it.
  const valuesSpan = keySpan(ds, valuesPath) ?? spanAt(ds, [...path, 'operator'], 'value');
  if (typeof operator === 'string') {
    switch (operator) {
      case 'In':
      case 'NotIn':
        if (values && values.length === 0) out.push(findingAt(rule, ds, valuesPath, valuesSpan, 'Required', "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values && values.length > 0) out.push(findingAt(rule, ds, valuesPath, valuesSpan, 'Forbidden', "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default: {
        const f = findingAt(rule, ds, [...path, 'operator'], spanAt(ds, [...path, 'operator'], 'value'), 'Invalid', 'not a valid selector operator', operator);
        f.data = { supported: [...LABEL_SELECTOR_OPERATORS] };
        out.push(f);
      }
    }
  }
  if (typeof key === 'string') {
    for (const msg of isQualifiedName(key)) out.push(findingAt(rule, ds, [...path, 'key'], spanAt(ds, [...path, 'key'], 'value'), 'Invalid', msg, key));
  }
  values?.forEach((v, j) => {
    const value = v === null ? '' : v;
    if (typeof value !== 'string') return;
    for (const msg of isLabelValue(value)) out.push(findingAt(rule, ds, [...valuesPath, j], spanAt(ds, [...valuesPath, j], 'value'), 'Invalid', msg, value));
  });
  return out;
}

/** One requirement of a parsed selector (labels.Requirement). */
export interface Requirement {
  key: string;
  operator: 'Equals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/**
 * What LabelSelectorAsSelector makes of `spec.selector`:
 * `nothing` for a nil selector (selects no pod), `everything` for an empty one, `invalid` when
 * labels.NewRequirement rejects a requirement or the data does not decode, else the requirements.
 */
export type ParsedSelector =
  | { kind: 'nothing' }
  | { kind: 'everything' }
  | { kind: 'invalid' }
  | { kind: 'requirements'; requirements: Requirement[] };

/** LabelSelectorAsSelector (apimachinery/pkg/apis/meta/v1/helpers.go). */
export function labelSelectorAsSelector(selector: unknown): ParsedSelector {
  if (selector === undefined || selector === null) return { kind: 'nothing' };
  if (typeof selector !== 'object' || Array.isArray(selector)) return { kind: 'invalid' };
  const s = selector as Record<string, unknown>;
  const matchLabels = stringMap(s.matchLabels);
  const exprs = s.matchExpressions === undefined || s.matchExpressions === null ? [] : s.matchExpressions;
  if (!matchLabels || !Array.isArray(exprs)) return { kind: 'invalid' };
  if (matchLabels.size + exprs.length === 0) return { kind: 'everything' };
  const requirements: Requirement[] = [];
  for (const [k, v] of matchLabels) {
    const r = newRequirement(k, 'Equals', [v]);
    if (!r) return { kind: 'invalid' };
    requirements.push(r);
  }
  for (const e of exprs) {
    if (!e || typeof e !== 'object' || Array.isArray(e)) return { kind: 'invalid' };
    const expr = e as Record<string, unknown>;
    const key = expr.key === null || expr.key === undefined ? '' : expr.key;
    const op = expr.operator === null || expr.operator === undefined ? '' : expr.operator;
    const values = expr.values === null || expr.values === undefined ? [] : expr.values;
    if (typeof key !== 'string' || typeof op !== 'string' || !Array.isArray(values) || !values.every((x) => typeof x === 'string' || x === null)) return { kind: 'invalid' };
    if (!(LABEL_SELECTOR_OPERATORS as readonly string[]).includes(op)) return { kind: 'invalid' };
    const r = newRequirement(key, op as Requirement['operator'], values.map((x) => (x === null ? '' : x)));
    if (!r) return { kind: 'invalid' };
    requirements.push(r);
  }
  return { kind: 'requirements', requirements };
}

/** labels.NewRequirement: undefined where it returns an error. */
function newRequirement(key: string, operator: Requirement['operator'], values: string[]): Requirement | undefined {
  if (isQualifiedName(key).length > 0) return undefined;
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) return undefined;
      break;
    case 'Equals':
      if (values.length !== 1) return undefined;
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) return undefined;
      break;
  }
  if (values.some((v) => isLabelValue(v).length > 0)) return undefined;
  return { key, operator, values };
}

/** labels.Selector.Matches over a label set. */
export function selectorMatches(selector: ParsedSelector, labels: ReadonlyMap<string, string>): boolean {
  switch (selector.kind) {
    case 'nothing':
    case 'invalid':
      return false;
    case 'everything':
      return true;
    case 'requirements':
      return selector.requirements.every((r) => requirementMatches(r, labels));
  }
}

/** labels.Requirement.Matches. */
function requirementMatches(r: Requirement, labels: ReadonlyMap<string, string>): boolean {
  const has = labels.has(r.key);
  const v = labels.get(r.key) ?? '';
  switch (r.operator) {
    case 'Equals':
    case 'In':
      return has && r.values.includes(v);
    case 'NotIn':
      return !has || !r.values.includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

/** Go's `%#v` of a map[string]string: keys sorted, strings quoted. */
export function goStringMap(m: ReadonlyMap<string, string> | undefined): string {
  if (!m) return 'map[string]string(nil)';
  const keys = [...m.keys()].sort();
  return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(m.get(k))}`).join(', ')}}`;
}

export function byteLength(s: string): number {
  return utf8Length(s);
}
