/**
 * The DaemonSet update strategy as the API server validates it: after
 * pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet (type RollingUpdate when empty; for
 * RollingUpdate a rollingUpdate block with maxUnavailable 1 and maxSurge 0 where unset), and with
 * IntOrString read as k8s.io/apimachinery/pkg/util/intstr decodes it.
 */
import { valueAt } from './ast';
import type { ManifestObject } from './model';

/** intstr.IntOrString: Type Int (0) or String (1). */
export type IntOrString = { type: 'int'; intVal: number } | { type: 'string'; strVal: string };

export interface DefaultedStrategy {
  /** The strategy type after defaulting ("" becomes RollingUpdate). */
  type: string;
  /** The rollingUpdate block is in the manifest (not only defaulted). */
  rollingUpdateGiven: boolean;
  /** For RollingUpdate: the values after defaulting; undefined when one does not decode. */
  maxUnavailable?: IntOrString;
  maxSurge?: IntOrString;
  /** The field is in the manifest (not defaulted). */
  maxUnavailableGiven: boolean;
  maxSurgeGiven: boolean;
}

/**
 * The update strategy type a DaemonSet of this apiVersion gets when `spec.updateStrategy.type` is empty.
 * SetDefaults_DaemonSet of pkg/apis/extensions/v1beta1/defaults.go defaults it to OnDelete (and
 * maxUnavailable to 1 when the type is RollingUpdate; the API has no maxSurge default, it stays 0);
 * pkg/apis/apps/v1beta2/defaults.go and pkg/apis/apps/v1/defaults.go default it to RollingUpdate
 * with maxUnavailable 1 and maxSurge 0.
 */
export function defaultUpdateStrategyType(apiVersion: string | undefined): 'RollingUpdate' | 'OnDelete' {
  return apiVersion === 'extensions/v1beta1' ? 'OnDelete' : 'RollingUpdate';
}

/**
 * extensions/v1beta1 SetDefaults_DaemonSet: a missing `spec.selector` becomes `matchLabels` of the
 * template labels (apps/v1beta2 and apps/v1 require the selector). Undefined when nothing is defaulted.
 */
export function defaultedSelector(apiVersion: string | undefined, selector: unknown, templateLabels: unknown): Record<string, unknown> | undefined {
  if (apiVersion !== 'extensions/v1beta1' || (selector !== undefined && selector !== null)) return undefined;
  if (typeof templateLabels !== 'object' || templateLabels === null || Array.isArray(templateLabels)) return undefined;
  return { matchLabels: templateLabels };
}

export const UPDATE_STRATEGY = ['spec', 'updateStrategy'] as const;
export const ROLLING_UPDATE = ['spec', 'updateStrategy', 'rollingUpdate'] as const;

/** Decodes an IntOrString as the JSON decoder does; undefined for values it rejects. */
export function toIntOrString(v: unknown): IntOrString | undefined {
  if (typeof v === 'string') return { type: 'string', strVal: v };
  if (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return { type: 'int', intVal: v };
  return undefined;
}

/** (*IntOrString).String(): the string itself, or the integer in decimal. */
export function intOrStringText(v: IntOrString): string {
  return v.type === 'string' ? v.strVal : String(v.intVal);
}

/** (*IntOrString).IntValue(): strconv.Atoi of a string (0 when it fails). */
export function intValue(v: IntOrString): number {
  if (v.type === 'int') return v.intVal;
  return /^[+-]?\d+$/.test(v.strVal) ? Number(v.strVal) : 0;
}

/** The update strategy after defaulting, or undefined when it does not decode (the schema reports why). */
export function defaultedStrategy(ds: ManifestObject): DefaultedStrategy | undefined {
  const us = valueAt(ds, [...UPDATE_STRATEGY]);
  if (us !== undefined && us !== null && (typeof us !== 'object' || Array.isArray(us))) return undefined;
  const rawType = us ? (us as Record<string, unknown>).type : undefined;
  if (rawType !== undefined && rawType !== null && typeof rawType !== 'string') return undefined;
  const type = rawType ? rawType : 'RollingUpdate';
  const ru = us ? (us as Record<string, unknown>).rollingUpdate : undefined;
  if (ru !== undefined && ru !== null && (typeof ru !== 'object' || Array.isArray(ru))) return undefined;
  const out: DefaultedStrategy = {
    type,
    rollingUpdateGiven: ru !== undefined && ru !== null,
    maxUnavailableGiven: false,
    maxSurgeGiven: false,
  };
  if (type !== 'RollingUpdate') return out;
  const r = (ru ?? {}) as Record<string, unknown>;
  out.maxUnavailableGiven = r.maxUnavailable !== undefined && r.maxUnavailable !== null;
  out.maxSurgeGiven = r.maxSurge !== undefined && r.maxSurge !== null;
  out.maxUnavailable = out.maxUnavailableGiven ? toIntOrString(r.maxUnavailable) : { type: 'int', intVal: 1 };
  out.maxSurge = out.maxSurgeGiven ? toIntOrString(r.maxSurge) : { type: 'int', intVal: 0 };
  return out;
}
