import { valueAt } from '../ast';
import { featureEnabled } from '../featureGates';
import type { ManifestObject } from '../model';
import { allContainers, firstKeySpan, isRecord, POD_SPEC, str, type ContainerRef } from '../podTemplate';
import { formatPath, type FieldPath, type Finding } from '../types';
import { apiFinding, type Rule, type RuleContext } from './rule';
import { unsupportedValue } from './unsupportedValue';

const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never']; // sets.List(supportedPullPolicies): sorted
const RESIZE_RESOURCES = ['cpu', 'memory']; // sets.List(supportedResizeResources)
const RESIZE_POLICIES = ['NotRequired', 'RestartContainer']; // sets.List(supportedResizePolicies)

/**
 * pkg/apis/core/validation/validation.go validateContainerCommon, for every container and init
 * container: terminationMessagePolicy, validatePullPolicy and validateResizePolicy. An empty
 * terminationMessagePolicy or imagePullPolicy never reaches them: SetDefaults_Container fills in File,
 * and Always or IfNotPresent from the image tag. resizePolicy is dropped before validation unless
 * InPlacePodVerticalScaling is on (pkg/api/pod dropDisabledFields).
 */
export const containerPolicies: Rule = {
  id: 'container-policies',
  description: 'Container imagePullPolicy, terminationMessagePolicy and resizePolicy must use supported values.',
  help: 'Upstream validateContainerCommon accepts `imagePullPolicy` Always, IfNotPresent or Never, `terminationMessagePolicy` File or FallbackToLogsOnError, and `resizePolicy` entries naming cpu or memory once each, with restartPolicy NotRequired or RestartContainer (only NotRequired in a pod whose restartPolicy is Never). Anything else is `Unsupported value`; the quick fix changes it to the closest supported value.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const out: Finding[] = [];
    const resize = featureEnabled(ctx, 'InPlacePodVerticalScaling');
    const podRestartPolicy = str(valueAt(ds, [...POD_SPEC, 'restartPolicy'])) || 'Always';
    for (const c of allContainers(ds)) {
      const tmp = c.value.terminationMessagePolicy;
      if (typeof tmp === 'string' && tmp !== '' && !TERMINATION_MESSAGE_POLICIES.includes(tmp)) {
        out.push(unsupportedValue(containerPolicies, ds, ctx, [...c.path, 'terminationMessagePolicy'], tmp, TERMINATION_MESSAGE_POLICIES));
      }
      const pull = c.value.imagePullPolicy;
      if (typeof pull === 'string' && pull !== '' && !PULL_POLICIES.includes(pull)) {
        out.push(unsupportedValue(containerPolicies, ds, ctx, [...c.path, 'imagePullPolicy'], pull, PULL_POLICIES));
      }
      if (resize) validateResizePolicy(ds, ctx, c, podRestartPolicy, out);
    }
    return out;
  },
};

/**
 * validateResizePolicy: Duplicate is reported on the entry (`…resizePolicy[1]`), every other error
 * on the list (`…resizePolicy`), as upstream does; the span is the entry's own field.
 */
function validateResizePolicy(ds: ManifestObject, ctx: RuleContext, c: ContainerRef, podRestartPolicy: string, out: Finding[]): void {
  const list = c.value.resizePolicy;
  if (!Array.isArray(list)) return;
  const listPath = [...c.path, 'resizePolicy'];
  const seen = new Set<string>();
  list.forEach((p, i) => {
    if (!isRecord(p)) return;
    const resourceName = str(p.resourceName);
    const restartPolicy = str(p.restartPolicy);
    // Wrong types never decode: the schema reports them.
    if (resourceName === undefined || restartPolicy === undefined) return;
    const itemPath = [...listPath, i];
    const namePath = [...itemPath, 'resourceName'];
    if (seen.has(resourceName)) {
      const f = apiFinding(containerPolicies, ds, namePath, 'Duplicate', undefined, resourceName, 'value');
      f.path = formatPath(itemPath);
      out.push(f);
    }
    seen.add(resourceName);
    if (resourceName === '') out.push(required(ds, listPath, itemPath, p, 'resourceName'));
    else if (!RESIZE_RESOURCES.includes(resourceName)) out.push(unsupportedValue(containerPolicies, ds, ctx, namePath, resourceName, RESIZE_RESOURCES, listPath));
    const policyPath = [...itemPath, 'restartPolicy'];
    if (restartPolicy === '') out.push(required(ds, listPath, itemPath, p, 'restartPolicy'));
    else if (!RESIZE_POLICIES.includes(restartPolicy)) out.push(unsupportedValue(containerPolicies, ds, ctx, policyPath, restartPolicy, RESIZE_POLICIES, listPath));
    if (podRestartPolicy === 'Never' && restartPolicy !== 'NotRequired') {
      const f = apiFinding(containerPolicies, ds, policyPath, 'Invalid', "must be 'NotRequired' when `restartPolicy` is 'Never'", restartPolicy, 'value');
      f.path = formatPath(listPath);
      if (p.restartPolicy === undefined || p.restartPolicy === null) f.span = firstKeySpan(ds, itemPath, p) ?? f.span;
      out.push(f);
    }
  });
}

/** field.Required(fldPath, "") on the list for an entry's empty field; a missing field is shown at the entry's first key. */
function required(ds: ManifestObject, listPath: FieldPath, itemPath: FieldPath, entry: Record<string, unknown>, field: string): Finding {
  const f = apiFinding(containerPolicies, ds, [...itemPath, field], 'Required', undefined, undefined, 'value');
  f.path = formatPath(listPath);
  if (entry[field] === undefined || entry[field] === null) f.span = firstKeySpan(ds, itemPath, entry) ?? f.span;
  return f;
}
