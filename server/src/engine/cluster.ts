/**
 * The cluster file: `kubectl get nodes -o yaml|json` (a v1 List of Node), multi-document Node files, RuntimeClasses,
 * `kubectl get pods -A -o yaml` (alone or mixed) and hand-written minimal nodes. Read leniently: a
 * broken entry gets a `cluster-*` finding at its own range and everything readable is still used.
 */
import { objectAnchor, reportSpan, resolvedNodeAt, valueSpan } from './ast';
import { isScalar } from './yamlNodes';
import { isPlainObject, type DocumentModel, type ManifestObject } from './model';
import { quantityError } from './quantity';
import { parseLabelSelector } from './placement/nodeAffinity';
import { readToleration } from './placement/tolerations';
import type { ClusterModel, ClusterNode, ClusterPod, ClusterPodDisruptionBudget, ClusterPriorityClass, ClusterRuntimeClass, Taint, Toleration } from './placement/types';
import { formatPath, type FieldPath, type Finding, type Severity, type Span } from './types';

/** Taint effects accepted by the API server (pkg/apis/core/validation validateTaintEffect). */
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Reads nodes and pods from a parsed cluster file. Never throws. */
export function parseCluster(model: DocumentModel): ClusterModel {
  const cluster: ClusterModel = { uri: model.uri, model, nodes: [], pods: [], findings: [] };
  const byName = new Map<string, ClusterNode>();
  for (const obj of model.objects) {
    if (obj.kind === 'Node') {
      const node = readNode(obj, cluster.findings);
      if (!node) continue;
      const prev = byName.get(node.name);
      if (prev) {
        cluster.findings.push(finding(obj, 'cluster-duplicate-node', 'warning', `Node "${node.name}" appears more than once in the cluster file; the first one is used.`, ['metadata', 'name'], 'value'));
        continue;
      }
      byName.set(node.name, node);
      cluster.nodes.push(node);
    } else if (obj.kind === 'Pod') {
      const pod = readPod(obj, cluster.findings);
      if (pod) cluster.pods.push(pod);
    } else if (obj.kind === 'PriorityClass') {
      const pc = readPriorityClass(obj);
      if (pc) (cluster.priorityClasses ??= []).push(pc);
    } else if (obj.kind === 'PodDisruptionBudget') {
      const pdb = readPodDisruptionBudget(obj);
      if (pdb) (cluster.podDisruptionBudgets ??= []).push(pdb);
    } else if (obj.kind === 'RuntimeClass') {
      const rc = readRuntimeClass(obj, cluster.findings);
      if (rc) (cluster.runtimeClasses ??= []).push(rc);
    } else if (obj.kind === undefined && looksLikeNode(obj.value)) {
      // Hand-written nodes sometimes omit `kind`; read them, but say so.
      cluster.findings.push(finding(obj, 'cluster-missing-kind', 'information', 'This object has no `kind`; it is read as a Node.', [], 'key'));
      const node = readNode(obj, cluster.findings);
      if (node && !byName.has(node.name)) {
        byName.set(node.name, node);
        cluster.nodes.push(node);
      }
    }
  }
  if (cluster.nodes.length === 0 && model.findings.every((f) => f.severity !== 'error') && !model.templated) {
    cluster.findings.push({
      code: 'cluster-no-nodes',
      severity: 'warning',
      message: 'The cluster file holds no Node objects (expected the output of `kubectl get nodes -o yaml`).',
      path: '',
      span: { start: 0, end: Math.min(1, model.text.length) },
    });
  }
  return cluster;
}

function looksLikeNode(v: Record<string, unknown>): boolean {
  const spec = isPlainObject(v.spec) ? v.spec : {};
  const status = isPlainObject(v.status) ? v.status : {};
  return isPlainObject(v.metadata) && ('taints' in spec || 'unschedulable' in spec || 'allocatable' in status || 'nodeInfo' in status);
}

/** A valid quantity as the cluster file gives it; a null one is the zero quantity (Quantity.UnmarshalJSON), not "null". */
function quantityText(q: unknown): string {
  return q === null || q === undefined ? '0' : String(q);
}

/** A value for a message, as the file writes it: a string quoted, a scalar as its source text, else its kind. */
function writtenValue(obj: ManifestObject, path: FieldPath, v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'a list';
  if (isPlainObject(v)) return 'a map';
  const node = resolvedNodeAt(obj, path);
  return isScalar(node) && typeof node.source === 'string' && node.source !== '' ? node.source : String(v);
}

function finding(obj: ManifestObject, code: string, severity: Severity, message: string, path: FieldPath, on: 'key' | 'value'): Finding {
  return { code, severity, message, path: formatPath(path), span: reportSpan(obj, path, on) };
}

function readNode(obj: ManifestObject, findings: Finding[]): ClusterNode | undefined {
  const v = obj.value;
  const meta = isPlainObject(v.metadata) ? v.metadata : {};
  const name = str(meta.name);
  if (!name) {
    findings.push(finding(obj, 'cluster-node-without-name', 'error', 'This Node has no `metadata.name`; it is ignored.', ['metadata', 'name'], 'value'));
    return undefined;
  }
  const labels = readLabels(obj, ['metadata', 'labels'], findings);
  const spec = isPlainObject(v.spec) ? v.spec : {};
  const taints: Taint[] = [];
  if (spec.taints !== undefined && spec.taints !== null && !Array.isArray(spec.taints)) {
    findings.push(finding(obj, 'cluster-bad-taints', 'error', '`spec.taints` must be a list of taints.', ['spec', 'taints'], 'value'));
  } else if (Array.isArray(spec.taints)) {
    spec.taints.forEach((t, i) => {
      const path = ['spec', 'taints', i];
      if (!isPlainObject(t)) {
        findings.push(finding(obj, 'cluster-bad-taint', 'error', 'A taint must be an object with `key` and `effect`.', path, 'key'));
        return;
      }
      const key = str(t.key);
      const effect = str(t.effect);
      let value: string | undefined;
      if (typeof t.value === 'string') value = t.value;
      else if (typeof t.value === 'number' || typeof t.value === 'boolean') {
        // As a label: the API server would reject it; a hand-written file means the text it wrote (`yes`, `05`).
        value = writtenValue(obj, [...path, 'value'], t.value);
        findings.push(finding(obj, 'cluster-taint-value-not-string', 'warning', `Taint value should be a string; it is read as "${value}".`, [...path, 'value'], 'value'));
      } else if (t.value !== undefined && t.value !== null) {
        findings.push(finding(obj, 'cluster-taint-value-not-string', 'error', 'Taint value must be a string; the taint is read without one.', [...path, 'value'], 'value'));
      }
      let ok = true;
      if (!key) {
        findings.push(finding(obj, 'cluster-taint-without-key', 'error', 'This taint has no `key`; it is ignored.', [...path, 'key'], 'value'));
        ok = false;
      }
      if (!effect || !TAINT_EFFECTS.includes(effect)) {
        findings.push(finding(
          obj,
          'cluster-taint-bad-effect',
          'error',
          effect ? `Unsupported taint effect "${effect}": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"; the taint is ignored.` : 'This taint has no `effect`; it is ignored.',
          [...path, 'effect'],
          'value',
        ));
        ok = false;
      }
      if (ok) taints.push(value === undefined ? { key: key!, effect: effect! } : { key: key!, value, effect: effect! });
    });
  }
  const unschedulable = spec.unschedulable === true;
  if (spec.unschedulable !== undefined && typeof spec.unschedulable !== 'boolean') {
    findings.push(finding(obj, 'cluster-bad-unschedulable', 'warning', '`spec.unschedulable` must be true or false.', ['spec', 'unschedulable'], 'value'));
  }
  const status = isPlainObject(v.status) ? v.status : {};
  let allocatable: Record<string, string> | undefined;
  if (isPlainObject(status.allocatable)) {
    allocatable = {};
    for (const [res, q] of Object.entries(status.allocatable)) {
      const path = ['status', 'allocatable', res];
      const err = quantityError(q);
      if (err !== undefined) {
        findings.push(finding(obj, 'cluster-bad-quantity', 'error', `status.allocatable.${res}: ${writtenValue(obj, path, q)} is not a quantity (${err}); it is treated as unknown.`, path, 'value'));
        continue;
      }
      allocatable[res] = quantityText(q);
    }
  } else if (status.allocatable !== undefined && status.allocatable !== null) {
    findings.push(finding(obj, 'cluster-bad-allocatable', 'error', '`status.allocatable` must be a map of quantities.', ['status', 'allocatable'], 'value'));
  }
  const conditions: Record<string, string> = {};
  if (Array.isArray(status.conditions)) {
    for (const c of status.conditions) {
      if (isPlainObject(c) && typeof c.type === 'string' && typeof c.status === 'string') conditions[c.type] = c.status;
    }
  }
  const nameSpan: Span = valueSpan(obj, ['metadata', 'name']) ?? objectAnchor(obj);
  const node: ClusterNode = { name, labels, taints, unschedulable, allocatable, conditions, source: obj, nameSpan };
  const os = nodeOS(status, labels);
  if (os !== undefined) node.os = os;
  return node;
}

/**
 * The node's OS as its kubelet knows it, which is what the kubelet's admission compares a pod with
 * (runtime.GOOS, pkg/kubelet/lifecycle/predicate.go): the kubelet reports it in
 * `status.nodeInfo.operatingSystem` and sets the `kubernetes.io/os` label from it (initialNode,
 * updateDefaultLabels in pkg/kubelet/kubelet_node_status.go). The status is read first: a label
 * edited by hand no longer says what the node runs.
 */
function nodeOS(status: Record<string, unknown>, labels: Readonly<Record<string, string>>): string | undefined {
  const info = isPlainObject(status.nodeInfo) ? status.nodeInfo : {};
  const reported = str(info.operatingSystem);
  if (reported) return reported;
  return labels['kubernetes.io/os'] || undefined;
}

function readLabels(obj: ManifestObject, path: FieldPath, findings: Finding[]): Record<string, string> {
  const out: Record<string, string> = {};
  const meta = isPlainObject(obj.value.metadata) ? obj.value.metadata : {};
  const raw = meta.labels;
  if (raw === undefined || raw === null) return out;
  if (!isPlainObject(raw)) {
    findings.push(finding(obj, 'cluster-bad-labels', 'error', '`metadata.labels` must be a map of strings.', path, 'value'));
    return out;
  }
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') {
      // The API server would reject it; a hand-written file means the string it wrote (`yes`, `07`).
      const meant = writtenValue(obj, [...path, k], v);
      out[k] = meant;
      findings.push(finding(obj, 'cluster-label-not-string', 'warning', `Label "${k}" should be a string; it is read as "${meant}".`, [...path, k], 'value'));
    } else if (v === null) {
      out[k] = '';
    } else {
      findings.push(finding(obj, 'cluster-label-not-string', 'error', `Label "${k}" must be a string; it is ignored.`, [...path, k], 'value'));
    }
  }
  return out;
}

function readPod(obj: ManifestObject, findings: Finding[]): ClusterPod | undefined {
  const v = obj.value;
  const meta = isPlainObject(v.metadata) ? v.metadata : {};
  const name = str(meta.name);
  if (!name) {
    findings.push(finding(obj, 'cluster-pod-without-name', 'warning', 'This Pod has no `metadata.name`; it is ignored.', ['metadata', 'name'], 'value'));
    return undefined;
  }
  const labels: Record<string, string> = {};
  if (isPlainObject(meta.labels)) for (const [k, l] of Object.entries(meta.labels)) if (typeof l === 'string') labels[k] = l;
  const spec = isPlainObject(v.spec) ? v.spec : {};
  const status = isPlainObject(v.status) ? v.status : {};
  let owner: ClusterPod['owner'];
  if (Array.isArray(meta.ownerReferences)) {
    for (const r of meta.ownerReferences) {
      // metav1.GetControllerOf: the reference with controller: true.
      if (isPlainObject(r) && r.controller === true) {
        owner = { kind: str(r.kind) ?? '', name: str(r.name) ?? '' };
        if (typeof r.uid === 'string') owner.uid = r.uid;
        break;
      }
    }
  }
  let ready = false;
  let readySince: string | undefined;
  if (Array.isArray(status.conditions)) {
    for (const c of status.conditions) {
      if (isPlainObject(c) && c.type === 'Ready') {
        ready = c.status === 'True';
        readySince = str(c.lastTransitionTime);
      }
    }
  }
  const pod: ClusterPod = {
    name,
    namespace: str(meta.namespace) ?? 'default',
    labels,
    nodeName: str(spec.nodeName) || getTargetNodeNameFromAffinity(spec),
    phase: str(status.phase),
    creationTimestamp: str(meta.creationTimestamp),
    deletionTimestamp: str(meta.deletionTimestamp),
    owner,
    ready,
    readySince,
    source: obj,
    value: v,
  };
  return pod;
}

/**
 * daemon/util GetTargetNodeName, affinity half: the single value of a `metadata.name In` matchFields
 * requirement of the required node affinity (what the DaemonSet controller injects). The first such
 * requirement decides: with more or fewer than one value it is an error upstream, and no later term is read.
 */
export function getTargetNodeNameFromAffinity(spec: Record<string, unknown>): string | undefined {
  const aff = isPlainObject(spec.affinity) ? spec.affinity : undefined;
  const na = aff && isPlainObject(aff.nodeAffinity) ? aff.nodeAffinity : undefined;
  const req = na && isPlainObject(na.requiredDuringSchedulingIgnoredDuringExecution) ? na.requiredDuringSchedulingIgnoredDuringExecution : undefined;
  const terms = req && Array.isArray(req.nodeSelectorTerms) ? req.nodeSelectorTerms : [];
  for (const t of terms) {
    if (!isPlainObject(t) || !Array.isArray(t.matchFields)) continue;
    for (const f of t.matchFields) {
      if (isPlainObject(f) && f.key === 'metadata.name' && f.operator === 'In') {
        return Array.isArray(f.values) && f.values.length === 1 && typeof f.values[0] === 'string' ? f.values[0] : undefined;
      }
    }
  }
  return undefined;
}

/** A PriorityClass (scheduling.k8s.io/v1): `value`, `globalDefault`, `preemptionPolicy`. Unreadable ones are skipped. */
function readPriorityClass(obj: ManifestObject): ClusterPriorityClass | undefined {
  const v = obj.value;
  const meta = isPlainObject(v.metadata) ? v.metadata : {};
  const name = str(meta.name);
  if (!name || typeof v.value !== 'number' || !Number.isInteger(v.value)) return undefined;
  return { name, value: v.value, globalDefault: v.globalDefault === true, preemptionPolicy: str(v.preemptionPolicy) || 'PreemptLowerPriority' };
}

/** A PodDisruptionBudget (policy/v1): what preemption's filterPodsWithPDBViolation reads. */
function readPodDisruptionBudget(obj: ManifestObject): ClusterPodDisruptionBudget | undefined {
  const v = obj.value;
  const meta = isPlainObject(v.metadata) ? v.metadata : {};
  const name = str(meta.name);
  if (!name) return undefined;
  const spec = isPlainObject(v.spec) ? v.spec : {};
  const status = isPlainObject(v.status) ? v.status : {};
  const selector = parseLabelSelector(spec.selector);
  return {
    name,
    namespace: str(meta.namespace) ?? 'default',
    // A PDB with a nil or empty selector matches nothing.
    ...(selector && selector.length > 0 ? { selector } : {}),
    disruptionsAllowed: typeof status.disruptionsAllowed === 'number' ? status.disruptionsAllowed : 0,
    disruptedPods: isPlainObject(status.disruptedPods) ? Object.keys(status.disruptedPods) : [],
  };
}

/**
 * A RuntimeClass (node.k8s.io/v1 and v1beta1: `handler`, `overhead.podFixed`, `scheduling.nodeSelector`
 * and `scheduling.tolerations` at the top level; v1alpha1 had them under `spec`, the handler as
 * `runtimeHandler`). Quantities that do not parse are reported and left out.
 */
function readRuntimeClass(obj: ManifestObject, findings: Finding[]): ClusterRuntimeClass | undefined {
  const v = obj.value;
  const meta = isPlainObject(v.metadata) ? v.metadata : {};
  const name = str(meta.name);
  if (!name) {
    findings.push(finding(obj, 'cluster-runtime-class-without-name', 'warning', 'This RuntimeClass has no `metadata.name`; it is ignored.', ['metadata', 'name'], 'value'));
    return undefined;
  }
  const alpha = obj.apiVersion === 'node.k8s.io/v1alpha1' && isPlainObject(v.spec);
  const body = alpha ? (v.spec as Record<string, unknown>) : v;
  const at: FieldPath = alpha ? ['spec'] : [];
  const rc: ClusterRuntimeClass = { name, source: obj };
  const handler = str(alpha ? body.runtimeHandler : body.handler);
  if (handler) rc.handler = handler;
  if (isPlainObject(body.overhead)) {
    rc.overhead = {};
    const fixed = body.overhead.podFixed;
    if (isPlainObject(fixed)) {
      const podFixed: Record<string, string> = {};
      for (const [res, q] of Object.entries(fixed)) {
        const path = [...at, 'overhead', 'podFixed', res];
        const err = quantityError(q);
        if (err !== undefined) {
          findings.push(finding(obj, 'cluster-bad-quantity', 'error', `overhead.podFixed.${res}: ${writtenValue(obj, path, q)} is not a quantity (${err}); it is left out.`, path, 'value'));
          continue;
        }
        podFixed[res] = quantityText(q);
      }
      rc.overhead.podFixed = podFixed;
    }
  }
  if (isPlainObject(body.scheduling)) {
    const s = body.scheduling;
    rc.scheduling = {};
    const selAt: FieldPath = [...at, 'scheduling', 'nodeSelector'];
    if (isPlainObject(s.nodeSelector)) {
      const sel: Record<string, string> = {};
      for (const [k, l] of Object.entries(s.nodeSelector)) {
        if (typeof l === 'string') sel[k] = l;
        else if (l === null || l === undefined) sel[k] = '';
        else if (typeof l === 'number' || typeof l === 'boolean') {
          // As a label: the API server would reject it; a hand-written file means the text it wrote.
          sel[k] = writtenValue(obj, [...selAt, k], l);
          findings.push(finding(obj, 'cluster-label-not-string', 'warning', `scheduling.nodeSelector "${k}" should be a string; it is read as "${sel[k]}".`, [...selAt, k], 'value'));
        } else {
          findings.push(finding(obj, 'cluster-label-not-string', 'error', `scheduling.nodeSelector "${k}" must be a string, not ${writtenValue(obj, [...selAt, k], l)}; it is left out.`, [...selAt, k], 'value'));
        }
      }
      rc.scheduling.nodeSelector = sel;
    }
    if (Array.isArray(s.tolerations)) {
      const tols: Toleration[] = [];
      for (const t of s.tolerations) {
        const r = readToleration(t);
        if (r) tols.push(r);
      }
      rc.scheduling.tolerations = tols;
    }
  }
  return rc;
}

/** Adds the pods, priority classes, disruption budgets (and findings) of a second file (`--pods`) to a cluster. */
export function addPods(cluster: ClusterModel, podsFile: ClusterModel): ClusterModel {
  const out: ClusterModel = { ...cluster, pods: [...cluster.pods, ...podsFile.pods], findings: [...cluster.findings] };
  if (podsFile.priorityClasses) out.priorityClasses = [...(cluster.priorityClasses ?? []), ...podsFile.priorityClasses];
  if (podsFile.podDisruptionBudgets) out.podDisruptionBudgets = [...(cluster.podDisruptionBudgets ?? []), ...podsFile.podDisruptionBudgets];
  if (podsFile.runtimeClasses) out.runtimeClasses = [...(cluster.runtimeClasses ?? []), ...podsFile.runtimeClasses];
  return out;
}
