import type { ManifestObject } from '../model';
import { objectMemo } from '../objectMemo';
import { placeDaemonSet } from '../placement';
import type { ClusterModel, DaemonSetPlacement } from '../placement/types';
import type { RuleContext } from './rule';

/** The last placement of each DaemonSet object, with the cluster model, gates and target version it was made for (all immutable per version). */
const memo = objectMemo<{ cluster: ClusterModel; gates: string; minor: number; placement: DaemonSetPlacement | undefined }>();

/**
 * The placement of `ds` over `ctx.cluster`, computed once per (cluster, DaemonSet, feature gates,
 * target version) and shared by every rule. Uses `ctx.placementOf` when the adapter supplies one. Never throws.
 */
export function placementOf(ctx: RuleContext, ds: ManifestObject): DaemonSetPlacement | undefined {
  if (ctx.placementOf) return ctx.placementOf(ds);
  const cluster = ctx.cluster;
  if (!cluster || cluster.nodes.length === 0) return undefined;
  const gates = gatesKey(ctx.featureGates);
  const minor = ctx.kubernetesMinor;
  const hit = memo.get(ds);
  if (hit && hit.cluster === cluster && hit.gates === gates && hit.minor === minor) return hit.placement;
  let placement: DaemonSetPlacement | undefined;
  try {
    placement = placeDaemonSet(ds, cluster, { featureGates: ctx.featureGates, kubernetesMinor: minor });
  } catch {
    placement = undefined;
  }
  memo.set(ds, { cluster, gates, minor, placement });
  return placement;
}

/** The feature gates as a string, made once per settings object (five rules ask for every DaemonSet). */
function gatesKey(gates: Readonly<Record<string, boolean>>): string {
  let key = gateKeys.get(gates);
  if (key === undefined) gateKeys.set(gates, (key = JSON.stringify(gates)));
  return key;
}

const gateKeys = new WeakMap<object, string>();
