/**
 * The feature gates that change how the API server validates a pod template, with the releases in
 * which each appeared, turned on by default and was locked on (pkg/features/kube_features.go
 * defaultVersionedKubernetesFeatureGates). A gate the settings name overrides its default, except
 * once it is locked on; before a gate exists its feature does not.
 */

import { closestValue } from './text';

interface GateHistory {
  /** The minor release that added the gate. */
  since: number;
  /** The minor release from which it is on by default (beta). */
  onFrom?: number;
  /** The minor release from which it is GA and locked to on. */
  lockedFrom?: number;
}

const GATES = {
  // Alpha 1.30, beta 1.32, GA 1.34.
  RelaxedEnvironmentVariableValidation: { since: 30, onFrom: 32, lockedFrom: 34 },
  // Alpha 1.29, beta 1.30, GA 1.34.
  PodLifecycleSleepAction: { since: 29, onFrom: 30, lockedFrom: 34 },
  // Alpha 1.32, beta 1.33, GA 1.34.
  PodLifecycleSleepActionAllowZero: { since: 32, onFrom: 33, lockedFrom: 34 },
  // Alpha 1.28, beta 1.29, GA 1.33.
  SidecarContainers: { since: 28, onFrom: 29, lockedFrom: 33 },
  // Alpha 1.33 (still alpha in 1.35).
  ContainerStopSignals: { since: 33 },
  // Alpha 1.34, beta 1.35 (KEP-3721).
  EnvFiles: { since: 34, onFrom: 35 },
  // Alpha 1.32, beta 1.34 (GetValidationOptionsFromPodSpecAndMeta turns it into PodLevelResourcesEnabled).
  PodLevelResources: { since: 32, onFrom: 34 },
  // Alpha 1.12, beta (off) 1.31, on by default from 1.33: without it a container's procMount is forced to Default.
  ProcMountType: { since: 12, onFrom: 33 },
  // Alpha 1.25, beta (off) 1.30, on by default from 1.33, GA and locked on in 1.36: without it `hostUsers` is dropped.
  UserNamespacesSupport: { since: 25, onFrom: 33, lockedFrom: 36 },
  // Alpha 1.31, beta 1.33, GA 1.35: without it `supplementalGroupsPolicy` is dropped.
  SupplementalGroupsPolicy: { since: 31, onFrom: 33, lockedFrom: 35 },
  // Alpha 1.32, beta 1.33: without it `seLinuxChangePolicy` is dropped.
  SELinuxChangePolicy: { since: 32, onFrom: 33 },
  // Alpha 1.30, beta (off) 1.33, on by default from 1.37: without it only the Recursive seLinuxChangePolicy is accepted.
  SELinuxMount: { since: 30, onFrom: 37 },
  // Alpha 1.34, beta 1.35: without it `hostnameOverride` is dropped.
  HostnameOverride: { since: 34, onFrom: 35 },
  // Alpha 1.32, beta 1.33, GA 1.34: dnsConfig.searches may hold "." and underscores.
  RelaxedDNSSearchValidation: { since: 32, onFrom: 33, lockedFrom: 34 },
  // Alpha 1.33, beta 1.36: IPs with leading zeros or IPv4-mapped IPv6 are rejected.
  StrictIPCIDRValidation: { since: 33, onFrom: 36 },
  // Alpha 1.35, off by default: allows `hostNetwork` with `hostUsers: false`.
  UserNamespacesHostNetworkSupport: { since: 35 },
  // Alpha 1.35, off by default: tolerations may use the operators Lt and Gt.
  TaintTolerationComparisonOperators: { since: 35 },
  // Alpha 1.24, beta 1.27, GA 1.30.
  MinDomainsInPodTopologySpread: { since: 24, onFrom: 27, lockedFrom: 30 },
  // Alpha 1.25, beta 1.26, GA 1.33.
  NodeInclusionPolicyInPodTopologySpread: { since: 25, onFrom: 26, lockedFrom: 33 },
  // Alpha 1.25, beta 1.27.
  MatchLabelKeysInPodTopologySpread: { since: 25, onFrom: 27 },
  // Beta, on from its first release, 1.34.
  MatchLabelKeysInPodTopologySpreadSelectorMerge: { since: 34, onFrom: 34 },
  // Alpha 1.26, beta 1.27, GA 1.30.
  PodSchedulingReadiness: { since: 26, onFrom: 27, lockedFrom: 30 },
  // Alpha 1.27, beta 1.33, GA 1.35.
  InPlacePodVerticalScaling: { since: 27, onFrom: 33, lockedFrom: 35 },
  // Alpha 1.34, beta 1.35.
  ContainerRestartRules: { since: 34, onFrom: 35 },
  // Alpha 1.35, beta (on) 1.36: the restart rule action RestartAllContainers, and rules on sidecars.
  RestartAllContainersOnContainerExits: { since: 35, onFrom: 36 },
  // Alpha 1.31, beta (off) 1.33, on by default from 1.35: without it image volumes and their mounts are dropped.
  ImageVolume: { since: 31, onFrom: 35 },
  // Alpha 1.30, beta 1.31, GA 1.33: without it a mount's `recursiveReadOnly` is dropped.
  RecursiveReadOnlyMounts: { since: 30, onFrom: 31, lockedFrom: 33 },
  // Alpha 1.29, beta (off) 1.33: without it a projected clusterTrustBundle source is dropped.
  ClusterTrustBundleProjection: { since: 29 },
  // Alpha 1.34, beta (off) 1.35: without it a projected podCertificate source is dropped.
  PodCertificateRequest: { since: 34 },
  // Alpha 1.35, off by default: without it the pod's `workloadRef` is dropped.
  GenericWorkload: { since: 35 },
  // Alpha 1.26, beta (off) 1.32, GA 1.34, locked on from 1.35: without it `resourceClaims` and the
  // containers' `resources.claims` are dropped.
  DynamicResourceAllocation: { since: 26, onFrom: 34, lockedFrom: 35 },
  // Alpha 1.29, beta 1.31, GA 1.33: without it pod (anti-)affinity terms lose matchLabelKeys and mismatchLabelKeys.
  MatchLabelKeysInPodAffinity: { since: 29, onFrom: 31, lockedFrom: 33 },
} satisfies Record<string, GateHistory>;

export type PodFeatureGate = keyof typeof GATES;

/** Whether `gate` exists in the target minor release (on or off); before it does, neither do the code paths it guards. */
export function featureExists(ctx: { kubernetesMinor: number }, gate: PodFeatureGate): boolean {
  return ctx.kubernetesMinor >= GATES[gate].since;
}

/** Whether `gate` is on for the target minor release and the gates the settings name. */
export function featureEnabled(ctx: { featureGates: Readonly<Record<string, boolean>>; kubernetesMinor: number }, gate: PodFeatureGate): boolean {
  const g: GateHistory = GATES[gate];
  const minor = ctx.kubernetesMinor;
  if (minor < g.since) return false;
  if (g.lockedFrom !== undefined && minor >= g.lockedFrom) return true;
  return ctx.featureGates[gate] ?? (g.onFrom !== undefined && minor >= g.onFrom);
}

/** Gates read outside `featureEnabled`: DefaultHostNetworkHostPortsInPodTemplates (1.28–1.30, rules/containerPorts.ts). */
const OTHER_GATES: Readonly<Record<string, GateHistory & { removedFrom?: number }>> = {
  DefaultHostNetworkHostPortsInPodTemplates: { since: 28, removedFrom: 31 },
};

/**
 * Why gates the user sets change nothing for the target: a name no check reads (a typo, most often:
 * the nearest known name is offered), a gate the target release does not have yet or any more, or one
 * locked on there (kube-apiserver refuses to start with a locked gate set to false, and with an
 * unknown one: component-base/featuregate SetFromMap). Empty when every gate counts.
 */
export function featureGateNotes(gates: Readonly<Record<string, boolean>>, kubernetesMinor: number): string[] {
  const known: Record<string, GateHistory & { removedFrom?: number }> = { ...GATES, ...OTHER_GATES };
  const names = Object.keys(known);
  const notes: string[] = [];
  for (const [name, value] of Object.entries(gates)) {
    // Own entries only: `constructor` or `toString` is a name no check reads, not a gate.
    const g = Object.prototype.hasOwnProperty.call(known, name) ? known[name] : undefined;
    if (!g) {
      // A misspelt or miscased name: the same name ignoring case, else at most 3 edits away.
      const near = closestValue(name, names, () => 3);
      notes.push(`'${name}'${near ? ` (did you mean ${near}?)` : ''} is not a gate DaemonSet Lens reads: it changes nothing here`);
    } else if (kubernetesMinor < g.since) {
      notes.push(`'${name}' does not exist in 1.${kubernetesMinor} (it was added in 1.${g.since}): it changes nothing`);
    } else if (g.removedFrom !== undefined && kubernetesMinor >= g.removedFrom) {
      notes.push(`'${name}' was removed in 1.${g.removedFrom}: it changes nothing in 1.${kubernetesMinor}`);
    } else if (!value && g.lockedFrom !== undefined && kubernetesMinor >= g.lockedFrom) {
      notes.push(`'${name}' is locked on from 1.${g.lockedFrom}: setting it to false changes nothing`);
    }
  }
  return notes;
}
