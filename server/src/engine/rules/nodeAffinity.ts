import { keySpan, valueAt, valueSpan } from '../ast';
import { isDNS1123Subdomain, isLabelKey, isLabelValue } from '../k8sNames';
import type { ManifestObject } from '../model';
import { firstKeySpan, isRecord, POD_SPEC, str } from '../podTemplate';
import type { FieldPath, Finding } from '../types';
import { apiFinding, type Rule } from './rule';

const NA = [...POD_SPEC, 'affinity', 'nodeAffinity'];

/**
 * pkg/apis/core/validation/validation.go validateNodeAffinity → ValidateNodeSelector (required:
 * at least one term), ValidateNodeSelectorTerm, ValidateNodeSelectorRequirement (operators and
 * their values, label keys, label values for required terms only), ValidateNodeFieldSelectorRequirement
 * (matchFields: metadata.name with In/NotIn and one node name) and ValidatePreferredSchedulingTerms
 * (weight 1-100; invalid label values allowed).
 */
export const nodeAffinity: Rule = {
  id: 'node-affinity',
  description: 'Node affinity terms must use valid operators, keys, values and weights.',
  help: 'Upstream validateNodeAffinity: a required node selector needs at least one term; `In`/`NotIn` need values, `Exists`/`DoesNotExist` forbid them, `Gt`/`Lt` take exactly one; keys are label keys and (for required terms) values are label values; `matchFields` only supports `metadata.name` with `In`/`NotIn` and a single node name; preferred terms need a weight from 1 to 100.',
  defaultSeverity: 'error',
  check(ds) {
    const out: Finding[] = [];
    const na = valueAt(ds, NA);
    if (!isRecord(na)) return out;
    const required = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (isRecord(required)) {
      validateNodeSelector(ds, required, [...NA, 'requiredDuringSchedulingIgnoredDuringExecution'], out);
    }
    const preferred = na.preferredDuringSchedulingIgnoredDuringExecution;
    if (Array.isArray(preferred) && preferred.length > 0) {
      validatePreferredSchedulingTerms(ds, preferred, [...NA, 'preferredDuringSchedulingIgnoredDuringExecution'], out);
    }
    return out;
  },
};

/** ValidateNodeSelector. */
function validateNodeSelector(ds: ManifestObject, selector: Record<string, unknown>, path: FieldPath, out: Finding[]): void {
  const termsPath = [...path, 'nodeSelectorTerms'];
  const terms = selector.nodeSelectorTerms;
  if (terms !== undefined && terms !== null && !Array.isArray(terms)) return; // the schema reports the type
  if (!Array.isArray(terms) || terms.length === 0) {
    out.push(apiFinding(nodeAffinity, ds, termsPath, 'Required', 'must have at least one node selector term'));
    return;
  }
  terms.forEach((term, i) => {
    if (isRecord(term)) validateNodeSelectorTerm(ds, term, false, [...termsPath, i], out);
  });
}

/** ValidatePreferredSchedulingTerms. */
function validatePreferredSchedulingTerms(ds: ManifestObject, terms: unknown[], path: FieldPath, out: Finding[]): void {
  terms.forEach((term, i) => {
    if (!isRecord(term)) return;
    const weight = term.weight === undefined || term.weight === null ? 0 : term.weight;
    if (typeof weight === 'number' && Number.isInteger(weight) && (weight <= 0 || weight > 100)) {
      const f = apiFinding(nodeAffinity, ds, [...path, i, 'weight'], 'Invalid', 'must be in the range 1-100', weight, 'value');
      // A missing weight (0) is reported on the term's first key rather than the whole term.
      const first = Object.keys(term)[0];
      if (!('weight' in term) && first !== undefined) f.span = keySpan(ds, [...path, i, first]) ?? f.span;
      out.push(f);
    }
    // "we always allow invalid label-value for preferred affinity"
    if (isRecord(term.preference)) validateNodeSelectorTerm(ds, term.preference, true, [...path, i, 'preference'], out);
  });
}

/** ValidateNodeSelectorTerm. */
function validateNodeSelectorTerm(ds: ManifestObject, term: Record<string, unknown>, allowInvalidLabelValue: boolean, path: FieldPath, out: Finding[]): void {
  if (Array.isArray(term.matchExpressions)) {
    term.matchExpressions.forEach((req, j) => {
      if (isRecord(req)) validateNodeSelectorRequirement(ds, req, allowInvalidLabelValue, [...path, 'matchExpressions', j], out);
    });
  }
  if (Array.isArray(term.matchFields)) {
    term.matchFields.forEach((req, j) => {
      if (isRecord(req)) validateNodeFieldSelectorRequirement(ds, req, [...path, 'matchFields', j], out);
    });
  }
}

function valuesOf(req: Record<string, unknown>): unknown[] | undefined {
  if (req.values === undefined || req.values === null) return [];
  return Array.isArray(req.values) ? req.values : undefined;
}

/** ValidateNodeSelectorRequirement. */
function validateNodeSelectorRequirement(ds: ManifestObject, req: Record<string, unknown>, allowInvalidLabelValue: boolean, path: FieldPath, out: Finding[]): void {
  const values = valuesOf(req);
  const operator = str(req.operator);
  const valuesPath = [...path, 'values'];
  if (values !== undefined && operator !== undefined) {
    switch (operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) out.push(onOperator(ds, path, apiFinding(nodeAffinity, ds, valuesPath, 'Required', "must be specified when `operator` is 'In' or 'NotIn'")));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) out.push(apiFinding(nodeAffinity, ds, valuesPath, 'Forbidden', "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      case 'Gt':
      case 'Lt':
        if (values.length !== 1) out.push(onOperator(ds, path, apiFinding(nodeAffinity, ds, valuesPath, 'Required', "must be specified single value when `operator` is 'Lt' or 'Gt'")));
        break;
      default:
        out.push(missing(ds, path, req, 'operator', apiFinding(nodeAffinity, ds, [...path, 'operator'], 'Invalid', 'not a valid selector operator', operator, 'value')));
    }
  }
  const key = str(req.key);
  if (key !== undefined) {
    for (const msg of isLabelKey(key)) out.push(missing(ds, path, req, 'key', apiFinding(nodeAffinity, ds, [...path, 'key'], 'Invalid', msg, key, 'value')));
  }
  if (!allowInvalidLabelValue && values) {
    values.forEach((v, k) => {
      if (typeof v !== 'string') return;
      for (const msg of isLabelValue(v)) out.push(apiFinding(nodeAffinity, ds, [...valuesPath, k], 'Invalid', msg, v, 'value'));
    });
  }
}

/** ValidateNodeFieldSelectorRequirement: only `metadata.name` (ValidateNodeName) with In/NotIn and one value. */
function validateNodeFieldSelectorRequirement(ds: ManifestObject, req: Record<string, unknown>, path: FieldPath, out: Finding[]): void {
  const values = valuesOf(req);
  const operator = str(req.operator);
  if (values !== undefined && operator !== undefined) {
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length !== 1) {
        out.push(onOperator(ds, path, apiFinding(nodeAffinity, ds, [...path, 'values'], 'Required', "must be only one value when `operator` is 'In' or 'NotIn' for node field selector")));
      }
    } else {
      out.push(missing(ds, path, req, 'operator', apiFinding(nodeAffinity, ds, [...path, 'operator'], 'Invalid', 'not a valid selector operator', operator, 'value')));
    }
  }
  const key = str(req.key);
  if (key === undefined) return;
  if (key !== 'metadata.name') {
    out.push(missing(ds, path, req, 'key', apiFinding(nodeAffinity, ds, [...path, 'key'], 'Invalid', 'not a valid field selector key', key, 'value')));
    return;
  }
  (values ?? []).forEach((v, k) => {
    if (typeof v !== 'string') return;
    for (const msg of isDNS1123Subdomain(v)) out.push(apiFinding(nodeAffinity, ds, [...path, 'values', k], 'Invalid', msg, v, 'value'));
  });
}

/** A missing `values` is reported on the requirement's operator rather than on the whole item. */
function onOperator(ds: ManifestObject, reqPath: FieldPath, f: Finding): Finding {
  if (!keySpan(ds, [...reqPath, 'values'])) f.span = valueSpan(ds, [...reqPath, 'operator']) ?? f.span;
  return f;
}

/** A missing `key`/`operator` is reported on the requirement's first key rather than the whole item. */
function missing(ds: ManifestObject, reqPath: FieldPath, req: Record<string, unknown>, field: string, f: Finding): Finding {
  if (req[field] === undefined) f.span = firstKeySpan(ds, reqPath, req) ?? f.span;
  return f;
}
