/**
 * Placement result -> what the preview renders. Pure: no `vscode`, no DOM, so it is unit-tested on
 * its own and its output is the only thing posted to the webview (which renders it as text).
 */
import {
  countVerdicts,
  IGNORED_REASON,
  PATCH_BASE_TOLERATIONS_NOTE,
  PATCH_LINE,
  PATCH_NOTE,
  PATCH_OWN_TOLERATIONS_NOTE,
  PATCH_TAINT_UNKNOWN,
  placementLine,
  rulesLine,
  TEMPLATE_TAINT_UNKNOWN,
  templateLine,
  templateNote,
  templateTolerationsNote,
  verdictOf,
  type DaemonSetPlacementInfo,
  type Location,
  type PlacementResult,
  type Taint,
  type Toleration,
  type Verdict,
  type WireNode,
  type WireNodeVerdict,
} from '../../../server/src/protocol';

export type { Verdict };
export { placementLine, rulesLine };

/** What a button in the webview asks the extension to do (messages shaped `{ type, … }`). */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'reveal'; target: Location }
  | { type: 'selectDaemonSet'; index: number }
  | { type: 'addToleration'; index: number; taint: Taint }
  | { type: 'showPod'; index: number; node: string }
  | { type: 'command'; command: PanelCommand };

/** The extension commands the panel may run, by their short id (mapped to `daemonsetLens.<id>`). */
export type PanelCommand = 'selectClusterFile' | 'createSampleClusterFile' | 'explainClusterFile';

/** What the extension sends to the webview. */
export type HostMessage =
  | { type: 'update'; model: PreviewModel }
  | { type: 'busy' };

export interface PreviewModel {
  /** placement: a cluster file is in use; rules: no cluster file; empty: nothing to show (see `message`). */
  state: 'placement' | 'rules' | 'empty';
  /** File name of the manifest, for the title. */
  fileName: string;
  fileUri: string;
  message?: string;
  cluster?: { uri: string; fileName: string; nodeCount: number; podCount: number; problems: number; source: 'setting' | 'discovered' };
  summaries: DaemonSetSummary[];
  active?: ActiveDaemonSet;
  /** What changed since the previous result for the same DaemonSet (empty on first show). */
  changes: Change[];
}

export interface DaemonSetSummary {
  index: number;
  name: string;
  namespace: string;
  active: boolean;
  /** Undefined without a cluster file. */
  counts?: { desired: number; runs: number; pending: number; rejected: number; refused?: number; excluded: number; blockedByTaints: number; nodes: number };
  /** One line: "runs on 7 of 9 nodes · 2 blocked by taints" or "tolerates 6 of 11 well-known taints". */
  text: string;
}

export interface ActiveDaemonSet {
  index: number;
  name: string;
  namespace: string;
  link: Location;
  /** Lines worth reading before the nodes: "This daemon set is selecting all pods…". */
  warnings: string[];
  groups: NodeGroup[];
  /**
   * Set for a DaemonSet that is not placed whatever the cluster file (a template, a Kustomize patch):
   * there is no node list to show, not an empty one.
   */
  notPlaced?: true;
  tolerations: TolerationRow[];
  /** Said under the tolerations: in a template, that its own tolerations are known only once rendered. */
  tolerationsNote?: string;
  rules: RuleRow[];
  /** With pods in the cluster file: what the next sync does, and the rolling update. */
  reconcile?: { creates: number; deletes: number; keeps: number; text: string };
  rollingUpdate?: { strategy: string; maxUnavailable: number; maxSurge: number; text: string };
}

export interface NodeGroup {
  /** Stable id: "role:control-plane", "pool:gpu", "os:windows", "other". */
  id: string;
  title: string;
  counts: { runs: number; pending: number; rejected: number; refused?: number; excluded: number };
  nodes: NodeRow[];
}

export interface NodeRow {
  name: string;
  verdict: Verdict;
  /** "Runs", "Pending: Insufficient cpu", "Rejected by the kubelet: os.name …", "Excluded: taint … is not tolerated". */
  headline: string;
  reasons: Array<{ code: string; text: string; link?: Location; taint?: Taint }>;
  notes: string[];
  /** Plan of the next sync on this node, when the cluster file has pods. */
  plan: Array<{ action: 'create' | 'keep' | 'delete'; text: string }>;
  taints: string[];
  labels: string[];
  link?: Location;
  /** Set when this node's row changed in this update: highlight it for a few seconds. */
  changed?: 'added' | 'verdict';
}

/** Lower-case text the filter box searches: name, verdict, reasons, notes, taints, labels, plan. */
export function searchText(n: Omit<NodeRow, 'changed'>): string {
  return [n.name, n.verdict, n.headline, ...n.reasons.map((r) => r.text), ...n.notes, ...n.taints, ...n.labels, ...n.plan.map((p) => p.text)]
    .join('\n')
    .toLowerCase();
}

export interface TolerationRow {
  text: string;
  source: 'manifest' | 'automatic';
  why?: string;
  link?: Location;
}

export interface RuleRow {
  taint: Taint;
  text: string;
  tolerated: boolean;
  /**
   * In a template, for a taint the controller's own tolerations do not cover: whether the pods tolerate
   * it is known only once rendered ("known once rendered"), so it is not said to be not tolerated.
   */
  unknown?: string;
  /** "toleration #2 (manifest)" or "automatic: always". */
  by?: string;
  byLink?: Location;
  description?: string;
  docs?: string;
  nodes: string[];
  wellKnown: boolean;
}

export interface Change {
  kind: 'node-added' | 'node-removed' | 'verdict' | 'toleration-added' | 'toleration-removed' | 'cluster-changed';
  text: string;
  nodes: string[];
}

export interface BuildOptions {
  /** The result shown before this one, for the diff. */
  previous?: PlacementResult | null;
}

/** Builds the preview from a placement result; `result` null means no manifest/DaemonSet to show. */
export function buildPreviewModel(result: PlacementResult | null | undefined, options: BuildOptions = {}): PreviewModel {
  if (!result) {
    return { state: 'empty', fileName: '', fileUri: '', message: 'Open a YAML file with a DaemonSet to see where it runs.', summaries: [], changes: [] };
  }
  const fileName = baseName(result.uri);
  const cluster = result.cluster ? { ...result.cluster, fileName: baseName(result.cluster.uri) } : undefined;
  const base = { fileName, fileUri: result.uri, cluster, changes: [] as Change[] };
  if (result.problem) return { ...base, state: 'empty', message: result.problem, summaries: [] };
  if (result.daemonSets.length === 0) {
    return { ...base, state: 'empty', message: `${fileName} holds no DaemonSet.`, summaries: [] };
  }
  const activePos = result.activeIndex >= 0 && result.activeIndex < result.daemonSets.length ? result.activeIndex : 0;
  const daemonSets = result.daemonSets.map(asControllerActs);
  const summaries = daemonSets.map((ds, i) => summarize(ds, i === activePos));
  const ds = daemonSets[activePos];
  const nodesByName = new Map(result.nodes.map((n) => [n.name, n]));
  const prevFound = options.previous ? findSameDaemonSet(options.previous, result, result.daemonSets[activePos]) : undefined;
  const prevDs = prevFound && asControllerActs(prevFound);
  const changes = prevDs && options.previous ? diff(options.previous, prevDs, result, ds) : [];
  const changedNodes = new Map<string, 'added' | 'verdict'>();
  for (const c of changes) {
    if (c.kind === 'node-added') for (const n of c.nodes) changedNodes.set(n, 'added');
    if (c.kind === 'verdict') for (const n of c.nodes) if (!changedNodes.has(n)) changedNodes.set(n, 'verdict');
  }
  const active: ActiveDaemonSet = {
    index: ds.index,
    name: ds.name,
    namespace: ds.namespace,
    link: { uri: result.uri, range: ds.nameRange },
    warnings: [...(ds.template ? [templateNote(ds.template.helm)] : ds.patch ? [PATCH_NOTE] : []), ...(result.note ? [result.note] : []), ...(ds.placement?.warnings ?? [])],
    groups: ds.placement ? groupNodes(ds, nodesByName, result.uri, changedNodes, !!result.cluster && result.cluster.podCount > 0) : [],
    tolerations: ds.tolerations.map((t) => ({
      text: tolerationText(t.toleration),
      source: t.source,
      why: t.why,
      link: t.range ? { uri: result.uri, range: t.range } : undefined,
    })),
    rules: ds.rules.map((r) => ruleRow(r, ds, result.uri)),
  };
  if (ds.template || ds.patch) active.notPlaced = true;
  // Only the controller's tolerations come with a template (DaemonSetPlacementInfo.tolerations).
  if (ds.template) active.tolerationsNote = templateTolerationsNote(ds.template.helm);
  else if (ds.patch) active.tolerationsNote = ds.baseTolerations ? PATCH_BASE_TOLERATIONS_NOTE : PATCH_OWN_TOLERATIONS_NOTE;
  if (ds.placement && result.cluster && result.cluster.podCount > 0) {
    const p = ds.placement;
    const keeps = p.nodes.reduce((s, n) => s + Math.max(0, n.daemonPods.length - n.delete.length), 0);
    const gone = p.deletesWithoutNode?.length ? ` (${p.deletesWithoutNode.length} of them unbound on a node that no longer exists)` : '';
    active.reconcile = {
      creates: p.sync.creates,
      deletes: p.sync.deletes,
      keeps,
      text: p.ignored
        ? `Next sync: nothing; ${IGNORED_REASON[p.ignored]}${keeps === 1 ? ', and the pod it finds stays as it is' : keeps > 1 ? `, and the ${keeps} pods it finds stay as they are` : ''}.`
        : `Next sync: create ${plural(p.sync.creates, 'pod')}, keep ${keeps}, delete ${p.sync.deletes}${gone}.`,
    };
    active.rollingUpdate = rollingUpdateSummary(p.strategy, p.rollingUpdate, p.desiredNumberScheduled);
    if (p.ignored && active.rollingUpdate) active.rollingUpdate.text = `${p.strategy}: no pod is replaced while the controller does nothing with this DaemonSet.`;
  }
  return { ...base, state: result.cluster ? 'placement' : 'rules', summaries, active, changes };
}

function summarize(ds: DaemonSetPlacementInfo, active: boolean): DaemonSetSummary {
  const out: DaemonSetSummary = { index: ds.index, name: ds.name, namespace: ds.namespace, active, text: '' };
  if (ds.template) {
    out.text = templateLine(ds.template.helm);
  } else if (ds.patch) {
    out.text = PATCH_LINE;
  } else if (ds.placement) {
    const c = countVerdicts(ds.placement.desiredNumberScheduled, ds.placement.nodes);
    out.counts = c;
    out.text = ds.placement.ignored ? `no pod on any node: ${IGNORED_REASON[ds.placement.ignored]}` : placementLine(c);
  } else {
    out.text = rulesLine(ds);
  }
  return out;
}

/** Why the controller does nothing with a DaemonSet, as a reason of each node. */

/**
 * A DaemonSet the controller ignores (pkg/controller/daemon/daemon_controller.go syncDaemonSet returns
 * before manage for a selector that selects everything or a DaemonSet being deleted) has no pod created
 * anywhere, whatever NodeShouldRunDaemonPod answers: every node shows as getting none, and counts so.
 */
function asControllerActs(ds: DaemonSetPlacementInfo): DaemonSetPlacementInfo {
  const p = ds.placement;
  if (!p?.ignored) return ds;
  const why = { code: 'controller-ignores', message: IGNORED_REASON[p.ignored] };
  const nodes = p.nodes.map((v): WireNodeVerdict => {
    const { created: _c, preemption: _p, ...rest } = v;
    return {
      ...rest,
      shouldRun: false,
      // The controller deletes nothing either: no "keeps running until a NoExecute taint" note.
      shouldContinueRunning: false,
      schedulable: null,
      admitted: null,
      // Why the node would get no pod anyway stays; scheduler and kubelet reasons do not apply to no pod.
      reasons: [why, ...(v.shouldRun ? [] : v.reasons)],
      notes: v.daemonPods.length > 0 ? ['Its existing pod stays as it is: the controller neither creates nor deletes pods for this DaemonSet.', ...v.notes] : v.notes,
      create: 0,
      delete: [],
    };
  });
  return { ...ds, placement: { ...p, desiredNumberScheduled: 0, nodes } };
}

function ruleRow(r: DaemonSetPlacementInfo['rules'][number], ds: DaemonSetPlacementInfo, uri: string): RuleRow {
  const t = r.toleratedBy !== undefined ? ds.tolerations[r.toleratedBy] : undefined;
  let by: string | undefined;
  if (t) {
    by = t.source === 'automatic'
      ? `added by the controller${t.why ? ` (${t.why})` : ''}`
      : `toleration ${tolerationText(t.toleration)}`;
  }
  return {
    taint: r.taint,
    text: taintText(r.taint),
    tolerated: !!t,
    ...(!t && ds.template ? { unknown: TEMPLATE_TAINT_UNKNOWN } : !t && ds.baseTolerations ? { unknown: PATCH_TAINT_UNKNOWN } : {}),
    by,
    byLink: t?.range ? { uri, range: t.range } : undefined,
    description: r.description,
    docs: safeDocs(r.docs),
    nodes: r.nodes,
    wellKnown: r.wellKnown,
  };
}

/** Only https links to the Kubernetes docs are rendered as links. */
function safeDocs(url: string | undefined): string | undefined {
  return url && /^https:\/\/kubernetes\.io\//.test(url) ? url : undefined;
}

// ---------------------------------------------------------------------------------------------
// Groups

const ROLE_PREFIX = 'node-role.kubernetes.io/';
/** Node-pool labels of the managed Kubernetes offerings and common provisioners. */
const POOL_LABELS = [
  'cloud.google.com/gke-nodepool',
  'eks.amazonaws.com/nodegroup',
  'alpha.eksctl.io/nodegroup-name',
  'karpenter.sh/nodepool',
  'kubernetes.azure.com/agentpool',
  'agentpool',
  'doks.digitalocean.com/node-pool',
  'node.kubernetes.io/pool',
  'nodepool',
  'pool',
];

/** The group of a node: its role label, else its node pool label, else a non-Linux OS, else "other". */
export function groupOf(labels: Record<string, string>): { id: string; title: string } {
  const roles: string[] = [];
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith(ROLE_PREFIX)) roles.push(k.slice(ROLE_PREFIX.length) || v);
  }
  if (labels['kubernetes.io/role']) roles.push(labels['kubernetes.io/role']);
  const named = roles.filter(Boolean);
  if (named.length > 0) {
    const role = named.find((r) => r === 'control-plane') ?? named.find((r) => r === 'master') ?? named.sort()[0];
    return { id: `role:${role}`, title: `Role: ${role}` };
  }
  for (const key of POOL_LABELS) {
    const v = labels[key];
    if (v) return { id: `pool:${v}`, title: `Node pool: ${v}` };
  }
  const os = labels['kubernetes.io/os'];
  if (os && os !== 'linux') return { id: `os:${os}`, title: `OS: ${os}` };
  return { id: 'other', title: 'Other nodes' };
}

function groupRank(id: string): number {
  if (id === 'role:control-plane' || id === 'role:master') return 0;
  if (id.startsWith('role:')) return 1;
  if (id.startsWith('pool:')) return 2;
  if (id.startsWith('os:')) return 3;
  return 4;
}

const collator = new Intl.Collator('en', { numeric: true });

function groupNodes(
  ds: DaemonSetPlacementInfo,
  nodesByName: Map<string, WireNode>,
  uri: string,
  changed: Map<string, 'added' | 'verdict'>,
  withPods: boolean,
): NodeGroup[] {
  const groups = new Map<string, NodeGroup>();
  for (const v of ds.placement!.nodes) {
    const node = nodesByName.get(v.node);
    const g = groupOf(node?.labels ?? {});
    let group = groups.get(g.id);
    if (!group) {
      group = { id: g.id, title: g.title, counts: { runs: 0, pending: 0, rejected: 0, excluded: 0 }, nodes: [] };
      groups.set(g.id, group);
    }
    const row = nodeRow(v, node, uri, withPods);
    const c = changed.get(v.node);
    if (c) row.changed = c;
    if (row.verdict === 'refused') group.counts.refused = (group.counts.refused ?? 0) + 1;
    else group.counts[row.verdict]++;
    group.nodes.push(row);
  }
  const out = [...groups.values()];
  for (const g of out) g.nodes.sort((a, b) => collator.compare(a.name, b.name));
  out.sort((a, b) => groupRank(a.id) - groupRank(b.id) || collator.compare(a.title, b.title));
  return out;
}

function nodeRow(v: WireNodeVerdict, node: WireNode | undefined, uri: string, withPods: boolean): NodeRow {
  const verdict = verdictOf(v);
  const reasons = v.reasons.map((r) => ({
    code: r.code,
    text: r.message,
    link: r.range ? { uri, range: r.range } : undefined,
    taint: r.code === 'untolerated-taint' ? r.taint : undefined,
  }));
  const notes = [...v.notes];
  if (verdict === 'excluded' && v.shouldContinueRunning && v.daemonPods.length > 0) {
    notes.push('Its existing pod keeps running: only NoExecute taints make the controller delete it.');
  }
  if (verdict === 'rejected') {
    const why = v.reasons.find((r) => r.kubeletReason)?.kubeletReason;
    notes.push(`The controller creates the pod and the scheduler binds it, but the kubelet refuses to run it${why ? ` (${why})` : ''}: the pod fails, and the controller deletes it and creates it again, with back-off.`);
  }
  if (verdict === 'refused') {
    notes.push('The controller asks for the pod, but the API server refuses to create it: no pod exists, and the controller tries again on later syncs (FailedCreate events).');
  }
  const pre = v.preemption;
  if (pre?.outcome === 'preempts') {
    notes.push(`Needs room (${pre.reasons.map((r) => r.message).join('; ')}): the scheduler evicts lower-priority ${pre.victims.join(', ')}.`);
  } else if (pre?.outcome === 'may-preempt') {
    notes.push(`Priority class ${pre.priorityClassName ?? ''} is not in the cluster or pods file: if it ranks above ${pre.victims.join(', ')}, the scheduler evicts them and the pod runs.`);
  }
  let headline: string;
  if (verdict === 'runs') headline = pre?.outcome === 'preempts' ? `Runs after preempting ${pre.victims.length} pod${pre.victims.length === 1 ? '' : 's'}` : 'Runs';
  else if (verdict === 'pending') headline = `Pending: ${reasons[0]?.text ?? 'a scheduler filter fails'}`;
  else if (verdict === 'rejected') headline = `Rejected by the kubelet: ${reasons[0]?.text ?? 'its admission fails'}`;
  else if (verdict === 'refused') headline = `Not created: ${reasons[0]?.text ?? 'the API server refuses the pod'}`;
  else headline = `Excluded: ${reasons[0]?.text ?? 'the controller does not create a pod'}`;
  const plan: NodeRow['plan'] = [];
  if (withPods) {
    if (v.create > 0) plan.push({ action: 'create', text: 'create a pod' });
    const deleting = new Set(v.delete);
    for (const p of v.daemonPods) if (!deleting.has(p)) plan.push({ action: 'keep', text: `keep ${p}` });
    const outdated = new Set(v.replaced ?? []);
    for (const p of v.delete) {
      let why: string;
      if (outdated.has(p)) why = 'outdated: the rolling update replaces it';
      else why = v.shouldContinueRunning ? 'extra, failed or succeeded pod' : 'the node no longer runs this DaemonSet';
      plan.push({ action: 'delete', text: `delete ${p} (${why})` });
    }
  }
  const taints = (node?.taints ?? []).map(taintText);
  const labels = Object.entries(node?.labels ?? {}).map(([k, val]) => (val ? `${k}=${val}` : k));
  return { name: v.node, verdict, headline, reasons, notes, plan, taints, labels, link: node?.location };
}

function rollingUpdateSummary(strategy: string, ru: { maxUnavailable: number; maxSurge: number }, desired: number): ActiveDaemonSet['rollingUpdate'] {
  if (strategy !== 'RollingUpdate') {
    return { strategy, maxUnavailable: 0, maxSurge: 0, text: `${strategy}: pods are replaced only when you delete them.` };
  }
  // pkg/controller/daemon/update.go rollingUpdate: maxSurge == 0 deletes first, up to maxUnavailable;
  // maxSurge > 0 takes the surge path, which never reads maxUnavailable.
  let text = ru.maxSurge > 0
    ? `RollingUpdate: a new pod is started on up to ${plural(ru.maxSurge, 'node')} at a time before the old one is deleted (${desired} desired).`
    : `RollingUpdate: up to ${plural(ru.maxUnavailable, 'node')} at a time without a ready pod (old pod deleted first, ${desired} desired).`;
  // Both above zero only when both are set (a maxUnavailable of 1 is forced only when both resolve to 0),
  // which pkg/apis/apps/validation ValidateRollingUpdateDaemonSet refuses.
  if (ru.maxSurge > 0 && ru.maxUnavailable > 0) {
    text += ` maxUnavailable (${ru.maxUnavailable}) plays no part once maxSurge is set, and the API server refuses both at once: maxSurge may not be set when maxUnavailable is non-zero.`;
  }
  return { strategy, maxUnavailable: ru.maxUnavailable, maxSurge: ru.maxSurge, text };
}

// ---------------------------------------------------------------------------------------------
// Diff against the previous result

function findSameDaemonSet(prev: PlacementResult, next: PlacementResult, ds: DaemonSetPlacementInfo): DaemonSetPlacementInfo | undefined {
  if (prev.uri !== next.uri) return undefined;
  const byName = prev.daemonSets.find((p) => p.name === ds.name && p.namespace === ds.namespace);
  if (byName) return byName;
  // Renamed while typing: the same position in the file is the same DaemonSet.
  const pos = next.daemonSets.indexOf(ds);
  return prev.daemonSets.length === next.daemonSets.length ? prev.daemonSets[pos] : undefined;
}

function diff(prevResult: PlacementResult, prev: DaemonSetPlacementInfo, nextResult: PlacementResult, next: DaemonSetPlacementInfo): Change[] {
  const changes: Change[] = [];
  const prevTol = new Set(prev.tolerations.filter((t) => t.source === 'manifest').map((t) => tolerationText(t.toleration)));
  const nextTol = new Set(next.tolerations.filter((t) => t.source === 'manifest').map((t) => tolerationText(t.toleration)));
  const added = [...nextTol].filter((t) => !prevTol.has(t));
  const removed = [...prevTol].filter((t) => !nextTol.has(t));
  if (added.length > 0) changes.push({ kind: 'toleration-added', text: `Toleration added: ${added.join(', ')}.`, nodes: [] });
  if (removed.length > 0) changes.push({ kind: 'toleration-removed', text: `Toleration removed: ${removed.join(', ')}.`, nodes: [] });
  if (!prev.placement || !next.placement) return changes;
  if (prevResult.cluster?.uri !== nextResult.cluster?.uri) {
    changes.push({ kind: 'cluster-changed', text: `Now using the cluster file ${baseName(nextResult.cluster?.uri ?? '')}.`, nodes: [] });
    return changes;
  }
  const before = new Map(prev.placement.nodes.map((v) => [v.node, v]));
  const after = new Map(next.placement.nodes.map((v) => [v.node, v]));
  const addedNodes: Record<Verdict, string[]> = { runs: [], pending: [], rejected: [], refused: [], excluded: [] };
  for (const [name, v] of after) if (!before.has(name)) addedNodes[verdictOf(v)].push(name);
  const removedWithPod: string[] = [];
  const removedWithout: string[] = [];
  for (const [name, v] of before) {
    if (after.has(name)) continue;
    (v.daemonPods.length > 0 || v.shouldRun ? removedWithPod : removedWithout).push(name);
  }
  if (addedNodes.runs.length) changes.push({ kind: 'node-added', text: `${nodeList(addedNodes.runs)} added: a pod will be created.`, nodes: addedNodes.runs });
  if (addedNodes.pending.length) changes.push({ kind: 'node-added', text: `${nodeList(addedNodes.pending)} added: a pod will be created but stay Pending.`, nodes: addedNodes.pending });
  if (addedNodes.rejected.length) changes.push({ kind: 'node-added', text: `${nodeList(addedNodes.rejected)} added: a pod will be created and rejected by the kubelet.`, nodes: addedNodes.rejected });
  if (addedNodes.refused.length) changes.push({ kind: 'node-added', text: `${nodeList(addedNodes.refused)} added: the API server refuses the pod.`, nodes: addedNodes.refused });
  if (addedNodes.excluded.length) changes.push({ kind: 'node-added', text: `${nodeList(addedNodes.excluded)} added: no pod (excluded).`, nodes: addedNodes.excluded });
  if (removedWithPod.length) changes.push({ kind: 'node-removed', text: `${nodeList(removedWithPod)} removed: ${removedWithPod.length === 1 ? 'its pod is' : 'their pods are'} garbage-collected.`, nodes: removedWithPod });
  if (removedWithout.length) changes.push({ kind: 'node-removed', text: `${nodeList(removedWithout)} removed (${removedWithout.length === 1 ? 'it' : 'they'} ran no pod).`, nodes: removedWithout });
  const transitions = new Map<string, string[]>();
  for (const [name, v] of after) {
    const old = before.get(name);
    if (!old) continue;
    const from = verdictOf(old);
    const to = verdictOf(v);
    if (from === to) continue;
    const key = `${from}>${to}`;
    const list = transitions.get(key) ?? [];
    list.push(name);
    transitions.set(key, list);
  }
  const cause = added.length > 0 ? ` after toleration ${added.join(', ')} was added` : removed.length > 0 ? ` after toleration ${removed.join(', ')} was removed` : '';
  for (const [key, nodes] of transitions) {
    const [from, to] = key.split('>') as [Verdict, Verdict];
    nodes.sort(collator.compare);
    changes.push({ kind: 'verdict', text: `${nodeList(nodes)}: ${from} → ${to}${cause}.`, nodes });
  }
  return changes;
}

function nodeList(nodes: string[]): string {
  const shown = nodes.slice(0, 5).join(', ');
  const word = nodes.length === 1 ? 'Node' : 'Nodes';
  return nodes.length > 5 ? `${word} ${shown} and ${nodes.length - 5} more` : `${word} ${shown}`;
}

// ---------------------------------------------------------------------------------------------
// Text

export function taintText(t: Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

/** `key=value:Effect`, `key:Effect (Exists)`, `(all taints)` for a key-less Exists. */
export function tolerationText(t: Toleration): string {
  const op = t.operator || 'Equal';
  const effect = t.effect ? `:${t.effect}` : ' (any effect)';
  const secs = t.tolerationSeconds !== undefined ? ` for ${t.tolerationSeconds}s` : '';
  if (!t.key) return op === 'Exists' ? `every taint${t.effect ? ` with effect ${t.effect}` : ''}${secs}` : `value ${t.value ?? ''}${effect}${secs}`;
  if (op === 'Exists') return `${t.key}${effect} (any value)${secs}`;
  if (op === 'Equal') return `${t.key}=${t.value ?? ''}${effect}${secs}`;
  return `${t.key} ${op} ${t.value ?? ''}${effect}${secs}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function baseName(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
