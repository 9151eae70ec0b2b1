import { locate } from '../ast';
import { removeMapEntry, replaceScalar } from '../edits';
import { isMap } from '../yamlNodes';
import type { ManifestObject } from '../model';
import { containersOf, isRecord, isSet, type ContainerRef } from '../podTemplate';
import type { FieldPath, Finding } from '../types';
import { intField, isRestartableInitContainer, PROBE_HANDLERS, validateHandler, type HandlerScope } from './containerHandlers';
import { apiFinding, type Rule } from './rule';

type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';
const PROBES: readonly ProbeKind[] = ['livenessProbe', 'readinessProbe', 'startupProbe'];

/** The fields validateProbe checks with ValidateNonnegativeField, in its order. */
const NON_NEGATIVE = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const;

/**
 * pkg/apis/core/validation/validation.go validateLivenessProbe, validateReadinessProbe and
 * validateStartupProbe (each validateProbe → validateHandler, then its own check), called by
 * validateContainers for every container and by validateInitContainers for restartable init
 * containers only; other init containers may not have probes at all. Probes are read after
 * SetDefaults_Probe (a zero timeoutSeconds, periodSeconds, successThreshold or failureThreshold
 * becomes 1, 10, 1 and 3).
 */
export const containerProbes: Rule = {
  id: 'container-probes',
  description: 'Liveness, readiness and startup probes need exactly one valid handler and valid thresholds; init containers may have them only as sidecars.',
  help: 'Upstream validateProbe requires exactly one of `exec` (with a `command`), `httpGet`, `tcpSocket` or `grpc` ("must specify a handler type", "may not specify more than 1 handler type"), a port from 1 to 65535 or a port name (IANA_SVC_NAME: at most 15 lowercase letters, digits and single hyphens, with a letter), an httpGet `scheme` of HTTP or HTTPS and header names of letters, digits and `-`; `initialDelaySeconds`, `timeoutSeconds`, `periodSeconds`, `successThreshold` and `failureThreshold` must not be negative and `terminationGracePeriodSeconds` must be positive. A liveness or startup probe\'s `successThreshold` must be 1, and a readiness probe may not set `terminationGracePeriodSeconds`. An init container may have probes only with `restartPolicy: Always` (a sidecar): "may not be set for init containers without restartPolicy=Always".',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const out: Finding[] = [];
    const scope: HandlerScope = { rule: containerProbes, ds, ctx, out };
    // validateContainers, then validateInitContainers.
    for (const c of containersOf(ds, 'containers')) validateProbes(scope, c);
    for (const c of containersOf(ds, 'initContainers')) {
      if (isRestartableInitContainer(c, ctx)) validateProbes(scope, c);
      // In a patch the base may make it a sidecar.
      else if (!(ds.partial && c.value.restartPolicy === undefined)) {
        for (const kind of PROBES) {
          if (isRecord(c.value[kind])) out.push(apiFinding(containerProbes, ds, [...c.path, kind], 'Forbidden', 'may not be set for init containers without restartPolicy=Always'));
        }
      }
    }
    return out;
  },
};

function validateProbes(scope: HandlerScope, c: ContainerRef): void {
  for (const kind of PROBES) {
    const probe = c.value[kind];
    // Anything else than a map is a type error the schema reports.
    if (!isRecord(probe)) continue;
    const path = [...c.path, kind];
    validateProbe(scope, probe, path);
    if (kind === 'readinessProbe') {
      if (isSet(probe.terminationGracePeriodSeconds)) readinessGracePeriod(scope, probe, path);
    } else {
      // SetDefaults_Probe turns 0 into 1.
      const threshold = intField(probe.successThreshold);
      if (threshold !== undefined && threshold !== 0 && threshold !== 1) successThresholdNotOne(scope, path, threshold);
    }
  }
}

/** validateProbe. */
function validateProbe(scope: HandlerScope, probe: Record<string, unknown>, path: FieldPath): void {
  const { ds, out } = scope;
  validateHandler(scope, probe, PROBE_HANDLERS, path);
  for (const field of NON_NEGATIVE) {
    const n = intField(probe[field]);
    if (n !== undefined && n < 0) out.push(apiFinding(containerProbes, ds, [...path, field], 'Invalid', 'must be greater than or equal to 0', n, 'value'));
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && Number.isInteger(grace) && grace <= 0) {
    out.push(apiFinding(containerProbes, ds, [...path, 'terminationGracePeriodSeconds'], 'Invalid', 'must be greater than 0', grace, 'value'));
  }
}

/** validateLivenessProbe / validateStartupProbe: `successThreshold` must be 1. */
function successThresholdNotOne(scope: HandlerScope, path: FieldPath, threshold: number): void {
  const { ds, ctx } = scope;
  const at = [...path, 'successThreshold'];
  const f = apiFinding(containerProbes, ds, at, 'Invalid', 'must be 1', threshold, 'value');
  if (ctx.fixes !== false) {
    const edits = replaceScalar(ctx.model.text, ds, at, 1);
    if (edits.length) f.fixes = [{ title: 'Set successThreshold to 1', edits, isPreferred: true }];
  }
  scope.out.push(f);
}

/** validateReadinessProbe: a readiness probe never kills the container, so it has no grace period. */
function readinessGracePeriod(scope: HandlerScope, probe: Record<string, unknown>, path: FieldPath): void {
  const { ds, ctx } = scope;
  const at = [...path, 'terminationGracePeriodSeconds'];
  const value = probe.terminationGracePeriodSeconds;
  // The decoder rejects what is not an int64 (the schema reports it); the message prints the number.
  if (typeof value !== 'number' || !Number.isInteger(value)) return;
  const f = apiFinding(containerProbes, ds, at, 'Invalid', 'must not be set for readinessProbes', value, 'value');
  if (ctx.fixes !== false && removable(ds, path)) {
    const edits = removeMapEntry(ctx.model.text, ds, at);
    if (edits.length) f.fixes = [{ title: 'Remove terminationGracePeriodSeconds', edits, isPreferred: true }];
  }
  scope.out.push(f);
}

/** The probe keeps another entry once the field is removed (so `readinessProbe:` keeps a value). */
function removable(ds: ManifestObject, probePath: FieldPath): boolean {
  const node = locate(ds, probePath).node;
  return isMap(node) && node.items.length > 1;
}
