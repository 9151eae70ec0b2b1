import { supportedValues } from '../fieldErrors';
import type { ManifestObject } from '../model';
import { containersOf, firstKeySpan, isRecord, POD_SPEC, podSpecOf, type ContainerRef } from '../podTemplate';
import { formatPath, type FieldPath, type Finding } from '../types';
import { valueSpan } from '../ast';
import { isValidPortName, isValidPortNum, PORT_RANGE_ERROR } from '../k8sNames';
import { apiFinding, type Rule } from './rule';

const PORT_RANGE = PORT_RANGE_ERROR;
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']; // sets.List(supportedPortProtocols): sorted

/**
 * pkg/apis/core/validation/validation.go validateContainerPorts (names, containerPort and
 * hostPort ranges, protocol), AccumulateUniqueHostPorts via checkHostPortConflicts (across all
 * regular containers; each init container on its own) and validatePodHostNetworkDeps (with
 * hostNetwork a set hostPort must equal containerPort; templates allow 0), and the same host port
 * check on the pods the controller creates, whose hostPorts are defaulted (podHostPortConflicts).
 */
export const containerPorts: Rule = {
  id: 'container-ports',
  description: 'Container ports must be in range, unique on the host, and match containerPort with hostNetwork.',
  help: 'Upstream validateContainerPorts checks port names (IANA service names, unique per container), `containerPort` (required, 1-65535), `hostPort` (1-65535 when set) and `protocol` (TCP, UDP or SCTP). AccumulateUniqueHostPorts rejects the same protocol/hostIP/hostPort twice as `Duplicate value: "TCP//8080"`, and with `hostNetwork: true` a `hostPort` must equal its `containerPort`. Since 1.28 a hostNetwork template keeps unset hostPorts, but each pod gets hostPort = containerPort (SetDefaults_Pod), so two containers with the same containerPort and protocol make every pod fail validation although the DaemonSet is accepted.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const out: Finding[] = [];
    const spec = podSpecOf(ds);
    const hostNetwork = spec?.hostNetwork === true;
    // Before 1.28 templates with hostNetwork got hostPort = containerPort by defaulting
    // (pkg/apis/core/v1/defaults.go defaultHostNetworkPorts); from 1.28 to 1.30 the deprecated gate
    // DefaultHostNetworkHostPortsInPodTemplates brought that back, and 1.31 removed it (kubernetes#124417).
    const defaultHostPorts = hostNetwork && (ctx.kubernetesMinor < 28 || (ctx.kubernetesMinor < 31 && ctx.featureGates.DefaultHostNetworkHostPortsInPodTemplates === true));
    const regular = containersOf(ds, 'containers');
    const init = containersOf(ds, 'initContainers');
    for (const c of [...regular, ...init]) validateContainerPorts(ds, c, out);
    // checkHostPortConflicts: regular containers share one accumulator ...
    accumulateUniqueHostPorts(ds, regular, new Set(), defaultHostPorts, out);
    // ... init containers run one at a time, so each is checked alone. Upstream passes a
    // one-element slice, so the reported path always says initContainers[0]; the span is exact.
    for (const c of init) accumulateUniqueHostPorts(ds, [c], new Set(), defaultHostPorts, out, 0);
    if (hostNetwork) validatePodHostNetworkDeps(ds, regular, out);
    if (hostNetwork && !defaultHostPorts) podHostPortConflicts(ds, regular, init, out);
    return out;
  },
};

interface Port {
  index: number;
  value: Record<string, unknown>;
}

function portsOf(c: ContainerRef): Port[] {
  const ports = c.value.ports;
  if (!Array.isArray(ports)) return [];
  const out: Port[] = [];
  ports.forEach((p, index) => {
    if (isRecord(p)) out.push({ index, value: p });
  });
  return out;
}

/** An int32 field after decoding: absent/null is 0; other types are the schema's business. */
function int(v: unknown): number | undefined {
  if (v === undefined || v === null) return 0;
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

function validateContainerPorts(ds: ManifestObject, c: ContainerRef, out: Finding[]): void {
  const names = new Set<string>();
  for (const { index, value: port } of portsOf(c)) {
    const base = [...c.path, 'ports', index];
    if (typeof port.name === 'string' && port.name.length > 0) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) for (const msg of msgs) out.push(apiFinding(containerPorts, ds, [...base, 'name'], 'Invalid', msg, port.name, 'value'));
      else if (names.has(port.name)) out.push(apiFinding(containerPorts, ds, [...base, 'name'], 'Duplicate', undefined, port.name, 'value'));
      else names.add(port.name);
    }
    const containerPort = int(port.containerPort);
    if (containerPort === 0) {
      const f = apiFinding(containerPorts, ds, [...base, 'containerPort'], 'Required', undefined, undefined, 'value');
      if (port.containerPort === undefined) f.span = firstKeySpan(ds, base, port) ?? f.span;
      out.push(f);
    }
    else if (containerPort !== undefined && !isValidPortNum(containerPort)) {
      out.push(apiFinding(containerPorts, ds, [...base, 'containerPort'], 'Invalid', PORT_RANGE, containerPort, 'value'));
    }
    const hostPort = int(port.hostPort);
    if (hostPort !== undefined && hostPort !== 0 && !isValidPortNum(hostPort)) {
      out.push(apiFinding(containerPorts, ds, [...base, 'hostPort'], 'Invalid', PORT_RANGE, hostPort, 'value'));
    }
    // protocol defaults to TCP; an explicit empty string is not defaulted.
    if (typeof port.protocol === 'string') {
      if (port.protocol.length === 0) out.push(apiFinding(containerPorts, ds, [...base, 'protocol'], 'Required', undefined, undefined, 'value'));
      else if (!PROTOCOLS.includes(port.protocol)) {
        out.push(apiFinding(containerPorts, ds, [...base, 'protocol'], 'NotSupported', supportedValues(PROTOCOLS), port.protocol, 'value'));
      }
    }
  }
}

/** AccumulateUniqueHostPorts: "<protocol>/<hostIP>/<hostPort>" must be unique. */
function accumulateUniqueHostPorts(ds: ManifestObject, containers: ContainerRef[], seen: Set<string>, defaultHostPorts: boolean, out: Finding[], printedIndex?: number, portPaths?: Map<Finding, FieldPath>): void {
  for (const c of containers) {
    for (const { index, value: port } of portsOf(c)) {
      let hostPort = int(port.hostPort);
      if (hostPort === 0 && defaultHostPorts) hostPort = int(port.containerPort);
      if (!hostPort) continue;
      const protocol = port.protocol === undefined || port.protocol === null ? 'TCP' : String(port.protocol);
      const hostIP = typeof port.hostIP === 'string' ? port.hostIP : '';
      const key = `${protocol}/${hostIP}/${hostPort}`;
      if (seen.has(key)) {
        const f = apiFinding(containerPorts, ds, [...c.path, 'ports', index, 'hostPort'], 'Duplicate', undefined, key, 'value');
        if (printedIndex !== undefined) f.path = formatPath([...POD_SPEC, c.list, printedIndex, 'ports', index, 'hostPort']);
        portPaths?.set(f, [...c.path, 'ports', index]);
        out.push(f);
      }
      else seen.add(key);
    }
  }
}

/**
 * Since 1.28 a hostNetwork template keeps its unset hostPorts, so the API server accepts two
 * containers with the same containerPort. But every pod the controller creates is defaulted by
 * pkg/apis/core/v1/defaults.go SetDefaults_Pod (`if obj.Spec.HostNetwork { defaultHostNetworkPorts(…) }`,
 * hostPort = containerPort for containers and init containers, not gated for pods) before
 * validation, and ValidatePodCreate → checkHostPortConflicts → AccumulateUniqueHostPorts then rejects
 * it as `Duplicate value: "TCP//9090"`: the DaemonSet runs no pod at all (and on the host network the
 * two would conflict anyway). Reported at the second port, for the conflicts the template itself
 * does not already have.
 */
function podHostPortConflicts(ds: ManifestObject, regular: ContainerRef[], init: ContainerRef[], out: Finding[]): void {
  const inTemplate = new Set(out.map((f) => f.path));
  const found: Finding[] = [];
  const portPaths = new Map<Finding, FieldPath>();
  accumulateUniqueHostPorts(ds, regular, new Set(), true, found, undefined, portPaths);
  for (const c of init) accumulateUniqueHostPorts(ds, [c], new Set(), true, found, 0, portPaths);
  for (const f of found) {
    if (inTemplate.has(f.path)) continue;
    const portPath = portPaths.get(f)!;
    out.push({
      ...f,
      message: `${f.message}: the DaemonSet is accepted, but every pod it creates is rejected (${f.path.replace(/^spec\.template\./, '')}), as with hostNetwork a pod's hostPort defaults to its containerPort`,
      span: valueSpan(ds, portPath) ?? f.span,
    });
  }
}

/** validatePodHostNetworkDeps for a template (ResourceIsPod false): a non-zero hostPort must equal containerPort. */
function validatePodHostNetworkDeps(ds: ManifestObject, containers: ContainerRef[], out: Finding[]): void {
  for (const c of containers) {
    for (const { index, value: port } of portsOf(c)) {
      const hp = int(port.hostPort);
      const cp = int(port.containerPort);
      if (hp === undefined || cp === undefined) continue;
      if (hp !== 0 && hp !== cp) {
        out.push(apiFinding(containerPorts, ds, [...c.path, 'ports', index, 'hostPort'], 'Invalid', 'must match `containerPort` when `hostNetwork` is true', hp, 'value'));
      }
    }
  }
}
