/**
 * Rolling-update numbers, mirroring pkg/controller/daemon/update.go (updatedDesiredNodeCounts),
 * pkg/controller/daemon/util/daemonset_util.go (UnavailableCount, SurgeCount) and
 * staging/src/k8s.io/apimachinery/pkg/util/intstr/intstr.go (GetScaledValueFromIntOrPercent).
 */
import type { CompiledDaemonSet } from './compile';

/** intstr.GetScaledValueFromIntOrPercent: integers as is; "N%" of total, rounded up or down. */
export function getScaledValueFromIntOrPercent(intOrPercent: unknown, total: number, roundUp: boolean): { value: number; error?: string } {
  if (intOrPercent === undefined || intOrPercent === null) return { value: 0, error: 'nil value for IntOrString' };
  if (typeof intOrPercent === 'number') return Number.isInteger(intOrPercent) ? { value: intOrPercent } : { value: 0, error: 'invalid value for IntOrString: invalid type: not an integer' };
  if (typeof intOrPercent !== 'string') return { value: 0, error: 'invalid value for IntOrString: invalid type: neither int nor percentage' };
  // getIntOrPercentValueSafely: a string must be "<int>%".
  if (!intOrPercent.endsWith('%')) return { value: 0, error: "invalid value for IntOrString: invalid type: string is not a percentage" };
  const s = intOrPercent.slice(0, -1);
  if (!/^[+-]?[0-9]+$/.test(s)) return { value: 0, error: `invalid value for IntOrString: invalid value "${intOrPercent}"` };
  const v = Number.parseInt(s, 10);
  // Go computes math.Ceil(float64(value) * float64(total) / 100).
  const scaled = (v * total) / 100;
  return { value: roundUp ? Math.ceil(scaled) : Math.floor(scaled) };
}

/** util.UnavailableCount: maxUnavailable against the desired count (0 unless RollingUpdate). */
export function unavailableCount(c: CompiledDaemonSet, numberToSchedule: number): { value: number; error?: string } {
  if (c.strategy.type !== 'RollingUpdate') return { value: 0 };
  return getScaledValueFromIntOrPercent(c.strategy.maxUnavailable, numberToSchedule, true);
}

/** util.SurgeCount: maxSurge against the desired count (0 unless RollingUpdate). */
export function surgeCount(c: CompiledDaemonSet, numberToSchedule: number): { value: number; error?: string } {
  if (c.strategy.type !== 'RollingUpdate') return { value: 0 };
  return getScaledValueFromIntOrPercent(c.strategy.maxSurge, numberToSchedule, true);
}

/**
 * The maxUnavailable / maxSurge a rolling update uses (updatedDesiredNodeCounts): percentages of
 * desiredNumberScheduled rounded up; both 0 with desired > 0 → maxUnavailable 1; OnDelete → 0/0.
 */
export function rollingUpdateSummary(c: CompiledDaemonSet, desiredNumberScheduled: number): { maxUnavailable: number; maxSurge: number; error?: string } {
  if (c.strategy.type !== 'RollingUpdate') return { maxUnavailable: 0, maxSurge: 0 };
  const u = unavailableCount(c, desiredNumberScheduled);
  const s = surgeCount(c, desiredNumberScheduled);
  let maxUnavailable = u.value;
  const maxSurge = s.value;
  if (desiredNumberScheduled > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxUnavailable, maxSurge, error: u.error ?? s.error };
}
