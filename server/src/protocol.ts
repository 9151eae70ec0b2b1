/**
 * Custom requests between the extension (client) and the language server, typed once and imported
 * by both sides (rust-analyzer's lsp_ext.ts pattern). Everything here is plain JSON: positions and
 * ranges are LSP's (0-based line/character), never engine offsets.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Position, Range } from 'vscode-languageserver-types';
import type { NodeVerdict, Reason, Taint, Toleration } from './engine/placement/types';
import { TEMPLATE_TAINT_UNKNOWN, templateLine, templateNote, templateTolerationsNote } from './engine/templateWords';

export type { Position, Range, Taint, Toleration };

/** A place to open: a file and a range in it. */
export interface Location {
  uri: string;
  range: Range;
}

// ---------------------------------------------------------------------------------------------
// daemonset/placement

export interface PlacementParams {
  /** The manifest. */
  uri: string;
  /** The document version the client sees; the server answers for its own latest version. */
  version?: number;
  /** The cursor, to pick the DaemonSet it is in (`activeIndex` in the result). */
  position?: Position;
}

/** A node of the cluster file, once per result (verdicts refer to it by name). */
export interface WireNode {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  unschedulable: boolean;
  /** `metadata.name` of the node in the cluster file. */
  location?: Location;
}

/** A reason with its manifest span turned into a range of the manifest. */
export interface WireReason extends Omit<Reason, 'span'> {
  range?: Range;
}

export interface WireNodeVerdict extends Omit<NodeVerdict, 'reasons'> {
  reasons: WireReason[];
}

/** Where a toleration of the pods comes from. */
export type TolerationSource = 'manifest' | 'automatic';

export interface EffectiveToleration {
  toleration: Toleration;
  source: TolerationSource;
  /** Why the controller adds it (automatic ones only): "always", "hostNetwork: true". */
  why?: string;
  /** The item in the manifest's `tolerations` list (manifest ones only). */
  range?: Range;
}

/** One taint of interest (well-known, or carried by a node of the cluster file) and who tolerates it. */
export interface TaintRule {
  taint: Taint;
  /** One line: who sets the taint and when. */
  description?: string;
  docs?: string;
  /** Index in `tolerations` of the first toleration that tolerates it; undefined when none does. */
  toleratedBy?: number;
  /** Nodes of the cluster file that carry it (empty without a cluster file). */
  nodes: string[];
  wellKnown: boolean;
}

export interface DaemonSetPlacementInfo {
  /** Index of the DaemonSet among the file's objects (`ManifestObject.index`). */
  index: number;
  /**
   * `metadata.name` and `metadata.namespace` ("default" when unset). In a template, both as written
   * (`{{ include "fluent-bit.fullname" . }}`), and a namespace it does not set is `templateNamespace`
   * ("(release namespace)" for Helm), not "default".
   */
  name: string;
  namespace: string;
  /** The whole object, and its `metadata.name` (or `kind`) for links. */
  range: Range;
  nameRange: Range;
  /** The pod template's `tolerations` key, or its `spec` key when there is none. */
  tolerationsRange?: Range;
  /** `spec.template.spec.hostNetwork` (in a template, as written: it says nothing of the rendered pod). */
  hostNetwork: boolean;
  /**
   * The pods' tolerations. In a template (`template`), only those the controller adds to every pod: the
   * template's own are known only once it is rendered (`templateTolerationsNote`).
   */
  tolerations: EffectiveToleration[];
  /** Taints and which of `tolerations` tolerates them; in a template, one that none does is unknown until rendered. */
  rules: TaintRule[];
  /**
   * A Kustomize patch (listed in its folder's kustomization, or partial by its content): it carries
   * only the fields it changes, so it is not placed (no `placement`), as the CLI's `place` skips it.
   */
  patch?: true;
  /**
   * A patch that sets no tolerations: a strategic merge patch replaces the whole tolerations list (an
   * atomic list) only when it has one, so the pods keep its base's, which the patch does not show.
   * `tolerations` then lists only those the controller adds to every pod (`PATCH_BASE_TOLERATIONS_NOTE`).
   */
  baseTolerations?: true;
  /**
   * In a template (`{{ … }}` shapes its YAML; `helm`: a Helm chart's): its values and structure are known
   * only once rendered, so it is not placed (no `placement`), as the CLI's `place` and `pod` refuse it.
   */
  template?: { helm: boolean };
  /** With a cluster file: the controller's and scheduler's verdict for every node. */
  placement?: {
    desiredNumberScheduled: number;
    nodes: WireNodeVerdict[];
    sync: { creates: number; deletes: number };
    rollingUpdate: { maxUnavailable: number; maxSurge: number };
    /** `spec.updateStrategy.type` (defaulted). */
    strategy: string;
    /** Unbound pods whose node is gone: deleted by the next sync. */
    deletesWithoutNode?: string[];
    /** Why the controller does nothing with this DaemonSet, or other problems worth a line. */
    warnings?: string[];
    /** The controller does nothing with this DaemonSet (`DaemonSetPlacement.ignored`): no pod is created or deleted. */
    ignored?: 'selects-all' | 'bad-selector' | 'deleting';
  };
}

export interface ClusterFileInfo {
  uri: string;
  /** How it was chosen: the `daemonsetLens.clusterFile` setting or discovery in the workspace. */
  source: 'setting' | 'discovered';
  nodeCount: number;
  podCount: number;
  /** Problems the server found in the cluster file (they are reported as its diagnostics). */
  problems: number;
}

export interface PlacementResult {
  uri: string;
  version?: number;
  /** Undefined when no cluster file is in use. */
  cluster?: ClusterFileInfo;
  /** Nodes of the cluster file (empty without one). */
  nodes: WireNode[];
  daemonSets: DaemonSetPlacementInfo[];
  /** Position in `daemonSets` of the DaemonSet under the cursor (or the first one); -1 when none. */
  activeIndex: number;
  /** The file could not be read as YAML/JSON manifests (too large, binary, templated, …). */
  problem?: string;
  /**
   * Beside the DaemonSets read: why others of the file are not shown (those of a template that YAML can
   * read only once it is rendered, `templateUnreadableNote`).
   */
  note?: string;
}

export const PlacementRequest = new RequestType<PlacementParams, PlacementResult | null, void>('daemonset/placement');

// ---------------------------------------------------------------------------------------------
// daemonset/podForNode

export interface PodForNodeParams {
  uri: string;
  version?: number;
  /** Index of the DaemonSet among the file's objects (`DaemonSetPlacementInfo.index`). */
  index: number;
  node: string;
}

export interface PodForNodeResult {
  /** The pod the controller would create on the node, as YAML. */
  yaml: string;
  /** Why it would not be created there, if it would not (the YAML still shows the pod). */
  note?: string;
}

export const PodForNodeRequest = new RequestType<PodForNodeParams, PodForNodeResult | null, void>('daemonset/podForNode');

// ---------------------------------------------------------------------------------------------
// daemonset/addToleration: the edit that adds a toleration for a taint (the preview's button when
// no diagnostic offers that quick fix, e.g. without a cluster file). Same minimal edit as the fixes.

export interface AddTolerationParams {
  uri: string;
  /** Index of the DaemonSet among the file's objects. */
  index: number;
  taint: Taint;
}

export interface AddTolerationResult {
  title: string;
  /** Version of the document the edits apply to. */
  version?: number;
  edits: Array<{ range: Range; newText: string }>;
}

export const AddTolerationRequest = new RequestType<AddTolerationParams, AddTolerationResult | null, void>('daemonset/addToleration');

// ---------------------------------------------------------------------------------------------
// daemonset/clusterFile: which cluster file is in use, for the status bar.

export interface ClusterFileParams {
  /** The active manifest, if any (a setting can be per folder). */
  uri?: string;
}

export interface ClusterFileResult {
  cluster?: ClusterFileInfo;
  /** Files in the workspace that look like cluster files (`kubectl get nodes -o yaml` dumps), as URIs. */
  candidates: string[];
  /** Why the configured cluster file cannot be used. */
  error?: string;
}

export const ClusterFileRequest = new RequestType<ClusterFileParams, ClusterFileResult, void>('daemonset/clusterFile');

/** Sent by the server when the cluster file in use, or its content, changed. */
export interface ClusterChangedParams {
  uri?: string;
}

export const ClusterChangedNotification = new NotificationType<ClusterChangedParams>('daemonset/clusterChanged');

/**
 * Sent by the server when open documents say something else with the same text (they became or stopped
 * being patches listed in their folder's kustomization): a preview of one of them asks again.
 */
export interface PlacementChangedParams {
  uris: string[];
}

export const PlacementChangedNotification = new NotificationType<PlacementChangedParams>('daemonset/placementChanged');

// How a verdict is read: server/src/verdicts.ts (also used by the CLI, which speaks no LSP).
export { countVerdicts, IGNORED_REASON, placementLine, placementSummary, verdictOf, type PlacementCounts, type Verdict } from './verdicts';

/** What the code lens and the preview say of a Kustomize patch instead of where it runs. */
export const PATCH_LINE = 'Kustomize patch · not placed (place the output of kustomize build)';

/** Under the tolerations of a patch that sets none (`baseTolerations`). */
export const PATCH_BASE_TOLERATIONS_NOTE = 'Only the tolerations the DaemonSet controller adds to every pod are listed. This patch sets no tolerations, so the pods keep those of its base, known once the patch is merged into it (kustomize build).';
/** Under the tolerations of a patch that sets them: they are the pods' own, whatever the base has. */
export const PATCH_OWN_TOLERATIONS_NOTE = "This patch's tolerations replace its base's: a strategic merge patch replaces the whole tolerations list (it has no merge key).";
/** What the preview says of a taint the controller's tolerations do not cover, in a patch that sets no tolerations. */
export const PATCH_TAINT_UNKNOWN = 'known once merged into its base';

/** Why a patch has no placement, for the preview. */
export const PATCH_NOTE = 'This DaemonSet is a Kustomize patch: it carries only the fields it changes, so it is not placed. Place the output of kustomize build instead.';

/**
 * What the code lens and the preview say of a DaemonSet in a template instead of where it runs, and why
 * it has no placement (the CLI's `place` and `pod` use the same words: engine/templateWords.ts).
 */
export { templateLine, templateNote };

/**
 * For a DaemonSet in a template: why only the controller's tolerations are listed, and what a taint none
 * of them tolerates is said to be instead of "not tolerated".
 */
export { TEMPLATE_TAINT_UNKNOWN, templateTolerationsNote };

/** "tolerates 6 of 11 well-known taints" (without a cluster file). */
export function rulesLine(ds: Pick<DaemonSetPlacementInfo, 'rules'>): string {
  const known = ds.rules.filter((r) => r.wellKnown);
  const tolerated = known.filter((r) => r.toleratedBy !== undefined).length;
  return `tolerates ${tolerated} of ${known.length} well-known taints`;
}
