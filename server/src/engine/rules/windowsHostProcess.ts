import { keySpan, reportSpan, valueAt, valueSpan } from '../ast';
import { setMapEntries } from '../edits';
import type { ManifestObject } from '../model';
import { firstKeySpan, isRecord, POD_SPEC, visitContainers } from '../podTemplate';
import type { FieldPath, Finding, Span } from '../types';
import { apiFinding, type Rule } from './rule';

const HOST_NETWORK = [...POD_SPEC, 'hostNetwork'];
const POD_HOST_PROCESS = [...POD_SPEC, 'securityContext', 'windowsOptions', 'hostProcess'];


/**
 * pkg/apis/core/validation/validation.go validateWindowsHostProcessPod, which ValidatePodSpec calls for
 * every pod spec, whatever its `os` (the OS block comes after it): a container-level
 * `windowsOptions.hostProcess` must equal the pod-level one when both are set; a container is a
 * HostProcess container when it sets `hostProcess: true` or inherits it from the pod; if any is, all
 * must be (init and ephemeral containers included), and the pod must set `hostNetwork: true`. Its last
 * check, `hostProcess containers are disallowed by cluster policy` (Forbidden, when the API server runs
 * without --allow-privileged), depends on the server's flags and is not mirrored.
 */
export const windowsHostProcess: Rule = {
  id: 'windows-host-process',
  description: 'A pod with Windows HostProcess containers must set hostNetwork: true, run only HostProcess containers, and not contradict the pod-level hostProcess.',
  help: 'Upstream validateWindowsHostProcessPod: a container\'s `securityContext.windowsOptions.hostProcess` that differs from the pod\'s `securityContext.windowsOptions.hostProcess` is rejected (`pod hostProcess value must be identical if both are specified, was <pod value>`); a container sets hostProcess or inherits it from the pod, and if any container (init containers included) is a HostProcess container, all must be (`If pod contains any hostProcess containers then all containers must be HostProcess containers`, reported on the pod spec) and `hostNetwork` must be true (`hostNetwork must be true if pod contains any hostProcess containers`). Set `hostNetwork: true`, and set hostProcess once, in the pod security context.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const podHostProcess = bool(valueAt(ds, POD_HOST_PROCESS));
    const out: Finding[] = [];
    let containerCount = 0;
    let hostProcessCount = 0;
    let firstHostProcess: Span | undefined;
    let firstOther: Span | undefined;
    for (const c of visitContainers(ds)) {
      containerCount++;
      const path: FieldPath = [...c.path, 'securityContext', 'windowsOptions', 'hostProcess'];
      const containerHostProcess = bool(valueAt(ds, path));
      if (podHostProcess !== undefined && containerHostProcess !== undefined && podHostProcess !== containerHostProcess) {
        const f = apiFinding(windowsHostProcess, ds, path, 'Invalid', `pod hostProcess value must be identical if both are specified, was ${podHostProcess}`, containerHostProcess);
        f.span = reportSpan(ds, path, 'value');
        out.push(f);
      }
      if (containerHostProcess === true || (containerHostProcess === undefined && podHostProcess === true)) {
        hostProcessCount++;
        firstHostProcess ??= keySpan(ds, containerHostProcess === true ? path : POD_HOST_PROCESS);
      } else {
        firstOther ??= (c.value.name ? valueSpan(ds, [...c.path, 'name']) : undefined) ?? firstKeySpan(ds, c.path, c.value);
      }
    }
    // A Kustomize patch merges into a base that may hold more containers and hostNetwork.
    if (hostProcessCount === 0 || ds.partial) return out;
    if (hostProcessCount !== containerCount) {
      const f = apiFinding(windowsHostProcess, ds, [...POD_SPEC], 'Invalid', 'If pod contains any hostProcess containers then all containers must be HostProcess containers', '');
      // Reported on the pod spec: point at the first container that is not a HostProcess container.
      if (firstOther) f.span = firstOther;
      out.push(f);
    }
    const hostNetwork = valueAt(ds, HOST_NETWORK);
    // A value of another type never reaches validation: the decoder rejects it (the schema reports it).
    if (hostNetwork === undefined || hostNetwork === null || hostNetwork === false) {
      const f = apiFinding(windowsHostProcess, ds, HOST_NETWORK, 'Invalid', 'hostNetwork must be true if pod contains any hostProcess containers', false);
      // Without the key, point at the hostProcess that makes it required rather than at the pod spec.
      if (hostNetwork === undefined) f.span = firstHostProcess ?? f.span;
      if (ctx.fixes !== false) {
        const edits = setMapEntries(ctx.model.text, ds, [...POD_SPEC], { hostNetwork: true });
        if (edits.length) f.fixes = [{ title: 'Set hostNetwork: true', edits, isPreferred: true }];
      }
      out.push(f);
    }
    return out;
  },
};

/** A `*bool` as the decoder sets it: a boolean, else unset (null is unset; another type is a decode error). */
function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

