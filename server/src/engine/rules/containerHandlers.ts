/**
 * What the probe and lifecycle rules share, mirroring pkg/apis/core/validation/validation.go:
 * validateHandler and the actions it checks (validateExecAction, validateHTTPGetAction,
 * validateTCPSocketAction, validateGRPCAction, validateSleepAction, ValidatePortNumOrName),
 * isRestartableInitContainer and the pod's termination grace period.
 */
import { valueAt, valueSpan } from '../ast';
import { toIntOrString } from '../daemonSetDefaults';
import { replaceScalar } from '../edits';
import { featureEnabled } from '../featureGates';
import { supportedValues } from '../fieldErrors';
import { isHTTPHeaderName, isValidPortName, isValidPortNum, PORT_RANGE_ERROR } from '../k8sNames';
import type { ManifestObject } from '../model';
import { closestValue, isRecord, isSet, POD_SPEC, str, type ContainerRef } from '../podTemplate';
import type { FieldPath, Finding } from '../types';
import { apiFinding, type Rule, type RuleContext } from './rule';

/** An int32/int64 field after decoding: absent or null is 0; other types are the schema's business. */
export function intField(v: unknown): number | undefined {
  if (v === undefined || v === null) return 0;
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/**
 * isRestartableInitContainer: an init container with `restartPolicy: Always` (a sidecar). Without
 * SidecarContainers the field is dropped (DropDisabledPodFields), so no init container is one.
 */
export function isRestartableInitContainer(c: ContainerRef, ctx: Pick<RuleContext, 'featureGates' | 'kubernetesMinor'>): boolean {
  return featureEnabled(ctx, 'SidecarContainers') && c.value.restartPolicy === 'Always';
}

/**
 * The pod's terminationGracePeriodSeconds after SetDefaults_PodSpec (30 when unset); undefined when
 * it does not decode, or is unset in a patch (its base may set it).
 */
export function podGracePeriod(ds: ManifestObject): number | undefined {
  const v = valueAt(ds, [...POD_SPEC, 'terminationGracePeriodSeconds']);
  if (!isSet(v)) return ds.partial ? undefined : 30;
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** The fields of commonHandler, in the order validateHandler visits them. */
export type HandlerKind = 'exec' | 'httpGet' | 'tcpSocket' | 'grpc' | 'sleep';
/** handlerFromProbe. */
export const PROBE_HANDLERS: readonly HandlerKind[] = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

const HTTP_SCHEMES = ['HTTP', 'HTTPS']; // sets.List(supportedHTTPSchemes)

/** Where handler findings go and what validateHandler needs besides the handler. */
export interface HandlerScope {
  rule: Pick<Rule, 'id' | 'defaultSeverity'>;
  ds: ManifestObject;
  ctx: RuleContext;
  /** The pod's grace period (podGracePeriod), for sleep actions. */
  gracePeriod?: number;
  out: Finding[];
}

/**
 * validateHandler: exactly one handler of `kinds` (handlerFromProbe or handlerFromLifecycle), each
 * checked by its own function. Handler values that are not maps are the schema's business (the
 * server cannot decode them), but still count as a handler.
 */
export function validateHandler(scope: HandlerScope, handler: Record<string, unknown>, kinds: readonly HandlerKind[], path: FieldPath): void {
  const { rule, ds, out } = scope;
  let numHandlers = 0;
  for (const kind of kinds) {
    const action = handler[kind];
    if (!isSet(action)) continue;
    const actionPath = [...path, kind];
    if (numHandlers > 0) {
      out.push(apiFinding(rule, ds, actionPath, 'Forbidden', 'may not specify more than 1 handler type'));
      continue;
    }
    numHandlers++;
    if (!isRecord(action)) continue;
    switch (kind) {
      case 'exec': validateExecAction(scope, action, actionPath); break;
      case 'httpGet': validateHTTPGetAction(scope, action, actionPath); break;
      case 'tcpSocket': validatePortNumOrName(scope, action.port, [...actionPath, 'port']); break;
      case 'grpc': validateGRPCAction(scope, action, actionPath); break;
      case 'sleep': validateSleepAction(scope, action, actionPath); break;
    }
  }
  // A patch may leave the handler to its base.
  if (numHandlers === 0 && !ds.partial) out.push(apiFinding(rule, ds, path, 'Required', 'must specify a handler type'));
}

function validateExecAction(scope: HandlerScope, exec: Record<string, unknown>, path: FieldPath): void {
  const command = exec.command;
  if (Array.isArray(command) ? command.length === 0 : !isSet(command) && !scope.ds.partial) {
    scope.out.push(apiFinding(scope.rule, scope.ds, [...path, 'command'], 'Required'));
  }
}

/**
 * validateHTTPGetAction after SetDefaults_HTTPGetAction, which sets an empty path to "/" and an
 * empty scheme to HTTP (so `path` is never missing). A header name is reported at `httpHeaders`,
 * as upstream does; a header without a name is left to the schema (`name` is required there).
 */
function validateHTTPGetAction(scope: HandlerScope, http: Record<string, unknown>, path: FieldPath): void {
  const { rule, ds, ctx, out } = scope;
  validatePortNumOrName(scope, http.port, [...path, 'port']);
  const scheme = str(http.scheme);
  if (scheme !== undefined && scheme !== '' && !HTTP_SCHEMES.includes(scheme)) {
    const schemePath = [...path, 'scheme'];
    const f = apiFinding(rule, ds, schemePath, 'NotSupported', supportedValues(HTTP_SCHEMES), scheme, 'value');
    const best = closestValue(scheme, HTTP_SCHEMES);
    if (best && ctx.fixes !== false) {
      const edits = replaceScalar(ctx.model.text, ds, schemePath, best);
      if (edits.length) f.fixes = [{ title: `Change scheme to ${best}`, edits, isPreferred: true }];
    }
    out.push(f);
  }
  const headers = http.httpHeaders;
  if (!Array.isArray(headers)) return;
  headers.forEach((h, i) => {
    if (!isRecord(h) || typeof h.name !== 'string') return;
    for (const msg of isHTTPHeaderName(h.name)) {
      const f = apiFinding(rule, ds, [...path, 'httpHeaders'], 'Invalid', msg, h.name);
      f.span = valueSpan(ds, [...path, 'httpHeaders', i, 'name']) ?? f.span;
      out.push(f);
    }
  });
}

/**
 * ValidatePortNumOrName: a number from 1 to 65535 or an IANA service name (a container port's
 * name). A missing port is left to the schema, which requires it (upstream decodes it as 0 and
 * says `Invalid value: 0`); a value the decoder rejects is the schema's too.
 */
function validatePortNumOrName(scope: HandlerScope, port: unknown, path: FieldPath): void {
  if (!isSet(port)) return;
  const v = toIntOrString(port);
  if (!v) return;
  if (v.type === 'int') {
    if (!isValidPortNum(v.intVal)) scope.out.push(apiFinding(scope.rule, scope.ds, path, 'Invalid', PORT_RANGE_ERROR, v.intVal, 'value'));
  } else {
    for (const msg of isValidPortName(v.strVal)) scope.out.push(apiFinding(scope.rule, scope.ds, path, 'Invalid', msg, v.strVal, 'value'));
  }
}

/** validateGRPCAction: ValidatePortNumOrName(intstr.FromInt32(grpc.Port)). */
function validateGRPCAction(scope: HandlerScope, grpc: Record<string, unknown>, path: FieldPath): void {
  const port = grpc.port;
  if (typeof port !== 'number' || !Number.isInteger(port)) return;
  if (!isValidPortNum(port)) scope.out.push(apiFinding(scope.rule, scope.ds, [...path, 'port'], 'Invalid', PORT_RANGE_ERROR, port, 'value'));
}

/**
 * validateSleepAction: the seconds at most the pod's terminationGracePeriodSeconds, and positive
 * unless PodLifecycleSleepActionAllowZero (GA in 1.34). Reported at `sleep`, as upstream does.
 */
function validateSleepAction(scope: HandlerScope, sleep: Record<string, unknown>, path: FieldPath): void {
  const { ctx, gracePeriod } = scope;
  const seconds = intField(sleep.seconds);
  if (seconds === undefined || gracePeriod === undefined) return;
  let detail: string | undefined;
  if (featureEnabled(ctx, 'PodLifecycleSleepActionAllowZero')) {
    if (seconds < 0 || seconds > gracePeriod) detail = `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`;
  } else if (seconds <= 0 || seconds > gracePeriod) {
    detail = `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod})`;
    // The gate (1.32) added the hint to the message.
    if (ctx.kubernetesMinor >= 32) detail += '. Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.';
  }
  if (detail === undefined) return;
  const f = apiFinding(scope.rule, scope.ds, path, 'Invalid', detail, seconds);
  f.span = valueSpan(scope.ds, [...path, 'seconds']) ?? f.span;
  scope.out.push(f);
}
