/**
 * `daemonset-lens place --cluster FILE [--pods FILE] [--feature-gates Name=true,…] [--now RFC3339]
 * [--current-revision HASH] [--kubernetes-version V] [--format text|json] MANIFEST…`: on which nodes
 * each DaemonSet runs, why not on the others, and what the next sync of the controller does.
 * Exit 0, or 2 on a usage/read error.
 */
import { pathToFileURL } from 'node:url';
import { parseCluster, addPods } from '../engine/cluster';
import {
  ChunkCache, DEFAULT_KUBERNETES_VERSION, inTemplatedChunk, minorOf, nodeSpan, parseDocument, removedApiVersionFinding, validate,
  type DocumentModel, type Finding, type ManifestObject, type Severity,
} from '../engine';
import { IGNORED_REASON, placementSummary } from '../verdicts';
import { templateCliNote } from '../engine/templateWords';
import { placeDaemonSet, type ClusterModel, type DaemonSetPlacement, type NodeVerdict, type PlacementOptions, type Preemption } from '../engine/placement';
import {
  EXIT_OK, EXIT_USAGE, KustomizePatches, LineIndex, STDIN_LABEL, UsageError, displayMessage, expandInputs, parseArgs, parseFeatureGates, parseKubernetesVersion, writeFeatureGateNotes,
  readInput, type CliIO, type InputFile, type OptionSpec, type Position,
} from './common';

export const PLACE_USAGE = `Usage: daemonset-lens place --cluster FILE [options] MANIFEST…

Show on which nodes of a cluster file each DaemonSet runs, why it does not run on the others,
and what the next sync of the DaemonSet controller creates and deletes.
The cluster file is the output of \`kubectl get nodes -o yaml\` (or -o json), optionally with
pods (\`kubectl get pods -A -o yaml\`). MANIFEST is a file, a folder or - for standard input.
Kustomize patches (partial DaemonSets, or files listed as patches in the kustomization.yaml of their
folder) are skipped with a note on standard error: place the output of \`kustomize build\` instead.
Templates (Helm, Go, Jinja) are not placed either: render them first (\`helm template\`). Files found
in a folder that hold no DaemonSet are passed over silently.
Each DaemonSet gets the defaults of its own apiVersion (extensions/v1beta1: updateStrategy OnDelete);
one that the target Kubernetes version no longer serves is reported on standard error.

Options:
      --cluster FILE              nodes (and pods) of the cluster (required)
      --pods FILE                 pods of the cluster, when not in the cluster file
      --feature-gates A=true,…    feature gates in force (TaintTolerationComparisonOperators, PodLevelResources)
      --now RFC3339               the current time, for minReadySeconds (default: now)
      --current-revision HASH     the controller-revision-hash of the current template
      --kubernetes-version V      target Kubernetes version, for removed API versions and the
                                  feature gates' defaults (default: 1.35)
  -f, --format text|json          output format (default: text)
  -h, --help                      show this help

Exit status: 0 done, 2 usage or read error.
`;

const FORMATS = ['text', 'json'] as const;

const OPTIONS: readonly OptionSpec[] = [
  { name: 'cluster', takesValue: true },
  { name: 'pods', takesValue: true },
  { name: 'feature-gates', takesValue: true },
  { name: 'now', takesValue: true },
  { name: 'current-revision', takesValue: true },
  { name: 'kubernetes-version', takesValue: true },
  { name: 'format', short: 'f', takesValue: true, choices: FORMATS },
  { name: 'help', short: 'h', takesValue: false },
];

/** `--format json`: exactly this shape. */
export interface PlaceJson {
  daemonSets: Array<{
    name: string;
    namespace: string;
    file: string;
    desiredNumberScheduled: number;
    nodes: Array<{
      node: string;
      shouldRun: boolean;
      shouldContinueRunning: boolean;
      schedulable: boolean | null;
      /** The kubelet admits the scheduled pod (true) or rejects it for its OS (false); null where no pod reaches it. */
      admitted: boolean | null;
      /** Present (false) only when the API server refuses to create the pod the controller asks for (RuntimeClass admission). */
      created?: false;
      reasons: Array<{ code: string; message: string }>;
      daemonPods: string[];
      create: number;
      delete: string[];
      /** Present when the scheduler's preemption decides the node (only with pods in the input). */
      preemption?: {
        outcome: 'preempts' | 'may-preempt';
        victims: string[];
        reasons: Array<{ code: string; message: string }>;
        priorityClassName?: string;
        priority?: number;
      };
    }>;
    sync: { creates: number; deletes: number };
    rollingUpdate: { maxUnavailable: number; maxSurge: number };
    /** spec.updateStrategy.type after the defaults of the DaemonSet's apiVersion (OnDelete for extensions/v1beta1). */
    updateStrategy: string;
    /**
     * Present only when the controller does nothing with the DaemonSet (syncDaemonSet returns early):
     * its selector selects every pod or cannot be parsed, or it is being deleted. The nodes' verdicts
     * then say where pods would go, but no pod is created or deleted anywhere.
     */
    ignored?: 'selects-all' | 'bad-selector' | 'deleting';
    /**
     * Present only when there is one: what `check` reports about the DaemonSet's apiVersion
     * (`removed-api-version`), then the errors `check` reports in it (without a cluster file), in
     * `check --format json`'s shape.
     */
    diagnostics?: PlaceDiagnostic[];
  }>;
}

/** A finding about a placed DaemonSet, as `check --format json` writes it (lines and characters 0-based). */
export interface PlaceDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  path: string;
  range: { start: Position; end: Position };
}

/** One placed DaemonSet: its file, the placement and what `check` says about its apiVersion. */
export interface PlaceResult {
  file: string;
  placement: DaemonSetPlacement;
  diagnostics?: PlaceDiagnostic[];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** `--now`: an RFC 3339 time. */
export function parseNow(text: string): Date {
  const d = new Date(text);
  if (!RFC3339.test(text) || Number.isNaN(d.getTime())) throw new UsageError(`--now: '${text}' is not an RFC 3339 time like 2026-01-02T15:04:05Z`);
  return d;
}

function uriOf(input: InputFile): string {
  return input.absPath ? pathToFileURL(input.absPath).href : `stdin:${STDIN_LABEL}`;
}

/** Reads a cluster file (`--cluster` / `--pods`); prints its findings to stderr. Throws UsageError when unreadable. */
export async function readCluster(io: CliIO, given: string, option: string): Promise<ClusterModel> {
  const { cluster, file } = await readClusterFile(io, given, option);
  if (file.findings.length > 0) {
    const index = new LineIndex(file.text);
    for (const f of file.findings) {
      const p = index.positionAt(f.span.start);
      io.stderr(`${file.label}:${p.line + 1}:${p.character + 1}: ${f.severity} ${f.code} ${f.message.replace(/\s*\n\s*/g, ' ')}\n`);
    }
  }
  return cluster;
}

/**
 * Reads the file `--cluster` or `--pods` names (`option`): its nodes and pods, and its own problems
 * (YAML errors, `cluster-*` findings), sorted by position, for the caller to report.
 */
export async function readClusterFile(io: CliIO, given: string, option: string): Promise<{ cluster: ClusterModel; file: { label: string; absPath?: string; text: string; findings: Finding[] } }> {
  const { files, errors } = await expandInputs(io, [given]);
  if (errors.length > 0) throw new UsageError(`--${option}: ${errors[0]}`);
  if (files.length !== 1) throw new UsageError(`--${option}: '${given}' is not one file`);
  const read = await readInput(io, files[0]);
  if ('error' in read) throw new UsageError(`--${option}: ${read.error}`);
  const model = parseDocument(uriOf(files[0]), read.text);
  const cluster = parseCluster(model);
  const findings: Finding[] = [...model.findings, ...cluster.findings.filter((f) => option === 'cluster' || f.code !== 'cluster-no-nodes')];
  findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return { cluster, file: { label: files[0].label, absPath: files[0].absPath, text: read.text, findings } };
}

/** `--kubernetes-version` of `place` and `pod`, as a minor (35 by default). */
export function kubernetesMinorOption(options: Map<string, string | true>): number {
  const version = options.get('kubernetes-version');
  return minorOf(typeof version === 'string' ? parseKubernetesVersion(version) : DEFAULT_KUBERNETES_VERSION);
}

/**
 * The `removed-api-version` finding of a DaemonSet (the one `check` reports), as a diagnostic and as
 * the line `check` prints (`file:line:col: severity code message`); undefined for apps/v1.
 */
export function apiVersionDiagnostic(ds: ManifestObject, model: DocumentModel, label: string, kubernetesMinor: number): { diagnostic: PlaceDiagnostic; line: string } | undefined {
  const f = removedApiVersionFinding(ds, kubernetesMinor);
  return f && placeDiagnostic(f, lineIndexOf(model), label);
}

/** A finding in `check --format json`'s shape, and the line `check` prints for it. */
function placeDiagnostic(f: Finding, index: LineIndex, label: string): { diagnostic: PlaceDiagnostic; line: string } {
  const start = index.positionAt(f.span.start);
  const diagnostic: PlaceDiagnostic = { code: f.code, severity: f.severity, message: f.message, path: f.path, range: { start, end: index.positionAt(f.span.end) } };
  return { diagnostic, line: `${label}:${start.line + 1}:${start.character + 1}: ${f.severity} ${f.code} ${displayMessage(f)}` };
}

const lineIndexes = new WeakMap<DocumentModel, LineIndex>();

/** The line index of a model's text, built once per model: a file of thousands of DaemonSets asks for it once per DaemonSet. */
export function lineIndexOf(model: DocumentModel): LineIndex {
  let index = lineIndexes.get(model);
  if (!index) lineIndexes.set(model, (index = new LineIndex(model.text)));
  return index;
}

/** The errors `check` reports in a file without a cluster file, for the target `place` has (removed API versions apart). */
function checkErrors(model: DocumentModel, options: PlacementOptions, kubernetesMinor: number): Finding[] {
  return validate(model, { fixes: false, kubernetesVersion: `1.${kubernetesMinor}`, featureGates: options.featureGates })
    .filter((f) => f.severity === 'error' && f.code !== 'removed-api-version');
}

/** Of `errors`, those inside `ds`, as diagnostics and as the lines `check` prints. */
function errorDiagnostics(ds: ManifestObject, model: DocumentModel, label: string, errors: readonly Finding[]): Array<{ diagnostic: PlaceDiagnostic; line: string }> {
  const span = nodeSpan(ds.node);
  if (!span || errors.length === 0) return [];
  const start = span.start + ds.base;
  const end = span.end + ds.base;
  const index = lineIndexOf(model);
  return errors.filter((f) => f.span.start >= start && f.span.start <= end).map((f) => placeDiagnostic(f, index, label));
}

/**
 * What to say about a template (`model.templated`, as `check`'s template-not-validated note):
 * its DaemonSets are known only once rendered. `command` is how the rendered output is given back.
 */
export function templateNote(model: DocumentModel, label: string, command: string): string {
  return templateCliNote(!!model.template?.helm, label, command);
}

/** Parses the options shared by `place` and `pod`. */
export function placementOptions(options: Map<string, string | true>): PlacementOptions {
  const out: PlacementOptions = { kubernetesMinor: kubernetesMinorOption(options) };
  const gates = options.get('feature-gates');
  if (typeof gates === 'string') out.featureGates = parseFeatureGates(gates);
  const now = options.get('now');
  if (typeof now === 'string') out.now = parseNow(now);
  const rev = options.get('current-revision');
  if (typeof rev === 'string') {
    if (!rev.trim()) throw new UsageError('--current-revision needs a hash');
    out.currentRevision = rev.trim();
  }
  return out;
}

/** Runs `place`; returns the exit code. Never throws. */
export async function runPlace(argv: string[], io: CliIO): Promise<number> {
  let format = 'text' as (typeof FORMATS)[number];
  let cluster: ClusterModel;
  let options: PlacementOptions;
  let kubernetesMinor: number;
  let paths: string[];
  try {
    const args = parseArgs(argv, OPTIONS);
    if (args.options.has('help')) {
      io.stdout(PLACE_USAGE);
      return EXIT_OK;
    }
    format = (args.options.get('format') as typeof format | undefined) ?? 'text';
    const clusterFile = args.options.get('cluster');
    if (typeof clusterFile !== 'string') throw new UsageError('--cluster FILE is required (the output of kubectl get nodes -o yaml)');
    paths = args.positionals;
    if (paths.length === 0) throw new UsageError('no manifest: give DaemonSet files, folders, or - for standard input');
    options = placementOptions(args.options);
    kubernetesMinor = kubernetesMinorOption(args.options);
    writeFeatureGateNotes(io, 'place', options.featureGates, kubernetesMinor);
    cluster = await readCluster(io, clusterFile, 'cluster');
    const podsFile = args.options.get('pods');
    if (typeof podsFile === 'string') cluster = addPods(cluster, await readCluster(io, podsFile, 'pods'));
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`daemonset-lens place: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }

  const { files, errors } = await expandInputs(io, paths);
  const results: PlaceResult[] = [];
  const cache = new ChunkCache();
  const kustomize = new KustomizePatches(io);
  // Per folder given on the command line: how many files it gave, and whether any of them was reported.
  const folders = new Map<string, { files: number; reported: boolean }>();
  for (const input of files) {
    const read = await readInput(io, input);
    if ('error' in read) {
      errors.push(read.error);
      continue;
    }
    const listed = input.absPath ? await kustomize.isPatch(input.absPath) : false;
    const model = parseDocument(uriOf(input), read.text, undefined, cache, listed ? { partial: true } : {});
    const inFolder = input.folder ?? input.alsoIn;
    const folder = inFolder === undefined ? undefined : folders.get(inFolder) ?? { files: 0, reported: false };
    if (folder && inFolder !== undefined) {
      folder.files++;
      folders.set(inFolder, folder);
    }
    let reported = false;
    let templated = 0;
    let errorsOf: Finding[] | undefined;
    for (const ds of model.daemonSets) {
      // A DaemonSet whose YAML a template shapes has values known only once rendered (check skips it too).
      if (inTemplatedChunk(model, ds)) {
        templated++;
        continue;
      }
      reported = true;
      // A patch carries only the fields it changes: placed alone, it would lose the base's
      // tolerations, selectors and containers and describe a DaemonSet that never exists.
      if (ds.partial) {
        const why = listed ? 'a Kustomize patch listed in the kustomization of its folder' : 'a partial manifest (a Kustomize patch)';
        io.stderr(`daemonset-lens place: skipped DaemonSet ${ds.namespace || 'default'}/${ds.name ?? ''} in '${input.label}': ${why}; place the built manifest instead (kustomize build DIR | daemonset-lens place --cluster FILE -)\n`);
        continue;
      }
      const result: PlaceResult = { file: input.label, placement: placeDaemonSet(ds, cluster, options) };
      // As `check`: an apiVersion the target no longer serves (the placement used that version's defaults).
      const api = apiVersionDiagnostic(ds, model, input.label, kubernetesMinor);
      const found = api ? [api] : [];
      // A DaemonSet the API server rejects (or whose pods it rejects) is placed as written, but not silently.
      found.push(...errorDiagnostics(ds, model, input.label, (errorsOf ??= checkErrors(model, options, kubernetesMinor))));
      if (found.length) {
        result.diagnostics = found.map((d) => d.diagnostic);
        for (const d of found) io.stderr(d.line + '\n');
      }
      results.push(result);
    }
    // A template: say so rather than "no DaemonSet" when it may hold some. In a folder walk, a template
    // that never names the kind (a chart's ConfigMap) is passed over like any file without a DaemonSet.
    if (model.templated && (templated > 0 || (!reported && (!input.folder || /\bDaemonSet\b/.test(read.text))))) {
      io.stderr(`daemonset-lens place: ${templateNote(model, input.label, 'daemonset-lens place --cluster FILE')}\n`);
      reported = true;
    }
    // A file named on the command line that holds no DaemonSet is worth a line; one found in a folder is not.
    if (!reported && model.daemonSets.length === 0 && !input.folder) io.stderr(`daemonset-lens place: no DaemonSet in '${input.label}'\n`);
    if (folder && reported) folder.reported = true;
  }
  for (const [given, f] of folders) {
    if (!f.reported) io.stderr(`daemonset-lens place: no DaemonSet in the ${f.files} file${f.files === 1 ? '' : 's'} of '${given}'\n`);
  }
  if (errors.length > 0) {
    io.stderr(`daemonset-lens place: ${errors[0]}\n`);
    return EXIT_USAGE;
  }
  if (format === 'json') io.stdout(JSON.stringify(toPlaceJson(results), null, 2) + '\n');
  else io.stdout(toPlaceText(results));
  return EXIT_OK;
}

/** The documented JSON shape, field by field (nothing else). */
export function toPlaceJson(results: readonly PlaceResult[]): PlaceJson {
  return {
    daemonSets: results.map(({ file, placement: p, diagnostics }) => ({
      name: p.name,
      namespace: p.namespace,
      file,
      desiredNumberScheduled: p.desiredNumberScheduled,
      nodes: p.nodes.map((n) => ({
        node: n.node,
        shouldRun: n.shouldRun,
        shouldContinueRunning: n.shouldContinueRunning,
        schedulable: n.schedulable,
        admitted: n.admitted ?? null,
        ...(n.created === false ? { created: false as const } : {}),
        reasons: n.reasons.map((r) => ({ code: r.code, message: r.message })),
        daemonPods: [...n.daemonPods],
        create: n.create,
        delete: [...n.delete],
        ...(n.preemption ? { preemption: preemptionJson(n.preemption) } : {}),
      })),
      sync: { creates: p.sync.creates, deletes: p.sync.deletes },
      rollingUpdate: { maxUnavailable: p.rollingUpdate.maxUnavailable, maxSurge: p.rollingUpdate.maxSurge },
      updateStrategy: p.updateStrategy,
      ...(p.ignored ? { ignored: p.ignored } : {}),
      ...(diagnostics?.length ? { diagnostics: [...diagnostics] } : {}),
    })),
  };
}

function preemptionJson(p: Preemption): NonNullable<PlaceJson['daemonSets'][number]['nodes'][number]['preemption']> {
  const out: ReturnType<typeof preemptionJson> = { outcome: p.outcome, victims: [...p.victims], reasons: p.reasons.map((r) => ({ code: r.code, message: r.message })) };
  if (p.priorityClassName !== undefined) out.priorityClassName = p.priorityClassName;
  if (p.priority !== undefined) out.priority = p.priority;
  return out;
}

/** One word or two for a node: what happens to this DaemonSet's pod there. */
export function verdictText(n: NodeVerdict): string {
  if (n.shouldRun && n.created === false) return 'not created';
  if (n.shouldRun && n.schedulable !== false && n.admitted === false) return 'created, rejected';
  if (n.shouldRun && n.preemption?.outcome === 'preempts') return `runs, preempts ${n.preemption.victims.length}`;
  if (n.shouldRun) return n.schedulable === false ? 'runs, Pending' : 'runs';
  if (n.shouldContinueRunning && n.daemonPods.length > 0) return 'keeps pod';
  if (!n.shouldContinueRunning && n.daemonPods.length > 0) return 'evicts pod';
  return 'no pod';
}

function syncText(n: NodeVerdict): string {
  const parts: string[] = [];
  if (n.create) parts.push('create');
  if (n.delete.length) parts.push(`delete ${n.delete.join(', ')}`);
  return parts.join('; ') || '-';
}

function reasonText(n: NodeVerdict): string {
  const text = (rs: ReadonlyArray<{ message: string; schedulerReason?: string; kubeletReason?: string }>) =>
    rs.map((r) => (r.schedulerReason ? `${r.message} (${r.schedulerReason})` : r.kubeletReason ? `${r.message} (kubelet: ${r.kubeletReason})` : r.message)).join('; ');
  const p = n.preemption;
  if (p?.outcome === 'preempts') {
    const evicts = `${text(p.reasons)}; evicts lower-priority ${p.victims.join(', ')}`;
    return n.reasons.length > 0 ? `${evicts}; ${text(n.reasons)}` : evicts;
  }
  if (p?.outcome === 'may-preempt') {
    return `${text(n.reasons)}; priority class \`${p.priorityClassName ?? ''}\` is not in the input: if it ranks above ${p.victims.join(', ')}, the scheduler evicts them`;
  }
  if (n.reasons.length > 0) return text(n.reasons);
  if (n.notes.length > 0) return `note: ${n.notes.join('; ')}`;
  return '';
}

/**
 * A node of a DaemonSet the controller ignores (daemon_controller.go syncDaemonSet returns before manage):
 * no pod is created or deleted there, whatever NodeShouldRunDaemonPod answers, as the preview shows it.
 */
function ignoredRow(why: string): (n: NodeVerdict) => string[] {
  return (n) => [n.node, n.daemonPods.length > 0 ? 'keeps pod' : 'no pod', '-', n.shouldRun || n.reasons.length === 0 ? why : `${why}; ${reasonText(n)}`];
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`.trimEnd()).join('\n');
}

/** The text report: one header and one table per DaemonSet. */
export function toPlaceText(results: readonly PlaceResult[]): string {
  const out: string[] = [];
  for (const { file, placement: p } of results) {
    // The code lens's line: "runs on 2 of 5 nodes · 3 rejected by the kubelet".
    out.push(
      `DaemonSet ${p.namespace}/${p.name} (${file}): ${placementSummary(p)}; ` +
        `next sync creates ${p.sync.creates}, deletes ${p.sync.deletes}; ` +
        (p.updateStrategy === 'RollingUpdate'
          ? `rolling update maxUnavailable ${p.rollingUpdate.maxUnavailable}, maxSurge ${p.rollingUpdate.maxSurge}`
          : `update strategy ${p.updateStrategy}`),
    );
    for (const w of p.warnings ?? []) out.push(`  warning: ${w}`);
    if (p.nodes.length > 0) {
      const row = p.ignored ? ignoredRow(IGNORED_REASON[p.ignored]) : (n: NodeVerdict) => [n.node, verdictText(n), syncText(n), reasonText(n)];
      out.push(table([['NODE', 'VERDICT', 'SYNC', 'REASON'], ...p.nodes.map(row)]));
    }
    if (p.deletesWithoutNode?.length) out.push(`  deletes unscheduled pods of missing nodes: ${p.deletesWithoutNode.join(', ')}`);
    out.push('');
  }
  return out.join('\n');
}
