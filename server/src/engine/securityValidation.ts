/**
 * What the pod and container security-context rules share, mirroring
 * pkg/apis/core/validation/validation.go: validateSeccompProfileField, ValidateAppArmorProfileField,
 * validateWindowsSecurityContextOptions, validateLocalDescendingPath and the user/group ID ranges
 * (apimachinery IsValidUserID / IsValidGroupID), plus the way the API server prints the bad values
 * that are not plain strings or numbers.
 */
import { reportSpan } from './ast';
import { supportedValues, type FieldErrorType } from './fieldErrors';
import { isDNS1123Subdomain } from './k8sNames';
import { findingAt, GoValue } from './metaValidation';
import type { ManifestObject } from './model';
import { firstKeySpan, isRecord } from './podTemplate';
import { apiFinding, type Rule } from './rules/rule';
import { localDescendingPathErrors, utf8Length } from './text';
import type { FieldPath, Finding } from './types';

type RuleRef = Pick<Rule, 'id' | 'defaultSeverity'>;

/** Where findings of one rule on one DaemonSet go, and what shapes them. */
export interface Checker {
  rule: RuleRef;
  ds: ManifestObject;
  out: Finding[];
  /** Target Kubernetes minor: decides how struct and list values are printed. */
  minor: number;
}

/** Reports at `path` (the value's span when it exists, else the nearest key); a GoValue is printed as is. */
export function report(c: Checker, path: FieldPath, type: FieldErrorType, detail?: string, badValue?: unknown): Finding {
  const f = badValue instanceof GoValue
    ? findingAt(c.rule, c.ds, path, reportSpan(c.ds, path, 'value'), type, detail, badValue)
    : apiFinding(c.rule, c.ds, path, type, detail, badValue, 'value');
  c.out.push(f);
  return f;
}

/**
 * A Required finding for `field` missing from the map at `parent`: reported at the field when it is
 * there (empty or null), else at the map's first key.
 */
export function reportMissing(c: Checker, parent: FieldPath, item: Record<string, unknown>, field: string, detail?: string): Finding {
  const f = report(c, [...parent, field], 'Required', detail);
  if (item[field] === undefined) f.span = firstKeySpan(c.ds, parent, item) ?? f.span;
  return f;
}

// --- Decoding: a value of another type never reaches validation (the decoder rejects the object and the
// schema reports the type), so it reads as "not checkable" (undefined) rather than as a zero value.

/** A `*bool`: the boolean, else undefined (null is unset). */
export function optBool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

/** A `*int64`: the integer, else undefined. */
export function optInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** A `*string` that is set (null is unset). */
export function isSetString(v: unknown): v is string {
  return typeof v === 'string';
}

/** A field of a map type: null or absent is unset; another type is a decoding error. */
export function isBadType(v: unknown, type: 'string' | 'map' | 'list'): boolean {
  if (v === undefined || v === null) return false;
  if (type === 'string') return typeof v !== 'string';
  if (type === 'map') return !isRecord(v);
  return !Array.isArray(v);
}

// --- Printing bad values (apimachinery field.Error.ErrorBody). Since 1.34 a value that is not a plain
// string, number or bool is printed as encoding/json marshals it (the internal types have no JSON tags,
// so struct fields keep their Go names); before, pointers were dereferenced and the rest printed with %#v.

/** encoding/json's string: JSON with <, >, & and the line separators escaped. */
export function goJSONString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** strconv.Quote (what %q and %#v print for a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c !== 0x7f && !(c >= 0x80 && c < 0xa0)) out += ch;
    else {
      const short: Record<number, string> = { 7: 'a', 8: 'b', 12: 'f', 10: 'n', 13: 'r', 9: 't', 11: 'v' };
      out += short[c] ? `\\${short[c]}` : c < 0x100 ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    }
  }
  return `${out}"`;
}

/** A value of a named string type (ProcMountType, SeccompProfileType, …), or a `*string`. */
export function typedString(minor: number, s: string): GoValue {
  return new GoValue(minor >= 34 ? goJSONString(s) : goQuote(s));
}

/** A `[]string`. */
export function stringList(minor: number, items: readonly unknown[]): GoValue {
  const strs = items.map((s) => (typeof s === 'string' ? s : ''));
  if (minor >= 34) return new GoValue(`[${strs.map(goJSONString).join(',')}]`);
  return new GoValue(`[]string{${strs.map(goQuote).join(', ')}}`);
}

/** The shape of an internal (pkg/apis/core) type, enough to print it. */
type GoType =
  | { kind: 'bool' | 'int64' | 'string' }
  | { kind: 'ptr'; name: string; elem: GoType }
  | { kind: 'slice'; name: string; elem: GoType }
  | { kind: 'struct'; name: string; fields: ReadonlyArray<readonly [goName: string, key: string, type: GoType]> };

const STRING: GoType = { kind: 'string' };
const ptr = (name: string, elem: GoType): GoType => ({ kind: 'ptr', name, elem });
const PTR_BOOL = ptr('*bool', { kind: 'bool' });
const PTR_INT64 = ptr('*int64', { kind: 'int64' });
const PTR_STRING = ptr('*string', STRING);

const SECCOMP_PROFILE: GoType = { kind: 'struct', name: 'core.SeccompProfile', fields: [['Type', 'type', STRING], ['LocalhostProfile', 'localhostProfile', PTR_STRING]] };
const APPARMOR_PROFILE: GoType = { kind: 'struct', name: 'core.AppArmorProfile', fields: [['Type', 'type', STRING], ['LocalhostProfile', 'localhostProfile', PTR_STRING]] };

/** core.SecurityContext, its fields in declaration order (AppArmorProfile since 1.30). */
function securityContextType(minor: number): GoType {
  const fields: Array<readonly [string, string, GoType]> = [
    ['Capabilities', 'capabilities', ptr('*core.Capabilities', { kind: 'struct', name: 'core.Capabilities', fields: [
      ['Add', 'add', { kind: 'slice', name: '[]core.Capability', elem: STRING }],
      ['Drop', 'drop', { kind: 'slice', name: '[]core.Capability', elem: STRING }],
    ] })],
    ['Privileged', 'privileged', PTR_BOOL],
    ['SELinuxOptions', 'seLinuxOptions', ptr('*core.SELinuxOptions', { kind: 'struct', name: 'core.SELinuxOptions', fields: [
      ['User', 'user', STRING], ['Role', 'role', STRING], ['Type', 'type', STRING], ['Level', 'level', STRING],
    ] })],
    ['WindowsOptions', 'windowsOptions', ptr('*core.WindowsSecurityContextOptions', { kind: 'struct', name: 'core.WindowsSecurityContextOptions', fields: [
      ['GMSACredentialSpecName', 'gmsaCredentialSpecName', PTR_STRING],
      ['GMSACredentialSpec', 'gmsaCredentialSpec', PTR_STRING],
      ['RunAsUserName', 'runAsUserName', PTR_STRING],
      ['HostProcess', 'hostProcess', PTR_BOOL],
    ] })],
    ['RunAsUser', 'runAsUser', PTR_INT64],
    ['RunAsGroup', 'runAsGroup', PTR_INT64],
    ['RunAsNonRoot', 'runAsNonRoot', PTR_BOOL],
    ['ReadOnlyRootFilesystem', 'readOnlyRootFilesystem', PTR_BOOL],
    ['AllowPrivilegeEscalation', 'allowPrivilegeEscalation', PTR_BOOL],
    ['ProcMount', 'procMount', ptr('*core.ProcMountType', STRING)],
    ['SeccompProfile', 'seccompProfile', ptr('*core.SeccompProfile', SECCOMP_PROFILE)],
  ];
  if (minor >= 30) fields.push(['AppArmorProfile', 'appArmorProfile', ptr('*core.AppArmorProfile', APPARMOR_PROFILE)]);
  return { kind: 'struct', name: 'core.SecurityContext', fields };
}

/** Is a pointer to `elem` set: present, not null, and a map when it points to a struct. */
const isSet = (v: unknown, elem: GoType) => v !== undefined && v !== null && (elem.kind !== 'struct' || isRecord(v));

/** encoding/json of `v` decoded as `type`. */
function toJSON(v: unknown, type: GoType): string {
  switch (type.kind) {
    case 'bool': return String(v === true);
    case 'int64': return String(typeof v === 'number' && Number.isInteger(v) ? v : 0);
    case 'string': return goJSONString(typeof v === 'string' ? v : '');
    case 'ptr': return isSet(v, type.elem) ? toJSON(v, type.elem) : 'null';
    case 'slice': return Array.isArray(v) ? `[${v.map((x) => toJSON(x, type.elem)).join(',')}]` : 'null';
    case 'struct': {
      const m = isRecord(v) ? v : {};
      return `{${type.fields.map(([name, key, t]) => `${JSON.stringify(name)}:${toJSON(m[key], t)}`).join(',')}}`;
    }
  }
}

/** %#v of `v` decoded as `type`; a pointer's address is elided as 0xc000…. */
function toGoSyntax(v: unknown, type: GoType): string {
  switch (type.kind) {
    case 'bool': return String(v === true);
    case 'int64': return String(typeof v === 'number' && Number.isInteger(v) ? v : 0);
    case 'string': return goQuote(typeof v === 'string' ? v : '');
    case 'ptr': return `(${type.name})(${isSet(v, type.elem) ? '0xc000…' : 'nil'})`;
    case 'slice': return Array.isArray(v) ? `${type.name}{${v.map((x) => toGoSyntax(x, type.elem)).join(', ')}}` : `${type.name}(nil)`;
    case 'struct': {
      const m = isRecord(v) ? v : {};
      return `${type.name}{${type.fields.map(([name, key, t]) => `${name}:${toGoSyntax(m[key], t)}`).join(', ')}}`;
    }
  }
}

/** A pointer to a struct as a bad value: JSON since 1.34, else the dereferenced struct's %#v. */
function structValue(minor: number, v: Record<string, unknown>, type: GoType): GoValue {
  return new GoValue(minor >= 34 ? toJSON(v, type) : toGoSyntax(v, type));
}

/** A container's `securityContext` (a *core.SecurityContext) as a bad value; `procMount` as decoded. */
export function securityContextValue(minor: number, sc: Record<string, unknown>): GoValue {
  return structValue(minor, sc, securityContextType(minor));
}

// --- Validation shared by the pod and the container security contexts.

/** IsValidUserID / IsValidGroupID: 0 to MaxInt32. */
export function validateID(c: Checker, v: unknown, path: FieldPath): void {
  const id = optInt(v);
  if (id !== undefined && (id < 0 || id > 2147483647)) report(c, path, 'Invalid', 'must be between 0 and 2147483647, inclusive', id);
}

/** validateSeccompProfileType's list (core.SeccompProfileType values), as it passes it. */
const SECCOMP_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];
/** ValidateAppArmorProfileField's list (core.AppArmorProfileType values), as it passes it. */
const APPARMOR_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];

/** validateSeccompProfileField (with validateSeccompProfileType). */
export function validateSeccompProfileField(c: Checker, sp: unknown, path: FieldPath, partial: boolean): void {
  if (!isRecord(sp) || isBadType(sp.type, 'string') || isBadType(sp.localhostProfile, 'string')) return;
  const type = typeof sp.type === 'string' ? sp.type : '';
  if (type === '') {
    // A Kustomize patch's profile merges with its base's, which may carry the type.
    if (!partial) reportMissing(c, path, sp, 'type', 'type is required when seccompProfile is set');
  } else if (!SECCOMP_TYPES.includes(type)) {
    report(c, [...path, 'type'], 'NotSupported', supportedValues(SECCOMP_TYPES), typedString(c.minor, type));
  }
  const profile = sp.localhostProfile;
  if (type === 'Localhost') {
    if (!isSetString(profile)) {
      if (!partial) reportMissing(c, path, sp, 'localhostProfile', 'must be set when seccomp type is Localhost');
    } else validateLocalDescendingPath(c, profile, [...path, 'localhostProfile']);
  } else if (isSetString(profile)) {
    report(c, [...path, 'localhostProfile'], 'Invalid', 'can only be set when seccomp type is Localhost', structValue(c.minor, sp, SECCOMP_PROFILE));
  }
}

/** validateLocalDescendingPath: relative, with no `..` element. */
function validateLocalDescendingPath(c: Checker, target: string, path: FieldPath): void {
  for (const msg of localDescendingPathErrors(target)) report(c, path, 'Invalid', msg, target);
}

/** Go's unicode.IsSpace, which strings.TrimSpace trims. */
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const GO_TRIM = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'g');

/** ValidateAppArmorProfileField. The field came with 1.30: an older API server drops it as unknown. */
export function validateAppArmorProfileField(c: Checker, profile: unknown, path: FieldPath, partial: boolean): void {
  if (c.minor < 30 || !isRecord(profile) || isBadType(profile.type, 'string') || isBadType(profile.localhostProfile, 'string')) return;
  const type = typeof profile.type === 'string' ? profile.type : '';
  const local = profile.localhostProfile;
  const localPath = [...path, 'localhostProfile'];
  switch (type) {
    case 'Localhost':
      if (!isSetString(local)) {
        if (!partial) reportMissing(c, path, profile, 'localhostProfile', 'must be set when AppArmor type is Localhost');
        break;
      }
      {
        const trimmed = local.replace(GO_TRIM, '');
        if (trimmed !== local) report(c, localPath, 'Invalid', 'must not be padded with whitespace', local);
        else if (trimmed === '') report(c, localPath, 'Required', 'must be set when AppArmor type is Localhost');
        if (utf8Length(local) > 4095) report(c, localPath, 'TooLong', 'may not be more than 4095 bytes');
      }
      break;
    case 'RuntimeDefault':
    case 'Unconfined':
      if (isSetString(local)) report(c, localPath, 'Invalid', 'can only be set when AppArmor type is Localhost', typedString(c.minor, local));
      break;
    case '':
      if (!partial) reportMissing(c, path, profile, 'type', 'type is required when appArmorProfile is set');
      break;
    default:
      report(c, [...path, 'type'], 'NotSupported', supportedValues(APPARMOR_TYPES), typedString(c.minor, type));
  }
}

const MAX_GMSA_CREDENTIAL_SPEC_LENGTH = 64 * 1024;
const MAX_RUN_AS_USER_NAME_DOMAIN_LENGTH = 256;
const MAX_RUN_AS_USER_NAME_USER_LENGTH = 104;
const CTRL = /[\x00-\x1f\x7f]/;
const VALID_NETBIOS = /^[^\\/:*?"<>|.][^\\/:*?"<>|]{0,14}$/u;
const DNS_LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?';
const VALID_WINDOWS_USER_DOMAIN_DNS = new RegExp(`^${DNS_LABEL}(?:\\.${DNS_LABEL})*$`);
const INVALID_USER_NAME_CHARS = /["/\\:;|=,+*?<>@[\]]/;
const INVALID_USER_NAME_DOTS_SPACES = /^[. ]+$/;

/** validateWindowsSecurityContextOptions: gmsaCredentialSpecName, gmsaCredentialSpec and runAsUserName. */
export function validateWindowsSecurityContextOptions(c: Checker, options: unknown, path: FieldPath): void {
  if (!isRecord(options)) return;
  const { gmsaCredentialSpecName: specName, gmsaCredentialSpec: spec, runAsUserName: userName } = options;
  if (isSetString(specName)) {
    for (const msg of isDNS1123Subdomain(specName)) report(c, [...path, 'gmsaCredentialSpecName'], 'Invalid', msg, typedString(c.minor, specName));
  }
  if (isSetString(spec)) {
    const specPath = [...path, 'gmsaCredentialSpec'];
    const l = utf8Length(spec);
    if (l === 0) report(c, specPath, 'Invalid', 'gmsaCredentialSpec cannot be an empty string', typedString(c.minor, spec));
    else if (l > MAX_GMSA_CREDENTIAL_SPEC_LENGTH) report(c, specPath, 'Invalid', 'gmsaCredentialSpec size must be under 64 KiB', typedString(c.minor, spec));
  }
  if (isSetString(userName)) {
    const userPath = [...path, 'runAsUserName'];
    const bad = (msg: string) => report(c, userPath, 'Invalid', msg, typedString(c.minor, userName));
    const parts = userName.split('\\');
    if (userName.length === 0) bad('runAsUserName cannot be an empty string');
    else if (CTRL.test(userName)) bad('runAsUserName cannot contain control characters');
    else if (parts.length > 2) bad('runAsUserName cannot contain more than one backslash');
    else {
      const hasDomain = parts.length === 2;
      const domain = hasDomain ? parts[0] : '';
      const user = hasDomain ? parts[1] : parts[0];
      if (utf8Length(domain) >= MAX_RUN_AS_USER_NAME_DOMAIN_LENGTH) bad(`runAsUserName's Domain length must be under ${MAX_RUN_AS_USER_NAME_DOMAIN_LENGTH} characters`);
      if (hasDomain && !(VALID_NETBIOS.test(domain) || VALID_WINDOWS_USER_DOMAIN_DNS.test(domain))) bad("runAsUserName's Domain doesn't match the NetBios nor the DNS format");
      const l = utf8Length(user);
      if (l === 0) bad("runAsUserName's User cannot be empty");
      else if (l > MAX_RUN_AS_USER_NAME_USER_LENGTH) bad(`runAsUserName's User length must not be longer than ${MAX_RUN_AS_USER_NAME_USER_LENGTH} characters`);
      if (INVALID_USER_NAME_DOTS_SPACES.test(user)) bad("runAsUserName's User cannot contain only periods or spaces");
      if (INVALID_USER_NAME_CHARS.test(user)) bad('runAsUserName\'s User cannot contain the following characters: "/\\:;|=,+*?<>@[]');
    }
  }
}
