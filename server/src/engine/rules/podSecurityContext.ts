import { keySpan } from '../ast';
import { featureEnabled } from '../featureGates';
import { supportedValues } from '../fieldErrors';
import { isRecord, POD_SPEC, podSpecOf, visitContainers } from '../podTemplate';
import {
  isBadType, optBool, report, reportMissing, typedString, validateAppArmorProfileField, validateID,
  validateSeccompProfileField, validateWindowsSecurityContextOptions, type Checker,
} from '../securityValidation';
import { utf8Length } from '../text';
import type { FieldPath, Finding } from '../types';
import type { Rule, RuleContext } from './rule';

const SC: FieldPath = [...POD_SPEC, 'securityContext'];
/** sets.List(validFSGroupChangePolicies), sorted. */
const FS_GROUP_CHANGE_POLICIES = ['Always', 'OnRootMismatch'];
/** sets.List(validSupplementalGroupsPolicies), sorted. */
const SUPPLEMENTAL_GROUPS_POLICIES = ['Merge', 'Strict'];
/** sets.List(validSELinuxChangePolicies), sorted. */
const SELINUX_CHANGE_POLICIES = ['MountOption', 'Recursive'];

const SYSCTL_SEGMENT_FMT = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const SYSCTL_CONTAIN_SLASH_FMT = `(${SYSCTL_SEGMENT_FMT}[\\./])*${SYSCTL_SEGMENT_FMT}`;
const SYSCTL_RE_TEXT = `^${SYSCTL_CONTAIN_SLASH_FMT}$`;
const SYSCTL_RE = new RegExp(SYSCTL_RE_TEXT);
const SYSCTL_MAX_LENGTH = 253;

/**
 * pkg/apis/core/validation/validation.go validatePodSpecSecurityContext, on the pod's security context
 * as the internal type holds it (with hostNetwork, hostPID, hostIPC and shareProcessNamespace, whose
 * errors keep its paths): fsGroup, runAsUser, runAsGroup and supplementalGroups in 0..MaxInt32,
 * shareProcessNamespace not with hostPID, validateSysctls (names, duplicates, and from 1.29 no net.*
 * sysctl with hostNetwork nor IPC one with hostIPC: AllowNamespacedSysctlsForHostNetAndHostIPC is false on
 * create; before, only the kubelet refused such a pod),
 * fsGroupChangePolicy, seccompProfile, windowsOptions, appArmorProfile, supplementalGroupsPolicy and
 * seLinuxChangePolicy (validateSELinuxChangePolicy: only Recursive while SELinuxMount is off, as
 * pkg/api/pod useOnlyRecursiveSELinuxChangePolicy decides for a new object). Then validateHostUsers:
 * with `hostUsers: false`, no hostNetwork, hostPID, hostIPC nor volumeDevices.
 * Fields whose feature gate is off are dropped before validation (pkg/api/pod dropDisabledFields):
 * hostUsers (UserNamespacesSupport), supplementalGroupsPolicy (SupplementalGroupsPolicy) and
 * seLinuxChangePolicy (SELinuxChangePolicy), all on by default since 1.33.
 */
export const podSecurityContext: Rule = {
  id: 'pod-security-context',
  description: 'The pod security context must be valid: IDs in range, valid and allowed sysctls, valid policies and profiles, and no host namespaces with hostUsers: false.',
  help: 'Upstream validatePodSpecSecurityContext rejects `fsGroup`, `runAsUser`, `runAsGroup` and `supplementalGroups` outside 0-2147483647, `shareProcessNamespace` with `hostPID`, sysctl names that are empty, malformed or listed twice, `net.*` sysctls with `hostNetwork: true` and IPC sysctls (kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*) with `hostIPC: true` (the pod would change the host\'s settings; since 1.29), an `fsGroupChangePolicy` other than Always or OnRootMismatch, invalid `seccompProfile`, `appArmorProfile` and `windowsOptions`, a `supplementalGroupsPolicy` other than Merge or Strict, and a `seLinuxChangePolicy` other than Recursive (MountOption too with the SELinuxMount gate, off by default until 1.37). validateHostUsers forbids `hostNetwork`, `hostPID`, `hostIPC` and `volumeDevices` with `hostUsers: false`. Set sysctls a host-network agent needs on the node instead.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const spec = podSpecOf(ds);
    if (!spec) return [];
    const out: Finding[] = [];
    const c: Checker = { rule: podSecurityContext, ds, out, minor: ctx.kubernetesMinor };
    // The internal security context always exists (defaulting and conversion create it); a value that
    // is not a map never decodes.
    const sc = isRecord(spec.securityContext) ? spec.securityContext : {};
    const hostPID = spec.hostPID === true;
    validateID(c, sc.fsGroup, [...SC, 'fsGroup']);
    validateID(c, sc.runAsUser, [...SC, 'runAsUser']);
    validateID(c, sc.runAsGroup, [...SC, 'runAsGroup']);
    if (Array.isArray(sc.supplementalGroups)) sc.supplementalGroups.forEach((gid, i) => validateID(c, gid, [...SC, 'supplementalGroups', i]));
    if (spec.shareProcessNamespace === true && hostPID) {
      const f = report(c, [...SC, 'shareProcessNamespace'], 'Invalid', 'ShareProcessNamespace and HostPID cannot both be enabled', true);
      f.span = keySpan(ds, [...POD_SPEC, 'shareProcessNamespace']) ?? f.span;
    }
    if (Array.isArray(sc.sysctls) && sc.sysctls.length) {
      // ValidateHostSysctl came with 1.29; before, the API server let such a pod through to the kubelet.
      const hostSysctls = ctx.kubernetesMinor >= 29;
      validateSysctls(c, sc.sysctls, hostSysctls && spec.hostNetwork === true, hostSysctls && spec.hostIPC === true);
    }
    if (typeof sc.fsGroupChangePolicy === 'string' && !FS_GROUP_CHANGE_POLICIES.includes(sc.fsGroupChangePolicy)) {
      report(c, [...SC, 'fsGroupChangePolicy'], 'NotSupported', supportedValues(FS_GROUP_CHANGE_POLICIES), typedString(c.minor, sc.fsGroupChangePolicy));
    }
    validateSeccompProfileField(c, sc.seccompProfile, [...SC, 'seccompProfile'], ds.partial);
    validateWindowsSecurityContextOptions(c, sc.windowsOptions, [...SC, 'windowsOptions']);
    validateAppArmorProfileField(c, sc.appArmorProfile, [...SC, 'appArmorProfile'], ds.partial);
    const groupsPolicy = sc.supplementalGroupsPolicy;
    if (typeof groupsPolicy === 'string' && featureEnabled(ctx, 'SupplementalGroupsPolicy') && !SUPPLEMENTAL_GROUPS_POLICIES.includes(groupsPolicy)) {
      report(c, [...SC, 'supplementalGroupsPolicy'], 'NotSupported', supportedValues(SUPPLEMENTAL_GROUPS_POLICIES), typedString(c.minor, groupsPolicy));
    }
    const changePolicy = sc.seLinuxChangePolicy;
    if (typeof changePolicy === 'string' && featureEnabled(ctx, 'SELinuxChangePolicy')) {
      const allowed = featureEnabled(ctx, 'SELinuxMount') ? SELINUX_CHANGE_POLICIES : ['Recursive'];
      if (!allowed.includes(changePolicy)) report(c, [...SC, 'seLinuxChangePolicy'], 'NotSupported', supportedValues(allowed), typedString(c.minor, changePolicy));
    }
    validateHostUsers(c, ctx, spec);
    return out;
  },
};

/** validateSysctls, with ValidateHostSysctl on each. */
function validateSysctls(c: Checker, sysctls: unknown[], hostNetwork: boolean, hostIPC: boolean): void {
  const names = new Set<string>();
  sysctls.forEach((s, i) => {
    if (!isRecord(s) || isBadType(s.name, 'string')) return;
    const name = typeof s.name === 'string' ? s.name : '';
    const itemPath = [...SC, 'sysctls', i];
    const namePath = [...itemPath, 'name'];
    if (name === '') reportMissing(c, itemPath, s, 'name');
    else if (!isValidSysctlName(name)) report(c, namePath, 'Invalid', `must have at most ${SYSCTL_MAX_LENGTH} characters and match regex ${SYSCTL_RE_TEXT}`, name);
    else if (names.has(name)) report(c, namePath, 'Duplicate', undefined, name);
    const ns = sysctlNamespace(name);
    if (hostNetwork && ns === 'Net') report(c, namePath, 'Invalid', "may not be specified when 'hostNetwork' is true", name);
    else if (hostIPC && ns === 'IPC') report(c, namePath, 'Invalid', "may not be specified when 'hostIPC' is true", name);
    names.add(name);
  });
}

/** IsValidSysctlName. */
function isValidSysctlName(name: string): boolean {
  return utf8Length(name) <= SYSCTL_MAX_LENGTH && SYSCTL_RE.test(name);
}

/** component-helpers/node/util/sysctl: the kernel namespaces whose sysctls are known to be namespaced. */
const NAME_TO_NAMESPACE: Readonly<Record<string, 'IPC'>> = {
  'kernel.sem': 'IPC',
  'kernel.shmall': 'IPC',
  'kernel.shmmax': 'IPC',
  'kernel.shmmni': 'IPC',
  'kernel.shm_rmid_forced': 'IPC',
  'kernel.shm': 'IPC',
  'kernel.msgmax': 'IPC',
  'kernel.msgmnb': 'IPC',
  'kernel.msgmni': 'IPC',
  'kernel.msg': 'IPC',
};
const PREFIX_TO_NAMESPACE: ReadonlyArray<[string, 'Net' | 'IPC']> = [['net', 'Net'], ['fs.mqueue', 'IPC']];

/** sysctl.GetNamespace: the name normalised to dots, up to its first `*`, then its namespace. */
function sysctlNamespace(sysctl: string): 'Net' | 'IPC' | undefined {
  let name = normalizeSysctlName(sysctl);
  const star = name.indexOf('*');
  if (star !== -1) name = name.slice(0, star);
  if (Object.hasOwn(NAME_TO_NAMESPACE, name)) return NAME_TO_NAMESPACE[name];
  return PREFIX_TO_NAMESPACE.find(([p]) => name.startsWith(`${p}.`))?.[1];
}

/** sysctl.NormalizeName: `net/ipv4/conf/eno2.100/rp_filter` is `net.ipv4.conf.eno2/100.rp_filter`. */
function normalizeSysctlName(val: string): string {
  const first = val.search(/[./]/);
  if (first === -1 || val[first] === '.') return val;
  return val.replace(/[./]/g, (ch) => (ch === '.' ? '/' : '.'));
}

/** validateHostUsers: a pod in its own user namespace may not share the host's others, nor use raw block devices. */
function validateHostUsers(c: Checker, ctx: RuleContext, spec: Record<string, unknown>): void {
  if (!featureEnabled(ctx, 'UserNamespacesSupport') || optBool(spec.hostUsers) !== false) return;
  const detail = 'when `hostUsers` is false';
  // The internal PodSecurityContext's fields, at the paths upstream names them (HostPID, HostIPC).
  const hostNamespaces: Array<[field: string, reported: string, allowed: boolean]> = [
    ['hostNetwork', 'hostNetwork', featureEnabled(ctx, 'UserNamespacesHostNetworkSupport')],
    ['hostPID', 'HostPID', false],
    ['hostIPC', 'HostIPC', false],
  ];
  for (const [field, reported, allowed] of hostNamespaces) {
    if (spec[field] !== true || allowed) continue;
    const f = report(c, [...POD_SPEC, reported], 'Forbidden', detail);
    f.span = keySpan(c.ds, [...POD_SPEC, field]) ?? f.span;
  }
  // AllowUserNamespacesWithVolumeDevices is false on create.
  for (const container of visitContainers(c.ds)) {
    const devices = container.value.volumeDevices;
    if (Array.isArray(devices) && devices.length) {
      const f = report(c, [...container.path, 'volumeDevices'], 'Forbidden', detail);
      f.span = keySpan(c.ds, [...container.path, 'volumeDevices']) ?? f.span;
    }
  }
}
