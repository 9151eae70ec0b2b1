import { isDNS1123Label } from '../k8sNames';
import { containerAnchor, containersOf, str, type ContainerRef } from '../podTemplate';
import type { Finding } from '../types';
import type { ManifestObject } from '../model';
import { apiFinding, type Rule } from './rule';

/**
 * pkg/apis/core/validation/validation.go validateContainerCommon (name required, a DNS-1123
 * label via ValidateDNS1123Label), validateContainers (unique among regular containers) and
 * validateInitContainers (unique among regular and init containers).
 */
export const containerName: Rule = {
  id: 'container-name',
  description: 'Container names are required, DNS-1123 labels, and unique in the pod.',
  help: 'Upstream validateContainerCommon requires `name` and checks it is a lowercase RFC 1123 label (at most 63 characters of a-z, 0-9 and `-`, starting and ending alphanumeric); validateContainers and validateInitContainers report a name used twice across containers and initContainers as `Duplicate value`.',
  defaultSeverity: 'error',
  check(ds) {
    const out: Finding[] = [];
    const names = new Set<string>();
    // validateContainers: duplicates within regular containers (an empty name counts too).
    for (const c of containersOf(ds, 'containers')) {
      const name = checkName(ds, c, out);
      if (name === undefined) continue;
      if (names.has(name)) out.push(apiFinding(containerName, ds, [...c.path, 'name'], 'Duplicate', undefined, name, 'value'));
      else names.add(name);
    }
    // validateInitContainers: duplicates against regular and earlier init containers.
    for (const c of containersOf(ds, 'initContainers')) {
      const name = checkName(ds, c, out);
      if (name === undefined) continue;
      if (names.has(name)) out.push(apiFinding(containerName, ds, [...c.path, 'name'], 'Duplicate', undefined, name, 'value'));
      else if (name.length > 0) names.add(name);
    }
    return out;
  },
};

function checkName(ds: ManifestObject, c: ContainerRef, out: Finding[]): string | undefined {
  const name = str(c.value.name);
  if (name === undefined) return undefined;
  const namePath = [...c.path, 'name'];
  if (name.length === 0) {
    const f = apiFinding(containerName, ds, namePath, 'Required', undefined, undefined, 'value');
    if (c.value.name === undefined) f.span = containerAnchor(ds, c) ?? f.span;
    out.push(f);
  }
  else for (const msg of isDNS1123Label(name)) out.push(apiFinding(containerName, ds, namePath, 'Invalid', msg, name, 'value'));
  return name;
}
