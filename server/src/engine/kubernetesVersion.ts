/** The Kubernetes release the engine targets unless told another (the version of the bundled OpenAPI schema). */
export const DEFAULT_KUBERNETES_VERSION = '1.35';

/** The minor of a Kubernetes version like `1.35` or `v1.15.3` (the default target's when it has none). */
export function minorOf(version: string): number {
  const m = /^v?1\.(\d+)/.exec(version.trim());
  return m ? Number(m[1]) : Number(/^1\.(\d+)/.exec(DEFAULT_KUBERNETES_VERSION)![1]);
}

/** What decides a feature gate for the target (featureGates.ts `featureEnabled`). */
export interface Target {
  featureGates: Readonly<Record<string, boolean>>;
  kubernetesMinor: number;
}

/** The target options name: their gates and minor, the default target's minor where they name none. */
export function targetOf(options: { featureGates?: Readonly<Record<string, boolean>>; kubernetesMinor?: number }): Target {
  return { featureGates: options.featureGates ?? {}, kubernetesMinor: options.kubernetesMinor ?? minorOf(DEFAULT_KUBERNETES_VERSION) };
}
