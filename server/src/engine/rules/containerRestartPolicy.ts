import { keySpan } from '../ast';
import { removeMapEntry } from '../edits';
import { featureEnabled, featureExists } from '../featureGates';
import type { ManifestObject } from '../model';
import { containersOf, isRecord, str, type ContainerRef } from '../podTemplate';
import type { Finding } from '../types';
import { apiFinding, type Rule, type RuleContext } from './rule';
import { unsupportedValue } from './unsupportedValue';

const CONTAINER_RESTART_POLICIES = ['Always', 'Never', 'OnFailure']; // sets.List(supportedContainerRestartPolicies)
const RULE_ACTIONS = ['Restart'];
// With RestartAllContainersOnContainerExits (1.35 alpha) this action is accepted too; the message of a
// rejected action still lists RULE_ACTIONS alone (sets.List(supportedContainerRestartRuleActions)).
const RULE_ACTIONS_WITH_RESTART_ALL = ['Restart', 'RestartAllContainers'];
const EXIT_CODE_OPERATORS = ['In', 'NotIn']; // sets.List(supportedContainerRestartPolicyOperators)
const MAX_RULES = 20;
const MAX_EXIT_CODES = 255;

/**
 * The container-level `restartPolicy` and `restartPolicyRules`, as pkg/apis/core/validation/validation.go
 * validateContainers, validateInitContainers → validateInitContainerRestartPolicy and
 * validateContainerRestartPolicy check them, after pkg/api/pod dropDisabledFields:
 * - without SidecarContainers (before 1.29) an init container's restartPolicy is dropped;
 * - with ContainerRestartRules (1.34 alpha, 1.35 beta) any container may set Always, Never or
 *   OnFailure and restart rules; when that gate exists but is off, dropContainerRestartRules drops a
 *   regular container's restartPolicy and rules and an init container's restartPolicy other than Always;
 * - before 1.34 a regular container may not set restartPolicy, an init container only Always (a sidecar).
 *
 * Kubernetes 1.35 (validation-1.35.go validateInitContainers, validateInitContainerRestartPolicy) calls
 * validateInitContainerRestartPolicy for every init container, so an init container with restart rules
 * and no restartPolicy is `Required: must specify restartPolicy when restart rules are used`; in 1.34
 * only a set restartPolicy led there. With the alpha gate RestartAllContainersOnContainerExits (1.35)
 * the action RestartAllContainers is accepted and a sidecar's rules are checked as any container's
 * instead of being forbidden (pkg/api/pod GetValidationOptionsFromPodSpecAndMeta: "This also allows
 * restart rules on sidecar containers").
 */
export const containerRestartPolicy: Rule = {
  id: 'container-restart-policy',
  description: 'Container restartPolicy and restartPolicyRules must be what the target version accepts: before 1.34 only an init container sets restartPolicy, to Always (a sidecar).',
  help: 'Upstream validateContainers and validateInitContainers: before 1.34 only an init container may set `restartPolicy`, and only to Always (a sidecar that runs beside the regular containers); a regular container gets `Forbidden: may not be set for non-init containers`. With ContainerRestartRules (on by default from 1.35) every container may set Always, Never or OnFailure, `restartPolicyRules` need an explicit restartPolicy (from 1.35 on init containers too), action Restart and `exitCodes` with operator In or NotIn, and a sidecar (restartPolicy Always) may not have rules. The 1.35 alpha gate RestartAllContainersOnContainerExits adds the action RestartAllContainers and allows rules on sidecars. In 1.34, where ContainerRestartRules is off by default, the API server drops these fields instead.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const out: Finding[] = [];
    const gateExists = featureExists(ctx, 'ContainerRestartRules');
    const restartRules = featureEnabled(ctx, 'ContainerRestartRules');
    const restartAll = featureEnabled(ctx, 'RestartAllContainersOnContainerExits');
    for (const c of containersOf(ds, 'containers')) {
      const policy = pointerString(c.value.restartPolicy);
      if (policy === null) continue;
      if (restartRules) validateContainerRestartPolicy(ds, ctx, c, policy, restartAll, out);
      else if (!gateExists && policy !== undefined) {
        const path = [...c.path, 'restartPolicy'];
        const f = apiFinding(containerRestartPolicy, ds, path, 'Forbidden', 'may not be set for non-init containers');
        const edits = ctx.fixes === false ? [] : removeMapEntry(ctx.model.text, ds, path);
        if (edits.length) f.fixes = [{ title: 'Remove restartPolicy', edits, isPreferred: true }];
        out.push(f);
      }
    }
    if (!featureEnabled(ctx, 'SidecarContainers')) return out;
    for (const c of containersOf(ds, 'initContainers')) {
      const policy = pointerString(c.value.restartPolicy);
      if (policy === null) continue;
      // Before 1.35 validateInitContainers looked at the rules only through a set restartPolicy; from
      // 1.35 it always calls validateInitContainerRestartPolicy, which requires one beside rules.
      if (policy === undefined && ctx.kubernetesMinor < 35) continue;
      if (restartRules) validateInitContainerRestartPolicy(ds, ctx, c, policy, restartAll, out);
      else if (policy === undefined) continue;
      else if (!gateExists && policy !== 'Always') {
        out.push(unsupportedValue(containerRestartPolicy, ds, ctx, [...c.path, 'restartPolicy'], policy, ['Always']));
      }
    }
    return out;
  },
};

/** A *string field: undefined when unset (nil), null when it does not decode (the schema reports the type). */
function pointerString(v: unknown): string | undefined | null {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : null;
}

/** validateInitContainerRestartPolicy with AllowContainerRestartPolicyRules (and AllowRestartAllContainers). */
function validateInitContainerRestartPolicy(ds: ManifestObject, ctx: RuleContext, c: ContainerRef, policy: string | undefined, restartAll: boolean, out: Finding[]): void {
  if (policy === undefined && !ds.partial) {
    // A nil restartPolicy with rules is Required (validation-1.35.go), and the rules are not looked
    // into: validateInitContainerRestartPolicy returns there, where validateContainerRestartPolicy
    // (a regular container's) goes on to check each rule.
    const rules = c.value.restartPolicyRules;
    if (Array.isArray(rules) && rules.length > 0) {
      const f = apiFinding(containerRestartPolicy, ds, [...c.path, 'restartPolicy'], 'Required', 'must specify restartPolicy when restart rules are used');
      f.span = keySpan(ds, [...c.path, 'restartPolicyRules']) ?? f.span;
      out.push(f);
    }
    return;
  }
  if (policy !== 'Always' || restartAll) {
    // (A patch without restartPolicy may add rules to an init container whose policy is in its base: they are checked alone.)
    validateContainerRestartPolicy(ds, ctx, c, policy, restartAll, out);
    return;
  }
  const rules = c.value.restartPolicyRules;
  if (Array.isArray(rules) && rules.length > 0) {
    out.push(apiFinding(containerRestartPolicy, ds, [...c.path, 'restartPolicyRules'], 'Forbidden', 'restartPolicyRules are not allowed for init containers with restart policy Always'));
  }
}

/** validateContainerRestartPolicy: for regular containers, init containers that are not sidecars, and (RestartAllContainersOnContainerExits) sidecars. */
function validateContainerRestartPolicy(ds: ManifestObject, ctx: RuleContext, c: ContainerRef, policy: string | undefined, restartAll: boolean, out: Finding[]): void {
  const allowedActions = restartAll ? RULE_ACTIONS_WITH_RESTART_ALL : RULE_ACTIONS;
  const rawRules = c.value.restartPolicyRules;
  const rules = Array.isArray(rawRules) ? rawRules : [];
  const policyPath = [...c.path, 'restartPolicy'];
  const rulesPath = [...c.path, 'restartPolicyRules'];
  if (policy === undefined) {
    if (rules.length === 0) return;
    // A Kustomize patch may add rules to a container whose restartPolicy is in the base.
    if (!ds.partial) {
      const f = apiFinding(containerRestartPolicy, ds, policyPath, 'Required', 'must specify restartPolicy when restart rules are used');
      f.span = keySpan(ds, rulesPath) ?? f.span;
      out.push(f);
    }
  } else if (!CONTAINER_RESTART_POLICIES.includes(policy)) {
    out.push(unsupportedValue(containerRestartPolicy, ds, ctx, policyPath, policy, CONTAINER_RESTART_POLICIES));
  }
  // field.TooLong says "bytes" whatever the value is.
  if (rules.length > MAX_RULES) out.push(apiFinding(containerRestartPolicy, ds, rulesPath, 'TooLong', `may not be more than ${MAX_RULES} bytes`));
  rules.forEach((rule, i) => {
    if (!isRecord(rule)) return;
    const rulePath = [...rulesPath, i];
    const action = str(rule.action);
    if (action !== undefined && !allowedActions.includes(action)) {
      const f = unsupportedValue(containerRestartPolicy, ds, ctx, [...rulePath, 'action'], action, RULE_ACTIONS);
      if (rule.action === undefined || rule.action === null) f.span = keySpan(ds, [...rulePath, Object.keys(rule)[0] ?? 'action']) ?? f.span;
      out.push(f);
    }
    const exitCodes = rule.exitCodes;
    const exitCodesPath = [...rulePath, 'exitCodes'];
    if (exitCodes === undefined || exitCodes === null) {
      const f = apiFinding(containerRestartPolicy, ds, exitCodesPath, 'Required', 'must be specified');
      f.span = keySpan(ds, [...rulePath, Object.keys(rule)[0] ?? 'exitCodes']) ?? f.span;
      out.push(f);
      return;
    }
    if (!isRecord(exitCodes)) return;
    const operator = str(exitCodes.operator);
    if (operator !== undefined && !EXIT_CODE_OPERATORS.includes(operator)) {
      const f = unsupportedValue(containerRestartPolicy, ds, ctx, [...exitCodesPath, 'operator'], operator, EXIT_CODE_OPERATORS);
      if (exitCodes.operator === undefined || exitCodes.operator === null) f.span = keySpan(ds, exitCodesPath) ?? f.span;
      out.push(f);
    }
    if (Array.isArray(exitCodes.values) && exitCodes.values.length > MAX_EXIT_CODES) {
      out.push(apiFinding(containerRestartPolicy, ds, [...exitCodesPath, 'values'], 'TooLong', `may not be more than ${MAX_EXIT_CODES} bytes`));
    }
  });
}
