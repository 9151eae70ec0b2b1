import type { ManifestObject } from '../model';
import { placeDaemonSet } from '../placement';
import type { ClusterModel, DaemonSetPlacement } from '../placement/types';
import type { RuleContext } from './rule';

/** Placements per cluster model and DaemonSet object; both are immutable per version, so weak keys suffice. */
const memo = new WeakMap<ClusterModel, WeakMap<ManifestObject, { gates: string; placement: DaemonSetPlacement | undefined }>>();

/**
 * The placement of `ds` over `ctx.cluster`, computed once per (cluster, DaemonSet, feature gates)
 * and shared by every rule. Uses `ctx.placementOf` when the adapter supplies one. Never throws.
 */
export function placementOf(ctx: RuleContext, ds: ManifestObject): DaemonSetPlacement | undefined {
  if (ctx.placementOf) return ctx.placementOf(ds);
  const cluster = ctx.cluster;
  if (!cluster || cluster.nodes.length === 0) return undefined;
  let perCluster = memo.get(cluster);
  if (!perCluster) memo.set(cluster, (perCluster = new WeakMap()));
  const gates = JSON.stringify(ctx.featureGates);
  const hit = perCluster.get(ds);
  if (hit && hit.gates === gates) return hit.placement;
  let placement: DaemonSetPlacement | undefined;
  try {
    placement = placeDaemonSet(ds, cluster, { featureGates: ctx.featureGates });
  } catch {
    placement = undefined;
  }
  perCluster.set(ds, { gates, placement });
  return placement;
}
