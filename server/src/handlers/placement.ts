/**
 * The placement preview's data: `daemonset/placement` (every DaemonSet of a manifest over the
 * cluster file, with ranges for links), `daemonset/podForNode` (the pod the controller would create
 * on a node, as YAML) and `daemonset/clusterFile` (which cluster file is in use, for the status bar).
 * The engine computes; this file only converts offsets to ranges and shapes the answer.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { stringifyForKubectl } from '../engine/goYamlBool';
import { keySpan, valueSpan } from '../engine/ast';
import { inTemplatedChunk, isPlainObject, type DocumentModel, type ManifestObject } from '../engine/model';
import { templateIdentity, unreadableTemplateDaemonSets } from '../engine/templates';
import { templateNamespace, templatePodNote, templateUnreadableNote } from '../engine/templateWords';
import {
  daemonPodTolerations,
  newDaemonPodOf,
  placeDaemonSet,
  templateTolerations,
  toleratesTaint,
} from '../engine/placement';
import { runtimeClassPodNote } from '../engine/placement/runtimeClass';
import { comparisonOperatorsEnabled, matchToleration } from '../engine/placement/tolerations';
import type { ClusterModel, DaemonSetPlacement, PlacementOptions, Taint, Toleration } from '../engine/placement/types';
import { disabledFieldsNote } from '../engine/dropDisabledFields';
import { targetOf, type Target } from '../engine/kubernetesVersion';
import { placementOf } from '../engine/rules/placementOf';
import { minorOf } from '../engine/validate';
import { addTolerationsFix, tolerationFor } from '../engine/rules/tolerationSupport';
import { formatTaint } from '../engine/placement/tolerations';
import { WELL_KNOWN_TAINTS, wellKnownTaint } from '../engine/taints';
import type { Span } from '../engine/types';
import { toRange, type PositionMapper } from '../convert';
import {
  AddTolerationRequest,
  ClusterFileRequest,
  PlacementChangedNotification,
  PlacementRequest,
  PodForNodeRequest,
  verdictOf,
  type ClusterFileInfo,
  type ClusterFileResult,
  type DaemonSetPlacementInfo,
  type EffectiveToleration,
  type PlacementResult,
  type PodForNodeResult,
  type Position,
  type TaintRule,
  type WireNode,
} from '../protocol';
import { runSafe, type Handler, type ServerContext } from './context';

export interface PlacementInput {
  model: DocumentModel;
  /** Maps the manifest's offsets (the open TextDocument). */
  doc: PositionMapper;
  cluster?: { info: ClusterFileInfo; model: ClusterModel; doc: PositionMapper };
  featureGates: Readonly<Record<string, boolean>>;
  /** Target Kubernetes minor, for the feature gates' defaults (the engine's default target when unset). */
  kubernetesMinor?: number;
  /** Cursor offset in the manifest, to pick the active DaemonSet. */
  offset?: number;
  /** Supplies memoised placements (shared with the diagnostics); defaults to computing them. */
  place?: (ds: ManifestObject, cluster: ClusterModel) => DaemonSetPlacement | undefined;
}

/** The whole answer of `daemonset/placement` for one manifest. Pure over its input; never throws on odd manifests. */
export function buildPlacementResult(input: PlacementInput): PlacementResult {
  const { model, doc, cluster } = input;
  const result: PlacementResult = {
    uri: model.uri,
    version: model.version,
    cluster: cluster?.info,
    nodes: cluster ? cluster.model.nodes.map((n): WireNode => ({
      name: n.name,
      labels: n.labels,
      taints: n.taints,
      unschedulable: n.unschedulable,
      location: { uri: cluster.info.uri, range: toRange(cluster.doc, n.nameSpan) },
    })) : [],
    daemonSets: [],
    activeIndex: -1,
  };
  const fatal = model.findings.find((f) => f.code === 'file-too-large' || f.code === 'binary-file');
  if (fatal) {
    result.problem = fatal.message;
    return result;
  }
  const comparison = comparisonOperatorsEnabled(input);
  const place = input.place ?? ((ds: ManifestObject, c: ClusterModel) => placeDaemonSet(ds, c, { featureGates: input.featureGates, kubernetesMinor: input.kubernetesMinor }));
  const helm = !!model.template?.helm;
  for (const ds of model.daemonSets) {
    const template = inTemplatedChunk(model, ds) ? { helm, ...templateIdentity(model.text, ds, helm) } : undefined;
    result.daemonSets.push(daemonSetInfo(ds, doc, cluster?.model, comparison, place, template));
  }
  result.activeIndex = activeDaemonSet(model.daemonSets, input.offset);
  if (model.templated) {
    // A chart's DaemonSet that YAML cannot read unrendered is still a DaemonSet: not "holds no DaemonSet",
    // and beside others that are read, not left unsaid.
    const unread = unreadableTemplateDaemonSets(model);
    if (unread.length > 0 && model.daemonSets.length === 0) result.problem = templateUnreadableNote(helm, unread.length);
    else if (unread.length > 0) result.note = templateUnreadableNote(helm, unread.length, true);
  }
  return result;
}

function daemonSetInfo(
  ds: ManifestObject,
  doc: PositionMapper,
  cluster: ClusterModel | undefined,
  comparison: boolean,
  place: (ds: ManifestObject, cluster: ClusterModel) => DaemonSetPlacement | undefined,
  template?: { helm: boolean; name: string; namespace: string },
): DaemonSetPlacementInfo {
  const podSpecPath = ['spec', 'template', 'spec'];
  const podSpec = podSpecOf(ds);
  const hostNetwork = podSpec.hostNetwork === true;
  // In a template, the tolerations the file shows are not yet the pod's (`{{ toYaml .Values.tolerations }}`,
  // items under `{{- if }}`): only those the controller adds to every pod are certain.
  // A patch's tolerations replace its base's (an atomic list, which a strategic merge patch replaces
  // whole); a patch without any keeps the base's, which it does not show.
  // `$patch: replace` on the spec, the template or its spec replaces the base's: no tolerations then.
  const replaces = [ds.value.spec, isPlainObject(ds.value.spec) ? ds.value.spec.template : undefined, podSpec]
    .some((o) => isPlainObject(o) && o.$patch === 'replace');
  const baseTolerations = !template && ds.partial && podSpec.tolerations === undefined && !replaces;
  const tolerations = template || baseTolerations ? controllerTolerations() : effectiveTolerationsWithSource(ds, podSpec, hostNetwork, doc);
  const objSpan = objectSpan(ds);
  const nameSpan = valueSpan(ds, ['metadata', 'name']) ?? keySpan(ds, ['kind']) ?? objSpan;
  const tolSpan = keySpan(ds, [...podSpecPath, 'tolerations']) ?? keySpan(ds, podSpecPath);
  const info: DaemonSetPlacementInfo = {
    index: ds.index,
    // A template's name and namespace as written, never an invented "default" (templateIdentity).
    name: template ? template.name : ds.name ?? '',
    namespace: template ? template.namespace : ds.namespace || 'default',
    range: toRange(doc, objSpan),
    nameRange: toRange(doc, nameSpan),
    ...(tolSpan ? { tolerationsRange: toRange(doc, tolSpan) } : {}),
    hostNetwork,
    tolerations,
    rules: taintRules(tolerations.map((t) => t.toleration), cluster, comparison),
  };
  if (template) {
    // As `daemonset-lens place`: a template's values and structure are known only once it is rendered.
    info.template = { helm: template.helm };
  } else if (ds.partial) {
    // As `daemonset-lens place`: a patch carries only what it changes, placed alone it would be wrong.
    info.patch = true;
    if (baseTolerations) info.baseTolerations = true;
  } else if (cluster) {
    const p = safe(() => place(ds, cluster));
    if (p) {
      info.placement = {
        desiredNumberScheduled: p.desiredNumberScheduled,
        nodes: p.nodes.map((v) => ({
          ...v,
          reasons: v.reasons.map(({ span, ...r }) => (span ? { ...r, range: toRange(doc, span) } : r)),
        })),
        sync: p.sync,
        rollingUpdate: p.rollingUpdate,
        // The engine's type, defaulted as the manifest's API version does (OnDelete for extensions/v1beta1).
        strategy: p.updateStrategy,
        ...(p.deletesWithoutNode?.length ? { deletesWithoutNode: p.deletesWithoutNode } : {}),
        ...(p.warnings?.length ? { warnings: p.warnings } : {}),
        ...(p.ignored ? { ignored: p.ignored } : {}),
      };
    }
  }
  return info;
}

function podSpecOf(ds: ManifestObject): Record<string, unknown> {
  const spec = isPlainObject(ds.value.spec) ? ds.value.spec : {};
  const tpl = isPlainObject(spec.template) ? spec.template : {};
  return isPlainObject(tpl.spec) ? tpl.spec : {};
}

/**
 * The pod's tolerations in the order the controller leaves them (AddOrUpdateDaemonPodTolerations:
 * an identical user toleration is replaced in place, the others are appended), each tagged with
 * where it comes from and, for the manifest's, the range of its list item.
 */
export function effectiveTolerationsWithSource(ds: ManifestObject, podSpec: Record<string, unknown>, hostNetwork: boolean, doc: PositionMapper): EffectiveToleration[] {
  const raw = Array.isArray(podSpec.tolerations) ? podSpec.tolerations : [];
  const out: EffectiveToleration[] = [];
  raw.forEach((item, i) => {
    const [t] = templateTolerations({ tolerations: [item] });
    if (!t) return;
    const span = valueSpan(ds, ['spec', 'template', 'spec', 'tolerations', i]);
    out.push({ toleration: t, source: 'manifest', ...(span ? { range: toRange(doc, span) } : {}) });
  });
  for (const auto of daemonPodTolerations(hostNetwork)) {
    const same = out.find((e) => e.source === 'manifest' && matchToleration(e.toleration, auto));
    const why = auto.key === 'node.kubernetes.io/network-unavailable' ? 'hostNetwork: true' : 'always';
    if (same) {
      // Replaced in place by the controller's own (tolerationSeconds dropped).
      same.toleration = auto;
      same.why = `${why}; replaces the manifest's identical toleration`;
    } else {
      out.push({ toleration: auto, source: 'automatic', why });
    }
  }
  return out;
}

/**
 * The tolerations of a DaemonSet in a template: those AddOrUpdateDaemonPodTolerations
 * (pkg/controller/daemon/util/daemonset_util.go) gives every daemon pod, whatever its spec. Its own
 * tolerations, and network-unavailable (added only for hostNetwork pods), are known only once rendered.
 */
export function controllerTolerations(): EffectiveToleration[] {
  return daemonPodTolerations(false).map((toleration) => ({ toleration, source: 'automatic', why: 'always' }));
}

/** Well-known taints (each effect they are applied with) and the cluster's NoSchedule/NoExecute taints, with who tolerates them. */
export function taintRules(tolerations: readonly Toleration[], cluster: ClusterModel | undefined, comparison: boolean): TaintRule[] {
  const rules = new Map<string, TaintRule>();
  const keyOf = (t: Taint) => `${t.key}\u0000${t.value ?? ''}\u0000${t.effect}`;
  const tolerated = (taint: Taint) => {
    const i = tolerations.findIndex((t) => toleratesTaint(t, taint, comparison));
    return i >= 0 ? i : undefined;
  };
  for (const w of WELL_KNOWN_TAINTS) {
    for (const effect of w.effects) {
      const taint: Taint = { key: w.key, ...(w.value ? { value: w.value } : {}), effect };
      const r: TaintRule = { taint, description: `${w.meaning} ${w.setBy}`, docs: w.docs, nodes: [], wellKnown: true };
      const by = tolerated(taint);
      if (by !== undefined) r.toleratedBy = by;
      rules.set(keyOf(taint), r);
    }
  }
  for (const node of cluster?.nodes ?? []) {
    for (const taint of node.taints) {
      // The controller never looks at PreferNoSchedule (it only weighs in scheduler scoring).
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      let r = rules.get(keyOf(taint));
      if (!r) {
        // A well-known key with another value is still the same taint for the reader; a node
        // autoscaler's taint is described as hover and the rules describe it.
        const known = wellKnownTaint(taint.key);
        r = { taint, nodes: [], wellKnown: false, ...(known ? { description: `${known.meaning} ${known.setBy}`, docs: known.docs } : {}) };
        const by = tolerated(taint);
        if (by !== undefined) r.toleratedBy = by;
        rules.set(keyOf(taint), r);
      }
      if (r.nodes[r.nodes.length - 1] !== node.name) r.nodes.push(node.name);
    }
  }
  // Taints that matter in this cluster first, then the rest of the catalogue.
  return [...rules.values()].sort((a, b) => (b.nodes.length > 0 ? 1 : 0) - (a.nodes.length > 0 ? 1 : 0));
}

function objectSpan(ds: ManifestObject): Span {
  const r = ds.node.range;
  return r ? { start: ds.base + r[0], end: ds.base + Math.max(r[0], r[1]) } : { start: ds.base, end: ds.base };
}

/** The DaemonSet that holds the offset, else the last one that starts before it, else the first. */
function activeDaemonSet(list: readonly ManifestObject[], offset: number | undefined): number {
  if (list.length === 0) return -1;
  if (offset === undefined) return 0;
  let best = 0;
  for (let i = 0; i < list.length; i++) {
    const s = objectSpan(list[i]);
    if (offset >= s.start && offset <= s.end) return i;
    if (s.start <= offset) best = i;
  }
  return best;
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/**
 * The pod the controller would create on `node`, as YAML with a comment on whether it would be created.
 * `template`: the DaemonSet is in a template (`inTemplatedChunk`), so there is no pod to show, only a note.
 * `target`: the Kubernetes version and feature gates, which decide the template fields the API server
 * drops (the engine's default target when unset).
 */
export function podForNodeYaml(
  ds: ManifestObject,
  node: string,
  cluster: ClusterModel | undefined,
  placement: DaemonSetPlacement | undefined,
  template?: { helm: boolean; name?: string; namespace?: string },
  target: Pick<PlacementOptions, 'featureGates' | 'kubernetesMinor'> = {},
): PodForNodeResult {
  if (template) {
    // As `daemonset-lens pod`: a pod from unrendered YAML would show values that are only placeholders.
    // Named as the preview names it (templateIdentity): as written, never in an invented "default".
    const name = template.name ?? ds.name ?? '';
    const namespace = template.namespace ?? (ds.namespace || templateNamespace(template.helm));
    const note = templatePodNote(template.helm, name ? `${namespace}/${name}` : 'This DaemonSet');
    return { yaml: `# ${note.replace(/[\r\n]+/g, ' ')}\n`, note };
  }
  if (ds.partial) {
    const note = `${ds.namespace || 'default'}/${ds.name ?? ''} is a Kustomize patch: it carries only the fields it changes, so no pod is generated from it. Generate the pod from the output of kustomize build.`;
    return { yaml: `# ${note.replace(/[\r\n]+/g, ' ')}\n`, note };
  }
  const { pod, dropped, runtimeClass } = newDaemonPodOf(ds, node, { ...target, runtimeClasses: cluster?.runtimeClasses });
  const droppedNote = disabledFieldsNote(dropped, targetOf(target).kubernetesMinor);
  const rcNote = runtimeClassPodNote(runtimeClass);
  const v = placement?.nodes.find((n) => n.node === node);
  let note: string | undefined;
  if (!cluster) note = 'No cluster file is in use: the node is not checked.';
  else if (!cluster.nodes.some((n) => n.name === node)) note = `The cluster file has no node named ${node}.`;
  else if (v) {
    const verdict = verdictOf(v);
    if (verdict === 'excluded') note = `The controller would NOT create this pod: ${v.reasons.map((r) => r.message).join('; ') || 'the node does not run this DaemonSet'}.`;
    else if (verdict === 'pending') {
      note = `The pod would be created but stay Pending: ${v.reasons.map((r) => r.message).join('; ')}.`;
      if (v.preemption?.outcome === 'may-preempt') {
        note += ` If priority class ${v.preemption.priorityClassName ?? ''} (not in the cluster or pods file) ranks above ${v.preemption.victims.join(', ')}, the scheduler evicts them and the pod runs.`;
      }
    } else if (verdict === 'rejected') {
      const why = v.reasons.map((r) => (r.kubeletReason ? `${r.message} (${r.kubeletReason})` : r.message)).join('; ');
      const evicts = v.preemption?.outcome === 'preempts' ? `, after the scheduler evicts lower-priority ${v.preemption.victims.join(', ')} to make room` : '';
      note = `The pod would be created and bound to the node${evicts}, then rejected by the kubelet: ${why}. The controller deletes the failed pod and creates it again, with back-off.`;
    } else if (verdict === 'refused') {
      note = `The controller would ask for this pod, but the API server refuses to create it: ${v.reasons.map((r) => r.message).join('; ')}.`;
    } else if (v.preemption?.outcome === 'preempts') {
      note = `The pod runs once the scheduler evicts lower-priority ${v.preemption.victims.join(', ')} (${v.preemption.reasons.map((r) => r.message).join('; ')}).`;
    }
  }
  const header = [
    `# The pod the DaemonSet controller would create for ${ds.namespace || 'default'}/${ds.name ?? ''} on node ${node}:`,
    '# template labels plus pod-template-generation, the injected metadata.name node affinity and the',
    '# automatic tolerations (pkg/controller/daemon/util). The controller also adds the label',
    '# controller-revision-hash (the hash of its current ControllerRevision, not computed here). Generated, read-only.',
    ...(droppedNote ? [`# ${droppedNote}`] : []),
    ...(rcNote ? [`# ${rcNote}`] : []),
    ...(note ? [`# ${note}`] : []),
  ].map((l) => l.replace(/[\r\n]+/g, ' '));
  return { yaml: `${header.join('\n')}\n${stringifyForKubectl(pod)}`, ...(note ? { note } : {}) };
}

// ---------------------------------------------------------------------------------------------
// LSP glue

const clusterDocs = new WeakMap<ClusterModel, TextDocument>();

function clusterInput(ctx: ServerContext): PlacementInput['cluster'] {
  const c = ctx.cluster;
  if (!c?.model) return undefined;
  const model = c.model;
  const open = ctx.documents.get(c.uri);
  let doc: PositionMapper;
  if (open && open.getText() === model.model.text) doc = open;
  else {
    let cached = clusterDocs.get(model);
    if (!cached) clusterDocs.set(model, (cached = TextDocument.create(c.uri, 'yaml', 0, model.model.text)));
    doc = cached;
  }
  return { info: clusterInfo(ctx)!, model, doc };
}

export function clusterInfo(ctx: ServerContext): ClusterFileInfo | undefined {
  const c = ctx.cluster;
  if (!c?.model) return undefined;
  return {
    uri: c.uri,
    source: c.source,
    nodeCount: c.model.nodes.length,
    podCount: c.model.pods.length,
    problems: c.model.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').length,
  };
}

/** The target the settings name (`daemonsetLens.kubernetesVersion`, `daemonsetLens.featureGates`). */
export function settingsTarget(ctx: ServerContext): Target {
  return { featureGates: ctx.settings.featureGates, kubernetesMinor: minorOf(ctx.settings.kubernetesVersion) };
}

/** Placement over the current cluster, shared with the diagnostics' memo. */
export function placementFor(ctx: ServerContext, model: DocumentModel, ds: ManifestObject, cluster: ClusterModel): DaemonSetPlacement | undefined {
  if (ds.partial || inTemplatedChunk(model, ds)) return undefined;
  const target = settingsTarget(ctx);
  if (cluster.nodes.length === 0) return placeDaemonSet(ds, cluster, target);
  return placementOf({ model, ...target, cluster }, ds);
}

export function placementRequest(ctx: ServerContext, uri: string, position?: Position): PlacementResult | null {
  const doc = ctx.documents.get(uri);
  if (!doc) return null;
  const model = ctx.model(doc);
  return buildPlacementResult({
    model,
    doc,
    cluster: clusterInput(ctx),
    ...settingsTarget(ctx),
    offset: position ? doc.offsetAt(position) : undefined,
    place: (ds, cluster) => placementFor(ctx, model, ds, cluster),
  });
}

export const placementHandler: Handler = {
  register(ctx) {
    const { connection, runtime } = ctx;
    connection.onRequest(PlacementRequest, (params, token) => runSafe(runtime, async () => {
      // The preview asks as soon as a file is opened: a listed patch is not placed, so its
      // kustomization is read first (as the diagnostics wait for it).
      await Promise.all([ctx.ready, ctx.kustomize.known(params.uri)]);
      return placementRequest(ctx, params.uri, params.position);
    }, null, `Error while computing the placement of ${params.uri}`, token));

    connection.onRequest(PodForNodeRequest, (params, token) => runSafe(runtime, async () => {
      await Promise.all([ctx.ready, ctx.kustomize.known(params.uri)]);
      const doc = ctx.documents.get(params.uri);
      if (!doc || typeof params.node !== 'string') return null;
      const model = ctx.model(doc);
      const ds = model.daemonSets.find((d) => d.index === params.index);
      if (!ds) return null;
      const cluster = ctx.cluster?.model;
      const placement = cluster ? placementFor(ctx, model, ds, cluster) : undefined;
      const helm = !!model.template?.helm;
      const template = inTemplatedChunk(model, ds) ? { helm, ...templateIdentity(model.text, ds, helm) } : undefined;
      return podForNodeYaml(ds, params.node, cluster, placement, template, settingsTarget(ctx));
    }, null, `Error while generating the pod for ${params.node}`, token));

    connection.onRequest(AddTolerationRequest, (params, token) => runSafe(runtime, async () => {
      await ctx.ready;
      const doc = ctx.documents.get(params.uri);
      const t = params.taint;
      if (!doc || !t || typeof t.key !== 'string' || typeof t.effect !== 'string') return null;
      const ds = ctx.model(doc).daemonSets.find((d) => d.index === params.index);
      if (!ds) return null;
      const taint: Taint = { key: t.key, effect: t.effect, ...(typeof t.value === 'string' && t.value ? { value: t.value } : {}) };
      const fix = addTolerationsFix(doc.getText(), ds, [tolerationFor(taint)], `Add toleration ${formatTaint(taint)}`);
      if (!fix) return null;
      return { title: fix.title, version: doc.version, edits: fix.edits.map((e) => ({ range: toRange(doc, e.span), newText: e.newText })) };
    }, null, `Error while adding a toleration to ${params.uri}`, token));

    connection.onRequest(ClusterFileRequest, (_params, token) => runSafe<ClusterFileResult>(runtime, async () => {
      await ctx.ready;
      const cluster = clusterInfo(ctx);
      return { ...(cluster ? { cluster } : {}), candidates: [...ctx.clusterCandidates], ...(ctx.cluster?.error ? { error: ctx.cluster.error } : {}) };
    }, { candidates: [] }, 'Error while reading the cluster file state', token));

    // Became or stopped being a listed patch: the same text is placed, or not, now.
    ctx.onDocumentsChanged((uris) => void connection.sendNotification(PlacementChangedNotification, { uris }));
  },
};
