import { daemonPodTolerations as defaultDaemonPodTolerations, doNotScheduleTaintsFilter, formatTaint, comparisonOperatorsEnabled, matchToleration, tolerationsTolerateTaint } from '../placement/tolerations';
import { isPlainObject, type ManifestObject } from '../model';
import { getRequiredNodeAffinity } from '../placement/nodeAffinity';
import type { Toleration } from '../placement/types';
import { formatPath, type Finding, type Fix } from '../types';
import type { Rule } from './rule';
import { placementOf } from './placementOf';
import { daemonPodTolerations, excludesControlPlane, isHostNetwork, itemSpan, managesNodeNetwork, osRejectingNodes, podSpec, ruleFixes, TOLERATIONS_PATH, userTolerations } from './tolerationSupport';
import { nodeList, SELECTION_MISMATCH } from './untoleratedTaint';

/** ToleratesTaint (api/core/v1/toleration.go): an empty key matches every key, Exists every value. */
function isKeyless(t: Toleration): boolean {
  return !t.key && t.operator === 'Exists';
}

/** Whether the toleration applies to taints of `effect` (an empty effect matches every effect). */
function covers(t: Toleration, effect: string): boolean {
  return !t.effect || t.effect === effect;
}

/** "(no key, operator Exists, effect NoExecute)" */
function describeKeyless(t: Toleration): string {
  return `(no key, operator Exists${t.effect ? `, effect ${t.effect}` : ''}${t.tolerationSeconds !== undefined ? `, tolerationSeconds ${t.tolerationSeconds}` : ''})`;
}

/**
 * A key-less `operator: Exists` toleration tolerates every taint of its effect (ToleratesTaint,
 * api/core/v1/toleration.go: empty key matches all keys, Exists matches all values).
 */
export const toleratesAllTaints: Rule = {
  id: 'tolerates-all-taints',
  description: 'A key-less Exists toleration tolerates every taint, NoExecute included.',
  help: 'With no key and `operator: Exists`, a toleration matches every taint (of its effect, or of every effect when it has none). The pods then run on control-plane and cordoned nodes and are never evicted by NoExecute taints: not by node.kubernetes.io/not-ready or unreachable, nor by node.kubernetes.io/out-of-service during a non-graceful shutdown. Network agents (network plugins, and hostNetwork pods that add NET_ADMIN such as kube-proxy or network policy agents) do this on purpose and are not reported; other agents should list the taints they mean. A key-less toleration limited to NoSchedule is reported as a hint only, unless another key-less toleration of the pod covers NoExecute. With a cluster file, the message names the nodes the DaemonSet selects (nodeSelector, required node affinity) that only these tolerations let the pods onto.',
  defaultSeverity: 'information',
  // A Kustomize patch is merged into a base whose tolerations, selectors and containers it does not show.
  needsCompleteObject: true,
  check(ds, ctx) {
    const cluster = ctx.cluster;
    if (!cluster) return [];
    const all = userTolerations(ds);
    const keyless = all.filter(({ toleration: t }) => isKeyless(t));
    // Network agents must run on every node, whatever its taints: that is the documented practice.
    if (!keyless.length || managesNodeNetwork(ds)) return [];
    const hit = keyless[0];
    const t = hit.toleration;
    const path = [...TOLERATIONS_PATH, hit.index];
    const span = itemSpan(ctx.model.text, ds, path);
    const gate = comparisonOperatorsEnabled(ctx);
    const blanket = keyless.map((k) => k.toleration);
    const noExecute = keyless.find((k) => covers(k.toleration, 'NoExecute'));
    // The daemon pod's tolerations (AddOrUpdateDaemonPodTolerations, pkg/controller/daemon/util/daemonset_util.go)
    // without the key-less ones: what the pods would tolerate if these were keyed.
    const without = daemonPodTolerations(ds).filter((x) => !blanket.some((b) => b === x || (isKeyless(x) && (x.effect ?? '') === (b.effect ?? ''))));
    // Only the nodes the DaemonSet selects (nodeName, nodeSelector, required node affinity), as
    // NodeShouldRunDaemonPod decides them (pkg/controller/daemon/daemon_controller.go): elsewhere
    // no toleration lets a pod on.
    const placement = placementOf(ctx, ds);
    const selected = new Set(placement?.nodes.filter((v) => !v.reasons.some((r) => SELECTION_MISMATCH.has(r.code))).map((v) => v.node) ?? []);
    const opened: string[] = [];
    // The kubelet rejects the pods on nodes of another OS: no toleration lets them run there.
    const wrongOS = osRejectingNodes(ds, cluster);
    for (const n of cluster.nodes) {
      if (!selected.has(n.name) || wrongOS.has(n.name)) continue;
      const ts = n.taints.filter((taint) => doNotScheduleTaintsFilter(taint) && blanket.some((b) => covers(b, taint.effect)) && !tolerationsTolerateTaint(without, taint, gate));
      if (ts.length) opened.push(`${n.name} (${ts.map(formatTaint).join(', ')})`);
    }
    // Where the pods may go: every node, or only those the DaemonSet selects; and whether the
    // control plane is among them (a Windows-only DaemonSet, or one kept off it on purpose, is not).
    const nodes = selectsEveryNode(ds) ? 'every node' : 'every node they select';
    const controlPlane = excludesControlPlane(ds) ? '' : 'control-plane and ';
    let what: string;
    if (!t.effect) {
      what = `tolerates every taint: the pods run on ${nodes}, ${controlPlane}cordoned nodes included, and NoExecute taints never evict them, not even node.kubernetes.io/not-ready/unreachable or node.kubernetes.io/out-of-service (pods on a failed or shut-down node are not deleted).`;
    } else if (t.effect === 'NoExecute') {
      what = `tolerates every NoExecute taint: ${evictionText(t)}`;
      const sched = keyless.find((k) => k !== hit && covers(k.toleration, 'NoSchedule'));
      if (sched) what += ` With tolerations[${sched.index}] ${describeKeyless(sched.toleration)} the pods also go onto ${nodes} whatever its NoSchedule taints (${controlPlane}dedicated nodes included).`;
    } else {
      what = `tolerates every ${t.effect} taint (${controlPlane}dedicated nodes included); `;
      what += noExecute
        ? `with tolerations[${noExecute.index}] ${describeKeyless(noExecute.toleration)} the pods tolerate every NoExecute taint too, so ${evictionText(noExecute.toleration).replace(/^the pods/, 'they')}`
        : `NoExecute taints still evict the pods, except ${noExecuteExceptions(ds)}.`;
    }
    const fixes: Fix[] = ruleFixes(ctx, ds, span, this.id);
    const f: Finding = {
      code: this.id,
      // Only tolerations that cover NoExecute change eviction; NoSchedule-only ones are a hint.
      severity: noExecute ? this.defaultSeverity : 'hint',
      message: `This toleration ${describeKeyless(t).replace(/, tolerationSeconds \d+/, '')} ${what}` + (opened.length ? ` In the cluster file ${keyless.length > 1 ? 'these tolerations let' : 'it lets'} the pods onto ${nodeList(opened, 4)}.` : ''),
      path: formatPath(path),
      span,
      data: { effect: t.effect ?? '' },
      fixes,
    };
    return [f];
  },
};

/**
 * Whether the DaemonSet lets in every node before taints: no nodeName, `os.name`, nodeSelector or
 * required node affinity (NodeShouldRunDaemonPod's other filters).
 */
function selectsEveryNode(ds: Parameters<Rule['check']>[0]): boolean {
  const spec = podSpec(ds);
  if (typeof spec.nodeName === 'string' && spec.nodeName) return false;
  if (isPlainObject(spec.os) && typeof spec.os.name === 'string' && spec.os.name) return false;
  const affinity = getRequiredNodeAffinity(spec);
  return !affinity.nodeSelector?.length && !affinity.terms;
}

/** What a key-less toleration that covers NoExecute means for eviction. */
function evictionText(t: Toleration): string {
  // tolerationSeconds does not matter to the DaemonSet controller (NodeShouldRunDaemonPod ignores it);
  // the taint-eviction controller evicts once it has passed.
  return t.tolerationSeconds !== undefined
    ? `the pods are evicted from NoExecute-tainted nodes only after ${t.tolerationSeconds}s (the DaemonSet controller itself keeps them).`
    : 'the pods are never evicted, not even by node.kubernetes.io/out-of-service (pods on a shut-down node are not deleted).';
}

/**
 * The NoExecute taints the daemon pods tolerate anyway: not-ready and unreachable, added by
 * AddOrUpdateDaemonPodTolerations (pkg/controller/daemon/util/daemonset_util.go), and those of the
 * template's own keyed NoExecute (or effect-less) tolerations.
 */
function noExecuteExceptions(ds: ManifestObject): string {
  const automatic = defaultDaemonPodTolerations(isHostNetwork(ds)).filter((x) => x.effect === 'NoExecute');
  const own: string[] = [];
  for (const { index, toleration: x } of userTolerations(ds)) {
    if (!x.key || !covers(x, 'NoExecute')) continue;
    // The controller replaces a user toleration equal to one of its own (AddOrUpdateTolerationInPodSpec).
    if (automatic.some((a) => matchToleration(a, { ...x, effect: 'NoExecute' }))) continue;
    const delay = x.tolerationSeconds !== undefined ? `, which delays eviction by ${x.tolerationSeconds}s` : '';
    own.push(`${x.key}${x.operator === 'Exists' ? '' : `=${x.value ?? ''}`} (tolerations[${index}]${delay})`);
  }
  const auto = `${automatic.map((a) => a.key).join(' and ')} (which the DaemonSet controller tolerates on every daemon pod)`;
  return own.length ? `${auto} and ${nodeList(own, 4)}` : auto;
}
