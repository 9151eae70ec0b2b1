import { keySpan, reportSpan } from '../ast';
import { isPlainObject, type ManifestObject } from '../model';
import { getRequiredNodeAffinity } from '../placement/nodeAffinity';
import { formatPath, type Finding } from '../types';
import { couldSelectNodeOfOS, selectorFixes } from './osWithoutNodeSelector';
import { windowsForbiddenFields } from './podOs';
import type { Rule } from './rule';
import { placementOf } from './placementOf';
import { podOSOf } from '../placement/admission';
import { hasWindowsOptions, hostPaths, imageMatches, imageTag, listText, POD_SPEC_PATH, podSpec, ruleFixes, underAny, WINDOWS_TAG } from './tolerationSupport';
import { nodeList } from './untoleratedTaint';

const NODE_SELECTOR_PATH = [...POD_SPEC_PATH, 'nodeSelector'];

/**
 * Host paths that exist only on a Linux node: the kernel's pseudo filesystems, device nodes, kernel
 * modules, the runtime directory and the machine id. `/var/log`, `/var/lib/...` and `/` are not among
 * them: on Windows a hostPath `/var/log` is `C:\var\log`, where the kubelet writes the pods' logs, so
 * Windows log shippers mount it too.
 */
export const LINUX_ONLY_HOST_PATHS = ['/proc', '/sys', '/dev', '/lib/modules', '/run', '/var/run', '/etc/machine-id'];

/**
 * Images published for Linux only (their Windows counterparts are other images: windows-exporter,
 * the HostProcess kube-proxy and CNI images of sig-windows-tools). Supporting evidence only: which
 * platforms an image is built for is in its registry's manifest list, not in the DaemonSet.
 */
export const LINUX_ONLY_IMAGE_NAMES = ['node-exporter', 'ip-masq-agent', 'cilium', 'kube-router'];

/**
 * The kubelet admits a pod without `os.name` on any node (rejectPodAdmissionBasedOnOSField,
 * pkg/kubelet/lifecycle/predicate.go), and neither the DaemonSet controller (NodeShouldRunDaemonPod)
 * nor the scheduler reads the pod's OS: a Linux agent with no `kubernetes.io/os` node selection gets a
 * pod on every Windows node it tolerates. There the Windows kubelet drops its Linux security settings
 * (generateWindowsContainerConfig, pkg/kubelet/kuberuntime/kuberuntime_container_windows.go, passes on
 * only the Windows ones), and a Linux image has no Windows variant to pull.
 */
export const linuxPodOnWindowsNodes: Rule = {
  id: 'linux-pod-on-windows-nodes',
  description: 'With a cluster file: a pod template written for Linux, without os.name or a kubernetes.io/os node selection, would get pods on Windows nodes.',
  help: 'Neither the DaemonSet controller (NodeShouldRunDaemonPod) nor the scheduler reads the pod\'s OS, and the kubelet admits a pod without `os.name` on any node (rejectPodAdmissionBasedOnOSField): a DaemonSet that does not select `kubernetes.io/os: linux` gets a pod on every Windows node it tolerates, as on AKS, whose Windows pools are not tainted. When its template is written for Linux, those pods never run there: the Linux image has no Windows variant (`no matching manifest for windows/amd64`, ImagePullBackOff), host paths such as /proc and /sys do not exist, and the Linux-only settings are ignored. Reported only with a cluster file, for the Windows nodes where the controller would create a pod, and only when the template shows Linux-only signs: a field that validateWindows forbids for a Windows pod and that asks for a Linux kernel feature (hostPID, hostIPC, privileged, capabilities, seLinuxOptions, sysctls, …; not hardening a Windows node ignores, such as runAsUser, seccompProfile or readOnlyRootFilesystem), or a host path under /proc, /sys, /dev, /lib/modules, /run, /var/run or /etc/machine-id. A well-known Linux-only image (node-exporter, ip-masq-agent) is named beside them but never counts on its own. Add `nodeSelector: kubernetes.io/os: linux`.',
  defaultSeverity: 'warning',
  // A Kustomize patch is merged into a base whose selectors and containers it does not show.
  needsCompleteObject: true,
  check(ds, ctx) {
    const cluster = ctx.cluster;
    if (!cluster?.nodes.some((n) => n.os === 'windows')) return [];
    const spec = podSpec(ds);
    // os.name or the template's kubernetes.io/os label: the kubelet checks them (os-without-node-selector).
    const { os, label } = podOSOf(ds);
    if (os !== undefined || label !== undefined) return [];
    // Pinned to a node by name: its OS is the author's choice.
    if (typeof spec.nodeName === 'string' && spec.nodeName) return [];
    const affinity = getRequiredNodeAffinity(spec);
    // A selection on kubernetes.io/os either way says which OS the pods are for.
    if (!couldSelectNodeOfOS(affinity, 'linux') || !couldSelectNodeOfOS(affinity, 'windows')) return [];
    if (hasWindowsOptions(spec)) return [];
    const signs = linuxOnlySigns(ds);
    if (!signs.strong.length) return [];
    const placement = placementOf(ctx, ds);
    if (!placement) return [];
    const windows = new Set(cluster.nodes.filter((n) => n.os === 'windows').map((n) => n.name));
    // The nodes where the controller creates a pod and the kubelet admits it.
    const nodes = placement.nodes.filter((v) => v.shouldRun && v.admitted !== false && windows.has(v.node)).map((v) => v.node);
    if (!nodes.length) return [];
    const all = [...signs.strong, ...signs.supporting];
    const one = nodes.length === 1;
    const message = `The template is written for Linux (${listText(all)}) but nothing keeps its pods off Windows nodes (no os.name, no kubernetes.io/os node selection): the DaemonSet controller creates a pod on the Windows ${one ? 'node' : 'nodes'} ${nodeList(nodes)}, the kubelet there admits ${one ? 'it' : 'each one'}, and ${one ? 'its' : 'their'} containers cannot start (a Linux image has no Windows variant: ImagePullBackOff). Add nodeSelector kubernetes.io/os: linux.`;
    const span = keySpan(ds, NODE_SELECTOR_PATH) ?? reportSpan(ds, POD_SPEC_PATH);
    const text = ctx.model.text;
    const f: Finding = {
      code: this.id,
      severity: this.defaultSeverity,
      message,
      path: (keySpan(ds, NODE_SELECTOR_PATH) ? NODE_SELECTOR_PATH : POD_SPEC_PATH).join('.'),
      span,
      data: { nodes, signs: all },
      fixes: ruleFixes(ctx, ds, span, this.id, () => selectorFixes(text, ds, 'linux', 'windows', affinity)),
    };
    return [f];
  },
};

/**
 * Fields of validateWindows' list that cross-platform agents set for their Linux pods as hardening and
 * that a Windows node ignores: not signs that the image is Linux-only. The others (privileged,
 * capabilities, seLinuxOptions, hostPID, hostIPC, sysctls, procMount, …) ask for Linux kernel features.
 */
const HARDENING_FIELDS = new Set([
  'allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'runAsUser', 'runAsGroup', 'fsGroup', 'fsGroupChangePolicy',
  'supplementalGroups', 'supplementalGroupsPolicy', 'seccompProfile', 'appArmorProfile',
]);

/**
 * Why the template reads as a Linux pod. `strong`: the fields validateWindows forbids for a Windows pod
 * (podOs.ts windowsForbiddenFields) and host paths only a Linux node has; `supporting`: images built
 * only for Linux, named but never enough on their own.
 */
export function linuxOnlySigns(ds: ManifestObject): { strong: string[]; supporting: string[] } {
  const spec = podSpec(ds);
  const strong: string[] = [];
  for (const p of hostPaths(spec)) if (underAny(p, LINUX_ONLY_HOST_PATHS)) strong.push(`mounts ${p}`);
  for (const path of windowsForbiddenFields(ds)) {
    // Hardening that a Windows kubelet drops (generateWindowsContainerConfig) says nothing of the image's OS.
    if (!HARDENING_FIELDS.has(String(path[path.length - 1]))) strong.push(`sets ${formatPath(path.slice(POD_SPEC_PATH.length))}`);
  }
  const supporting: string[] = [];
  for (const list of ['initContainers', 'containers']) {
    const items = Array.isArray(spec[list]) ? (spec[list] as unknown[]) : [];
    for (const c of items) {
      if (!isPlainObject(c) || typeof c.image !== 'string') continue;
      if (imageMatches(c.image, LINUX_ONLY_IMAGE_NAMES) && !WINDOWS_TAG.test(imageTag(c.image))) supporting.push(`runs ${c.image}`);
    }
  }
  return { strong: [...new Set(strong)], supporting: [...new Set(supporting)] };
}

