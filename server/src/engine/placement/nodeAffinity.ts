/**
 * Required node affinity, mirroring
 * staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
 * (NewRequiredNodeAffinity, RequiredNodeAffinity.Match, NewLazyErrorNodeSelector, newNodeSelectorTerm,
 * nodeSelectorRequirementsAsSelector, nodeSelectorRequirementsAsFieldSelector, extractNodeFields) and the
 * label requirement rules of staging/src/k8s.io/apimachinery/pkg/labels/selector.go (NewRequirement,
 * (*Requirement).Matches). Everything is parsed once per pod spec; matching a node is allocation-free.
 */
import { isLabelKey, isLabelValue } from '../k8sNames';
import { isPlainObject } from '../model';
import { parseInt64, scalarText as str } from './tolerations';

export type LabelOp = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt' | 'Equals';

/** One parsed label requirement (labels.Requirement). */
export interface LabelRequirement {
  key: string;
  operator: LabelOp;
  values: string[];
  /** Gt/Lt: the parsed bound. */
  bound?: bigint;
}

/** One parsed field requirement: only `metadata.name` exists on nodes. */
export interface FieldRequirement {
  key: string;
  operator: 'In' | 'NotIn';
  value: string;
}

/** A parsed nodeSelectorTerm; `parseErrors` non-empty means it never matches. */
export interface ParsedTerm {
  /** Index in `nodeSelectorTerms`. */
  index: number;
  matchExpressions?: LabelRequirement[];
  matchFields?: FieldRequirement[];
  parseErrors: string[];
}

/** The required node affinity of a pod: nodeSelector AND (terms ORed). */
export interface RequiredNodeAffinity {
  /** `spec.nodeSelector` as equality requirements (labels.SelectorFromSet); undefined when empty. */
  nodeSelector?: LabelRequirement[];
  /** undefined when the pod has no required node affinity. */
  terms?: ParsedTerm[];
  /** Terms skipped because they are empty ("nil or empty term selects no objects"). */
  emptyTerms: number[];
}


/** labels.NewRequirement: validates the key, the operator's value count and each value. */
export function newRequirement(key: string, operator: string, values: string[]): { req?: LabelRequirement; errors: string[] } {
  const errors: string[] = [];
  for (const e of isLabelKey(key)) errors.push(`key: Invalid value: "${key}": ${e}`);
  let op: LabelOp;
  let bound: bigint | undefined;
  switch (operator) {
    case 'In':
    case 'NotIn':
      op = operator;
      if (values.length === 0) errors.push("values: Invalid value: for 'in', 'notin' operators, values set can't be empty");
      break;
    case 'Exists':
    case 'DoesNotExist':
      op = operator;
      if (values.length !== 0) errors.push("values: Invalid value: values set must be empty for exists and does not exist");
      break;
    case 'Gt':
    case 'Lt':
      op = operator;
      if (values.length !== 1) errors.push("values: Invalid value: for 'Gt', 'Lt' operators, exactly one value is required");
      for (const v of values) {
        const n = parseInt64(v);
        if (n === undefined) errors.push(`values[0]: Invalid value: "${v}": for 'Gt', 'Lt' operators, the value must be an integer`);
        else bound = n;
      }
      break;
    default:
      return { errors: [`operator: Unsupported value: "${operator}": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"`] };
  }
  values.forEach((v, i) => {
    for (const e of isLabelValue(v)) errors.push(`values[${i}]: Invalid value: "${v}": ${e}`);
  });
  if (errors.length > 0) return { errors };
  return { req: { key, operator: op, values, bound }, errors };
}

/** (*Requirement).Matches against a label map. */
export function requirementMatches(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'In':
    case 'Equals':
      return has && r.values.includes(labels[r.key]);
    case 'NotIn':
      return !has || !r.values.includes(labels[r.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || r.bound === undefined) return false;
      const v = parseInt64(labels[r.key]);
      if (v === undefined) return false;
      return r.operator === 'Gt' ? v > r.bound : v < r.bound;
    }
  }
}

/** nodeSelectorRequirementsAsSelector (labels) for one term's matchExpressions. */
function parseMatchExpressions(exprs: unknown[], termIndex: number, errors: string[]): LabelRequirement[] {
  const out: LabelRequirement[] = [];
  exprs.forEach((e, i) => {
    const o = isPlainObject(e) ? e : {};
    const values = Array.isArray(o.values) ? o.values.map((v) => str(v) ?? '') : [];
    const { req, errors: errs } = newRequirement(str(o.key) ?? '', str(o.operator) ?? '', values);
    for (const m of errs) errors.push(`nodeSelectorTerms[${termIndex}].matchExpressions[${i}].${m}`);
    if (req) out.push(req);
  });
  return out;
}

/** nodeSelectorRequirementsAsFieldSelector for one term's matchFields: In/NotIn with exactly one value. */
function parseMatchFields(exprs: unknown[], termIndex: number, errors: string[]): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  exprs.forEach((e, i) => {
    const o = isPlainObject(e) ? e : {};
    const values = Array.isArray(o.values) ? o.values.map((v) => str(v) ?? '') : [];
    const operator = str(o.operator) ?? '';
    const p = `nodeSelectorTerms[${termIndex}].matchFields[${i}]`;
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length !== 1) errors.push(`${p}.values: Invalid value: must have one element`);
      else out.push({ key: str(o.key) ?? '', operator, value: values[0] });
    } else {
      errors.push(`${p}.operator: Unsupported value: "${operator}": supported values: "In", "NotIn"`);
    }
  });
  return out;
}

/** NewLazyErrorNodeSelector: parses every non-empty term; a term with parse errors never matches. */
export function parseNodeSelector(selector: unknown): { terms: ParsedTerm[]; emptyTerms: number[] } {
  const terms: ParsedTerm[] = [];
  const emptyTerms: number[] = [];
  const raw = isPlainObject(selector) && Array.isArray(selector.nodeSelectorTerms) ? selector.nodeSelectorTerms : [];
  raw.forEach((t, index) => {
    const o = isPlainObject(t) ? t : {};
    const exprs = Array.isArray(o.matchExpressions) ? o.matchExpressions : [];
    const fields = Array.isArray(o.matchFields) ? o.matchFields : [];
    // isEmptyNodeSelectorTerm: nil or empty term selects no objects.
    if (exprs.length === 0 && fields.length === 0) {
      emptyTerms.push(index);
      return;
    }
    const parseErrors: string[] = [];
    const term: ParsedTerm = { index, parseErrors };
    if (exprs.length > 0) term.matchExpressions = parseMatchExpressions(exprs, index, parseErrors);
    if (fields.length > 0) term.matchFields = parseMatchFields(fields, index, parseErrors);
    terms.push(term);
  });
  return { terms, emptyTerms };
}

/** nodeaffinity.GetRequiredNodeAffinity(pod) / NewRequiredNodeAffinity(nodeSelector, affinity). */
export function getRequiredNodeAffinity(podSpec: Record<string, unknown>): RequiredNodeAffinity {
  const out: RequiredNodeAffinity = { emptyTerms: [] };
  const ns = podSpec.nodeSelector;
  if (isPlainObject(ns) && Object.keys(ns).length > 0) {
    out.nodeSelector = Object.entries(ns).map(([key, v]) => ({ key, operator: 'Equals' as const, values: [str(v) ?? ''] }));
  }
  const aff = isPlainObject(podSpec.affinity) ? podSpec.affinity : undefined;
  const na = aff && isPlainObject(aff.nodeAffinity) ? aff.nodeAffinity : undefined;
  const req = na?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req !== undefined && req !== null) {
    const { terms, emptyTerms } = parseNodeSelector(req);
    out.terms = terms;
    out.emptyTerms = emptyTerms;
  }
  return out;
}

/** nodeSelectorTerm.match: expressions ANDed with fields; the field part is ignored for a node without a name. */
export function termMatches(term: ParsedTerm, labels: Readonly<Record<string, string>>, nodeName: string): boolean {
  if (term.parseErrors.length > 0) return false;
  if (term.matchExpressions) for (const r of term.matchExpressions) if (!requirementMatches(r, labels)) return false;
  if (term.matchFields && nodeName.length > 0) {
    for (const f of term.matchFields) {
      // fields.Set: only metadata.name exists; a missing field reads as "".
      const v = f.key === 'metadata.name' ? nodeName : '';
      if (f.operator === 'In' ? v !== f.value : v === f.value) return false;
    }
  }
  return true;
}

/** RequiredNodeAffinity.Match split in two, so a caller can say which half failed. */
export function nodeSelectorMatches(a: RequiredNodeAffinity, labels: Readonly<Record<string, string>>): boolean {
  if (a.nodeSelector) for (const r of a.nodeSelector) if (!requirementMatches(r, labels)) return false;
  return true;
}

/** The LazyErrorNodeSelector half of RequiredNodeAffinity.Match: terms are ORed; no usable term matches nothing. */
export function requiredTermsMatch(a: RequiredNodeAffinity, labels: Readonly<Record<string, string>>, nodeName: string): boolean {
  if (!a.terms) return true;
  for (const t of a.terms) if (termMatches(t, labels, nodeName)) return true;
  return false;
}

/** RequiredNodeAffinity.Match. */
export function matchRequiredNodeAffinity(a: RequiredNodeAffinity, labels: Readonly<Record<string, string>>, nodeName: string): boolean {
  return nodeSelectorMatches(a, labels) && requiredTermsMatch(a, labels, nodeName);
}

/** A LabelSelector (metav1.LabelSelectorAsSelector): matchLabels AND matchExpressions; undefined if unparsable. */
export function parseLabelSelector(sel: unknown): LabelRequirement[] | undefined {
  if (!isPlainObject(sel)) return undefined;
  const out: LabelRequirement[] = [];
  if (isPlainObject(sel.matchLabels)) {
    for (const [k, v] of Object.entries(sel.matchLabels)) {
      const { req } = newRequirement(k, 'In', [str(v) ?? '']);
      if (!req) return undefined;
      out.push({ ...req, operator: 'Equals' });
    }
  }
  if (Array.isArray(sel.matchExpressions)) {
    for (const e of sel.matchExpressions) {
      const o = isPlainObject(e) ? e : {};
      const op = str(o.operator) ?? '';
      // LabelSelectorAsSelector accepts only In, NotIn, Exists, DoesNotExist.
      if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(op)) return undefined;
      const values = Array.isArray(o.values) ? o.values.map((v) => str(v) ?? '') : [];
      const { req } = newRequirement(str(o.key) ?? '', op, values);
      if (!req) return undefined;
      out.push(req);
    }
  }
  return out;
}

/** All requirements hold (an empty list selects everything). */
export function labelsMatch(reqs: readonly LabelRequirement[], labels: Readonly<Record<string, string>>): boolean {
  for (const r of reqs) if (!requirementMatches(r, labels)) return false;
  return true;
}

/** `key In [a, b]`, `key Exists`, `key=value` for messages. */
export function formatRequirement(r: LabelRequirement): string {
  switch (r.operator) {
    case 'Equals':
      return `${r.key}=${r.values[0] ?? ''}`;
    case 'Exists':
    case 'DoesNotExist':
      return `${r.key} ${r.operator}`;
    case 'Gt':
    case 'Lt':
      return `${r.key} ${r.operator} ${r.values[0] ?? ''}`;
    default:
      return `${r.key} ${r.operator} [${r.values.join(', ')}]`;
  }
}
