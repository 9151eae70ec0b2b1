/** The Kubernetes release the engine targets unless told another (the version of the bundled OpenAPI schema). */
export const DEFAULT_KUBERNETES_VERSION = '1.35';

/** The minor of a Kubernetes version like `1.35` or `v1.15.3` (the default target's when it has none). */
export function minorOf(version: string): number {
  const m = /^v?1\.(\d+)/.exec(version.trim());
  return m ? Number(m[1]) : Number(/^1\.(\d+)/.exec(DEFAULT_KUBERNETES_VERSION)![1]);
}
