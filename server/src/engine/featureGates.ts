/**
 * Feature gates whose default changed across releases, for the rules whose upstream checks depend on
 * them. The first minor in which each is on by default, from pkg/features/kube_features.go
 * (defaultVersionedKubernetesFeatureGates); a gate set in the settings overrides its default.
 */
import type { RuleContext } from './rules/rule';

const DEFAULT_ON_SINCE = {
  /** Beta, on by default since 1.33: without it a container's procMount is forced to Default. */
  ProcMountType: 33,
  /** Beta, on by default since 1.33: without it `hostUsers` is dropped. */
  UserNamespacesSupport: 33,
  /** Beta, on by default since 1.33: without it `supplementalGroupsPolicy` is dropped. */
  SupplementalGroupsPolicy: 33,
  /** Beta, on by default since 1.33: without it `seLinuxChangePolicy` is dropped. */
  SELinuxChangePolicy: 33,
  /** Beta, off by default until 1.37: without it only the Recursive seLinuxChangePolicy is accepted. */
  SELinuxMount: 37,
  /** Beta, on by default since 1.33 (GA in 1.34): dnsConfig.searches may hold "." and underscores. */
  RelaxedDNSSearchValidation: 33,
  /** Beta, on by default since 1.36: IPs with leading zeros or IPv4-mapped IPv6 are rejected. */
  StrictIPCIDRValidation: 36,
  /** Alpha since 1.35, off by default: allows `hostNetwork` with `hostUsers: false`. */
  UserNamespacesHostNetworkSupport: Infinity,
} as const;

export type VersionedGate = keyof typeof DEFAULT_ON_SINCE;

/** Whether `gate` is on for the target version: as set in the settings, else its default there. */
export function gateEnabled(ctx: Pick<RuleContext, 'featureGates' | 'kubernetesMinor'>, gate: VersionedGate): boolean {
  const set = ctx.featureGates[gate];
  return typeof set === 'boolean' ? set : ctx.kubernetesMinor >= DEFAULT_ON_SINCE[gate];
}
