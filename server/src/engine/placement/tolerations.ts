/**
 * Taints and tolerations, mirroring
 * - staging/src/k8s.io/api/core/v1/toleration.go ((*Toleration).ToleratesTaint, compareNumericValues, MatchToleration),
 * - staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go (TolerationsTolerateTaint, FindMatchingUntoleratedTaint),
 * - pkg/controller/daemon/util/daemonset_util.go (AddOrUpdateDaemonPodTolerations),
 * - pkg/apis/core/v1/helper/helpers.go (AddOrUpdateTolerationInPodSpec),
 * - staging/src/k8s.io/apimachinery/pkg/api/validate/content/decimal_int.go (IsDecimalInteger).
 */
import { featureEnabled } from '../featureGates';
import { targetOf } from '../kubernetesVersion';
import type { Taint, Toleration } from './types';

export const TAINT_EFFECT_NO_SCHEDULE = 'NoSchedule';
export const TAINT_EFFECT_PREFER_NO_SCHEDULE = 'PreferNoSchedule';
export const TAINT_EFFECT_NO_EXECUTE = 'NoExecute';

/** Well-known taint keys (api/core/v1/well_known_taints.go). */
export const TaintNodeNotReady = 'node.kubernetes.io/not-ready';
export const TaintNodeUnreachable = 'node.kubernetes.io/unreachable';
export const TaintNodeUnschedulable = 'node.kubernetes.io/unschedulable';
export const TaintNodeMemoryPressure = 'node.kubernetes.io/memory-pressure';
export const TaintNodeDiskPressure = 'node.kubernetes.io/disk-pressure';
export const TaintNodeNetworkUnavailable = 'node.kubernetes.io/network-unavailable';
export const TaintNodePIDPressure = 'node.kubernetes.io/pid-pressure';

/** The feature gate that enables toleration `Lt`/`Gt` (alpha in 1.35, default off). */
export const TaintTolerationComparisonOperators = 'TaintTolerationComparisonOperators';

/**
 * Whether tolerations compare with `Lt`/`Gt` for the target: the gate exists from 1.35 only, so at an
 * older target the settings naming it change nothing (the API server rejects those operators there).
 */
export function comparisonOperatorsEnabled(options: { featureGates?: Readonly<Record<string, boolean>>; kubernetesMinor?: number }): boolean {
  return featureEnabled(targetOf(options), TaintTolerationComparisonOperators);
}

const DECIMAL_INTEGER_ERR = 'must be a valid decimal integer in canonical form';

/** content.IsDecimalInteger: canonical decimal integers only ("0", "123", "-456"; no "+", no leading zeros). */
export function isDecimalInteger(value: string): string[] {
  const n = value.length;
  if (n === 0) return ['Required value'];
  let i = 0;
  if (value[0] === '-') {
    if (n === 1) return [DECIMAL_INTEGER_ERR];
    i = 1;
  }
  if (value[i] === '0') return n === 1 && i === 0 ? [] : [DECIMAL_INTEGER_ERR];
  if (value[i] < '1' || value[i] > '9') return [DECIMAL_INTEGER_ERR];
  for (i++; i < n; i++) if (value[i] < '0' || value[i] > '9') return [DECIMAL_INTEGER_ERR];
  return [];
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64): optional sign, decimal digits, within int64; undefined on error. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/** toleration.go compareNumericValues: both values canonical int64; Lt: taint < toleration, Gt: taint > toleration. */
function compareNumericValues(tolerationVal: string, taintVal: string, op: string): boolean {
  if (isDecimalInteger(tolerationVal).length > 0) return false;
  const tVal = parseInt64(tolerationVal);
  if (tVal === undefined) return false;
  if (isDecimalInteger(taintVal).length > 0) return false;
  const tntVal = parseInt64(taintVal);
  if (tntVal === undefined) return false;
  if (op === 'Lt') return tntVal < tVal;
  if (op === 'Gt') return tntVal > tVal;
  return false;
}

/** (*Toleration).ToleratesTaint. `tolerationSeconds` plays no part. */
export function toleratesTaint(t: Toleration, taint: Taint, enableComparisonOperators = false): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    case 'Lt':
    case 'Gt':
      if (!enableComparisonOperators) return false;
      return compareNumericValues(t.value ?? '', taint.value ?? '', t.operator!);
    default:
      return false;
  }
}

/** helpers.go TolerationsTolerateTaint: some toleration tolerates the taint. */
export function tolerationsTolerateTaint(tolerations: readonly Toleration[], taint: Taint, enableComparisonOperators = false): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint, enableComparisonOperators)) return true;
  return false;
}

export type TaintFilter = (t: Taint) => boolean;

/** helpers.go FindMatchingUntoleratedTaint: the first taint passing `filter` that no toleration tolerates. */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  filter: TaintFilter | undefined,
  enableComparisonOperators = false,
): { taint: Taint | undefined; untolerated: boolean } {
  for (const taint of taints) {
    if (filter && !filter(taint)) continue;
    if (!tolerationsTolerateTaint(tolerations, taint, enableComparisonOperators)) return { taint, untolerated: true };
  }
  return { taint: undefined, untolerated: false };
}

/** The taints the DaemonSet controller's `predicates` considers (daemon_controller.go): NoSchedule and NoExecute. */
export const doNotScheduleTaintsFilter: TaintFilter = (t) => t.effect === TAINT_EFFECT_NO_SCHEDULE || t.effect === TAINT_EFFECT_NO_EXECUTE;
/** The taints that evict a running daemon pod (NodeShouldRunDaemonPod). */
export const noExecuteTaintsFilter: TaintFilter = (t) => t.effect === TAINT_EFFECT_NO_EXECUTE;

/** toleration.go MatchToleration: same key, effect, operator and value. */
export function matchToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.effect ?? '') === (b.effect ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '');
}

/**
 * helpers.go AddOrUpdateTolerationInPodSpec: a toleration equal by MatchToleration is replaced in
 * place (so a user `tolerationSeconds` is lost); otherwise `toleration` is appended. Returns a new list.
 */
export function addOrUpdateTolerationInPodSpec(tolerations: readonly Toleration[], toleration: Toleration): Toleration[] {
  const out: Toleration[] = [];
  let updated = false;
  for (const t of tolerations) {
    if (matchToleration(toleration, t)) {
      // Semantic.DeepEqual: an identical toleration is already there, the spec is left as it is.
      if (t.tolerationSeconds === toleration.tolerationSeconds) return [...tolerations];
      out.push(toleration);
      updated = true;
      continue;
    }
    out.push(t);
  }
  if (!updated) out.push(toleration);
  return out;
}

/** The automatic tolerations of daemon pods, in the order AddOrUpdateDaemonPodTolerations adds them. */
export function daemonPodTolerations(hostNetwork: boolean): Toleration[] {
  const out: Toleration[] = [
    { key: TaintNodeNotReady, operator: 'Exists', effect: TAINT_EFFECT_NO_EXECUTE },
    { key: TaintNodeUnreachable, operator: 'Exists', effect: TAINT_EFFECT_NO_EXECUTE },
    { key: TaintNodeDiskPressure, operator: 'Exists', effect: TAINT_EFFECT_NO_SCHEDULE },
    { key: TaintNodeMemoryPressure, operator: 'Exists', effect: TAINT_EFFECT_NO_SCHEDULE },
    { key: TaintNodePIDPressure, operator: 'Exists', effect: TAINT_EFFECT_NO_SCHEDULE },
    { key: TaintNodeUnschedulable, operator: 'Exists', effect: TAINT_EFFECT_NO_SCHEDULE },
  ];
  if (hostNetwork) out.push({ key: TaintNodeNetworkUnavailable, operator: 'Exists', effect: TAINT_EFFECT_NO_SCHEDULE });
  return out;
}

/**
 * daemonset_util.go AddOrUpdateDaemonPodTolerations: the pod's tolerations after the controller
 * added not-ready/unreachable (NoExecute), disk-/memory-/pid-pressure and unschedulable (NoSchedule),
 * and network-unavailable (NoSchedule) for host-network pods, in that order.
 */
export function addOrUpdateDaemonPodTolerations(tolerations: readonly Toleration[], hostNetwork: boolean): Toleration[] {
  let out = [...tolerations];
  for (const t of daemonPodTolerations(hostNetwork)) out = addOrUpdateTolerationInPodSpec(out, t);
  return out;
}

/** `key=value:Effect` / `key:Effect`, as kubectl prints taints. */
export function formatTaint(t: Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

/** Reads a toleration leniently from manifest data (numbers become strings; other types are dropped). */
/** A scalar as the text it stands for (a number or boolean written where a string belongs); else undefined. */
export function scalarText(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

export function readToleration(v: unknown): Toleration | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const t: Toleration = {};
  const key = scalarText(o.key);
  const operator = scalarText(o.operator);
  const value = scalarText(o.value);
  const effect = scalarText(o.effect);
  if (key !== undefined) t.key = key;
  if (operator !== undefined) t.operator = operator;
  if (value !== undefined) t.value = value;
  if (effect !== undefined) t.effect = effect;
  if (typeof o.tolerationSeconds === 'number') t.tolerationSeconds = o.tolerationSeconds;
  return t;
}
