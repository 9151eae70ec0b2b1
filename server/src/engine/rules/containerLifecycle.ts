import { valueAt } from '../ast';
import { replaceScalar } from '../edits';
import { featureEnabled } from '../featureGates';
import { supportedValues } from '../fieldErrors';
import { containersOf, isRecord, isSet, POD_SPEC, type ContainerRef } from '../podTemplate';
import type { FieldPath, Finding } from '../types';
import { isRestartableInitContainer, podGracePeriod, validateHandler, type HandlerKind, type HandlerScope } from './containerHandlers';
import { apiFinding, type Rule, type RuleContext } from './rule';

/** core.Signal values of supportedStopSignalsLinux, as sets.List sorts them. */
const LINUX_STOP_SIGNALS = [
  'SIGABRT', 'SIGALRM', 'SIGBUS', 'SIGCHLD', 'SIGCLD', 'SIGCONT', 'SIGFPE', 'SIGHUP', 'SIGILL', 'SIGINT', 'SIGIO', 'SIGIOT',
  'SIGKILL', 'SIGPIPE', 'SIGPOLL', 'SIGPROF', 'SIGPWR', 'SIGQUIT', 'SIGSEGV', 'SIGSTKFLT', 'SIGSTOP', 'SIGSYS', 'SIGTERM', 'SIGTRAP',
  'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGUSR1', 'SIGUSR2', 'SIGVTALRM', 'SIGWINCH', 'SIGXCPU', 'SIGXFSZ', 'SIGRTMIN',
  ...Array.from({ length: 15 }, (_, i) => `SIGRTMIN+${i + 1}`),
  ...Array.from({ length: 14 }, (_, i) => `SIGRTMAX-${14 - i}`),
  'SIGRTMAX',
].sort();
/** supportedStopSignalsWindows. */
const WINDOWS_STOP_SIGNALS = ['SIGKILL', 'SIGTERM'];

/**
 * pkg/apis/core/validation/validation.go validateLifecycle (postStart and preStop through
 * validateHandler with handlerFromLifecycle: exec, httpGet, tcpSocket or sleep; stopSignal through
 * validateStopSignal), called by validateContainers for every container and by
 * validateInitContainers for restartable init containers; other init containers may not have a
 * lifecycle. Fields of a disabled gate are dropped first, as pkg/api/pod/util.go
 * dropPodLifecycleSleepAction and dropContainerStopSignals do (ContainerStopSignals is alpha, off
 * by default).
 */
export const containerLifecycle: Rule = {
  id: 'container-lifecycle',
  description: 'postStart and preStop hooks need exactly one valid handler, and a sleep within the grace period; init containers may have a lifecycle only as sidecars.',
  help: 'Upstream validateLifecycle requires each of `postStart` and `preStop` to have exactly one of `exec` (with a `command`), `httpGet`, `tcpSocket` or `sleep` ("must specify a handler type", "may not specify more than 1 handler type"), with a valid port (1-65535 or a port name) and scheme; a `sleep` may not last longer than the pod\'s `terminationGracePeriodSeconds` (30 by default) nor be negative. With the ContainerStopSignals gate, `stopSignal` needs `spec.os.name` and a signal that OS supports. An init container may have a lifecycle only with `restartPolicy: Always` (a sidecar): "may not be set for init containers without restartPolicy=Always".',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const out: Finding[] = [];
    const scope: HandlerScope = { rule: containerLifecycle, ds, ctx, gracePeriod: podGracePeriod(ds), out };
    const os = valueAt(ds, [...POD_SPEC, 'os']);
    for (const c of containersOf(ds, 'containers')) {
      const lifecycle = effectiveLifecycle(c, ctx);
      if (lifecycle) validateLifecycle(scope, lifecycle, [...c.path, 'lifecycle'], os);
    }
    for (const c of containersOf(ds, 'initContainers')) {
      const lifecycle = effectiveLifecycle(c, ctx);
      if (!lifecycle) continue;
      if (isRestartableInitContainer(c, ctx)) validateLifecycle(scope, lifecycle, [...c.path, 'lifecycle'], os);
      // In a patch the base may make it a sidecar.
      else if (!(ds.partial && c.value.restartPolicy === undefined)) {
        out.push(apiFinding(containerLifecycle, ds, [...c.path, 'lifecycle'], 'Forbidden', 'may not be set for init containers without restartPolicy=Always'));
      }
    }
    return out;
  },
};

/** A lifecycle as validation sees it, after the fields of disabled gates are dropped. */
interface Lifecycle {
  postStart: unknown;
  preStop: unknown;
  stopSignal: unknown;
  /** handlerFromLifecycle, without sleep when PodLifecycleSleepAction is off. */
  kinds: readonly HandlerKind[];
}

/** The container's lifecycle after dropPodLifecycleSleepAction and dropContainerStopSignals; undefined when unset or dropped. */
function effectiveLifecycle(c: ContainerRef, ctx: RuleContext): Lifecycle | undefined {
  const lc = c.value.lifecycle;
  // Anything else than a map is a type error the schema reports.
  if (!isRecord(lc)) return undefined;
  let { postStart, preStop, stopSignal } = lc;
  let kinds: readonly HandlerKind[] = ['exec', 'httpGet', 'tcpSocket', 'sleep'];
  if (!featureEnabled(ctx, 'PodLifecycleSleepAction')) {
    kinds = ['exec', 'httpGet', 'tcpSocket'];
    // A handler left with nothing but its dropped sleep is dropped too; so is a lifecycle left empty.
    const withoutSleep = (h: unknown) => (isRecord(h) && isSet(h.sleep) && !kinds.some((k) => isSet(h[k])) ? undefined : h);
    postStart = withoutSleep(postStart);
    preStop = withoutSleep(preStop);
    if (!isSet(postStart) && !isSet(preStop) && !isSet(stopSignal)) return undefined;
  }
  if (!featureEnabled(ctx, 'ContainerStopSignals') && isSet(stopSignal)) {
    stopSignal = undefined;
    if (!isSet(postStart) && !isSet(preStop)) return undefined;
  }
  return { postStart, preStop, stopSignal, kinds };
}

/** validateLifecycle. */
function validateLifecycle(scope: HandlerScope, lc: Lifecycle, path: FieldPath, os: unknown): void {
  if (isRecord(lc.postStart)) validateHandler(scope, lc.postStart, lc.kinds, [...path, 'postStart']);
  if (isRecord(lc.preStop)) validateHandler(scope, lc.preStop, lc.kinds, [...path, 'preStop']);
  if (typeof lc.stopSignal === 'string') validateStopSignal(scope, lc.stopSignal, [...path, 'stopSignal'], os);
}

/** validateStopSignal: the pod must name its OS, and the signal be one that OS supports. */
function validateStopSignal(scope: HandlerScope, signal: string, path: FieldPath, os: unknown): void {
  const { ds, ctx, out } = scope;
  if (!isSet(os)) {
    // A patch may leave spec.os to its base.
    if (!ds.partial) out.push(apiFinding(containerLifecycle, ds, path, 'Forbidden', 'may not be set for containers with empty `spec.os.name`'));
    return;
  }
  if (!isRecord(os)) return;
  const supported = os.name === 'windows' ? WINDOWS_STOP_SIGNALS : os.name === 'linux' ? LINUX_STOP_SIGNALS : undefined;
  if (!supported || supported.includes(signal)) return;
  const f = apiFinding(containerLifecycle, ds, path, 'NotSupported', supportedValues(supported), signal, 'value');
  // Only the same signal spelled otherwise (`sigterm`, `TERM`): a near name may be another signal.
  const upper = signal.trim().toUpperCase();
  const best = supported.find((s) => s === upper || s === `SIG${upper}`);
  if (best && ctx.fixes !== false) {
    const edits = replaceScalar(ctx.model.text, ds, path, best);
    if (edits.length) f.fixes = [{ title: `Change stopSignal to ${best}`, edits, isPreferred: true }];
  }
  out.push(f);
}
