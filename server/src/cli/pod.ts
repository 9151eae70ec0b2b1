/**
 * `daemonset-lens pod --cluster FILE --node NAME [--format yaml|json] MANIFEST`: the pod the DaemonSet
 * controller would create on that node (template, injected node affinity, automatic tolerations,
 * labels, ownerReference). Exit 0, or 2 on a usage/read error (a template that must be rendered first included).
 */
import { pathToFileURL } from 'node:url';
import { stringifyForKubectl } from '../engine/goYamlBool';
import { inTemplatedChunk, parseDocument } from '../engine';
import { disabledFieldsNote } from '../engine/dropDisabledFields';
import { admissionReasons, compileDaemonSet, explainShouldRun, newDaemonPodOf, nodeShouldRunDaemonPod, type ClusterModel, type PlacementOptions } from '../engine/placement';
import { runtimeClassPodNote, runtimeClassSelectorReasons, withRuntimeClass, withRuntimeClassTolerationNote } from '../engine/placement/runtimeClass';
import { EXIT_OK, EXIT_USAGE, KustomizePatches, STDIN_LABEL, UsageError, expandInputs, parseArgs, readInput, writeFeatureGateNotes, type CliIO, type OptionSpec } from './common';
import { apiVersionDiagnostic, kubernetesMinorOption, placementOptions, readCluster, templateNote } from './place';

export const POD_USAGE = `Usage: daemonset-lens pod --cluster FILE --node NAME [options] MANIFEST

Print the pod the DaemonSet controller would create on node NAME: the template with the injected
metadata.name node affinity, the automatic tolerations, its labels and owner reference.
MANIFEST is a file (or - for standard input) holding one DaemonSet; a template (Helm, Go, Jinja)
must be rendered first (\`helm template\`). The pod carries pod-template-generation as for a newly
created DaemonSet (1 unless the manifest says otherwise), and controller-revision-hash when given.
Template fields the API server drops for the target version and feature gates (pod-level resources
without PodLevelResources, hostnameOverride without HostnameOverride, image volumes without
ImageVolume, …) are left out, with a note on standard error.

Options:
      --cluster FILE              nodes of the cluster (kubectl get nodes -o yaml) (required)
      --node NAME                 the node (required)
      --current-revision HASH     add the controller-revision-hash label
      --feature-gates A=true,…    feature gates in force (which template fields are dropped)
      --kubernetes-version V      target Kubernetes version, for removed API versions and the
                                  template fields its feature gates drop (default: 1.35)
  -f, --format yaml|json          output format (default: yaml)
  -h, --help                      show this help

Exit status: 0 done, 2 usage or read error.
`;

const FORMATS = ['yaml', 'json'] as const;

const OPTIONS: readonly OptionSpec[] = [
  { name: 'cluster', takesValue: true },
  { name: 'node', takesValue: true },
  { name: 'current-revision', takesValue: true },
  { name: 'feature-gates', takesValue: true },
  { name: 'kubernetes-version', takesValue: true },
  { name: 'format', short: 'f', takesValue: true, choices: FORMATS },
  { name: 'help', short: 'h', takesValue: false },
];

/** Runs `pod`; returns the exit code. Never throws. */
export async function runPod(argv: string[], io: CliIO): Promise<number> {
  try {
    const args = parseArgs(argv, OPTIONS);
    if (args.options.has('help')) {
      io.stdout(POD_USAGE);
      return EXIT_OK;
    }
    const format = (args.options.get('format') as (typeof FORMATS)[number] | undefined) ?? 'yaml';
    const clusterFile = args.options.get('cluster');
    if (typeof clusterFile !== 'string') throw new UsageError('--cluster FILE is required (the output of kubectl get nodes -o yaml)');
    const nodeName = args.options.get('node');
    if (typeof nodeName !== 'string' || nodeName === '') throw new UsageError('--node NAME is required');
    if (args.positionals.length !== 1) throw new UsageError('give exactly one MANIFEST holding one DaemonSet');
    const options: PlacementOptions = placementOptions(args.options);
    const kubernetesMinor = kubernetesMinorOption(args.options);
    writeFeatureGateNotes(io, 'pod', options.featureGates, kubernetesMinor);
    const cluster: ClusterModel = await readCluster(io, clusterFile, 'cluster');

    const { files, errors } = await expandInputs(io, args.positionals);
    if (errors.length > 0) throw new UsageError(errors[0]);
    if (files.length !== 1) throw new UsageError(`'${args.positionals[0]}' is not one file`);
    const read = await readInput(io, files[0]);
    if ('error' in read) throw new UsageError(read.error);
    const listed = files[0].absPath ? await new KustomizePatches(io).isPatch(files[0].absPath) : false;
    const model = parseDocument(files[0].absPath ? pathToFileURL(files[0].absPath).href : `stdin:${STDIN_LABEL}`, read.text, undefined, undefined, listed ? { partial: true } : {});
    // A DaemonSet whose YAML a template shapes is known only once rendered (as `check` and `place` say).
    const daemonSets = model.daemonSets.filter((d) => !inTemplatedChunk(model, d));
    if (model.templated && (daemonSets.length === 0 || daemonSets.length < model.daemonSets.length)) {
      throw new UsageError(templateNote(model, files[0].label, `daemonset-lens pod --cluster FILE --node ${nodeName}`));
    }
    if (daemonSets.length === 0) throw new UsageError(`no DaemonSet in '${files[0].label}'`);
    if (daemonSets.length > 1) {
      throw new UsageError(`'${files[0].label}' holds ${daemonSets.length} DaemonSets (${daemonSets.map((d) => d.name ?? '?').join(', ')}); give a file with one`);
    }
    const ds = daemonSets[0];
    // A patch carries only the fields it changes: its pod would lack the base's containers, tolerations and selectors (as `place`).
    if (ds.partial) {
      const why = listed ? 'a Kustomize patch listed in the kustomization of its folder' : 'a partial manifest (a Kustomize patch)';
      throw new UsageError(`'${files[0].label}' holds ${why}; give the built manifest instead (kustomize build DIR | daemonset-lens pod --cluster FILE --node ${nodeName} -)`);
    }
    const node = cluster.nodes.find((n) => n.name === nodeName);
    if (!node) throw new UsageError(`node '${nodeName}' is not in the cluster file`);
    // The template the API server stores for the target version and gates (DropDisabledTemplateFields).
    const { pod, dropped, runtimeClass } = newDaemonPodOf(ds, nodeName, { ...options, runtimeClasses: cluster.runtimeClasses });
    // As `check`: an apiVersion the target no longer serves.
    const api = apiVersionDiagnostic(ds, model, files[0].label, kubernetesMinor);
    if (api) io.stderr(api.line + '\n');
    const compiled = compileDaemonSet(ds, options);
    const c = runtimeClass ? withRuntimeClass(compiled, runtimeClass) : compiled;
    const rcNote = runtimeClassPodNote(runtimeClass);
    if (rcNote) io.stderr(`daemonset-lens pod: note: ${rcNote}\n`);
    if (!nodeShouldRunDaemonPod(node, c).shouldRun) {
      const why = withRuntimeClassTolerationNote(c, explainShouldRun(c, node)).map((r) => r.message).join('; ');
      io.stderr(`daemonset-lens pod: note: the controller would not create this pod on '${nodeName}'${why ? `: ${why}` : ''}\n`);
    } else if (runtimeClass?.rejection) {
      // Said by runtimeClassPodNote: the pod is never created.
    } else if (runtimeClassSelectorReasons(c, node).length > 0) {
      io.stderr(`daemonset-lens pod: note: the pod would stay Pending on '${nodeName}': ${runtimeClassSelectorReasons(c, node).map((r) => r.message).join('; ')}\n`);
    } else {
      const rejected = admissionReasons(c, node).map((r) => `${r.message} (${r.kubeletReason})`).join('; ');
      if (rejected) io.stderr(`daemonset-lens pod: note: the kubelet of '${nodeName}' would reject this pod: ${rejected}\n`);
    }
    const droppedNote = disabledFieldsNote(dropped, kubernetesMinor);
    if (droppedNote) io.stderr(`daemonset-lens pod: note: ${droppedNote}\n`);
    // syncNodes always labels the pod with the hash of the current ControllerRevision (ComputeHash over
    // the Go template struct): only the user can supply it.
    if (!options.currentRevision) {
      io.stderr(`daemonset-lens pod: note: the controller also labels the pod controller-revision-hash=<hash of the current ControllerRevision>; give it with --current-revision\n`);
    }
    io.stdout(format === 'json' ? JSON.stringify(pod, null, 2) + '\n' : stringifyForKubectl(pod));
    return EXIT_OK;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`daemonset-lens pod: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}
