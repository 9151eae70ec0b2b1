import { keySpan, reportSpan, valueAt } from '../ast';
import { replaceScalar, setMapEntries } from '../edits';
import { isPlainObject, type ManifestObject } from '../model';
import { OS_LABEL, podOSOf, PodOSNotSupported, PodOSSelectorNodeLabelDoesNotMatch } from '../placement/admission';
import { getRequiredNodeAffinity, type RequiredNodeAffinity } from '../placement/nodeAffinity';
import type { Fix, Finding } from '../types';
import { VALID_OS } from './podOs';
import type { Rule } from './rule';
import { placementOf } from './placementOf';
import { couldSelectNodeOfOS, POD_SPEC_PATH, podSpec, ruleFixes } from './tolerationSupport';

export { couldSelectNodeOfOS };
import { nodeList } from './untoleratedTaint';

const OS_PATH = [...POD_SPEC_PATH, 'os'];
const NODE_SELECTOR_PATH = [...POD_SPEC_PATH, 'nodeSelector'];
/** The labels the kubelet sets from the node's OS (initialNode, pkg/kubelet/kubelet_node_status.go). */

/**
 * `os.name` is for the API server (validateOS, validateWindows/validateLinux) and the kubelet
 * (rejectPodAdmissionBasedOnOSField, pkg/kubelet/lifecycle/predicate.go), not for placement:
 * NodeShouldRunDaemonPod (pkg/controller/daemon/daemon_controller.go) and the scheduler never read it.
 * Without a nodeSelector or required node affinity on the node's OS, the controller creates a pod on
 * every node of the other OS it selects, the kubelet there rejects it, and the controller deletes the
 * failed pod and creates it again, with back-off.
 */
export const osWithoutNodeSelector: Rule = {
  id: 'os-without-node-selector',
  description: 'The pod template sets os.name but its nodeSelector and required node affinity do not keep the pods on nodes of that OS.',
  help: 'The DaemonSet controller (NodeShouldRunDaemonPod) and the scheduler ignore `os.name`: a DaemonSet whose template sets `os.name: windows` but selects nodes only by taints, pools or not at all gets a pod on every Linux node too, and the kubelet there rejects it at admission (PodOSNotSupported, rejectPodAdmissionBasedOnOSField); the controller then deletes the failed pod and creates it again, with back-off. Keep the pods on nodes of their OS with `nodeSelector: kubernetes.io/os: <os.name>` (or a required node affinity on `kubernetes.io/os`). Without a cluster file, any node selection that does not pin the OS label is reported; with one, only the nodes of another OS that would get rejected pods are, and none means no finding.',
  defaultSeverity: 'warning',
  // A Kustomize patch is merged into a base whose selectors it does not show.
  needsCompleteObject: true,
  check(ds, ctx) {
    const spec = podSpec(ds);
    const os = isPlainObject(spec.os) && typeof spec.os.name === 'string' ? spec.os.name : undefined;
    // No OS, or one the API server rejects (pod-os reports it).
    if (os === undefined || !VALID_OS.includes(os)) return [];
    const other = VALID_OS.find((o) => o !== os)!;
    const affinity = getRequiredNodeAffinity(spec);
    const selectsOS = !couldSelectNodeOfOS(affinity, other);
    const notKept = `os.name is ${os}, but neither the nodeSelector nor the required node affinity keeps the pods on ${os} nodes: the DaemonSet controller ignores os.name, so it creates a pod on`;
    let why = PodOSNotSupported;
    const rejected = () => `and the kubelet there rejects each one (${why}); the controller then creates it again`;
    let message: string;
    let nodes: string[] | undefined;
    if (ctx.cluster?.nodes.length) {
      const placement = placementOf(ctx, ds);
      if (!placement) return [];
      // The nodes where the controller creates a pod and the kubelet rejects it for its OS.
      const verdicts = placement.nodes.filter((v) => v.shouldRun && v.admitted === false);
      if (!verdicts.length) return [];
      nodes = verdicts.map((v) => v.node);
      // The template's own kubernetes.io/os label is checked first (rejectPodAdmissionBasedOnOSSelector).
      why = [...new Set(verdicts.flatMap((v) => v.reasons.map((r) => r.kubeletReason ?? '')).filter(Boolean))].join(', ') || why;
      const podLabel = podOSOf(ds).label;
      const ownLabel = verdicts.every((v) => v.reasons.some((r) => r.kubeletReason === PodOSSelectorNodeLabelDoesNotMatch));
      message = selectsOS && ownLabel
        // The pods' own kubernetes.io/os label is what the kubelet finds wrong (rejectPodAdmissionBasedOnOSSelector).
        ? `os.name is ${os} and the node selection asks for ${os} nodes, but the template labels its pods ${OS_LABEL}: ${String(podLabel)}, which the kubelet on ${nodeList(nodes)} checks against the OS it runs: the DaemonSet controller creates a pod there, ${rejected()}. Remove the label from the template, or make it ${os}.`
        : selectsOS
        // The selection is right, the labels are not: the kubelet checks the OS it runs on.
        ? `os.name is ${os} and the node selection asks for ${os} nodes, but ${nodeList(nodes)} ${nodes.length === 1 ? 'carries an OS label that does not match the OS its kubelet reports' : 'carry OS labels that do not match the OS their kubelets report'} (status.nodeInfo.operatingSystem): the DaemonSet controller creates a pod there, ${rejected()}.`
        : `${notKept} ${nodeList(nodes)} (nodes of another OS in the cluster file), ${rejected()}. Add nodeSelector ${OS_LABEL}: ${os}.`;
    } else {
      // Pinned to one node by name: which OS it runs is the author's choice, unknown here.
      if ((typeof spec.nodeName === 'string' && spec.nodeName) || selectsOS) return [];
      message = `${notKept} every ${other} node it selects, ${rejected()}. Add nodeSelector ${OS_LABEL}: ${os}.`;
    }
    const span = keySpan(ds, OS_PATH) ?? reportSpan(ds, OS_PATH);
    const text = ctx.model.text;
    const f: Finding = {
      code: this.id,
      severity: this.defaultSeverity,
      message,
      path: OS_PATH.join('.'),
      span,
      data: nodes ? { os, nodes } : { os },
      fixes: ruleFixes(ctx, ds, span, this.id, () => (selectsOS ? [] : selectorFixes(text, ds, os, other, affinity))),
    };
    return [f];
  },
};

/**
 * The fixes: set `kubernetes.io/os` in the nodeSelector to the pod's OS (creating the nodeSelector
 * where needed); when the nodeSelector names the other OS, also changing os.name to it. None when
 * the required node affinity keeps the pods off every node of their OS: the selector would then
 * select no node at all.
 */
export function selectorFixes(text: string, ds: ManifestObject, os: string, other: string, affinity: RequiredNodeAffinity): Fix[] {
  const out: Fix[] = [];
  const others = affinity.nodeSelector?.filter((r) => r.key !== OS_LABEL);
  if (!couldSelectNodeOfOS({ ...affinity, nodeSelector: others?.length ? others : undefined }, os)) return out;
  const current = valueAt(ds, [...NODE_SELECTOR_PATH, OS_LABEL]);
  const edits = setMapEntries(text, ds, NODE_SELECTOR_PATH, { [OS_LABEL]: os });
  if (edits.length) out.push({ title: `${current === undefined ? 'Add' : 'Set'} nodeSelector ${OS_LABEL}: ${os}`, edits, isPreferred: true });
  if (current === other) {
    const rename = replaceScalar(text, ds, [...OS_PATH, 'name'], other);
    if (rename.length) out.push({ title: `Change os.name to ${other} (the nodeSelector's OS)`, edits: rename });
  }
  return out;
}

