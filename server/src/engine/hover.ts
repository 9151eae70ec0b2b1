/**
 * Hover texts: what a toleration key, effect or operator, a taint of the cluster file, a node label
 * (nodeSelector, required node affinity, node labels), `hostNetwork` or the pod's `os` means, whether the DaemonSet
 * controller already adds the toleration (AddOrUpdateDaemonPodTolerations), and, with a cluster file,
 * which nodes carry it or match.
 *
 * The answers of an indexed object can be computed ahead, for one context (`prepareHovers`): a
 * hover there then only finds its token and reads its answer.
 */
import { indexedTokenAt, nodeAt, tokenIndexOf, tokenHit, tokenSegment, tokenSpan, type NodeHit, type PreparedAnswers } from './nodeAt';
import { parseCluster } from './cluster';
import { isPlainObject, type DocumentModel, type ManifestObject } from './model';
import { getRequiredNodeAffinity, newRequirement, requirementMatches } from './placement/nodeAffinity';
import { addOrUpdateDaemonPodTolerations, daemonPodTolerations, formatTaint, matchToleration, comparisonOperatorsEnabled, readToleration, toleratesTaint } from './placement/tolerations';
import type { ClusterModel, ClusterNode, Toleration } from './placement/types';
import {
  DAEMONSET_TAINTS_URL, defaultTolerationText, EFFECT_DOCS, OPERATOR_DOCS, POD_OS_URL, TAINTS_CONCEPT_URL, wellKnownNodeLabel, wellKnownTaint,
} from './taints';
import { couldSelectNodeOfOS } from './rules/osWithoutNodeSelector';
import { VALID_OS } from './rules/podOs';
import type { Span } from './types';
import { countOf } from './text';

export interface HoverContext {
  cluster?: ClusterModel;
  /** The document is the cluster file itself. */
  isClusterFile?: boolean;
  featureGates?: Readonly<Record<string, boolean>>;
  /** Target Kubernetes minor (the default target's when absent): decides the gates with `featureGates`. */
  kubernetesMinor?: number;
}

export interface HoverResult {
  markdown: string;
  span: Span;
}

const POD_SPEC = ['spec', 'template', 'spec'];
/** The pod spec fields whose keys and values a hover explains (each has its branch in `hoverFor`). */
const EXPLAINED_POD_FIELDS = new Set<string | number | undefined>(['hostNetwork', 'tolerations', 'nodeSelector', 'affinity', 'os']);

function startsWith(path: ReadonlyArray<string | number>, prefix: readonly string[]): boolean {
  return prefix.every((p, i) => path[i] === p);
}

/** The nodes of the cluster: the given cluster, or this file when it is the cluster file. */
function clusterFor(model: DocumentModel, ctx: HoverContext): ClusterModel | undefined {
  if (ctx.cluster) return ctx.cluster;
  if (ctx.isClusterFile) return parseCluster(model);
  return undefined;
}

function nodeNames(nodes: readonly ClusterNode[], max = 8): string {
  const names = nodes.map((n) => `\`${n.name}\``);
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

function docsLink(url: string, label = 'Kubernetes documentation'): string {
  return `[${label}](${url})`;
}

/** Markdown explaining a taint key (catalogue, default toleration, nodes that carry it). */
export function taintKeyMarkdown(key: string, cluster?: ClusterModel): string {
  const { parts, link } = taintKeyParts(key, cluster);
  return [...parts, link].join('\n\n');
}

/**
 * The paragraphs of `taintKeyMarkdown` and its documentation link apart (a toleration's hover adds
 * its own paragraphs before the link), and how many nodes of the cluster carry the key.
 */
function taintKeyParts(key: string, cluster?: ClusterModel, ofToleration = false): { parts: string[]; link: string; carriers: number } {
  const wk = wellKnownTaint(key);
  const parts: string[] = [];
  if (wk) {
    parts.push(`**\`${key}\`** — ${wk.autoscaler ? 'taint of a node autoscaler' : 'well-known taint'} (${wk.effects.join(', ')})${wk.deprecated ? ' — *deprecated*' : ''}`);
    parts.push(wk.meaning);
    parts.push(`*Set by:* ${wk.setBy}`);
  } else if (key) {
    parts.push(`**\`${key}\`** — taint key`);
    parts.push('Not a well-known Kubernetes taint: set by an operator, an installer or a cloud provider (`kubectl taint nodes …`).');
  } else {
    parts.push('**(no key)** — with `operator: Exists`, this toleration matches **every** taint key.');
  }
  if (key) parts.push(defaultTolerationText(key, ofToleration));
  const carriers = cluster ? cluster.nodes.filter((n) => n.taints.some((t) => t.key === key)) : [];
  if (cluster) {
    if (carriers.length) {
      const forms = [...new Set(carriers.flatMap((n) => n.taints.filter((t) => t.key === key).map(formatTaint)))];
      parts.push(`*In the cluster file:* ${carriers.length} of ${cluster.nodes.length} nodes carry ${forms.map((f) => `\`${f}\``).join(', ')}: ${nodeNames(carriers)}.`);
    } else if (key) {
      parts.push(`*In the cluster file:* no node carries this taint (${countOf(cluster.nodes.length, 'node')}).`);
    }
  }
  return { parts, link: docsLink(wk?.docs ?? TAINTS_CONCEPT_URL, wk ? (wk.autoscaler ? 'Autoscaler documentation' : 'Kubernetes documentation') : 'Taints and tolerations'), carriers: carriers.length };
}

function tolerationSummary(t: Toleration): string {
  const key = t.key ? `\`${t.key}\`` : 'every key';
  // toleration.go compareNumericValues: Lt tolerates a taint whose value is less than the toleration's, Gt one greater.
  const val = t.operator === 'Exists' ? 'any value' : t.operator === 'Lt' || t.operator === 'Gt' ? `value ${t.operator === 'Lt' ? '<' : '>'} ${t.value ?? ''}` : `value \`${t.value ?? ''}\``;
  const eff = t.effect ? `effect ${t.effect}` : 'every effect';
  return `Tolerates taints with ${key}, ${val}, ${eff}.`;
}

function tolerationClusterText(t: Toleration, cluster: ClusterModel, gate: boolean): string {
  const tolerated = cluster.nodes.filter((n) => n.taints.some((taint) => toleratesTaint(t, taint, gate)));
  if (!tolerated.length) return `*In the cluster file:* it matches no taint of the ${countOf(cluster.nodes.length, 'node')}.`;
  const forms = [...new Set(tolerated.flatMap((n) => n.taints.filter((taint) => toleratesTaint(t, taint, gate)).map(formatTaint)))];
  return `*In the cluster file:* it tolerates ${forms.slice(0, 6).map((f) => `\`${f}\``).join(', ')}${forms.length > 6 ? '…' : ''} on ${nodeNames(tolerated)}.`;
}

/** Markdown for a node label key (and value), with the nodes that carry or match it. */
export function labelMarkdown(key: string, value: string | undefined, cluster?: ClusterModel, where = 'nodeSelector'): string {
  const wk = wellKnownNodeLabel(key);
  const parts: string[] = [];
  parts.push(`**\`${key}${value !== undefined ? `=${value}` : ''}\`** — ${wk ? 'well-known node label' : 'node label'}${wk?.deprecated ? ' — *deprecated*' : ''}`);
  if (wk) {
    parts.push(wk.meaning);
    parts.push(`*Set by:* ${wk.setBy}`);
  }
  if (where === 'nodeSelector') parts.push('`nodeSelector` keeps only nodes whose label has exactly this value; the DaemonSet controller checks it before taints (NodeShouldRunDaemonPod).');
  if (cluster) {
    const withKey = cluster.nodes.filter((n) => Object.prototype.hasOwnProperty.call(n.labels, key));
    if (value !== undefined && where !== 'node') {
      const match = withKey.filter((n) => n.labels[key] === value);
      parts.push(`*In the cluster file:* ${match.length} of ${cluster.nodes.length} nodes match${match.length ? `: ${nodeNames(match)}` : ''}.`);
    }
    if (withKey.length) {
      const counts = new Map<string, number>();
      for (const n of withKey) counts.set(n.labels[key], (counts.get(n.labels[key]) ?? 0) + 1);
      const vals = [...counts].slice(0, 8).map(([v, c]) => `\`${v === '' ? '""' : v}\` (${c})`).join(', ');
      parts.push(`Values on the ${withKey.length} node${withKey.length === 1 ? '' : 's'} that carry it: ${vals}.`);
    } else {
      parts.push(`No node of the cluster file carries \`${key}\`.`);
    }
  }
  if (wk) parts.push(docsLink(wk.docs));
  return parts.join('\n\n');
}

function hostNetworkMarkdown(value: unknown): string {
  return [
    `**\`hostNetwork\`**${value === true ? ': true' : value === false ? ': false' : ''}`,
    'The pods use the node\'s network namespace.',
    'For a DaemonSet this also changes the default tolerations: with `hostNetwork: true` the controller adds `node.kubernetes.io/network-unavailable:NoSchedule` (operator Exists) to every daemon pod (AddOrUpdateDaemonPodTolerations), so network plugins that run on the host network start on nodes whose network is not configured yet. Without it, a network plugin agent must tolerate that taint explicitly.',
    docsLink(DAEMONSET_TAINTS_URL, 'DaemonSet taints and tolerations'),
  ].join('\n\n');
}

/**
 * On `os` and `os.name`: what the field does (API validation, kubelet admission) and what it does not
 * (placement), whether this DaemonSet's node selection keeps the pods on nodes of that OS, and with a
 * cluster file which nodes run which OS.
 */
function osMarkdown(obj: ManifestObject, cluster: ClusterModel | undefined): string {
  const spec = valueAtPath(obj, POD_SPEC);
  const podSpec = isPlainObject(spec) ? spec : {};
  const os = isPlainObject(podSpec.os) && typeof podSpec.os.name === 'string' ? podSpec.os.name : undefined;
  const parts = [
    `**\`os.name\`**${os ? `: \`${os}\`` : ''} — the operating system of the pod's containers (linux or windows).`,
    'The API server validates the pod against it: with `windows` it rejects Linux-only fields (`hostPID`, `hostIPC`, `hostUsers`, `shareProcessNamespace`, `securityContext.seLinuxOptions`, `seccompProfile`, `runAsUser`, `runAsGroup`, `fsGroup`, `sysctls`, container `capabilities`, `privileged`, …: validateWindows); with `linux`, `securityContext.windowsOptions` (validateLinux). The kubelet checks it at admission and rejects the pod on a node of another OS (`PodOSNotSupported`).',
    '**It does not steer scheduling:** neither the DaemonSet controller nor the scheduler reads it, so a pod is created on every node the nodeSelector and node affinity allow, whatever its OS. Keep the pods on their OS with `nodeSelector: kubernetes.io/os: …`.',
  ];
  if (os !== undefined && !VALID_OS.includes(os)) {
    parts.push(`\`${os}\` is not an OS the API server accepts: use ${VALID_OS.map((o) => `\`${o}\``).join(' or ')}.`);
  } else if (os !== undefined) {
    const other = VALID_OS.find((o) => o !== os)!;
    parts.push(couldSelectNodeOfOS(getRequiredNodeAffinity(podSpec), other)
      ? `This DaemonSet's nodeSelector and required node affinity do **not** keep its pods off ${other} nodes.`
      : `This DaemonSet's nodeSelector or required node affinity keeps its pods on ${os} nodes.`);
    if (cluster) {
      const same = cluster.nodes.filter((n) => n.os === os);
      const others = cluster.nodes.filter((n) => n.os !== undefined && n.os !== os);
      const unknown = cluster.nodes.length - same.length - others.length;
      parts.push(`*In the cluster file:* ${same.length} of ${countOf(cluster.nodes.length, 'node')} ${same.length === 1 ? 'runs' : 'run'} ${os}${same.length ? `: ${nodeNames(same)}` : ''}` +
        `${others.length ? `; ${others.length} ${others.length === 1 ? 'runs' : 'run'} another OS: ${nodeNames(others)}` : ''}${unknown ? `; ${countOf(unknown, 'node')} ${unknown === 1 ? 'does' : 'do'} not say` : ''}.`);
    }
  }
  parts.push(docsLink(POD_OS_URL, 'Pod OS'));
  return parts.join('\n\n');
}

/** On the `tolerations` key: what the controller adds to them, and what the daemon pods tolerate in the cluster. */
function tolerationsKeyMarkdown(obj: ManifestObject, cluster: ClusterModel | undefined, gate: boolean): string {
  const spec = valueAtPath(obj, POD_SPEC);
  const podSpec = isPlainObject(spec) ? spec : {};
  const hostNetwork = podSpec.hostNetwork === true;
  const user = Array.isArray(podSpec.tolerations) ? podSpec.tolerations.map(readToleration).filter((t): t is Toleration => !!t) : [];
  const effective = addOrUpdateDaemonPodTolerations(user, hostNetwork);
  const added = effective.filter((t) => !user.includes(t));
  const parts = [
    '**`tolerations`** — the taints these pods accept.',
    `The DaemonSet controller adds${hostNetwork ? '' : ' (without `hostNetwork: true`, network-unavailable is not among them)'}:\n\n${added.map((t) => `- \`${t.key}:${t.effect}\` (Exists)`).join('\n')}`,
  ];
  if (cluster) {
    const blocked = cluster.nodes
      .map((n) => ({ n, ts: n.taints.filter((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !effective.some((x) => toleratesTaint(x, t, gate))) }))
      .filter((x) => x.ts.length);
    parts.push(blocked.length
      ? `*In the cluster file:* taints not tolerated on ${blocked.slice(0, 8).map((b) => `\`${b.n.name}\` (${b.ts.map(formatTaint).join(', ')})`).join(', ')}${blocked.length > 8 ? '…' : ''}.`
      : `*In the cluster file:* every NoSchedule/NoExecute taint of the ${countOf(cluster.nodes.length, 'node')} is tolerated.`);
  }
  parts.push(docsLink(DAEMONSET_TAINTS_URL, 'DaemonSet taints and tolerations'));
  return parts.join('\n\n');
}

/** Whether the controller already gives the daemon pods this toleration (AddOrUpdateDaemonPodTolerations). */
function alreadyAddedText(obj: ManifestObject, t: Toleration): string | undefined {
  const spec = valueAtPath(obj, POD_SPEC);
  const hostNetwork = isPlainObject(spec) && spec.hostNetwork === true;
  const d = daemonPodTolerations(hostNetwork).find((x) => x.key === t.key && (!t.effect || x.effect === t.effect));
  if (!d) return undefined;
  if (matchToleration(d, t)) {
    return `**This DaemonSet already gets this toleration from the controller**${t.tolerationSeconds !== undefined ? ', which replaces yours and drops its `tolerationSeconds`' : ''}: it can be removed.`;
  }
  return `The controller already adds \`${d.key}:${d.effect}\` (Exists) to these pods${hostNetwork && d.key === 'node.kubernetes.io/network-unavailable' ? ' because of `hostNetwork: true`' : ''}.`;
}

function tolerationAt(obj: ManifestObject, path: ReadonlyArray<string | number>): Toleration | undefined {
  let v: unknown = obj.value;
  for (const s of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return readToleration(v);
}

function valueAtPath(obj: ManifestObject, path: ReadonlyArray<string | number>): unknown {
  let v: unknown = obj.value;
  for (const s of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}

/** The hover at `offset`, or undefined where there is nothing to explain. Never throws. */
export function hoverAt(model: DocumentModel, offset: number, ctx: HoverContext = {}): HoverResult | undefined {
  try {
    const token = indexedTokenAt(model, offset);
    const texts = token && preparedFor(token.ix.answers, ctx);
    if (texts) {
      const markdown = texts[token.at];
      return markdown === undefined ? undefined : { markdown, span: tokenSpan(token.obj, token.ix, token.at) };
    }
    const hit = nodeAt(model, offset);
    return hit && hoverFor(model, hit, ctx);
  } catch {
    return undefined;
  }
}

/**
 * What a prepared answer depends on besides its object: the hover context's fields, compared by
 * identity (the server passes the same cluster model and feature gates until they change).
 */
export function hoverInputs(ctx: HoverContext): unknown[] {
  return [ctx.cluster, ctx.featureGates, ctx.kubernetesMinor, !!ctx.isClusterFile];
}

/** Whether two `hoverInputs` are the same: the same objects, in the same places. */
export function sameHoverInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The object's answers for `ctx`, once all are computed. */
function preparedFor(answers: PreparedAnswers | undefined, ctx: HoverContext): ReadonlyArray<string | undefined> | undefined {
  return answers && answers.next === answers.texts.length && sameHoverInputs(answers.inputs, hoverInputs(ctx)) ? answers.texts : undefined;
}

/** What `prepareHovers` did: nothing to do, all answers computed, or stopped before the end (call again). */
export type Prepared = 'none' | 'done' | 'more';

/**
 * Computes the hover of every token of an indexed object ahead (see indexObject), so that a hover
 * there only finds its token: on a large file, between two hovers the code and the data a hover
 * reads are no longer in the CPU's caches, and reading less is what makes it fast. Equal answers
 * share one string through `shared` (a toleration's hover is the same in every DaemonSet that has
 * it). Nothing to do without an index, with answers already there for this context, or for nodes
 * without the cluster model (their answers depend on the whole file). Stops when `stop()` says so,
 * and the next call for the same context carries on.
 */
export function prepareHovers(model: DocumentModel, obj: ManifestObject, ctx: HoverContext, shared: Map<string, string>, stop: () => boolean = () => false): Prepared {
  const ix = tokenIndexOf(obj);
  if (!ix || preparedFor(ix.answers, ctx) || (!ctx.cluster && (ctx.isClusterFile || obj.kind === 'Node'))) return 'none';
  // Carry on where a call for the same inputs stopped.
  const answers = ix.answers && sameHoverInputs(ix.answers.inputs, hoverInputs(ctx)) ? ix.answers : { inputs: hoverInputs(ctx), texts: new Array<string | undefined>(ix.nodes.length), next: 0 };
  ix.answers = answers;
  const { texts } = answers;
  const isClusterFile = !!ctx.isClusterFile;
  let step = 0;
  for (; answers.next < texts.length; answers.next++) {
    const at = answers.next;
    // How long this takes grows with the object and the cluster: an object with thousands of
    // tolerations against thousands of nodes must not hold the server up (each call gets 63 done).
    if (++step % 64 === 0 && stop()) return 'more';
    if (!mayExplain(obj.kind, isClusterFile, (i) => tokenSegment(ix, at, i))) continue;
    let markdown: string | undefined;
    try {
      markdown = hoverFor(model, tokenHit(obj, ix, at), ctx)?.markdown;
    } catch {
      markdown = undefined;
    }
    if (markdown === undefined) continue;
    const known = shared.get(markdown);
    if (known === undefined) shared.set(markdown, markdown);
    texts[at] = known ?? markdown;
  }
  return 'done';
}

/**
 * Whether `hoverFor` may explain something at a path of an object of `kind`, given the path's
 * segments (`segment(i)` is `path[i]`): its branches, by the first segments they look at.
 */
function mayExplain(kind: string | undefined, isClusterFile: boolean, segment: (i: number) => string | number | undefined): boolean {
  if (kind === 'Node' || isClusterFile) {
    if (segment(0) === 'spec' && segment(1) === 'taints') return true;
    if (segment(0) === 'metadata' && segment(1) === 'labels') return true;
    if (kind === 'Node') return false;
  }
  return kind === 'DaemonSet' && POD_SPEC.every((p, i) => segment(i) === p) && EXPLAINED_POD_FIELDS.has(segment(POD_SPEC.length));
}

/**
 * The hovers `prepareHovers` computed for `ctx`, in file order, once every object has them: at every
 * offset of a listed span (its end included), `hoverAt` answers that span's hover. Objects that
 * cannot be indexed, documents with syntax errors, and a token that begins where the one before it
 * ends (`hoverAt` answers the one before there) are left out: `hoverAt` answers for them. Undefined
 * while an object has no answers for `ctx` yet.
 */
export function preparedHovers(model: DocumentModel, ctx: HoverContext): HoverResult[] | undefined {
  const out: HoverResult[] = [];
  for (const obj of model.objects) {
    const ix = tokenIndexOf(obj);
    if (ix === null) continue;
    const texts = ix && preparedFor(ix.answers, ctx);
    if (!ix || !texts) return undefined;
    for (let at = 0; at < texts.length; at++) {
      const markdown = texts[at];
      if (markdown !== undefined && (at === 0 || ix.ends[at - 1] < ix.starts[at])) out.push({ markdown, span: tokenSpan(obj, ix, at) });
    }
  }
  return out;
}

function hoverFor(model: DocumentModel, hit: NodeHit, ctx: HoverContext): HoverResult | undefined {
  const { obj, path, on, text, span } = hit;
  if (!mayExplain(obj.kind, !!ctx.isClusterFile, (i) => path[i])) return undefined;
  const comparison = comparisonOperatorsEnabled(ctx);

  // Cluster file: taints and labels of nodes.
  if (obj.kind === 'Node' || (ctx.isClusterFile && !startsWith(path, POD_SPEC))) {
    const cluster = clusterFor(model, { ...ctx, isClusterFile: true });
    if (path[0] === 'spec' && path[1] === 'taints' && typeof path[2] === 'number') {
      const taint = valueAtPath(obj, path.slice(0, 3));
      const t = isPlainObject(taint) ? taint : {};
      const field = path[3];
      const key = typeof t.key === 'string' ? t.key : '';
      if (field === 'effect' && on === 'value' && text && EFFECT_DOCS[text]) {
        return { markdown: `**\`${text}\`** — taint effect\n\n${EFFECT_DOCS[text]}\n\n${docsLink(TAINTS_CONCEPT_URL, 'Taints and tolerations')}`, span };
      }
      if (!key) return undefined;
      return { markdown: taintKeyMarkdown(key, cluster), span };
    }
    if (path[0] === 'metadata' && path[1] === 'labels' && typeof path[2] === 'string') {
      const v = valueAtPath(obj, path.slice(0, 3));
      return { markdown: labelMarkdown(path[2], typeof v === 'string' ? v : undefined, cluster, 'node'), span };
    }
    if (obj.kind === 'Node') return undefined;
  }

  if (obj.kind !== 'DaemonSet' || !startsWith(path, POD_SPEC)) return undefined;
  const rest = path.slice(POD_SPEC.length);
  const cluster = clusterFor(model, ctx);

  if (rest[0] === 'hostNetwork' && rest.length === 1) {
    return { markdown: hostNetworkMarkdown(valueAtPath(obj, path)), span };
  }

  if (rest[0] === 'os' && (rest.length === 1 || (rest[1] === 'name' && rest.length === 2))) {
    return { markdown: osMarkdown(obj, cluster), span };
  }

  if (rest[0] === 'tolerations' && rest.length === 1 && on === 'key') {
    return { markdown: tolerationsKeyMarkdown(obj, cluster, comparison), span };
  }

  if (rest[0] === 'tolerations' && typeof rest[1] === 'number') {
    const t = tolerationAt(obj, path.slice(0, POD_SPEC.length + 2));
    if (!t) return undefined;
    const field = rest[2];
    const parts: string[] = [];
    // An empty value (`effect:`, `operator: ""`) is no value: toleration.go ToleratesTaint matches every
    // effect when Effect is empty, and reads an empty Operator as Equal.
    if (field === 'effect' && on === 'value' && text === '') {
      parts.push('**`effect`** is empty: the toleration matches every effect (NoSchedule, PreferNoSchedule and NoExecute).');
    } else if (field === 'operator' && on === 'value' && text === '') {
      parts.push(`**\`operator\`** is empty: it means \`Equal\`.\n\n${OPERATOR_DOCS.Equal}`);
    } else if (field === 'effect' && on === 'value' && text !== undefined) {
      const d = EFFECT_DOCS[text];
      parts.push(d ? `**\`${text}\`** — taint effect\n\n${d}` : `**\`${text}\`** is not a taint effect: use NoSchedule, PreferNoSchedule or NoExecute (or leave \`effect\` empty to match every effect).`);
    } else if (field === 'operator' && on === 'value' && text !== undefined) {
      const d = OPERATOR_DOCS[text];
      parts.push(d ? `**\`${text}\`** — toleration operator\n\n${d}` : `**\`${text}\`** is not a toleration operator: use Equal or Exists.`);
    } else if (field === 'key' || (field === undefined && t.key !== undefined)) {
      const about = taintKeyParts(t.key ?? '', cluster, true);
      // validateTolerations: an empty key requires operator Exists (the API server rejects the rest).
      if (!t.key && t.operator !== 'Exists') about.parts[0] = '**(no key)** — a toleration without a key must have `operator: Exists` (it then matches every taint key); the API server rejects it as written.';
      parts.push(...about.parts);
      parts.push(tolerationSummary(t));
      const already = alreadyAddedText(obj, t);
      if (already) parts.push(already);
      // A key no node carries: the key's paragraph already says so, and the toleration can match nothing.
      if (cluster && (!t.key || about.carriers > 0)) parts.push(tolerationClusterText(t, cluster, comparison));
      parts.push(about.link);
      return { markdown: parts.join('\n\n'), span };
    } else if (field === 'tolerationSeconds') {
      parts.push('**`tolerationSeconds`** — how long a pod stays bound to a node after a matching NoExecute taint appears (only with `effect: NoExecute`). The DaemonSet controller ignores it when deciding where pods run; eviction is done by the taint-eviction controller. For `node.kubernetes.io/not-ready` and `unreachable` NoExecute tolerations the controller replaces the toleration with its own, without a limit.');
      return { markdown: parts.join('\n\n'), span };
    } else {
      parts.push(tolerationSummary(t));
      if (!t.key && t.operator === 'Exists') parts.push('A key-less `Exists` toleration matches every taint' + (t.effect ? ` with effect ${t.effect}.` : ', NoExecute included: the pods are never evicted by taints.'));
      if (cluster) parts.push(tolerationClusterText(t, cluster, comparison));
      return { markdown: parts.join('\n\n'), span };
    }
    parts.push(tolerationSummary(t));
    if (cluster) parts.push(tolerationClusterText(t, cluster, comparison));
    parts.push(docsLink(TAINTS_CONCEPT_URL, 'Taints and tolerations'));
    return { markdown: parts.join('\n\n'), span };
  }

  if (rest[0] === 'nodeSelector' && typeof rest[1] === 'string') {
    const v = valueAtPath(obj, path.slice(0, POD_SPEC.length + 2));
    return { markdown: labelMarkdown(rest[1], v === null || v === undefined ? '' : String(v), cluster), span };
  }

  // Required or preferred node affinity expressions: the label key, its operator and values.
  const me = rest.indexOf('matchExpressions');
  if (rest[0] === 'affinity' && rest[1] === 'nodeAffinity' && me > 0 && typeof rest[me + 1] === 'number') {
    const exprPath = path.slice(0, POD_SPEC.length + me + 2);
    const e = valueAtPath(obj, exprPath);
    if (!isPlainObject(e) || typeof e.key !== 'string') return undefined;
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const op = typeof e.operator === 'string' ? e.operator : '';
    const parts = [labelMarkdown(e.key, undefined, cluster, 'affinity')];
    if (cluster) {
      const matching = cluster.nodes.filter((n) => expressionMatches(op, n.labels, e.key as string, values));
      parts.splice(1, 0, `\`${e.key} ${op} [${values.join(', ')}]\` matches ${matching.length} of ${cluster.nodes.length} nodes${matching.length ? `: ${nodeNames(matching)}` : ''}.`);
    }
    return { markdown: parts.join('\n\n'), span };
  }
  return undefined;
}

/** A node-selector requirement against labels, as the controller evaluates it (labels.NewRequirement + Matches). */
function expressionMatches(op: string, labels: Readonly<Record<string, string>>, key: string, values: string[]): boolean {
  const { req } = newRequirement(key, op, values);
  return req ? requirementMatches(req, labels) : false;
}
