/** Placement: which nodes a DaemonSet's pods land on, and why not on the others (mirrors pkg/controller/daemon). */
export * from './types';
export { placeDaemonSet, podForNode, manage, indexCluster, schedulerReasons } from './place';
export type { ClusterIndex, IndexedNode } from './place';
export { compileDaemonSet } from './compile';
export {
  admissionReasons,
  rejectPodAdmissionBasedOnOSField,
  rejectPodAdmissionBasedOnOSSelector,
  PodOSNotSupported,
  PodOSSelectorNodeLabelDoesNotMatch,
} from './admission';
export type { CompiledDaemonSet } from './compile';
export { runtimeClassAdmission, mergeTolerations, withRuntimeClass, runtimeClassPodNote } from './runtimeClass';
export type { RuntimeClassAdmission, RuntimeClassRejection } from './runtimeClass';
export { nodeShouldRunDaemonPod, predicates, explainShouldRun, explainNotes } from './controller';
export {
  effectiveTolerations,
  newDaemonPod,
  newDaemonPodOf,
  createPodTemplate,
  replaceDaemonSetPodNodeNameNodeAffinity,
  templateTolerations,
  getPodsPrefix,
  ControllerRevisionHashLabelKey,
  DaemonSetTemplateGenerationKey,
} from './daemonPod';
export {
  toleratesTaint,
  tolerationsTolerateTaint,
  findMatchingUntoleratedTaint,
  addOrUpdateDaemonPodTolerations,
  addOrUpdateTolerationInPodSpec,
  daemonPodTolerations,
  isDecimalInteger,
  formatTaint,
  doNotScheduleTaintsFilter,
  noExecuteTaintsFilter,
  TaintTolerationComparisonOperators,
} from './tolerations';
export {
  getRequiredNodeAffinity,
  matchRequiredNodeAffinity,
  nodeSelectorMatches,
  requiredTermsMatch,
  parseNodeSelector,
  parseLabelSelector,
  newRequirement,
  requirementMatches,
  labelsMatch,
} from './nodeAffinity';
export type { RequiredNodeAffinity, LabelRequirement, ParsedTerm } from './nodeAffinity';
export { computePodResourceRequest, fitsRequest, getContainerPorts, checkConflict } from './resources';
export type { ResourceList, InsufficientResource, NodeResources, HostPort, StatusResources } from './resources';
export {
  podsShouldBeOnNode,
  podByCreationTimestampAndPhase,
  getNodesToDaemonPods,
  getUnscheduledPodsWithoutNode,
  claimPod,
  isPodAvailable,
  isPodUpdated,
  allowsSurge,
} from './sync';
export type { NodePlan, PodClaim } from './sync';
export { rollingUpdateSummary, unavailableCount, surgeCount, getScaledValueFromIntOrPercent } from './update';
export { rollingUpdate, findUpdatedPodsOnNode } from './rollingUpdate';
export type { RollingUpdatePlan } from './rollingUpdate';
