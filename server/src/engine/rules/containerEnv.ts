import { keySpan, valueAt, valueSpan } from '../ast';
import { replaceScalar } from '../edits';
import { featureEnabled } from '../featureGates';
import { supportedValues, type FieldErrorType } from '../fieldErrors';
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isQualifiedName, isRelaxedEnvVarName, maskTrailingDash } from '../k8sNames';
import type { ManifestObject } from '../model';
import { canonicalQuantity, compareQuantities, quantityError } from '../quantity';
import { allContainers, closestValue, containersOf, firstKeySpan, isRecord, isSet, items, POD_SPEC, str, type ContainerRef } from '../podTemplate';
import { hasBackstep } from '../text';
import type { FieldPath, Finding } from '../types';
import { apiFinding, type Rule, type RuleContext } from './rule';
import { convertDownwardAPIFieldLabel, divisorError, isResourceFieldPath, RESOURCE_FIELD_PATHS, splitMaybeSubscriptedPath } from '../downwardApi';
import { isEmptyDirVolume } from './volumes';

/** validEnvDownwardAPIFieldPathExpressions, as sets.List sorts them. */
const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];

/**
 * pkg/apis/core/validation/validation.go ValidateEnv (names; validateEnvVarValueFrom with
 * validateObjectFieldSelector, validateContainerResourceFieldSelector and
 * validateContainerResourceDivisor, validateConfigMapKeySelector, validateSecretKeySelector,
 * validateFileKeySelector) and ValidateEnvFrom, from validateContainerCommon for containers and
 * init containers, then validateFileKeyRefVolumes (ValidatePodSpec). Env var names and prefixes
 * are checked as IsRelaxedEnvVarName once RelaxedEnvironmentVariableValidation is on (GA in 1.34),
 * else as IsEnvVarName. `fileKeyRef` counts only with EnvFiles (beta in 1.35): without it the
 * field is dropped (pkg/api/pod/util.go dropFileKeyRefInUse). ObjectFieldSelector's apiVersion
 * defaults to v1 (SetDefaults_ObjectFieldSelector).
 */
export const containerEnv: Rule = {
  id: 'container-env',
  description: 'Environment variables need valid names and exactly one source (value or one valueFrom reference) that the API server supports.',
  help: 'Upstream ValidateEnv requires a `name` (any printable ASCII but `=` since RelaxedEnvironmentVariableValidation, GA in 1.34) and, in `valueFrom`, exactly one of `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` (or `fileKeyRef` with EnvFiles), and no `value` beside it. A `fieldRef.fieldPath` must be one of metadata.name, metadata.namespace, metadata.uid, spec.nodeName, spec.serviceAccountName, status.hostIP(s), status.podIP(s) or a metadata.labels/annotations subscript; a `resourceFieldRef.resource` a limits/requests cpu, memory, ephemeral-storage or hugepages-* with a supported `divisor`; `configMapKeyRef`/`secretKeyRef` need a DNS-1123 `name` and a `key` of letters, digits, `-`, `_` and `.`. ValidateEnvFrom requires exactly one of `configMapRef` and `secretRef` (with a `name`) per entry, and a valid `prefix`.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const out: Finding[] = [];
    const scope: EnvScope = {
      ds,
      ctx,
      out,
      relaxed: featureEnabled(ctx, 'RelaxedEnvironmentVariableValidation'),
      envFiles: featureEnabled(ctx, 'EnvFiles'),
    };
    // validateContainers, then validateInitContainers (each through validateContainerCommon).
    for (const c of allContainers(ds)) {
      validateEnv(scope, c);
      validateEnvFrom(scope, c);
    }
    if (scope.envFiles) validateFileKeyRefVolumes(scope);
    return out;
  },
};

interface EnvScope {
  ds: ManifestObject;
  ctx: RuleContext;
  out: Finding[];
  /** AllowRelaxedEnvironmentVariableValidation. */
  relaxed: boolean;
  /** EnvFiles: fileKeyRef is kept and validated (AllowEnvFilesValidation). */
  envFiles: boolean;
}

function finding(scope: EnvScope, path: FieldPath, type: FieldErrorType, detail?: string, badValue?: unknown, on?: 'key' | 'value'): Finding {
  return apiFinding(containerEnv, scope.ds, path, type, detail, badValue, on);
}

/** The field is absent from a patch, whose base may have it: its absence is not reported. */
function absentInPatch(scope: EnvScope, parent: Record<string, unknown>, key: string): boolean {
  return scope.ds.partial && parent[key] === undefined;
}


function envVarNameErrors(scope: EnvScope, name: string): string[] {
  return scope.relaxed ? isRelaxedEnvVarName(name) : isEnvVarName(name);
}

/** ValidateEnv. */
function validateEnv(scope: EnvScope, c: ContainerRef): void {
  const { ds, out } = scope;
  for (const [i, ev] of items(c.value.env)) {
    const base = [...c.path, 'env', i];
    const name = str(ev.name);
    if (name === '') {
      if (!absentInPatch(scope, ev, 'name')) {
        const f = finding(scope, [...base, 'name'], 'Required', undefined, undefined, 'value');
        if (ev.name === undefined) f.span = firstKeySpan(ds, base, ev) ?? f.span;
        out.push(f);
      }
    } else if (name !== undefined) {
      for (const msg of envVarNameErrors(scope, name)) out.push(finding(scope, [...base, 'name'], 'Invalid', msg, name, 'value'));
    }
    if (isRecord(ev.valueFrom)) validateEnvVarValueFrom(scope, ev, ev.valueFrom, [...base, 'valueFrom']);
  }
}

/** validateEnvVarValueFrom. */
function validateEnvVarValueFrom(scope: EnvScope, ev: Record<string, unknown>, from: Record<string, unknown>, path: FieldPath): void {
  const { ds, out } = scope;
  let numSources = 0;
  if (isSet(from.fieldRef)) {
    numSources++;
    if (isRecord(from.fieldRef)) validateObjectFieldSelector(scope, from.fieldRef, [...path, 'fieldRef']);
  }
  if (isSet(from.resourceFieldRef)) {
    numSources++;
    if (isRecord(from.resourceFieldRef)) validateContainerResourceFieldSelector(scope, from.resourceFieldRef, [...path, 'resourceFieldRef']);
  }
  if (isSet(from.configMapKeyRef)) {
    numSources++;
    if (isRecord(from.configMapKeyRef)) validateKeySelector(scope, from.configMapKeyRef, [...path, 'configMapKeyRef']);
  }
  if (isSet(from.secretKeyRef)) {
    numSources++;
    if (isRecord(from.secretKeyRef)) validateKeySelector(scope, from.secretKeyRef, [...path, 'secretKeyRef']);
  }
  if (scope.envFiles && isSet(from.fileKeyRef)) {
    numSources++;
    if (isRecord(from.fileKeyRef)) validateFileKeySelector(scope, from.fileKeyRef, [...path, 'fileKeyRef']);
  }
  if (numSources === 0) {
    // A patch may leave the source to its base.
    if (ds.partial) return;
    const detail = scope.envFiles
      ? 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`'
      : 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`';
    out.push(finding(scope, path, 'Invalid', detail, ''));
  } else if ((str(ev.value) ?? '').length !== 0) {
    out.push(finding(scope, path, 'Invalid', 'may not be specified when `value` is not empty', ''));
  } else if (numSources > 1) {
    out.push(finding(scope, path, 'Invalid', 'may not have more than one field specified at a time', ''));
  }
}

/** validateObjectFieldSelector with validEnvDownwardAPIFieldPathExpressions. */
function validateObjectFieldSelector(scope: EnvScope, fs: Record<string, unknown>, path: FieldPath): void {
  const { ds, out } = scope;
  const apiVersion = str(fs.apiVersion);
  const fieldPath = str(fs.fieldPath);
  if (apiVersion === undefined || fieldPath === undefined) return;
  const fieldPathAt = [...path, 'fieldPath'];
  if (fieldPath === '') {
    if (!absentInPatch(scope, fs, 'fieldPath')) out.push(finding(scope, fieldPathAt, 'Required', undefined, undefined, 'value'));
    return;
  }
  const converted = convertDownwardAPIFieldLabel(apiVersion || 'v1', fieldPath);
  if ('error' in converted) {
    const f = finding(scope, fieldPathAt, 'Invalid', `error converting fieldPath: ${converted.error}`, fieldPath, 'value');
    if (apiVersion === '' || apiVersion === 'v1') offerReplacement(scope, f, fieldPathAt, fieldPath, ENV_FIELD_PATHS, 'fieldPath');
    out.push(f);
    return;
  }
  const { path: internal, subscript } = splitMaybeSubscriptedPath(converted.path);
  if (subscript !== undefined) {
    // ValidateQualifiedName at fieldRef itself; annotation keys are compared lower-cased.
    const key = internal === 'metadata.annotations' ? subscript.toLowerCase() : subscript;
    for (const msg of isQualifiedName(key)) {
      const f = finding(scope, path, 'Invalid', msg, key);
      f.span = valueSpan(ds, fieldPathAt) ?? f.span;
      out.push(f);
    }
  } else if (!ENV_FIELD_PATHS.includes(internal)) {
    const f = finding(scope, fieldPathAt, 'NotSupported', supportedValues(ENV_FIELD_PATHS), internal, 'value');
    offerReplacement(scope, f, fieldPathAt, fieldPath, ENV_FIELD_PATHS, 'fieldPath');
    out.push(f);
  }
}

/** A fix to the supported value `value` was mistyped as (its case, or two characters off), if any. */
function offerReplacement(scope: EnvScope, f: Finding, at: FieldPath, value: string, candidates: readonly string[], field: string): void {
  if (scope.ctx.fixes === false) return;
  const best = closestValue(value, candidates, () => 2);
  if (!best) return;
  const edits = replaceScalar(scope.ctx.model.text, scope.ds, at, best);
  if (edits.length) f.fixes = [{ title: `Change ${field} to ${best}`, edits, isPreferred: true }];
}

/** validateContainerResourceFieldSelector for env (volume false: containerName is optional). */
function validateContainerResourceFieldSelector(scope: EnvScope, fs: Record<string, unknown>, path: FieldPath): void {
  const { out } = scope;
  const resource = str(fs.resource);
  if (resource === undefined) return;
  const resourceAt = [...path, 'resource'];
  if (resource === '') {
    if (!absentInPatch(scope, fs, 'resource')) out.push(finding(scope, resourceAt, 'Required', undefined, undefined, 'value'));
  } else if (!isResourceFieldPath(resource)) {
    const f = finding(scope, resourceAt, 'NotSupported', supportedValues(RESOURCE_FIELD_PATHS), resource, 'value');
    offerReplacement(scope, f, resourceAt, resource, RESOURCE_FIELD_PATHS, 'resource');
    out.push(f);
  }
  validateContainerResourceDivisor(scope, resource, fs.divisor, [...path, 'divisor']);
}

/** validateContainerResourceDivisor: the divisors each resource supports (an unset or zero divisor is 1). */
function validateContainerResourceDivisor(scope: EnvScope, resource: string, divisor: unknown, path: FieldPath): void {
  const { out } = scope;
  if (!isSet(divisor)) return;
  const parseError = quantityError(divisor);
  if (parseError !== undefined) {
    // The decoder rejects it (resource.ParseQuantity).
    const f = finding(scope, path, 'Invalid', '', divisor, 'value');
    f.message = parseError;
    out.push(f);
    return;
  }
  if (compareQuantities(divisor, 0) === 0) return;
  const detail = divisorError(resource, canonicalQuantity(divisor)!);
  if (detail) out.push(finding(scope, path, 'Invalid', detail, resource, 'value'));
}

/** validateConfigMapKeySelector and validateSecretKeySelector: a DNS-1123 subdomain name (even empty) and a config key. */
function validateKeySelector(scope: EnvScope, s: Record<string, unknown>, path: FieldPath): void {
  const { out } = scope;
  const name = str(s.name);
  if (name !== undefined && !absentInPatch(scope, s, 'name')) {
    for (const msg of isDNS1123Subdomain(name)) out.push(finding(scope, [...path, 'name'], 'Invalid', msg, name, 'value'));
  }
  const key = str(s.key);
  if (key === '') {
    if (!absentInPatch(scope, s, 'key')) out.push(finding(scope, [...path, 'key'], 'Required', undefined, undefined, 'value'));
  } else if (key !== undefined) {
    for (const msg of isConfigMapKey(key)) out.push(finding(scope, [...path, 'key'], 'Invalid', msg, key, 'value'));
  }
}

/** validateFileKeySelector: key (a relaxed env var name), volumeName (a DNS-1123 label) and path (no `..`). */
function validateFileKeySelector(scope: EnvScope, s: Record<string, unknown>, path: FieldPath): void {
  const { out } = scope;
  const required = (field: string, check: (v: string) => string[]): void => {
    const v = str(s[field]);
    if (v === '') {
      if (!absentInPatch(scope, s, field)) out.push(finding(scope, [...path, field], 'Required', undefined, undefined, 'value'));
    } else if (v !== undefined) {
      for (const msg of check(v)) out.push(finding(scope, [...path, field], 'Invalid', msg, v, 'value'));
    }
  };
  required('key', isRelaxedEnvVarName);
  required('volumeName', isDNS1123Label);
  // validatePathNoBacksteps: one error however many `..` there are.
  required('path', (p) => (hasBackstep(p) ? ["must not contain '..'"] : []));
}

/** ValidateEnvFrom. The source count is reported at `envFrom` itself, as upstream does; the span is the entry. */
function validateEnvFrom(scope: EnvScope, c: ContainerRef): void {
  const { ds, out } = scope;
  const listPath = [...c.path, 'envFrom'];
  for (const [i, ev] of items(c.value.envFrom)) {
    const base = [...listPath, i];
    const prefix = str(ev.prefix);
    if (prefix) for (const msg of envVarNameErrors(scope, prefix)) out.push(finding(scope, [...base, 'prefix'], 'Invalid', msg, prefix, 'value'));
    let numSources = 0;
    let second: string | undefined;
    for (const source of ['configMapRef', 'secretRef']) {
      const ref = ev[source];
      if (!isSet(ref)) continue;
      numSources++;
      if (numSources > 1) second = source;
      if (!isRecord(ref)) continue;
      // validateConfigMapEnvSource / validateSecretEnvSource: ValidateConfigMapName and
      // ValidateSecretName with prefix true, so a trailing '-' is masked first.
      const name = str(ref.name);
      if (name === '') {
        if (!absentInPatch(scope, ref, 'name')) out.push(finding(scope, [...base, source, 'name'], 'Required', undefined, undefined, 'value'));
      } else if (name !== undefined) {
        for (const msg of isDNS1123Subdomain(maskTrailingDash(name))) out.push(finding(scope, [...base, source, 'name'], 'Invalid', msg, name, 'value'));
      }
    }
    if (numSources === 0) {
      if (ds.partial) continue;
      const f = finding(scope, listPath, 'Invalid', 'must specify one of: `configMapRef` or `secretRef`', '');
      f.span = firstKeySpan(ds, base, ev) ?? valueSpan(ds, base) ?? f.span;
      out.push(f);
    } else if (numSources > 1) {
      const f = finding(scope, listPath, 'Invalid', 'may not have more than one field specified at a time', '');
      f.span = keySpan(ds, [...base, second!]) ?? f.span;
      out.push(f);
    }
  }
}

/**
 * validateFileKeyRefVolumes: a fileKeyRef's volume must be a volume of the pod, and an emptyDir
 * (SetDefaults_Volume makes a volume without a source one). Init containers first, as
 * VisitContainersWithPath visits them.
 */
function validateFileKeyRefVolumes(scope: EnvScope): void {
  const { ds, out } = scope;
  // Built when the first fileKeyRef is met: most pods have none.
  let emptyDirs: Map<string, boolean> | undefined;
  const emptyDirOf = (volumeName: string): boolean | undefined => {
    if (!emptyDirs) {
      emptyDirs = new Map();
      for (const [, v] of items(valueAt(ds, [...POD_SPEC, 'volumes']))) {
        const name = str(v.name);
        if (name !== undefined) emptyDirs.set(name, isEmptyDirVolume(v));
      }
    }
    return emptyDirs.get(volumeName);
  };
  for (const c of [...containersOf(ds, 'initContainers'), ...containersOf(ds, 'containers')]) {
    for (const [i, ev] of items(c.value.env)) {
      const from = ev.valueFrom;
      if (!isRecord(from) || !isRecord(from.fileKeyRef)) continue;
      const volumeName = str(from.fileKeyRef.volumeName);
      if (volumeName === undefined) continue;
      const at = [...c.path, 'env', i, 'valueFrom', 'fileKeyRef', 'volumeName'];
      const isEmptyDir = emptyDirOf(volumeName);
      if (isEmptyDir === undefined) {
        // A patch may take its volumes from its base.
        if (!ds.partial) out.push(finding(scope, at, 'NotFound', undefined, volumeName, 'value'));
      } else if (!isEmptyDir) {
        out.push(finding(scope, at, 'Invalid', 'referenced volume must be of type emptyDir', volumeName, 'value'));
      }
    }
  }
}
