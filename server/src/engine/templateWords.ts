/**
 * What is said of a DaemonSet in a template (`inTemplatedChunk`: `{{ … }}` shapes its YAML, so its
 * values and structure are known only once rendered): one wording for the CLI (`place`, `pod`), the
 * code lens, the preview and the pod view. `helm` is the engine's verdict on the file
 * (`DocumentModel.template.helm`: it uses Helm's objects or functions). No imports: the client bundles it.
 */

/** "helm template" for Helm, else the file's own template engine. */
function renderFirst(helm: boolean): string {
  return helm ? 'render it first: helm template' : 'render it first with its template engine';
}

/** The code lens and the preview summary, instead of where it runs: "Helm template · not placed (…)". */
export function templateLine(helm: boolean): string {
  return `${helm ? 'Helm template' : 'Template'} · not placed (${renderFirst(helm)})`;
}

/** Why the preview shows no placement. */
export function templateNote(helm: boolean): string {
  return `This DaemonSet is in a ${helm ? 'Helm ' : ''}template ({{ … }}): its values and structure are known only once it is rendered, so it is not placed. Place the output of ${helm ? 'helm template' : 'its template engine'} instead.`;
}

/**
 * The namespace shown for a DaemonSet of a template that sets none: Helm installs it in the release's
 * namespace (`helm install --namespace`), other templates in the one they are applied to. Never "default":
 * which namespace it lands in is decided when it is installed, not by the file.
 */
export function templateNamespace(helm: boolean): string {
  return helm ? '(release namespace)' : '(namespace not set)';
}

/** Why the preview lists only the controller's tolerations for a DaemonSet in a template. */
export function templateTolerationsNote(helm: boolean): string {
  return `Only the tolerations the DaemonSet controller adds to every pod are listed. The template's own tolerations (and, for a hostNetwork pod, node.kubernetes.io/network-unavailable) are known only once it is rendered${helm ? ' (helm template)' : ''}.`;
}

/** What the preview says of a taint the controller's tolerations do not cover, in a template. */
export const TEMPLATE_TAINT_UNKNOWN = 'known once rendered';

/**
 * Why the preview shows no DaemonSet of a template that YAML cannot read before it is rendered
 * (`engine/templates.ts` unreadableTemplateDaemonSets): `count` DaemonSets; `others`: beside those it shows.
 */
export function templateUnreadableNote(helm: boolean, count: number, others = false): string {
  const render = `Place the output of ${helm ? 'helm template' : 'its template engine'} instead.`;
  if (others) {
    const more = count === 1 ? 'One more DaemonSet' : `${count} more DaemonSets`;
    return `${more} of this ${helm ? 'Helm ' : ''}template ({{ … }}) can be read as YAML only once it is rendered: ${count === 1 ? 'it is' : 'they are'} neither shown nor placed. ${render}`;
  }
  const them = count === 1 ? 'its DaemonSet is' : `its ${count} DaemonSets are`;
  return `This file is a ${helm ? 'Helm ' : ''}template ({{ … }}) that can be read as YAML only once it is rendered: ${them} not placed. ${render}`;
}

/** Why the pod view shows no pod. */
export function templatePodNote(helm: boolean, name: string): string {
  return `${name} is in a ${helm ? 'Helm ' : ''}template ({{ … }}): its values and structure are known only once it is rendered, so no pod is generated from it. Generate the pod from the output of ${helm ? 'helm template' : 'its template engine'}.`;
}

/** The CLI's line for a template file; `command` is how the rendered output is given back. */
export function templateCliNote(helm: boolean, label: string, command: string): string {
  const render = helm ? 'render it first (helm template RELEASE CHART' : 'render it first with its template engine (…';
  return `'${label}' is a template ({{ … }}): its DaemonSets are known only once it is rendered; ${render} | ${command} -)`;
}
