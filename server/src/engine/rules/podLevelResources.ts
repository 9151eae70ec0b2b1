import { featureEnabled } from '../featureGates';
import { replaceScalar } from '../edits';
import { supportedValues } from '../fieldErrors';
import type { ManifestObject } from '../model';
import { aggregateContainerResources, isSupportedPodLevelResource, SUPPORTED_POD_LEVEL_RESOURCES, type ResourceArithmetic } from '../placement/resources';
import { containersOf, formatKeyPath, isHugePageResourceName, isOvercommitAllowed, isRecord, POD_SPEC, podSpecOf, resourceEntries, type ResourcesOwner } from '../podTemplate';
import { addQuantities, cmpQuantities, quantityOf, quantityString, type Quantity } from '../quantity';
import type { Finding } from '../types';
import { validateRequestsWithinLimits } from './requestsWithinLimits';
import { quantityParseFinding, validateResourceName, validateResourceQuantities, type ResourceNameFn } from './resourceQuantities';
import { apiFinding, type Rule, type RuleContext } from './rule';

const RESOURCES = [...POD_SPEC, 'resources'];

/**
 * pkg/apis/core/validation/validation.go validatePodResources, which ValidatePodSpec runs after the
 * containers when PodValidationOptions.PodLevelResourcesEnabled: a windows pod may not set
 * `resources`; `resources.claims` is forbidden; validatePodResourceRequirements
 * (validateResourceRequirements with validatePodResourceName: cpu, memory and huge pages only); then
 * validatePodResourceConsistency: the pod-level requests cover the containers' aggregate requests,
 * huge pages limits cover their aggregate limits, and no container's limit exceeds the pod's.
 */
export const podLevelResources: Rule = {
  id: 'pod-level-resources',
  description: 'Pod-level resources may set only cpu, memory and hugepages-*, with requests within limits and at least what the containers request together.',
  help: 'Upstream validatePodResources (PodLevelResources, on by default from Kubernetes 1.34; in 1.32 and 1.33 only with the feature gate, else the API server drops the field). `spec.template.spec.resources` supports only cpu, memory and hugepages-* (`Unsupported value: "ephemeral-storage": supported values: "cpu", "hugepages-", "memory"`), no `claims`, and is forbidden for a windows pod. Its requests must not exceed its limits, must be at least the aggregate of the container requests (sidecar init containers add up, other init containers count by the largest; `must be greater than or equal to aggregate container requests of 1500m`), and no container limit may exceed the pod limit (`must be less than or equal to pod limits of 1`). Raise the pod-level request or lower the container ones.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const spec = podSpecOf(ds);
    // Absent or null: spec.Resources == nil. Another type never decodes (the schema reports it).
    if (!spec || !isRecord(spec.resources)) return [];
    const pod: ResourcesOwner = { path: POD_SPEC, value: spec };
    if (!featureEnabled(ctx, 'PodLevelResources')) {
      // The field is in the API from 1.32 and decoded before the disabled gate drops it
      // (dropDisabledPodLevelResources): a quantity that does not parse still fails the request.
      if (ctx.kubernetesMinor < 32) return [];
      return resourceEntries(pod).flatMap((e) => quantityParseFinding(podLevelResources, ds, e) ?? []);
    }
    return validatePodResources(ds, ctx, pod, spec.resources);
  },
};

/** validatePodResourceName: validateResourceName, then a resource the pod level supports. */
const validatePodResourceName: ResourceNameFn = (name) => {
  const errs = validateResourceName(name);
  if (errs.length) return errs.map((detail) => ({ type: 'Invalid', detail }));
  if (!isSupportedPodLevelResource(name)) return [{ type: 'NotSupported', detail: supportedValues(SUPPORTED_POD_LEVEL_RESOURCES) }];
  return [];
};

function validatePodResources(ds: ManifestObject, ctx: RuleContext, pod: ResourcesOwner, resources: Record<string, unknown>): Finding[] {
  const spec = pod.value;
  if (isRecord(spec.os) && spec.os.name === 'windows') {
    // Upstream says nothing more about a field the target OS does not allow.
    return [apiFinding(podLevelResources, ds, RESOURCES, 'Forbidden', 'may not be set for a windows pod')];
  }
  const out: Finding[] = [];
  // Claims != nil: any value but null (an empty list included).
  if (resources.claims !== undefined && resources.claims !== null) {
    out.push(apiFinding(podLevelResources, ds, [...RESOURCES, 'claims'], 'Forbidden', 'claims may not be set for Resources at pod-level'));
  }
  validateResourceQuantities(podLevelResources, ds, pod, validatePodResourceName, out);
  validateRequestsWithinLimits(podLevelResources, ds, ctx.model.text, pod, out);
  validatePodResourceConsistency(ds, ctx, spec, resources, out);
  return out;
}

const EXACT: ResourceArithmetic<Quantity> = { add: addQuantities, cmp: cmpQuantities };

/** A container's `resources.<list>` as exact quantities, as written (a pod template gets no SetDefaults_Pod). */
function containerList(list: 'requests' | 'limits'): (c: unknown) => Map<string, Quantity> {
  return (c) => {
    const out = new Map<string, Quantity>();
    const m = isRecord(c) && isRecord(c.resources) ? c.resources[list] : undefined;
    if (!isRecord(m)) return out;
    for (const [name, v] of Object.entries(m)) {
      const q = quantityOf(v);
      if (q) out.set(name, q);
    }
    return out;
  };
}

/** A pod-level list's entries that parse, in document order. */
function podList(resources: Record<string, unknown>, list: 'requests' | 'limits'): Array<[string, Quantity]> {
  const m = resources[list];
  if (!isRecord(m)) return [];
  const out: Array<[string, Quantity]> = [];
  for (const [name, v] of Object.entries(m)) {
    const q = quantityOf(v);
    if (q) out.push([name, q]);
  }
  return out;
}

/**
 * validatePodResourceConsistency. Upstream walks Go maps (no order); here the pod-level entries go
 * in document order, then the containers in theirs.
 */
function validatePodResourceConsistency(ds: ManifestObject, ctx: RuleContext, spec: Record<string, unknown>, resources: Record<string, unknown>, out: Finding[]): void {
  const reqPath = [...RESOURCES, 'requests'];
  const limPath = [...RESOURCES, 'limits'];
  const podLimits = new Map(podList(resources, 'limits'));

  // Pod-level requests must be >= the aggregate requests of all containers.
  const aggrContainerReqs = aggregateContainerResources(spec, containerList('requests'), EXACT);
  for (const [name, podReq] of podList(resources, 'requests')) {
    const ctrReqs = aggrContainerReqs.get(name);
    if (!ctrReqs || cmpQuantities(ctrReqs, podReq) <= 0) continue;
    const aggregate = quantityString(ctrReqs);
    const f = apiFinding(podLevelResources, ds, [...reqPath, name], 'Invalid', `must be greater than or equal to aggregate container requests of ${aggregate}`, quantityString(podReq), 'value');
    f.path = formatKeyPath(reqPath, name);
    // Raising a cpu or memory request is safe where it stays within the pod-level limit (huge pages must equal theirs).
    const limit = podLimits.get(name);
    if (ctx.fixes !== false && isSupportedPodLevelResource(name) && isOvercommitAllowed(name) && (!limit || cmpQuantities(ctrReqs, limit) <= 0)) {
      const edits = replaceScalar(ctx.model.text, ds, [...reqPath, name], aggregate);
      if (edits.length) f.fixes = [{ title: `Raise the pod-level ${name} request to the containers' ${aggregate}`, edits, isPreferred: true }];
    }
    out.push(f);
  }

  // Huge pages cannot be overcommitted: the pod-level limit must cover the containers' aggregate limits.
  const aggrContainerLims = aggregateContainerResources(spec, containerList('limits'), EXACT);
  for (const [name, podLim] of podLimits) {
    const ctrLims = aggrContainerLims.get(name);
    if (!isHugePageResourceName(name) || !ctrLims || cmpQuantities(ctrLims, podLim) <= 0) continue;
    const f = apiFinding(podLevelResources, ds, [...limPath, name], 'Invalid', `must be greater than or equal to aggregate container limits of ${quantityString(ctrLims)}`, quantityString(podLim), 'value');
    f.path = formatKeyPath(limPath, name);
    out.push(f);
  }

  // Each regular container's limit must be <= the pod-level limit (init containers are not checked).
  if (podLimits.size === 0) return;
  for (const c of containersOf(ds, 'containers')) {
    for (const [name, ctrLimit] of containerList('limits')(c.value)) {
      const podLim = podLimits.get(name);
      if (!podLim || cmpQuantities(ctrLimit, podLim) <= 0) continue;
      // Upstream builds the path from the pod's resources path: `spec.template.spec.resources.containers[0][cpu].limits`.
      // The finding keeps that path, as the API server prints it, but points at the container's own limit.
      const entry = [...c.path, 'resources', 'limits', name];
      const f = apiFinding(podLevelResources, ds, entry, 'Invalid', `must be less than or equal to pod limits of ${quantityString(podLim)}`, quantityString(ctrLimit), 'value');
      f.path = `${formatKeyPath([...RESOURCES, 'containers', c.index], name)}.limits`;
      out.push(f);
    }
  }
}
