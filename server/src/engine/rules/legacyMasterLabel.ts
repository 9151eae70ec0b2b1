import { keySpan, valueAt, valueSpan } from '../ast';
import { removeMapEntry, renameKey, replaceScalar } from '../edits';
import type { ManifestObject } from '../model';
import { formatKeyPath, isRecord, POD_SPEC } from '../podTemplate';
import { formatPath, type FieldPath, type Finding, type Fix, type Span } from '../types';
import type { Rule, RuleContext } from './rule';
import { ruleFixes } from './tolerationSupport';

export const LEGACY_MASTER_LABEL = 'node-role.kubernetes.io/master';
export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';
/** kubeadm 1.24 stopped setting the legacy label on control-plane nodes and removes it on upgrade. */
const REMOVED_IN_MINOR = 24;

const SELECTOR_PATH = [...POD_SPEC, 'nodeSelector'];
const TERMS_PATH = [...POD_SPEC, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms'];
/** Operators that require the label (a nodeSelector entry is one too); the others exclude nodes that carry it. */
const SELECTING = new Set(['In', 'Exists', 'Gt', 'Lt']);

const FIX_TITLE = `Use ${CONTROL_PLANE_LABEL}`;

/**
 * The legacy control-plane role label in a nodeSelector or a required node affinity. kubeadm applies
 * only node-role.kubernetes.io/control-plane from v1.24 (cmd/kubeadm/app/phases/markcontrolplane
 * markControlPlaneNode; CHANGELOG-1.24: "the label node-role.kubernetes.io/master will no longer be added
 * to control plane nodes", and `kubeadm upgrade apply` removes it), so a DaemonSet that requires it
 * selects no kubeadm node. With a cluster file, only where its nodes bear that out: none carries the
 * legacy label and some carry the new one (no-eligible-nodes then says what the nodes are; this rule
 * offers the fix).
 */
export const legacyMasterLabel: Rule = {
  id: 'legacy-master-label',
  description: 'A nodeSelector or required node affinity uses node-role.kubernetes.io/master, a label kubeadm no longer sets (1.24+).',
  help: 'kubeadm labels control-plane nodes node-role.kubernetes.io/control-plane only, from v1.24 on, and `kubeadm upgrade apply` to 1.24 removes node-role.kubernetes.io/master from existing nodes. A nodeSelector or required node affinity term that requires the old label then matches no node, and one that excludes it no longer keeps the DaemonSet off the control plane. Reported when the target Kubernetes version is 1.24 or later and no cluster file is in use; with a cluster file, whatever the version, when none of its nodes carries the legacy label and some carry node-role.kubernetes.io/control-plane. Affinity terms are ORed, so a term on the new label beside one on the old label is not reported. The fix switches to node-role.kubernetes.io/control-plane.',
  defaultSeverity: 'information',
  // A Kustomize patch is merged into a base whose selectors it does not show.
  needsCompleteObject: true,
  check(ds, ctx) {
    // Most DaemonSets never name the legacy label: nothing to look up in the cluster for them.
    if (!mentionsLegacyLabel(ds)) return [];
    const nodes = ctx.cluster?.nodes ?? [];
    // With a cluster file, its nodes say whether the old label is gone; without one, the target version.
    const newLabelled = nodes.filter((n) => Object.prototype.hasOwnProperty.call(n.labels, CONTROL_PLANE_LABEL)).length;
    if (nodes.length ? newLabelled === 0 || nodes.some((n) => Object.prototype.hasOwnProperty.call(n.labels, LEGACY_MASTER_LABEL)) : ctx.kubernetesMinor < REMOVED_IN_MINOR) return [];
    const out: Finding[] = [];
    const report = (path: FieldPath, span: Span | undefined, selecting: boolean, where: string, build: () => Fix[]) => {
      if (!span) return;
      const onNodes = nodes.length
        ? `No node of the cluster file carries ${LEGACY_MASTER_LABEL}, which kubeadm no longer sets (since 1.24), and ${newLabelled} carr${newLabelled === 1 ? 'ies' : 'y'} ${CONTROL_PLANE_LABEL}: ` +
          (selecting ? `this ${where} matches none of them.` : `this ${where} does not keep the DaemonSet off ${newLabelled === 1 ? 'it' : 'them'}.`)
        : `kubeadm no longer labels control-plane nodes ${LEGACY_MASTER_LABEL} (since 1.24; \`kubeadm upgrade apply\` removes it): ` +
          (selecting
            ? `on a kubeadm cluster of 1.${ctx.kubernetesMinor} this ${where} matches no node.`
            : `on a kubeadm cluster of 1.${ctx.kubernetesMinor} this ${where} no longer keeps the DaemonSet off the control-plane nodes.`);
      out.push({
        code: this.id,
        severity: this.defaultSeverity,
        message: `${onNodes} Use ${CONTROL_PLANE_LABEL}.`,
        path: typeof path[path.length - 1] === 'string' && path[path.length - 2] === 'nodeSelector' ? formatKeyPath(path.slice(0, -1), String(path[path.length - 1])) : formatPath(path),
        span,
        data: { selecting },
        fixes: ruleFixes(ctx, ds, span, this.id, build),
      });
    };
    // The value the cluster's control-plane nodes carry, when they agree (kubeadm writes "", k3s "true").
    const values = new Set(nodes.filter((n) => Object.prototype.hasOwnProperty.call(n.labels, CONTROL_PLANE_LABEL)).map((n) => n.labels[CONTROL_PLANE_LABEL]));
    checkNodeSelector(ds, ctx, report, values.size === 1 ? [...values][0] : undefined);
    checkAffinity(ds, ctx, report);
    return out;
  },
};

type Report = (path: FieldPath, span: Span | undefined, selecting: boolean, where: string, build: () => Fix[]) => void;

function fix(edits: ReturnType<typeof renameKey>): Fix[] {
  return edits.length ? [{ title: FIX_TITLE, edits, isPreferred: true }] : [];
}

/** nodeSelector: every entry must match, so the legacy key alone already selects nothing. */
function checkNodeSelector(ds: ManifestObject, ctx: RuleContext, report: Report, clusterValue?: string): void {
  const selector = valueAt(ds, SELECTOR_PATH);
  if (!isRecord(selector) || !(LEGACY_MASTER_LABEL in selector)) return;
  const path = [...SELECTOR_PATH, LEGACY_MASTER_LABEL];
  const text = ctx.model.text;
  report(path, keySpan(ds, path), true, 'nodeSelector', () => {
    // With the new key there as well, renaming would write a duplicate key: drop the old entry instead.
    if (CONTROL_PLANE_LABEL in selector) return fix(removeMapEntry(text, ds, path));
    const renamed = renameKey(text, ds, path, CONTROL_PLANE_LABEL);
    // The value the cluster file's control-plane nodes carry, where the old one would match none of them.
    const value = selector[LEGACY_MASTER_LABEL];
    const revalued = clusterValue !== undefined && renamed.length && String(value ?? '') !== clusterValue ? replaceScalar(text, ds, path, clusterValue) : [];
    return fix(renamed.length && revalued.length ? [...renamed, ...revalued] : renamed);
  });
}

/**
 * Required node affinity: terms are ORed (nodeaffinity.go LazyErrorNodeSelector.Match), so a term
 * requiring the legacy label is harmless beside a term on the new one, the usual way to cover both
 * old and new clusters. An exclusion of the legacy label is harmless when its term excludes the new one too.
 */
function checkAffinity(ds: ManifestObject, ctx: RuleContext, report: Report): void {
  const terms = valueAt(ds, TERMS_PATH);
  if (!Array.isArray(terms)) return;
  const exprsOf = (t: unknown): Array<Record<string, unknown>> =>
    isRecord(t) && Array.isArray(t.matchExpressions) ? t.matchExpressions.filter(isRecord) : [];
  const anyTermSelectsNew = terms.some((t) => exprsOf(t).some((e) => e.key === CONTROL_PLANE_LABEL && SELECTING.has(String(e.operator))));
  const text = ctx.model.text;
  terms.forEach((t, i) => {
    const exprs = exprsOf(t);
    const raw = isRecord(t) && Array.isArray(t.matchExpressions) ? t.matchExpressions : [];
    raw.forEach((e, j) => {
      if (!isRecord(e) || e.key !== LEGACY_MASTER_LABEL) return;
      const selecting = SELECTING.has(String(e.operator));
      if (selecting && anyTermSelectsNew) return;
      if (!selecting && exprs.some((x) => x.key === CONTROL_PLANE_LABEL && !SELECTING.has(String(x.operator)))) return;
      const path = [...TERMS_PATH, i, 'matchExpressions', j, 'key'];
      report(path, valueSpan(ds, path), selecting, 'required node affinity term', () => fix(replaceScalar(text, ds, path, CONTROL_PLANE_LABEL)));
    });
  });
}

/** Whether the nodeSelector or a required node affinity expression names the legacy label. */
function mentionsLegacyLabel(ds: ManifestObject): boolean {
  const selector = valueAt(ds, SELECTOR_PATH);
  if (isRecord(selector) && LEGACY_MASTER_LABEL in selector) return true;
  const terms = valueAt(ds, TERMS_PATH);
  return Array.isArray(terms) && terms.some((t) => isRecord(t) && Array.isArray(t.matchExpressions) && t.matchExpressions.some((e) => isRecord(e) && e.key === LEGACY_MASTER_LABEL));
}
