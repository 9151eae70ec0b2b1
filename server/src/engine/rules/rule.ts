import type { ManifestObject, DocumentModel } from '../model';
import type { ClusterModel, DaemonSetPlacement } from '../placement/types';
import type { Finding, Severity } from '../types';

/** What a rule may consult besides the object it checks. */
export interface RuleContext {
  model: DocumentModel;
  /** Feature gates in force (`TaintTolerationComparisonOperators`, …). */
  featureGates: Readonly<Record<string, boolean>>;
  /** Target Kubernetes minor version, e.g. 35 for 1.35. */
  kubernetesMinor: number;
  /** The parsed cluster file when one is known; rules that need it return nothing without it. */
  cluster?: ClusterModel | undefined;
  /**
   * The placement of a DaemonSet over `cluster`, memoised per (cluster, DaemonSet) so that rules
   * share one computation. Adapters may supply their own; rules call `placementOf(ctx, ds)`
   * (rules/placementOf.ts), which falls back to a shared memo.
   */
  placementOf?: (ds: ManifestObject) => DaemonSetPlacement | undefined;
  /**
   * `false`: findings are wanted without their fixes (the language server computes those when a
   * quick fix is asked for, with `fixesOf`); rules then skip building them.
   */
  fixes?: boolean;
}

/** One rule, one file: `check` returns findings for one DaemonSet. */
export interface Rule {
  /** Stable kebab-case id; the diagnostic code and the setting `daemonsetLens.rules.<id>`. */
  id: string;
  /** One line, for SARIF and the settings UI. */
  description: string;
  /** Where the rule comes from (upstream function) and how to fix what it reports. */
  help: string;
  defaultSeverity: Severity;
  /** Skip on partial manifests (Kustomize patches): the rule needs fields a patch may omit. */
  needsCompleteObject?: boolean;
  check(ds: ManifestObject, ctx: RuleContext): Finding[];
}

import { reportSpan } from '../ast';
import { fieldErrorMessage, type FieldErrorType } from '../fieldErrors';
import { formatPath, type FieldPath } from '../types';

/**
 * A finding worded as the API server words it. `path` is relative to the object (the field path
 * the server reports); the span is the key at `path` (or `on: 'value'`), else its nearest ancestor.
 */
export function apiFinding(
  rule: Pick<Rule, 'id' | 'defaultSeverity'>,
  obj: ManifestObject,
  path: FieldPath,
  type: FieldErrorType,
  detail?: string,
  badValue?: unknown,
  on: 'key' | 'value' = 'key',
): Finding {
  return {
    code: rule.id,
    severity: rule.defaultSeverity,
    message: fieldErrorMessage(type, detail, badValue),
    path: formatPath(path),
    span: reportSpan(obj, path, on),
  };
}
