/**
 * What the toleration rules share: where they report, how they read the pod spec, how they
 * recognise node agents, and the fixes they offer (built with engine/edits.ts).
 */
import { keySpan, reportSpan, valueAt } from '../ast';
import { appendToSequence, detectStyle, disableRuleOnLine } from '../edits';
import { isPlainObject, type ManifestObject } from '../model';
import { objectMemo } from '../objectMemo';
import { OS_LABEL, podOSOf, rejectPodAdmissionBasedOnOSField, rejectPodAdmissionBasedOnOSSelector } from '../placement/admission';
import { tolerationToObject } from '../placement/daemonPod';
import { getRequiredNodeAffinity, requirementMatches, type LabelRequirement, type RequiredNodeAffinity } from '../placement/nodeAffinity';
import { addOrUpdateDaemonPodTolerations, formatTaint, readToleration, tolerationsTolerateTaint, comparisonOperatorsEnabled } from '../placement/tolerations';
import type { ClusterModel, Taint, Toleration } from '../placement/types';
import type { Fix, Span } from '../types';
import type { RuleContext } from './rule';

export const POD_SPEC_PATH = ['spec', 'template', 'spec'] as const;
export const TOLERATIONS_PATH = [...POD_SPEC_PATH, 'tolerations'] as const;

/** The template's pod spec as plain data. */
export function podSpec(ds: ManifestObject): Record<string, unknown> {
  const v = valueAt(ds, POD_SPEC_PATH);
  return isPlainObject(v) ? v : {};
}

/** The template's tolerations with their index in `spec.template.spec.tolerations`. */
export function userTolerations(ds: ManifestObject): Array<{ index: number; toleration: Toleration }> {
  const raw = podSpec(ds).tolerations;
  if (!Array.isArray(raw)) return [];
  const out: Array<{ index: number; toleration: Toleration }> = [];
  raw.forEach((t, index) => {
    const r = readToleration(t);
    if (r) out.push({ index, toleration: r });
  });
  return out;
}

export function isHostNetwork(ds: ManifestObject): boolean {
  return podSpec(ds).hostNetwork === true;
}

/** The daemon pod's tolerations: the template's after AddOrUpdateDaemonPodTolerations (daemonset_util.go). */
export function daemonPodTolerations(ds: ManifestObject): Toleration[] {
  // Asked for every taint by several rules: computed once per object. Callers only read the list
  // (and none holds one of its tolerations from another call: userTolerations stays uncached).
  let tolerations = daemonPodTolerationsMemo.get(ds);
  if (!tolerations) {
    tolerations = addOrUpdateDaemonPodTolerations(userTolerations(ds).map((t) => t.toleration), isHostNetwork(ds));
    daemonPodTolerationsMemo.set(ds, tolerations);
  }
  return tolerations;
}

const daemonPodTolerationsMemo = objectMemo<Toleration[]>();

/** Whether a daemon pod of `ds` tolerates `taint`, as the controller's `predicates` decides. */
export function daemonPodToleratesTaint(ds: ManifestObject, taint: Taint, ctx: Pick<RuleContext, 'featureGates' | 'kubernetesMinor'>): boolean {
  return tolerationsTolerateTaint(daemonPodTolerations(ds), taint, comparisonOperatorsEnabled(ctx));
}

/** Every taint of the cluster's nodes in node order, and their distinct keys in first-seen order. */
export interface ClusterTaints {
  taints: readonly Taint[];
  keys: ReadonlySet<string>;
  keyList: readonly string[];
}

const clusterTaintsMemo = new WeakMap<ClusterModel, ClusterTaints>();

/** The cluster's taints, gathered once per cluster model (the rules asked for every DaemonSet). Shared: do not modify. */
export function clusterTaints(cluster: ClusterModel): ClusterTaints {
  let hit = clusterTaintsMemo.get(cluster);
  if (!hit) {
    const taints = cluster.nodes.flatMap((n) => n.taints);
    const keys = new Set(taints.map((t) => t.key));
    hit = { taints, keys, keyList: [...keys] };
    clusterTaintsMemo.set(cluster, hit);
  }
  return hit;
}

/** Toleration rules report on the `tolerations` key when the pod spec has one, else on the template's `spec` key. */
export function tolerationAnchor(ds: ManifestObject): Span {
  return keySpan(ds, TOLERATIONS_PATH) ?? reportSpan(ds, POD_SPEC_PATH);
}

/** The span of a toleration item, without the line break and blank lines a block item's range ends with. */
export function itemSpan(text: string, ds: ManifestObject, path: ReadonlyArray<string | number>): Span {
  const s = reportSpan(ds, path);
  let end = s.end;
  while (end > s.start + 1 && /\s/.test(text[end - 1])) end--;
  return { start: s.start, end };
}

/** The toleration that tolerates exactly `taint`: `Exists` when it has no value, else `Equal` to its value. */
export function tolerationFor(taint: Taint): Toleration {
  return taint.value
    ? { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect }
    : { key: taint.key, operator: 'Exists', effect: taint.effect };
}

/** A fix that appends tolerations to the template (creating `tolerations:` where needed). */
export function addTolerationsFix(text: string, ds: ManifestObject, tolerations: Toleration[], title: string, isPreferred = false): Fix | undefined {
  const edits = appendToSequence(text, ds, TOLERATIONS_PATH, tolerations.map((t) => tolerationToObject(t)));
  if (!edits.length) return undefined;
  return isPreferred ? { title, edits, isPreferred } : { title, edits };
}

/** One fix per taint, then (when there are several) one that adds them all. */
export function tolerationFixes(text: string, ds: ManifestObject, taints: Taint[], allTitle: string): Fix[] {
  const fixes: Fix[] = [];
  const all = addTolerationsFix(text, ds, taints.map(tolerationFor), allTitle, taints.length > 1);
  for (const t of taints) {
    const f = addTolerationsFix(text, ds, [tolerationFor(t)], `Add toleration ${formatTaint(t)}`, taints.length === 1);
    if (f) fixes.push(f);
  }
  if (taints.length > 1 && all) fixes.unshift(all);
  return fixes;
}

/**
 * A rule's fixes: those `build` makes, then "Disable <id> on this line" at `span`. None when the
 * context wants findings without fixes (RuleContext.fixes): nothing is built then.
 */
export function ruleFixes(ctx: Pick<RuleContext, 'fixes' | 'model'>, ds: ManifestObject, span: Span, ruleId: string, build: () => Fix[] = () => []): Fix[] {
  if (ctx.fixes === false) return [];
  const out = build();
  const d = disableFix(ctx.model.text, ds, span, ruleId);
  if (d) out.push(d);
  return out;
}

/** "Disable <id> on this line": a `# daemonset-lens-disable-next-line <id>` comment above the finding. */
export function disableFix(text: string, ds: ManifestObject, span: Span, ruleId: string): Fix | undefined {
  // JSON has no comments. Decided from the object itself, so cached findings do not depend on other documents.
  if (detectStyle(text, ds).json) return undefined;
  const edits = disableRuleOnLine(text, span.start, ruleId);
  return edits.length ? { title: `Disable ${ruleId} on this line`, edits } : undefined;
}

// --- recognising node agents -------------------------------------------------------------

/** Host paths a network plugin agent mounts (CNI configuration, binaries, state). */
export const CNI_HOST_PATHS = ['/etc/cni/net.d', '/opt/cni/bin', '/var/lib/cni', '/etc/cni'];
/** Images of well-known network plugins (a path segment of the image starts with one of these). */
export const CNI_IMAGE_NAMES = ['calico', 'cilium', 'flannel', 'weave', 'kube-router', 'amazon-k8s-cni', 'antrea', 'multus', 'kube-ovn', 'canal'];
/** Host paths through which a CSI node plugin registers with the kubelet and serves its socket. */
export const CSI_PLUGIN_HOST_PATHS = ['/var/lib/kubelet/plugins_registry', '/var/lib/kubelet/plugins'];
/** Host paths of node agents: logs, container logs, /proc, /sys, CSI plugin registration, the root filesystem. */
export const NODE_AGENT_HOST_PATHS = ['/var/log', '/var/lib/docker/containers', '/proc', '/sys', '/var/lib/kubelet/plugins', '/var/lib/kubelet/plugins_registry', '/var/lib/kubelet/pods', '/'];
/** Images of node exporters and log shippers. */
export const NODE_AGENT_IMAGE_NAMES = [
  'node-exporter', 'fluentd', 'fluent-bit', 'filebeat', 'metricbeat', 'promtail', 'vector', 'grafana-agent', 'alloy',
  'opentelemetry-collector', 'otel-collector', 'newrelic-infrastructure', 'splunk-otel-collector', 'dcgm-exporter',
  'csi-node-driver-registrar', 'node-problem-detector', 'kube-proxy',
];

function containersAll(spec: Record<string, unknown>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const list of ['containers', 'initContainers']) {
    const v = spec[list];
    if (Array.isArray(v)) for (const c of v) if (isPlainObject(c)) out.push(c);
  }
  return out;
}

export function hostPaths(spec: Record<string, unknown>): string[] {
  const vols = Array.isArray(spec.volumes) ? spec.volumes : [];
  const out: string[] = [];
  for (const v of vols) {
    if (!isPlainObject(v) || !isPlainObject(v.hostPath)) continue;
    const p = v.hostPath.path;
    if (typeof p === 'string' && p) out.push(p.length > 1 ? p.replace(/\/+$/, '') : p);
  }
  return out;
}

export function underAny(path: string, roots: readonly string[]): string | undefined {
  for (const r of roots) {
    if (r === '/' ? path === '/' : path === r || path.startsWith(r + '/')) return r;
  }
  return undefined;
}

/** The image's repository path segments, without registry host, tag or digest. */
function imageSegments(image: string): string[] {
  const noDigest = image.split('@')[0];
  const parts = noDigest.split('/');
  const last = parts.length - 1;
  parts[last] = parts[last].replace(/:[^:]*$/, '');
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0])) parts.shift();
  return parts.map((p) => p.toLowerCase());
}

export function imageMatches(image: string, names: readonly string[]): string | undefined {
  // Asked several times per container by the agent signals and the OS rules, and a file's DaemonSets
  // mostly run the same few images: each list keeps its answers (a bounded number of them).
  let answers = imageAnswers.get(names);
  if (!answers) imageAnswers.set(names, (answers = new Map()));
  const known = answers.get(image);
  if (known !== undefined) return known || undefined;
  const found = matchImage(image, names);
  if (answers.size >= MAX_IMAGE_ANSWERS) answers.clear();
  answers.set(image, found ?? '');
  return found;
}

const imageAnswers = new WeakMap<readonly string[], Map<string, string>>();
const MAX_IMAGE_ANSWERS = 4096;

function matchImage(image: string, names: readonly string[]): string | undefined {
  for (const seg of imageSegments(image)) {
    for (const n of names) {
      if (seg.startsWith(n) && (seg.length === n.length || '-_.'.includes(seg[n.length]))) return n;
    }
  }
  return undefined;
}

function capabilities(c: Record<string, unknown>): string[] {
  const sc = isPlainObject(c.securityContext) ? c.securityContext : {};
  const caps = isPlainObject(sc.capabilities) ? sc.capabilities : {};
  const add = Array.isArray(caps.add) ? caps.add : [];
  return add.filter((x): x is string => typeof x === 'string').map((x) => x.toUpperCase().replace(/^CAP_/, ''));
}

/**
 * Why `ds` looks like a network plugin agent (empty when it does not). Only CNI host paths and
 * well-known CNI images make one: a pod that is not hostNetwork and adds NET_ADMIN or NET_RAW can
 * change only its own network namespace (Datadog's system-probe, service meshes, VPN sidecars), so
 * those capabilities are named as supporting evidence, never counted on their own.
 */
export function networkAgentSignals(ds: ManifestObject): string[] {
  // Asked by five rules per DaemonSet: computed once, a copy handed out.
  let signals = networkAgentSignalsMemo.get(ds);
  if (!signals) networkAgentSignalsMemo.set(ds, (signals = readNetworkAgentSignals(ds)));
  return signals.slice();
}

const networkAgentSignalsMemo = objectMemo<string[]>();

function readNetworkAgentSignals(ds: ManifestObject): string[] {
  const spec = podSpec(ds);
  const out: string[] = [];
  const supporting: string[] = [];
  const paths = hostPaths(spec);
  for (const p of paths) if (underAny(p, CNI_HOST_PATHS)) out.push(`mounts ${p}`);
  // A CSI node plugin shipped by a network project (Calico's csi-node-driver runs calico/csi, or the
  // single calico/calico image) is a storage agent: it is no network plugin unless it touches the CNI paths.
  const imagesCount = out.length > 0 || !paths.some((p) => underAny(p, CSI_PLUGIN_HOST_PATHS));
  for (const c of containersAll(spec)) {
    const caps = capabilities(c);
    for (const cap of ['NET_ADMIN', 'NET_RAW']) if (caps.includes(cap)) supporting.push(`adds ${cap}`);
    if (imagesCount && typeof c.image === 'string' && imageMatches(c.image, CNI_IMAGE_NAMES)) out.push(`runs ${c.image}`);
  }
  return out.length ? [...new Set([...out, ...supporting])] : [];
}

/**
 * Whether `ds` manages the node's own network: a network plugin (`networkAgentSignals`), or a
 * hostNetwork pod that adds NET_ADMIN and so changes the node's interfaces, routes and packet
 * rules (kube-proxy, ip-masq-agent, network policy agents). Such agents must run on every node,
 * whatever its taints.
 */
export function managesNodeNetwork(ds: ManifestObject): boolean {
  if (networkAgentSignals(ds).length) return true;
  return isHostNetwork(ds) && containersAll(podSpec(ds)).some((c) => capabilities(c).includes('NET_ADMIN'));
}

/** Why `ds` looks like a node agent that should run on every node, control plane included. */
export function nodeAgentSignals(ds: ManifestObject): string[] {
  // Asked three times per DaemonSet (two rules): computed once, a copy handed out.
  let signals = nodeAgentSignalsMemo.get(ds);
  if (!signals) nodeAgentSignalsMemo.set(ds, (signals = readNodeAgentSignals(ds)));
  return signals.slice();
}

const nodeAgentSignalsMemo = objectMemo<string[]>();

/**
 * Host paths of node agents and images of node exporters, log shippers and network plugins make a
 * node agent. `privileged` is supporting evidence only: it says what a container may do on its node,
 * not that every node needs it; hardware device plugins and one-off node-setup jobs are privileged too.
 */
function readNodeAgentSignals(ds: ManifestObject): string[] {
  const spec = podSpec(ds);
  const out: string[] = [];
  let privileged = false;
  for (const p of hostPaths(spec)) if (underAny(p, NODE_AGENT_HOST_PATHS) || underAny(p, CNI_HOST_PATHS)) out.push(`mounts ${p}`);
  for (const c of containersAll(spec)) {
    const sc = isPlainObject(c.securityContext) ? c.securityContext : {};
    if (sc.privileged === true) privileged = true;
    if (typeof c.image === 'string' && (imageMatches(c.image, NODE_AGENT_IMAGE_NAMES) || imageMatches(c.image, CNI_IMAGE_NAMES) || /(^|\/)datadog\/agent(:|$)/.test(c.image))) {
      out.push(`runs ${c.image}`);
    }
  }
  if (!out.length) return [];
  if (privileged) out.push('is privileged');
  return [...new Set(out)];
}

/**
 * The DaemonSet is not meant for the control plane: pinned by nodeName, its pods are Windows pods
 * (the control plane runs Linux, whose kubelet rejects them), or its nodeSelector and required node
 * affinity cannot select a control-plane node (Windows only, the role label excluded, a node pool
 * picked). Placement's own matching (nodeaffinity.go GetRequiredNodeAffinity, (*Requirement).Matches)
 * is run against the labels every kubeadm control-plane node carries.
 */
export function excludesControlPlane(ds: ManifestObject): boolean {
  const spec = podSpec(ds);
  if (typeof spec.nodeName === 'string' && spec.nodeName) return true;
  if (kubeletRejectsOn(ds, 'linux')) return true;
  return !couldSelectControlPlaneNode(getRequiredNodeAffinity(spec));
}

/**
 * Whether the kubelet of a node running `nodeOS` rejects this DaemonSet's pods at admission
 * (pkg/kubelet/lifecycle/predicate.go rejectPodAdmissionBasedOnOSSelector, rejectPodAdmissionBasedOnOSField):
 * there, no toleration makes the pods run.
 */
export function kubeletRejectsOn(ds: ManifestObject, nodeOS: string | undefined): boolean {
  return rejectsOS(podOSOf(ds), nodeOS);
}

function rejectsOS({ os, label }: { os?: string; label?: string }, nodeOS: string | undefined): boolean {
  return nodeOS !== undefined && (rejectPodAdmissionBasedOnOSSelector(label, nodeOS) || rejectPodAdmissionBasedOnOSField(os, nodeOS));
}

/** The node labels that name a node's OS. */
const OS_LABELS = [OS_LABEL, 'beta.kubernetes.io/os'];

/**
 * Whether RequiredNodeAffinity.Match could hold on a node of `os`: requirements on the OS labels are
 * matched against the labels the kubelet of such a node sets; any other label (a pool, a zone) is
 * unknown here and assumed to fit. A term with `metadata.name In` names its nodes: whichever OS they
 * run is the author's choice, so it is not counted. Terms are ORed; one with parse errors never matches.
 */
export function couldSelectNodeOfOS(a: RequiredNodeAffinity, os: string): boolean {
  const labels: Record<string, string> = {};
  for (const k of OS_LABELS) labels[k] = os;
  const fits = (r: LabelRequirement): boolean => (OS_LABELS.includes(r.key) ? requirementMatches(r, labels) : true);
  if (a.nodeSelector && !a.nodeSelector.every(fits)) return false;
  if (!a.terms) return true;
  return a.terms.some((t) => t.parseErrors.length === 0 && (t.matchExpressions ?? []).every(fits) && !(t.matchFields ?? []).some((m) => m.operator === 'In'));
}

/** A tag that names a Windows build of an image (`windows-2022-3.2`, `ltsc2022`, `nanoserver`). */
export const WINDOWS_TAG = /windows|ltsc|nanoserver|servercore/i;

/** Images built for Windows only, by name (`mcr.microsoft.com/windows/servercore`, windows-exporter). */
const WINDOWS_IMAGE_NAMES = ['windows', 'windows-exporter', 'servercore', 'nanoserver'];

/** An image reference's tag (`3.2.2-windows-2022` of `cr.fluentbit.io/fluent/fluent-bit:3.2.2-windows-2022`), '' without one. */
export function imageTag(image: string): string {
  return image.split('@')[0].split('/').pop()!.split(':')[1] ?? '';
}

/** Whether the pod or a container sets windowsOptions: settings for a Windows pod (validateLinux forbids them). */
export function hasWindowsOptions(spec: Record<string, unknown>): boolean {
  if (isPlainObject(spec.securityContext) && isPlainObject(spec.securityContext.windowsOptions)) return true;
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    const items = Array.isArray(spec[list]) ? (spec[list] as unknown[]) : [];
    for (const c of items) if (isPlainObject(c) && isPlainObject(c.securityContext) && isPlainObject(c.securityContext.windowsOptions)) return true;
  }
  return false;
}

/**
 * The OS the pods are written for: the one `os.name` or the template's `kubernetes.io/os` label names
 * (the kubelet admits them nowhere else); else the one its nodeSelector or required node affinity on
 * `kubernetes.io/os` lets in alone; else windows when the template sets windowsOptions or runs an image
 * built for Windows (a Windows tag or name); else linux, as images are unless built for Windows.
 */
export function podOSIntent(ds: ManifestObject): 'linux' | 'windows' | string {
  const { os, label } = podOSOf(ds);
  if (os !== undefined) return os;
  if (label !== undefined) return label;
  const spec = podSpec(ds);
  // A nodeSelector or required affinity on kubernetes.io/os that lets in one OS only.
  const affinity = getRequiredNodeAffinity(spec);
  const linux = couldSelectNodeOfOS(affinity, 'linux');
  const windows = couldSelectNodeOfOS(affinity, 'windows');
  if (windows && !linux) return 'windows';
  if (linux && !windows) return 'linux';
  if (hasWindowsOptions(spec)) return 'windows';
  for (const list of ['initContainers', 'containers']) {
    const items = Array.isArray(spec[list]) ? (spec[list] as unknown[]) : [];
    for (const c of items) {
      if (!isPlainObject(c) || typeof c.image !== 'string') continue;
      if (WINDOWS_TAG.test(imageTag(c.image)) || imageMatches(c.image, WINDOWS_IMAGE_NAMES)) return 'windows';
    }
  }
  return 'linux';
}

/**
 * The nodes of the cluster file that run another OS than the pods are written for (podOSIntent): the
 * kubelet rejects the pods there, or admits pods whose containers cannot start. A taint that keeps
 * the pods off such a node (AKS and EKS guides taint Windows pools `os=windows:NoSchedule`, GKE taints
 * Windows nodes `node.kubernetes.io/os=windows:NoSchedule`) does what the cluster wants.
 */
export function nodesOfAnotherOS(ds: ManifestObject, cluster: ClusterModel | undefined): ReadonlySet<string> {
  const out = new Set<string>();
  if (!cluster) return out;
  const intent = podOSIntent(ds);
  for (const n of cluster.nodes) if (n.os !== undefined && n.os !== intent) out.add(n.name);
  // A node whose OS label the pod's own label or os.name contradicts, whatever the node says it runs.
  for (const n of osRejectingNodes(ds, cluster)) out.add(n);
  return out;
}

/** The nodes of the cluster file whose kubelet rejects this DaemonSet's pods for their OS. */
export function osRejectingNodes(ds: ManifestObject, cluster: ClusterModel | undefined): ReadonlySet<string> {
  const out = new Set<string>();
  if (!cluster) return out;
  const pod = podOSOf(ds);
  if (pod.os === undefined && pod.label === undefined) return out;
  for (const n of cluster.nodes) if (rejectsOS(pod, n.os)) out.add(n.name);
  return out;
}

/**
 * The labels a control-plane node is known to carry. kubeadm sets its role labels to ""
 * (cmd/kubeadm/app/phases/markcontrolplane/markcontrolplane.go markControlPlaneNode); the legacy
 * `master` role label (kubeadm < 1.24) is included so that excluding either role key counts as
 * excluding the control plane. The control plane runs only on Linux, so its OS labels are known too.
 */
const CONTROL_PLANE_NODE_LABELS: Readonly<Record<string, string>> = {
  'kubernetes.io/os': 'linux',
  'beta.kubernetes.io/os': 'linux',
  'node-role.kubernetes.io/control-plane': '',
  'node-role.kubernetes.io/master': '',
  'node.kubernetes.io/exclude-from-external-load-balancers': '',
};

/** Labels every node carries that select an OS or architecture, not a pool of nodes. */
const GENERIC_NODE_LABELS = new Set(['kubernetes.io/os', 'kubernetes.io/arch', 'beta.kubernetes.io/os', 'beta.kubernetes.io/arch']);

/**
 * Whether RequiredNodeAffinity.Match could hold on a control-plane node. Requirements on the labels
 * of CONTROL_PLANE_NODE_LABELS are matched against them; the architecture is unknown and assumed to
 * fit; any other label is one a control-plane node is not known to carry, so a requirement that it
 * be present (`In`, `Exists`, `Gt`, `Lt`, a nodeSelector entry) picks a pool of other nodes.
 */
function couldSelectControlPlaneNode(a: RequiredNodeAffinity): boolean {
  const fits = (r: LabelRequirement): boolean => {
    if (Object.prototype.hasOwnProperty.call(CONTROL_PLANE_NODE_LABELS, r.key)) return requirementMatches(r, CONTROL_PLANE_NODE_LABELS);
    if (GENERIC_NODE_LABELS.has(r.key)) return true;
    return r.operator === 'NotIn' || r.operator === 'DoesNotExist';
  };
  if (a.nodeSelector && !a.nodeSelector.every(fits)) return false;
  if (!a.terms) return true;
  // Terms are ORed; a term with parse errors never matches; `metadata.name In` names its nodes.
  return a.terms.some((t) => t.parseErrors.length === 0 && (t.matchExpressions ?? []).every(fits) &&
    !(t.matchFields ?? []).some((f) => f.operator === 'In'));
}

/** "a, b and c". */
export function listText(items: readonly string[], max = 4): string {
  if (items.length <= 1) return items.join('');
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
