import type { Rule } from './rule';
import { restartPolicyAlways } from './restartPolicyAlways';
import { metadataName } from './metadataName';
import { metadataLabels } from './metadataLabels';
import { metadataAnnotations } from './metadataAnnotations';
import { selectorSyntax } from './selectorSyntax';
import { selectorMatchesLabels } from './selectorMatchesLabels';
import { emptySelector } from './emptySelector';
import { templateLabels } from './templateLabels';
import { templateAnnotations } from './templateAnnotations';
import { activeDeadlineSeconds } from './activeDeadlineSeconds';
import { minReadySeconds } from './minReadySeconds';
import { updateStrategy } from './updateStrategy';
import { rollingUpdateValues } from './rollingUpdateValues';
import { revisionHistoryLimit } from './revisionHistoryLimit';
import { tolerationKey } from './tolerationKey';
import { tolerationOperator } from './tolerationOperator';
import { tolerationEffect } from './tolerationEffect';
import { containersRequired } from './containersRequired';
import { containerName } from './containerName';
import { containerImage } from './containerImage';
import { containerPorts } from './containerPorts';
import { containerEnv } from './containerEnv';
import { containerLifecycle } from './containerLifecycle';
import { containerProbes } from './containerProbes';
import { volumes } from './volumes';
import { volumeMounts } from './volumeMounts';
import { ephemeralContainers } from './ephemeralContainers';
import { dnsPolicy } from './dnsPolicy';
import { nodeSelectorLabels } from './nodeSelectorLabels';
import { nodeName } from './nodeName';
import { podSpecNames } from './podSpecNames';
import { nodeAffinity } from './nodeAffinity';
import { resourceQuantities } from './resourceQuantities';
import { requestsWithinLimits } from './requestsWithinLimits';
import { podLevelResources } from './podLevelResources';
import { windowsHostProcess } from './windowsHostProcess';
import { podOs } from './podOs';
import { missingNetworkUnavailableToleration } from './missingNetworkUnavailableToleration';
import { missingNotReadyToleration } from './missingNotReadyToleration';
import { missingControlPlaneToleration } from './missingControlPlaneToleration';
import { untoleratedTaint } from './untoleratedTaint';
import { noEligibleNodes } from './noEligibleNodes';
import { legacyMasterLabel } from './legacyMasterLabel';
import { unschedulableOnNodes } from './unschedulableOnNodes';
import { runtimeClassRejected } from './runtimeClassRejected';
import { osWithoutNodeSelector } from './osWithoutNodeSelector';
import { linuxPodOnWindowsNodes } from './linuxPodOnWindowsNodes';
import { tolerationMatchesNoTaint } from './tolerationMatchesNoTaint';
import { toleratesAllTaints } from './toleratesAllTaints';
import { podSecurityContext } from './podSecurityContext';
import { dnsConfig } from './dnsConfig';
import { hostAliases } from './hostAliases';
import { securityContext } from './securityContext';
import { containerPolicies } from './containerPolicies';
import { containerRestartPolicy } from './containerRestartPolicy';
import { podGates } from './podGates';
import { topologySpread } from './topologySpread';
import { preemptionPolicy } from './preemptionPolicy';
import { podOverhead } from './podOverhead';
import { terminationGracePeriod } from './terminationGracePeriod';
import { imagePullSecrets } from './imagePullSecrets';

/** Every rule, in reporting order. Add a rule here and nowhere else. */
export const RULES: readonly Rule[] = [
  // DaemonSet (ValidateDaemonSet: ValidateObjectMeta, then ValidateDaemonSetSpec)
  metadataName,
  metadataLabels,
  metadataAnnotations,
  selectorSyntax,
  selectorMatchesLabels,
  emptySelector,
  templateLabels,
  templateAnnotations,
  restartPolicyAlways,
  activeDeadlineSeconds,
  minReadySeconds,
  updateStrategy,
  rollingUpdateValues,
  revisionHistoryLimit,
  // Pod template (ValidatePodTemplateSpec → ValidatePodSpec)
  tolerationKey,
  tolerationOperator,
  tolerationEffect,
  volumes,
  containersRequired,
  containerName,
  containerImage,
  containerPorts,
  containerEnv,
  containerLifecycle,
  containerProbes,
  containerPolicies,
  containerRestartPolicy,
  volumeMounts,
  ephemeralContainers,
  dnsPolicy,
  nodeSelectorLabels,
  podSecurityContext,
  nodeName,
  podSpecNames,
  nodeAffinity,
  dnsConfig,
  hostAliases,
  resourceQuantities,
  requestsWithinLimits,
  securityContext,
  podLevelResources,
  podGates,
  topologySpread,
  preemptionPolicy,
  podOverhead,
  windowsHostProcess,
  podOs,
  terminationGracePeriod, // an API server warning (GetWarningsForPodTemplate)
  imagePullSecrets, // an API server warning (GetWarningsForPodTemplate)
  missingNetworkUnavailableToleration,
  missingNotReadyToleration,
  missingControlPlaneToleration,
  untoleratedTaint,
  noEligibleNodes,
  legacyMasterLabel,
  unschedulableOnNodes,
  runtimeClassRejected,
  osWithoutNodeSelector,
  linuxPodOnWindowsNodes,
  tolerationMatchesNoTaint,
  toleratesAllTaints,
];

export type { Rule, RuleContext } from './rule';
