import { keySpan, valueAt, valueSpan } from '../ast';
import { replaceScalar } from '../edits';
import { featureEnabled } from '../featureGates';
import { supportedValues } from '../fieldErrors';
import type { ManifestObject } from '../model';
import { allContainers, isRecord, POD_SPEC } from '../podTemplate';
import {
  optBool, report, securityContextValue, typedString, validateAppArmorProfileField, validateID,
  validateSeccompProfileField, validateWindowsSecurityContextOptions, type Checker,
} from '../securityValidation';
import type { FieldPath, Finding, Fix } from '../types';
import type { Rule, RuleContext } from './rule';

/** ValidateProcMountType's list, as it passes it. */
const PROC_MOUNT_TYPES = ['Default', 'Unmasked'];

/**
 * pkg/apis/core/validation/validation.go ValidateSecurityContext, which validateContainerCommon runs on
 * each container and init container: runAsUser and runAsGroup in 0..MaxInt32, procMount (Default or
 * Unmasked, and Unmasked only with `hostUsers: false`), seccompProfile (validateSeccompProfileField),
 * `allowPrivilegeEscalation: false` with `privileged: true` or with CAP_SYS_ADMIN added, windowsOptions
 * (validateWindowsSecurityContextOptions) and appArmorProfile (ValidateAppArmorProfileField).
 * `privileged: true` is also Forbidden ("disallowed by cluster policy") when the API server runs
 * without --allow-privileged: that depends on the server's flags and is not mirrored.
 * Feature gates: without ProcMountType (on by default since 1.33) a set procMount is forced to Default
 * (pkg/api/pod dropDisabledProcMountField); without UserNamespacesSupport (likewise) hostUsers is
 * dropped, so the pod uses the host's user namespace.
 */
export const securityContext: Rule = {
  id: 'security-context',
  description: 'Container security contexts must be valid: user and group IDs in range, no allowPrivilegeEscalation: false with privileged or CAP_SYS_ADMIN, valid procMount, seccomp, AppArmor and Windows options.',
  help: 'Upstream ValidateSecurityContext rejects `runAsUser`/`runAsGroup` outside 0-2147483647, `allowPrivilegeEscalation: false` together with `privileged: true` ("cannot set `allowPrivilegeEscalation` to false and `privileged` to true") or with `capabilities.add: [CAP_SYS_ADMIN]` (only that spelling: `SYS_ADMIN` is not checked), a `procMount` other than Default or Unmasked, Unmasked without `hostUsers: false`, a `seccompProfile` or `appArmorProfile` without a valid `type` (Localhost, RuntimeDefault, Unconfined), a Localhost profile without `localhostProfile` (or a seccomp one that is absolute or contains `..`), a `localhostProfile` with another type, and malformed `windowsOptions` (gmsaCredentialSpecName, gmsaCredentialSpec, runAsUserName). A privileged container can always escalate privileges, so set `allowPrivilegeEscalation: true` (or drop it).',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const out: Finding[] = [];
    const c: Checker = { rule: securityContext, ds, out, minor: ctx.kubernetesMinor };
    const userNamespaces = featureEnabled(ctx, 'UserNamespacesSupport');
    const podHostUsers = userNamespaces ? optBool(valueAt(ds, [...POD_SPEC, 'hostUsers'])) : undefined;
    // ValidatePodSpec: true unless the pod sets hostUsers: false. A Kustomize patch that does not set it
    // merges into a base that may.
    const hostUsers = podHostUsers === undefined && ds.partial ? undefined : podHostUsers !== false;
    const procMountGate = featureEnabled(ctx, 'ProcMountType');
    for (const container of allContainers(ds)) {
      const sc = container.value.securityContext;
      if (!isRecord(sc)) continue; // absent, null, or not a map (the schema reports the type)
      validateSecurityContext(c, ctx, sc, [...container.path, 'securityContext'], hostUsers, procMountGate);
    }
    return out;
  },
};

function validateSecurityContext(c: Checker, ctx: RuleContext, sc: Record<string, unknown>, path: FieldPath, hostUsers: boolean | undefined, procMountGate: boolean): void {
  validateID(c, sc.runAsUser, [...path, 'runAsUser']);
  validateID(c, sc.runAsGroup, [...path, 'runAsGroup']);
  // A procMount of another type never decodes; without the gate a set one reads as Default.
  const procMount = typeof sc.procMount === 'string' ? (procMountGate ? sc.procMount : 'Default') : undefined;
  if (procMount !== undefined) {
    const procPath = [...path, 'procMount'];
    if (!PROC_MOUNT_TYPES.includes(procMount)) report(c, procPath, 'NotSupported', supportedValues(PROC_MOUNT_TYPES), typedString(c.minor, procMount));
    if (hostUsers === true && procMount === 'Unmasked') report(c, procPath, 'Invalid', '`hostUsers` must be false to use `Unmasked`', typedString(c.minor, procMount));
  }
  validateSeccompProfileField(c, sc.seccompProfile, [...path, 'seccompProfile'], c.ds.partial);
  if (sc.allowPrivilegeEscalation === false) {
    const decoded = procMount === undefined ? sc : { ...sc, procMount };
    if (sc.privileged === true) {
      const f = report(c, path, 'Invalid', 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true', securityContextValue(c.minor, decoded));
      f.span = keySpan(c.ds, [...path, 'allowPrivilegeEscalation']) ?? f.span;
      addEscalationFix(c.ds, ctx, f, path);
    }
    const caps = sc.capabilities;
    if (isRecord(caps) && Array.isArray(caps.add)) {
      caps.add.forEach((cap, i) => {
        // Only this spelling: the runtimes also accept SYS_ADMIN, which upstream does not check.
        if (cap !== 'CAP_SYS_ADMIN') return;
        const f = report(c, path, 'Invalid', 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN', securityContextValue(c.minor, decoded));
        f.span = valueSpan(c.ds, [...path, 'capabilities', 'add', i]) ?? f.span;
        addEscalationFix(c.ds, ctx, f, path);
      });
    }
  }
  validateWindowsSecurityContextOptions(c, sc.windowsOptions, [...path, 'windowsOptions']);
  validateAppArmorProfileField(c, sc.appArmorProfile, [...path, 'appArmorProfile'], c.ds.partial);
}

/**
 * Privileged containers and those with CAP_SYS_ADMIN can always escalate privileges (the runtime sets
 * no_new_privs only when neither is asked for): saying so is the one-token edit that keeps the rest.
 */
function addEscalationFix(ds: ManifestObject, ctx: RuleContext, f: Finding, path: FieldPath): void {
  if (ctx.fixes === false) return;
  const edits = replaceScalar(ctx.model.text, ds, [...path, 'allowPrivilegeEscalation'], true);
  if (edits.length) f.fixes = [{ title: 'Set allowPrivilegeEscalation: true', edits, isPreferred: true } satisfies Fix];
}
