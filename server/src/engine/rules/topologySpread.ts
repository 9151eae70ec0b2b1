import { keySpan, reportSpan, valueAt, valueSpan } from '../ast';
import { replaceScalar } from '../edits';
import { featureEnabled } from '../featureGates';
import { isQualifiedName } from '../k8sNames';
import { validateLabelSelector } from '../metaValidation';
import type { ManifestObject } from '../model';
import { firstKeySpan, isRecord, POD_SPEC, str } from '../podTemplate';
import { formatPath, type FieldPath, type Finding } from '../types';
import { apiFinding, type Rule, type RuleContext } from './rule';
import { unsupportedValue } from './unsupportedValue';

const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway']; // sets.List(supportedScheduleActions)
const NODE_INCLUSION_POLICIES = ['Honor', 'Ignore']; // sets.List(supportedPodTopologySpreadNodePolicies)
const LIST = [...POD_SPEC, 'topologySpreadConstraints'];

/** One constraint as the API server decodes it; undefined fields did not decode (the schema reports them). */
interface Constraint {
  index: number;
  value: Record<string, unknown>;
  path: FieldPath;
  maxSkew?: number;
  topologyKey?: string;
  whenUnsatisfiable?: string;
}

/**
 * pkg/apis/core/validation/validation.go validateTopologySpreadConstraints: maxSkew > 0
 * (ValidatePositiveField), a topologyKey (ValidateTopologyKey), whenUnsatisfiable DoNotSchedule or
 * ScheduleAnyway, no two constraints with the same {topologyKey, whenUnsatisfiable}
 * (ValidateSpreadConstraintNotRepeat), validateMinDomains, validateNodeInclusionPolicy for
 * nodeAffinityPolicy and nodeTaintsPolicy, the matchLabelKeys (ValidateMatchLabelKeysAndMismatchLabelKeys
 * with MatchLabelKeysInPodTopologySpreadSelectorMerge, else ValidateMatchLabelKeysInTopologySpread) and
 * the labelSelector (ValidateLabelSelector). Fields whose gate is off are dropped before validation
 * (pkg/api/pod dropDisabledFields). The warning of pkg/api/pod/warnings.go for a constraint without
 * labelSelector is reported too, with severity warning.
 */
export const topologySpread: Rule = {
  id: 'topology-spread',
  description: 'topologySpreadConstraints need maxSkew > 0, a topologyKey, a supported whenUnsatisfiable, and valid selectors; no two may share topologyKey and whenUnsatisfiable.',
  help: 'Upstream validateTopologySpreadConstraints: `maxSkew` must be greater than zero, `topologyKey` must not be empty, `whenUnsatisfiable` is DoNotSchedule or ScheduleAnyway, a {topologyKey, whenUnsatisfiable} pair may appear once, `minDomains` must be greater than zero and needs DoNotSchedule, `nodeAffinityPolicy`/`nodeTaintsPolicy` are Honor or Ignore, `matchLabelKeys` are label keys that need a `labelSelector` and may not repeat its keys, and the `labelSelector` itself must be valid. A constraint without labelSelector matches no pod (the API server warns).',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const list = valueAt(ds, LIST);
    if (!Array.isArray(list)) return [];
    const constraints: Constraint[] = [];
    list.forEach((value, index) => {
      if (!isRecord(value)) return;
      constraints.push({ index, value, path: [...LIST, index], maxSkew: int32(value.maxSkew), topologyKey: str(value.topologyKey), whenUnsatisfiable: str(value.whenUnsatisfiable) });
    });
    const out: Finding[] = [];
    constraints.forEach((c, k) => validateConstraint(ds, ctx, c, constraints.slice(k + 1), out));
    // GetWarningsForPodTemplate: "a null labelSelector results in matching no pod".
    for (const c of constraints) {
      if (c.value.labelSelector !== undefined && c.value.labelSelector !== null) continue;
      if (ds.partial && c.value.labelSelector === undefined) continue;
      out.push({
        code: topologySpread.id,
        severity: 'warning',
        message: 'a null labelSelector results in matching no pod',
        path: formatPath([...c.path, 'labelSelector']),
        span: keySpan(ds, [...c.path, 'labelSelector']) ?? firstKeySpan(ds, c.path, c.value) ?? reportSpan(ds, c.path),
      });
    }
    return out;
  },
};

function validateConstraint(ds: ManifestObject, ctx: RuleContext, c: Constraint, rest: Constraint[], out: Finding[]): void {
  const { value, path } = c;
  /** Where to show a problem with `field`: its value, else (absent) the constraint's first key. */
  const at = (f: Finding, field: string): Finding => {
    if (value[field] === undefined || value[field] === null) f.span = firstKeySpan(ds, path, value) ?? f.span;
    return f;
  };
  // A Kustomize patch merges its constraints into the base's by topologyKey and whenUnsatisfiable: a
  // field it leaves out may be in the base.
  const given = (field: string): boolean => !ds.partial || value[field] !== undefined;
  if (c.maxSkew !== undefined && c.maxSkew <= 0 && given('maxSkew')) {
    const f = at(apiFinding(topologySpread, ds, [...path, 'maxSkew'], 'Invalid', 'must be greater than zero', c.maxSkew, 'value'), 'maxSkew');
    const edits = ctx.fixes === false ? [] : replaceScalar(ctx.model.text, ds, [...path, 'maxSkew'], 1);
    if (edits.length) f.fixes = [{ title: 'Set maxSkew to 1', edits, isPreferred: true }];
    out.push(f);
  }
  if (c.topologyKey === '' && given('topologyKey')) out.push(at(apiFinding(topologySpread, ds, [...path, 'topologyKey'], 'Required', 'can not be empty', undefined, 'value'), 'topologyKey'));
  if (c.whenUnsatisfiable !== undefined && !WHEN_UNSATISFIABLE.includes(c.whenUnsatisfiable) && given('whenUnsatisfiable')) {
    out.push(at(unsupportedValue(topologySpread, ds, ctx, [...path, 'whenUnsatisfiable'], c.whenUnsatisfiable, WHEN_UNSATISFIABLE), 'whenUnsatisfiable'));
  }
  // ValidateSpreadConstraintNotRepeat: reported once, on the first of the two.
  if (c.topologyKey !== undefined && c.whenUnsatisfiable !== undefined && rest.some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable)) {
    const f = apiFinding(topologySpread, ds, [...path, '{topologyKey, whenUnsatisfiable}'], 'Duplicate', undefined, `{${c.topologyKey}, ${c.whenUnsatisfiable}}`);
    f.span = valueSpan(ds, [...path, 'topologyKey']) ?? firstKeySpan(ds, path, value) ?? f.span;
    out.push(f);
  }
  const minDomains = value.minDomains;
  if (featureEnabled(ctx, 'MinDomainsInPodTopologySpread') && typeof minDomains === 'number' && Number.isInteger(minDomains) && c.whenUnsatisfiable !== undefined) {
    const minPath = [...path, 'minDomains'];
    if (minDomains <= 0) out.push(apiFinding(topologySpread, ds, minPath, 'Invalid', 'must be greater than zero', minDomains, 'value'));
    if (c.whenUnsatisfiable !== 'DoNotSchedule') {
      out.push(apiFinding(topologySpread, ds, minPath, 'Invalid', `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable}`, minDomains, 'value'));
    }
  }
  if (featureEnabled(ctx, 'NodeInclusionPolicyInPodTopologySpread')) {
    for (const field of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      const policy = value[field];
      if (typeof policy === 'string' && !NODE_INCLUSION_POLICIES.includes(policy)) {
        out.push(unsupportedValue(topologySpread, ds, ctx, [...path, field], policy, NODE_INCLUSION_POLICIES));
      }
    }
  }
  if (featureEnabled(ctx, 'MatchLabelKeysInPodTopologySpread')) validateMatchLabelKeys(ds, ctx, c, out);
  out.push(...validateLabelSelector(topologySpread, ds, [...path, 'labelSelector']));
}

/** The keys of a labelSelector as it decodes: matchLabels keys, then each expression's key (in order). */
function selectorKeys(selector: Record<string, unknown>): { matchLabels: string[]; expressions: string[] } {
  const matchLabels = isRecord(selector.matchLabels) ? Object.keys(selector.matchLabels) : [];
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  const expressions = exprs.map((e) => (isRecord(e) ? str(e.key) : undefined)).filter((k): k is string => k !== undefined);
  return { matchLabels, expressions };
}

/**
 * matchLabelKeys. Upstream reports "exists in both matchLabelKeys and labelSelector" from
 * ValidateMatchLabelKeysAndMismatchLabelKeys at `…topologySpreadConstraints[i][j]` (the constraint's
 * path indexed by the key's index), which is printed as is.
 */
function validateMatchLabelKeys(ds: ManifestObject, ctx: RuleContext, c: Constraint, out: Finding[]): void {
  const raw = c.value.matchLabelKeys;
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every((k) => typeof k === 'string')) return;
  const keys = raw as string[];
  const keysPath = [...c.path, 'matchLabelKeys'];
  const selector = isRecord(c.value.labelSelector) ? c.value.labelSelector : undefined;
  const forbidden = (): Finding => apiFinding(topologySpread, ds, keysPath, 'Forbidden', 'must not be specified when labelSelector is not set');
  const labelName = (key: string, i: number): void => {
    for (const msg of isQualifiedName(key)) out.push(apiFinding(topologySpread, ds, [...keysPath, i], 'Invalid', msg, key, 'value'));
  };
  const inBoth = (key: string, i: number, printed: FieldPath): void => {
    const f = apiFinding(topologySpread, ds, [...keysPath, i], 'Invalid', 'exists in both matchLabelKeys and labelSelector', key, 'value');
    f.path = formatPath(printed);
    out.push(f);
  };
  if (featureEnabled(ctx, 'MatchLabelKeysInPodTopologySpreadSelectorMerge')) {
    // ValidateMatchLabelKeysAndMismatchLabelKeys(subFldPath, matchLabelKeys, nil, labelSelector)
    if (!selector) {
      out.push(forbidden());
      return;
    }
    keys.forEach(labelName);
    const lastIndex = new Map<string, number>();
    keys.forEach((k, i) => lastIndex.set(k, i));
    const { matchLabels, expressions } = selectorKeys(selector);
    const seen = new Set(matchLabels);
    for (const key of expressions) {
      const i = lastIndex.get(key);
      if (i !== undefined && seen.has(key)) inBoth(key, i, [...c.path, i]);
      seen.add(key);
    }
    return;
  }
  // ValidateMatchLabelKeysInTopologySpread(subFldPath.Child("matchLabelKeys"), …)
  let inSelector = new Set<string>();
  if (selector) {
    const { matchLabels, expressions } = selectorKeys(selector);
    inSelector = new Set([...matchLabels, ...expressions]);
  } else out.push(forbidden());
  keys.forEach((key, i) => {
    labelName(key, i);
    if (inSelector.has(key)) inBoth(key, i, [...keysPath, i]);
  });
}

/** An int32 field after decoding: absent and null are 0; anything else that is not an integer does not decode. */
function int32(v: unknown): number | undefined {
  if (v === undefined || v === null) return 0;
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}
