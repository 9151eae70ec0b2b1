import { removeSequenceItem, replaceScalar, setMapEntries } from '../edits';
import type { ManifestObject } from '../model';
import { closestValue } from '../podTemplate';
import { comparisonOperatorsEnabled, formatTaint, toleratesTaint } from '../placement/tolerations';
import type { Taint, Toleration } from '../placement/types';
import { wellKnownTaint } from '../taints';
import { formatPath, type FieldPath, type Finding, type Fix } from '../types';
import type { Rule } from './rule';
import { placementOf } from './placementOf';
import { SELECTION_MISMATCH } from './untoleratedTaint';
import { clusterTaints, itemSpan, ruleFixes, TOLERATIONS_PATH, userTolerations } from './tolerationSupport';

/** `key=value:Effect` for a toleration, with `*` for what it leaves open. */
export function formatToleration(t: Toleration): string {
  const key = t.key || '*';
  const op = t.operator === 'Exists' ? '' : t.value ? `=${t.value}` : '';
  return `${key}${op}:${t.effect || '*'}`;
}

/**
 * A toleration that tolerates no taint of any node in the cluster file (ToleratesTaint,
 * api/core/v1/toleration.go). Tolerations of well-known taints are left alone: those taints come
 * and go with node conditions and the snapshot may simply not show them.
 */
export const tolerationMatchesNoTaint: Rule = {
  id: 'toleration-matches-no-taint',
  description: 'A toleration matches no taint of the nodes in the cluster file.',
  help: 'Checked with ToleratesTaint against every taint of every node in the cluster file. Keys of well-known taints (not-ready, control-plane, …) and key-less tolerations are not reported. The toleration may be a typo (key, value or effect) or meant for nodes the snapshot does not show.',
  defaultSeverity: 'hint',
  // A Kustomize patch is merged into a base whose tolerations, selectors and containers it does not show.
  needsCompleteObject: true,
  check(ds, ctx) {
    const cluster = ctx.cluster;
    if (!cluster || cluster.nodes.length === 0) return [];
    // A DaemonSet that selects no node at all is no-eligible-nodes' business, not its tolerations'.
    const placement = placementOf(ctx, ds);
    if (placement && placement.nodes.every((v) => v.reasons.some((r) => SELECTION_MISMATCH.has(r.code)))) return [];
    const gate = comparisonOperatorsEnabled(ctx);
    const { taints, keyList } = clusterTaints(cluster);
    const useless = userTolerations(ds).filter(({ toleration: t }) =>
      !!t.key && !wellKnownTaint(t.key) && !taints.some((taint) => toleratesTaint(t, taint, gate)));
    if (!useless.length) return [];
    const first = useless[0];
    const path = [...TOLERATIONS_PATH, first.index];
    const span = itemSpan(ctx.model.text, ds, path);
    const text = ctx.model.text;
    const sameKey = taints.filter((t) => t.key === first.toleration.key);
    const near = sameKey.length ? ` (nodes carry ${[...new Set(sameKey.map(formatTaint))].join(', ')})` : '';
    const others = useless.slice(1).map((u) => `tolerations[${u.index}] (${formatToleration(u.toleration)})`);
    const fixes: Fix[] = ruleFixes(ctx, ds, span, this.id, () => {
      const out = nearMissFixes(text, ds, path, first.toleration, taints, keyList, gate);
      const rm = removeSequenceItem(text, ds, path);
      if (rm.length) out.push({ title: 'Remove this toleration', edits: rm });
      return out;
    });
    const f: Finding = {
      code: this.id,
      severity: this.defaultSeverity,
      message: `This toleration (${formatToleration(first.toleration)}) matches no taint of the ${cluster.nodes.length} node${cluster.nodes.length === 1 ? '' : 's'} in the cluster file${near}` +
        (others.length ? `; neither ${others.length === 1 ? 'does' : 'do'} ${others.join(', ')}` : '') + '.',
      path: formatPath(path),
      span,
      data: { indices: useless.map((u) => u.index) },
      fixes,
    };
    return [f];
  },
};

/**
 * A toleration that is one field away from tolerating a taint of the cluster (a typo in the key,
 * the value or the effect): fixes that change that field, checked with ToleratesTaint.
 */
function nearMissFixes(text: string, ds: ManifestObject, path: FieldPath, t: Toleration, taints: readonly Taint[], keys: readonly string[], gate: boolean): Fix[] {
  const out: Fix[] = [];
  const seen = new Set<string>();
  const tryField = (field: 'key' | 'value' | 'effect', value: string) => {
    const changed = { ...t, [field]: value };
    if (!taints.some((taint) => toleratesTaint(changed, taint, gate))) return;
    const id = `${field}=${value}`;
    if (seen.has(id)) return;
    const present = t[field] !== undefined && t[field] !== '';
    const edits = present ? replaceScalar(text, ds, [...path, field], value) : setMapEntries(text, ds, path, { [field]: value });
    if (!edits.length) return;
    seen.add(id);
    out.push({ title: `Change ${field} to ${value}`, edits, isPreferred: out.length === 0 });
  };
  const nearKey = t.key ? closestTaintKey(t.key, keys) : undefined;
  if (nearKey && nearKey !== t.key) tryField('key', nearKey);
  for (const taint of taints.filter((x) => x.key === t.key)) {
    if (taint.value && t.operator !== 'Exists' && taint.value !== t.value) tryField('value', taint.value);
    if (t.effect && taint.effect !== t.effect) tryField('effect', taint.effect);
  }
  return out.slice(0, 3);
}

/**
 * The taint key that `key` is a typo of, if any: the same key but for case, or one within a small
 * edit distance of it, measured against the key's name (the part after its prefix). Keys share long
 * prefixes (`node.kubernetes.io/`), so a distance allowed by the whole key's length would take
 * `node.kubernetes.io/os` for `node.kubernetes.io/not-ready`.
 */
export function closestTaintKey(key: string, keys: readonly string[]): string | undefined {
  return closestValue(key, keys, (k) => Math.max(1, Math.floor(k.slice(k.lastIndexOf('/') + 1).length / 3)));
}
