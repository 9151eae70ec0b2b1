/**
 * The default of a Kubernetes feature gate in each release, for the gates whose state changes what
 * the API server accepts in a pod template: pkg/features/kube_features.go
 * (defaultVersionedKubernetesFeatureGates). A gate given in the options (`--feature-gates`) wins,
 * except where the release locks it to its default.
 */

/** [first minor, default, locked to the default] per stage, oldest first. */
type Stage = readonly [minor: number, enabled: boolean, locked?: boolean];

const GATES = {
  MinDomainsInPodTopologySpread: [[24, false], [27, true], [30, true, true]],
  NodeInclusionPolicyInPodTopologySpread: [[25, false], [26, true], [33, true, true]],
  MatchLabelKeysInPodTopologySpread: [[25, false], [27, true]],
  MatchLabelKeysInPodTopologySpreadSelectorMerge: [[34, true]],
  PodSchedulingReadiness: [[26, false], [27, true], [30, true, true]],
  InPlacePodVerticalScaling: [[27, false], [33, true], [35, true, true]],
  SidecarContainers: [[28, false], [29, true], [33, true, true]],
  ContainerRestartRules: [[34, false], [35, true]],
} as const satisfies Record<string, readonly Stage[]>;

/** Gate names this module knows the defaults of. */
export type KnownGate = keyof typeof GATES;

/**
 * Whether `gate` is on in the target release: false before the release that introduced it (the field
 * it guards did not exist), then the explicit setting, else the release's default.
 */
export function featureEnabled(ctx: { featureGates: Readonly<Record<string, boolean>>; kubernetesMinor: number }, gate: KnownGate): boolean {
  const stages: readonly Stage[] = GATES[gate];
  let stage: Stage | undefined;
  for (const s of stages) if (ctx.kubernetesMinor >= s[0]) stage = s;
  if (!stage) return false;
  const explicit = ctx.featureGates[gate];
  return stage[2] || explicit === undefined ? stage[1] : explicit;
}
