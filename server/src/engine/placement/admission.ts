/**
 * The kubelet's admission of a daemon pod bound to its node, the part that depends on the pod's OS,
 * mirroring pkg/kubelet/lifecycle/predicate.go: (*predicateAdmitHandler).Admit runs
 * rejectPodAdmissionBasedOnOSSelector, then rejectPodAdmissionBasedOnOSField, before any other check
 * (preemption cannot help them). Neither the DaemonSet controller (NodeShouldRunDaemonPod) nor the
 * scheduler reads the pod's OS, so on a node of another OS the pod is created and bound, then fails
 * there; the controller deletes the failed pod and creates it again, with back-off.
 */
import { isPlainObject, type ManifestObject } from '../model';
import type { CompiledDaemonSet } from './compile';
import { NONE } from './controller';
import { templateOf } from './daemonPod';
import type { ClusterNode, Reason } from './types';

/** The well-known label of a node's (and, for the kubelet, a pod's) operating system. */
export const OS_LABEL = 'kubernetes.io/os';

/** The pod's OS as the kubelet reads it: `spec.os.name`, and the template's own `kubernetes.io/os` label. */
export function podOSOf(ds: ManifestObject): { os?: string; label?: string } {
  const { metadata, spec } = templateOf(ds);
  const os = isPlainObject(spec.os) && typeof spec.os.name === 'string' && spec.os.name !== '' ? spec.os.name : undefined;
  const labels = isPlainObject(metadata.labels) ? metadata.labels : {};
  const label = typeof labels[OS_LABEL] === 'string' ? labels[OS_LABEL] : undefined;
  return { os, label };
}

/** The pod's `kubernetes.io/os` label does not name the node's OS. */
export const PodOSSelectorNodeLabelDoesNotMatch = 'PodOSSelectorNodeLabelDoesNotMatch';
/** The pod's OS field does not name the node's OS. */
export const PodOSNotSupported = 'PodOSNotSupported';

/**
 * rejectPodAdmissionBasedOnOSSelector: despite its name it reads the pod's own labels (not its
 * nodeSelector); a `kubernetes.io/os` label there must equal the OS the kubelet runs on
 * (runtime.GOOS). A pod without the label is admitted.
 */
export function rejectPodAdmissionBasedOnOSSelector(podOSLabel: string | undefined, nodeOS: string): boolean {
  return podOSLabel !== undefined && podOSLabel !== nodeOS;
}

/** rejectPodAdmissionBasedOnOSField: a pod with `spec.os` is admitted only on a node of that OS (runtime.GOOS). */
export function rejectPodAdmissionBasedOnOSField(podOS: string | undefined, nodeOS: string): boolean {
  return podOS !== undefined && podOS !== nodeOS;
}

/**
 * Why the kubelet of `node` rejects this DaemonSet's pod: at most one reason, as Admit returns at the
 * first. Empty (the shared frozen list) when it admits the pod, or when the cluster file does not say
 * which OS the node runs.
 */
export function admissionReasons(c: CompiledDaemonSet, node: Pick<ClusterNode, 'os'>): Reason[] {
  const nodeOS = node.os;
  if (nodeOS === undefined || (c.podOS === undefined && c.osLabel === undefined)) return NONE as Reason[];
  if (rejectPodAdmissionBasedOnOSSelector(c.osLabel, nodeOS)) {
    return [{
      code: 'pod-os-label-mismatch',
      message: `pod label \`kubernetes.io/os=${c.osLabel}\` does not match the node's OS \`${nodeOS}\``,
      span: c.spans.osLabel,
      kubeletReason: PodOSSelectorNodeLabelDoesNotMatch,
    }];
  }
  if (rejectPodAdmissionBasedOnOSField(c.podOS, nodeOS)) {
    return [{
      code: 'pod-os-not-supported',
      message: `os.name \`${c.podOS}\` does not match the node's OS \`${nodeOS}\``,
      span: c.spans.os,
      kubeletReason: PodOSNotSupported,
    }];
  }
  return NONE as Reason[];
}
